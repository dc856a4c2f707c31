/**
 * Rows of numbers in, one flat float32 block out: every public entry point passes its inputs and
 * targets through here, so shape and finiteness are checked before anything touches memory.
 */
import { describedArgument, describeValue, GradscopeError } from '../errors.js';
import type { NumberArray, Tensor } from '../kernels.js';
import { counted, grouped } from '../counted.js';
import { FLOAT32_OVERFLOW, unknownKey, withinFloat32 } from '../checks.js';
import { lengthOf } from '../array-reads.js';

/** The fields of a flat block of rows (Rows), each required, no other taken. */
const FLAT_KEYS: readonly string[] = ['data', 'rows', 'cols'];

/** Rows as typed arrays or plain arrays, or an already flat row-major block. */
export type Rows =
  | ArrayLike<number>[]
  | {
      /** rows × cols values, row-major. */
      data: ArrayLike<number>;
      /** Number of rows. */
      rows: number;
      /** Values per row. */
      cols: number;
    };

/** A checked, flat float32 block of rows. */
export interface Matrix {
  /** rows × cols values, row-major. */
  data: Float32Array;
  /** Number of rows. */
  rows: number;
  /** Values per row. */
  cols: number;
}

/** `count` rows of a matrix from row `start`, as a matrix sharing its data (no copy). */
export function matrixRows(m: Matrix, start: number, count: number): Matrix {
  return { data: m.data.subarray(start * m.cols, (start + count) * m.cols), rows: count, cols: m.cols };
}

/** The first `count` rows of `input` (unchecked, as given: the caller's function checks them), sharing a typed block's data. */
export function leadingRows(input: Rows, count: number): Rows {
  if (Array.isArray(input)) return input.slice(0, count);
  const { data, cols } = input;
  const rows = Math.min(count, input.rows);
  const end = rows * cols;
  return { data: ArrayBuffer.isView(data) ? (data as Float32Array).subarray(0, end) : Array.prototype.slice.call(data, 0, end), rows, cols };
}

/** The rows of `input` at `indexes`, in that order (unchecked, as given: the caller's function checks them); a copy. */
export function rowsAt(input: Rows, indexes: ArrayLike<number>): Rows {
  if (Array.isArray(input)) return Array.from(indexes, (r) => input[r]);
  const { data, cols } = input;
  const picked = new Float64Array(indexes.length * cols);
  for (let i = 0; i < indexes.length; i++) for (let c = 0; c < cols; c++) picked[i * cols + c] = data[indexes[i] * cols + c];
  return { data: picked, rows: indexes.length, cols };
}

/**
 * Rows already checked and copied into a backend's memory: `rows` × `cols` floats, row-major, what
 * Trainable.loadBatch copies a batch from (a Dataset holds its rows so; rows loaded in place are the
 * network's own input and targets).
 */
export interface ResidentRows<T extends Tensor = Tensor> {
  /** The rows' values, `[rows][cols]`, on the network's kernels. */
  readonly tensor: T;
  /** How many rows the tensor holds. */
  readonly rows: number;
  /** Values per row. */
  readonly cols: number;
}

/**
 * Why row `r` of `label` is refused: not an array of numbers. Targets given as plain numbers are most likely one value per
 * row for a network of one output (regression, binary cross-entropy) or class labels, as PyTorch's and Keras's sparse losses
 * take them; the loss here wants a row. `cols`, the values a row must have (a network's outputs; 0 or undefined where no
 * row says it), picks the hint: a row of one value, a one-hot row of `cols`, or both where it is not known.
 */
export function notRowProblem(label: string, r: number, row: unknown, cols?: number, hole = false): string {
  // A sparse array's missing entry reads undefined: 'row 0 is undefined' named no cause the caller wrote.
  if (hole) return `${label}: row ${r} is missing (a hole in the array), not an array of numbers`;
  return `${label}: row ${r} is ${describeValue(row)}, not an array of numbers${label === ROW_LABELS.targets && typeof row === 'number' ? targetRowHint(cols) : ''}`;
}

/** How targets given as plain numbers are given as rows of `cols` values (notRowProblem). */
function targetRowHint(cols: number | undefined): string {
  if (cols === 1) return '; give each target as a row of one value: [[0], [1]], not [0, 1]';
  if (cols === undefined || cols < 2) return '; give each target as a row: [[0], [1]] for a network of one output, a one-hot row per class label for several outputs (class 1 of 3: [0, 1, 0])';
  const oneHot = cols <= 4 ? Array.from({ length: cols }, (_, k) => (k === 1 ? 1 : 0)).join(', ') : '0, 1, 0, …, 0';
  return `; class labels? give each target as a one-hot row of ${cols} values (class 1 of ${cols}: [${oneHot}])`;
}

