// Whether t·I − g passes a float64 Cholesky factorisation, in scalar arithmetic: the twin of
// shifted-cholesky.simd.ts (no v128 in this file) and of src/ref/shifted-cholesky.ts, the same
// float64 operations in the same order. The gradient-flow trace's proved bound on ‖W‖₂
// (src/flow/spectral-bound.ts) rests on it: g is W's Gram matrix (f32), the factor float64.
//
// Rows i, i + 1 are made together, each pair against rows j, j + 1 at once, and every inner
// product is summed over its even terms and its odd terms apart (the SIMD twin's two f64 lanes),
// then the two added.

import { at, gram, put, shiftedCholeskyLastRow } from './shifted-cholesky.common';

export function f32_shifted_cholesky__scalar(m: usize, g: usize, t: f64, n: i32): i32 {
  // m is (n, n) f64 scratch (overwritten: its lower triangle), g (n, n) f32, symmetric (only its
  // lower triangle is read). Returns 1 where every pivot of t·I − g was > 0, else 0.
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = i * n;
    const b = a + n;
    for (let j = 0; j < i; j += 2) {
      const p = j * n;
      const q = p + n;
      let aj0: f64 = -gram(g, a + j), aj1: f64 = 0, aq0: f64 = -gram(g, a + j + 1), aq1: f64 = 0;
      let bj0: f64 = -gram(g, b + j), bj1: f64 = 0, bq0: f64 = -gram(g, b + j + 1), bq1: f64 = 0;
      for (let c = 0; c < j; c += 2) {
        const x0 = at(m, a + c), x1 = at(m, a + c + 1), y0 = at(m, b + c), y1 = at(m, b + c + 1);
        const u0 = at(m, p + c), u1 = at(m, p + c + 1), v0 = at(m, q + c), v1 = at(m, q + c + 1);
        aj0 -= x0 * u0;
        aj1 -= x1 * u1;
        aq0 -= x0 * v0;
        aq1 -= x1 * v1;
        bj0 -= y0 * u0;
        bj1 -= y1 * u1;
        bq0 -= y0 * v0;
        bq1 -= y1 * v1;
      }
      const aj = (aj0 + aj1) / at(m, p + j);
      const bj = (bj0 + bj1) / at(m, p + j);
      put(m, a + j, aj);
      put(m, b + j, bj);
      // Column j + 1's sums run to c = j, whose term needs column j's entries just made.
      put(m, a + j + 1, (aq0 + aq1 - aj * at(m, q + j)) / at(m, q + j + 1));
      put(m, b + j + 1, (bq0 + bq1 - bj * at(m, q + j)) / at(m, q + j + 1));
    }
    let ii0: f64 = t - gram(g, a + i), ii1: f64 = 0, ji0: f64 = -gram(g, b + i), ji1: f64 = 0, jj0: f64 = t - gram(g, b + i + 1), jj1: f64 = 0;
    for (let c = 0; c < i; c += 2) {
      const x0 = at(m, a + c), x1 = at(m, a + c + 1), y0 = at(m, b + c), y1 = at(m, b + c + 1);
      ii0 -= x0 * x0;
      ii1 -= x1 * x1;
      ji0 -= y0 * x0;
      ji1 -= y1 * x1;
      jj0 -= y0 * y0;
      jj1 -= y1 * y1;
    }
    const pivot = ii0 + ii1;
    if (!(pivot > 0)) return 0;
    const diagonal = Math.sqrt(pivot);
    put(m, a + i, diagonal);
    const below = (ji0 + ji1) / diagonal;
    put(m, b + i, below);
    const next = jj0 + jj1 - below * below;
    if (!(next > 0)) return 0;
    put(m, b + i + 1, Math.sqrt(next));
  }
  return i < n ? <i32>shiftedCholeskyLastRow(m, g, t, n, i) : 1;
}
