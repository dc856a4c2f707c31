/** How a call's rows fall into batches: the default batch size, the batches a network cannot train on, and when a call loads its rows in place. */
import { counted } from '../counted.js';
import { checkBoolean, checkWhole } from '../checks.js';
import { checkTrainingBatch } from '../model.js';
import type { TrainingEngine } from './training-engine.js';
import type { TrainOptions } from './train-options.js';

/** TrainOptions.batchSize's default. */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * The rows per batch train() uses when `rows` rows train in batches of `requestedBatch`: the batch size asked for, capped at the
 * rows (TrainOptions.batchSize), as the run's trace records it (TraceRun.batchSize): `batchRowsUsed(1000, 280)` is 280, one batch
 * of every row. Refuses (INVALID_OPTION) a count that is not a whole number ≥ 1.
 */
export function batchRowsUsed(requestedBatch: number, rows: number): number {
  checkWhole(requestedBatch, 'batchRowsUsed(requestedBatch, …)', 1);
  checkWhole(rows, 'batchRowsUsed(…, rows)', 1);
  return cappedBatch(requestedBatch, rows);
}

/** batchRowsUsed without its checks: train(), the CLI and the batch refusals run it on numbers their own checks have read. */
export const cappedBatch = (requestedBatch: number, rows: number): number => Math.min(requestedBatch, rows);

/**
 * The rows one epoch trains on when `rows` rows train in batches of `requestedBatch` (capped at the rows): every row, or with
 * `dropLast` every row but the short last batch's. train() plans its steps by it; `gradscope train` reads it to know whether
 * train() will compare the weights (comparesWeights). Unchecked, as cappedBatch.
 */
export function plannedEpochRows(rows: number, requestedBatch: number, dropLast: boolean): number {
  return dropLast ? rows - (rows % cappedBatch(requestedBatch, rows)) : rows;
}

/**
 * Whether train() with these options loads its `rows` rows once, as one batch in their own order:
 * one epoch, all rows in one batch, not shuffled (or one row), and no validation (evaluated between
 * epochs through the same buffers). Such a call's rows may go straight into the network's batch
 * buffers (loadInPlace in dataset.ts), with no dataset of their own to copy them from.
 */
export function loadsOneBatchInOrder(rows: number, options: TrainOptions): boolean {
  const oneBatch = rows <= (options.batchSize ?? DEFAULT_BATCH_SIZE) && (options.shuffle === false || rows === 1);
  return oneBatch && (options.epochs ?? 1) === 1 && options.validation === undefined;
}

/** What the batch refusals call the rows and the options: train()'s names by default, a command line's flags in the CLI. */
export interface BatchWording {
  /** Who trains on how many rows in batches of which size, e.g. "train: with 200 rows and batchSize 199". */
  sizes: string;
  /** The batch size option, e.g. "batchSize" or "--batch-size". */
  batchSize: string;
  /** How to leave the short last batch out, e.g. "dropLast: true" or "--drop-last". */
  dropLast: string;
}

/**
 * The rows of a batch that holds fewer than `minRows` when `rows` rows train in batches of
 * `requestedBatch` (capped at the rows): every batch's, or else the short last batch's unless
 * `dropLast` leaves it out; 0 when every batch trained holds at least `minRows`. Where train(), the
 * CLI and the studies find a batch batch norm cannot normalise (minRows BATCH_NORM_MIN_ROWS).
 * Refuses (INVALID_OPTION) a count that is not a whole number ≥ 1, or a `dropLast` not true or false.
 */
export function batchBelow(minRows: number, rows: number, requestedBatch: number, dropLast: boolean): number {
  checkWhole(minRows, 'batchBelow(minRows, …)', 1);
  checkWhole(rows, 'batchBelow(…, rows, …)', 1);
  checkWhole(requestedBatch, 'batchBelow(…, requestedBatch, …)', 1);
  checkBoolean(dropLast, 'batchBelow(…, dropLast)');
  return shortBatch(minRows, rows, requestedBatch, dropLast);
}

/** batchBelow without its checks: train() runs it on every call, on numbers its own options' checks have read. */
function shortBatch(minRows: number, rows: number, requestedBatch: number, dropLast: boolean): number {
  const batchSize = cappedBatch(requestedBatch, rows);
  if (batchSize < minRows) return batchSize;
  const shortRows = rows % batchSize;
  return shortRows > 0 && shortRows < minRows && !dropLast ? shortRows : 0;
}

/**
 * Refuses (INVALID_OPTION) batches of `rows` rows in batches of `requestedBatch` (capped at the rows)
 * that `net` cannot train on: any batch under net.minTrainingRows, the short last batch included
 * unless `dropLast` leaves it out, said by checkTrainingBatch (the rule of every batch that reaches
 * batch norm in training). train() runs it first; the CLI runs it before any work, with its flags'
 * names in `wording` (default: train()'s).
 */
export function checkBatchRows(
  net: Pick<TrainingEngine, 'minTrainingRows'>,
  rows: number,
  requestedBatch: number,
  dropLast: boolean,
  wording?: BatchWording,
): void {
  const short = shortBatch(net.minTrainingRows, rows, requestedBatch, dropLast);
  // The refusals' words are made only for a refusal: train() runs this every call, after kernels
  // that pushed the code making them (counted's regular expressions) out of the caches.
  if (short === 0) return;
  wording ??= { sizes: `train: with ${counted(rows, 'row')} and batchSize ${requestedBatch}`, batchSize: 'batchSize', dropLast: 'dropLast: true' };
  const { sizes } = wording;
  if (short === cappedBatch(requestedBatch, rows)) {
    checkTrainingBatch(net, short, `${sizes}, every batch`, rows < net.minTrainingRows ? `train on at least ${net.minTrainingRows} rows` : `choose a ${wording.batchSize} of at least ${net.minTrainingRows}`);
  }
  checkTrainingBatch(
    net,
    short,
    `${sizes}, the last batch`,
    `give ${wording.dropLast} to leave the short last batch out of each epoch, or a ${wording.batchSize} that leaves 0 or at least ${net.minTrainingRows} rows over`,
  );
}
