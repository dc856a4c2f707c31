/**
 * A dense chain's training step (forward, then backprop) handed to the backend in one call, for a
 * backend that runs it faster whole than kernel by kernel: on two threads, each thread its rows'
 * whole forward and backward as one job (src/wasm/threads/threaded-kernels.ts), where the split
 * step hands off every product. Not part of the Kernels contract (a user's kernels never need it,
 * and its tensors come from one engine, not a caller): the engine (src/network/engine.ts) finds it
 * on its backend by the DENSE_STEP key and runs its own kernels where the backend has none or
 * declines.
 */
import type { Loss, OutputActivation, Tensor } from './kernels.js';

/** The key of a backend's dense training step (DenseStepRunner). */
export const DENSE_STEP = Symbol('gradscope.denseStep');

/**
 * What a dense training step reads and writes, as the engine names them (src/network/engine.ts):
 * layer l maps activations[l] (sizes[l] units) to activations[l + 1] through weights[l], biases[l]
 * and activationFunctions[l]; the tensors hold at least the step's batch rows.
 */
export interface DenseStepTensors<T extends Tensor = Tensor> {
  sizes: readonly number[];
  activationFunctions: readonly OutputActivation[];
  loss: Loss;
  weights: readonly T[];
  biases: readonly T[];
  zs: readonly T[];
  /** activations[0] the batch's input rows (or where gatherFrom's rows go), then each layer's output. */
  activations: readonly T[];
  deltas: readonly T[];
  nablaW: readonly T[];
  nablaB: readonly T[];
  /** Scratch of at least batch × max(sizes) floats; what it holds after the step is unspecified. */
  backflow: T;
  targets: T;
  /** The data set whose rows gatherRows[0 .. batch) number, gathered into activations[0] by the first product (Kernels.denseForwardGather), or undefined: activations[0] holds the batch. */
  gatherFrom: T | undefined;
  gatherRows: Uint32Array;
}

/** A backend that runs a dense chain's training step in one call. */
export interface DenseStepRunner<T extends Tensor = Tensor> {
  /**
   * The forward pass of `batch` rows and backprop against targets, leaving zs, activations (the
   * gathered input included), deltas, nablaW and nablaB bit for bit as the engine's feedforward and
   * backprop on the same backend do, and returning the same mean loss; or undefined, having read and
   * written nothing, where this backend does not take the step (the engine then runs its own).
   */
  [DENSE_STEP](step: DenseStepTensors<T>, batch: number): number | undefined;
}

/** The backend's dense training step, where it has one. */
export function denseStepOf<T extends Tensor>(kernels: object): DenseStepRunner<T> | undefined {
  return DENSE_STEP in kernels ? (kernels as DenseStepRunner<T>) : undefined;
}
