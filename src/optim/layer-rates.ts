/**
 * Per-layer learning rates measured on the network itself: the rule behind the remedies study's
 * `layer-rates` contender and the visualizer's "per-layer rates" choice. Kept apart from the study
 * (which loads the digits through Node) so that browsers can use it too.
 */
import type { Rows } from '../data/matrix.js';
import { checkObjectArgument } from '../checks.js';
import { equalisingRates } from '../equalising-rates.js';
import { invalidOption, shownArgument } from '../errors.js';

/**
 * Per-layer rates from the gradient on `probe`: equalisingRates (src/equalising-rates.ts, the rule
 * diagnose() offers too) of each weight layer's ‖∂C/∂W‖, so every hidden layer starts with the
 * weight step of the last (output layer 1). Measured on the weights the network has: a network that
 * waits for LSUV (init 'lsuv', net.awaitingLsuv) is refused, since LSUV will rescale them, and so is
 * train()'s lsuv option beside rates (checkSettingsForOptimizer): LSUV first, then the rates. A network of
 * layer specs (net.kind 'blocks') is refused too (INVALID_OPTION): its gradients are not read per dense layer here.
 */
export function equalisingLayerRates(
  net: { readonly depth: number; readonly kind?: 'dense' | 'blocks'; readonly awaitingLsuv?: boolean; gradients(x: Rows, y: Rows): { layers: { weightNorm: number }[] } },
  probe: { x: Rows; y: Rows }): number[] {
  if (typeof net?.gradients !== 'function') throw invalidOption(`equalisingLayerRates: expected a network (from createNetwork), got ${shownArgument(net)}`);
  // A block network's gradients() has no per-layer rows to read: it returned [] rates, which sgd then refused ('got 0 rates').
  if (net.kind === 'blocks') throw invalidOption(`equalisingLayerRates: measures a network of dense layers (net.kind 'dense', createNetwork({ sizes })), and this one is made of layer specs (net.kind 'blocks')`);
  checkObjectArgument(probe, 'equalisingLayerRates', 'probe rows { x, y }');
  if (net.awaitingLsuv === true) {
    throw invalidOption(
      "equalisingLayerRates: this network was created with init 'lsuv' and waits for LSUV, which will rescale the weights these rates would be measured on; call net.initLsuv(x) first, then measure the rates (and train without lsuv)",
    );
  }
  return equalisingRates(net.gradients(probe.x, probe.y).layers.map((layer) => layer.weightNorm));
}
