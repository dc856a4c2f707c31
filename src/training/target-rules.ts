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

/**
 * What a softmax + cross-entropy network of `classes` outputs takes where it was given one target column (its values, `column`,
 * where read): one-hot rows, one column per class; where that column holds whole numbers from 0 to classes − 1, it is said to
 * look like class indices, as PyTorch's nn.CrossEntropyLoss takes them (newuser45 #10: a bare SHAPE_MISMATCH said neither). A
 * column of other numbers (negative, fractional, a class too high) gets the one-hot words alone: no claim about what it holds.
 * Begins with '; ': the tail of a SHAPE_MISMATCH (the CLI's rows-fit-model, the API's targets of train, evaluate, gradients).
 */
export function oneHotWords(classes: number, column: ArrayLike<unknown> | undefined): string {
  const example = `class ${classes - 1} is [${[...Array<string>(classes - 1).fill('0'), '1'].join(', ')}]`;
  const words = `; a softmax output with cross-entropy takes one-hot targets, one column per class (${classes} here: ${example})`;
  if (column === undefined || column.length === 0) return words;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= classes) return words;
  }
  return `${words}; its one column of whole numbers from 0 to ${classes - 1} reads as class indices (nn.CrossEntropyLoss's targets): write each as its one-hot row`;
}

/**
 * The values of targets `y` given as one column, without throwing on anything a caller passes: rows of one value each (`[[0], [2]]`,
 * typed rows of length 1) or `{ data, rows, cols: 1 }` (a data file's); undefined for any other shape (a flat array of numbers is
 * a single row).
 */
export function oneColumnOf(y: unknown): ArrayLike<unknown> | undefined {
  if (Array.isArray(y)) {
    if (y.length === 0 || !y.every((row) => (Array.isArray(row) || ArrayBuffer.isView(row)) && (row as ArrayLike<unknown>).length === 1)) return undefined;
    return y.map((row) => (row as ArrayLike<unknown>)[0]);
  }
  if (typeof y !== 'object' || y === null || ArrayBuffer.isView(y)) return undefined;
  const { data, cols } = y as { data?: unknown; cols?: unknown };
  const values = Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView)) ? (data as ArrayLike<unknown>) : undefined;
  return values !== undefined && (cols === 1 || cols === undefined) ? values : undefined;
}
