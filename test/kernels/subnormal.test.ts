/**
 * float32's subnormal numbers (below 2⁻¹²⁶ ≈ 1.18e-38) on every backend against the float64 oracle.
 * WebAssembly has no flush-to-zero mode, so the wasm kernels keep subnormals (gradual underflow, at
 * the CPU's subnormal speed: bench/subnormal.ts), while ref computes in float64, where they are
 * normal numbers. Deep sigmoid networks reach them in their first layers' δ (study (c)'s 50 hidden
 * layers: an RMS δ of 1.4e-42 at the first), so the two must still agree there: each product,
 * activation and a whole training step with subnormal inputs, weights and upstream gradients gives
 * what the oracle gives, rounded to float32, within a few subnormal steps (2⁻¹⁴⁹) per summed term;
 * and never a NaN or an infinity. A backend that flushed them to zero would miss every subnormal result by
 * its whole size (thousands of steps).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS, type Kernels, type Tensor } from '../../src/kernels.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
/** float32's smallest subnormal step: what one rounding of a subnormal result may be off by. */
const SUBNORMAL_STEP = 2 ** -149;

/** f32 values of about 1e-40 (subnormal: 1e-40 to 1e-39), of either sign. */
function subnormals(rng: Rng, length: number): Float32Array {
  const values = Float32Array.from({ length }, () => (rng.uniform() < 0.5 ? -1 : 1) * 1e-40 * (1 + 9 * rng.uniform()));
  if (!values.every((v) => v !== 0 && Math.abs(v) < FLOAT32_MIN_NORMAL)) throw new Error('subnormals: a value is not subnormal in float32');
  return values;
}

function normals(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.normal());
}

/**
 * The tolerance of a K-term float32 sum against the oracle: the dense suite's 1e-5·√K of its RMS
 * value, and at least K + 1 subnormal steps (each term's rounding and the sum's, in float32's
 * subnormal range an absolute 2⁻¹⁵⁰ each).
 */
function tolerance(expected: ArrayLike<number>, K: number): { abs: number } {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) sum += expected[i] ** 2;
  const rms = Math.sqrt(sum / Math.max(1, expected.length));
  return { abs: Math.max(1e-5 * Math.sqrt(K) * rms, (K + 1) * SUBNORMAL_STEP) };
}

/** What `run` leaves in the tensor it returns, on `k`, as float64; every tensor it made freed. */
function onBackend(k: Kernels, run: (k: Kernels, t: (values: Float32Array) => Tensor) => Tensor): Float64Array {
  const made: Tensor[] = [];
  const t = (values: Float32Array) => {
    const tensor = tensorOf(k, values);
    made.push(tensor);
    return tensor;
  };
  const out = run(k, t);
  const values = Float64Array.from(k.view(out));
  for (const tensor of new Set([...made, out])) k.free(tensor);
  return values;
}

function expectFiniteAndClose(got: Float64Array, expected: Float64Array, K: number, label: string): void {
  expect(got.every(Number.isFinite), `${label}: every value finite`).toBe(true);
  expectClose(got, expected, tolerance(expected, K), label);
}

/** The products' results hold subnormals (so the comparison is of subnormals, not of zeros). */
function expectSubnormalsIn(values: Float64Array, label: string): void {
  expect(values.some((v) => v !== 0 && Math.abs(v) < FLOAT32_MIN_NORMAL), `${label}: holds subnormal values`).toBe(true);
}

const [BATCH, IN, OUT] = [9, 37, 11];

describe.each(backends)('subnormals on $name', ({ kernels: k }) => {
  const rng = new Rng(7);
  const cases = [
    { name: 'subnormal inputs', a: subnormals(rng, BATCH * IN), w: normals(rng, OUT * IN), dz: normals(rng, BATCH * OUT) },
    { name: 'subnormal weights', a: normals(rng, BATCH * IN), w: subnormals(rng, OUT * IN), dz: normals(rng, BATCH * OUT) },
    { name: 'subnormal upstream gradients', a: normals(rng, BATCH * IN), w: normals(rng, OUT * IN), dz: subnormals(rng, BATCH * OUT) },
  ];
  it.each(cases)('the dense products with $name agree with the oracle, subnormal results kept, nothing non-finite', ({ name, a, w, dz }) => {
    const zeros = (n: number) => new Float32Array(n);
    const products = [
      { what: 'z = a·wᵀ', K: IN, run: (kk: Kernels, t: (v: Float32Array) => Tensor) => { const z = kk.alloc(BATCH * OUT); kk.denseForward(z, t(a), t(w), t(zeros(OUT)), BATCH, IN, OUT); return z; } },
      { what: 'da += dz·w', K: OUT, run: (kk: Kernels, t: (v: Float32Array) => Tensor) => { const da = t(zeros(BATCH * IN)); kk.denseBackwardInput(da, t(dz), t(w), BATCH, IN, OUT); return da; } },
      { what: 'dw += dzᵀ·a', K: BATCH, run: (kk: Kernels, t: (v: Float32Array) => Tensor) => { const dw = t(zeros(OUT * IN)); kk.denseBackwardWeights(dw, t(dz), t(a), BATCH, IN, OUT); return dw; } },
      { what: 'db += Σ dz', K: BATCH, run: (kk: Kernels, t: (v: Float32Array) => Tensor) => { const db = t(zeros(OUT)); kk.denseBackwardBias(db, t(dz), BATCH, OUT); return db; } },
    ];
    let subnormalResults = 0;
    for (const { what, K, run } of products) {
      const expected = onBackend(oracle, run);
      // The products the subnormal operand enters are subnormal themselves (dw's with subnormal weights and db's with subnormal inputs do not involve it).
      if (expected.some((v) => v !== 0 && Math.abs(v) < FLOAT32_MIN_NORMAL)) subnormalResults++;
      expectFiniteAndClose(onBackend(k, run), expected, K, `${name}: ${what}`);
    }
    expect(subnormalResults, `${name}: products with subnormal results`).toBeGreaterThanOrEqual(2);
  });

  it.each(ACTIVATIONS)('%s forward and backward at subnormal z and upstream gradient agree with the oracle', (f) => {
    const z = subnormals(rng, BATCH * OUT);
    const da = subnormals(rng, BATCH * OUT);
    const forward = (kk: Kernels, t: (v: Float32Array) => Tensor) => {
      const out = kk.alloc(BATCH * OUT);
      kk.activationForward(f, out, t(z), BATCH, OUT);
      return out;
    };
    const backward = (kk: Kernels, t: (v: Float32Array) => Tensor) => {
      const zt = t(z);
      const at = kk.alloc(BATCH * OUT);
      kk.activationForward(f, at, zt, BATCH, OUT);
      const dz = t(new Float32Array(BATCH * OUT));
      kk.activationBackward(f, dz, t(da), zt, at, BATCH, OUT);
      kk.free(at);
      return dz;
    };
    expectFiniteAndClose(onBackend(k, forward), onBackend(oracle, forward), 1, `${f}(z)`);
    const expected = onBackend(oracle, backward);
    expectSubnormalsIn(expected, `${f}: dz = da ⊙ f'(z)`);
    expectFiniteAndClose(onBackend(k, backward), expected, 1, `${f}: dz = da ⊙ f'(z)`);
  });
});

