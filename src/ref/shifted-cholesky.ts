/**
 * The reference twin of shiftedCholeskyPasses (assembly/shifted-cholesky.*.ts): whether t·I − g
 * passes a float64 Cholesky factorisation, the test spectralBound's proof rests on. The wasm twins
 * make the same float64 operations in the same order, so every backend gives the same answer on
 * the same g.
 */
import type { FloatArray } from '../kernels.js';

/**
 * Whether t·I − g (`[n][n]`, symmetric, its lower triangle read) passed a float64 Cholesky
 * factorisation: every pivot > 0. Rows i, i + 1 are made together, each pair against rows j, j + 1
 * at once, so that every value loaded serves two products, and each inner product is summed over
 * its even and its odd terms apart (two lanes of f64x2 in the SIMD twin), then added.
 * Theorem 10.3 of Higham (2002) bounds the backward error for any order of the sums.
 */
export function shiftedCholeskyPasses(g: FloatArray, t: number, n: number): boolean {
  return shiftedCholesky(new Float64Array(n * n), g, t, n);
}

/** shiftedCholeskyPasses with its factor written to `m` (`[n][n]`, its lower triangle; the rest untouched), as the wasm twins write their scratch. */
export function shiftedCholesky(m: Float64Array, g: FloatArray, t: number, n: number): boolean {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = i * n;
    const b = a + n;
    // i is even, so is every j: the pairs of columns before i, each a 2 × 2 block of inner products over c < j.
    for (let j = 0; j < i; j += 2) {
      const p = j * n;
      const q = p + n;
      let aj0 = -g[a + j], aj1 = 0, aq0 = -g[a + j + 1], aq1 = 0;
      let bj0 = -g[b + j], bj1 = 0, bq0 = -g[b + j + 1], bq1 = 0;
      for (let c = 0; c < j; c += 2) {
        const x0 = m[a + c], x1 = m[a + c + 1], y0 = m[b + c], y1 = m[b + c + 1];
        const u0 = m[p + c], u1 = m[p + c + 1], v0 = m[q + c], v1 = m[q + c + 1];
        aj0 -= x0 * u0;
        aj1 -= x1 * u1;
        aq0 -= x0 * v0;
        aq1 -= x1 * v1;
        bj0 -= y0 * u0;
        bj1 -= y1 * u1;
        bq0 -= y0 * v0;
        bq1 -= y1 * v1;
      }
      const aj = (aj0 + aj1) / m[p + j];
      const bj = (bj0 + bj1) / m[p + j];
      m[a + j] = aj;
      m[b + j] = bj;
      // Column j + 1's sums run to c = j, whose term needs column j's entries just made.
      m[a + j + 1] = (aq0 + aq1 - aj * m[q + j]) / m[q + j + 1];
      m[b + j + 1] = (bq0 + bq1 - bj * m[q + j]) / m[q + j + 1];
    }
    let ii0 = t - g[a + i], ii1 = 0, ji0 = -g[b + i], ji1 = 0, jj0 = t - g[b + i + 1], jj1 = 0;
    for (let c = 0; c < i; c += 2) {
      const x0 = m[a + c], x1 = m[a + c + 1], y0 = m[b + c], y1 = m[b + c + 1];
      ii0 -= x0 * x0;
      ii1 -= x1 * x1;
      ji0 -= y0 * x0;
      ji1 -= y1 * x1;
      jj0 -= y0 * y0;
      jj1 -= y1 * y1;
    }
    const pivot = ii0 + ii1;
    if (!(pivot > 0)) return false;
    m[a + i] = Math.sqrt(pivot);
    const below = (ji0 + ji1) / m[a + i];
    m[b + i] = below;
    const next = jj0 + jj1 - below * below;
    if (!(next > 0)) return false;
    m[b + i + 1] = Math.sqrt(next);
  }
  // An odd n's last row, one entry at a time.
  if (i < n) {
    const row = i * n;
    for (let j = 0; j <= i; j++) {
      let sum = (i === j ? t : 0) - g[row + j];
      for (let c = 0; c < j; c++) sum -= m[row + c] * m[j * n + c];
      if (i === j) return sum > 0;
      m[row + j] = sum / m[j * n + j];
    }
  }
  return true;
}
