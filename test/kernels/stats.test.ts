/**
 * The gradient-flow statistics kernels (activationStats, histogram, sumSquaredDifference, weightStats,
 * and sgdStepStats, plain SGD's update that measures weightStats' numbers on the way, and sgdUpdateStats)
 * on every backend against the float64 oracle: odd and aligned sizes, an unaligned offset (a tensor
 * starting one float into a block), each activation, outputs that must be overwritten, canaries after
 * them; and the sums of weightStats, sgdStepStats and sgdUpdateStats on the SIMD binaries to the
 * bit, against the f32 lanes and blocks of their order (summing a float in another lane or block
 * changes the low bits).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATION_STAT, ACTIVATION_STAT_COUNT, ACTIVATIONS, WEIGHT_STAT, SELU_ALPHA, SELU_LAMBDA, type Activation, type Kernels } from '../../src/kernels.js';
import { activation } from '../../src/ref/activations.js';
import { backendsUnderTestChecked, CHECKED_SUFFIX, kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { CANARY, guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const SHAPES: [batch: number, n: number][] = [[1, 1], [3, 5], [4, 8], [7, 33], [64, 100], [2, 1030]];

/** z of a layer (mostly N(0, 2²), some exact zeros and saturating values) and a = f(z), f32-rounded. */
function layer(rng: Rng, f: Activation, length: number): { z: Float32Array; a: Float32Array } {
  const z = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const kind = rng.below(10);
    z[i] = kind === 0 ? 0 : kind === 1 ? rng.uniformIn(-30, 30) : 2 * rng.normal();
  }
  return { z, a: z.map(activation[f]) };
}

/** A tensor whose values start `offset` floats in, followed by a canary; returns the tensor and a reader. */
function placed(k: Kernels, values: ArrayLike<number>, offset: number) {
  const t = k.alloc(offset + values.length + 1);
  k.write(t, values, offset);
  k.write(t, [CANARY], offset + values.length);
  return t;
}

