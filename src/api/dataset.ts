/**
 * createDataset: a data set uploaded once into the memory of the backend networks train on, so that
 * repeated train(), evaluate() and gradients() calls copy and check nothing.
 */
import { acquireBackend, BACKEND_OPTIONS, type BackendOptions } from '../backend.js';
import { checkKnownKeys, MAX_UNITS } from '../checks.js';
import { counted, grouped } from '../counted.js';
import { notRowProblem, type Rows } from '../data/matrix.js';
import { describedArgument, GradscopeError } from '../errors.js';
import { lengthOf } from '../array-reads.js';
import { uploadDataset, type Dataset } from '../training/dataset.js';

/**
 * Inputs and targets checked and copied into backend memory once. `backend` and `threads` name the
 * kernels as createNetwork does (default: the shared 'wasm' instance every default network uses),
 * and a network can train on the dataset only if it runs on the same kernels. The dataset holds
 * its kernels until its dispose(). Typed arrays (a Float32Array per row, or `{ data, rows, cols }`
 * with typed data) take the fast path: one pass, copied into the core and checked finite there as
 * they are copied (Kernels.writeFinite).
 */
export async function createDataset(x: Rows, y: Rows, options: BackendOptions = {}): Promise<Dataset> {
  const sizes = { inputSize: columnsOf(x, 'inputs'), targetSize: columnsOf(y, 'targets') };
  checkKnownKeys(options, BACKEND_OPTIONS, 'createDataset'); // null or a string too: acquireBackend reads its keys
  const { kernels, release } = await acquireBackend(options);
  try {
    return uploadDataset(kernels, x, y, sizes, release);
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Values per row of `rows` (the first row's length; every row is checked against it on upload):
 * SHAPE_MISMATCH unless a network can take that many, from 1 to MAX_UNITS, as its inputs or
 * outputs (`label` 'inputs' or 'targets'); a negative count is left to the upload's shape check. Rows of
 * 0 values were uploaded, and no network trains on them.
 */
function columnsOf(rows: Rows, label: 'inputs' | 'targets'): number {
  const cols = givenColumns(rows, label);
  if (cols === 0 || cols > MAX_UNITS) {
    const side = label === 'inputs' ? 'inputs' : 'outputs';
    throw new GradscopeError('SHAPE_MISMATCH', `${label}: rows of ${counted(cols, 'value')}; a network takes from 1 to ${grouped(MAX_UNITS)} ${side}, so nothing could train on them`);
  }
  return cols;
}

/** The columns `rows` says it has, before any check of their count. */
function givenColumns(rows: Rows, label: string): number {
  if (Array.isArray(rows)) {
    const first: unknown = rows[0];
    const length = lengthOf(first);
    if (typeof length === 'number') return length;
    if (rows.length === 0) throw new GradscopeError('SHAPE_MISMATCH', `${label}: no rows`);
    throw new GradscopeError('SHAPE_MISMATCH', notRowProblem(label, 0, first, undefined, !(0 in rows)));
  }
  if (rows !== null && typeof rows === 'object' && Number.isInteger((rows as { cols?: unknown }).cols)) return rows.cols;
  throw new GradscopeError('SHAPE_MISMATCH', `${label}: expected an array of rows or { data, rows, cols }, got ${describedArgument(rows)}`);
}
