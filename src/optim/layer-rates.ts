/**
 * Per-layer learning rates measured on the network itself: the rule behind the remedies study's
 * `layer-rates` contender and the visualizer's "per-layer rates" choice. Kept apart from the study
 * (which loads the digits through Node) so that browsers can use it too.
 */
import type { Rows } from '../data/matrix.js';
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/**
 * Per-layer rates from the gradient at initialisation: layer l's rate is ‖∇W‖ of the last hidden
 * layer over its own, so every hidden layer starts with the step size of the last (output layer 1).
 */
export function equalisingLayerRates(
  net: { readonly depth: number; gradients(x: Rows, y: Rows): { layers: { weightNorm: number }[] } },
  probe: { x: Rows; y: Rows }): number[] {
  if (typeof net?.gradients !== 'function') throw invalidOption(`equalisingLayerRates: expected a network (from createNetwork), got ${shown(net)}`);
  checkObjectArgument(probe, 'equalisingLayerRates', 'probe rows { x, y }');
  const norms = net.gradients(probe.x, probe.y).layers.map((layer) => layer.weightNorm);
  const reference = norms[net.depth - 2];
  return norms.map((norm, l) => (l === net.depth - 1 || !(norm > 0) ? 1 : reference / norm));
}
