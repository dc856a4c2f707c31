/**
 * A data set uploaded once: inputs and targets checked and copied into a backend's memory, so that
 * repeated train(), evaluate() and gradients() calls copy and check nothing. Typed arrays take the
 * fast path: one copy into the core and one vectorised pass (maxAbs, which a NaN or an infinity
 * wins) instead of a check per element in JavaScript; plain arrays are checked value by value as
 * every other entry point checks them (toMatrix), then copied.
 */
import { GradscopeError } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import { checkPairs, nonFiniteInput, toMatrix, type ResidentRows, type Rows } from '../data/matrix.js';
import { checkFits } from '../network/memory-budget.js';

/**
 * Inputs and targets in a backend's memory. Made by `createDataset` (or `net.dataset(x, y)`), used
 * by networks on the same kernels, freed by `dispose()`.
 */
export class Dataset<T extends Tensor = Tensor> {
  #inputs: ResidentRows<T> | undefined;
  #targets: ResidentRows<T> | undefined;

  /** @internal use createDataset */
  constructor(
    /** The kernels whose memory holds the rows. */
    readonly kernels: Kernels<T>,
    inputs: ResidentRows<T>,
    targets: ResidentRows<T>,
    private readonly release: () => void = () => {},
  ) {
    this.#inputs = inputs;
    this.#targets = targets;
  }

  /** Rows (examples). */
  get rows(): number {
    return this.resident().inputs.rows;
  }

  /** Values per input row. */
  get inputSize(): number {
    return this.resident().inputs.cols;
  }

  /** Values per target row. */
  get targetSize(): number {
    return this.resident().targets.cols;
  }

  /** Whether dispose() has run. */
  get isDisposed(): boolean {
    return this.#inputs === undefined;
  }

  /** The two resident blocks; throws DISPOSED after dispose(). */
  resident(): {
    /** The input rows in the backend's memory. */
    inputs: ResidentRows<T>;
    /** The target rows in the backend's memory. */
    targets: ResidentRows<T>;
  } {
    if (!this.#inputs || !this.#targets) throw new GradscopeError('DISPOSED', 'this dataset was disposed; create it again');
    return { inputs: this.#inputs, targets: this.#targets };
  }

  /** Returns the rows' memory to the backend; later use throws DISPOSED. Idempotent. */
  dispose(): void {
    if (!this.#inputs || !this.#targets) return;
    this.kernels.free(this.#inputs.tensor);
    this.kernels.free(this.#targets.tensor);
    this.#inputs = this.#targets = undefined;
    this.release();
  }
}

/**
 * Checks (x, y) against `inputSize` and `targetSize` and copies them into `kernels`' memory.
 * Nothing is left allocated when a check fails.
 */
export function uploadDataset<T extends Tensor>(
  kernels: Kernels<T>,
  x: Rows,
  y: Rows,
  sizes: { inputSize: number; targetSize: number },
  release?: () => void,
): Dataset<T> {
  const inputs = upload(kernels, x, sizes.inputSize, 'inputs');
  let targets: ResidentRows<T>;
  try {
    targets = upload(kernels, y, sizes.targetSize, 'targets');
    checkPairs(inputs, targets);
  } catch (error) {
    kernels.free(inputs.tensor);
    if (targets! !== undefined) kernels.free(targets.tensor);
    throw error;
  }
  return new Dataset(kernels, inputs, targets, release);
}

type TypedNumbers = Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

function isTypedNumbers(data: unknown): data is TypedNumbers {
  return ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

/** One side into backend memory, checked: the fast path for typed arrays, toMatrix otherwise. */
function upload<T extends Tensor>(k: Kernels<T>, input: Rows, cols: number, label: string): ResidentRows<T> {
  const flatTyped = !Array.isArray(input) && input && typeof input === 'object' && isTypedNumbers((input as { data?: unknown }).data);
  const rowsTyped = Array.isArray(input) && input.length > 0 && input.every(isTypedNumbers);
  if (!flatTyped && !rowsTyped) {
    const matrix = toMatrix(input, cols, label);
    checkFits(k, matrix.data.length, 1, `the ${label} (${matrix.rows} rows × ${cols})`);
    const tensor = k.alloc(matrix.data.length);
    k.write(tensor, matrix.data);
    return { tensor, rows: matrix.rows, cols };
  }
  let rows: number;
  let source: (r: number) => ArrayLike<number>;
  if (flatTyped) {
    const flat = input as unknown as { data: TypedNumbers; rows: number; cols: number };
    if (flat.cols !== cols) throw new GradscopeError('SHAPE_MISMATCH', `${label}: has ${flat.cols} columns, expected ${cols}`);
    if (!Number.isInteger(flat.rows) || flat.rows < 0 || flat.data.length !== flat.rows * cols) {
      throw new GradscopeError('SHAPE_MISMATCH', `${label}: data has ${flat.data.length} values, not ${flat.rows} rows × ${cols}`);
    }
    rows = flat.rows;
    source = (r) => flat.data.subarray(r * cols, (r + 1) * cols);
  } else {
    const list = input as TypedNumbers[];
    list.forEach((row, r) => {
      if (row.length !== cols) throw new GradscopeError('SHAPE_MISMATCH', `${label}: row ${r} has ${row.length} values, expected ${cols}`);
    });
    rows = list.length;
    source = (r) => list[r];
  }
  checkFits(k, rows * cols, 1, `the ${label} (${rows} rows × ${cols})`);
  const tensor = k.alloc(rows * cols);
  if (flatTyped) k.write(tensor, (input as unknown as { data: TypedNumbers }).data);
  else for (let r = 0; r < rows; r++) k.write(tensor, source(r), r * cols);
  // One vectorised pass: maxAbs is NaN or Infinity exactly when some value is not finite in float32
  // (a float64 beyond ±3.4e38 became ±Infinity on the way in).
  if (!Number.isFinite(k.maxAbs(tensor, rows * cols))) {
    const stored = k.view(tensor);
    const at = stored.findIndex((v) => !Number.isFinite(v));
    k.free(tensor);
    const row = Math.floor(at / cols);
    throw nonFiniteInput(label, row, at % cols, source(row)[at % cols]);
  }
  return { tensor, rows, cols };
}
