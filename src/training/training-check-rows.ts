/**
 * The training rows evaluated at each epoch's end beside validation rows that are other rows
 * (TraceEpoch.training): the training loss at the same weights as the held-out loss, so that
 * diagnose() tells overfitting (training loss held or fell while the held-out loss rose) from an
 * unstable end (both rose).
 */
import { invalidOption, shownArgument } from '../errors.js';

/**
 * The most training rows evaluated: the pass a trace adds costs at most a validation pass of 1024 rows
 * per epoch. Being the same rows every epoch, their loss moves with the weights alone, not with which
 * rows were drawn, so a rise of it is a rise on those rows; their mean stands for every training row's
 * within a standard error of 1/√1024 ≈ 3 % of the per-row losses' standard deviation.
 */
export const TRAINING_CHECK_MAX_ROWS = 1024;

/** The most rows of either count trainingCheckRows takes: the last index of a Uint32Array row index is 2³² − 1. */
const MOST_ROWS = 2 ** 32;

/**
 * The indexes of the training rows evaluated: as many as the validation rows (at most
 * TRAINING_CHECK_MAX_ROWS and the training rows), evenly spaced over them (row ⌊i·trainingRows/count⌋),
 * so that data ordered by class is sampled across its classes. Fixed for the run: the same rows every epoch,
 * no RNG drawn. Each count a whole number from 1 to 2³²; INVALID_OPTION otherwise.
 */
export function trainingCheckRows(trainingRows: number, validationRows: number): Uint32Array {
  for (const [name, rows] of [['trainingRows', trainingRows], ['validationRows', validationRows]] as const) {
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= MOST_ROWS)) throw invalidOption(`trainingCheckRows: ${name}: expected a count of rows, a whole number from 1 to ${MOST_ROWS}, got ${shownArgument(rows)}`);
  }
  const count = Math.min(trainingRows, validationRows, TRAINING_CHECK_MAX_ROWS);
  return Uint32Array.from({ length: count }, (_, i) => Math.floor((i * trainingRows) / count));
}
