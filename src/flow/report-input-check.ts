/**
 * renderReport's input, checked before any of the page is made: the title, the sections and runs
 * lists, each section's heading, text, notes, charts, bar charts and tables as the page reads them,
 * each run's label, trace, diagnosis, warnings, detail and remedyTerms, and the report's remedyTerms.
 * A wrong one is refused (INVALID_OPTION naming the section or run by its place, a run by its label
 * too, and what to pass) where unchecked it failed as a TypeError deep inside the page's making, an
 * error naming an internal helper, or drew a page from what is not a trace. The ids are checked as
 * the page holds them (report-html.ts' inputIds).
 */
import { checkChoice, checkObjectArgument, keysOf, unknownKey } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { checkRemedyTerms } from './remedy.js';
import type { ReportBars, ReportChart, ReportInput, ReportRun, ReportSection, ReportTable } from './report-html.js';
import type { LineChartData, Series } from './svg.js';
import { isSavedTrace, SAVED_TRACE_WORDS } from './saved-trace.js';
import { Trace } from './trace.js';

/** ReportRun.detail's choices. */
const RUN_DETAILS = ['full', 'summary'] as const;

/**
 * The fields each part of a report takes: one the page does not read is refused, naming it and the
 * nearest known one, as every other entry's options are (a mistyped `warning` or `titel` was dropped
 * from the page without a word).
 */
const INPUT_KEYS = keysOf<ReportInput>({ title: true, sections: true, runs: true, remedyTerms: true });
const RUN_KEYS = keysOf<ReportRun>({ label: true, trace: true, diagnosis: true, warnings: true, id: true, detail: true, remedyTerms: true });
const SECTION_KEYS = keysOf<ReportSection>({ id: true, heading: true, text: true, notes: true, charts: true, bars: true, tables: true, runs: true });
const CHART_KEYS = keysOf<LineChartData>({ id: true, title: true, xLabel: true, yLabel: true, logY: true, logX: true, xNames: true, xTitles: true, wholeX: true, yRange: true, series: true, layers: true, guides: true });
const GUIDE_KEYS = keysOf<NonNullable<LineChartData['guides']>[number]>({ y: true, label: true });
const SERIES_KEYS = keysOf<Series>({ name: true, xs: true, ys: true });
const BARS_KEYS = keysOf<ReportBars>({ id: true, title: true, xLabel: true, ticks: true, bars: true });
const BAR_KEYS = keysOf<ReportBars['bars'][number]>({ label: true, value: true, none: true });
const TABLE_KEYS = keysOf<ReportTable>({ caption: true, header: true, rows: true, readAcross: true, keyColumns: true });

/** The words for a Trace given where the report's input goes: the slip after `diagnose(trace)`. */
const TRACE_FOR_INPUT = 'got a Trace; give the report its runs: renderReport({ runs: [{ label, trace, diagnosis: diagnose(trace) }] })';

/** INVALID_OPTION for the first part of `input` renderReport cannot draw (its ids are checked as the page holds them). */
export function checkReportInput(input: ReportInput): void {
  if (input instanceof Trace) throw invalidOption(`renderReport: ${TRACE_FOR_INPUT}`);
  knownFields(input, INPUT_KEYS, 'renderReport');
  if (input.title !== undefined) need(typeof input.title === 'string', 'renderReport', 'title', input.title, "the page's title, a string");
  if (input.remedyTerms !== undefined) checkRemedyTerms(input.remedyTerms, 'renderReport', 'remedyTerms');
  checkList(input.sections, 'renderReport: sections', 'ReportSection { id, heading, … }');
  checkList(input.runs, 'renderReport: runs', 'ReportRun { label, trace, diagnosis, … }');
  (input.sections ?? []).forEach((section, s) => checkSection(section, `renderReport: sections[${s}]`));
  (input.runs ?? []).forEach((run, r) => checkRun(run, `renderReport: runs[${r}]`));
}

/** INVALID_OPTION `where: field is value; expected …` (`field is missing` for undefined) unless `ok`. */
function need(ok: boolean, where: string, field: string, value: unknown, expected: string): void {
  if (!ok) throw invalidOption(`${where}: ${field} ${given(value)}; expected ${expected}`);
}

/** 'is missing' for a field not given, else 'is <the value>'. */
const given = (value: unknown): string => (value === undefined ? 'is missing' : `is ${shown(value)}`);

/** INVALID_OPTION `where: unknown field '…'; did you mean '…'? (known: …)` for a key of `value` not in `known`. */
function knownFields(value: object, known: readonly string[], where: string): void {
  const problem = unknownKey(value, known, 'field');
  if (problem !== undefined) throw invalidOption(`${where}: ${problem}`);
}

const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isNumbers = (value: unknown): boolean => Array.isArray(value) && value.every((v) => typeof v === 'number');
/** ArrayLike<number> as a chart reads it: an array of numbers or a typed array of numbers (not bigints, not a DataView). */
const isNumberList = (value: unknown): value is ArrayLike<number> =>
  isNumbers(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array));

