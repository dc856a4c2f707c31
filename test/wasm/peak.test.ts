// The in-run peak loops (assembly/peak.*.ts) that every "% of peak" goal divides by: each call
// does as many trips as it is asked for, in whole inner blocks and a partial last one
// (peak.common.ts), and says how many flops that was. Checked against the sums the trips add up
// to, so a loop that drops or repeats a trip fails.
import { describe, expect, it } from 'vitest';
import { relaxedSimdSupported } from '../../src/wasm/loader.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';

/** The operands the loops write to out[0..16): 1 + i/16, exact in float32. */
const operand = (i: number) => Math.fround(1 + i / 16);

/** acc += a·b `trips` times in float32, the product and each sum rounded as f32x4.mul and f32x4.add round. */
function accumulated(a: number, b: number, trips: number): number {
  const product = Math.fround(a * b);
  let acc = 0;
  for (let t = 0; t < trips; t++) acc = Math.fround(acc + product);
  return acc;
}

/** What f32_peak_madd__simd leaves in out[0..16): row r's two accumulators (b0 and b1 columns) folded, lane by lane. */
function simdOut(trips: number): number[] {
  return [1, 3, 5, 7].flatMap((aAt) =>
    [0, 1, 2, 3].map((lane) => Math.fround(accumulated(operand(aAt + lane), operand(lane), trips) + accumulated(operand(aAt + lane), operand(4 + lane), trips))),
  );
}

/** What f32_peak_madd__scalar leaves in out[0..8): c00, c01, c10, … (a at 2..5, b0 and b1 at 0 and 1). */
function scalarOut(trips: number): number[] {
  return [2, 3, 4, 5].flatMap((aAt) => [0, 1].map((bAt) => accumulated(operand(aAt), operand(bAt), trips)));
}

// Around one inner block (256 trips), and several.
const TRIPS = [0, 1, 255, 256, 257, 1000];

interface PeakCase {
  binary: 'simd' | 'scalar' | 'simd-relaxed';
  variant: 'simd' | 'scalar';
  flopsPerTrip: number;
  expected: (trips: number) => number[];
}

const binaries: PeakCase[] = [
  { binary: 'simd', variant: 'simd', flopsPerTrip: 64, expected: simdOut },
  { binary: 'scalar', variant: 'scalar', flopsPerTrip: 16, expected: scalarOut },
  ...(relaxedSimdSupported() ? [{ binary: 'simd-relaxed', variant: 'simd', flopsPerTrip: 64, expected: simdOut } as const] : []),
];

describe('the peak loop runs every trip it is asked for', () => {
  it.each(binaries)('$binary binary, $variant loop', async ({ binary, variant, flopsPerTrip, expected }) => {
    const k = await createWasmKernels({ binary, variant });
    const out = k.alloc(16);
    for (const trips of TRIPS) {
      expect(k.module.f32_peak_madd(out.ptr, trips), `flops of ${trips} trips`).toBe(flopsPerTrip * trips);
      if (trips === 0) continue;
      const want = expected(trips);
      const got = Array.from(k.view(out).subarray(0, want.length));
      // relaxed_madd may fuse the multiply into the add (one rounding instead of two): the same sums to float32 precision.
      const tolerance = binary === 'simd-relaxed' ? 1e-5 : 0;
      got.forEach((value, i) => expect(Math.abs(value - want[i]), `out[${i}] after ${trips} trips: ${value}, not ${want[i]}`).toBeLessThanOrEqual(tolerance * Math.abs(want[i])));
    }
  });

  it('counts no flops for a negative trip count', async () => {
    const k = await createWasmKernels({ binary: 'simd', variant: 'simd' });
    expect(k.module.f32_peak_madd(k.alloc(16).ptr, -5)).toBe(0);
  });
});
