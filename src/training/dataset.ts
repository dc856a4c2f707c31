/**
 * A data set uploaded once: inputs and targets checked and copied into a backend's memory, so that
 * repeated train(), evaluate() and gradients() calls copy and check nothing. Typed arrays take the
 * fast path: copied into the core and checked there as they are copied (kernels.writeFinite, a
 * vectorised pass over what was just copied) instead of a check per element in JavaScript; plain
 * arrays are checked value by value as every other entry point checks them (toMatrix), then copied.
 */
import { GradscopeError } from '../errors.js';
import type { Kernels, Loss, NumberArray, Tensor } from '../kernels.js';
import { checkFlatShape, checkPairs, checkRowLength, isTypedNumberArray, ROW_LABELS, valueRefusal, toMatrix, type Matrix, type ResidentRows, type RowLabels, type Rows } from '../data/matrix.js';
import { checkFits } from '../network/memory-budget.js';
import type { Trainable } from '../model.js';
import type { TrainingRows } from './training-engine.js';
import { firstTargetFault, refuseTargetFault, type TargetFault } from './target-rules.js';
import { counted, grouped } from '../counted.js';
import { kernelsForUsers } from '../checked-kernels.js';

/**
 * Inputs and targets in a backend's memory. Made by `createDataset` (or `net.dataset(x, y)`), used
 * by networks on the same kernels, freed by `dispose()`.
 */
export class Dataset<T extends Tensor = Tensor> {
  #inputs: ResidentRows<T> | undefined;
  #targets: ResidentRows<T> | undefined;

  /** beforeDispose's hand-backs. */
  readonly #handBacks = new Set<() => void>();

  /** targetFaultFor's answer per loss, once looked for. */
  readonly #faults = new Map<Loss, TargetFault | null>();

  readonly #kernels: Kernels<T>;

  /** @internal use createDataset */
  constructor(
    kernels: Kernels<T>,
    inputs: ResidentRows<T>,
    targets: ResidentRows<T>,
    private readonly release: () => void = () => {},
  ) {
    this.#kernels = kernels;
    this.#inputs = inputs;
    this.#targets = targets;
  }

