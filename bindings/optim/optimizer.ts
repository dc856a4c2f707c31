/** What the training loop asks of an optimiser; one file per optimiser implements it. */
import type { Network } from '../network/network.js';

export interface Optimizer {
  readonly name: string;
  /** Applies one update from the gradients the network holds (nablaW, nablaB). */
  step(net: Network, learningRate: number): void;
  /** Frees the optimiser's state in the backend's memory. */
  dispose(): void;
}