/** The step's settings: a learning rate and, for the adaptive ones, ε and Adam's β1 stated here, as the tolerance below reads them. */
const STEPS = [
  { optimizer: { name: 'sgd' }, learningRate: 0.01, epsilon: undefined, beta1: 0 },
  { optimizer: { name: 'adagrad', epsilon: 1e-8 }, learningRate: 0.01, epsilon: 1e-8, beta1: 0 },
  { optimizer: { name: 'rmsprop', epsilon: 1e-8 }, learningRate: 0.01, epsilon: 1e-8, beta1: 0 },
  { optimizer: { name: 'adam', epsilon: 1e-8, beta1: 0.9 }, learningRate: 0.01, epsilon: 1e-8, beta1: 0.9 },
];

describe.each((await kernelBackends()).filter((b) => b.name !== 'ref'))('a training step at subnormal inputs and weights on $name', ({ kernels }) => {
  // Subnormal inputs and a first layer of subnormal weights (so its outputs and the next layer's δ
  // are subnormal too), sigmoid units: the first layer's gradient is subnormal, and an adaptive
  // step divides it by a denominator of about ε (its squared gradient underflows in float32, not in
  // float64), which brings whatever the step lost in float32's subnormal range back to the
  // weights' scale. So the step may be off by lr/ε times the gradient's own tolerance (K + 1
  // subnormal steps) and, for Adam, m = (1 − β1)·g's one rounding scaled back by 1/(1 − β1); a step
  // that rounded lr·g (or lr·m) before dividing lost 11 % of it (1e-36 steps off by 7e-38).
  it.each(STEPS)('one $optimizer.name step: every gradient and parameter finite and as the oracle gives them', async ({ optimizer, learningRate, epsilon, beta1 }) => {
    const rng = new Rng(11);
    const sizes = [6, 8, 8, 3];
    const rows = 5;
    const x = Array.from({ length: rows }, () => Array.from(subnormals(rng, sizes[0])));
    const y = Array.from({ length: rows }, (_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]);
    const build = async (backend: Kernels | 'ref') => {
      const net = await createNetwork({ sizes, activation: 'sigmoid', seed: 3, backend });
      net.loadState(net.state().map((t) => (t.name === '0.weight' ? { name: t.name, values: subnormals(new Rng(5), t.values.length) } : t)));
      return net;
    };
    const [got, want] = [await build(kernels), await build('ref')];
    /** The terms each gradient sums: the batch's rows. */
    const K = rows;
    const gradients = [got.gradients(x, y).parameters, want.gradients(x, y).parameters];
    for (const name of Object.keys(gradients[1])) {
      expectFiniteAndClose(Float64Array.from(gradients[0][name]), Float64Array.from(gradients[1][name]), K, `∂C/∂${name}`);
    }
    expectSubnormalsIn(Float64Array.from(gradients[1]['0.weight']), '∂C/∂0.weight');
    for (const net of [got, want]) net.train(x, y, { batchSize: rows, optimizer, learningRate });
    const stepSlack = epsilon === undefined ? 0 : (learningRate * (K + 1 + 1 / (1 - beta1)) * SUBNORMAL_STEP) / epsilon;
    const after = [got.state(), want.state()];
    after[1].forEach((t, i) => {
      const expected = Float64Array.from(t.values);
      const actual = Float64Array.from(after[0][i].values);
      expect(actual.every(Number.isFinite), `${optimizer.name}: ${t.name} after the step: every value finite`).toBe(true);
      const base = tolerance(expected, K);
      expectClose(actual, expected, { abs: Math.max(base.abs, stepSlack) }, `${optimizer.name}: ${t.name} after the step`);
    });
    got.dispose();
    want.dispose();
  });
});
