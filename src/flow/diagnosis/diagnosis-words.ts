/**
 * How the diagnosis says numbers, layers, rows and records, in its sentences and its remedies'
 * reasons alike. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { counted, grouped } from '../../counted.js';
import { numberRanges } from '../../layer-names.js';
import type { Evidence } from './diagnosis-types.js';
import { readAtFirst } from './gap-measures.js';
import { andList } from '../../list-text.js';
import { multipleText, numberText, shareText } from '../../number-text.js';

/**
 * A share in whole percent, grouped as counts are: '26 %', '4,500 %'; from PERCENT_DIGITS_BOUND on in numberText's 3 digits,
 * '3.99e+27 %': a rise of an evaluated loss past 10²¹ printed as JavaScript writes the float, '3.9952204989927646e+27 %', and
 * one short of it as more grouped digits than a float64 holds (review39).
 */
export const percent = (v: number) => {
  const share = 100 * v;
  return Math.abs(share) >= PERCENT_DIGITS_BOUND ? `${numberText(share)} %` : `${grouped(Math.round(share))} %`;
};

/** The percentage from which percent() gives 3 significant digits, not every digit: 10⁶ %. */
const PERCENT_DIGITS_BOUND = 1e6;

const layerList = (layers: number[]) => `${layers.length > 1 ? 'layers' : 'layer'} ${numberRanges(layers.map((l) => l + 1))}`;

/** Rows named for a sentence: 'hidden layers 1, 2' or 'hidden layers 2–10' (numberRanges) in a dense network's trace; in a block network's each by its name (Trace.layerLabel), "layers[2] ('3', activation), layers[4].layers[0] ('5.branch.0', dense)". */
export const rowList = (trace: Trace, rows: number[]) =>
  trace.blocks ? rows.map((l) => trace.layerLabel(l)).join(', ') : `hidden ${layerList(rows)}`;

/**
 * Each row's share of `what`, the share beside its row ("80 % of the units in hidden layer 9 and 97 %
 * in hidden layer 10"), so that no reader has to pair a list of layers with a list of percentages.
 */
export function sharesByRow(trace: Trace, rows: number[], shares: number[], what: string): string {
  return andList(rows.map((l, i) => `${percent(shares[i])}${i === 0 ? ` of ${what}` : ''} in ${rowList(trace, [l])}`));
}

/**
 * The records a median was taken over, as sentences say it: 'median over 40 records', 'median over 1 record'; the full batches'
 * alone where short ones were recorded (evidence.fullBatchRecords): 'median over 36 full batches' records'.
 */
export const medianOverRecords = (e: Evidence) =>
  e.fullBatchRecords === undefined ? `median over ${counted(e.records, 'record')}` : `median over ${counted(e.fullBatchRecords, "full batch's record", "full batches' records")}`;

/**
 * The records a change over training time was read over (evidence.changeWindow), as sentences say them: 'medians over the first
 * and the last 20 records' ('full batches' records' where short ones were recorded); '' for a window of 1 (the first record and
 * the last, which the sentences name where they need to).
 */
export const changeRecords = (e: Evidence) =>
  e.changeWindow > 1 ? `medians over the first and the last ${e.changeWindow} ${e.fullBatchRecords === undefined ? 'records' : "full batches' records"}` : '';

/**
 * What overTimeChange was read from, as the sentences name it after "the last hidden layer's": its '‖∂C/∂b‖', or, where the caller
 * gave the mean loss's gradient over fixed rows (evidence.meanLossChange), '‖∂C/∂b‖ of the mean loss over 256 fixed rows'; and
 * where: the windows (changeRecords) or 'from the run's start to its end'.
 */
export const overTimeMeasure = (e: Evidence) => (e.meanLossChange ? `‖∂C/∂b‖ of the mean loss over ${counted(e.meanLossChange.rows, 'fixed row')}` : '‖∂C/∂b‖');
export const overTimeWhere = (e: Evidence) => (e.meanLossChange ? "from the run's start to its end" : changeRecords(e));

/** The record(s) the decisive gap was read at, as sentences say them: 'at the first step' or 'median over 40 records'. */
export const gapRecords = (e: Evidence) => (readAtFirst(e) ? 'at the first step' : medianOverRecords(e));

/** A first-to-last ratio as a value: '6.47×' for a gap of 6.47, '1/4.06e+6' for one below 1/2 (float64's bounds: shareText, multipleText). */
export const gapText = (ratio: number) => (ratio < 0.5 ? shareText(ratio) : `${multipleText(ratio)}×`);

/** A first-to-last ratio as the sentences say it of what it compares: '6.47× the last's', '1/4.06e+6 of the last's' (gapText). */
export const timesOf = (ratio: number) => (ratio < 0.5 ? `${gapText(ratio)} of` : gapText(ratio));

/** The record read as the last, as sentences name it: 'the last record', or where the trace ended on an epoch's short last batch (evidence.shortLastBatch) "the last full batch's record", read in its place. */
export const lastRecordName = (e: Evidence) => (e.shortLastBatch ? "the last full batch's record" : 'the last record');

/** Why the last full batch's record was read (lastRecordName), "step 1,200: the epoch's short last batch after it, of 1 row, holds a gradient of that row alone"; '' without a short last batch. */
export function shortBatchNote(e: Evidence): string {
  const s = e.shortLastBatch;
  return s ? `step ${grouped(s.readStep)}: the epoch's short last batch after it, of ${counted(s.rows, 'row')}, holds a gradient of ${s.rows === 1 ? 'that row' : 'those rows'} alone` : '';
}
