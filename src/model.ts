/**
 * The model contract: what optimisers (src/optim) and the gradient-flow trace (src/flow) may see
 * of a network. It is the engine's narrow face (src/network/engine.ts implements it); the public
 * Network (src/api/network.ts) hands it out only through the MODEL key, so its buffers are never
 * public fields. Layer l maps activations[l] (sizes[l] units) to activations[l + 1] through
 * weights[l] (`[sizes[l+1]][sizes[l]]`) and biases[l]; activations[0] holds the input rows.
 */
import type { Rng } from './init/rng.js';
import type { Kernels, Loss, OutputActivation, Tensor } from './kernels.js';

/** One trainable tensor and its gradient, as optimisers see them. */
export interface Parameter<T extends Tensor = Tensor> {
  /** Weight layer index, first layer 0. */
  layer: number;
  /** Whether it is a layer's weight matrix or its bias vector. */
  kind: 'weights' | 'biases';
  /** The values (weights `[out][in]` row-major, or biases). */
  value: T;
  /** Its gradient ∂C/∂value after backprop, same length. */
  grad: T;
  /** Number of values. */
  length: number;
}

/** The key under which a network (or the engine itself) gives its Model to optimisers and the trace. */
export const MODEL: unique symbol = Symbol('gradscope.model');

/** Anything that can hand out a Model: the public Network, or a Model itself. */
export interface ModelOwner<T extends Tensor = Tensor> {
  /** The Model it hands out (for optimisers and the trace). */
  readonly [MODEL]: Model<T>;
}

/** A network as optimisers and the gradient-flow trace see it (implemented by the engine; reach it as `net[MODEL]`). */
export interface Model<T extends Tensor = Tensor> extends ModelOwner<T> {
  /** The kernels its tensors live on. */
  readonly kernels: Kernels<T>;
  /** Units per layer, input first. */
  readonly sizes: readonly number[];
  /** activationFunctions[l] follows weights[l]; the last is the output activation. */
  readonly activationFunctions: readonly OutputActivation[];
  /** The loss it is trained on. */
  readonly loss: Loss;
  /** Number of weight layers. */
  readonly depth: number;
  /** Units of the input layer. */
  readonly inputSize: number;
  /** Units of the output layer. */
  readonly outputSize: number;
  /** Weights and biases in all layers. */
  readonly parameterCount: number;
  /** The network's RNG (shuffling; K-FAC's sampled targets). */
  readonly rng: Rng;
  /** Training steps taken. */
  readonly step: number;
  /** Whether the network has been disposed. */
  readonly isDisposed: boolean;

  /** Weight tensors, `[sizes[l+1]][sizes[l]]` each. */
  readonly weights: readonly T[];
  /** Bias tensors, sizes[l+1] each. */
  readonly biases: readonly T[];
  /** ∂C/∂W after backprop. */
  readonly nablaW: readonly T[];
  /** ∂C/∂b after backprop. */
  readonly nablaB: readonly T[];
  /** Weighted inputs zs[l] = weights[l]·activations[l] + biases[l] of the loaded batch. */
  readonly zs: readonly T[];
  /** Activations of the loaded batch, activations[0] being the input rows. */
  readonly activations: readonly T[];
  /** deltas[l] = ∂C/∂zs[l] for the loaded batch. */
  readonly deltas: readonly T[];
  /** Targets of the loaded batch. */
  readonly targets: T | undefined;

  /** The trainable tensors, weights then biases of each layer, first layer first. */
  parameters(): Parameter<T>[];
  /** Forward pass of the `batch` rows in activations[0]. */
  feedforward(batch: number): void;
  /** After feedforward(batch): sets nablaW, nablaB (and deltas) for the mean loss against targets; returns it. */
  backprop(batch: number): number;
  /** Throws DISPOSED after dispose(). */
  assertAlive(): void;
  /** Throws OUT_OF_MEMORY unless `elements` more floats fit in the backend (checked before allocating them). */
  checkFits(elements: number, what: string): void;
  /**
   * Releases run once when the network is disposed: state that optimisers and traces keep in the
   * backend's memory. A release may delete itself (or others) while they run.
   */
  readonly onDispose: Set<() => void>;
}

/** The class an output row predicts (one output: 1 at or above ½); used by evaluation and the trace. */
export function predictedClass(values: ArrayLike<number>, offset: number, n: number): number {
  if (n === 1) return values[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/**
 * The PyTorch state_dict name of dense layer l's weight or bias in a chain of dense layers: one
 * nn.Sequential where layer l is the nn.Linear at index 2l, followed by its activation's module.
 */
export function denseTensorName(l: number, tensor: 'weight' | 'bias'): string {
  return `${2 * l}.${tensor}`;
}
