/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the QL algorithm with implicit
 * shifts (EISPACK's tql2, as in JAMA): the small eigenproblem at the heart of Lanczos. float64.
 */

export interface TridiagonalEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** vectors[j] holds the entries, at the rows asked for, of the unit eigenvector of values[j]. */
  vectors: Float64Array[];
}

/** Iterations per eigenvalue before giving up (tql2 needs one to three in practice). */
const MAX_SWEEPS = 60;

/**
 * The eigen-decomposition of the m×m tridiagonal matrix with diagonal `diagonal` and
 * off-diagonal `offDiagonal` (offDiagonal[i] = T[i+1][i], i < m − 1). The inputs are not changed.
 * `rows` picks the eigenvector entries to compute (default all): the rotations are applied to
 * those rows only, so asking for two rows costs O(m²) instead of O(m³).
 */
export function tridiagonalEigen(diagonal: ArrayLike<number>, offDiagonal: ArrayLike<number>, rows?: readonly number[]): TridiagonalEigen {
  const n = diagonal.length;
  const kept = rows ?? Array.from({ length: n }, (_, i) => i);
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiagonal[i];
  // v[row][column]: the kept rows of the accumulated rotations; its columns become the eigenvectors
  const v = kept.map((i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) throw new Error(`tridiagonalEigen: no convergence for eigenvalue ${l} of ${n}`);
        // the implicit shift
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // the implicit QL transformation
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (const row of v) {
            h = row[i + 1];
            row[i + 1] = s * row[i] + c * h;
            row[i] = c * row[i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  return {
    values: Float64Array.from(order, (j) => d[j]),
    vectors: order.map((j) => Float64Array.from(v, (row) => row[j])),
  };
}
