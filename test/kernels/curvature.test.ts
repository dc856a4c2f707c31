/**
 * The curvature kernels (mul, softmaxJvp, activationCurvature, martensPreconditioner, copy2d,
 * cholesky, trilInverse, and rowSumSquares for per-example norms) on
 * every backend against the float64 oracle: odd and aligned sizes, canaries after every output,
 * and for wasm an unaligned pointer.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const SIZES = [0, 1, 3, 4, 5, 8, 13, 16, 31, 64, 67];

/** Values exactly representable in f32, so every backend starts from the same numbers. */
function randomF32(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** A random symmetric positive-definite matrix B·Bᵀ/n + I, in f32. */
function spd(rng: Rng, n: number): Float32Array {
  const b = randomF32(rng, n * n);
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += (b[i * n + k] * b[j * n + k]) / n;
      a[i * n + j] = s;
    }
  }
  // symmetric to the bit
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}

describe.each(backends)('curvature kernels on $name', ({ kernels: k }) => {
  it('mul: z = x ⊙ y, also in place', () => {
    const rng = new Rng(1);
    for (const n of SIZES) {
      const x = randomF32(rng, n);
      const y = randomF32(rng, n);
      const want = Float64Array.from(x, (xi, i) => Math.fround(xi * y[i]));
      const z = guarded(k, new Float32Array(n).fill(-3));
      k.mul(z, tensorOf(k, x), tensorOf(k, y), n);
      expectClose(readGuarded(k, z, n, `mul n=${n}`), want, { rel: 0 }, `mul n=${n}`);
      const inPlace = guarded(k, x);
      k.mul(inPlace, inPlace, tensorOf(k, y), n);
      expectClose(readGuarded(k, inPlace, n, 'in place'), want, { rel: 0 }, `mul in place n=${n}`);
    }
  });

  it('softmaxJvp: (diag(a) − a·aᵀ)·rz row by row', () => {
    const rng = new Rng(2);
    for (const n of [1, 2, 3, 4, 7, 10, 33]) {
      const batch = 1 + rng.below(6);
      const z = randomF32(rng, batch * n, 3);
      const rz = randomF32(rng, batch * n);
      const a64 = oracle.alloc(batch * n);
      oracle.activationForward('softmax', a64, tensorOf(oracle, z), batch, n);
      const a = Float32Array.from(oracle.view(a64));
      const want = oracle.alloc(batch * n);
      oracle.softmaxJvp(want, tensorOf(oracle, a), tensorOf(oracle, rz), batch, n);
      const ra = guarded(k, new Float32Array(batch * n).fill(9));
      k.softmaxJvp(ra, tensorOf(k, a), tensorOf(k, rz), batch, n);
      // f32 rounding of a·(rz − s): relative to the row's scale max|rz|·max a ≤ max|rz|
      expectClose(readGuarded(k, ra, batch * n, `jvp n=${n}`), oracle.view(want), { rel: 1e-6, abs: 1e-6 }, `softmaxJvp ${batch}×${n}`);
    }
  });

  it.each(ACTIVATIONS)("activationCurvature %s: dz += (g ⊙ rz) ⊙ f''(z), accumulating", (f) => {
    const rng = new Rng(8 + ACTIVATIONS.indexOf(f));
    for (const n of SIZES) {
      const batch = 1 + rng.below(3);
      const length = batch * n;
      const z = randomF32(rng, length, 2);
      // a = f(z) rounded to f32, as every backend stores it
      const a64 = oracle.alloc(length);
      oracle.activationForward(f, a64, tensorOf(oracle, z), batch, n);
      const a = Float32Array.from(oracle.view(a64));
      const g = randomF32(rng, length);
      const rz = randomF32(rng, length);
      const initial = randomF32(rng, length);
      const want = tensorOf(oracle, initial);
      oracle.activationCurvature(f, want, tensorOf(oracle, g), tensorOf(oracle, rz), tensorOf(oracle, z), tensorOf(oracle, a), batch, n);
      const dz = guarded(k, initial);
      k.activationCurvature(f, dz, tensorOf(k, g), tensorOf(k, rz), tensorOf(k, z), tensorOf(k, a), batch, n);
      // f32 rounding of three products and the sum, relative to |dz| + |g·rz·f''| ≤ |dz| + 2|g·rz|
      const scale = Math.max(...initial.map(Math.abs), ...g.map((gi, i) => 2 * Math.abs(gi * rz[i])), 1e-30);
      expectClose(readGuarded(k, dz, length, `${f} n=${n}`), oracle.view(want), { rel: 1e-6, scale }, `activationCurvature ${f} ${batch}×${n}`);
    }
  });

  it('rowSumSquares: Σ_j x[r][j]² per row, overwriting', () => {
    const rng = new Rng(20);
    for (const n of SIZES) {
      const batch = 1 + rng.below(5);
      const x = randomF32(rng, batch * n);
      const want = oracle.alloc(batch);
      oracle.rowSumSquares(want, tensorOf(oracle, x), batch, n);
      const out = guarded(k, new Float32Array(batch).fill(-2));
      k.rowSumSquares(out, tensorOf(k, x), batch, n);
      expectClose(readGuarded(k, out, batch, `rows n=${n}`), oracle.view(want), { rel: 1e-6 }, `rowSumSquares ${batch}×${n}`);
    }
  });

  it('martensPreconditioner: (scale·s + λ)^(−3/4)', () => {
    const rng = new Rng(3);
    for (const n of SIZES) {
      const s = Float32Array.from({ length: n }, () => Math.abs(rng.normal()) * 10 ** rng.uniformIn(-6, 3));
      const want = oracle.alloc(n);
      oracle.martensPreconditioner(want, tensorOf(oracle, s), n, 7, 1e-3);
      const d = guarded(k, new Float32Array(n));
      k.martensPreconditioner(d, tensorOf(k, s), n, 7, 1e-3);
      expectClose(readGuarded(k, d, n, `precond n=${n}`), oracle.view(want), { rel: 1e-6 }, `martensPreconditioner n=${n}`);
    }
  });

  it('copy2d: strided rows at offsets, nothing else touched', () => {
    const rng = new Rng(4);
    for (const [rows, cols, srcStride, dstStride, srcOffset, dstOffset] of [
      [3, 5, 5, 6, 0, 0],
      [4, 1, 1, 9, 2, 8],
      [7, 8, 11, 8, 3, 1],
      [1, 13, 13, 13, 0, 0],
    ]) {
      const src = randomF32(rng, srcOffset + rows * srcStride);
      const dstLength = dstOffset + rows * dstStride;
      const initial = new Float32Array(dstLength).fill(-1);
      const want = Float64Array.from(initial);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[dstOffset + r * dstStride + c] = src[srcOffset + r * srcStride + c];
      const dst = guarded(k, initial);
      k.copy2d(dst, dstOffset, dstStride, tensorOf(k, src), srcOffset, srcStride, rows, cols);
      expectClose(readGuarded(k, dst, dstLength, 'copy2d'), want, { rel: 0 }, `copy2d ${rows}×${cols}`);
    }
  });

  it('cholesky: L·Lᵀ = A for SPD matrices, false for indefinite ones', () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 3, 4, 5, 8, 17, 64, 65]) {
      const a = spd(rng, n);
      const want = oracle.alloc(n * n);
      expect(oracle.cholesky(want, tensorOf(oracle, a), n)).toBe(true);
      const l = guarded(k, new Float32Array(n * n).fill(5));
      expect(k.cholesky(l, tensorOf(k, a), n), `n=${n}`).toBe(true);
      expectClose(readGuarded(k, l, n * n, `cholesky n=${n}`), oracle.view(want), { rel: 1e-5, scale: 1 }, `cholesky n=${n}`);
    }
    const indefinite = Float32Array.from([1, 2, 2, 1]);
    expect(k.cholesky(k.alloc(4), tensorOf(k, indefinite), 2)).toBe(false);
    expect(k.cholesky(k.alloc(1), tensorOf(k, [Number.NaN]), 1)).toBe(false);
  });

  it('trilInverse: L·M = I', () => {
    const rng = new Rng(6);
    for (const n of [1, 2, 3, 4, 5, 8, 17, 64, 65]) {
      const l64 = oracle.alloc(n * n);
      oracle.cholesky(l64, tensorOf(oracle, spd(rng, n)), n);
      const l = Float32Array.from(oracle.view(l64));
      const want = oracle.alloc(n * n);
      oracle.trilInverse(want, tensorOf(oracle, l), n);
      const m = guarded(k, new Float32Array(n * n).fill(5));
      k.trilInverse(m, tensorOf(k, l), n);
      expectClose(readGuarded(k, m, n * n, `trilInverse n=${n}`), oracle.view(want), { rel: 1e-5, scale: 1 }, `trilInverse n=${n}`);
    }
  });
});

