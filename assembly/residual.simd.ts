// Residual connections on f32x4: the plain skip y = x + branch and the ReZero gate
// y = x + α·branch. Each lane runs the operations of the scalar twin (residual.scalar.ts) in the
// same order, so both give the same bits; the last n mod 4 elements go to the scalar loops.
//
// Forward kernels overwrite y (which may be x or branch); backward kernels accumulate.

import { f32_residual_fwd__scalar, f32_residual_bwd__scalar, f32_rezero_fwd__scalar } from './residual.scalar';
import { rezeroTail } from './residual.common';

export function f32_residual_fwd__simd(y: usize, x: usize, branch: usize, n: i32): void {
  // y, x, branch are (n); y = x + branch
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(x + o), v128.load(branch + o)));
  }
  const o = <usize>i << 2;
  f32_residual_fwd__scalar(y + o, x + o, branch + o, n - i);
}

export function f32_residual_bwd__simd(dx: usize, dbranch: usize, dy: usize, n: i32): void {
  // dx, dbranch, dy are (n); dx += dy, dbranch += dy
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dy + o);
    v128.store(dx + o, f32x4.add(v128.load(dx + o), d));
    v128.store(dbranch + o, f32x4.add(v128.load(dbranch + o), d));
  }
  const o = <usize>i << 2;
  f32_residual_bwd__scalar(dx + o, dbranch + o, dy + o, n - i);
}

export function f32_rezero_fwd__simd(y: usize, x: usize, branch: usize, alpha: usize, n: i32): void {
  // y, x, branch are (n); alpha is (1); y = x + α·branch
  const a = v128.load32_splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(x + o), f32x4.mul(a, v128.load(branch + o))));
  }
  const o = <usize>i << 2;
  f32_rezero_fwd__scalar(y + o, x + o, branch + o, alpha, n - i);
}

export function f32_rezero_bwd__simd(dx: usize, dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32): void {
  // dx, dbranch, dy, branch are (n); dalpha, alpha are (1).
  // dx += dy;  dbranch += α·dy;  dalpha += Σ dy·branch (exact f64 products, one partial sum per lane)
  rezeroBackward4(dx, dbranch, dalpha, dy, branch, alpha, n, true);
}

export function f32_rezero_gate_bwd__simd(dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32): void {
  // dbranch, dy, branch are (n); dalpha, alpha are (1): rezero_bwd's dbranch and dalpha, the same bits, without dx
  rezeroBackward4(0, dbranch, dalpha, dy, branch, alpha, n, false);
}

/** rezero_bwd four elements at a time, dx only `withDx`; the last n mod 4 by the scalar loop. */
@inline function rezeroBackward4(dx: usize, dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32, withDx: bool): void {
  const a = load<f32>(alpha);
  const a4 = f32x4.splat(a);
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dy + o), b = v128.load(branch + o);
    lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(d), f64x2.promote_low_f32x4(b)));
    hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(f32x4.shuffle(d, d, 2, 3, 2, 3)), f64x2.promote_low_f32x4(f32x4.shuffle(b, b, 2, 3, 2, 3))));
    if (withDx) v128.store(dx + o, f32x4.add(v128.load(dx + o), d));
    v128.store(dbranch + o, f32x4.add(v128.load(dbranch + o), f32x4.mul(a4, d)));
  }
  const sum = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  rezeroTail(dx, dbranch, dalpha, dy, branch, a, sum, i, i, n, withDx);
}
