// The plateau study: on a small float64 network the curvature along the reported eigenvector,
// measured from objective values alone, equals λ_min (so the Hessian of the regularised objective,
// Lanczos and its Ritz vector agree with the function); the verdict follows its stated rule; the
// weights come back unchanged; and the study runs end to end on Nielsen's architecture.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { toMatrix } from '../../src/data/matrix.js';
import { Rng } from '../../src/init/rng.js';
import { measurePoint, PLATEAU_SIZES, runPlateauStudy, type PlateauPoint } from '../../src/studies/plateau.js';
import { curvatureVerdict, downhillOf, OUTWEIGHS, pointReading, type DownhillProbe, type SaddleProbe } from '../../src/curvature/critical-point.js';
import { gradientDrop } from '../util/gradient-drop.js';
import { plateauReportSection } from '../../src/studies/plateau-report.js';
import { plateauTableColumns, plateauTableKey } from '../../src/studies/plateau-table.js';
import { plateauAnswer, plateauRules, plateauSummary } from '../../src/studies/plateau-conclusion.js';
import { plateauTable } from '../../src/cli/commands/study-plateau.js';
import { formatTable } from '../../src/cli/table.js';

function expectVerdictRule(p: PlateauPoint): void {
  const confirmed = p.smallest[0] < 0 && p.probes[0].curvature < 0;
  const bothSides = p.probes.filter((probe) => probe.plus < 0 && probe.minus < 0);
  // the slope: the gradient's best drop, at most ‖∇f‖·s over its step; spent where its descent ends or runs on faster than that
  const best = p.descent.filter((d) => d.change < 0).sort((a, b) => a.change - b.change)[0];
  const slope = best === undefined ? 0 : Math.min(-best.change, p.gradientNorm * best.step);
  const spent = best === undefined || best.step < 3 || -best.change > p.gradientNorm * best.step;
  const critical = spent && bothSides.some((probe) => -(probe.plus + probe.minus) / 2 >= OUTWEIGHS * slope);
  expect(p.verdict).toBe(!confirmed ? 'minimum-like' : bothSides.length === 0 ? 'negative curvature' : critical ? 'saddle' : 'strong negative curvature');
}

/** The drops of a gradient along which f is linear (f(θ − s·g/‖g‖) − f(θ) = −‖g‖·s) at every step 0.1 … 3 the tests weigh. */
const linear = (gradientNorm: number): DownhillProbe[] => [3, 1, 0.3, 0.1].map((step) => ({ step, change: -gradientNorm * step }));

/** Probes at the study's steps from (plus, minus) pairs, shortest step first. */
const probesOf = (pairs: [number, number, number][]): SaddleProbe[] => pairs.map(([step, plus, minus]) => ({ step, plus, minus, curvature: (plus + minus) / (step * step) }));

