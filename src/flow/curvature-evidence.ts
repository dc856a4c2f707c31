/**
 * What the curvature of the objective where a run stopped (ended, or paused on the visualizer) adds to its diagnosis (src/curvature measures
 * it; the plateau study passes it to diagnose()): whether the end point is a saddle, a point off
 * critical with strong negative curvature, a point of weak negative curvature, a slope without negative curvature, or a
 * minimum of the measured objective. Plain data, so flow/ needs nothing
 * from the curvature folder above it.
 */
import { sci } from '../sci-text.js';
import { checkBoolean, checkChoice, checkKnownKeys } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { OUTWEIGHS } from '../saddle-rule.js';

/** The curvature where a run stopped, as diagnose() takes it (DiagnoseOptions.curvature): the plateau study gives its last point's. */
export interface CurvatureEvidence {
  /**
   * What was measured: 'objective', the loss with any L2 term the run trained with (the default), or
   * 'loss', the data loss alone on weights an L2 term may have trained (the plateau study's curvatureOf).
   */
  measured?: 'objective' | 'loss';
  /** The smallest eigenvalue of the Hessian of f: the objective, or the data loss alone where `measured` is 'loss'. */
  lambdaMin: number;
  /** The largest eigenvalue of the Hessian of f. */
  lambdaMax: number;
  /** λ_min < 0, and f's second difference along its eigenvector agrees (function values). */
  confirmed: boolean;
  /** Some step along ±the eigenvector lowered f on both sides. */
  exploitable: boolean;
  /**
   * The point is as good as critical beside that curvature: the gradient is spent, and such a step lowered f by at
   * least OUTWEIGHS× (2×) what the slope gives, the gradient's whole descent but no more than ‖∇f‖·s over its best step
   * s (src/saddle-rule.ts; src/curvature/critical-point.ts decides it: a gradient spent within a short step, in stiff
   * directions, counts for only what it lowers f). Only then is it a saddle, which is a critical point; otherwise it
   * is a slope with strong negative curvature beside it.
   */
  critical: boolean;
  /**
   * Some step tried lowered f: along ±the eigenvector, or down the gradient (critical-point.ts' PointReading other than
   * 'minimum'). Where no negative curvature is confirmed, the point is then a slope, not a minimum: said so, where the
   * sentence called every such point a minimum beside a reading of 'slope' (the visualizer shows both). Default false.
   */
  lowered?: boolean;
}

/** What f a CurvatureEvidence may say it measured. */
export const CURVATURE_MEASURED: readonly NonNullable<CurvatureEvidence['measured']>[] = ['objective', 'loss'];

/**
 * `evidence` checked as diagnose() takes it (`where` names it in errors): INVALID_OPTION for an unknown
 * key, a `measured` other than 'objective' or 'loss' ('Loss' read silently as 'objective'), an
 * eigenvalue that is not a finite number (a NaN printed "λ_min = NaN") or a flag that is not a boolean.
 */
export function checkCurvatureEvidence(evidence: unknown, where: string): CurvatureEvidence {
  checkKnownKeys(evidence, ['measured', 'lambdaMin', 'lambdaMax', 'confirmed', 'exploitable', 'critical', 'lowered'], where);
  const c = evidence as Record<string, unknown>;
  if (c.measured !== undefined) checkChoice(c.measured, CURVATURE_MEASURED, `${where}.measured`);
  for (const key of ['lambdaMin', 'lambdaMax']) {
    if (typeof c[key] !== 'number' || !Number.isFinite(c[key])) throw invalidOption(`${where}.${key}: expected a finite number, got ${shown(c[key])}`);
  }
  for (const key of ['confirmed', 'exploitable', 'critical']) checkBoolean(c[key], `${where}.${key}`);
  if (c.lowered !== undefined) checkBoolean(c.lowered, `${where}.lowered`);
  return evidence as CurvatureEvidence;
}

/**
 * How the sentences name the point: where the run stopped, which is where it ended for the plateau study and `gradscope curvature`,
 * and where it is paused on the visualizer, which resumes on Train (newuser46 #9: the page said 'where the run ended' of a
 * paused run); the page says the step beside the reading.
 */
const OPENING = 'Curvature where the run stopped';

/**
 * One or two sentences for the diagnosis' summary. They name f as `measured` says: "the objective"
 * (the loss with any L2 term, the plateau study's C + (λ/2n)‖w‖²; they said "the loss", and on
 * Nielsen's plateau the cross-entropy alone is lowered on both sides along its own eigenvector where
 * the objective is not: docs/curvature.md), or "the loss" where the data loss alone was measured.
 */
export function curvatureSentence(c: CurvatureEvidence): string {
  const values = `λ_min = ${sci(c.lambdaMin)} against λ_max = ${sci(c.lambdaMax)}`;
  const loss = c.measured === 'loss';
  const f = loss ? 'the loss' : 'the objective';
  if (c.confirmed && c.exploitable && c.critical) {
    return `${OPENING}: a saddle (${values}), and a step along λ_min's eigenvector lowers ${f} on both sides, so following negative curvature leaves it.`;
  }
  if (c.confirmed && c.exploitable) {
    // "Strong" is what a step along it does, not its size: beside λ_min = -1.91e-3 against 1.38 a student read a large
    // curvature, and a saddle (newuser49 #5); the ratio says the size.
    const size = c.lambdaMax > 0 ? `; strong in what a step along it does, not in size: |λ_min| is ${sci(-c.lambdaMin / c.lambdaMax)} of λ_max` : '';
    return `${OPENING}: strong negative curvature (${values}${size}), a step along λ_min's eigenvector lowers ${f} on both sides, but the point is not critical, so not a saddle: that step lowers ${f} by less than ${OUTWEIGHS}× what the gradient's own descent does, or that descent runs on.`;
  }
  if (c.confirmed) {
    return `${OPENING}: not a minimum, ${loss ? 'the loss (without the L2 term it trained with)' : 'the objective (the loss with any L2 term)'} curves down along one direction (${values}, confirmed by its values along its eigenvector), but weakly: no step tried along it lowers ${f} on both sides, the gradient outweighs it.`;
  }
  if (c.lowered) return `${OPENING}: no direction curves down beyond rounding (${values}), but a step tried lowers ${f}: a slope, not a minimum and not a saddle.`;
  return `${OPENING}: no direction curves down beyond rounding (${values}): a minimum of the measured ${loss ? 'loss' : 'objective'}, not a saddle.`;
}
