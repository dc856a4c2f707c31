/**
 * "Over depth or over training time?" where the batch gradient is sampling noise (newuser44 #2 and #4, fade44's open point). On
 * the visualizer's defaults (6 × 16 sigmoid, SGD 0.1, batches of 32, the spirals) the last hidden layer's batch ‖∂C/∂b‖ is, after
 * the first steps, about its per-example ‖δ‖/√32: the size of 32 gradients with no common direction. Its medians then fall as each
 * example's δ does, while the gradient of the mean loss falls far further. Read from a real run of those settings in Node: the
 * evidence (endNoise), the sentence that says so, and the gap between the two falls that the sentence is about.
 */
import { describe, expect, it } from 'vitest';
import { BATCH_NOISE_SHARE, diagnose, GRADIENT_FADED } from '../../src/flow/diagnose.js';
import { mostlyNoise, noiseShare } from '../../src/flow/diagnosis/evidence-readings.js';
import { createNetwork } from '../../src/api/network.js';
import { Trace } from '../../src/flow/trace.js';
import { numberText } from '../../src/number-text.js';
import { codeQuoteOn } from '../util/page-quotes.js';
import { planarDataset, probeOf, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS } from '../../demo/src/settings.js';

/** Epochs of the page's 280 training rows: 18,000 steps of 32 rows, past the first fall onto the plateau. */
const EPOCHS = 2000;

/** R of the rows `records` of `layer`, by BATCH_NOISE_SHARE's definition: √(Σ rows·‖∂C/∂b‖² ÷ Σ RMS ‖δ‖²). */
function ratioOf(trace: Trace, layer: number, records: number[]): number {
  let batch = 0;
  let examples = 0;
  for (const r of records) {
    batch += trace.batchRows[r] * trace.at('biasGradNorm', r, layer) ** 2;
    examples += trace.at('deltaRms', r, layer) ** 2;
  }
  return Math.sqrt(batch / examples);
}

/** The page's default network trained on its spirals (seed 1) for EPOCHS, traced every 50 steps, with the mean loss's ‖∂C/∂b‖ per layer on the page's 256 probe rows before and after. */
async function pageRun() {
  const all = planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise);
  const { train } = splitDataset(all, DEFAULTS.trainPercent);
  const net = await createNetwork(networkOptions(DEFAULTS, train.x.cols, train.classes));
  const probe = probeOf(train);
  const meanGradient = () => net.gradients(probe.x, probe.y).layers.map((l) => l.biasNorm);
  const before = meanGradient();
  const { trace } = net.train(train.x, train.y, { epochs: EPOCHS, batchSize: DEFAULTS.batchSize, learningRate: DEFAULTS.learningRate, trace: { every: 50 } });
  const after = meanGradient();
  net.dispose();
  return { trace, before, after, rows: probe.x.rows };
}

/** pageRun's run, trained once for the cases that read it. */
let trained: ReturnType<typeof pageRun> | undefined;
const pageRunOnce = () => (trained ??= pageRun());

