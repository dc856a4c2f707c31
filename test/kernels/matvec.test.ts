/**
 * The matrix-vector kernels (matVec: y = w·x, matVecTransposed: y = wᵀ·x, w `[nOut][nIn]`) on every
 * backend against a float64 oracle, over sizes that hit every residue of the SIMD kernels' blocks
 * (8 rows of w·x, 32 and 4 columns of wᵀ·x, nIn mod 4 tails), a layer of the trace bench
 * (784 → 100) and empty sizes. The error allowed is the bound for any order of summation in f32:
 * (terms + 1)·2⁻²⁴·Σ|wᵢxᵢ| per output, so an output summing the wrong terms, or missing one, fails.
 *
 * The wasm variants sum in the same order (w·x: four partial sums by k mod 4, then (s0 + s2) +
 * (s1 + s3); wᵀ·x: j ascending), so they must agree bit for bit, all but the relaxed binary, which
 * fuses each mul and add. Through raw pointers they run at 4-byte-aligned (not 16) addresses with
 * canaries around the output, which is overwritten whole, and the inputs are left as they were.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels } from '../../src/kernels.js';
import type { WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf } from '../util/backends.js';
import { CANARY, placeUnaligned, readUnaligned } from '../util/canaries.js';

const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];
const roundsAlike = (k: WasmKernels) => k.binary !== 'simd-relaxed';

/** (nIn, nOut): every residue mod 4 and 8 of either, 32-column blocks and their remainders, a trace-bench layer, empty sides. */
const SIZES: [number, number][] = [
  [1, 1], [1, 9], [2, 3], [3, 7], [4, 8], [5, 17], [6, 6], [7, 1], [8, 15], [9, 16], [31, 33], [32, 32], [33, 15],
  [35, 2], [63, 65], [64, 7], [67, 31], [100, 100], [100, 10], [101, 3], [2, 300], [784, 100], [0, 3], [3, 0],
];

const f32 = Math.fround;
const U = 2 ** -24;

/** y = w·x (transposed: wᵀ·x) in float64 of the f32 inputs, and per output the bound on an f32 sum of its terms in any order. */
function oracle(w: Float32Array, x: Float32Array, nIn: number, nOut: number, transposed: boolean): { y: Float64Array; bound: Float64Array } {
  const outputs = transposed ? nIn : nOut;
  const terms = transposed ? nOut : nIn;
  const y = new Float64Array(outputs);
  const bound = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let sum = 0;
    let magnitude = 0;
    for (let t = 0; t < terms; t++) {
      const product = transposed ? w[t * nIn + o] * x[t] : w[o * nIn + t] * x[t];
      sum += product;
      magnitude += Math.abs(product);
    }
    y[o] = sum;
    bound[o] = (terms + 1) * U * magnitude;
  }
  return { y, bound };
}

function normals(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => f32(rng.normal()));
}

function expectWithinBound(got: ArrayLike<number>, expected: { y: Float64Array; bound: Float64Array }, label: string): void {
  expect(got.length, `${label}: length`).toBe(expected.y.length);
  for (let i = 0; i < expected.y.length; i++) {
    const error = Math.abs(got[i] - expected.y[i]);
    if (!(error <= expected.bound[i])) expect.fail(`${label}: output ${i} is ${got[i]}, expected ${expected.y[i]} ± ${expected.bound[i]}`);
  }
}

function viaKernels(k: Kernels, w: Float32Array, x: Float32Array, nIn: number, nOut: number, transposed: boolean): Float64Array {
  const tw = tensorOf(k, w), tx = tensorOf(k, x);
  const y = tensorOf(k, new Float32Array(transposed ? nIn : nOut).fill(CANARY)); // overwritten whole
  if (transposed) k.matVecTransposed(y, tw, tx, nIn, nOut);
  else k.matVec(y, tw, tx, nIn, nOut);
  const result = Float64Array.from(k.view(y));
  for (const t of [tw, tx, y]) k.free(t);
  return result;
}

const cases = (() => {
  const rng = new Rng(51);
  return SIZES.map(([nIn, nOut]) => {
    const w = normals(rng, nIn * nOut);
    const x = normals(rng, nIn), u = normals(rng, nOut);
    return { nIn, nOut, w, x, u, forward: oracle(w, x, nIn, nOut, false), backward: oracle(w, u, nIn, nOut, true) };
  });
})();

describe.each(await kernelBackends())('$name', ({ kernels: k }) => {
  it('matVec and matVecTransposed match the float64 oracle within an f32 sum’s bound, on every size', () => {
    for (const c of cases) {
      expectWithinBound(viaKernels(k, c.w, c.x, c.nIn, c.nOut, false), c.forward, `${k.name} w·x ${c.nIn}→${c.nOut}`);
      expectWithinBound(viaKernels(k, c.w, c.u, c.nIn, c.nOut, true), c.backward, `${k.name} wᵀ·u ${c.nIn}→${c.nOut}`);
    }
  });
});

// ---- the wasm variants through raw pointers ----

function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function raw(k: WasmKernels, c: (typeof cases)[number], transposed: boolean): Float32Array {
  const label = `${k.name} raw ${transposed ? 'wᵀ·u' : 'w·x'} ${c.nIn}→${c.nOut}`;
  const input = transposed ? c.u : c.x;
  const w = placeUnaligned(k, c.w), x = placeUnaligned(k, input);
  const y = placeUnaligned(k, new Float32Array(transposed ? c.nIn : c.nOut).fill(CANARY));
  if (transposed) k.module.f32_matvec_t(y.ptr, w.ptr, x.ptr, c.nIn, c.nOut);
  else k.module.f32_matvec(y.ptr, w.ptr, x.ptr, c.nIn, c.nOut);
  expect(bitsOf(readUnaligned(k, w.t, label)), `${label}: w unchanged`).toEqual(bitsOf(c.w));
  expect(bitsOf(readUnaligned(k, x.t, label)), `${label}: x unchanged`).toEqual(bitsOf(input));
  const result = readUnaligned(k, y.t, label);
  for (const t of [w.t, x.t, y.t]) k.free(t);
  expectWithinBound(result, transposed ? c.backward : c.forward, label);
  return result;
}

describe('the wasm variants through raw pointers', () => {
  it('stay inside their output at 4-byte-aligned addresses, leave the inputs alone, and agree bit for bit', () => {
    for (const c of cases) {
      for (const transposed of [false, true]) {
        const [first, ...others] = wasmBackends.map(({ kernels: k }) => raw(k, c, transposed));
        others.forEach((other, i) => {
          const k = wasmBackends[i + 1].kernels;
          if (roundsAlike(k)) expect(bitsOf(other), `${k.name} vs ${wasmBackends[0].name} ${transposed ? 'wᵀ·u' : 'w·x'} ${c.nIn}→${c.nOut}`).toEqual(bitsOf(first));
        });
      }
    }
  });
});
