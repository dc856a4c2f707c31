/**
 * The check of a public function that reads measureCurvature's report (pointText, pointReadingText,
 * curvatureEvidenceOf): a wrong argument is named as INVALID_OPTION before any field is read, where it threw a
 * raw TypeError from deep inside (test/reliability/public-arguments).
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import type { CurvatureVerdict, PointReading } from './critical-point.js';
import type { CurvatureReport } from './curvature.js';

const VERDICTS: readonly CurvatureVerdict[] = ['saddle', 'strong negative curvature', 'negative curvature', 'minimum-like'];
const READINGS: readonly PointReading[] = ['saddle', 'slope', 'minimum'];

const isNumberList = (value: unknown): boolean => Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number');

/** The fields curvatureEvidenceOf reads: the verdict, the reading and the Hessian's extreme eigenvalues. */
const EVIDENCE_FIELDS: Record<string, (value: unknown) => boolean> = {
  verdict: (v) => VERDICTS.includes(v as CurvatureVerdict),
  reading: (v) => READINGS.includes(v as PointReading),
  hessian: (v) => typeof v === 'object' && v !== null && isNumberList((v as { smallest?: unknown }).smallest) && isNumberList((v as { largest?: unknown }).largest),
};

/** And those the point's lines read besides. */
const POINT_FIELDS: Record<string, (value: unknown) => boolean> = {
  ...EVIDENCE_FIELDS,
  gradientNorm: (v) => typeof v === 'number',
  gradientCurvature: (v) => typeof v === 'number',
  rows: (v) => typeof v === 'number',
  probes: Array.isArray,
  descent: Array.isArray,
  downhill: (v) => typeof v === 'object' && v !== null,
};

/**
 * Refuses (INVALID_OPTION, naming `who` and the first field amiss) what is not measureCurvature's report, as far as
 * `reads` ('evidence': curvatureEvidenceOf's fields; 'point': the point's lines) goes.
 */
export function checkCurvatureReport(value: unknown, who: string, reads: 'evidence' | 'point'): asserts value is CurvatureReport {
  const what = "measureCurvature's report";
  checkObjectArgument(value, who, what);
  for (const [field, fits] of Object.entries(reads === 'point' ? POINT_FIELDS : EVIDENCE_FIELDS)) {
    const got = (value as Record<string, unknown>)[field];
    if (!fits(got)) throw invalidOption(`${who}: expected ${what}, whose ${field} is ${got === undefined ? 'missing' : `${shown(got)}, not one measureCurvature gives`}`);
  }
}
