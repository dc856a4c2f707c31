// What the statistics kernels of stats.simd.ts and stats.scalar.ts share: the activation codes and
// σ'(z) for each, once as f32 and once as f32x4 with the same operations in the same order, so a
// lane of the vector version has the same bits as the scalar one. Nothing here is a module export.

import { LEAKY_RELU_SLOPE, SELU_LAMBDA, SELU_LAMBDA_ALPHA } from './constants';
import { expf32, expf32x4, pick } from './exp';

// Activation codes: the index of each name in ACTIVATIONS (src/kernels.ts); the binding
// passes that index, so the two lists cannot drift apart unnoticed (the parity test covers each).
@inline export const SIGMOID: i32 = 0;
@inline export const TANH: i32 = 1;
@inline export const RELU: i32 = 2;
@inline export const LEAKY_RELU: i32 = 3;
@inline export const SOFTSIGN: i32 = 4;
@inline export const LINEAR: i32 = 5; // σ' = 1, as for any code not named here
@inline export const SELU: i32 = 6;

// Slots of the f64 results of f32_activation_stats; twin of ACTIVATION_STAT in src/kernels.ts.
@inline export const STAT_SUM: i32 = 0;
@inline export const STAT_SUM_SQUARES: i32 = 1;
@inline export const STAT_MIN: i32 = 2;
@inline export const STAT_MAX: i32 = 3;
@inline export const STAT_SUM_PRIME: i32 = 4;
@inline export const STAT_MAX_PRIME: i32 = 5;
@inline export const STAT_SATURATED: i32 = 6;
@inline export const STAT_ALIVE_UNITS: i32 = 7;

// Units whose sums run in f32x4 before they are promoted to f64, in the SIMD statistics kernels
// (stats.simd.ts, and the traced updates of update.simd.ts), so their rounding does not grow with a layer's size.
@inline export const STAT_BLOCK: i32 = 1024;

// Slots of the f64 results of f32_weight_stats; twin of WEIGHT_STAT in src/kernels.ts.
@inline export const WSTAT_GRAD_SQUARES: i32 = 0;
@inline export const WSTAT_GRAD_ABS: i32 = 1;
@inline export const WSTAT_GRAD_MAX_ABS: i32 = 2;
@inline export const WSTAT_WEIGHT_SQUARES: i32 = 3;
@inline export const WSTAT_CHANGE_SQUARES: i32 = 4;

/** Writes the five weight statistics into their slots of `out` (f64), largest as the bits of max|g| (f32_max_abs' order). */
@inline export function storeWeightStats(out: usize, gg: f64, ga: f64, largest: i32, ww: f64, dd: f64): void {
  store<f64>(out + (WSTAT_GRAD_SQUARES << 3), gg);
  store<f64>(out + (WSTAT_GRAD_ABS << 3), ga);
  store<f64>(out + (WSTAT_GRAD_MAX_ABS << 3), <f64>reinterpret<f32>(largest));
  store<f64>(out + (WSTAT_WEIGHT_SQUARES << 3), ww);
  store<f64>(out + (WSTAT_CHANGE_SQUARES << 3), dd);
}

/** σ'(z) given z and a = σ(z), as the backward kernels compute it. */
@inline export function primef32(kind: i32, z: f32, a: f32): f32 {
  if (kind == SIGMOID) return a * (1 - a);
  if (kind == TANH) return 1 - a * a;
  if (kind == RELU) return select<f32>(1, 0, z > 0);
  if (kind == LEAKY_RELU) return select<f32>(1, LEAKY_RELU_SLOPE, z > 0);
  if (kind == SOFTSIGN) {
    const d: f32 = 1 + abs(z);
    return 1 / (d * d);
  }
  if (kind == SELU) return pick(SELU_LAMBDA, SELU_LAMBDA_ALPHA * expf32(z), z > 0);
  return 1;
}

/** primef32 lane by lane. */
@inline export function primef32x4(kind: i32, z: v128, a: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == SIGMOID) return f32x4.mul(a, f32x4.sub(one, a));
  if (kind == TANH) return f32x4.sub(one, f32x4.mul(a, a));
  if (kind == RELU) return v128.and(f32x4.gt(z, f32x4.splat(0)), one);
  if (kind == LEAKY_RELU) return v128.bitselect(one, f32x4.splat(LEAKY_RELU_SLOPE), f32x4.gt(z, f32x4.splat(0)));
  if (kind == SOFTSIGN) {
    const d = f32x4.add(one, f32x4.abs(z));
    return f32x4.div(one, f32x4.mul(d, d));
  }
  if (kind == SELU) {
    return v128.bitselect(f32x4.splat(SELU_LAMBDA), f32x4.mul(f32x4.splat(SELU_LAMBDA_ALPHA), expf32x4(z)), f32x4.gt(z, f32x4.splat(0)));
  }
  return one;
}

/** The histogram bin of v (clamped to the end bins), from t = (v − lo)·scale; v must not be NaN. */
@inline export function binOf(t: f32, last: f32): i32 {
  // Clamped as a float first: a huge t would overflow the integer conversion.
  return <i32>min(max(t, <f32>0), last);
}
