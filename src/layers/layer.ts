/**
 * What every layer of src/layers is: a small object over the Kernels contract that owns its
 * parameters, their gradients and its activation buffers (allocated once, grown only for a larger
 * batch), runs forward in a stated mode and backward by accumulation, and names its tensors as
 * PyTorch's state_dict does.
 */
import type { Loss, OutputActivation, Tensor } from '../kernels.js';

export type { Mode, Parameter } from '../model.js';
import type { Mode, Parameter } from '../model.js';

/** State that is not trained (batch norm's running statistics and its batch counter). */
export interface StateBuffer<T extends Tensor = Tensor> {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'i64' for num_batches_tracked (PyTorch's dtype; held here as an f32/f64 count, exact to 2²⁴ batches in f32). */
  readonly dtype: 'float' | 'i64';
  readonly value: T;
  /** What it holds, as messages name it beside its name: "batch norm's running variance". */
  readonly holds: string;
}

export interface Layer<T extends Tensor = Tensor> {
  readonly type: 'dense' | 'batch-norm' | 'layer-norm' | 'activation' | 'residual';
  /** Features in and out. */
  readonly inputs: number;
  readonly units: number;
  /** The result of the last forward, `[batch][units]` (valid until the next reserve). */
  readonly output: T;
  /** Trained tensors and non-trained state, in PyTorch's state_dict order (a module's own first, then its children's). */
  readonly parameters: readonly Parameter<T>[];
  readonly buffers: readonly StateBuffer<T>[];
  /** Runs the layer on x (`[batch][inputs]`) into `output`. */
  forward(x: T, batch: number, mode: Mode): void;
  /**
   * Given dy = ∂L/∂output of the last forward on this same x: parameter gradients += their share,
   * and dx += ∂L/∂x (skipped when dx is null: nothing needs the gradient of the network's input).
   * dy is read only.
   */
  backward(dy: T, dx: T | null, x: T, batch: number): void;
  /**
   * The forward pass of Pearlmutter's R-operator (1994), R{·} = ∂/∂r (·)(θ + r·v) at r = 0: after a
   * forward on x in 'train' or 'batch' mode, `rOutput` = R{output} = J·v, the output's derivative
   * along the direction v of the parameters and rx = R{x} of the input (null: the input does not
   * move, as the network's own input). v holds one tensor per parameter of the whole network; this
   * layer's own are v[offset], v[offset + 1], … in the order of `parameters`. Normalisation layers
   * differentiate through their batch statistics. Allocates only on the first call for a batch size.
   */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void;
  /** R{output} of the last rForward, `[batch][units]`. */
  readonly rOutput: T;
  /**
   * The reverse pass of the R-operator (exact Hessian-vector products, Pearlmutter 1994), after
   * backward(dy, …, x, batch) and rForward(rx, v, offset, x, batch): given rdy = R{dy}, every
   * parameter gradient += R{its gradient} and rdx += R{∂L/∂x} (skipped when rdx is null), the layer's
   * second-derivative terms included (an activation's f'', a weight's V, normalisation through its
   * statistics, ReZero's α times its branch). dy and rdy are read only.
   */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void;
  /**
   * After backward(dy, …, x, batch): out[offset + i] += Σ_rows (the row's share of parameter i's
   * gradient)², elementwise: the diagonal Martens' Hessian-free preconditioner is built from (each
   * row's share is its per-example gradient / batch where rows are independent). dy is read only.
   */
  squaredGradients(dy: T, x: T, batch: number, out: readonly T[], offset: number): void;
  /** Room for `batch` rows in the activation buffers; allocates only when batch exceeds the capacity. */
  reserve(batch: number): void;
  /** Frees every tensor the layer owns. */
  dispose(): void;
}

/** An output layer whose activation is fused with the loss (dense and activation layers): softmax + cross-entropy, sigmoid + binary cross-entropy. */
export interface FusedOutputLayer<T extends Tensor = Tensor> extends Layer<T> {
  readonly activation: OutputActivation;
  /** The mean loss over the batch of the last forward's output against y (`[batch][units]`); x is that forward's input. */
  loss(loss: Loss, y: T, x: T, batch: number): number;
  /** As `loss`, and backward from it: parameter gradients and dx += their share of ∂(mean loss). */
  lossBackward(loss: Loss, y: T, dx: T | null, x: T, batch: number): number;
}

/**
 * Layers in order, with their PyTorch module indices: a residual block's branch (Sequential
 * implements it). It runs as one layer: Layer's members (but its type) through every layer, the
 * forward passes in order, backward and rBackward last first.
 */
export interface LayerStack<T extends Tensor = Tensor> extends Omit<Layer<T>, 'type'> {
  readonly layers: readonly Layer<T>[];
  readonly moduleIndex: readonly number[];
  /** ∂L/∂(output of layer i) of the last backward, for every layer but the last. */
  outputGradOf(i: number): T;
}