/**
 * Flattens and checks `input` to `cols` columns (default: a flat block's own `cols`, else the
 * first row's length), naming it `label` in errors (default 'toMatrix').
 */
export function toMatrix(input: Rows, cols: number = columnsOf(input), label = 'toMatrix'): Matrix {
  if (Array.isArray(input)) {
    const rows = input.length;
    const data = new Float32Array(rows * cols);
    // withinFloat32 inlined, its bound in a local: an imported binding read per value, store()'s offset
    // per value and a read back of each stored value cost ~10 % of the loop each. 9,000×784 plain rows:
    // 0.82× main's toMatrix and net.dataset(x, y) p10 (31 rounds, AMD EPYC Zen 5, 2026-12-04, load
    // 1.5); the rest is V8 reading number[][] (a bare copy loop: 0.65× this) and the one allocation.
    const overflow = FLOAT32_OVERFLOW;
    for (let r = 0; r < rows; r++) {
      const row = input[r];
      if (!isNumberArray(row)) throw new GradscopeError('SHAPE_MISMATCH', notRowProblem(label, r, row, cols, !(r in input)));
      checkRowLength(row, r, cols, label);
      const at = r * cols;
      for (let c = 0; c < cols; c++) {
        const value = row[c];
        if (typeof value !== 'number' || !(Math.abs(value) < overflow)) throw valueRefusal(label, r, c, value, !(c in row));
        data[at + c] = value;
      }
    }
    return { data, rows, cols };
  }
  if (input && typeof input === 'object' && 'data' in input) {
    const { data, rows } = input;
    if (!isNumberArray(data)) throw new GradscopeError('SHAPE_MISMATCH', `${label}: data is ${describeValue(data)}, not an array of numbers`);
    checkFlatShape(input, cols, label);
    const flat = new Float32Array(rows * cols);
    // Element by element, as for rows: Float32Array.from would turn '1' into 1, null into 0 and [2] into 2.
    for (let i = 0; i < flat.length; i++) store(flat, i, data, label, cols);
    return { data: flat, rows, cols };
  }
  throw new GradscopeError('SHAPE_MISMATCH', `${label}: expected an array of rows or { data, rows, cols }, got ${describedArgument(input)}`);
}

/** The columns `input` says it has, for toMatrix without `cols`: a flat block's own (checked there), else the first row's length (0 without rows). */
function columnsOf(input: Rows): number {
  if (Array.isArray(input)) return isNumberArray(input[0]) ? lengthOf(input[0]) : 0;
  return input !== null && typeof input === 'object' ? input.cols : 0;
}

/**
 * data[i] = source[i], refusing anything but a number that is finite in float32 (withinFloat32: what
 * float32 would store as ±Inf), for a flat block; toMatrix's rows inline the same comparison. No read
 * back of what was stored.
 */
function store(data: Float32Array, i: number, source: ArrayLike<unknown>, label: string, cols: number): void {
  const value = source[i];
  if (typeof value !== 'number' || !withinFloat32(value)) throw valueRefusal(label, Math.floor(i / cols), i % cols, value, !(i in source));
  data[i] = value;
}

/** A plain array or a typed array of numbers (not a string, a DataView or a BigInt64Array). */
function isNumberArray(data: unknown): data is ArrayLike<unknown> {
  return Array.isArray(data) || isTypedNumberArray(data);
}