function checkSection(section: ReportSection, where: string): void {
  checkObjectArgument(section, where, 'a ReportSection { id, heading, … }');
  knownFields(section, SECTION_KEYS, where);
  need(typeof section.heading === 'string', where, 'heading', section.heading, "the section's heading, a string");
  if (section.text !== undefined) need(typeof section.text === 'string', where, 'text', section.text, 'plain text, a string');
  if (section.notes !== undefined) need(isStrings(section.notes), where, 'notes', section.notes, 'an array of strings, a bullet point each');
  checkList(section.charts, `${where}.charts`, 'ReportChart { id, title, xLabel, yLabel, series, … }');
  checkList(section.bars, `${where}.bars`, 'ReportBars { id, title, xLabel, ticks, bars }');
  checkList(section.tables, `${where}.tables`, 'ReportTable { caption?, header, rows, readAcross?, keyColumns? }');
  checkList(section.runs, `${where}.runs`, 'ReportRun { label, trace, diagnosis, … }');
  (section.charts ?? []).forEach((chart, c) => checkChart(chart, `${where}.charts[${c}]`));
  (section.bars ?? []).forEach((bars, b) => checkBars(bars, `${where}.bars[${b}]`));
  (section.tables ?? []).forEach((table, t) => checkTable(table, `${where}.tables[${t}]`));
  (section.runs ?? []).forEach((run, r) => checkRun(run, `${where}.runs[${r}]`));
}

/** A line chart's fields as svg.ts' lineChart reads them (LineChartData); its id as the page holds it. */
function checkChart(chart: ReportChart, where: string): void {
  checkObjectArgument(chart, where, 'a ReportChart { id, title, xLabel, yLabel, series, … }');
  knownFields(chart, CHART_KEYS, where);
  for (const field of ['title', 'xLabel', 'yLabel'] as const) need(typeof chart[field] === 'string', where, field, chart[field], 'a string');
  for (const field of ['logY', 'logX', 'wholeX'] as const) if (chart[field] !== undefined) need(typeof chart[field] === 'boolean', where, field, chart[field], 'true or false');
  for (const field of ['xNames', 'xTitles'] as const) if (chart[field] !== undefined) need(isStrings(chart[field]), where, field, chart[field], 'an array of strings');
  if (chart.yRange !== undefined) {
    const [low, high] = (Array.isArray(chart.yRange) ? chart.yRange : []) as unknown[];
    const range = Array.isArray(chart.yRange) && chart.yRange.length === 2 && typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high) && low < high;
    need(range, where, 'yRange', chart.yRange, '[low, high], two finite numbers, low below high');
    // A log axis spans log10 units lineChart fits to the data: a range in the values' units would be read as exponents.
    need(chart.logY !== true, where, 'yRange', chart.yRange, 'no range beside logY: a log axis fits its data');
  }
  need(Array.isArray(chart.series), where, 'series', chart.series, 'an array of { name, xs, ys }');
  chart.series.forEach((series, k) => {
    checkObjectArgument(series, `${where}.series[${k}]`, 'a series { name, xs, ys }');
    knownFields(series, SERIES_KEYS, `${where}.series[${k}]`);
    need(typeof series.name === 'string', `${where}.series[${k}]`, 'name', series.name, "the line's name, a string");
    need(isNumberList(series.xs), `${where}.series[${k}]`, 'xs', series.xs, 'the x of each point, an array (or typed array) of numbers');
    need(isNumberList(series.ys) && series.ys.length === series.xs.length, `${where}.series[${k}]`, 'ys', series.ys, `the y of each point, an array (or typed array) of ${series.xs.length} numbers as xs`);
  });
  if (chart.guides !== undefined) {
    need(Array.isArray(chart.guides), where, 'guides', chart.guides, 'an array of { y, label }');
    chart.guides.forEach((guide, g) => {
      checkObjectArgument(guide, `${where}.guides[${g}]`, 'a guide { y, label }');
      knownFields(guide, GUIDE_KEYS, `${where}.guides[${g}]`);
      // A guide widens the y axis to reach it: a non-finite y (or one ≤ 0 on a log axis) has no place on it.
      const onAxis = typeof guide.y === 'number' && Number.isFinite(guide.y) && (chart.logY !== true || guide.y > 0);
      need(onAxis, `${where}.guides[${g}]`, 'y', guide.y, chart.logY === true ? 'a finite number above 0 (the y axis is log)' : 'a finite number');
      need(typeof guide.label === 'string', `${where}.guides[${g}]`, 'label', guide.label, "the guide's label, a string");
    });
  }
  if (chart.layers === undefined) return;
  checkObjectArgument(chart.layers, `${where}: layers`, '{ index, count }');
  const { index, count } = chart.layers;
  need(Number.isInteger(count) && count > 0, where, 'layers.count', count, 'the number of layers, a whole number above 0');
  const isLayer = (l: unknown) => Number.isInteger(l) && (l as number) >= 0 && (l as number) < count;
  need(Array.isArray(index) && index.length === chart.series.length && index.every(isLayer), where, 'layers.index', index, `each series' layer, ${chart.series.length} whole numbers from 0 to ${count - 1}`);
}

