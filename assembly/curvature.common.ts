// What the curvature and Cholesky kernels of both variants share (reductions, the Cholesky entry,
// row axpys), so the twins compute them with the same bits. Not re-exported by the entries: nothing
// here is a kernel.

import { SIGMOID, TANH, SOFTSIGN, SELU } from './stats.common';
import { SELU_LAMBDA_ALPHA } from './constants';
import { expf32, expf32x4, pick } from './exp';

// Σ_j a_j·rz_j of one row, in f64: shared by both twins so the row's projection has the same bits.
@inline export function rowProjection(a: usize, rz: usize, n: i32): f32 {
  let sum: f64 = 0;
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    sum += <f64>load<f32>(a + o) * <f64>load<f32>(rz + o);
  }
  return <f32>sum;
}

// Σ_{k<len} x_k·y_k in f64 over exact products: the pivots of a nearly singular factor need it.
@inline export function dotPrefix(x: usize, y: usize, len: i32): f64 {
  let sum: f64 = 0;
  for (let k = 0; k < len; k++) {
    const o = <usize>k << 2;
    sum += <f64>load<f32>(x + o) * <f64>load<f32>(y + o);
  }
  return sum;
}


// One entry L_ij of the Cholesky–Banachiewicz order, from s = a_ij − Σ_{k<j} L_ik·L_jk (li, lj the
// rows i and j of L): the pivot √s on the diagonal, s / L_jj below it. Returns false, storing
// nothing, where a pivot is not > 0 (not positive definite, or NaN) instead of taking √ of it.
@inline export function choleskyEntry(li: usize, lj: usize, i: i32, j: i32, s: f64): bool {
  if (i == j) {
    if (!(s > 0)) return false;
    store<f32>(li + (<usize>i << 2), <f32>Math.sqrt(s));
  } else {
    store<f32>(li + (<usize>j << 2), <f32>(s / <f64>load<f32>(lj + (<usize>j << 2))));
  }
  return true;
}

// y[from..to) += c·x[from..to) in f32: the row axpys of the triangular inverse.
@inline export function axpyRange(y: usize, x: usize, c: f32, from: i32, to: i32): void {
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + c * load<f32>(x + o));
  }
}

// x[from..to) *= c in f32.
@inline export function scaleRange(x: usize, c: f32, from: i32, to: i32): void {
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    store<f32>(x + o, load<f32>(x + o) * c);
  }
}

// f''(z) given z and a = f(z), for the Hessian's R-operator (kind: the activation codes of
// stats.common.ts). Zero for the piecewise-linear activations (relu, leaky-relu, linear).
//   sigmoid: a(1 − a)(1 − 2a);  tanh: −2a(1 − a)(1 + a);  softsign: −2·sign(z)/(1 + |z|)³;
//   selu: 0 for z > 0, λα·eᶻ otherwise.
@inline export function secondf32(kind: i32, z: f32, a: f32): f32 {
  if (kind == SIGMOID) return a * (1 - a) * (1 - 2 * a);
  if (kind == TANH) return -2 * a * ((1 - a) * (1 + a));
  if (kind == SOFTSIGN) {
    const d: f32 = 1 + abs(z);
    const sign: f32 = select<f32>(1, 0, z > 0) - select<f32>(1, 0, z < 0);
    return (-2 * sign) / (d * d * d);
  }
  if (kind == SELU) return pick(0, SELU_LAMBDA_ALPHA * expf32(z), z > 0);
  return 0;
}

/** secondf32 lane by lane. */
@inline export function secondf32x4(kind: i32, z: v128, a: v128): v128 {
  const one = f32x4.splat(1), two = f32x4.splat(2), zero = f32x4.splat(0);
  if (kind == SIGMOID) return f32x4.mul(f32x4.mul(a, f32x4.sub(one, a)), f32x4.sub(one, f32x4.mul(two, a)));
  if (kind == TANH) return f32x4.mul(f32x4.mul(f32x4.splat(-2), a), f32x4.mul(f32x4.sub(one, a), f32x4.add(one, a)));
  if (kind == SOFTSIGN) {
    const d = f32x4.add(one, f32x4.abs(z));
    const sign = f32x4.sub(v128.and(f32x4.gt(z, zero), one), v128.and(f32x4.lt(z, zero), one));
    return f32x4.div(f32x4.mul(f32x4.splat(-2), sign), f32x4.mul(f32x4.mul(d, d), d));
  }
  if (kind == SELU) return v128.bitselect(zero, f32x4.mul(f32x4.splat(SELU_LAMBDA_ALPHA), expf32x4(z)), f32x4.gt(z, zero));
  return zero;
}

/** Whether f'' is zero everywhere (the curvature kernel then leaves dz as it is). */
@inline export function secondIsZero(kind: i32): bool {
  return kind != SIGMOID && kind != TANH && kind != SOFTSIGN && kind != SELU;
}
