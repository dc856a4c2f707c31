/**
 * Whether `gradscope train` and `study --model` say an accuracy: only where the network has classes
 * (flow/training-progress.ts classesOf, the rule the diagnosis reads: one-hot targets, a cross-entropy
 * loss, or binary cross-entropy over one output). evaluate()'s accuracy is the share of rows whose
 * largest output is the target's, over one output the share whose output and target lie on the same
 * side of ½: over real-valued targets a number that means nothing, which a regression's every epoch
 * line printed ("training accuracy 56.0 %", the share of its targets ≤ ½; newuser43 #12).
 */
import { classesOf } from '../flow/training-progress.js';
import type { Trace, TraceJSON } from '../flow/trace.js';
import type { Loss } from '../kernels.js';
import type { Evaluation } from '../network/rows.js';

/** Loss and, where the network has classes, accuracy: what an epoch line, a loss table, a warning or study --model's `--json` `curve` says of some rows. */
export interface SaidEvaluation {
  /** Mean loss over the rows. */
  loss: number;
  /** The share of rows right (Evaluation.accuracy); absent where the targets are not classes (classesOf). */
  accuracy?: number;
}

/**
 * Said once where no accuracy is printed, so that its absence reads as a rule and not as a fault. The
 * ways in are classesOf's, in a command line's words. Its last sentence is for a binary classifier
 * trained under mse (train's default loss beside --output sigmoid), whose 0/1 targets classesOf does
 * not read as classes without the loss saying so (review44 #1).
 */
export const NO_ACCURACY_NOTE =
  'No accuracy: the targets are not read as classes (one-hot rows, a cross-entropy loss, or binary cross-entropy over one output), so no row is right or wrong; the loss is the measure. Targets of 0 or 1 over one output are classes under --loss binary-cross-entropy.';

/** The classes a network of `outputs` outputs under `loss` tells apart, trained on targets that are one-hot rows or not (classesOf: train's rule, without a trace); undefined without classes. */
export const classesOfRun = (loss: Loss, outputs: number, oneHot: boolean): number | undefined => classesOf({ loss, sizes: [outputs], run: { targets: oneHot ? 'one-hot' : undefined } });

/** `evaluation` as it is said: its accuracy left out where the network has no classes (`classes` undefined). */
export const said = (evaluation: Evaluation, classes: number | undefined): SaidEvaluation => (classes === undefined ? { loss: evaluation.loss } : evaluation);

/**
 * `trace` as study --model's `--json` holds it (Trace.toJSON): where the network has no classes (`classes` undefined), every
 * accuracy NaN, which JSON writes null ("not defined"): a record's batch accuracy, an epoch's validation and training-subset
 * accuracy, as the CSV leaves those cells empty (Trace.toCSV). Trace.fromJSON reads them back as NaN.
 */
export function traceJSONSaid(trace: Trace, classes: number | undefined): TraceJSON {
  const json = trace.toJSON();
  if (classes !== undefined) return json;
  const none = <T extends { accuracy: number }>(measured: T | undefined) => measured && { ...measured, accuracy: NaN };
  return { ...json, accuracy: json.accuracy.map(() => NaN), epochs: json.epochs?.map((e) => ({ ...e, validation: none(e.validation), training: none(e.training) })) };
}
