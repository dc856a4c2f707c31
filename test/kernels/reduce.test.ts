/**
 * Reductions (Σx², Σ|x|, max|x|) on every backend against the float64 oracle, on short tensors of
 * every length up to 300 and on 1M elements, where an f32 accumulator would drift.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { Rng } from '../../src/init/rng.js';
import type { WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];

/** tensorOf for a wasm backend, typed so that its pointer can be used. */

const REDUCTIONS = ['sumSquares', 'sumAbs', 'maxAbs'] as const;
type Reduction = (typeof REDUCTIONS)[number];

/** Values over many magnitudes (N(0,1)·e^N(0,2)), as gradients are: a harder sum than N(0,1). */
function spread(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.normal() * Math.exp(2 * rng.normal()));
}

function reduce(k: Kernels, r: Reduction, values: ArrayLike<number>, n = values.length): number {
  const t = tensorOf(k, values);
  const result = k[r](t, n);
  k.free(t);
  return result;
}

describe.each(backends)('$name', ({ kernels: k }) => {
  describe.each(REDUCTIONS)('%s', (r) => {
    it('matches the float64 oracle for n = 0..300, reading only the first n', () => {
      const rng = new Rng(20);
      for (let n = 0; n <= 300; n++) {
        // Elements past n are huge: any of them read would show.
        const x = Float32Array.from([...spread(rng, n), 1e30, -1e30, 1e30]);
        const label = `${k.name} ${r} n=${n}`;
        const got = reduce(k, r, x, n);
        const expected = reduce(oracle, r, x, n);
        if (r === 'maxAbs') expect(got, label).toBe(expected);
        else expectClose([got], [expected], { rel: 1e-6 }, label);
      }
    });

    it('is within 1e-6 relative of float64 on 1M elements', () => {
      const x = spread(new Rng(21), 1_000_003);
      const got = reduce(k, r, x);
      const expected = reduce(oracle, r, x);
      if (r === 'maxAbs') expect(got).toBe(expected);
      else expectClose([got], [expected], { rel: 1e-6 }, `${k.name} ${r} on 1M`);
    });

    it('propagates a NaN wherever it is', () => {
      for (const at of [0, 1, 2, 3, 4, 15, 16, 17, 500, 1022, 1023, 1024, 1025, 1026]) {
        const x = spread(new Rng(22), 1027);
        x[at] = NaN;
        expect(reduce(k, r, x), `${k.name} ${r} with a NaN at ${at}`).toBeNaN();
      }
    });
  });

  it('sums beyond float32 in float64, as the oracle does: squares of entries above √FLOAT32_MAX ≈ 1.8e19, and |x| near FLOAT32_MAX', () => {
    // Where each SIMD block sums in float32 these overflowed to Inf while the scalar twin's float64 sum did not.
    for (const n of [1, 4, 5, 16, 1024, 1027, 3000]) {
      for (const at of [0, n >> 1, n - 1]) {
        const big = new Float32Array(n).fill(0.5);
        big[at] = -2e19;
        expectClose([reduce(k, 'sumSquares', big)], [reduce(oracle, 'sumSquares', big)], { rel: 1e-6 }, `${k.name} sumSquares n=${n} with 2e19 at ${at}`);
      }
      const many = new Float32Array(n).fill(1e19);
      expectClose([reduce(k, 'sumSquares', many)], [reduce(oracle, 'sumSquares', many)], { rel: 1e-6 }, `${k.name} sumSquares of ${n} × 1e19`);
      const huge = new Float32Array(n).fill(3e38);
      expectClose([reduce(k, 'sumAbs', huge)], [reduce(oracle, 'sumAbs', huge)], { rel: 1e-6 }, `${k.name} sumAbs of ${n} × 3e38`);
    }
    expect(reduce(k, 'sumSquares', [1, Infinity, 2, 3, 4])).toBe(Infinity);
  });

  it('maxAbs sees an infinity or a negative NaN wherever it is, in the vector loop as in the tail', () => {
    // Written as bits: a NaN stored through a Float32Array may lose its sign.
    const bits = { Infinity: 0x7f800000, '-Infinity': 0xff800000, 'a NaN with its sign bit set': 0xffc00000 };
    for (const at of [0, 3, 4, 31, 32, 33, 95, 500, 1023, 1024, 1026]) {
      for (const [name, pattern] of Object.entries(bits)) {
        const x = spread(new Rng(24), 1027);
        new Uint32Array(x.buffer)[at] = pattern;
        expect(reduce(k, 'maxAbs', x), `${k.name} maxAbs with ${name} at ${at}`).toBe(name.includes('NaN') ? NaN : Infinity);
      }
    }
  });

  it('maxAbs sees infinities and is 0 on nothing', () => {
    expect(reduce(k, 'maxAbs', [1, -Infinity, 2, 3, 4])).toBe(Infinity);
    expect(reduce(k, 'maxAbs', [1, 2, 3, 4, -5, 6])).toBe(6);
    expect(reduce(k, 'maxAbs', [-7, 2, 3, 4, -5, 6])).toBe(7);
    expect(reduce(k, 'maxAbs', [], 0)).toBe(0);
    expect(reduce(k, 'sumSquares', [], 0)).toBe(0);
    expect(reduce(k, 'sumAbs', [], 0)).toBe(0);
  });
});