describe('curvatureVerdict: a saddle is a critical point', () => {
  // Nielsen's net at initialisation (docs/curvature.md): λ_min = −1.15, ‖∇f‖ = 4.90, and t = 3 along ±v
  // lowers the objective by 2.64 and 2.55, far less than ‖∇f‖·t = 14.7 (it was called a saddle).
  const atInit = probesOf([[0.1, -0.0021, -0.0036], [0.3, -0.03, -0.05], [1, -0.3, -0.5], [3, -2.64, -2.55]]);
  /** f down a gradient of norm 4.9 along a direction of curvature c: −4.9·s + (c/2)·s², lowest (−4.9²/2c) at s = 4.9/c. */
  const curved = (c: number) => [3, 1, 0.3, 0.1, 0.05, 4.9 / c].map((step) => ({ step, change: -4.9 * step + (c / 2) * step * step }));
  it('strong negative curvature where the gradient outweighs it', () => {
    expect(curvatureVerdict(-1.15, 4.9, linear(4.9), atInit)).toBe('strong negative curvature');
  });
  it('a saddle where ∇f = 0, or no step down it lowers f', () => {
    expect(curvatureVerdict(-1.15, 0, [], atInit)).toBe('saddle');
    expect(curvatureVerdict(-1.15, 1e-9, linear(-1e-9), atInit)).toBe('saddle');
  });
  it(`a gradient spent within a short step (a stiff direction) counts for what it lowers f, not ‖∇f‖·t (newuser44 #1), and a saddle needs ±v to give ${OUTWEIGHS}× that`, () => {
    // curvature 10: lowest −1.2 at s = 0.49, beyond s = 0.98 a step raises f. ‖∇f‖·t = 14.7 at t = 3, but the
    // gradient lowers f by at most 1.2, and 2.595 ≥ 2 · 1.2
    expect(curvatureVerdict(-1.15, 4.9, curved(10), atInit)).toBe('saddle');
    // curvature 8: −1.5 at s = 0.61; 2.595 < 2 · 1.5, though ±v at t = 3 lowers f more than any step of at most 3
    // down the gradient (the rule before review44 #14 read a saddle): both pay comparably
    expect(gradientDrop(curved(8), 3)).toBeLessThan(2.595);
    expect(curvatureVerdict(-1.15, 4.9, curved(8), atInit)).toBe('strong negative curvature');
  });
  it("not a saddle where the gradient's descent runs on past the longest step, however small it is beside ±v", () => {
    expect(curvatureVerdict(-1.15, 0.1, linear(0.1), atInit)).toBe('strong negative curvature'); // 0.3 at s = 3, and on
  });
  it('a gradient that leans into the negative curvature counts for its first-order term ‖∇f‖·s: what runs on past it is the curvature', () => {
    // f(θ − s·g/‖g‖) − f(θ) = −0.1·s − 0.2·s²: 2.1 at s = 3, of which 0.3 is the slope's; 2.595 ≥ 2 · 0.3
    const leaning = [3, 1, 0.3, 0.1].map((step) => ({ step, change: -0.1 * step - 0.2 * step * step }));
    expect(curvatureVerdict(-1.15, 0.1, leaning, atInit)).toBe('saddle');
    // the same drops from a gradient of 0.7 along which f is linear: 2.1 is the slope's, and runs on
    expect(curvatureVerdict(-1.15, 0.7, linear(0.7), atInit)).toBe('strong negative curvature');
  });
  it('negative curvature no step exploits on both sides, and none confirmed', () => {
    // the plateau at epoch 500: one side rises at every step
    const plateau = probesOf([[0.1, -1.2e-5, 1.0e-5], [0.3, -3.75e-5, 2.4e-5], [1, -1e-4, 1.2e-4], [3, 4e-4, 9e-4]]);
    expect(curvatureVerdict(-1.85e-4, 0.0444, linear(0.0444), plateau)).toBe('negative curvature');
    expect(curvatureVerdict(1e-3, 0.0444, linear(0.0444), plateau)).toBe('minimum-like');
    // λ_min < 0 from Lanczos, but the function values curve up: not confirmed
    expect(curvatureVerdict(-1e-6, 0, [], probesOf([[0.1, 1e-6, 1e-6]]))).toBe('minimum-like');
  });
});