describe.each(await backendsUnderTestChecked())('gradient-flow statistics on $name', ({ name, kernels: k }) => {
  it.each(ACTIVATIONS)('activationStats(%s) matches the oracle', (f) => {
    const rng = new Rng(11);
    for (const [batch, n] of SHAPES) {
      const { z, a } = layer(rng, f, batch * n);
      const threshold = 0.01 * (f === 'sigmoid' ? 0.25 : 1);
      const want = new Float64Array(ACTIVATION_STAT_COUNT);
      const wantAlive = new Float64Array(n);
      statsOf(oracle, want, wantAlive, f, z, a, batch, n, threshold);
      // Filled with garbage first: the kernel must overwrite both outputs.
      const got = new Float64Array(ACTIVATION_STAT_COUNT).fill(-5);
      const gotAlive = new Float64Array(n).fill(3);
      statsOf(k, got, gotAlive, f, z, a, batch, n, threshold);
      const label = `${name} ${f} batch ${batch} n ${n}`;
      expectClose(got, want, { rel: 2e-6, abs: 1e-9 }, `${label}: stats`);
      expect(Array.from(gotAlive), `${label}: alive units`).toEqual(Array.from(wantAlive));
      // The counts must be the exact counts of the definition, not just close to the oracle's.
      let saturated = 0;
      for (let i = 0; i < z.length; i++) if (primeOf(f, z[i], a[i]) < Math.fround(threshold)) saturated++;
      expect(got[ACTIVATION_STAT.saturated], `${label}: saturated`).toBe(saturated);
    }
  });

  it('activationStats stays inside its alive tensor and reads z, a from any offset', () => {
    const rng = new Rng(12);
    const [batch, n] = [5, 13];
    const { z, a } = layer(rng, 'tanh', batch * n);
    const zt = placed(k, z, 1);
    const at = placed(k, a, 3);
    const alive = placed(k, new Float32Array(n).fill(9), 0);
    // Unaligned inputs: views one and three floats into their blocks.
    const zView = sub(k, zt, 1, batch * n);
    const aView = sub(k, at, 3, batch * n);
    if (!zView || !aView || name.endsWith(CHECKED_SUFFIX)) return; // ref tensors have no offsets to test; a checked backend refuses them
    const got = new Float64Array(ACTIVATION_STAT_COUNT);
    k.activationStats(got, alive, 'tanh', zView, aView, batch, n, 0.01);
    expect(k.view(alive)[n], 'canary after alive').toBe(CANARY);
    const want = new Float64Array(ACTIVATION_STAT_COUNT);
    statsOf(oracle, want, new Float64Array(n), 'tanh', z, a, batch, n, 0.01);
    expectClose(got, want, { rel: 2e-6, abs: 1e-9 }, `${name} unaligned`);
  });

  it('histogram accumulates the f32 bins of the definition, with clamping and NaN skipped', () => {
    const rng = new Rng(13);
    for (const n of [0, 1, 3, 4, 17, 1000]) {
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = rng.below(20) === 0 ? NaN : rng.below(20) === 0 ? 50 * rng.normal() : rng.normal();
      const [lo, hi, bins] = [-2.5, 3, 37];
      const start = Array.from({ length: bins }, (_, b) => b); // += into non-zero counts
      const counts = placed(k, start, 0);
      const xt = tensorOf(k, x);
      k.histogram(counts, xt, n, lo, hi, bins);
      const want = Float64Array.from(start);
      oracle.histogram(want, Float64Array.from(x), n, lo, hi, bins);
      const got = k.view(counts);
      expect(got[bins], 'canary after counts').toBe(CANARY);
      expect(Array.from(got.subarray(0, bins)), `${name} histogram n ${n}`).toEqual(Array.from(want));
      const counted = want.reduce((s, c) => s + c, 0) - start.reduce((s, c) => s + c, 0);
      expect(counted, 'every non-NaN value counted once').toBe(x.filter((v) => !Number.isNaN(v)).length);
      k.free(counts);
      k.free(xt);
    }
  });

  it('histogram refuses an empty range instead of trapping', () => {
    const counts = k.alloc(4);
    const x = tensorOf(k, [1, 2]);
    expect(() => k.histogram(counts, x, 2, 1, 1, 4)).toThrow(/hi > lo/);
  });

  it('sumSquaredDifference matches Σ(x − y)²', () => {
    const rng = new Rng(14);
    for (const n of [0, 1, 3, 8, 9, 1023, 5000]) {
      const x = Float32Array.from({ length: n }, () => rng.normal());
      const y = x.map((v) => v + 1e-3 * rng.normal());
      const got = k.sumSquaredDifference(tensorOf(k, x), tensorOf(k, y), n);
      const want = oracle.sumSquaredDifference(Float64Array.from(x), Float64Array.from(y), n);
      expectClose([got], [want], { rel: 1e-5, abs: 1e-30 }, `${name} n ${n}`);
    }
  });

  it('weightStats matches the oracle, takes the snapshot, lets a NaN gradient win the max, and writes nothing past its tensors', () => {
    const rng = new Rng(15);
    for (const n of WEIGHT_STAT_SIZES) {
      const { snapshot, w, g } = weightLayer(rng, n);
      const want = new Float64Array(5);
      oracle.weightStats(want, Float64Array.from(snapshot), Float64Array.from(w), Float64Array.from(g), n);
      const got = new Float64Array(5).fill(-5);
      const s = guarded(k, snapshot);
      k.weightStats(got, s, guarded(k, w), guarded(k, g), n);
      const label = `${name} n ${n}`;
      expectClose(got, want, { rel: 1e-5, abs: 1e-30 }, `${label}: stats`);
      expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: max |g|`).toBe(want[WEIGHT_STAT.gradMaxAbs]);
      expect(Array.from(readGuarded(k, s, n, label)), `${label}: snapshot = w`).toEqual(Array.from(w));
      if (name.startsWith('wasm-simd')) expect(Array.from(got), `${label}: the SIMD order's bits`).toEqual(Array.from(simdWeightStats(snapshot, w, g, n)));
      if (n > 0) {
        g[n >> 1] = NaN;
        k.weightStats(got, guarded(k, snapshot), guarded(k, w), guarded(k, g), n);
        expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: NaN in g`).toBeNaN();
      }
    }
  });

  it("sgdUpdateStats updates w and v to sgdUpdate's bits and measures sgdStepStats' numbers", () => {
    const rng = new Rng(17);
    const [learningRate, momentum, weightDecay] = [0.05, 0.9, 1e-3];
    for (const n of WEIGHT_STAT_SIZES) {
      const { w, g } = weightLayer(rng, n);
      const v = Float32Array.from({ length: n }, () => 0.01 * rng.normal());
      const label = `${name} n ${n}`;
      const [wantW, wantV] = [guarded(k, w), guarded(k, v)];
      k.sgdUpdate(wantW, wantV, guarded(k, g), n, learningRate, momentum, weightDecay);
      const after = Float64Array.from(readGuarded(k, wantW, n, `${label}: sgdUpdate`));
      const got = new Float64Array(5).fill(-5);
      const [gotW, gotV] = [guarded(k, w), guarded(k, v)];
      k.sgdUpdateStats(got, gotW, gotV, guarded(k, g), n, learningRate, momentum, weightDecay);
      expect(Array.from(readGuarded(k, gotW, n, label)), `${label}: w, as sgdUpdate leaves it`).toEqual(Array.from(after));
      expect(Array.from(readGuarded(k, gotV, n, label)), `${label}: v, as sgdUpdate leaves it`).toEqual(Array.from(readGuarded(k, wantV, n, label)));
      expectClose(got, stepSums(w, g, after), { rel: 1e-5, abs: 1e-30 }, `${label}: stats`);
      expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: max |g|`).toBe(stepSums(w, g, after)[WEIGHT_STAT.gradMaxAbs]);
      if (name.startsWith('wasm-simd')) expect(Array.from(got), `${label}: the SIMD order's bits`).toEqual(Array.from(simdStepStats(w, after, g, n)));
      if (n > 0) {
        g[n >> 1] = NaN;
        k.sgdUpdateStats(got, guarded(k, w), guarded(k, v), guarded(k, g), n, learningRate, momentum, weightDecay);
        expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: NaN in g`).toBeNaN();
      }
    }
  });

  it("sgdStepStats updates w to axpy's bits and measures weightStats' numbers of w before and the change, lets a NaN gradient win the max, and writes nothing past its tensors", () => {
    const rng = new Rng(16);
    const learningRate = 0.05;
    for (const n of WEIGHT_STAT_SIZES) {
      const { w, g } = weightLayer(rng, n);
      const label = `${name} n ${n}`;
      const byAxpy = guarded(k, w);
      k.axpy(byAxpy, guarded(k, g), n, -learningRate);
      const after = Float64Array.from(readGuarded(k, byAxpy, n, `${label}: axpy`));
      const got = new Float64Array(5).fill(-5);
      const stepped = guarded(k, w);
      k.sgdStepStats(got, stepped, guarded(k, g), n, learningRate);
      expect(Array.from(readGuarded(k, stepped, n, label)), `${label}: w, as axpy leaves it`).toEqual(Array.from(after));
      const want = stepSums(w, g, after);
      expectClose(got, want, { rel: 1e-5, abs: 1e-30 }, `${label}: stats`);
      expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: max |g|`).toBe(want[WEIGHT_STAT.gradMaxAbs]);
      if (name.startsWith('wasm-simd')) expect(Array.from(got), `${label}: the SIMD order's bits`).toEqual(Array.from(simdStepStats(w, after, g, n)));
      if (n > 0) {
        g[n >> 1] = NaN;
        k.sgdStepStats(got, guarded(k, w), guarded(k, g), n, learningRate);
        expect(got[WEIGHT_STAT.gradMaxAbs], `${label}: NaN in g`).toBeNaN();
      }
    }
  });
});

