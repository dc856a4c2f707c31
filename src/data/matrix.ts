/**
 * Rows of numbers in, one flat float32 block out: every public entry point passes its inputs and
 * targets through here, so shape and finiteness are checked before anything touches memory.
 */
import { GradscopeError } from '../errors.js';

/** Rows as typed arrays or plain arrays, or an already flat row-major block. */
export type Rows = ArrayLike<number>[] | { data: ArrayLike<number>; rows: number; cols: number };

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Flattens and checks `rows` (named `label` in errors) to `cols` columns. */
export function toMatrix(input: Rows, cols: number, label: string): Matrix {
  if (Array.isArray(input)) {
    const rows = input.length;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = input[r];
      if (row == null || typeof row.length !== 'number') {
        throw new GradscopeError('SHAPE_MISMATCH', `${label}: row ${r} is not an array of numbers`);
      }
      if (row.length !== cols) {
        throw new GradscopeError('SHAPE_MISMATCH', `${label}: row ${r} has ${row.length} values, expected ${cols}`);
      }
      for (let c = 0; c < cols; c++) {
        const v = row[c];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw nonFinite(label, r, c, v);
        data[r * cols + c] = v;
        // Finite in float64 but beyond float32's ±3.4e38: stored as ±Inf.
        if (!Number.isFinite(data[r * cols + c])) throw nonFinite(label, r, c, v);
      }
    }
    return { data, rows, cols };
  }
  if (input && typeof input === 'object' && 'data' in input) {
    const { data, rows } = input;
    if (data == null || typeof data.length !== 'number') throw new GradscopeError('SHAPE_MISMATCH', `${label}: data is not an array of numbers`);
    if (input.cols !== cols) {
      throw new GradscopeError('SHAPE_MISMATCH', `${label}: has ${input.cols} columns, expected ${cols}`);
    }
    if (!Number.isInteger(rows) || rows < 0 || data.length !== rows * cols) {
      throw new GradscopeError('SHAPE_MISMATCH', `${label}: data has ${data.length} values, not ${rows} rows × ${cols}`);
    }
    const flat = Float32Array.from(data);
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isFinite(flat[i])) throw nonFinite(label, Math.floor(i / cols), i % cols, data[i]);
    }
    return { data: flat, rows, cols };
  }
  throw new GradscopeError('SHAPE_MISMATCH', `${label}: expected an array of rows or { data, rows, cols }`);
}

function nonFinite(label: string, row: number, col: number, value: unknown): GradscopeError {
  const why = typeof value === 'number' && Number.isFinite(value) ? 'beyond the float32 range' : 'not a finite number';
  return new GradscopeError('NON_FINITE_INPUT', `${label}: row ${row}, column ${col} is ${String(value)}, ${why}`);
}

/** Checks that inputs and targets pair up row for row. */
export function checkPairs(x: Matrix, y: Matrix): void {
  if (x.rows !== y.rows) {
    throw new GradscopeError('SHAPE_MISMATCH', `inputs have ${x.rows} rows but targets have ${y.rows}`);
  }
  if (x.rows === 0) throw new GradscopeError('SHAPE_MISMATCH', 'no rows: inputs and targets are empty');
}
