/**
 * Eigenvalues of a dense symmetric matrix by the cyclic Jacobi method in float64: the independent
 * oracle of the Lanczos tests (Lanczos itself diagonalises its tridiagonal matrix by QL).
 */
export function jacobiEigenvalues(matrix: readonly ArrayLike<number>[]): Float64Array {
  const n = matrix.length;
  const a = new Float64Array(n * n);
  matrix.forEach((row, i) => a.set(Array.from(row).slice(0, n), i * n));
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] ** 2;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i * n + j] ** 2;
    // ‖off-diagonal‖ ≤ 1e-13·‖A‖ bounds every eigenvalue's error by the same
    if (off <= 1e-26 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // the rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.5.1), applied to rows p
        // and q from both sides and mirrored into the columns
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = a[k * n + p] = c * apk - s * aqk;
          a[q * n + k] = a[k * n + q] = s * apk + c * aqk;
        }
        a[p * n + p] -= t * apq;
        a[q * n + q] += t * apq;
        a[p * n + q] = a[q * n + p] = 0;
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i * n + i]).sort();
}

/** The explicit n×n matrix of a linear operator on float64 vectors, column by column. */
export function explicitMatrix(operator: (out: Float64Array, v: Float64Array) => void, n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const e = new Float64Array(n);
    e[i] = 1;
    const column = new Float64Array(n);
    operator(column, e);
    return column;
  });
}

/**
 * ‖W‖₂ of `w` `[rows][cols]` (row-major) in float64: the square root of the largest Jacobi eigenvalue
 * of the Gram matrix of its shorter side (W·Wᵀ or Wᵀ·W), to about 1e-13 of ‖W‖_F².
 */
export function spectralNormOf(w: ArrayLike<number>, rows: number, cols: number): number {
  const side = Math.min(rows, cols);
  const gram = Array.from({ length: side }, (_, i) =>
    Float64Array.from({ length: side }, (_, j) => {
      let s = 0;
      if (rows <= cols) for (let c = 0; c < cols; c++) s += w[i * cols + c] * w[j * cols + c];
      else for (let r = 0; r < rows; r++) s += w[r * cols + i] * w[r * cols + j];
      return s;
    }),
  );
  return Math.sqrt(jacobiEigenvalues(gram).at(-1)!);
}