/** A bar chart's fields as svg.ts' barChart reads them; its id as the page holds it. */
function checkBars(bars: ReportBars, where: string): void {
  checkObjectArgument(bars, where, 'a ReportBars { id, title, xLabel, ticks, bars }');
  knownFields(bars, BARS_KEYS, where);
  for (const field of ['title', 'xLabel'] as const) need(typeof bars[field] === 'string', where, field, bars[field], 'a string');
  need(isNumbers(bars.ticks), where, 'ticks', bars.ticks, 'the values the axis is ticked at, an array of numbers');
  need(Array.isArray(bars.bars), where, 'bars', bars.bars, 'an array of { label, value, none? }');
  bars.bars.forEach((bar, b) => {
    checkObjectArgument(bar, `${where}.bars[${b}]`, 'a bar { label, value, none? }');
    knownFields(bar, BAR_KEYS, `${where}.bars[${b}]`);
    need(typeof bar.label === 'string', `${where}.bars[${b}]`, 'label', bar.label, "the row's label, a string");
    need(typeof bar.value === 'number' || bar.value === null, `${where}.bars[${b}]`, 'value', bar.value, "the bar's length, a number, or null for no bar");
    need(bar.none === undefined || typeof bar.none === 'string', `${where}.bars[${b}]`, 'none', bar.none, 'the text in place of a missing bar, a string');
  });
}

function checkTable(table: ReportTable, where: string): void {
  checkObjectArgument(table, where, 'a ReportTable { caption?, header, rows, readAcross?, keyColumns? }');
  knownFields(table, TABLE_KEYS, where);
  if (table.caption !== undefined) need(typeof table.caption === 'string', where, 'caption', table.caption, 'plain text, a string');
  need(isStrings(table.header), where, 'header', table.header, 'the column headings, an array of strings');
  need(Array.isArray(table.rows), where, 'rows', table.rows, 'an array of rows, each an array of strings');
  table.rows.forEach((row, r) => need(isStrings(row) && row.length === table.header.length, where, `rows[${r}]`, row, `a row of ${table.header.length} strings, as many as the header`));
  if (table.readAcross !== undefined) need(typeof table.readAcross === 'boolean', where, 'readAcross', table.readAcross, 'true or false');
  const keys = table.keyColumns;
  if (keys !== undefined) {
    need(Number.isInteger(keys) && keys >= 1 && keys <= table.header.length, where, 'keyColumns', keys, `a whole number of columns from 1 to ${table.header.length}, the header's`);
    // Only a table read across keeps columns in view; without readAcross it becomes cards on a phone and keyColumns did nothing (review44 #13).
    need(table.readAcross === true, where, 'keyColumns', keys, 'given with readAcross: true, the only tables that keep columns in view as they scroll');
  }
}

/** Undefined or an array: a lone object given for a list was drawn as no list at all. */
function checkList(value: unknown, where: string, entry: string): void {
  if (value !== undefined && !Array.isArray(value)) throw invalidOption(`${where}: expected an array of ${entry}, got ${shown(value)}`);
}

function checkRun(run: ReportRun, place: string): void {
  checkObjectArgument(run, place, 'a ReportRun { label, trace, diagnosis, … }');
  if (run instanceof Trace) throw invalidOption(`${place}: ${TRACE_FOR_INPUT}`);
  const where = typeof run.label === 'string' ? `${place} ${shown(run.label)}` : place;
  knownFields(run, RUN_KEYS, where);
  need(typeof run.label === 'string', where, 'label', run.label, "the run's heading, a string");
  // A Trace first, as diagnose() tells it.
  if (!(run.trace instanceof Trace)) {
    if (isSavedTrace(run.trace)) throw invalidOption(`${where}: trace: ${SAVED_TRACE_WORDS}`);
    throw invalidOption(`${where}: trace ${given(run.trace)}; expected a Trace: net.trace after a traced run, net.train(x, y, { trace: { every: 10 } })`);
  }
  need(isDiagnosis(run.diagnosis), where, 'diagnosis', run.diagnosis, "diagnose(trace) of the run's trace");
  const warnings: unknown = run.warnings;
  if (warnings !== undefined && !isStrings(warnings)) {
    throw invalidOption(`${where}: warnings must be an array of strings, got ${shown(warnings)}`);
  }
  if (run.detail !== undefined) checkChoice(run.detail, RUN_DETAILS, `${where}: detail`);
  if (run.remedyTerms !== undefined) checkRemedyTerms(run.remedyTerms, where, 'remedyTerms');
}

/** Whether `value` has the fields of diagnose()'s result the page reads (a Promise or a hand-made object without them has not). */
function isDiagnosis(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.verdict === 'string' && typeof d.summary === 'string' && Array.isArray(d.remedies) && typeof d.evidence === 'object' && d.evidence !== null;
}
