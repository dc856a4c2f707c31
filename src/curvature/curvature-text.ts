/**
 * How curvature measurements read when printed: the wording the curvature command, the plateau
 * study's table and its HTML report share, kept apart from the numerics (lanczos.ts, matrix-trace.ts) so
 * there is one home for it.
 */
import { percentText } from '../percent-text.js';

/** A negative mass as printed: a percentage, "≈" before a one-probe estimate (HessianSummary.negativeMassExact false). */
export function negativeMassText(share: number, exact: boolean): string {
  return `${exact ? '' : '≈'}${percentText(share)}`;
}

/**
 * What a Gauss-Newton row of a curvature table writes where a Hessian row has its smallest
 * eigenvalues and its negative mass, and the note under the table that says why: G is positive
 * semi-definite, so it has no negative mass and its smallest eigenvalues are not measured
 * (GaussNewtonSummary has none). The one source of that wording for every table of such rows.
 */
export function gaussNewtonLowerEnd(): { smallest: string; negativeMass: string; note: string } {
  return {
    smallest: 'not measured: ≥ 0',
    negativeMass: 'none: G is PSD',
    note:
      "Gauss-Newton rows: G = Jᵀ·H_L·J is positive semi-definite (PSD; H_L, the loss's curvature in its input, is for every loss gradscope has), " +
      "and so is each layer's block of it: no eigenvalue is below 0, so there is no negative mass, and the smallest eigenvalues are not measured: " +
      "they are 0 wherever G's rank, at most rows × outputs, is below the parameters it covers, and say nothing of saddles. " +
      "The Hessian's smallest, which can be negative, tell whether the loss curves down along some direction (one below 0) or along none (none below 0); " +
      "either is a saddle or a minimum only where the gradient is also near 0, and elsewhere a slope (`gradscope study plateau` measures both; docs/curvature.md).",
  };
}
