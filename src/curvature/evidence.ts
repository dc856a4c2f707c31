/**
 * A measured point as diagnose() takes it (DiagnoseOptions.curvature, flow/curvature-evidence.ts): the verdict of
 * critical-point.ts's rule as the flags the diagnosis reads. One mapping for the plateau study's points and for
 * measureCurvature's reports, so that the study, a user's own code and the visualizer's "Measure the curvature here"
 * say the same of the same verdict.
 */
import { CURVATURE_MEASURED, type CurvatureEvidence } from '../flow/curvature-evidence.js';
import type { CurvatureVerdict, PointReading } from './critical-point.js';
import type { CurvatureReport } from './curvature.js';
import { checkCurvatureReport } from './report-argument.js';
import { checkChoice } from '../checks.js';

/** What a CurvatureEvidence says was measured: the objective the run trained on, or the data loss alone. */
export type CurvatureMeasured = NonNullable<CurvatureEvidence['measured']>;

/**
 * `verdict` (curvatureVerdict's) and `reading` (pointReading's) of a point whose Hessian's extreme eigenvalues are
 * `lambdaMin` and `lambdaMax`, as diagnose() takes it.
 */
export function verdictEvidence(verdict: CurvatureVerdict, reading: PointReading, lambdaMin: number, lambdaMax: number, measured: CurvatureMeasured): CurvatureEvidence {
  return {
    measured,
    lambdaMin,
    lambdaMax,
    confirmed: verdict !== 'minimum-like',
    exploitable: verdict === 'saddle' || verdict === 'strong negative curvature',
    critical: verdict === 'saddle',
    lowered: reading !== 'minimum',
  };
}

/**
 * measureCurvature's report as `diagnose(trace, { curvature })` takes it, so that a diagnosis of the run says what the
 * point is: `diagnose(trace, { curvature: curvatureEvidenceOf(measureCurvature(net, x, y)) })`. measureCurvature measures
 * the mean loss over the rows, without an L2 term: `measured` is 'objective' (the default) for a run that trained with no
 * L2 term, whose objective that loss is, and 'loss' for one that trained with one (the diagnosis then says "the loss",
 * not "the objective").
 */
export function curvatureEvidenceOf(report: Pick<CurvatureReport, 'verdict' | 'reading' | 'hessian'>, measured: CurvatureMeasured = 'objective'): CurvatureEvidence {
  checkCurvatureReport(report, 'curvatureEvidenceOf', 'evidence');
  checkChoice(measured, CURVATURE_MEASURED, 'curvatureEvidenceOf: measured');
  return verdictEvidence(report.verdict, report.reading, report.hessian.smallest[0], report.hessian.largest[0], measured);
}
