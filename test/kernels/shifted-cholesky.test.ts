/**
 * shiftedCholeskyPasses, the test of the trace's proved bound on ‖W‖₂: on every backend the same
 * answer as the float64 oracle at every t, down to the pair of adjacent floats where the oracle's
 * answer turns (one term of one inner product off by 1e-7 of itself moves that pair); the wasm twins'
 * float64 factor the same to the bit as the ref twin's (a term summed in the other lane, another
 * order, changes its low bits); the answer of a diagonal g on either side of its largest entry; false
 * for an indefinite or NaN g; g not written; and for wasm an unaligned g.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { shiftedCholesky } from '../../src/ref/shifted-cholesky.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf } from '../util/backends.js';
import { guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const SIZES = [1, 2, 3, 4, 5, 8, 17, 64, 65, 100];

/** A Gram matrix B·Bᵀ/cols of a random n × (n + 3) B, rounded to f32 (so every backend reads the same numbers), symmetric to the bit. */
function gramOf(rng: Rng, n: number): Float32Array {
  const cols = n + 3;
  const b = Float64Array.from({ length: n * cols }, () => rng.normal());
  const g = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += b[i * cols + c] * b[j * cols + c];
      g[i * n + j] = g[j * n + i] = s / cols;
    }
  }
  return g;
}

/** The oracle's answers turn between `fails` and `passes`, adjacent floats (a bisection on its answers from [0, tr g]). */
function turningPoint(g: Float32Array, n: number): { fails: number; passes: number } {
  const gt = tensorOf(oracle, g);
  let fails = 0;
  let passes = 0;
  for (let i = 0; i < n; i++) passes += g[i * n + i];
  passes *= 2;
  expect(oracle.shiftedCholeskyPasses(gt, passes, n)).toBe(true);
  for (;;) {
    const mid = fails + (passes - fails) / 2;
    if (mid <= fails || mid >= passes) return { fails, passes };
    if (oracle.shiftedCholeskyPasses(gt, mid, n)) passes = mid;
    else fails = mid;
  }
}

describe.each(backends)('shiftedCholeskyPasses on $name', ({ kernels: k }) => {
  it("gives the oracle's answer at every t tried, down to the adjacent floats where it turns", () => {
    const rng = new Rng(41);
    for (const n of SIZES) {
      const values = gramOf(rng, n);
      const { fails, passes } = turningPoint(values, n);
      const g = guarded(k, values);
      for (const t of [0, fails / 2, fails * (1 - 1e-9), fails, passes, passes * (1 + 1e-9), 2 * passes]) {
        expect(k.shiftedCholeskyPasses(g, t, n), `n=${n} t=${t}`).toBe(oracle.shiftedCholeskyPasses(tensorOf(oracle, values), t, n));
      }
      expect(k.shiftedCholeskyPasses(g, fails, n), `n=${n} at the last failing t`).toBe(false);
      expect(k.shiftedCholeskyPasses(g, passes, n), `n=${n} at the first passing t`).toBe(true);
      expect(Array.from(readGuarded(k, g, n * n, `g n=${n}`)), `g is not written, n=${n}`).toEqual(Array.from(values));
    }
  });

  it('of a diagonal g: passes above its largest entry, fails at it and below', () => {
    for (const n of [1, 2, 3, 6, 7]) {
      const d = Array.from({ length: n }, (_, i) => 1 + ((i * 5) % n));
      const largest = Math.max(...d);
      const g = tensorOf(k, Array.from({ length: n * n }, (_, e) => (e % (n + 1) === 0 ? d[e / (n + 1)] : 0)));
      expect(k.shiftedCholeskyPasses(g, largest * (1 + 2 ** -40), n), `n=${n} above`).toBe(true);
      expect(k.shiftedCholeskyPasses(g, largest, n), `n=${n} at`).toBe(false);
      expect(k.shiftedCholeskyPasses(g, largest / 2, n), `n=${n} below`).toBe(false);
    }
  });

  it('is false for an indefinite t·I − g and for a NaN in g, and true for n = 0', () => {
    // t·I − g = [[1, 2], [2, 1]] at t = 2: eigenvalues 3 and −1.
    expect(k.shiftedCholeskyPasses(tensorOf(k, [1, -2, -2, 1]), 2, 2)).toBe(false);
    expect(k.shiftedCholeskyPasses(tensorOf(k, [1, -2, -2, 1]), 4, 2)).toBe(true);
    expect(k.shiftedCholeskyPasses(tensorOf(k, [Number.NaN]), 1, 1)).toBe(false);
    expect(k.shiftedCholeskyPasses(tensorOf(k, [0, 0, 0, 0, Number.NaN, 0, 0, 0, 0]), 1, 3)).toBe(false);
    expect(k.shiftedCholeskyPasses(k.alloc(0), 1, 0)).toBe(true);
  });
});

const wasm = backends.filter((b) => 'exports' in b.kernels) as unknown as { name: string; kernels: WasmKernels }[];
describe.each(wasm)('shiftedCholeskyPasses on $name: its factor', ({ kernels: k }) => {
  it("is the ref twin's to the bit, entry by entry of the lower triangle", () => {
    const rng = new Rng(43);
    for (const n of [2, 3, 4, 5, 8, 17, 64, 65, 100]) {
      const values = gramOf(rng, n);
      const { passes } = turningPoint(values, n);
      const want = new Float64Array(n * n);
      expect(shiftedCholesky(want, Float64Array.from(values), passes, n)).toBe(true);
      const g = tensorOf(k, values) as WasmTensor;
      const m = k.alloc(2 * n * n) as WasmTensor;
      expect(k.module.f32_shifted_cholesky(m.ptr, g.ptr, passes, n), `n=${n}`).toBe(1);
      const memory = new DataView(k.exports.memory.buffer);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const got = memory.getFloat64(m.ptr + 8 * (i * n + j), true);
          if (!Object.is(got, want[i * n + j])) expect(got, `n=${n} entry [${i}][${j}]`).toBe(want[i * n + j]);
        }
      }
    }
  });
});

describe.each(wasm)('shiftedCholeskyPasses on $name at an unaligned g', ({ kernels: k }) => {
  it('gives the aligned answers', () => {
    const rng = new Rng(42);
    for (const n of [5, 17, 64]) {
      const values = gramOf(rng, n);
      const { fails, passes } = turningPoint(values, n);
      const g = tensorOf(k, [0, ...values]) as WasmTensor;
      const m = k.alloc(2 * n * n) as WasmTensor;
      expect(k.module.f32_shifted_cholesky(m.ptr, g.ptr + 4, fails, n), `n=${n} fails`).toBe(0);
      expect(k.module.f32_shifted_cholesky(m.ptr, g.ptr + 4, passes, n), `n=${n} passes`).toBe(1);
    }
  });
});
