/**
 * Batch norm in training needs BATCH_NORM_MIN_ROWS rows per batch (one row's variance is 0), and
 * train() refuses a batch under it, a short last one included (see TrainOptions.dropLast). A study's
 * training digits in batches of a fixed size leave a last batch of 1 row when their count is 1 more
 * than a multiple of it: this names such a count before any training, as the caller names the count
 * (trainRows, --train), with the nearest counts that work.
 */
import { counted } from '../counted.js';
import { BATCH_NORM_MIN_ROWS } from '../layers/spec.js';
import { batchBelow } from '../training/batch-rows.js';

/** A run of a study that normalises over its batches in training, and their size. */
export interface BatchNormRun {
  /** The run as the study names it (a remedy's key, a paper experiment's). */
  run: string;
  /** Rows per batch. */
  batchSize: number;
}

/** Rows of the batch batch norm cannot normalise when `rows` rows train in batches of `batchSize`, as train() batches them (batchBelow); 0 when there is none. */
const unnormalisedRows = (rows: number, batchSize: number): number => batchBelow(BATCH_NORM_MIN_ROWS, rows, batchSize, false);

/** Why `rows` training digits cannot train every run of `runs` (undefined when they can), the count named `name`. */
export function shortBatchProblem(rows: number, runs: readonly BatchNormRun[], name: string): string | undefined {
  const failing = runs.filter((r) => unnormalisedRows(rows, r.batchSize) > 0);
  if (failing.length === 0) return undefined;
  const fits = (n: number) => n >= BATCH_NORM_MIN_ROWS && runs.every((r) => unnormalisedRows(n, r.batchSize) === 0);
  const nearest = [rows - 1, rows + 1, rows - 2, rows + 2, rows - 3, rows + 3].filter(fits);
  return (
    `${name} ${rows} leaves a last batch of ${failing.map((r) => `${counted(unnormalisedRows(rows, r.batchSize), 'digit')} for ${r.run} (batches of ${r.batchSize})`).join(', ')}, ` +
    `and batch norm in training needs at least ${BATCH_NORM_MIN_ROWS} rows per batch (one row's variance is 0): choose a ${name} that leaves 0 or at least ${BATCH_NORM_MIN_ROWS} digits over a multiple of the batch size` +
    (nearest.length ? ` (e.g. ${name} ${nearest.slice(0, 2).join(' or ')})` : '')
  );
}
