// The plateau study's curvatureOf: 'loss' (the CLI's --curvature-of loss) measures the cross-entropy C
// alone at the weights that training on the objective C + (λ/2n)‖w‖² reached: measurePoint with λ = 0,
// the measurement docs/curvature.md rests "the cross-entropy alone is no minimum" on, which no command ran.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { MASS_PROBES } from '../../src/curvature/negative-mass.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS, firstRows, nielsenTraining } from '../../src/studies/depth.js';
import { measurePoint, PLATEAU_SIZES, runPlateauStudy } from '../../src/studies/plateau.js';
import { plateauTableKey } from '../../src/studies/plateau-table.js';
import { plateauSummary } from '../../src/studies/plateau-conclusion.js';
import { plateauReportSection, plateauRunSentence } from '../../src/studies/plateau-report.js';
import { READING_WIDTH, wrap } from '../../src/cli/prose.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

const SMALL = { epochs: 3, points: 2, rows: 30, maxSteps: 20, k: 1 } as const;

describe("study plateau's curvatureOf", () => {
  it("'loss': every point is measurePoint with λ = 0 on the weights trained with λ, bit for bit", { timeout: 60_000 }, async () => {
    const loss = await runPlateauStudy({ ...SMALL, curvatureOf: 'loss' });
    const objective = await runPlateauStudy(SMALL);
    expect(loss.curvatureOf).toBe('loss');
    expect(objective.curvatureOf).toBe('objective');
    expect(loss.lambda).toBe(5); // the training's λ, kept
    // The same training (its loss at every point), another function measured.
    expect(loss.points.map((p) => p.loss)).toEqual(objective.points.map((p) => p.loss));
    expect(loss.points.map((p) => p.objective)).toEqual(loss.points.map((p) => p.loss));
    expect(loss.points.map((p) => p.gradientNorm)).toEqual(objective.points.map((p) => p.lossGradientNorm));
    expect(loss.points.map((p) => p.smallest[0])).not.toEqual(objective.points.map((p) => p.smallest[0]));
    // The study's points, taken again by hand: the same network, rows and training, then measurePoint with λ = 0.
    const digits = await loadMnist();
    const data = firstRows(digits.train.x, digits.train.y, SMALL.rows);
    const net = await createNetwork({ sizes: PLATEAU_SIZES, seed: 1, ...DEPTH_NETWORK_OPTIONS });
    const dataset = net.dataset(data.x, data.y);
    try {
      const settings = (epoch: number) => ({ epoch, lambda: 0, k: SMALL.k, maxSteps: SMALL.maxSteps, seed: 1, massProbes: MASS_PROBES });
      const first = measurePoint(net, dataset, settings(0));
      net.train(dataset, { epochs: 3, ...nielsenTraining(data.x.rows, 5), trace: { every: 1 } });
      const last = measurePoint(net, dataset, settings(3));
      expect(loss.points).toEqual([first, last]);
    } finally {
      dataset.dispose();
      net.dispose();
    }
    // What it prints says what was measured: the key, the summary, the report and the diagnosis.
    expect(plateauTableKey(loss)).toMatch(/^‖∇f‖ = ‖∇C‖: every column measures f = C, the data loss alone/);
    expect(plateauTableKey(objective)).toMatch(/^‖∇f‖: the gradient of the objective f = C \+ \(λ\/2n\)‖w‖²/);
    expect(plateauSummary(loss)).toMatch(/confirmed by loss values, and some step t along ±v lowers the loss on both sides/);
    expect(plateauSummary(objective)).toMatch(/confirmed by objective values, and some step t along ±v lowers the objective on both sides/);
    expect(plateauReportSection(loss).text).toMatch(/The Hessian of the cross-entropy alone \(the L2 term left out\) by Lanczos/);
    // The report's section opens with the sentence the terminal prints (plateauRunSentence).
    expect(plateauReportSection(loss).text?.startsWith(`${plateauRunSentence(loss)} The Hessian of `)).toBe(true);
    expect(loss.diagnosis!.summary).not.toMatch(/the objective/);
    expect(objective.diagnosis!.summary).toMatch(/Curvature where the run stopped: .*the objective/);
  });

  it('refuses another value before any work (INVALID_OPTION; the CLI: usage error, exit 2)', async () => {
    await expect(runPlateauStudy({ curvatureOf: 'data' as never })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: 'plateau study: curvatureOf: expected one of objective, loss, got "data"' });
    const { code, stderr } = await runCliInProcess(['study', 'plateau', '--curvature-of', 'los']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/--curvature-of must be one of objective, loss, got 'los'/);
  });

  it('the command: --curvature-of loss says what it measured', { timeout: 60_000 }, async () => {
    const { code, stdout } = await runCliInProcess(['study', 'plateau', '--epochs', '0', '--points', '1', '--k', '1', '--curvature-of', 'loss']);
    expect(code).toBe(0);
    // (Its prose wraps at READING_WIDTH, in a file too: read across its lines.)
    const said = flat(stdout);
    expect(said).toMatch(/Curvature of the cross-entropy C alone \(the L2 term left out\);/);
    expect(said).toMatch(/ ‖∇f‖ = ‖∇C‖: every column measures f = C/);
    // Its opening is one paragraph wrapped at its words (three print calls broke its first sentence after 'digits,'), and
    // that sentence is the report's too (plateauRunSentence: the report said 'network' and not which digits).
    const run = { sizes: PLATEAU_SIZES, rows: 1000, learningRate: 0.1, lambda: 5, epochs: 0 };
    const opening = `${plateauRunSentence(run)} Curvature of the cross-entropy C alone (the L2 term left out); v = the eigenvector of λ_min, oriented downhill; t = step length along ±v.`;
    expect(stdout.startsWith(`${wrap(opening, READING_WIDTH, '')}\n\n`), stdout).toBe(true);
    expect(plateauRunSentence(run)).toBe("Nielsen's [784,30,30,30,30,10] sigmoid net, his init and cost; full-batch gradient descent on the first 1,000 digits, η = 0.1, L2 λ = 5 on the weights, 0 epochs.");
  });
});
