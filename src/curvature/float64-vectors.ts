/** The float64 vector operations a Lanczos run and its quadrature probes share (lanczos.ts, negative-mass.ts). */

/** A reorthogonalisation pass that leaves less than this share of w's norm is repeated (DGKS; 1/√2 as ARPACK's 0.717). */
const REORTHOGONALISE_AGAIN = Math.SQRT1_2;

/** xᵀy. */
export function dot(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * y[i];
  return sum;
}

/** y += alpha·x. */
export function axpy(y: Float64Array, x: Float64Array, alpha: number): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/**
 * One classical Gram-Schmidt pass, v −= Σ_i (q_iᵀv)·q_i over the basis: every coefficient from the
 * same v (one read of the basis), then the update (a second); `coefficients` is scratch of at least
 * the basis' length. Returns the coefficient of the last basis vector.
 */
export function orthogonalise(v: Float64Array, basis: readonly Float64Array[], coefficients: Float64Array): number {
  const count = basis.length;
  for (let j = 0; j < count; j++) coefficients[j] = dot(v, basis[j]);
  for (let j = 0; j < count; j++) axpy(v, basis[j], -coefficients[j]);
  return count > 0 ? coefficients[count - 1] : 0;
}

/**
 * w after `pass` (one Gram-Schmidt pass, returning what it removed along the run's current vector), and
 * after a second pass only where the first left less than REORTHOGONALISE_AGAIN of `norm`, w's norm before
 * (the DGKS test, as ARPACK's dsaitr): the pass then removed more than rounding error, and what it left may
 * not be orthogonal. Returns the passes' correction to α, w's norm after them and how many passes ran.
 */
export function reorthogonalised(w: Float64Array, norm: number, pass: () => number): { correction: number; norm: number; passes: number } {
  let correction = 0;
  let passes = 0;
  while (passes < 2) {
    correction += pass();
    passes++;
    const after = Math.sqrt(dot(w, w));
    const enough = after >= REORTHOGONALISE_AGAIN * norm;
    norm = after;
    if (enough) break;
  }
  return { correction, norm, passes };
}
