/** Loss and gradient on the batch train() has loaded, for optimisers that evaluate more than once per step. */
import type { Model } from '../model.js';

/** The mean loss of the loaded batch at the last feedforward (no new pass). */
export function lossOfLastForward(net: Model, batch: number): number {
  const L = net.depth;
  return net.kernels.loss(net.loss, net.activationFunctions[L - 1], net.zs[L - 1], net.activations[L], net.targets!, batch, net.outputSize);
}

/** Feedforward and backprop of the loaded batch at the current weights: the mean loss, and nablaW/nablaB set. */
export function lossAndGradient(net: Model, batch: number): number {
  net.feedforward(batch);
  return net.backprop(batch);
}
