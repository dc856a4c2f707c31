/**
 * Per-layer learning rates measured on the network itself: the rule behind the remedies study's
 * `layer-rates` contender and the visualizer's "per-layer rates" choice. Kept apart from the study
 * (which loads the digits through Node) so that browsers can use it too.
 */
import type { Rows } from '../data/matrix.js';
import { checkObjectArgument } from '../checks.js';
import { equalisingRates } from '../equalising-rates.js';
import { invalidOption, shown } from '../errors.js';

/**
 * Per-layer rates from the gradient on `probe`: equalisingRates (src/equalising-rates.ts, the rule
 * diagnose() offers too) of each weight layer's ‖∂C/∂W‖, so every hidden layer starts with the
 * weight step of the last (output layer 1).
 */
export function equalisingLayerRates(
  net: { readonly depth: number; gradients(x: Rows, y: Rows): { layers: { weightNorm: number }[] } },
  probe: { x: Rows; y: Rows }): number[] {
  if (typeof net?.gradients !== 'function') throw invalidOption(`equalisingLayerRates: expected a network (from createNetwork), got ${shown(net)}`);
  checkObjectArgument(probe, 'equalisingLayerRates', 'probe rows { x, y }');
  return equalisingRates(net.gradients(probe.x, probe.y).layers.map((layer) => layer.weightNorm));
}
