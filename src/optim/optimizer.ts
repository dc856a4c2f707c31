/** What the training loop asks of an optimiser; one file per optimiser implements it. */
import type { Trainable } from '../model.js';

/** An optimiser's state as plain data, for checkpoints: restore(state()) continues bit for bit. */
export interface OptimizerState {
  /** The optimiser's registry name ('sgd', 'adam', …): restore() refuses another's state. */
  name: string;
  /** Scalars such as a step count or a damping λ. */
  scalars: Record<string, number>;
  /** Per-parameter buffers (momentum, second moments, …), as float32 values. */
  tensors: Float32Array[];
}

/** What train() asks of an optimiser: one update per batch, its state as data, and dispose(). */
export interface Optimizer {
  /** The registry name ('sgd', 'adam', …), recorded in checkpoints. */
  readonly name: string;
  /** The model it was created for: train() refuses it on any other before changing anything (absent: not checked). */
  readonly model?: Trainable;
  /** The learning rate train() uses when it is given none (absent: train's own default). */
  readonly defaultLearningRate?: number;
  /**
   * True for methods that evaluate the loss and gradient again themselves (line searches,
   * Jacobians): train() refuses clipNorm with them, as a clipped first gradient would not match.
   */
  readonly recomputesGradient?: boolean;
  /**
   * One update. Called with `batch` rows loaded in net.input and net.targets, after forward
   * ('train') and backprop, so every parameter's grad holds the gradient of the batch's mean loss.
   * It may run further passes over the loaded batch (line searches, curvature products) in 'batch'
   * mode, so batch norm's running statistics move once per step.
   */
  step(net: Trainable, learningRate: number, batch: number): void;
  /** Its state as plain data (for checkpoints). */
  state(): OptimizerState;
  /** Continues from a state() taken earlier; refuses a mismatched one before changing anything. */
  restore(state: OptimizerState): void;
  /** Frees the optimiser's buffers in the backend's memory. */
  dispose(): void;
}