/**
 * Σx² summed as the SIMD kernel sums it (assembly/reduce.simd.ts), in float64 arithmetic rounded
 * where the kernel rounds: each square to float32 (one rounding of the exact product, as f32x4.mul
 * does), four float32 accumulators of four lanes over 16 floats a trip and the leftover vectors
 * into the first, in blocks of 1,024 floats; each block's lanes folded in float32 as
 * (s0 + s1) + (s2 + s3), then lanes 0 + 2 and 1 + 3 in float64 into two partial sums; the last
 * n mod 4 squares in float64 after them. The kernel's bits, so the step guard's ‖g‖ (its messages,
 * its proofs) stays the same number whatever form the kernel takes a square in.
 */
function simdOrderSumSquares(x: Float32Array): number {
  const f = Math.fround;
  const n = x.length;
  const total = [0, 0];
  let i = 0;
  while (i + 4 <= n) {
    const end = Math.min(n, i + 1024);
    const s = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    for (; i + 16 <= end; i += 16) {
      for (let a = 0; a < 4; a++) for (let lane = 0; lane < 4; lane++) s[a][lane] = f(s[a][lane] + f(x[i + 4 * a + lane] ** 2));
    }
    for (; i + 4 <= end; i += 4) for (let lane = 0; lane < 4; lane++) s[0][lane] = f(s[0][lane] + f(x[i + lane] ** 2));
    const v = [0, 1, 2, 3].map((lane) => f(f(s[0][lane] + s[1][lane]) + f(s[2][lane] + s[3][lane])));
    total[0] += v[0] + v[2];
    total[1] += v[1] + v[3];
  }
  let tail = 0;
  for (; i < n; i++) tail += x[i] * x[i];
  return total[0] + total[1] + tail;
}

describe.each(wasmBackends.filter((b) => b.kernels.variant === 'simd'))('$name sumSquares', ({ kernels: k }) => {
  it('has the bits of its summation order, for negative entries and squares that underflow too', () => {
    const rng = new Rng(31);
    for (const n of [1, 4, 15, 16, 17, 100, 1023, 1024, 1025, 2100, 5000]) {
      const x = spread(rng, n);
      // Entries near 1e-20 square below float32's smallest normal (1.2e-38): their rounding is tested too.
      for (let i = 0; i < n; i += 3) x[i] *= 1e-20;
      expect(reduce(k, 'sumSquares', x), `n=${n}`).toBe(simdOrderSumSquares(x));
    }
  });
});

describe.each(wasmBackends)('$name raw exports', ({ kernels: k }) => {
  it('f32_all_finite is 1 for finite values (even ones whose float32 sum overflows) and 0 for a NaN or an infinity anywhere', () => {
    const bits = [0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000]; // ±Infinity and a NaN of each sign, as bits
    for (const n of [0, 1, 3, 4, 5, 31, 32, 33, 63, 64, 100, 1027]) {
      const x = spread(new Rng(25), n);
      const t = wasmTensorOf(k, [7, ...x, Infinity]);
      expect(k.module.f32_all_finite(t.ptr + 4, n), `finite n=${n}`).toBe(1);
      for (let at = 0; at < n; at += Math.max(1, Math.floor(n / 7))) {
        const u = new Uint32Array(k.exports.memory.buffer, t.ptr + 4, n);
        const kept = u[at];
        for (const pattern of bits) {
          u[at] = pattern;
          expect(k.module.f32_all_finite(t.ptr + 4, n), `bits 0x${pattern.toString(16)} at ${at} of ${n}`).toBe(0);
        }
        u[at] = kept;
      }
      k.free(t);
    }
    // ±3e38 sum past FLOAT32_MAX in every lane: the fast sum overflows, and the exact test still says finite.
    const huge = wasmTensorOf(k, Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? -3e38 : 3e38)));
    expect(k.module.f32_all_finite(huge.ptr, 1000)).toBe(1);
    new Float32Array(k.exports.memory.buffer, huge.ptr, 1000)[999] = NaN;
    expect(k.module.f32_all_finite(huge.ptr, 1000)).toBe(0);
    k.free(huge);
  });


  it('give the same result through pointers that are only 4-byte aligned', () => {
    const rng = new Rng(23);
    for (const n of [1, 3, 4, 5, 16, 17, 1023, 1024, 1025, 3001]) {
      const x = spread(rng, n);
      const t = wasmTensorOf(k, [7, ...x, 1e30]);
      expect(k.module.f32_sum_squares(t.ptr + 4, n), `sum_squares n=${n}`).toBe(reduce(k, 'sumSquares', x));
      expect(k.module.f32_sum_abs(t.ptr + 4, n), `sum_abs n=${n}`).toBe(reduce(k, 'sumAbs', x));
      expect(k.module.f32_max_abs(t.ptr + 4, n), `max_abs n=${n}`).toBe(reduce(k, 'maxAbs', x));
      k.free(t);
    }
  });
});
