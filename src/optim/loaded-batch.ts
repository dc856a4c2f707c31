/** Loss and gradient on the batch train() has loaded, for optimisers that evaluate more than once per step. */
import type { Trainable } from '../model.js';

/**
 * Forward ('batch' mode: batch norm's running statistics do not move on a re-evaluation) and
 * backprop of the loaded batch at the current parameters: the mean loss, every grad set.
 */
export function lossAndGradient(net: Trainable, batch: number): number {
  net.forward(batch, 'batch');
  return net.backprop(batch);
}
