/**
 * The gradient-flow trace on every backend: each metric against an independent float64
 * computation from the network's own tensors (gradients, activations, weights), the chain-rule
 * bound, the record schedule, CSV/JSON, and refusal of bad options before anything changes.
 */
import { describe, expect, it } from 'vitest';
import { Trace } from '../../src/flow/trace.js';
import { SGD_LEARNING_RATE } from '../../src/optim/sgd.js';
import { checkTraceOptions } from '../../src/flow/recorder.js';
import { isReluFamily, isSaturating, LATER_METRICS, LAYER_METRIC_NAMES, SATURATION_MARGIN } from '../../src/flow/metrics.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { activationPrime } from '../../src/ref/activations.js';
import type { Activation } from '../../src/kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { denseModelOf } from '../../src/model.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { EPOCH_CELLS } from '../util/trace-csv.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const rng = new Rng(21);
const ROWS = 48;
const x = Array.from({ length: ROWS }, () => Array.from({ length: 12 }, () => rng.normal()));
const y = x.map((row) => {
  const t = [0, 0, 0];
  t[(row[0] > 0 ? 1 : 0) + (row[1] > 0.5 ? 1 : 0)] = 1;
  return t;
});
const OPTIONS: NetworkOptions = {
  layers: [{ units: 9, activation: 'tanh' }, { units: 7, activation: 'sigmoid' }, { units: 5, activation: 'relu' }, { units: 3 }],
  inputs: 12,
  output: 'softmax',
  loss: 'cross-entropy',
  init: 'glorot-uniform',
  biasInit: { name: 'normal', std: 0.5 },
  seed: 9,
};
const LEARNING_RATE = 0.3;

