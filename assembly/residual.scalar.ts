// Residual connections in scalar f32: the twins of residual.simd.ts (no v128 in this file),
// giving the same bits. The plain skip y = x + branch (He et al. 2016) and the ReZero gate
// y = x + α·branch with a learned scalar α (Bachlechner et al. 2020).
//
// Forward kernels overwrite y (which may be x or branch); backward kernels accumulate.

import { rezeroTail } from './residual.common';

export function f32_residual_fwd__scalar(y: usize, x: usize, branch: usize, n: i32): void {
  // y, x, branch are (n); y = x + branch
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) + load<f32>(branch + o));
  }
}

export function f32_residual_bwd__scalar(dx: usize, dbranch: usize, dy: usize, n: i32): void {
  // dx, dbranch, dy are (n); dx += dy, dbranch += dy
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(dy + o);
    store<f32>(dx + o, load<f32>(dx + o) + d);
    store<f32>(dbranch + o, load<f32>(dbranch + o) + d);
  }
}

export function f32_rezero_fwd__scalar(y: usize, x: usize, branch: usize, alpha: usize, n: i32): void {
  // y, x, branch are (n); alpha is (1); y = x + α·branch
  const a = load<f32>(alpha);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) + a * load<f32>(branch + o));
  }
}

export function f32_rezero_bwd__scalar(dx: usize, dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32): void {
  // dx, dbranch, dy, branch are (n); dalpha, alpha are (1).
  // dx += dy;  dbranch += α·dy;  dalpha += Σ dy·branch, the exact f64 products summed in four
  // partial sums (the SIMD twin's lanes) folded as (s₀ + s₁) + (s₂ + s₃), then the tail in order.
  rezeroBackward(dx, dbranch, dalpha, dy, branch, alpha, n, true);
}

export function f32_rezero_gate_bwd__scalar(dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32): void {
  // dbranch, dy, branch are (n); dalpha, alpha are (1): rezero_bwd's dbranch and dalpha, the same bits, without dx
  rezeroBackward(0, dbranch, dalpha, dy, branch, alpha, n, false);
}

/** rezero_bwd, dx only `withDx`. */
@inline function rezeroBackward(dx: usize, dbranch: usize, dalpha: usize, dy: usize, branch: usize, alpha: usize, n: i32, withDx: bool): void {
  const a = load<f32>(alpha);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  const whole = n & ~3;
  for (let i = 0; i < whole; i += 4) {
    const o = <usize>i << 2;
    s0 += <f64>load<f32>(dy + o) * <f64>load<f32>(branch + o);
    s1 += <f64>load<f32>(dy + o, 4) * <f64>load<f32>(branch + o, 4);
    s2 += <f64>load<f32>(dy + o, 8) * <f64>load<f32>(branch + o, 8);
    s3 += <f64>load<f32>(dy + o, 12) * <f64>load<f32>(branch + o, 12);
  }
  rezeroTail(dx, dbranch, dalpha, dy, branch, a, (s0 + s1) + (s2 + s3), 0, whole, n, withDx);
}
