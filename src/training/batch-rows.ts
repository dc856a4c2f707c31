/** How a call's rows fall into batches: the default batch size, the batches a network cannot train on, and when a call loads its rows in place. */
import { counted } from '../counted.js';
import { BATCH_NORM_BLOCKING_ROWS } from '../layers/spec.js';
import { invalidOption } from '../errors.js';
import { checkTrainingBatch } from '../model.js';
import type { TrainingEngine } from './training-engine.js';
import type { TrainOptions } from './train-options.js';

/** TrainOptions.batchSize's default. */
export const DEFAULT_BATCH_SIZE = 32;

/** The rows per batch train() uses: the batch size asked for, capped at the rows trained on (TrainOptions.batchSize). */
export const batchRowsUsed = (requestedBatch: number, rows: number): number => Math.min(requestedBatch, rows);

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
 * Refuses (INVALID_OPTION) batches of `rows` rows in batches of `requestedBatch` (capped at the rows)
 * that `net` cannot train on: a batch under net.minTrainingRows, or a short last batch under
 * net.minLastBatchRows unless `dropLast` leaves it out (batch norm normalises nothing over 2 rows or
 * fewer). train() runs it first; the CLI runs it before any work, with its flags' names in `wording`
 * (default: train()'s).
 */
export function checkBatchRows(
  net: Pick<TrainingEngine, 'minTrainingRows' | 'minLastBatchRows'>,
  rows: number,
  requestedBatch: number,
  dropLast: boolean,
  wording?: BatchWording,
): void {
  const batchSize = batchRowsUsed(requestedBatch, rows);
  const shortRows = rows % batchSize;
  const lastBatchTrains = shortRows === 0 || dropLast || shortRows >= net.minLastBatchRows;
  // The refusals' words are made only for a refusal: train() runs this every call, after kernels
  // that pushed the code making them (counted's regular expressions) out of the caches.
  if (batchSize >= net.minTrainingRows && lastBatchTrains) return;
  wording ??= { sizes: `train: with ${counted(rows, 'row')} and batchSize ${requestedBatch}`, batchSize: 'batchSize', dropLast: 'dropLast: true' };
  const { sizes } = wording;
  checkTrainingBatch(net, batchSize, `${sizes}, every batch`, rows === 1 ? 'train on at least 2 rows' : `choose a ${wording.batchSize} of at least 2`);
  if (lastBatchTrains) return;
  throw invalidOption(
    `${sizes}, the last batch has ${counted(shortRows, 'row')}, and batch norm in training normalises nothing over ${BATCH_NORM_BLOCKING_ROWS} rows or fewer ` +
      `(one row's variance is 0, every feature would become β; over 2 rows each feature becomes ±1 whatever its input and passes no gradient back to it); ` +
      `give ${wording.dropLast} to leave the short last batch out of each epoch, or a ${wording.batchSize} that leaves 0 or at least ${BATCH_NORM_BLOCKING_ROWS + 1} rows over`,
  );
}