/** What weightStats reads before a step (Σg², Σ|g|, max|g|, Σw² of w) and the step's change to `after`, in float64 from the same floats. */
function stepSums(w: Float32Array, g: Float32Array, after: Float64Array): Float64Array {
  const want = new Float64Array(5);
  for (let i = 0; i < w.length; i++) {
    want[WEIGHT_STAT.gradSquares] += g[i] * g[i];
    want[WEIGHT_STAT.gradAbs] += Math.abs(g[i]);
    want[WEIGHT_STAT.gradMaxAbs] = Math.max(want[WEIGHT_STAT.gradMaxAbs], Math.abs(g[i]));
    want[WEIGHT_STAT.weightSquares] += w[i] * w[i];
    want[WEIGHT_STAT.changeSquares] += (after[i] - w[i]) ** 2;
  }
  return want;
}

/** Sizes for weightStats: empty, the scalar tail alone, four floats, eight, both, a block (1024) and one more, several blocks with a tail. */
const WEIGHT_STAT_SIZES = [0, 3, 4, 8, 13, 1024, 1030, 5003];

/** A layer's snapshot, the weights one small step on, and a gradient with some exact zeros, all f32. */
function weightLayer(rng: Rng, n: number): { snapshot: Float32Array; w: Float32Array; g: Float32Array } {
  const snapshot = Float32Array.from({ length: n }, () => rng.normal() / 10);
  const w = snapshot.map((v) => v + 1e-3 * rng.normal());
  const g = Float32Array.from({ length: n }, () => (rng.below(8) === 0 ? 0 : rng.normal() * 10 ** rng.uniformIn(-4, 1)));
  return { snapshot, w, g };
}

