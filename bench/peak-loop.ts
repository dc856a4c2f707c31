/**
 * The in-run peak as the benches call it: one binary's f32_peak_madd (assembly/peak.*.ts: the
 * microkernel's multiply-adds in registers, operands in L1), its flops per trip, and calls of it
 * sized to the flops of what it is compared with. On a shared machine a call longer than the
 * scheduler's slice is preempted in every sample, so a 12 ms product is compared with a peak call
 * that lasts as long, not a 1 ms one.
 */
import type { WasmKernels } from '../src/wasm/wasm-kernels.js';

/** The fewest trips of a call sized to some flops: ~1 µs, where a smaller call would time the call itself. */
export const MIN_PEAK_TRIPS = 1000;

export interface PeakLoop {
  /** The flops of one trip, as f32_peak_madd counts them (64 on the SIMD binary, 16 on the scalar: test/wasm/peak.test.ts). */
  readonly flopsPerTrip: number;
  /** The trips of a call of about `flops` flops (MIN_PEAK_TRIPS at least). */
  tripsFor(flops: number): number;
  /** A bench task: one call of `trips` trips. */
  call(trips: number): () => void;
  /** Frees the loop's output tensor. */
  free(): void;
}

/** The peak loop of `k`'s binary, writing its accumulators to a tensor of its own. */
export function peakLoop(k: WasmKernels): PeakLoop {
  const out = k.alloc(16);
  const flopsPerTrip = k.module.f32_peak_madd(out.ptr, 1);
  return {
    flopsPerTrip,
    tripsFor: (flops) => Math.max(MIN_PEAK_TRIPS, Math.round(flops / flopsPerTrip)),
    call: (trips) => () => void k.module.f32_peak_madd(out.ptr, trips),
    free: () => k.free(out),
  };
}
