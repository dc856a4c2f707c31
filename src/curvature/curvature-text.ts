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
