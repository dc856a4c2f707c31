/**
 * createDataset: a data set uploaded once into the memory of the backend networks train on, so that
 * repeated train(), evaluate() and gradients() calls copy and check nothing.
 */
import { acquireBackend, BACKEND_OPTIONS, type BackendOptions } from '../backend.js';
import { checkKnownKeys } from '../checks.js';
import type { Rows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
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
  if (typeof options === 'object' && options !== null) checkKnownKeys(options, BACKEND_OPTIONS, 'createDataset');
  const { kernels, release } = await acquireBackend(options);
  try {
    return uploadDataset(kernels, x, y, sizes, release);
  } catch (error) {
    release();
    throw error;
  }
}

/** Values per row of `rows` (the first row's length; every row is checked against it on upload). */
function columnsOf(rows: Rows, label: string): number {
  if (Array.isArray(rows)) {
    const first: unknown = rows[0];
    if (first !== null && typeof first === 'object' && typeof (first as { length?: unknown }).length === 'number') return (first as ArrayLike<unknown>).length;
    if (rows.length === 0) throw new GradscopeError('SHAPE_MISMATCH', `${label}: no rows`);
    throw new GradscopeError('SHAPE_MISMATCH', `${label}: row 0 is not an array of numbers`);
  }
  if (rows !== null && typeof rows === 'object' && Number.isInteger((rows as { cols?: unknown }).cols)) return rows.cols;
  throw new GradscopeError('SHAPE_MISMATCH', `${label}: expected an array of rows or { data, rows, cols }`);
}
