/**
 * The two kinds of tensor a layer owns: activation buffers of `[rows][width]` that grow with the
 * batch (and never shrink, so a training loop allocates only on its first step), and parameters
 * with their gradients, written once from their initial values.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Parameter, StateBuffer } from './layer.js';

/** How a growth under reserveAllOrNothing is undone (the grown buffer freed, the old one back) or kept (the old one freed). */
interface Growth {
  undo(): void;
  keep(): void;
}

/** The growths of the reserveAllOrNothing under way, if one is. */
let growing: Growth[] | null = null;

/**
 * Runs `reserve` (a stack's, an engine's) all or nothing: the row tensors it grows keep their old
 * buffers until it returns, then free them; if it throws (out of memory partway), every buffer it
 * grew is freed and each tensor has its old one and rows back, so a larger batch refused leaves the
 * memory and the buffers as they were. Holding both at once is what the engines' checks count
 * (checkBatchFits: the new buffers above the top, the old ones held).
 */
export function reserveAllOrNothing(reserve: () => void): void {
  const outer = growing;
  const growths: Growth[] = [];
  growing = growths;
  try {
    reserve();
  } catch (error) {
    for (const growth of growths.reverse()) growth.undo();
    throw error;
  } finally {
    growing = outer;
  }
  // Kept: the enclosing call's to keep or undo, if there is one.
  if (outer) outer.push(...growths);
  else for (const growth of growths) growth.keep();
}

/** A `[rows][width]` tensor that `reserve` keeps large enough for the batch. Read `.tensor` after each reserve. */
export class RowTensor<T extends Tensor> {
  tensor: T;
  private rows: number;

  constructor(
    private readonly k: Kernels<T>,
    readonly width: number,
    rows: number,
  ) {
    this.rows = Math.max(rows, 1);
    this.tensor = k.alloc(this.rows * width);
  }

  /**
   * Room for at least `rows` rows. The larger buffer is had before the old one is freed: if it
   * cannot be (out of memory), the tensor keeps the old buffer and its rows, instead of a freed one.
   * Under reserveAllOrNothing the old one is freed only once every growth of the call is had.
   */
  reserve(rows: number): void {
    if (rows <= this.rows) return;
    const grown = this.k.alloc(rows * this.width);
    const [old, oldRows] = [this.tensor, this.rows];
    this.tensor = grown;
    this.rows = rows;
    if (growing === null) {
      this.k.free(old);
      return;
    }
    growing.push({
      undo: () => {
        this.k.free(grown);
        [this.tensor, this.rows] = [old, oldRows];
      },
      keep: () => this.k.free(old),
    });
  }

  dispose(): void {
    this.k.free(this.tensor);
  }
}

/**
 * A RowTensor allocated on first use (then kept and grown like one): for a gradient a kernel must
 * write but nobody reads, which only the network's first layer has.
 */
export class LazyRowTensor<T extends Tensor> {
  private rows: RowTensor<T> | null = null;
  private capacity = 0;

  constructor(
    private readonly k: Kernels<T>,
    readonly width: number,
  ) {}

  /** The tensor, with room for at least `batch` rows. */
  get(batch: number): T {
    this.rows ??= new RowTensor(this.k, this.width, Math.max(batch, this.capacity));
    this.rows.reserve(batch);
    return this.rows.tensor;
  }

  reserve(batch: number): void {
    const capacity = this.capacity;
    this.capacity = Math.max(capacity, batch);
    growing?.push({ undo: () => void (this.capacity = capacity), keep: () => {} });
    this.rows?.reserve(batch);
  }

  dispose(): void {
    this.rows?.dispose();
  }
}

/** A `[width]` tensor of one value, written on first use (ones for normalising with γ = 1; zeros are what alloc gives). */
export class LazyFilled<T extends Tensor> {
  private t: T | null = null;

  constructor(
    private readonly k: Kernels<T>,
    readonly width: number,
    readonly value: number,
  ) {}

  get(): T {
    this.t ??= tensorFrom(this.k, new Float64Array(this.width).fill(this.value));
    return this.t;
  }

  dispose(): void {
    if (this.t) this.k.free(this.t);
  }
}

/**
 * Each row's share of an affine normalisation's γ and β gradients is dy ⊙ x̂ and dy:
 * out[offset] += Σ_rows (dy ⊙ x̂)², out[offset + 1] += Σ_rows dy² (`[batch][n]` each; scratch as large).
 */
export function addAffineSquares<T extends Tensor>(k: Kernels<T>, out: readonly T[], offset: number, dy: T, xhat: T, scratch: T, batch: number, n: number): void {
  const size = batch * n;
  k.mul(scratch, dy, xhat, size);
  k.mul(scratch, scratch, scratch, size);
  k.denseBackwardBias(out[offset], scratch, batch, n);
  k.mul(scratch, dy, dy, size);
  k.denseBackwardBias(out[offset + 1], scratch, batch, n);
}

/** A tensor holding `values`. */
export function tensorFrom<T extends Tensor>(k: Kernels<T>, values: ArrayLike<number>): T {
  const t = k.alloc(values.length);
  k.write(t, values);
  return t;
}

/**
 * A parameter named `name` (PyTorch's), of `shape`, holding `values`, with a zero gradient (group 0:
 * the network numbers its layers). `weightMatrix` for a dense layer's weight.
 */
export function createParameter<T extends Tensor>(k: Kernels<T>, name: string, shape: readonly number[], values: ArrayLike<number>, weightMatrix = false): Parameter<T> {
  return { name, shape, value: tensorFrom(k, values), grad: k.alloc(values.length), length: values.length, group: 0, weightMatrix };
}

/** The same tensors under `prefix` + name: how a container names its children's tensors. */
export function prefixed<P extends Parameter<Tensor> | StateBuffer<Tensor>>(prefix: string, entries: readonly P[]): P[] {
  return entries.map((entry) => ({ ...entry, name: `${prefix}${entry.name}` }));
}

/** Frees a parameter's value and gradient. */
export function freeParameter<T extends Tensor>(k: Kernels<T>, p: Parameter<T>): void {
  k.free(p.value);
  k.free(p.grad);
}
