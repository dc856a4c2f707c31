/**
 * What each loss takes as targets: the one rule, checked wherever targets meet a loss (x, y given to
 * train, evaluate or gradients, and a dataset the first time a network with that loss uses it),
 * before anything held changes.
 *
 * - mse: any finite value (finiteness is checked as the rows are read).
 * - binary-cross-entropy: each value a probability in [0, 1], each output independent (PyTorch's
 *   BCELoss takes its targets in [0, 1]; outside, the loss has no lower bound: it reached −439).
 * - cross-entropy (softmax output): each row a probability distribution over the classes, values in
 *   [0, 1] summing to 1 within TARGET_SUM_TOLERANCE per class: one-hot rows or soft labels. A row
 *   of zeros has loss 0 and no class, so evaluate() would count it right when the network predicts
 *   class 0 (its target's argmax); a row like [1, 1, 1] asks for every class at once.
 */
import { GradscopeError, shown } from '../errors.js';
import type { Loss } from '../kernels.js';

/**
 * How far a cross-entropy target row's sum may stray from 1, per class (2⁻²³, float32's epsilon).
 * Rounding each value of a distribution to float32 moves the sum by at most 2⁻²⁴; a row the caller
 * built in float32 (a last entry of 1 − Σ the others, a smoothed label) carries up to (n − 1)·2⁻²⁴
 * more from its additions. n·2⁻²³ is twice the sum of both, and 1.2e-6 for 10 classes: far below
 * any row that is not a distribution.
 */
export const TARGET_SUM_TOLERANCE = 2 ** -23;

/** A target row the loss cannot take: a value outside [0, 1], or (cross-entropy) a row not summing to 1. */
export type TargetFault =
  | {
      /** A value outside [0, 1]. */
      kind: 'outside-unit';
      /** Its row (0-based). */
      row: number;
      /** Its column (0-based). */
      col: number;
      /** The value, as the backend holds it. */
      value: number;
    }
  | {
      /** A cross-entropy target row whose values, each in [0, 1], do not sum to 1. */
      kind: 'row-sum';
      /** The row (0-based). */
      row: number;
      /** Its sum (in float64 over the values the backend holds). */
      sum: number;
      /** Its values. */
      values: number[];
    };

/** The first row of `values` (`rows` × `cols`, finite) that `loss` cannot take as targets, or null; one pass, none for mse. */
export function firstTargetFault(loss: Loss, values: ArrayLike<number>, rows: number, cols: number): TargetFault | null {
  if (loss === 'mse') return null;
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let col = 0; col < cols; col++) {
      const value = values[row * cols + col];
      if (value < 0 || value > 1) return { kind: 'outside-unit', row, col, value };
      sum += value;
    }
    if (loss === 'cross-entropy' && Math.abs(sum - 1) > cols * TARGET_SUM_TOLERANCE) {
      return { kind: 'row-sum', row, sum, values: Array.from({ length: cols }, (_, col) => values[row * cols + col]) };
    }
  }
  return null;
}

/** INVALID_TARGET naming the row and what is wrong with it, if `fault` is one; `label` names the targets in the caller's words. */
export function refuseTargetFault(fault: TargetFault | null, loss: Loss, label = 'targets'): void {
  if (fault === null) return;
  if (fault.kind === 'outside-unit') {
    throw new GradscopeError(
      'INVALID_TARGET',
      `${label}: row ${fault.row}, column ${fault.col} is ${fault.value}, outside [0, 1]: the ${loss} loss takes probabilities as targets (mse takes any value)`,
    );
  }
  const tolerance = (fault.values.length * TARGET_SUM_TOLERANCE).toExponential(1);
  // Seven significant digits: float32's precision, so a value the caller wrote reads as written.
  const short = (value: number) => Number(value.toPrecision(7));
  throw new GradscopeError(
    'INVALID_TARGET',
    `${label}: row ${fault.row} sums to ${short(fault.sum)}, not 1 (${shown(fault.values.map(short))}): the cross-entropy loss takes each row as a ` +
      `probability distribution over the classes (one-hot, or soft labels summing to 1 within ${tolerance}); ` +
      'binary-cross-entropy takes independent probabilities, mse any value',
  );
}
