// measureCurvature's report as diagnose() takes it (src/curvature/evidence.ts): one mapping of the rule's verdict for the
// plateau study's points and for a report, which the visualizer's "Measure the curvature here" hands its diagnosis.
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureReport } from '../../src/curvature/curvature.js';
import { curvatureEvidenceOf } from '../../src/curvature/evidence.js';
import { pointReadingText, pointText } from '../../src/curvature/point-text.js';
import type { CurvatureVerdict, PointReading } from '../../src/curvature/critical-point.js';
import { curvatureSentence } from '../../src/flow/curvature-evidence.js';
import { curvatureEvidence } from '../../src/studies/plateau.js';
import { diagnose } from '../../src/flow/diagnose.js';

/** A report's parts the mapping reads: the verdict, the reading (pointReading's for the verdict unless given) and the whole Hessian's ends. */
const reportOf = (verdict: CurvatureVerdict, reading: PointReading = verdict === 'saddle' ? 'saddle' : verdict === 'minimum-like' ? 'minimum' : 'slope'): Pick<CurvatureReport, 'verdict' | 'reading' | 'hessian'> => ({ verdict, reading, hessian: { largest: [2.5, 1], smallest: [-0.25, 0.5], trace: 3, traceStdError: 0, negativeMass: 0.1, negativeMassExact: true, negativeMassProbes: [], zeroWithin: 1e-9, converged: true, unconverged: [] } });

describe('curvatureEvidenceOf', () => {
  it("says of each verdict what the diagnosis's curvature sentence reads, with the whole Hessian's λ_min and λ_max", () => {
    const said = (verdict: CurvatureVerdict) => curvatureSentence(curvatureEvidenceOf(reportOf(verdict)));
    expect(said('saddle')).toBe('Curvature where the run stopped: a saddle (λ_min = -2.50e-1 against λ_max = 2.50e+0), and a step along λ_min\'s eigenvector lowers the objective on both sides, so following negative curvature leaves it.');
    expect(said('strong negative curvature')).toMatch(/^Curvature where the run stopped: strong negative curvature \(λ_min = -2\.50e-1 against λ_max = 2\.50e\+0; strong in what a step along it does, not in size: \|λ_min\| is 1\.00e-1 of λ_max\), .*not a saddle: that step lowers the objective by less than 2× what the gradient's own descent does, or that descent runs on\./);
    expect(said('negative curvature')).toMatch(/^Curvature where the run stopped: not a minimum, .* but weakly/);
    expect(said('minimum-like')).toMatch(/^Curvature where the run stopped: no direction curves down beyond rounding .*: a minimum of the measured objective/);
  });

  // The page shows the reading beside the diagnosis: a point with no confirmed negative curvature where a step tried lowers
  // the loss reads 'a slope, not a saddle and not at a minimum', and the diagnosis called it a minimum.
  it('says a slope, not a minimum, where no negative curvature is confirmed but a step tried lowers the loss', () => {
    const evidence = curvatureEvidenceOf(reportOf('minimum-like', 'slope'));
    expect(evidence.lowered).toBe(true);
    expect(curvatureSentence(evidence)).toBe('Curvature where the run stopped: no direction curves down beyond rounding (λ_min = -2.50e-1 against λ_max = 2.50e+0), but a step tried lowers the objective: a slope, not a minimum and not a saddle.');
  });

  // review: curvatureEvidenceOf, pointText and pointReadingText became public (7acfd57c) and threw raw TypeErrors on a wrong argument.
  it("refuses what is not measureCurvature's report, naming the first field amiss, and an unknown 'measured'", () => {
    const refused = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      }
      return 'ok';
    };
    expect(refused(() => curvatureEvidenceOf({} as never))).toBe("INVALID_OPTION: curvatureEvidenceOf: expected measureCurvature's report, whose verdict is missing");
    expect(refused(() => curvatureEvidenceOf({ ...reportOf('saddle'), verdict: 'flat' as never }))).toBe('INVALID_OPTION: curvatureEvidenceOf: expected measureCurvature\'s report, whose verdict is "flat", not one measureCurvature gives');
    expect(refused(() => curvatureEvidenceOf({ ...reportOf('saddle'), hessian: { ...reportOf('saddle').hessian, smallest: [] } }))).toMatch(/whose hessian is .*, not one measureCurvature gives$/);
    expect(refused(() => curvatureEvidenceOf(reportOf('saddle'), 'data' as never))).toMatch(/^INVALID_OPTION: curvatureEvidenceOf: measured/);
    expect(refused(() => pointText(reportOf('saddle') as CurvatureReport, 'gradscope study plateau'))).toBe("INVALID_OPTION: pointText: expected measureCurvature's report, whose gradientNorm is missing");
    expect(refused(() => pointReadingText(null as never))).toMatch(/^INVALID_OPTION: pointReadingText: expected measureCurvature's report, got null/);
    expect(refused(() => curvatureEvidenceOf(reportOf('saddle')))).toBe('ok');
  });

  it("says 'the loss' where the run trained with an L2 term, which measureCurvature's loss leaves out", () => {
    expect(curvatureEvidenceOf(reportOf('saddle'), 'loss')).toEqual({ measured: 'loss', lambdaMin: -0.25, lambdaMax: 2.5, confirmed: true, exploitable: true, critical: true, lowered: true });
    expect(curvatureSentence(curvatureEvidenceOf(reportOf('saddle'), 'loss'))).toContain('lowers the loss on both sides');
  });

  it("is the plateau study's mapping of the same verdict, reading and eigenvalues", () => {
    // Probes that rise on both sides, and a step down the gradient that lowers the loss or does not.
    const probes = [0.1, 0.3, 1, 3].map((step) => ({ step, plus: 1e-3, minus: 2e-3, curvature: 0.3 }));
    for (const [verdict, change, reading] of [['saddle', -1e-4, 'saddle'], ['strong negative curvature', -1e-4, 'slope'], ['negative curvature', -1e-4, 'slope'], ['minimum-like', -1e-4, 'slope'], ['minimum-like', 1e-4, 'minimum']] as const) {
      const point = { verdict, smallest: [-0.25], largest: [2.5], probes, descent: [{ step: 0.1, change }] } as unknown as Parameters<typeof curvatureEvidence>[0];
      expect(curvatureEvidence(point, 'loss')).toEqual(curvatureEvidenceOf(reportOf(verdict, reading), 'loss'));
    }
  });

  describe('of a measured report', async () => {
    const net = await createNetwork({ sizes: [2, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5, backend: 'ref' });
    afterAll(() => net.dispose());
    const x = [[0.5, -1], [1, 0.25], [-0.5, 0.75], [0.1, 0.2]];
    const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
    const { trace } = net.train(x, y, { epochs: 3, batchSize: 4, learningRate: 0.1, trace: { every: 1 } });
    const report = measureCurvature(net, x, y, { k: 1, layers: false });

    it('is taken by diagnose(), whose summary then says what the point is in place of asking', () => {
      const evidence = curvatureEvidenceOf(report);
      expect(evidence).toMatchObject({ measured: 'objective', lambdaMin: report.hessian.smallest[0], lambdaMax: report.hessian.largest[0], critical: report.verdict === 'saddle', lowered: report.reading !== 'minimum' });
      const d = diagnose(trace!, { curvature: evidence });
      expect(d.summary.endsWith(` ${curvatureSentence(evidence)}`)).toBe(true);
      expect(d.evidence.curvature).toEqual(evidence);
    });
  });
});
