/**
 * The one kernel contract. The network, the diagnostics and the optimisers are written once
 * against it; `ref` (plain TypeScript, the oracle) and `wasm` (AssemblyScript f32x4) implement it.
 *
 * Rules every implementation keeps:
 * - Arguments: outputs first, then inputs, then sizes.
 * - Dense weights are stored `[out][in]` row-major (PyTorch's nn.Linear layout); activations are
 *   `[batch][units]` row-major.
 * - Backward kernels accumulate (`+=`); zeroing is an explicit `zero` call.
 * - Tensors are opaque handles owned by the backend. `view` returns a live view that is valid only
 *   until the next `alloc` (WASM memory may grow and detach it): take a fresh view, never keep one.
 */

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softsign', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const OUTPUT_ACTIVATIONS = [...ACTIVATIONS, 'softmax'] as const;
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];
export const LOSSES = ['mse', 'cross-entropy', 'binary-cross-entropy'] as const;
export type Loss = (typeof LOSSES)[number];

/** Slope of leaky-relu for negative inputs; the one place this constant lives. */
export const LEAKY_RELU_SLOPE = 0.01;

/** Which output activation each loss is fused with; `null` means any elementwise activation. */
export const LOSS_OUTPUT: Record<Loss, OutputActivation | null> = {
  'cross-entropy': 'softmax',
  'binary-cross-entropy': 'sigmoid',
  mse: null,
};

export interface Tensor {
  /** Number of elements. */
  readonly length: number;
}

export type FloatArray = Float32Array | Float64Array;

export interface Kernels<T extends Tensor = Tensor> {
  /** 'ref', 'wasm-simd', 'wasm-scalar', … */
  readonly name: string;
  /** Precision of the tensors: 'f32' for wasm, 'f32' or 'f64' for ref. */
  readonly precision: 'f32' | 'f64';

  // ---- memory ----
  /** A zero-filled tensor of `length` elements. */
  alloc(length: number): T;
  /** Returns the tensor's memory for reuse; the handle must not be used again. */
  free(t: T): void;
  /** A live view of the tensor: valid until the next `alloc`. */
  view(t: T): FloatArray;
  /** t[offset + i] = src[i]. */
  write(t: T, src: ArrayLike<number>, offset?: number): void;
  /** t[0..n) = 0 (n defaults to the whole tensor). */
  zero(t: T, n?: number): void;
  /** dst[i·rowLen + j] = src[rows[start + i]·rowLen + j], for i < count: a mini-batch by index. */
  copyRows(dst: T, src: T, rows: ArrayLike<number>, start: number, count: number, rowLen: number): void;

  // ---- dense layer ----
  /** z[batch][nOut] = a[batch][nIn] · w[nOut][nIn]ᵀ + b[nOut]. Overwrites z. */
  denseForward(z: T, a: T, w: T, b: T, batch: number, nIn: number, nOut: number): void;
  /** da[batch][nIn] += dz[batch][nOut] · w[nOut][nIn]. */
  denseBackwardInput(da: T, dz: T, w: T, batch: number, nIn: number, nOut: number): void;
  /** dw[nOut][nIn] += dz[batch][nOut]ᵀ · a[batch][nIn]. */
  denseBackwardWeights(dw: T, dz: T, a: T, batch: number, nIn: number, nOut: number): void;
  /** db[nOut] += Σ_batch dz[batch][nOut]. */
  denseBackwardBias(db: T, dz: T, batch: number, nOut: number): void;

  // ---- activations ----
  /** a[batch][n] = f(z); softmax works row by row, the others elementwise. Overwrites a. */
  activationForward(f: OutputActivation, a: T, z: T, batch: number, n: number): void;
  /** dz += da ⊙ f'(z), elementwise over batch·n (a = f(z) is given so f' can reuse it). Not softmax. */
  activationBackward(f: Activation, dz: T, da: T, z: T, a: T, batch: number, n: number): void;

  // ---- loss, fused with the output layer ----
  /** Mean over the batch of the per-sample loss (a = output(z) already computed). */
  loss(loss: Loss, output: OutputActivation, z: T, a: T, y: T, batch: number, n: number): number;
  /** As `loss`, and dz += ∂(mean loss)/∂z in the same pass. */
  lossBackward(loss: Loss, output: OutputActivation, dz: T, z: T, a: T, y: T, batch: number, n: number): number;

  // ---- reductions (returned in f64) ----
  sumSquares(x: T, n: number): number;
  sumAbs(x: T, n: number): number;
  maxAbs(x: T, n: number): number;

  // ---- optimiser updates ----
  /**
   * SGD with momentum and L2 weight decay, PyTorch's convention:
   * v = momentum·v + (g + weightDecay·w);  w -= learningRate·v.  (momentum 0: v is just the step.)
   */
  sgdUpdate(w: T, v: T, g: T, n: number, learningRate: number, momentum: number, weightDecay: number): void;
}
