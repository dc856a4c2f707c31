/** TrainOptions.validation given as rows: their shape, their check, and how messages name them. */
import { checkKnownKeys, keysOf } from '../checks.js';
import type { RowLabels, Rows } from '../data/matrix.js';
import { invalidOption } from '../errors.js';

/** TrainOptions.validation given as rows. */
export interface ValidationRows {
  /** Inputs, one row per example. */
  x: Rows;
  /** Targets, one row per example. */
  y: Rows;
  /** Not read: taken so that a loadMnist split ({ x, y, labels }) can be passed as it is. */
  labels?: ArrayLike<number>;
}

/** How messages name validation rows ('validation.x: row 0 has 2 values, expected 4'), so a fault there is not taken for one in the training rows. */
export const VALIDATION_LABELS: RowLabels = { inputs: 'validation.x', targets: 'validation.y', dataset: 'validation' };

/** Every key of ValidationRows: train() refuses any other (a misspelt `y` would be a missing one). */
const VALIDATION_ROWS = keysOf<ValidationRows>({ x: true, y: true, labels: true });

/** TrainOptions.validation given as rows (not a Dataset), checked before anything is copied: an object with x and y, and no other key but labels. */
export function checkValidationRows(value: unknown): asserts value is ValidationRows {
  checkKnownKeys(value, VALIDATION_ROWS, 'validation', '{ x, y } or a Dataset');
  for (const key of ['x', 'y'] as const) {
    if ((value as Partial<ValidationRows>)[key] === undefined) throw invalidOption(`validation: ${key} is missing (expected { x, y } or a Dataset)`);
  }
}
