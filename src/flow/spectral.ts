/**
 * ‖W‖₂, the largest singular value of a dense layer's weights, by power iteration on WᵀW with the
 * matrix-vector kernels (matVec, matVecTransposed).
 */
import type { Kernels, Tensor } from '../kernels.js';

/** Power iteration stops once two successive estimates differ by less than this, relatively. */
export const POWER_CONVERGED = 1e-6;

/**
 * Runs up to `iterations` rounds of v ← WᵀWv/‖WᵀWv‖ from the unit-or-not vector in `v` (`[nIn]`,
 * kept for a warm start next time) with `u` (`[nOut]`) as scratch, and returns √‖WᵀWv‖ for the
 * final unit v: an estimate of ‖W‖₂ that converges to it from below. Stops earlier, after at least
 * two rounds, once the estimate changes by less than POWER_CONVERGED.
 */
export function powerIteration(k: Kernels, w: Tensor, v: Tensor, u: Tensor, nIn: number, nOut: number, iterations: number): number {
  let norm = Math.sqrt(k.sumSquares(v, nIn));
  if (!(norm > 0) || !Number.isFinite(norm)) return NaN;
  k.scale(v, nIn, 1 / norm);
  let sigma = 0;
  for (let i = 0; i < iterations; i++) {
    k.matVec(u, w, v, nIn, nOut);
    k.matVecTransposed(v, w, u, nIn, nOut);
    norm = Math.sqrt(k.sumSquares(v, nIn));
    // W = 0 (or a v orthogonal to W's row space): ‖W‖₂ is what the last product measured.
    if (!(norm > 0)) return 0;
    const previous = sigma;
    sigma = Math.sqrt(norm);
    k.scale(v, nIn, 1 / norm);
    if (i > 0 && Math.abs(sigma - previous) <= POWER_CONVERGED * sigma) break;
  }
  return sigma;
}
