/**
 * What the gradient-flow trace (src/flow) reads of a network built from layer specs, as a contract
 * below both: the block engine builds these taps over its layers (src/layers/flow-taps.ts), the
 * recorder reads them, and neither imports the other. Every tensor is one the forward or backward
 * pass already wrote; a tap hands it out, it never computes.
 */
import type { OutputActivation, Tensor } from './kernels.js';
import type { Parameter } from './model.js';

/** The layer types a trace row can be (the layer spec types of issue 13). */
export type TappedLayerType = 'dense' | 'batch-norm' | 'layer-norm' | 'activation' | 'residual';

/**
 * One row of a block network's trace: a parameterised layer (dense, batch norm, layer norm, a
 * ReZero residual block) or an activation layer, in forward order (a block's own row before its
 * branch's).
 */
export interface LayerTap<T extends Tensor = Tensor> {
  /** Its PyTorch module name: '0', '3.branch.0' (the tensors' state_dict names without '.weight'). */
  readonly name: string;
  /** Its layer type. */
  readonly type: TappedLayerType;
  /** Its output width. */
  readonly units: number;
  /** The activation its output went through: a dense or activation layer's own, else 'linear'. */
  readonly activation: OutputActivation;
  /** The trained tensor whose norm, gradient and update the trace records as "W": dense W, norm γ, ReZero α; null for an activation layer. */
  readonly weight: Parameter<T> | null;
  /** The one recorded as "b": dense b, norm β; null for activation layers and ReZero α. */
  readonly bias: Parameter<T> | null;
  /** Its input in the last forward, `[batch][width of its input]` (a dense layer's a, of weight.shape[1] units). */
  input(): T;
  /** The input of its activation in the last forward, `[batch][units]`: a dense layer's z, an activation layer's input, else its output. */
  z(): T;
  /** Its output in the last forward, `[batch][units]`. */
  output(): T;
  /**
   * The back-propagated gradient δ of the last backward, `[batch][units]`: ∂(mean C)/∂z for a dense
   * layer (Nielsen's δ), ∂(mean C)/∂output for the others; null where backward never forms it (an
   * activation fused with the loss, a non-dense last layer).
   */
  delta(): T | null;
  /**
   * Batch norm's alone: how many of its features spread less than `spread` after normalising in the
   * last training forward, x̂'s RMS over the batch being √(σ²/(σ² + ε)) of the batch variance σ²: a
   * feature whose input hardly varies over the batch leaves as its shift β on every row.
   */
  flatFeatures?(spread: number): number;
}

/**
 * A residual block y = x + branch(x) (or x + α·branch(x)) as the trace reads it: how much of the
 * gradient reaching its input x comes through the skip and how much through the branch.
 */
export interface ResidualTap<T extends Tensor = Tensor> {
  /** Its PyTorch module name ('3', '3.branch.1'). */
  readonly name: string;
  /** 'none' or 'rezero'. */
  readonly gate: 'none' | 'rezero';
  /** Width of x. */
  readonly units: number;
  /** ReZero's α, null with gate 'none'. */
  readonly alpha: Parameter<T> | null;
  /**
   * While on, each backward measures Σ (∂(mean C)/∂x via the skip)² and via the branch (two
   * kernel reductions of tensors it has); off, it measures nothing. Off at first.
   */
  probe(on: boolean): void;
  /** Σ over the batch of the skip's share of ∂(mean C)/∂x, squared, in the last probed backward (NaN before one). */
  readonly skipSquares: number;
  /** The same for the branch's share. */
  readonly branchSquares: number;
}

/** A block network's taps, in forward order. */
export interface FlowTaps<T extends Tensor = Tensor> {
  /** The trace's rows. */
  readonly layers: readonly LayerTap<T>[];
  /** Every residual block, outer before inner. */
  readonly residuals: readonly ResidualTap<T>[];
}