/** A typed array of numbers (any but DataView and the BigInt arrays): every element is a number. */
export function isTypedNumberArray(data: unknown): data is NumberArray {
  return ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

/**
 * Whether `value` has the shape of rows rather than of an options object, where a call takes either
 * (optionsBesideDataset): an array (never options), a typed array, or a flat block, an object of no key
 * but data, rows and cols (toMatrix refuses any other) with a `data` key and either rows or cols beside
 * it or an array or typed array as its data, however wrong its values (toMatrix says what is wrong with them).
 * Any object with a `data` key read as rows: `train(dataset, { data: 1 })` was refused as targets beside
 * a Dataset, where `data` is an unknown option.
 */
export function isRowsShaped(value: unknown): boolean {
  if (Array.isArray(value) || isTypedNumberArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  if (!keys.includes('data') || !keys.every((key) => FLAT_KEYS.includes(key))) return false;
  return keys.length > 1 || isNumberArray((value as { data: unknown }).data);
}

/** SHAPE_MISMATCH unless row `r` of `label` has `cols` values. */
export function checkRowLength(row: ArrayLike<unknown>, r: number, cols: number, label: string): void {
  // lengthOf: a typed row's own length, not a `length` its instance was given (it would cut the row short or leave values past cols).
  const length = lengthOf(row);
  if (length !== cols) throw new GradscopeError('SHAPE_MISMATCH', `${label}: row ${r} has ${counted(length, 'value')}, expected ${grouped(cols)}`);
}

/** SHAPE_MISMATCH unless `{ data, rows, cols }` holds `rows` whole rows of `cols` values. */
export function checkFlatShape(input: { data: ArrayLike<unknown>; rows: number; cols: number }, cols: number, label: string): void {
  // A key beside them ({ data, rows, cols, shape }) is refused, not ignored: it may be what the caller meant the shape to be.
  const unknown = unknownKey(input, FLAT_KEYS, 'field');
  if (unknown !== undefined) throw new GradscopeError('SHAPE_MISMATCH', `${label}: ${unknown}`);
  // rows and cols first, each by itself: '2' for rows would otherwise read "data has 8 values, not 2 rows × 4".
  for (const key of ['rows', 'cols'] as const) {
    const n: unknown = input[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new GradscopeError('SHAPE_MISMATCH', `${label}: ${key}: expected a whole number, got ${describeValue(n)}`);
  }
  if (input.cols !== cols) throw new GradscopeError('SHAPE_MISMATCH', `${label}: has ${counted(input.cols, 'column')}, expected ${grouped(cols)}`);
  const { data, rows } = input;
  const length = lengthOf(data);
  if (length !== rows * cols) {
    throw new GradscopeError('SHAPE_MISMATCH', `${label}: data has ${counted(length, 'value')}, not ${counted(rows, 'row')} × ${grouped(cols)}`);
  }
}

/**
 * The refusal of the value at (row, col) of `label`, naming it and why it cannot be stored: SHAPE_MISMATCH where it is no number
 * at all (a string, null, a boolean, an array, a BigInt; `hole`: nothing is there, a sparse array's), as a row that is no array
 * of numbers is; NON_FINITE_INPUT where it is a number float32 cannot hold (NaN, ±Infinity, beyond its range). A string was
 * refused as a non-finite number (edges52's 5).
 */
export function valueRefusal(label: string, row: number, col: number, value: unknown, hole = false): GradscopeError {
  if (hole) return new GradscopeError('SHAPE_MISMATCH', `${label}: row ${row}, column ${col} is missing (a hole in the array), not a number`);
  if (typeof value !== 'number') return new GradscopeError('SHAPE_MISMATCH', `${label}: row ${row}, column ${col} is ${describeValue(value)}, not a number`);
  const why = Number.isFinite(value) ? 'beyond the float32 range' : 'not a finite number';
  return new GradscopeError('NON_FINITE_INPUT', `${label}: row ${row}, column ${col} is ${describeValue(value)}, ${why}`);
}

/** How messages name a call's inputs, its targets and a Dataset given whole (train's validation rows are named as such). */
export interface RowLabels {
  /** The input rows ('inputs'). */
  inputs: string;
  /** The target rows ('targets'). */
  targets: string;
  /** A Dataset given in their place ('dataset'). */
  dataset: string;
}

/** The names of a call's own rows. */
export const ROW_LABELS: RowLabels = { inputs: 'inputs', targets: 'targets', dataset: 'dataset' };

/** Checks that inputs and targets pair up row for row. */
export function checkPairs(x: { rows: number }, y: { rows: number }, labels: RowLabels = ROW_LABELS): void {
  if (x.rows !== y.rows) {
    throw new GradscopeError('SHAPE_MISMATCH', `${labels.inputs} (${counted(x.rows, 'row')}) and ${labels.targets} (${counted(y.rows, 'row')}) do not pair up row for row`);
  }
  if (x.rows === 0) throw new GradscopeError('SHAPE_MISMATCH', `no rows: ${labels.inputs} and ${labels.targets} are empty`);
}

/** The number of rows of `input` (not checked: toMatrix checks; NaN for what is no Rows at all). */
export function rowCount(input: Rows): number {
  if (Array.isArray(input)) return input.length;
  return typeof input === 'object' && input !== null && typeof input.rows === 'number' ? input.rows : NaN;
}
