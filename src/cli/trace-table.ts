/** Terminal views of a gradient-flow trace (study --model's report shows its tables alike): a per-layer table at one record, the residual blocks' table, and a diagnosis block. */
import { biasesCancelledByBatchNorm } from '../flow/cancelled-biases.js';
import { hiddenChain, verdictHeading, type Diagnosis } from '../flow/diagnose.js';
import { headlineInTerms, triedWords } from '../flow/diagnosis/headline.js';
import { choiceLine, remedyChoices, type RemedyChoice, type RemedyTerms } from '../flow/remedy.js';
import { displayWidth } from '../display-width.js';
import type { ReportTable } from '../flow/report-html.js';
import type { Trace } from '../flow/trace.js';
import { formatTable, ratioColumn } from './table.js';
import { sci } from '../sci-text.js';
import { proseWords, readingRoom, wrap, wrapTokens } from './prose.js';
import { percentText } from '../percent-text.js';
import { grouped } from '../counted.js';
import { evenIndexes } from '../flow/even-indexes.js';

const num = (v: number) => (Number.isNaN(v) ? '—' : sci(v));

/**
 * The record the tables read as the last: the last full batch's (Trace.lastFullBatchRecord; -1 in a
 * trace without records), and how a heading names it: 'the last traced step', or, where an epoch's
 * short last batch came after it (its gradient is of those few rows alone), "the last full batch's traced step".
 */
export function lastTableRecord(trace: Trace): { record: number; words: string } {
  const record = trace.lastFullBatchRecord() ?? -1;
  return { record, words: record < trace.length - 1 ? "the last full batch's traced step" : 'the last traced step' };
}

/**
 * Per layer at record `record` (default: the last full batch's, lastTableRecord): the norms, the ratio to the last hidden layer
 * ('—' where a batch norm cancels either bias: biasesCancelledByBatchNorm),
 * the chain factor beside its bound (both of the latest record with ‖W‖₂, which the trace measures
 * every few records only: where that is an earlier record, the header names its step and says why; a
 * block network's trace measures no ‖W‖₂, so it shows the factor of `record` and no bound column),
 * saturation (sigmoid, tanh, softsign) and dead units (relu family). The caller's heading names
 * `record`'s step (tableHeading). `width`: the terminal's (formatTable).
 */
export function traceTable(trace: Trace, record = lastTableRecord(trace).record, width?: number): string {
  const { header, rows } = traceTableData(trace, record);
  return formatTable(header, rows, width);
}

/** traceTable's header and cells, which the HTML report shows as the terminal prints them (study --model). */
export function traceTableData(trace: Trace, record = lastTableRecord(trace).record): ReportTable {
  const L = trace.layers;
  const lastHidden = hiddenChain(trace).at(-1) ?? 0;
  const refreshed = trace.lastRefreshed(record);
  const chainRecord = refreshed ?? record;
  const at = (metric: Parameters<Trace['at']>[0], l: number, r = record) => trace.at(metric, r, l);
  const withBound = refreshed !== undefined;
  // A bias a batch norm cancels has ‖∂C/∂b‖ 0 up to rounding (flow/cancelled-biases.ts): no ratio of it, or against it, is a speed of learning.
  const cancelled = biasesCancelledByBatchNorm(trace);
  const unread = (l: number) => cancelled.includes(l) || cancelled.includes(lastHidden);
  const ratios = ratioColumn(Array.from({ length: L }, (_, l) => (l === L - 1 ? undefined : unread(l) ? NaN : at('biasGradNorm', l) / at('biasGradNorm', lastHidden))));
  const rows = Array.from({ length: L }, (_, l) => [
    `${trace.layerLabel(l)} (${trace.activations[l]})`,
    num(at('weightGradNorm', l)),
    num(at('biasGradNorm', l)),
    num(at('deltaRms', l)),
    ratios[l],
    num(at('chainFactor', l, chainRecord)),
    ...(withBound ? [num(at('chainBound', l, chainRecord))] : []),
    num(at('updateRatio', l)),
    percentText(at('saturatedFraction', l)),
    percentText(at('deadFraction', l)),
  ]);
  // Of an earlier step than the table's: why is said once, in the first of the two headers.
  const earlier = chainRecord === record ? undefined : trace.steps[chainRecord];
  const chainStep = earlier === undefined ? '' : ` (step ${grouped(earlier)}: the last with ‖W‖₂)`;
  const bound = withBound ? [`bound max σ'·‖Wˡ⁺¹‖₂${earlier === undefined ? '' : ` (step ${grouped(earlier)})`}`] : [];
  return {
    header: ['layer', '‖∂C/∂W‖', '‖∂C/∂b‖', 'RMS ‖δₓ‖', '‖∂C/∂b‖ ÷ last hidden', `factor ‖δˡ‖/‖δˡ⁺¹‖${chainStep}`, ...bound, '‖ΔW‖/‖W‖', 'saturated', 'dead units'],
    rows,
  };
}

/** Steps study --model's over-time table shows at most (overTimeTableData): the first, the last full batch's and full batches' steps between, evenly spaced among those. */
export const OVER_TIME_STEPS = 5;

