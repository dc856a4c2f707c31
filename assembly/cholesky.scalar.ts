// Cholesky factorisation and the inverse of a triangular factor, in scalar arithmetic: the twins
// of cholesky.simd.ts (no v128 in this file). K-FAC inverts its damped Kronecker factors with
// them: A⁻¹ = (L·Lᵀ)⁻¹ = L⁻ᵀ·L⁻¹, the last product a dense GEMM.

import { axpyRange, choleskyEntry, dotPrefix, scaleRange } from './curvature.common';

// The Cholesky–Banachiewicz order: row j of L needs only rows < j, and each entry is one dot
// product of two contiguous row prefixes (the part the SIMD twin vectorises).
export function f32_cholesky__scalar(l: usize, a: usize, n: i32): i32 {
  // l, a are (n, n); a symmetric (only its lower triangle is read). l = the lower-triangular L
  // with L·Lᵀ = a, upper triangle zeroed. Returns 0, or 1 + the row whose pivot was not > 0.
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < n; i++) {
    const li = l + <usize>i * rowBytes;
    const ai = a + <usize>i * rowBytes;
    for (let j = 0; j <= i; j++) {
      const lj = l + <usize>j * rowBytes;
      // not positive definite (or NaN): report the failing row
      if (!choleskyEntry(li, lj, i, j, <f64>load<f32>(ai + (<usize>j << 2)) - dotPrefix(li, lj, j))) return i + 1;
    }
    for (let j = i + 1; j < n; j++) store<f32>(li + (<usize>j << 2), 0);
  }
  return 0;
}

export function f32_tril_inverse__scalar(m: usize, l: usize, n: i32): void {
  // m, l are (n, n); l lower-triangular with a non-zero diagonal. m = L⁻¹ (lower-triangular).
  // Row i of L·M = e_i gives M_i = (e_i − Σ_{k<i} L_ik·M_k)/L_ii: axpys of contiguous row prefixes.
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < n; i++) {
    const mi = m + <usize>i * rowBytes;
    memory.fill(mi, 0, rowBytes);
    for (let k = 0; k < i; k++) {
      const c = -load<f32>(l + <usize>i * rowBytes + (<usize>k << 2));
      axpyRange(mi, m + <usize>k * rowBytes, c, 0, k + 1);
    }
    const inv = <f32>1 / load<f32>(l + <usize>i * rowBytes + (<usize>i << 2));
    scaleRange(mi, inv, 0, i);
    store<f32>(mi + (<usize>i << 2), inv);
  }
}
