/**
 * Network.updateBatchNormStatistics(): PyTorch's torch.optim.swa_utils.update_bn(loader, model) over given rows. Batch norm's
 * running statistics move by its momentum (0.1) at each training step, so a run of few large steps (a second-order optimiser's
 * batches of hundreds of rows: Hessian-free's 8 steps on 2,000 digits) leaves them far from what its batches see, and evaluate()
 * reads them (researcher53 F13: batches 39 % right, evaluate() at chance, the running variance 0.44 where the batches' was
 * ~0.05). This recomputes them at the weights as they are: reset, then the mean of the given rows' batch statistics.
 */
import { checkKnownKeys, checkWhole, keysOf } from '../checks.js';
import type { Matrix, ResidentRows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { checkOutputs, checkTrainingBatch } from '../model.js';
import type { BlockEngine } from '../network/block-engine.js';
import { identity } from '../network/rows.js';
import { DEFAULT_BATCH_SIZE } from '../training/batch-rows.js';
import { stateOutOfRange } from '../training/numeric-faults.js';
import { TensorCopies } from '../training/tensor-copies.js';

/** Options of Network.updateBatchNormStatistics(). */
export interface BatchNormStatisticsOptions {
  /**
   * Rows per batch, taken in their order (default 32, train()'s default batchSize): each batch's mean and unbiased variance
   * count once in the average, as each batch of PyTorch's loader does. A last batch of one row (whose variance is 0) is run
   * with the batch before it.
   */
  batchSize?: number;
}

const OPTION_KEYS = keysOf<BatchNormStatisticsOptions>({ batchSize: true });

/** The method's name, as its refusals name it. */
const METHOD = 'updateBatchNormStatistics';

/** The batch size `options` asks for (INVALID_OPTION for anything but a BatchNormStatisticsOptions object). */
export function checkBatchNormStatisticsOptions(options: unknown): number {
  if (options === undefined) return DEFAULT_BATCH_SIZE;
  checkKnownKeys(options, OPTION_KEYS, METHOD);
  const { batchSize } = options as BatchNormStatisticsOptions;
  return batchSize === undefined ? DEFAULT_BATCH_SIZE : checkWhole(batchSize, `${METHOD}: batchSize`, 1);
}

/**
 * Each batch's first row and row count over `rows` rows in batches of `batchSize`: a last batch smaller than the network
 * trains on (one row beside batch norm) joins the one before, as it could not be run alone.
 */
export function statisticsBatches(rows: number, batchSize: number, minRows: number): { start: number; count: number }[] {
  const batches: { start: number; count: number }[] = [];
  for (let start = 0; start < rows; start += batchSize) batches.push({ start, count: Math.min(batchSize, rows - start) });
  const last = batches[batches.length - 1];
  if (batches.length > 1 && last.count < minRows) {
    batches.pop();
    batches[batches.length - 1].count += last.count;
  }
  return batches;
}

/**
 * Recomputes every batch norm's running statistics of `engine` over the rows of `x` (host rows or a resident data set's
 * inputs) in batches of `batchSize`: reset, then averaged over the batches' 'train' forwards (BlockEngine.averagingBatchNorms).
 * A row that overflows float32 in a layer, or statistics that end beyond float32, are refused (NON_FINITE_INPUT) with the
 * statistics put back as they were. Nothing else the network holds changes: 'train' mode moves no parameter.
 */
export function updateBatchNormStatistics<T extends Tensor>(engine: BlockEngine<T>, x: Matrix | ResidentRows<T>, batchSize: number): void {
  checkTrainingBatch(engine, x.rows, `${METHOD}: the rows`);
  const batches = statisticsBatches(x.rows, batchSize, engine.minTrainingRows);
  const k = engine.kernels;
  engine.ensureCapacity(Math.max(...batches.map((b) => b.count)));
  const order = 'data' in x ? undefined : identity(x.rows);
  const states = engine.stateTensors();
  const before = new TensorCopies(k, states);
  try {
    before.save();
    engine.averagingBatchNorms(() => {
      for (const { start, count } of batches) {
        if ('data' in x) k.write(engine.input, x.data.subarray(start * x.cols, (start + count) * x.cols));
        else k.copyRows(engine.input, x.tensor, order!, start, count, x.cols);
        engine.forward(count, 'train');
        checkOutputs(engine, start, count, 'inputs');
        const fault = stateOutOfRange(engine, states);
        if (fault) throw new GradscopeError('NON_FINITE_INPUT', `${METHOD}: rows ${start}..${start + count - 1}: ${fault}; nothing changed`);
      }
    });
  } catch (error) {
    before.restore();
    engine.stateTensorsWritten();
    throw error;
  } finally {
    before.dispose();
  }
}