/**
 * Per layer, ‖∂C/∂b‖ (its speed of learning, as the report's chart over time draws it) at OVER_TIME_STEPS steps at most: the full
 * batches' records (Trace.fullBatchRecords: not an epoch's short last batch, a gradient of its few rows alone), evenly spaced among
 * those records (not in steps: the steps between full batches vary), the first and the last included. Down a column the gradient falls over depth, along a row over training time: the table tells the two
 * apart, which the first and the last tables alone do not say of the steps between. undefined where fewer than 3 records are full
 * batches' (those tables show them all).
 */
export function overTimeTableData(trace: Trace): ReportTable | undefined {
  const full = trace.fullBatchRecords();
  if (full.length < 3) return undefined;
  const records = evenIndexes(full.length, OVER_TIME_STEPS).map((i) => full[i]);
  return {
    header: ['layer', ...records.map((r) => `step ${grouped(trace.steps[r])}`)],
    rows: Array.from({ length: trace.layers }, (_, l) => [`${trace.layerLabel(l)} (${trace.activations[l]})`, ...records.map((r) => num(trace.at('biasGradNorm', r, l)))]),
  };
}

/** overTimeTableData's caption: what its cells are and how its columns are picked. */
export const OVER_TIME_CAPTION = `‖∂C/∂b‖ per layer over training (down a column: over depth; along a row: over time), at up to ${OVER_TIME_STEPS} of the full batches' traced steps, spread from the first to the last full batch's:`;

/** The line above traceTable(trace, record): `what` ('At the last traced step') and the record's step (default: lastTableRecord's), 'At the last traced step (step 96):'. */
export function tableHeading(what: string, trace: Trace, record = lastTableRecord(trace).record): string {
  return `${what} (step ${grouped(trace.steps[record])}):`;
}

/**
 * A block network's residual blocks at record `record` (default: the last full batch's, lastTableRecord), each by its name (Trace.residualLabel), as header and cells
 * (study --model prints them with formatTable and its report shows them): the per-example
 * ‖∂C/∂x‖ through the skip and through the branch, their ratio, and ReZero's α.
 */
export function residualTableData(trace: Trace, record = lastTableRecord(trace).record): ReportTable {
  const rows = (trace.blocks?.residuals ?? []).map((block, b) => {
    const [skip, branch] = [trace.residualSeries('skipGradRms', b)[record], trace.residualSeries('branchGradRms', b)[record]];
    return [trace.residualLabel(b), block.gate, num(skip), num(branch), num(branch / skip), num(trace.residualSeries('alpha', b)[record])];
  });
  return { header: ['residual block', 'gate', 'RMS ‖∂C/∂x‖ via skip', 'via branch', 'branch ÷ skip', 'α'], rows };
}

/**
 * A diagnosis's headline (Diagnosis.headline) as printed before the tables, `whose` diagnosis it is ('The diagnosis', 'The
 * deepest network's diagnosis'), wrapped as diagnosisText wraps, its 'Try' in `terms` (headlineInTerms): a command line on
 * a line of its own, as diagnosisText's list prints it, so that the screen says the remedy one way.
 */
export function headlineText(d: Diagnosis, terms: RemedyTerms, whose: string, width?: number): string {
  const room = readingRoom(width);
  const { said, tried } = headlineInTerms(d, terms);
  const text = wrapTokens(proseWords(`${whose}, in short (in full after the tables): ${said}${tried ? ` Try ${triedWords(tried)}:` : ''}`), room, '  ', '');
  return tried ? [text, ...choiceLines(tried.choice, '  ', room)].join('\n') : text;
}

/** The verdict, the summary and the remedies, their settings in `terms` (the printing command's: remedyTerms), wrapped to READING_WIDTH or the terminal's `width` where narrower. */
export function diagnosisText(d: Diagnosis, terms: RemedyTerms, width?: number): string {
  const room = readingRoom(width);
  const lines = [`Diagnosis: ${verdictHeading(d)}`, wrap(d.summary, room, '  ')];
  if (d.remedies.length) {
    lines.push(terms.unmadeRun === undefined ? '  What to try:' : wrap(`What to try, as the library's options (${terms.unmadeRun}):`, room, '  '));
    // A command line is never wrapped (it is copied whole); an alternative gets a line of its own.
    for (const r of d.remedies) {
      const [first, alternative] = remedyChoices(r, terms);
      lines.push(...choiceLines(first, '  • ', room), ...(alternative === undefined ? [] : choiceLines(alternative, '    or: ', room)), wrap(r.why, room, '      '));
    }
  }
  return lines.join('\n');
}

/**
 * A remedy's choice after `lead` (its list marker, or 'or: '): its line and its note's shell comment on one line where they
 * fit `room`, else the line, whole, and under it, where print puts a command line too long to follow 'or:', the comment,
 * wrapped at its words, each of its lines a comment of its own ('# …'): pasted together, the lines still run the command alone.
 */
function choiceLines(choice: RemedyChoice, lead: string, room: number): string[] {
  const line = `${lead}${choiceLine(choice)}`;
  if (choice.note === undefined || displayWidth(line) <= room) return [line];
  return [`${lead}${choice.text}`, wrap(choice.note, room, '    # ')];
}