/** The f64 truth for the first traced step of a full-batch run: from a ref network in the same state. */
async function truth() {
  const ref = await createNetwork({ ...OPTIONS, backend: 'ref' });
  const gradients = ref.gradients(x, y); // leaves zs, activations, deltas of the whole batch in place
  const k = ref.kernels;
  const layers = gradients.layers.map((g, l) => {
    const w = Float64Array.from(k.view(ref.weights[l]));
    const z = Float64Array.from(k.view(denseModelOf(ref, 'test').zs[l])).subarray(0, ROWS * g.units);
    const a = Float64Array.from(k.view(denseModelOf(ref, 'test').activations[l + 1])).subarray(0, ROWS * g.units);
    const delta = Float64Array.from(k.view(denseModelOf(ref, 'test').deltas[l])).subarray(0, ROWS * g.units);
    return { g, w, z, a, delta, nIn: g.inputs, nOut: g.units, f: ref.activationFunctions[l] };
  });
  ref.dispose();
  return layers;
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** ‖W‖₂ by 500 power iterations in plain float64, independent of the kernels. */
function spectralNorm(w: Float64Array, nIn: number, nOut: number): number {
  let v = Float64Array.from({ length: nIn }, (_, i) => 1 + i / nIn);
  let sigma = 0;
  for (let it = 0; it < 500; it++) {
    const u = Float64Array.from({ length: nOut }, (_, j) => v.reduce((s, vi, i) => s + w[j * nIn + i] * vi, 0));
    const next = Float64Array.from({ length: nIn }, (_, i) => u.reduce((s, uj, j) => s + w[j * nIn + i] * uj, 0));
    const n = norm(next);
    sigma = Math.sqrt(n / norm(v));
    v = next.map((e) => e / n);
  }
  return sigma;
}

describe.each(await kernelBackends())('trace on $name', ({ name, kernels }) => {
  const tolerance = kernels.precision === 'f64' ? 1e-9 : 2e-4;

  it('records each metric of the first step as an independent float64 computation gives it', async () => {
    const layers = await truth();
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    net.train(x, y, { epochs: 1, batchSize: ROWS, learningRate: LEARNING_RATE, trace: { every: 1 } });
    const t = net.trace!;
    expect(t.length).toBe(1);
    const want = (fn: (l: (typeof layers)[number]) => number) => layers.map(fn);
    const check = (metric: Parameters<Trace['row']>[0], values: number[], tol = tolerance) =>
      expectClose(t.row(metric, 0), values, { rel: tol, abs: 1e-12 }, `${name} ${metric}`);
    check('weightGradNorm', want((l) => l.g.weightNorm));
    check('biasGradNorm', want((l) => l.g.biasNorm));
    check('weightGradMeanAbs', want((l) => l.g.weights.reduce((s, v) => s + Math.abs(v), 0) / l.g.weights.length));
    check('weightGradMaxAbs', want((l) => l.g.weights.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    check('weightNorm', want((l) => norm(l.w)));
    // Plain SGD: ΔW = −η∇W, so the ratio is η‖∇W‖/‖W‖.
    check('updateRatio', want((l) => (LEARNING_RATE * l.g.weightNorm) / norm(l.w)));
    // deltas hold ∂(mean C)/∂z, δₓ/ROWS per row: the RMS of the per-example δₓ is √ROWS · ‖deltas‖.
    check('deltaRms', want((l) => Math.sqrt(ROWS) * norm(l.delta)));
    check('activationMean', want((l) => l.a.reduce((s, v) => s + v, 0) / l.a.length));
    check('activationStd', want((l) => {
      const mean = l.a.reduce((s, v) => s + v, 0) / l.a.length;
      return Math.sqrt(l.a.reduce((s, v) => s + (v - mean) ** 2, 0) / l.a.length);
    }), Math.max(tolerance, 1e-6));
    check('spectralNorm', want((l) => spectralNorm(l.w, l.nIn, l.nOut)), 1e-4);
    // The percentile comes from a 256-bin histogram: within one bin of the sorted value.
    layers.forEach((l, i) => {
      const sorted = Array.from(l.a).sort((p, q) => p - q);
      const exact = sorted[Math.ceil(0.98 * sorted.length) - 1];
      const bin = (sorted[sorted.length - 1] - sorted[0]) / 256;
      expect(Math.abs(t.at('activationP98', 0, i) - exact), `${name} p98 layer ${i}`).toBeLessThanOrEqual(bin * 1.01 + 1e-7);
    });
    // σ' statistics: hidden layers only (the output is softmax: NaN by definition). Saturation by
    // value for tanh and sigmoid (a within 0.01 of a limit); inactivity and dead units for relu.
    const LIMITS: Record<string, [number, number]> = { sigmoid: [0, 1], tanh: [-1, 1] };
    layers.slice(0, -1).forEach((l, i) => {
      const f = l.f as Activation;
      const primes = Array.from(l.z, (z, j) => activationPrime[f](z, l.a[j]));
      expect(t.at('meanPrime', 0, i), `${name} meanPrime ${i}`).toBeCloseTo(primes.reduce((s, p) => s + p, 0) / primes.length, 4);
      expect(t.at('maxPrime', 0, i), `${name} maxPrime ${i}`).toBeCloseTo(Math.max(...primes), 4);
      if (isSaturating(f)) {
        const [lo, hi] = LIMITS[f];
        const near = Array.from(l.a).filter((a) => a < lo + SATURATION_MARGIN || a > hi - SATURATION_MARGIN).length;
        expect(t.at('saturatedFraction', 0, i), `${name} saturated ${i}`).toBeCloseTo(near / l.a.length, 6);
        expect(t.at('deadFraction', 0, i)).toBeNaN();
      }
      if (isReluFamily(f)) {
        const inactive = Array.from(l.z, (z) => z <= 0);
        expect(t.at('inactiveFraction', 0, i), `${name} inactive ${i}`).toBeCloseTo(inactive.filter(Boolean).length / inactive.length, 6);
        const dead = Array.from({ length: l.nOut }, (_, j) => inactive.every((off, r) => r % l.nOut !== j || off)).filter(Boolean).length;
        expect(t.at('deadFraction', 0, i), `${name} dead ${i}`).toBeCloseTo(dead / l.nOut, 6);
        expect(t.at('saturatedFraction', 0, i)).toBeNaN();
      }
    });
    expect(t.at('meanPrime', 0, 3)).toBeNaN();
    // The chain-rule factor, and the bound it must respect (δ^l = σ'(z^l) ⊙ W^{l+1}ᵀδ^{l+1}).
    for (let l = 0; l < 3; l++) {
      const factor = norm(layers[l].delta) / norm(layers[l + 1].delta);
      expect(t.at('chainFactor', 0, l) / factor, `${name} chainFactor ${l}`).toBeCloseTo(1, 3);
    }
    expect(expectTraceInvariants(t, name)).toBe(3);
    expect(t.at('chainFactor', 0, 3)).toBeNaN();
    // Histograms of δ at step 1: every value of every layer counted once.
    expect(t.histograms.map((h) => h.step)).toEqual([1]);
    t.histograms[0].counts.forEach((c, l) => expect(c.reduce((s, v) => s + v, 0), `histogram ${l}`).toBe(ROWS * layers[l].nOut));
    // Each layer over its own range, ± its largest |δ|, so a small layer's δ spreads over the bins too.
    const [histogram] = t.histograms;
    layers.forEach((l, i) => {
      const largest = Math.max(...Array.from(l.delta, Math.abs));
      expect(histogram.hi[i] / largest, `histogram range ${i}`).toBeCloseTo(1, 5);
      expect(histogram.lo[i]).toBe(-histogram.hi[i]);
      expect(histogram.counts[i].filter((c) => c > 0).length, `bins used by layer ${i}`).toBeGreaterThan(3);
    });
    net.dispose();
  });

  it('records every k-th step from the first, across epochs, and frees its buffers after training', async () => {
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    const bytes = () => ('bytesInUse' in kernels ? (kernels as { bytesInUse: number }).bytesInUse : 0);
    // A first traced run leaves only what the backend keeps for reuse (batch buffers, kernel scratch) …
    net.train(x, y, { epochs: 1, batchSize: 10, learningRate: 0.1, trace: {} });
    const before = bytes();
    net.train(x, y, { epochs: 3, batchSize: 10, learningRate: 0.1, trace: { every: 4, refreshEvery: 2, histogramSteps: [6, 14] } });
    const t = net.trace!;
    // … and the second, with the network at step 5, records steps 6, 10, 14, 18 of its 15.
    expect(Array.from(t.steps)).toEqual([6, 10, 14, 18]);
    expect(t.histograms.map((h) => h.step)).toEqual([6, 14]);
    // refreshEvery 2: ‖W‖₂, its bound and the percentile on records 0 and 2 only, never carried over
    // to a record whose weights have moved on.
    for (const metric of ['spectralNorm', 'chainBound', 'activationP98'] as const) {
      expect([0, 1, 2, 3].map((r) => Number.isNaN(t.at(metric, r, 1))), `${name} ${metric}`).toEqual([false, true, false, true]);
    }
    for (const metric of ['weightGradNorm', 'updateRatio', 'chainFactor'] as const) {
      expect(Array.from(t.series(metric, 0)).every(Number.isFinite), `${name} ${metric} finite`).toBe(true);
    }
    expectTraceInvariants(t, name);
    if ('bytesInUse' in kernels) expect(bytes(), 'trace buffers freed').toBe(before);
    net.dispose();
  });

  it("records extraSteps beside the grid, each at its own step, its update measured as the grid's", async () => {
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    // 3 epochs of 5 batches (each epoch's 5th of 8 rows: steps 5, 10, 15): every 4th step from the first is 1, 5, 9, 13, which misses the last, 15;
    // extraSteps adds it and step 2 (right after a record: its update is measured at once, as off the grid of every 4);
    // step 99 is never taken. A histogram step off the grid (3) is recorded too, as extraSteps records one (it was dropped in silence).
    net.train(x, y, { epochs: 3, batchSize: 10, learningRate: LEARNING_RATE, trace: { every: 4, extraSteps: [99, 15, 2], histogramSteps: [15, 3] } });
    const t = net.trace!;
    expect(Array.from(t.steps)).toEqual([1, 2, 3, 5, 9, 13, 15]);
    expect(Array.from(t.batchRows)).toEqual([10, 10, 10, 8, 10, 10, 8]);
    expect(t.histograms.map((h) => h.step)).toEqual([3, 15]);
    for (let r = 0; r < t.length; r++) {
      for (let l = 0; l < t.layers; l++) {
        const want = (LEARNING_RATE * t.at('weightGradNorm', r, l)) / t.at('weightNorm', r, l);
        expect(t.at('updateRatio', r, l) / want, `${name} record ${r} (step ${t.steps[r]}) layer ${l}`).toBeCloseTo(1, 3);
      }
    }
    expectTraceInvariants(t, `${name} extraSteps`);
    // Read back from its JSON with its records where they were taken.
    expect(Array.from(Trace.fromJSON(JSON.parse(JSON.stringify(t.toJSON()))).steps)).toEqual([1, 2, 3, 5, 9, 13, 15]);
    net.dispose();
  });

  it('measures the update of every step, whether the next record or the end of training settles it', async () => {
    // Plain SGD: ‖ΔW‖ = η‖∇W‖ exactly, step by step; every 1 defers the measurement, every 2 does not.
    for (const every of [1, 2]) {
      const net = await createNetwork({ ...OPTIONS, backend: kernels });
      net.train(x, y, { epochs: 2, batchSize: 16, learningRate: LEARNING_RATE, trace: { every } });
      const t = net.trace!;
      expect(t.length).toBe(every === 1 ? 6 : 3);
      expectTraceInvariants(t, `${name} every ${every}`);
      for (let r = 0; r < t.length; r++) {
        for (let l = 0; l < t.layers; l++) {
          const want = (LEARNING_RATE * t.at('weightGradNorm', r, l)) / t.at('weightNorm', r, l);
          expect(t.at('updateRatio', r, l) / want, `${name} every ${every} record ${r} layer ${l}`).toBeCloseTo(1, 3);
        }
      }
      net.dispose();
    }
  });

  it('exports CSV and JSON, and reads its JSON back', async () => {
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    net.train(x, y, { epochs: 1, batchSize: 16, trace: {} });
    const t = net.trace!;
    const csv = t.toCSV().trim().split('\n');
    // A dense network's trace records no batch norm's flatFraction, which it then leaves out (LATER_METRICS): the file reads as one saved before it.
    const recorded = LAYER_METRIC_NAMES.filter((name) => !(LATER_METRICS as readonly string[]).includes(name));
    expect(csv[0].split(',')).toEqual(['step', 'epoch', 'layer', 'loss', 'accuracy', 'batchRows', ...recorded, ...EPOCH_CELLS]);
    // A line per record and layer, and one for the epoch after them (test/flow/trace-csv.test.ts reads both kinds back).
    expect(csv.length).toBe(1 + t.length * t.layers + 1);
    const line = csv[1 + 1 * t.layers + 2].split(','); // record 1, layer 2
    expect(Number(line[0])).toBe(t.steps[1]);
    expect(Number(line[6 + LAYER_METRIC_NAMES.indexOf('biasGradNorm')])).toBe(t.at('biasGradNorm', 1, 2));
    const back = Trace.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
    expect(back.toCSV()).toBe(t.toCSV());
    expect(back.histograms).toEqual(t.histograms);
    expect(back.run).toEqual({ optimizer: 'sgd', learningRate: SGD_LEARNING_RATE, batchSize: 16, rows: ROWS, init: 'glorot-uniform', biasInit: { name: 'normal', std: 0.5 }, targets: 'one-hot', classRows: t.run.classRows });
    // The training rows of each class (chance is read from them): one count per output, every row counted.
    expect([t.run.classRows?.length, t.run.classRows?.reduce((a, b) => a + b)]).toEqual([t.sizes.at(-1), ROWS]);
    expect(() => Trace.fromJSON({ ...t.toJSON(), version: 1 })).toThrow(/version 1 is not readable/);
    expectTraceInvariants(t, name);
    // A version-2 trace held one histogram range for all layers: it is read as every layer's range.
    const v2 = { ...t.toJSON(), version: 2, histograms: [{ step: 1, lo: -0.5, hi: 0.5, counts: t.histograms[0].counts.map((c) => Array.from(c)) }] };
    expect(Trace.fromJSON(v2).histograms[0].hi).toEqual(Array(t.layers).fill(0.5));
    net.dispose();
  });
});

describe('trace options', () => {
  it.each([{ every: 0 }, { every: 1.5 }, { refreshEvery: -1 }, { histogramSteps: [0] }, { extraSteps: [0] }, { extraSteps: 900 }, { extraSteps: [2.5] }, null])('refuses %j before training changes anything', async (trace) => {
    const net: Network = await createNetwork({ ...OPTIONS, backend: 'ref' });
    const weights = Float64Array.from(net.kernels.view(net.weights[0]));
    expect(() => net.train(x, y, { trace: trace as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(Float64Array.from(net.kernels.view(net.weights[0]))).toEqual(weights);
    expect(net.step).toBe(0);
    expect(net.trace).toBeUndefined();
  });

  it("records docs/api.md's example: a 900-step call traced every 45th misses its last, which extraSteps adds", async () => {
    const example = codeQuoteOn('docs/api.md', '{ every: 45, extraSteps: [900] }');
    expect(example).toBe('{ every: 45, extraSteps: [900] }');
    const net = await createNetwork({ ...OPTIONS, backend: 'ref' });
    // One full batch an epoch: 900 epochs are 900 steps.
    net.train(x, y, { epochs: 900, batchSize: ROWS, learningRate: 0.01, trace: { every: 45, extraSteps: [900] } });
    const grid = Array.from({ length: 20 }, (_, i) => 1 + 45 * i);
    expect(grid.at(-1)).toBe(856);
    expect(Array.from(net.trace!.steps)).toEqual([...grid, 900]);
    net.dispose();
  });

  it('refreshes ‖W‖₂ about every 10 steps by default: every 10th record when tracing every step, every record from every 10th step', () => {
    expect(checkTraceOptions({}).refreshEvery).toBe(10);
    expect(checkTraceOptions({ every: 5 }).refreshEvery).toBe(2);
    expect(checkTraceOptions({ every: 50 }).refreshEvery).toBe(1);
    expect(checkTraceOptions({ every: 50, refreshEvery: 3 }).refreshEvery).toBe(3);
  });

  it('sets every bound of a sparse trace beside its own weights: with every 20, each record has its ‖W‖₂', async () => {
    const net = await createNetwork({ ...OPTIONS, backend: 'ref' });
    net.train(x, y, { epochs: 20, batchSize: 16, learningRate: 0.5, trace: { every: 20 } });
    const t = net.trace!;
    expect(Array.from(t.steps)).toEqual([1, 21, 41]);
    for (let r = 0; r < t.length; r++) expect(Array.from(t.row('chainBound', r)).slice(0, 3).every(Number.isFinite), `record ${r}`).toBe(true);
    expect(expectTraceInvariants(t, 'every 20')).toBe(9);
    net.dispose();
  });

  it('is absent without the option', async () => {
    const net = await createNetwork({ ...OPTIONS, backend: 'ref' });
    net.train(x, y, { epochs: 1 });
    expect(net.trace).toBeUndefined();
  });
});

describe('which rows a trace records a metric in', () => {
  it('every row of a dense network; in a block network, ‖∂C/∂b‖ where there is a b and the W metrics where there is a W', () => {
    const dense = new Trace({ sizes: [2, 3, 3, 2], activations: ['tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1 });
    expect(dense.rowsRecording('biasGradNorm')).toEqual([0, 1, 2]);
    const types = ['dense', 'batch-norm', 'activation', 'residual', 'dense', 'layer-norm', 'dense'] as const;
    const blocks = new Trace({
      sizes: [2, 4, 4, 4, 4, 4, 4, 2],
      activations: ['linear', 'linear', 'relu', 'linear', 'linear', 'linear', 'softmax'],
      loss: 'cross-entropy',
      every: 1,
      blocks: { layers: types.map((type, l) => ({ name: String(l), type })), residuals: [{ name: '3', gate: 'rezero' }] },
    });
    expect(blocks.rowsRecording('biasGradNorm')).toEqual([0, 1, 4, 5, 6]);
    expect(blocks.rowsRecording('weightGradNorm')).toEqual([0, 1, 3, 4, 5, 6]);
    expect(blocks.recordsMetric('weightNorm', 2)).toBe(false);
    expect(() => blocks.recordsMetric('biasGradNorm', 7)).toThrow(/layer 7 out of range/);
  });
});
