// Study (b) reads its sigmoid runs against Glorot & Bengio's Figure 2 (the top hidden layer's mean
// activation falling to 0): the reading is the trace's own numbers, "at 0" is where the layer's mean
// σ' is at most a quarter of its maximum, which the 0.01 band of the "saturated" column misses, and
// the figures README and docs/studies.md quote are the ones these runs compute.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/index.js';
import { PRIME_MAX, SATURATION_MARGIN } from '../../src/flow/metrics.js';
import { runActivationStudy } from '../../src/studies/activations.js';
import { AT_ZERO_PRIME_WORDS, glorotSaturationReading, TOP_LAYER_AT_ZERO, topLayerSaturation } from '../../src/studies/activations-saturation.js';
import { MAIN_JOB_ACTIVATIONS } from '../../src/cli/commands/main-job.js';
import { unitFailureNote } from '../../src/cli/commands/study-activations.js';
import { flat } from '../util/printed-text.js';

const readme = flat(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
const studies = flat(readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8'));

describe('TOP_LAYER_AT_ZERO', () => {
  it("is the mean activation where σ' = a(1 − a) is a quarter of its maximum, outside the saturated column's 0.01 band", () => {
    expect(TOP_LAYER_AT_ZERO * (1 - TOP_LAYER_AT_ZERO)).toBeCloseTo(PRIME_MAX.sigmoid / 4, 12);
    expect(TOP_LAYER_AT_ZERO.toFixed(3)).toBe('0.067');
    expect(AT_ZERO_PRIME_WORDS).toBe('1/16, 25 % of its maximum');
    // The blind spot the column's note names: a layer at this mean is far outside the band it counts.
    expect(TOP_LAYER_AT_ZERO).toBeGreaterThan(SATURATION_MARGIN);
    expect(flat(unitFailureNote())).toContain(`a sigmoid layer whose units all sit at 0.067 (σ' 1/16, 25 % of its maximum) reads 0 %`);
  });
});

describe('topLayerSaturation', () => {
  it("reads the top hidden layer's activationMean at the first, the last full batch's and the lowest record, and the layers below at the end", async () => {
    const net = await createNetwork({ sizes: [6, 8, 8, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 3 });
    const x = { data: Float32Array.from({ length: 25 * 6 }, (_, i) => Math.sin(i)), rows: 25, cols: 6 };
    const y = { data: Float32Array.from({ length: 25 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), rows: 25, cols: 3 };
    // 25 rows in batches of 10: each epoch ends on a 5-row batch, which the last full batch's record leaves out.
    net.train(x, y, { epochs: 4, batchSize: 10, learningRate: 2, trace: { every: 1 } });
    const trace = net.trace!;
    const s = topLayerSaturation(trace)!;
    const last = trace.lastFullBatchRecord()!;
    expect(last).toBe(trace.length - 2);
    const mean = (r: number, l = 1) => trace.at('activationMean', r, l);
    expect(s.first).toEqual({ step: 1, mean: mean(0) });
    expect(s.last).toEqual({ step: trace.steps[last], mean: mean(last) });
    const full = trace.fullBatchRecords().filter((r) => r <= last);
    expect(s.lowest.mean).toBe(Math.min(...full.map((r) => mean(r))));
    expect(s.below).toEqual({ low: mean(last, 0), high: mean(last, 0) });
    const zero = full.find((r) => mean(r) <= TOP_LAYER_AT_ZERO);
    expect(s.atZero).toEqual(zero === undefined ? undefined : { step: trace.steps[zero], mean: mean(zero) });
    net.dispose();
  });

  it('reads sigmoid hidden layers only', async () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const net = await createNetwork({ sizes: [2, 4, 2], activation, output: 'softmax', loss: 'cross-entropy', seed: 1 });
      net.train({ data: new Float32Array([0, 1, 1, 0]), rows: 2, cols: 2 }, { data: new Float32Array([1, 0, 0, 1]), rows: 2, cols: 2 }, { epochs: 1, trace: { every: 1 } });
      expect(topLayerSaturation(net.trace!)).toBeUndefined();
      net.dispose();
    }
  });
});

describe("study (b)'s reading against Glorot & Bengio's Figure 2", () => {
  it("npm start's study (b): each sigmoid run's top hidden layer falls to about 0.3 in its one epoch, not to 0, as README and docs/studies.md say", async () => {
    const result = await runActivationStudy({ ...MAIN_JOB_ACTIVATIONS, activations: ['sigmoid'] });
    const said = result.runs.map((r) => {
      const s = topLayerSaturation(r.trace!)!;
      expect(s.atZero, r.label).toBeUndefined();
      return `${r.init} ${s.first.mean.toFixed(2)} → ${s.last.mean.toFixed(2)}`;
    });
    expect(said).toEqual(['standard 0.51 → 0.32', 'glorot-uniform 0.52 → 0.32', 'he-normal 0.50 → 0.30']);
    const reading = glorotSaturationReading(result);
    expect(reading).toContain('sigmoid + standard 0.51 → 0.32 (layers below 0.50–0.52);');
    expect(reading).toContain("Not reproduced in 900 updates: the standard init's top hidden layer did not reach 0 (a mean ≤ 0.067) by its last step, though it fell towards it.");
    expect(readme).toContain("the sigmoid's top hidden layer's mean activation (their measure) falls 0.51 → 0.32, not to 0 (Glorot & Bengio's");
    expect(studies).toContain('It falls 0.51 → 0.32 in the one epoch of `npm start` (seed 1, 2026-12-07 at 8c1c47e4; glorot-uniform 0.52 → 0.32, he-normal 0.50 → 0.30), the layers below staying at 0.50–0.52');
  }, 120_000);

  it("study (c)'s 5-layer plateau network (64 units, SGD 0.5, batch 32): its top hidden layer is at 0 within the 1× budget, as docs/studies.md says", async () => {
    // Study (b)'s code with study (c)'s budget sweep's settings: [784, 5 × 64, 10] sigmoid, standard init, seed 1, 10 epochs (2,820 steps).
    const result = await runActivationStudy({ width: 64, batchSize: 32, learningRate: 0.5, epochs: 10, activations: ['sigmoid'], inits: ['standard'] });
    const s = topLayerSaturation(result.runs[0].trace!)!;
    expect(s.atZero).toBeDefined();
    expect(glorotSaturationReading(result)).toContain(`Reproduced: the standard init's top hidden layer reached 0 (a mean ≤ 0.067) at step ${s.atZero!.step.toLocaleString('en-US')}.`);
    const said = `its top hidden layer's mean activation fell ${s.first.mean.toFixed(2)} → ${s.last.mean.toFixed(3)} within the 1× budget (at 0 from step ${s.atZero!.step.toLocaleString('en-US')})`;
    expect(studies).toContain(said);
  }, 120_000);

  it('is empty without a sigmoid run, and says so where the standard init is left out', async () => {
    const tiny = { width: 4, epochs: 1, trainRows: 20, testRows: 10 };
    expect(glorotSaturationReading(await runActivationStudy({ ...tiny, activations: ['tanh'], inits: ['standard'] }))).toBe('');
    expect(glorotSaturationReading(await runActivationStudy({ ...tiny, activations: ['sigmoid'], inits: ['he-normal'] }))).toContain('Their figure is of the standard init, which this run left out.');
  }, 120_000);
});
