/**
 * renderReport's input, checked before any of the page is made: the sections and runs lists, and
 * each run's label, trace, diagnosis, warnings and detail. A wrong one is refused (INVALID_OPTION
 * naming the run by its place and label, and what to pass) where unchecked it failed as a TypeError
 * deep inside the page's making, or drew a page from what is not a trace.
 */
import { checkChoice, checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import type { ReportInput, ReportRun } from './report-html.js';
import { isSavedTrace, SAVED_TRACE_WORDS } from './saved-trace.js';
import { Trace } from './trace.js';

/** ReportRun.detail's choices. */
const RUN_DETAILS = ['full', 'summary'] as const;

/** INVALID_OPTION for the first part of `input` renderReport cannot draw (its ids are checked as the page holds them). */
export function checkReportInput(input: ReportInput): void {
  checkList(input.sections, 'renderReport: sections', 'ReportSection { id, heading, … }');
  checkList(input.runs, 'renderReport: runs', 'ReportRun { label, trace, diagnosis, … }');
  (input.sections ?? []).forEach((section, s) => {
    checkObjectArgument(section, `renderReport: sections[${s}]`, 'a ReportSection { id, heading, … }');
    checkList(section.runs, `renderReport: sections[${s}].runs`, 'ReportRun { label, trace, diagnosis, … }');
    (section.runs ?? []).forEach((run, r) => checkRun(run, `renderReport: sections[${s}].runs[${r}]`));
  });
  (input.runs ?? []).forEach((run, r) => checkRun(run, `renderReport: runs[${r}]`));
}

/** Undefined or an array: a lone object given for a list was drawn as no list at all. */
function checkList(value: unknown, where: string, entry: string): void {
  if (value !== undefined && !Array.isArray(value)) throw invalidOption(`${where}: expected an array of ${entry}, got ${shown(value)}`);
}

function checkRun(run: ReportRun, place: string): void {
  checkObjectArgument(run, place, 'a ReportRun { label, trace, diagnosis, … }');
  const where = typeof run.label === 'string' ? `${place} ${shown(run.label)}` : place;
  if (typeof run.label !== 'string') throw invalidOption(`${where}: label is ${shown(run.label)}; expected the run's heading, a string`);
  if (isSavedTrace(run.trace)) throw invalidOption(`${where}: trace: ${SAVED_TRACE_WORDS}`);
  if (!(run.trace instanceof Trace)) {
    throw invalidOption(`${where}: trace is ${shown(run.trace)}; expected a Trace: net.trace after a traced run, net.train(x, y, { trace: { every: 10 } })`);
  }
  if (!isDiagnosis(run.diagnosis)) throw invalidOption(`${where}: diagnosis is ${shown(run.diagnosis)}; expected diagnose(trace) of the run's trace`);
  const warnings: unknown = run.warnings;
  if (warnings !== undefined && !(Array.isArray(warnings) && warnings.every((w) => typeof w === 'string'))) {
    throw invalidOption(`${where}: warnings must be an array of strings, got ${shown(warnings)}`);
  }
  if (run.detail !== undefined) checkChoice(run.detail, RUN_DETAILS, `${where}: detail`);
}

/** Whether `value` has the fields of diagnose()'s result the page reads (a Promise or a hand-made object without them has not). */
function isDiagnosis(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.verdict === 'string' && typeof d.summary === 'string' && Array.isArray(d.remedies) && typeof d.evidence === 'object' && d.evidence !== null;
}
