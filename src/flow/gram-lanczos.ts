/**
 * An estimate of the largest eigenvalue of a Gram matrix G (symmetric, on the backend), by Lanczos
 * from a given vector: where spectralBound starts its tries. Power iteration reads ‖W‖₂ low by
 * up to a few % where the top singular values lie close, and each try that t·I − G fails costs a
 * float64 Cholesky factorisation; Lanczos from the power iteration's own vector closes in on the
 * top of the spectrum far faster (a polynomial in G of its steps' degree, the best of them, not
 * the power), for a product of G by a vector per step. It is an estimate from below, not a bound:
 * a start vector with no part along the top eigenvector never sees it (spectralBound's
 * factorisation, which proves its bound, decides).
 */
import type { Kernels, Tensor } from '../kernels.js';

/** Most Lanczos steps (products of G by a vector) per estimate. */
export const LANCZOS_STEPS = 16;
/** Lanczos stops once the estimate moves by less than this, relatively, in a step (or the next vector's part is below it: the space its steps span is invariant). */
export const LANCZOS_CONVERGED = 1e-7;
/** Halvings of the interval that holds the tridiagonal matrix's largest eigenvalue: to float64's resolution. */
const BISECTIONS = 64;

/** Memory for largestGramEigenvalue on Grams of up to `side`². */
export interface LanczosScratch {
  /** The vector G multiplies, on the backend. */
  input: Tensor;
  /** G times it. */
  output: Tensor;
  /** The orthonormal Lanczos vectors, LANCZOS_STEPS rows of `side`. */
  basis: Float64Array;
  /** The next vector, as it is made. */
  next: Float64Array;
  /** The tridiagonal matrix's diagonal. */
  diagonal: Float64Array;
  /** Its off-diagonal (diagonal[i] to diagonal[i + 1]). */
  offDiagonal: Float64Array;
}

/** Scratch for Grams of up to `side`² (its tensors from `alloc`). */
export function lanczosScratch(alloc: (length: number) => Tensor, side: number): LanczosScratch {
  return {
    input: alloc(side),
    output: alloc(side),
    basis: new Float64Array(LANCZOS_STEPS * side),
    next: new Float64Array(side),
    diagonal: new Float64Array(LANCZOS_STEPS),
    offDiagonal: new Float64Array(LANCZOS_STEPS),
  };
}

/**
 * The largest eigenvalue of the Krylov space Lanczos spans from `start` (`[side]`, any length
 * but 0) in at most LANCZOS_STEPS steps, with full reorthogonalisation: ≤ λmax(G) but for G's
 * products' rounding. NaN where `start` is 0 or not finite.
 */
export function largestGramEigenvalue(k: Kernels, gram: Tensor, side: number, start: Tensor, s: LanczosScratch): number {
  const { basis, next, diagonal, offDiagonal } = s;
  const from = k.view(start);
  let norm = 0;
  for (let i = 0; i < side; i++) norm += from[i] * from[i];
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) return NaN;
  for (let i = 0; i < side; i++) basis[i] = from[i] / norm;
  // Nothing is allocated below: both views stay valid.
  const input = k.view(s.input);
  const output = k.view(s.output);
  let estimate = NaN;
  for (let step = 0; step < LANCZOS_STEPS; step++) {
    const q = step * side;
    for (let i = 0; i < side; i++) input[i] = basis[q + i];
    k.matVec(s.output, gram, s.input, side, side);
    for (let i = 0; i < side; i++) next[i] = output[i];
    diagonal[step] = dot(basis, q, next, side);
    // Twice against every vector so far: once leaves what rounding put back (Kahan's "twice is enough").
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p <= step; p++) {
        const along = dot(basis, p * side, next, side);
        for (let i = 0; i < side; i++) next[i] -= along * basis[p * side + i];
      }
    }
    const previous = estimate;
    estimate = largestTridiagonalEigenvalue(diagonal, offDiagonal, step + 1);
    const length = Math.sqrt(dot(next, 0, next, side));
    if (!(length > LANCZOS_CONVERGED * Math.abs(estimate)) || Math.abs(estimate - previous) <= LANCZOS_CONVERGED * Math.abs(estimate)) break;
    if (step + 1 === LANCZOS_STEPS) break;
    offDiagonal[step] = length;
    for (let i = 0; i < side; i++) basis[q + side + i] = next[i] / length;
  }
  return estimate;
}

/** Σ a[from + i]·b[i] over i < n. */
function dot(a: Float64Array, from: number, b: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[from + i] * b[i];
  return sum;
}

/**
 * The largest eigenvalue of the m×m symmetric tridiagonal matrix (diagonal, offDiagonal), by
 * bisection on Sturm counts inside Gershgorin's interval (src/curvature's tridiagonalEigen finds
 * them all, allocating, a rank above this folder).
 */
function largestTridiagonalEigenvalue(diagonal: Float64Array, offDiagonal: Float64Array, m: number): number {
  let lo = -Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const reach = (i > 0 ? Math.abs(offDiagonal[i - 1]) : 0) + (i < m - 1 ? Math.abs(offDiagonal[i]) : 0);
    lo = Math.max(lo, diagonal[i]);
    hi = Math.max(hi, diagonal[i] + reach);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return NaN;
  for (let b = 0; b < BISECTIONS && hi > lo; b++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (eigenvaluesBelow(diagonal, offDiagonal, m, mid) === m) hi = mid;
    else lo = mid;
  }
  return lo;
}

/** How many eigenvalues of the tridiagonal matrix lie below x (the negative pivots of its LDLᵀ less x·I: Sylvester's law of inertia). */
function eigenvaluesBelow(diagonal: Float64Array, offDiagonal: Float64Array, m: number, x: number): number {
  let count = 0;
  let pivot = 1;
  for (let i = 0; i < m; i++) {
    const coupling = i > 0 ? (offDiagonal[i - 1] * offDiagonal[i - 1]) / pivot : 0;
    pivot = diagonal[i] - x - coupling;
    // An exact 0 pivot: x is an eigenvalue of the leading block; a tiny one counts it on the side below.
    if (pivot === 0) pivot = -Number.MIN_VALUE;
    if (pivot < 0) count++;
  }
  return count;
}