  /**
   * The kernels whose memory holds the rows (DISPOSED after dispose(), as every member but isDisposed
   * and dispose()), every call checked as net.kernels' (src/checked-kernels.ts).
   */
  get kernels(): Kernels<T> {
    this.#assertAlive();
    return kernelsForUsers(this.#kernels);
  }

  /**
   * The first target row `loss` cannot take (src/training/target-rules.ts), or null: a network with
   * that loss refuses the dataset with INVALID_TARGET. Looked for the first time a loss asks, once
   * per loss (never for mse, which takes any finite value).
   */
  targetFaultFor(loss: Loss): TargetFault | null {
    this.#assertAlive(); // an answer kept from before or not
    let fault = this.#faults.get(loss);
    if (fault === undefined) {
      const { tensor, rows, cols } = this.resident().targets;
      fault = firstTargetFault(loss, this.#kernels.view(tensor), rows, cols);
      this.#faults.set(loss, fault);
    }
    return fault;
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
    this.#assertAlive();
    return { inputs: this.#inputs!, targets: this.#targets! };
  }

  /** DISPOSED after dispose(). Allocates nothing, unlike resident(): train() asks three times a call. */
  #assertAlive(): void {
    if (!this.#inputs || !this.#targets) throw new GradscopeError('DISPOSED', 'this dataset was disposed; create it again');
  }

  /**
   * @internal Runs `handBack` first thing in dispose(), while the rows are still in memory: a
   * network reading them in place copies them in (RowsLender). Returns what takes it off again.
   */
  beforeDispose(handBack: () => void): () => void {
    this.#assertAlive();
    this.#handBacks.add(handBack);
    return () => this.#handBacks.delete(handBack);
  }

  /** Returns the rows' memory to the backend; later use throws DISPOSED. Idempotent. */
  dispose(): void {
    if (!this.#inputs || !this.#targets) return;
    for (const handBack of this.#handBacks) handBack();
    this.#handBacks.clear();
    this.#kernels.free(this.#inputs.tensor);
    this.#kernels.free(this.#targets.tensor);
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
  labels: RowLabels = ROW_LABELS,
): Dataset<T> {
  const inputs = upload(kernels, x, sizes.inputSize, labels.inputs);
  let targets: ResidentRows<T>;
  try {
    targets = upload(kernels, y, sizes.targetSize, labels.targets);
    checkPairs(inputs, targets, labels);
  } catch (error) {
    kernels.free(inputs.tensor);
    if (targets! !== undefined) kernels.free(targets.tensor);
    throw error;
  }
  return new Dataset(kernels, inputs, targets, release);
}

/** One side's rows, their shape checked (a list of typed rows: as it is written, or by checkShape), not yet in backend memory. */
interface CheckedRows {
  rows: number;
  cols: number;
  label: string;
  // Methods, not arrows bound to a name: made once per train() call, and under tsx (whose esbuild
  // keeps names) each named arrow costs a defineProperty.
  /**
   * SHAPE_MISMATCH naming the first row that is not `cols` numbers (as toMatrix names it), for a
   * caller that must know before it allocates or writes; writeChecked finds the same as it copies.
   */
  checkShape(): void;
  /** Writes the rows into `tensor` (at least rows × cols long), their shape checked first, their values not: checkFinite checks them later. */
  write<T extends Tensor>(k: Kernels<T>, tensor: T): void;
  /**
   * Writes the rows into `tensor` and checks them in the same pass (writeFinite), refusing what
   * checkShape then write and checkFinite would: SHAPE_MISMATCH naming the first row that is not
   * `cols` numbers, else NON_FINITE_INPUT naming the first value that is not finite.
   */
  writeChecked<T extends Tensor>(k: Kernels<T>, tensor: T): void;
  /** After write: NON_FINITE_INPUT naming the first value in `tensor` that is not finite. */
  checkFinite<T extends Tensor>(k: Kernels<T>, tensor: T): void;
}

/**
 * One side's rows: a block's shape checked; a list whose first row is a typed array left to be
 * checked row by row as it is copied (one pass over the rows, Kernels.writeFinite); anything else
 * checked and flattened by toMatrix, which checks every value.
 */
function checkRows(input: Rows, cols: number, label: string): CheckedRows {
  const flat = !Array.isArray(input) && input !== null && typeof input === 'object' && isTypedNumberArray(input.data) ? { data: input.data, rows: input.rows, cols: input.cols } : undefined;
  const list = Array.isArray(input) && input.length > 0 && isTypedNumberArray(input[0]) ? input : undefined;
  if (!flat && !list) return checkedMatrix(toMatrix(input, cols, label), label);
  if (flat) checkFlatShape(input as Matrix, cols, label);
  const rows = flat ? flat.rows : list!.length;
  /** The list as one block checked by toMatrix, once a row that is no typed array is found in it (plain arrays among typed rows). */
  let matrix: Float32Array | undefined;
  let shapeChecked = flat !== undefined;
  /** NON_FINITE_INPUT naming the caller's value at index `at` of the rows (a float64 beyond the float32 range is finite there). */
  const refuse = (at: number) => {
    const [row, col] = [Math.floor(at / cols), at % cols];
    const [held, index] = flat ? [flat.data, at] : [list![row], col];
    return valueRefusal(label, row, col, held[index], !(index in held));
  };
  return {
    rows,
    cols,
    label,
    checkShape() {
      if (shapeChecked) return;
      shapeChecked = true;
      if (!typedRows(list!, cols, label)) matrix = toMatrix(list!, cols, label).data;
    },
    write(k, tensor) {
      this.checkShape();
      if (matrix) k.write(tensor, matrix);
      else if (flat) k.write(tensor, flat.data);
      else for (let r = 0; r < rows; r++) k.write(tensor, list![r], r * cols);
    },
    writeChecked(k, tensor) {
      if (matrix) return k.write(tensor, matrix);
      const fault = flat ? k.writeFinite(tensor, [flat.data], rows * cols) : k.writeFinite(tensor, list!, cols);
      if (fault === undefined) return;
      if (fault.value !== undefined) {
        this.checkShape(); // a row of another length anywhere is named before a value, as when shapes were checked first
        throw refuse(fault.value);
      }
      // A row of the list (a block's data was checked) that is no typed array of cols numbers, every
      // value before it finite: a typed one of another length is refused as toMatrix refuses it; a
      // plain array is for toMatrix, which checks the whole list (naming its first fault) and flattens it.
      const row: unknown = list![fault.part];
      if (isTypedNumberArray(row)) checkRowLength(row, fault.part, cols, label);
      matrix = toMatrix(list!, cols, label).data;
      k.write(tensor, matrix);
    },
    checkFinite(k, tensor) {
      if (matrix) return; // toMatrix checked every value
      // One vectorised pass: maxAbs is NaN or Infinity exactly when some value is not finite in float32
      // (a float64 beyond ±3.4e38 became ±Infinity on the way in).
      if (Number.isFinite(k.maxAbs(tensor, rows * cols))) return;
      throw refuse(k.view(tensor).subarray(0, rows * cols).findIndex((v) => !Number.isFinite(v)));
    },
  };
}

/** Rows toMatrix checked and flattened (every value checked). */
function checkedMatrix(matrix: Matrix, label: string): CheckedRows {
  return {
    rows: matrix.rows,
    cols: matrix.cols,
    label,
    checkShape() {},
    write(k, tensor) {
      k.write(tensor, matrix.data);
    },
    writeChecked(k, tensor) {
      k.write(tensor, matrix.data);
    },
    checkFinite() {},
  };
}

/**
 * `input` when every row is a typed array of `cols` numbers (SHAPE_MISMATCH naming the first row of
 * another length, as toMatrix names it), undefined at the first row that is not a typed array
 * (toMatrix takes those rows): checkShape's pass, for callers that must know before they write.
 */
function typedRows(input: ArrayLike<number>[], cols: number, label: string): NumberArray[] | undefined {
  for (let r = 0; r < input.length; r++) {
    const row = input[r];
    if (!(row instanceof Float32Array) && !isTypedNumberArray(row)) return undefined;
    checkRowLength(row, r, cols, label);
  }
  return input as NumberArray[];
}

/** One side into backend memory, checked. */
function upload<T extends Tensor>(k: Kernels<T>, input: Rows, cols: number, label: string): ResidentRows<T> {
  const checked = checkRows(input, cols, label);
  const { rows } = checked;
  try {
    checkFits(k, rows * cols, 1, `the ${label} (${counted(rows, 'row')} × ${grouped(cols)})`);
  } catch (error) {
    checked.checkShape(); // a row of another length is named before the memory it would not fit in
    throw error;
  }
  // Not zeroed: writeChecked overwrites every value, and is the only pass over the block.
  const tensor = k.allocUninitialized(rows * cols);
  try {
    checked.writeChecked(k, tensor);
  } catch (error) {
    k.free(tensor);
    throw error;
  }
  return { tensor, rows, cols };
}

/** Rows loaded in place (loadInPlace), with the check of the inputs' values it may leave to the caller. */
export interface InPlaceRows<T extends Tensor = Tensor> extends TrainingRows<T> {
  /** NON_FINITE_INPUT naming the first input value that is not finite (a pass over them all); nothing once it has passed. */
  checkInputs(): void;
}

/**
 * x and y checked and written straight into `net`'s input and targets buffers (grown to hold
 * them) instead of a dataset of their own: for a train() call whose rows are one batch in their
 * own order, so loadBatch, given these buffers, has nothing to copy. What the buffers held before
 * is lost (they are the loaded batch's, never state a network keeps).
 *
 * With `deferInputCheck` the inputs' values are not checked finite here: the caller runs
 * checkInputs before anything it holds changes, and before any other error it throws (as here,
 * where a fault in the targets runs it first), so the call fails as it would without deferring.
 */
export function loadInPlace<T extends Tensor>(net: Trainable<T>, x: Rows, y: Rows, deferInputCheck = false): InPlaceRows<T> {
  const k = net.kernels;
  // Checked in uploadDataset's order, so a call fails with the same error either way.
  const inputs = checkRows(x, net.inputSize, 'inputs');
  inputs.checkShape(); // before the buffers grow, as before anything else changes
  net.ensureCapacity(inputs.rows);
  let inputsChecked = !deferInputCheck;
  if (deferInputCheck) inputs.write(k, net.input);
  else inputs.writeChecked(k, net.input);
  const rows: InPlaceRows<T> = {
    inputs: { tensor: net.input, rows: inputs.rows, cols: inputs.cols },
    targets: { tensor: net.targets, rows: 0, cols: net.outputSize },
    checkInputs() {
      if (inputsChecked) return;
      inputs.checkFinite(k, net.input);
      inputsChecked = true;
    },
  };
  try {
    const targets = checkRows(y, net.outputSize, 'targets');
    targets.checkShape();
    checkPairs(inputs, targets);
    targets.writeChecked(k, net.targets);
    rows.targets = { tensor: net.targets, rows: targets.rows, cols: targets.cols };
    refuseTargetFault(firstTargetFault(net.loss, k.view(net.targets), targets.rows, targets.cols), net.loss);
  } catch (error) {
    rows.checkInputs(); // an input that is not finite is named first, as without deferring
    throw error;
  }
  return rows;
}
