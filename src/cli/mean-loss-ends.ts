/**
 * The gradient of the mean loss over fixed training rows at the weights a study --model run starts from and at those it ends
 * at, as diagnose() takes it (meanLossGradient): over training time the batch's ‖∂C/∂b‖ of a plateau is mostly its batch's
 * sampling noise, which answers "did the gradient fade?" only for the batch (newuser46 #2). The rows are those whose loss the
 * run evaluates after each epoch beside held-out rows (trainingCheckRows: at most 1,024, evenly spaced over the training rows),
 * so that the answer and the curve's training loss are of the same rows; two forward and backward passes over them.
 */
import type { Gradients, Network } from '../api/network.js';
import { rowsAt, type Rows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import { biasNormsPerRow, type MeanLossGradient } from '../flow/mean-loss-gradient.js';
import type { Trace } from '../flow/trace.js';
import { trainingCheckRows } from '../training/training-check-rows.js';

/** The fixed rows the gradient is taken over: their inputs and targets, and how many. */
export interface FixedRows {
  x: Rows;
  y: Rows;
  count: number;
}

/** The training rows trainingCheckRows picks beside `checkCount` held-out rows (the same rows every call: no RNG drawn). */
export function fixedTrainingRows(train: { x: Rows; y: Rows; count: number }, checkCount: number): FixedRows {
  const picked = trainingCheckRows(train.count, checkCount);
  return { x: rowsAt(train.x, picked), y: rowsAt(train.y, picked), count: picked.length };
}

/**
 * net.gradients over the fixed rows at the weights the network holds; undefined where the loss or a gradient there overflows
 * float32 (NON_FINITE_INPUT: the diagnosis then reads the batch's, as without it), any other error thrown.
 */
export function gradientsAt(net: Network, rows: FixedRows): Gradients | undefined {
  try {
    return net.gradients(rows.x, rows.y);
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT') return undefined;
    throw error;
  }
}

/** Both ends as diagnose()'s meanLossGradient, per row of the run's trace; undefined where either end was not measured. */
export function meanLossGradientOf(trace: Trace, rows: FixedRows, start: Gradients | undefined, end: Gradients | undefined): MeanLossGradient | undefined {
  if (!start || !end) return undefined;
  return { rows: rows.count, start: biasNormsPerRow(trace, start), end: biasNormsPerRow(trace, end) };
}