const wasm = backends.filter((b) => 'exports' in b.kernels) as unknown as { name: string; kernels: WasmKernels }[];
describe.each(wasm)('curvature kernels on $name at an unaligned pointer', ({ kernels: k }) => {
  it('activationCurvature (sigmoid) gives the aligned results', () => {
    const rng = new Rng(9);
    const n = 37;
    const [z, g, rz] = [randomF32(rng, n), randomF32(rng, n), randomF32(rng, n)];
    const a = Float32Array.from(z, (zi) => Math.fround(1 / (1 + Math.exp(-zi))));
    const at = (values: Float32Array) => (tensorOf(k, [0, ...values]) as WasmTensor).ptr + 4;
    const want = oracle.alloc(n);
    oracle.activationCurvature('sigmoid', want, tensorOf(oracle, g), tensorOf(oracle, rz), tensorOf(oracle, z), tensorOf(oracle, a), 1, n);
    const out = guarded(k, new Float32Array(n + 1)) as WasmTensor;
    k.module.f32_activation_curvature(out.ptr + 4, at(g), at(rz), at(z), at(a), n, ACTIVATIONS.indexOf('sigmoid'));
    expectClose(readGuarded(k, out, n + 1, 'unaligned curvature').subarray(1), oracle.view(want), { rel: 1e-6, scale: 1 }, 'unaligned curvature');
  });

  it('mul and martensPreconditioner give the aligned results', () => {
    const rng = new Rng(7);
    const n = 37;
    const x = randomF32(rng, n);
    const y = randomF32(rng, n).map(Math.abs);
    const xt = tensorOf(k, [0, ...x]) as WasmTensor;
    const yt = tensorOf(k, [0, ...y]) as WasmTensor;
    const out = guarded(k, new Float32Array(n + 1)) as WasmTensor;
    k.module.f32_mul(out.ptr + 4, xt.ptr + 4, yt.ptr + 4, n);
    expectClose(readGuarded(k, out, n + 1, 'unaligned mul').subarray(1), Float64Array.from(x, (xi, i) => Math.fround(xi * y[i])), { rel: 0 }, 'unaligned mul');
    const want = oracle.alloc(n);
    oracle.martensPreconditioner(want, tensorOf(oracle, y), n, 2, 0.5);
    k.module.f32_martens_preconditioner(out.ptr + 4, yt.ptr + 4, n, 2, 0.5);
    expectClose(readGuarded(k, out, n + 1, 'unaligned preconditioner').subarray(1), oracle.view(want), { rel: 1e-6 }, 'unaligned preconditioner');
  });
});