/** assembly/stats.simd.ts' STAT_BLOCK: the floats its f32 sums run over before they are promoted to f64. */
const SIMD_STAT_BLOCK = 1024;

/**
 * weightStats as assembly/stats.simd.ts sums: per block of SIMD_STAT_BLOCK floats, f32 lanes, floats 8k..8k+3
 * in one set of four and 8k+4..8k+7 in another (a last four in the first), the two sets added lane
 * by lane, lanes 0 and 2 then 1 and 3 promoted into two f64 partial sums; the last n mod 4 floats in f64.
 */
function simdWeightStats(snapshot: Float32Array, w: Float32Array, g: Float32Array, n: number): Float64Array {
  const f = Math.fround;
  // Each sum's term at i: in f32 (the lanes), and in f64 (the tail).
  const terms: [lane: (i: number) => number, tail: (i: number) => number][] = [
    [(i) => f(g[i] * g[i]), (i) => g[i] * g[i]],
    [(i) => Math.abs(g[i]), (i) => Math.abs(g[i])],
    [(i) => f(w[i] * w[i]), (i) => w[i] * w[i]],
    [(i) => f(f(w[i] - snapshot[i]) * f(w[i] - snapshot[i])), (i) => (w[i] - snapshot[i]) * (w[i] - snapshot[i])],
  ];
  const [gradSquares, gradAbs, weightSquares, changeSquares] = terms.map(([lane, tail]) => {
    const partial = [0, 0];
    let i = 0;
    while (i + 4 <= n) {
      const end = Math.min(n & ~3, i + SIMD_STAT_BLOCK);
      const sets = [new Float32Array(4), new Float32Array(4)];
      for (; i + 8 <= end; i += 8) for (const set of [0, 1]) for (let j = 0; j < 4; j++) sets[set][j] += lane(i + 4 * set + j);
      for (; i < end; i += 4) for (let j = 0; j < 4; j++) sets[0][j] += lane(i + j);
      const lanes = sets[0].map((v, j) => v + sets[1][j]);
      partial[0] += lanes[0] + lanes[2];
      partial[1] += lanes[1] + lanes[3];
    }
    let rest = 0;
    for (; i < n; i++) rest += tail(i);
    return partial[0] + partial[1] + rest;
  });
  const largest = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return Float64Array.of(gradSquares, gradAbs, largest, weightSquares, changeSquares);
}

/**
 * sgdStepStats' and sgdUpdateStats' sums as assembly/update.simd.ts adds them, in weightStats' order
 * (simdWeightStats): of g, of w before the step, and of its change to `after`.
 */
function simdStepStats(w: Float32Array, after: ArrayLike<number>, g: Float32Array, n: number): Float64Array {
  const sums = simdWeightStats(w, Float32Array.from(after), g, n);
  sums[WEIGHT_STAT.weightSquares] = simdWeightStats(w, w, g, n)[WEIGHT_STAT.weightSquares];
  return sums;
}

function statsOf(
  k: Kernels, out: Float64Array, alive: Float64Array, f: Activation, z: Float32Array, a: Float32Array, batch: number, n: number, threshold: number,
): void {
  const aliveT = k.alloc(n);
  k.activationStats(out, aliveT, f, tensorOf(k, z), tensorOf(k, a), batch, n, threshold);
  alive.set(k.view(aliveT));
}

function primeOf(f: Activation, z: number, a: number): number {
  // In f32, as the kernels compute it (the saturation count is compared exactly).
  const r = Math.fround;
  switch (f) {
    case 'sigmoid': return r(a * r(1 - a));
    case 'tanh': return r(1 - r(a * a));
    case 'relu': return z > 0 ? 1 : 0;
    case 'leaky-relu': return z > 0 ? 1 : r(0.01);
    case 'softsign': { const d = r(1 + Math.abs(z)); return r(1 / r(d * d)); }
    case 'linear': return 1;
    case 'selu': return z > 0 ? r(SELU_LAMBDA) : r(r(SELU_LAMBDA * SELU_ALPHA) * r(Math.exp(z)));
  }
}

/** A tensor handle `offset` floats into t (wasm only: ref tensors are arrays). */
function sub(k: Kernels, t: unknown, offset: number, length: number) {
  if (!('exports' in k)) return undefined;
  const w = t as { ptr: number };
  return { ptr: w.ptr + 4 * offset, length } as never;
}
