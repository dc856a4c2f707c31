// Cholesky factorisation and the inverse of a triangular factor on f32x4: the loops of
// cholesky.scalar.ts with their inner row-prefix dot products and axpys four lanes at a time.

import { axpyRange, choleskyEntry, dotPrefix, scaleRange } from './curvature.common';

// Σ_{k<len} x_k·y_k with lanes promoted to f64 before the multiply (exact products, as the twin).
@inline function dotPrefix4(x: usize, y: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const o = <usize>k << 2;
    const xv = v128.load(x + o), yv = v128.load(y + o);
    s0 = f64x2.add(s0, f64x2.mul(f64x2.promote_low_f32x4(xv), f64x2.promote_low_f32x4(yv)));
    const xh = i32x4.shuffle(xv, xv, 2, 3, 0, 1), yh = i32x4.shuffle(yv, yv, 2, 3, 0, 1);
    s1 = f64x2.add(s1, f64x2.mul(f64x2.promote_low_f32x4(xh), f64x2.promote_low_f32x4(yh)));
  }
  const s = f64x2.add(s0, s1);
  const o = <usize>k << 2;
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + dotPrefix(x + o, y + o, len - k);
}

export function f32_cholesky__simd(l: usize, a: usize, n: i32): i32 {
  // l, a are (n, n); as f32_cholesky__scalar: L·Lᵀ = a, returns 0 or 1 + the failing row
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < n; i++) {
    const li = l + <usize>i * rowBytes;
    const ai = a + <usize>i * rowBytes;
    for (let j = 0; j <= i; j++) {
      const lj = l + <usize>j * rowBytes;
      if (!choleskyEntry(li, lj, i, j, <f64>load<f32>(ai + (<usize>j << 2)) - dotPrefix4(li, lj, j))) return i + 1;
    }
    for (let j = i + 1; j < n; j++) store<f32>(li + (<usize>j << 2), 0);
  }
  return 0;
}

export function f32_tril_inverse__simd(m: usize, l: usize, n: i32): void {
  // m, l are (n, n); m = L⁻¹, by the same f32 operations as the scalar twin (same bits)
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < n; i++) {
    const mi = m + <usize>i * rowBytes;
    memory.fill(mi, 0, rowBytes);
    for (let k = 0; k < i; k++) {
      const c = -load<f32>(l + <usize>i * rowBytes + (<usize>k << 2));
      const cv = f32x4.splat(c);
      const mk = m + <usize>k * rowBytes;
      let j = 0;
      for (; j + 4 <= k + 1; j += 4) {
        const o = <usize>j << 2;
        v128.store(mi + o, f32x4.add(v128.load(mi + o), f32x4.mul(cv, v128.load(mk + o))));
      }
      axpyRange(mi, mk, c, j, k + 1);
    }
    const inv = <f32>1 / load<f32>(l + <usize>i * rowBytes + (<usize>i << 2));
    const iv = f32x4.splat(inv);
    let j = 0;
    for (; j + 4 <= i; j += 4) {
      const o = <usize>j << 2;
      v128.store(mi + o, f32x4.mul(v128.load(mi + o), iv));
    }
    scaleRange(mi, inv, j, i);
    store<f32>(mi + (<usize>i << 2), inv);
  }
}