describe('plateau study', () => {
  it('measurePoint: function values along v give λ_min; weights unchanged (ref, float64)', async () => {
    const rng = new Rng(6);
    const net = await createNetwork({ sizes: [12, 6, 6, 3], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy', init: 'lecun-normal', biasInit: { name: 'normal', std: 1 }, backend: 'ref', seed: 2 });
    const x = toMatrix(Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => rng.uniform())), 12, 'inputs');
    const y = toMatrix(Array.from({ length: 40 }, (_, r) => [0, 1, 2].map((j) => (j === r % 3 ? 1 : 0))), 3, 'targets');
    const before = JSON.stringify(net.toJSON());
    const dataset = net.dataset(x, y);
    const point = measurePoint(net, dataset, { epoch: 0, lambda: 5, k: 2, maxSteps: 200, seed: 1, massProbes: 0 });
    expect(JSON.stringify(net.toJSON())).toBe(before);
    // The caller's rows, read in place and left to the caller.
    expect(dataset.isDisposed).toBe(false);
    dataset.dispose();
    expect(point.converged).toBe(true);
    expect(point.largest[0]).toBeGreaterThanOrEqual(point.largest[1]);
    expect(point.smallest[0]).toBeLessThanOrEqual(point.smallest[1]);
    // (f(θ + tv) + f(θ − tv) − 2f(θ))/t² = vᵀHv + O(t²) = λ_min + O(t²)
    const smallest = point.probes[0];
    expect(Math.abs(smallest.curvature - point.smallest[0])).toBeLessThan(0.02 * Math.abs(point.largest[0]));
    expect(point.slopeAlongV).toBeLessThanOrEqual(0);
    expect(point.gradientSNR).toHaveLength(3);
    for (const s of point.gradientSNR) expect(s).toBeGreaterThan(0);
    expect(point.negativeMass).toBeGreaterThanOrEqual(0);
    expect(point.negativeMass).toBeLessThanOrEqual(1);
    // the L2 term counts: its objective exceeds the data loss by (λ/2n)‖w‖²
    expect(point.objective).toBeGreaterThan(point.loss);
    expectVerdictRule(point);
    net.dispose();
  });

  it("runs end to end on Nielsen's [784,30,30,30,30,10] (a short run)", async () => {
    const result = await runPlateauStudy({ epochs: 2, points: 2, rows: 30, maxSteps: 20, k: 2 });
    expect(result.sizes).toEqual(PLATEAU_SIZES);
    expect(result.points.map((p) => p.epoch)).toEqual([0, 2]);
    expect(result.meanField.map((l) => l.layer)).toEqual([0, 1, 2, 3]);
    for (const p of result.points) {
      expect(p.gradientSNR).toHaveLength(5);
      expect(p.largest).toHaveLength(2);
      expect(Number.isFinite(p.smallest[0])).toBe(true);
      expectVerdictRule(p);
    }
    // full-batch descent lowers the objective
    expect(result.points[1].objective).toBeLessThan(result.points[0].objective);
    // the diagnosis of the last stretch carries the last point's curvature
    const last = result.points[1];
    expect(result.diagnosis!.evidence.curvature).toEqual({
      measured: 'objective',
      lambdaMin: last.smallest[0],
      lambdaMax: last.largest[0],
      confirmed: last.verdict !== 'minimum-like',
      exploitable: last.verdict === 'saddle' || last.verdict === 'strong negative curvature',
      critical: last.verdict === 'saddle',
      // Some step tried along ±v or down the gradient lowered f: not a minimum (pointReading).
      lowered: pointReading(last.verdict, last.probes, downhillOf(last.descent)) !== 'minimum',
    });
    expect(result.diagnosis!.summary).toMatch(/Curvature where the run stopped/);
  });

  it("the HTML report's table is the terminal's: the same columns (‖∇f‖ beside ‖∇C‖) and rows, the points' own values", async () => {
    const result = await runPlateauStudy({ epochs: 1, points: 2, rows: 30, maxSteps: 20, k: 1 });
    const [table] = plateauReportSection(result).tables!;
    expect(formatTable(table.header, table.rows, 400)).toBe(plateauTable(result, 400));
    const column = (name: string) => table.rows.map((row) => Number(row[table.header.indexOf(name)]));
    expect(column('‖∇f‖')).toEqual(result.points.map((p) => Number(p.gradientNorm.toExponential(2))));
    expect(column('‖∇C‖')).toEqual(result.points.map((p) => Number(p.lossGradientNorm.toExponential(2))));
    expect(plateauReportSection(result).notes?.[0]).toMatch(/^‖∇f‖: the gradient of the objective/);
    // The terminal's summary under its table: the answer first, then each verdict's rule with its count (the report had only its
    // conclusion: cli42; the rules came first, ~300 words before the answer: lecturer52 #6); the answer in the report's text, the rules in its key.
    const summary = plateauSummary(result);
    expect(summary).toMatch(/^So, at epoch/);
    const lines = summary.split('\n');
    const rules = lines.slice(lines.indexOf('Of 2 points, by the table\'s verdict:') + 1);
    expect(rules.map((rule) => rule.slice(0, rule.indexOf(' ('))), summary).toEqual(['• saddle', '• strong negative curvature', '• negative curvature', '• minimum-like']);
    // each rule's count is the points': their verdicts counted here
    const verdicts = result.points.map((p) => p.verdict);
    for (const rule of rules) {
      const name = rule.slice(2, rule.indexOf(' ('));
      expect(rule, summary).toContain(`${name} (${verdicts.filter((v) => v === name).length} point`);
    }
    const section = plateauReportSection(result);
    expect(section.text).toContain(plateauAnswer(result).split('\n').join(' '));
    expect(section.text).not.toContain('as good as critical');
    expect(section.notes).toEqual(expect.arrayContaining(plateauRules(result)));
  });

  // review43 #15: the table printed a probe beyond float32 as 'Infinity' with no word of what it is, where `gradscope curvature` says it
  // in the same words (test/curvature/point-text's NOTE; overflowNote, one source).
  it("says under the table what a probe's Infinity is, as curvature's point text does, only where one is printed", async () => {
    const result = await runPlateauStudy({ epochs: 0, points: 1, rows: 30, maxSteps: 20, k: 1 });
    const note = "(Infinity: the loss there is beyond float32's range, so the network cannot take it)";
    expect(result.points[0].probes.flatMap((p) => [p.plus, p.minus]).every(Number.isFinite)).toBe(true);
    expect(plateauReportSection(result).notes!.join('\n')).not.toContain('Infinity');
    // The best probe's better side lowered f by more than any probe measured; its other side overflowed.
    // (no step lowering both sides, so the table's probe is the one lowering f most on its better side)
    const overflowed = { ...result, points: result.points.map((p) => ({ ...p, probes: [...p.probes.map((q) => ({ ...q, minus: Math.abs(q.minus) })), { step: 10, plus: -1e3, minus: Infinity, curvature: Infinity }] })) };
    const section = plateauReportSection(overflowed);
    expect(section.tables![0].rows[0].at(-2)).toBe('t=10: -1.00e+3 / Infinity');
    // (the table's key, then the verdicts' rules: plateauRules)
    expect(section.notes!.at(-1 - plateauRules(result).length)).toBe(`f(θ±t·v) − f(θ): the step t along ±v the verdict weighs, lowering f on both sides by the largest mean drop, or where none lowers both, the one that lowered f most on its better side ${note}.`);
    // where a step lowers both sides, the table prints it, the step the verdict weighs, not a lower single side beside a rise (newuser46 #3)
    const both = { ...result, points: result.points.map((p) => ({ ...p, probes: [{ step: 0.3, plus: -2e-4, minus: -1e-4, curvature: -3e-3 }, { step: 3, plus: -5.66e-3, minus: 5.48e-3, curvature: -2e-5 }] })) };
    expect(plateauTableColumns(both).rows[0].at(-2)).toBe('t=0.3: -2.00e-4 / -1.00e-4');
    // The terminal prints plateauTableKey under its table (study-plateau.ts): its last line is the note's too (review44 #5:
    // this compared the notes with the function they are built from).
    expect(plateauTableKey(overflowed).split('\n').at(-1)).toContain(note);
  });

  it('measures each epoch once: 4 points over 1 epoch are 2, 0 epochs one, and the progress counts those (it measured epoch 0 five times and counted five saddles)', async () => {
    const progress: [number, number][] = [];
    const result = await runPlateauStudy({ epochs: 1, points: 4, rows: 30, maxSteps: 20, k: 1, onProgress: (done, all) => progress.push([done, all]) });
    expect(result.points.map((p) => p.epoch)).toEqual([0, 1]);
    expect(progress).toEqual([[1, 2], [2, 2]]);
    const none = await runPlateauStudy({ epochs: 0, points: 3, rows: 30, maxSteps: 20, k: 1 });
    expect(none.points.map((p) => p.epoch)).toEqual([0]);
  });

  // cli42: past float32 the probes' objective threw (evaluate's NON_FINITE_INPUT) and left the weights at θ + t·v, where
  // `gradscope curvature`'s probes (CurvatureOperators.lossAlong) give Infinity: now the same, the weights written back.
  it.each(['ref', 'wasm'] as const)('measurePoint: a step along ±v whose loss is beyond float32 is Infinity, as curvature\'s probes; weights unchanged (%s)', async (backend) => {
    // A linear 1-1-1 net, every weight 1, on one row of 1e19 under MSE: ½(1e19)² = 5e37 fits float32; at t = 3 along ±v it does not.
    const made = await createNetwork({ sizes: [1, 1, 1], activation: 'linear', output: 'linear', loss: 'mse', seed: 1, backend });
    const state = made.toJSON();
    made.dispose();
    for (const layer of state.layers) Object.assign(layer, { weights: [[1]], biases: [0] });
    const net = await Network.fromJSON(state, { backend });
    const before = JSON.stringify(net.toJSON());
    const dataset = net.dataset([[1e19]], [[0]]);
    const point = measurePoint(net, dataset, { epoch: 0, lambda: 0, k: 1, maxSteps: 20, seed: 1, massProbes: 0 });
    expect(JSON.stringify(net.toJSON())).toBe(before);
    const ops = new CurvatureOperators(net, dataset);
    const sides = point.probes.map((p) => [p.step, Number.isFinite(p.plus), Number.isFinite(p.minus)]);
    // The same sides overflow as lossAlong's along the same v (the probes' shortest steps finite, t = 3 not).
    expect(sides.at(-1)).toEqual([3, false, false]);
    expect(point.probes.at(-1)).toMatchObject({ plus: Infinity, minus: Infinity });
    for (const p of point.probes.slice(0, -1)) expect([p.plus, p.minus].every(Number.isFinite), JSON.stringify(p)).toBe(true);
    expect(ops.lossAlong(Float64Array.from([1, 0, 0, 0]), 3)).toBe(Infinity);
    ops.dispose();
    dataset.dispose();
    net.dispose();
  });

  it('measurePoint refuses a block network before measuring anything (INVALID_OPTION; weights unchanged)', async () => {
    const net = await createNetwork({ inputs: 3, loss: 'mse', layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2 }], backend: 'ref', seed: 1 });
    const x = toMatrix([[0.1, 0.2, 0.3], [1, -1, 0], [0.5, 0.5, -2]], 3, 'inputs');
    const y = toMatrix([[0, 1], [1, 0], [0.5, 0.5]], 2, 'targets');
    const before = JSON.stringify(net.toJSON());
    expect(() => measurePoint(net, net.dataset(x, y), { epoch: 0, lambda: 5, k: 1, maxSteps: 20, seed: 1, massProbes: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^study plateau supports dense layers only/) }));
    expect(JSON.stringify(net.toJSON())).toBe(before);
    net.dispose();
  });

  it('bad options: INVALID_OPTION', async () => {
    await expect(runPlateauStudy({ points: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(runPlateauStudy({ lambda: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
