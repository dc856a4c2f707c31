/**
 * The dense linear algebra of K-FAC's Kronecker factors, written with the existing kernels only
 * (no new GEMM): covariances by `denseBackwardWeights` (C += XᵀY), products by
 * `denseBackwardInput` (C += X·Y), inverses by `cholesky` + `trilInverse` and one more XᵀX.
 * Every function works on caller-owned buffers and allocates nothing.
 *
 * Matrices are `[rows][cols]` row-major tensors; `n` is the side of a square one.
 */
import type { Kernels, Tensor } from '../kernels.js';

/** Scratch for the square-matrix routines, each at least side² long (`column` at least side). */
export interface SquareScratch<T extends Tensor = Tensor> {
  /** The damped copy being factorised. */
  damped: T;
  /** Its Cholesky factor L, then L⁻¹. */
  factor: T;
  inverseFactor: T;
  /** A diagonal, read out and written back by strided copy2d. */
  column: T;
  /** All ones: adds a constant to a diagonal through axpy, and sums one through dot. */
  ones: T;
}

/** c[n][n] = scale·xᵀx for x `[rows][n]` (overwrites c): E[x xᵀ] over rows with scale 1/rows. */
export function covariance<T extends Tensor>(k: Kernels<T>, c: T, x: T, rows: number, n: number, scale: number): void {
  k.zero(c, n * n);
  k.denseBackwardWeights(c, x, x, rows, n, n);
  k.scale(c, n * n, scale);
}

/** tr(m) for m `[n][n]`: the diagonal copied out with stride n + 1, then summed against ones. */
export function trace<T extends Tensor>(k: Kernels<T>, m: T, n: number, s: SquareScratch<T>): number {
  k.copy2d(s.column, 0, 1, m, 0, n + 1, n, 1);
  return k.dot(s.column, s.ones, n);
}

/** out = m + shift·I for m `[n][n]` (overwrites out; uses `s.column`): a damped Kronecker factor. */
export function shifted<T extends Tensor>(k: Kernels<T>, out: T, m: T, n: number, shift: number, s: SquareScratch<T>): void {
  k.copy2d(out, 0, 0, m, 0, 0, 1, n * n);
  k.copy2d(s.column, 0, 1, m, 0, n + 1, n, 1);
  k.axpy(s.column, s.ones, n, shift);
  k.copy2d(out, 0, n + 1, s.column, 0, 1, n, 1);
}

/** How many times dampedInverse raises a shift ×10 before it gives up: at most ×10⁶ of the damping asked for. */
export const FACTOR_SHIFT_RETRIES = 6;

/**
 * inverse = (m + shift·I)⁻¹ for a symmetric positive semi-definite m `[n][n]`, by Cholesky:
 * (L·Lᵀ)⁻¹ = L⁻ᵀ·L⁻¹ = XᵀX with X = L⁻¹. If rounding leaves the damped matrix not positive
 * definite, the shift grows ×10 (at most `retries` times). Returns the shift used, or NaN if none
 * worked (inverse is then unspecified).
 */
export function dampedInverse<T extends Tensor>(
  k: Kernels<T>, inverse: T, m: T, n: number, shift: number, s: SquareScratch<T>, retries = FACTOR_SHIFT_RETRIES,
): number {
  let used = shift;
  for (let attempt = 0; attempt <= retries; attempt++) {
    shifted(k, s.damped, m, n, used, s);
    if (k.cholesky(s.factor, s.damped, n)) {
      k.trilInverse(s.inverseFactor, s.factor, n);
      covariance(k, inverse, s.inverseFactor, n, n, 1);
      return used;
    }
    // A zero shift cannot grow by scaling: start from a tiny multiple of the mean diagonal (or 1).
    used = used > 0 ? used * 10 : Math.max(trace(k, m, n, s) / n, 1) * 1e-6;
  }
  return NaN;
}

/**
 * out[rows][cols] = left[rows][rows] · x[rows][cols] · right[cols][cols] (overwrites out; `middle`
 * is scratch of rows·cols): K-FAC's G⁻¹·∇W̄·A⁻¹, as two plain products.
 */
export function sandwich<T extends Tensor>(
  k: Kernels<T>, out: T, left: T, x: T, right: T, middle: T, rows: number, cols: number,
): void {
  // middle[rows][cols] = left[rows][rows]·x[rows][cols]: denseBackwardInput's da += dz·w.
  k.zero(middle, rows * cols);
  k.denseBackwardInput(middle, left, x, rows, cols, rows);
  k.zero(out, rows * cols);
  k.denseBackwardInput(out, middle, right, rows, cols, cols);
}

/**
 * vec(x)ᵀ·(left ⊗ right)·vec(x) = ⟨x, left·x·right⟩ for x `[rows][cols]` row-major and symmetric
 * left `[rows][rows]`, right `[cols][cols]`: the squared norm of a layer's step in a Kronecker-factored
 * metric (K-FAC's G ⊗ A). `out` and `middle` are scratch of rows·cols.
 */
export function kroneckerNorm<T extends Tensor>(
  k: Kernels<T>, left: T, x: T, right: T, out: T, middle: T, rows: number, cols: number,
): number {
  sandwich(k, out, left, x, right, middle, rows, cols);
  return k.dot(out, x, rows * cols);
}
