/**
 * Cholesky factorisation and solve in plain TypeScript with float64 arithmetic, row-major `[n][n]`:
 * the ref backend's `cholesky` kernel (the oracle of assembly/cholesky.*) and Levenberg-Marquardt's
 * normal equations (JᵀJ + μI)·Δ = −Jᵀe, where JᵀJ squares J's condition number, so f32 (the wasm
 * kernels' precision) would lose the small-μ steps that make the method fast.
 */
import type { FloatArray } from '../kernels.js';

/**
 * l = the lower Cholesky factor of a (its lower triangle read; l may be a), l's upper triangle
 * zeroed. False if a is not positive definite (a pivot ≤ 0 or NaN).
 */
export function choleskyFactor(l: FloatArray, a: FloatArray, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
    for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
  }
  return true;
}

/** x = (l·lᵀ)⁻¹·b by forward then back substitution, l lower triangular (x may be b). */
export function choleskySolve(x: Float64Array, l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k];
    x[i] = sum / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
    x[i] = sum / l[i * n + i];
  }
}