describe('the batch gradient as sampling noise', () => {
  it("on the visualizer's defaults reads the last hidden layer's batch gradient as mostly noise, and says so with its ratio", async () => {
    const { trace, before, after } = await pageRunOnce();
    const d = diagnose(trace);
    const lastHidden = trace.layers - 2;
    const window = d.evidence.changeWindow;
    const ratio = ratioOf(trace, lastHidden, trace.fullBatchRecords().slice(-window));
    expect(d.evidence.endNoise).toEqual({ ratio, rows: DEFAULTS.batchSize });
    // 32 gradients with no common direction give R = 1 in expectation; all alike, √32 = 5.66.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(Math.sqrt((2 * DEFAULTS.batchSize) / (DEFAULTS.batchSize + 1)));
    expect(noiseShare(d.evidence.endNoise!)).toBeGreaterThan(BATCH_NOISE_SHARE);
    expect(mostlyNoise(d.evidence)).toBe(true);
    // What the sentence warns of, measured: the batch medians fell as each example's δ did, and the mean loss's gradient on fixed rows fell 5× more or further.
    const batchFall = 1 / d.evidence.lastHiddenChange;
    const meanFall = before[lastHidden] / after[lastHidden];
    expect(meanFall).toBeGreaterThan(5 * batchFall);
    expect(batchFall / (1 / d.evidence.lastHiddenDeltaChange)).toBeGreaterThan(1 / 3);
    expect(batchFall / (1 / d.evidence.lastHiddenDeltaChange)).toBeLessThan(3);
    expect(d.evidence.training?.state).toBe('plateau');
    // A paragraph of its own after where the run stands (prose54: with it that paragraph ran 280 words).
    expect(d.paragraphs.find((p) => p.startsWith("The last hidden layer's ‖∂C/∂b‖ is taken over a batch"))).toContain(
      `The last hidden layer's ‖∂C/∂b‖ is taken over a batch of 32 rows, and at the end it is mostly sampling noise: it was ${numberText(ratio)}× its per-example ‖δ‖/√32 ` +
        `(root mean square over the last ${window} full batches' records; 32 examples' gradients with no common direction give 1×, all alike √32 = 5.66×). ` +
        `So it follows each example's δ, which fell ${numberText(1 / d.evidence.lastHiddenDeltaChange)}×, and the gradient of the mean loss can have fallen far below it unseen`,
    );
    // The API's route first (newuser48 #6: the only one in a browser), then the command's.
    expect(d.summary).toContain("(`biasNormsPerRow(trace, net.gradients(x, y))` at the run's two ends, given to `diagnose(trace, { meanLossGradient: { rows, start, end } })`, which then reads it; or `gradscope gradients --model FILE` of two saved models).");
  }, 60_000);

  it("where that noisy batch gradient did not fall, says the batch's did not, not that the gradients did not fade (review45 #13)", async () => {
    const { trace: run } = await pageRunOnce();
    const trace = Trace.fromJSON(JSON.parse(JSON.stringify(run)));
    const lastHidden = trace.layers - 2;
    const window = diagnose(trace).evidence.changeWindow;
    // The last window's batch gradients and per-example δ alike 3× their fall: the medians end above their start, R as it was.
    const k = 3 / diagnose(trace).evidence.lastHiddenChange;
    for (const r of trace.fullBatchRecords().slice(-window)) {
      for (const metric of ['biasGradNorm', 'deltaRms'] as const) trace.set(metric, r, lastHidden, k * trace.at(metric, r, lastHidden));
    }
    const d = diagnose(trace);
    expect(d.evidence.lastHiddenChange).toBeCloseTo(3, 10);
    expect(d.evidence.endNoise!.ratio).toBeCloseTo(diagnose(run).evidence.endNoise!.ratio, 10);
    expect(mostlyNoise(d.evidence)).toBe(true);
    expect(d.evidence.training?.state).toBe('plateau');
    expect(d.summary).toContain(
      `the last hidden layer's batch ‖∂C/∂b‖ did not fall over training time: it ended at ${numberText(d.evidence.lastHiddenChange)}× its start (medians over the first and the last ${window} full batches' records)`,
    );
    expect(d.summary).toContain(". The last hidden layer's ‖∂C/∂b‖ is taken over a batch of 32 rows, and at the end it is mostly sampling noise");
    expect(d.summary).not.toContain('did not fade');
  }, 60_000);

  it("given the mean loss's gradient over the page's probe rows at the run's ends (meanLossGradient), reads over training time from it, and says the batch's beside it", async () => {
    const { trace, before, after, rows } = await pageRunOnce();
    const lastHidden = trace.layers - 2;
    const batch = diagnose(trace);
    const d = diagnose(trace, { meanLossGradient: { rows, start: before, end: after } });
    // As docs/gradient-flow.md writes the call.
    expect(codeQuoteOn('docs/gradient-flow.md', 'diagnose(trace, { meanLossGradient')).toBe('diagnose(trace, { meanLossGradient: { rows, start, end } })');
    const meanFall = before[lastHidden] / after[lastHidden];
    expect(rows).toBe(256);
    expect(d.evidence.meanLossChange).toEqual({ change: after[lastHidden] / before[lastHidden], rows });
    // At 18,000 steps the mean loss's fell some 20×: short of fading, but ten times the batch medians' fall, which is what the clause now rests on.
    expect(meanFall).toBeGreaterThan(5 / batch.evidence.lastHiddenChange);
    expect(meanFall).toBeLessThan(1 / GRADIENT_FADED);
    expect([d.verdict, d.evidence.lastHiddenChange, d.evidence.endNoise]).toEqual([batch.verdict, batch.evidence.lastHiddenChange, batch.evidence.endNoise]);
    expect(d.summary).toContain(`the last hidden layer's ‖∂C/∂b‖ of the mean loss over 256 fixed rows fell ${numberText(meanFall)}× over training time (from the run's start to its end), less than the 100× this diagnosis calls fading`);
    expect(d.summary).toContain(
      `. Its batch ‖∂C/∂b‖ (a batch of 32 rows, what the steps use) fell ${numberText(1 / batch.evidence.lastHiddenChange)}× (medians over the first and the last ${batch.evidence.changeWindow} full batches' records): ` +
        `at the end mostly sampling noise, ${numberText(batch.evidence.endNoise!.ratio)}× its per-example ‖δ‖/√32`,
    );
    expect(d.summary).toContain("it follows each example's δ, not the gradient of the mean loss.");
    // The question is answered: no pointer to measure it.
    expect(d.summary).not.toContain('can have fallen far below it unseen');
    expect(batch.summary).toContain('can have fallen far below it unseen');
    // Past GRADIENT_FADED the gradient faded over training time: said with the mean loss's fall, and the batch's beside it.
    const faded = diagnose(trace, { meanLossGradient: { rows, start: before, end: after.map((v) => v / 10) } });
    expect(faded.evidence.meanLossChange!.change).toBeLessThan(GRADIENT_FADED);
    expect(faded.summary).toContain(`the last hidden layer's ‖∂C/∂b‖ of the mean loss over 256 fixed rows fell ${numberText(10 * meanFall)}× (from the run's start to its end)`);
    // A second effect beside the gap over depth, not the vanishing gradient going on in time (lecturer52 #2): each example's δ fell 1.71×, their mean's gradient 203×.
    expect(faded.summary).toContain("the gradient of the mean loss also fell over training time (above), besides the gap over depth, for another reason: the examples' gradients cancel in their mean. Its batch ‖∂C/∂b‖ (a batch of 32 rows");
    expect(batch.summary).not.toContain('fell over training time (above)');
  }, 60_000);

  it('refuses a meanLossGradient that is not one number per trace row at each end, before reading anything', async () => {
    const { trace, before, after, rows } = await pageRunOnce();
    const where = 'diagnose(trace, options): meanLossGradient';
    const refused = (meanLossGradient: unknown) => () => diagnose(trace, { meanLossGradient } as never);
    expect(refused({ rows, start: before.slice(1), end: after })).toThrow(`${where}.start: expected ‖∂C/∂b‖ of the mean loss for each of the trace's ${trace.layers} rows, got ${trace.layers - 1} entries`);
    expect(refused({ rows, start: before, end: 3 })).toThrow(`${where}.end: expected ‖∂C/∂b‖ of the mean loss for each of the trace's ${trace.layers} rows, got 3`);
    expect(refused({ rows, start: before, end: after.map((v, i) => (i === 2 ? -v : v)) })).toThrow(`${where}.end[2]: expected a finite number ≥ 0 (or NaN for a row without a bias), got -`);
    expect(refused({ rows: 0, start: before, end: after })).toThrow(`${where}.rows: expected a whole number ≥ 1, got 0`);
    expect(refused({ rows, start: before, end: after, step: 3 })).toThrow(/meanLossGradient/);
    for (const bad of [{ rows, start: before, end: after.map(() => Infinity) }, null]) expect(refused(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    // NaN stands for a row without a bias: taken, and where the last hidden layer's is NaN the batch medians are read.
    const unread = diagnose(trace, { meanLossGradient: { rows, start: before.map(() => NaN), end: after } });
    expect(unread.evidence.meanLossChange).toBeUndefined();
    expect(unread.summary).toBe(diagnose(trace).summary);
  });

  it('reads a batch whose examples agree as no noise, and a full-batch run not at all', async () => {
    // Every row of one class: each example pushes the output the same way, so the batch gradient is each example's (R near √rows).
    const x = Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)]);
    const y = x.map(() => [1, 0]);
    const net = await createNetwork({ sizes: [2, 8, 8, 2], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    const { trace } = net.train(x, y, { epochs: 3, batchSize: 16, learningRate: 0.1, trace: { every: 1 } });
    const d = diagnose(trace);
    expect(d.evidence.endNoise!.ratio).toBeGreaterThan(0.9 * Math.sqrt(16));
    expect(noiseShare(d.evidence.endNoise!)).toBeLessThan(BATCH_NOISE_SHARE);
    expect(mostlyNoise(d.evidence)).toBe(false);
    expect(d.summary).not.toContain('mostly sampling noise');
    // One batch of every row: nothing is sampled.
    const { trace: full } = net.train(x, y, { epochs: 20, batchSize: 64, learningRate: 0.1, trace: { every: 1 } });
    expect(diagnose(full).evidence.endNoise).toBeUndefined();
    // Batches of one row: the batch gradient is the example's, with no spread to read.
    const { trace: single } = net.train(x.slice(0, 8), y.slice(0, 8), { epochs: 2, batchSize: 1, learningRate: 0.1, trace: { every: 1 } });
    expect(diagnose(single).evidence.endNoise).toBeUndefined();
    net.dispose();
  });
});
