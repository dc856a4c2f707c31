/**
 * Dense symmetric positive-definite solves in float64 for Levenberg-Marquardt's normal equations
 * (JᵀJ + μI)·Δ = −Jᵀe: JᵀJ squares J's condition number, so f32 (the wasm kernels' precision)
 * would lose the small-μ steps that make the method fast. Plain TypeScript, row-major `[n][n]`.
 */

/** l = the lower Cholesky factor of a (lower triangle read; l may be a). False if a is not positive definite. */
export function choleskyFactor(l: Float64Array, a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return false;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  }
  return true;
}

/** x = (l·lᵀ)⁻¹·b by forward then back substitution (x may be b). */
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
