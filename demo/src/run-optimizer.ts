/**
 * The optimiser a run's settings ask for. The per-layer-rates choice is SGD with each layer's rate
 * measured on the network (or a remedy's, as given), and its L2 is held within what that update
 * takes: at the page's learning rate × the largest rate, step size × L2 beyond SGD's bound would
 * make the decay alone grow that layer's weights, which train() refuses. As the diagnosis's
 * per-layer-rates remedy does, the L2 is lowered to the largest taken (Sgd.largestWeightDecay), and
 * the page says so.
 */
import { createOptimizer, equalisingLayerRates, Sgd } from '../../src/index.js';
import type { Matrix, Network, Optimizer } from '../../src/index.js';
import { LAYER_RATES, type Settings } from './settings.js';
import { fmt, stepText } from './format.js';

/** What a run steps with, and what the page says of it. */
export interface RunOptimizer {
  optimizer: Optimizer;
  /** The multipliers given to SGD for the per-layer-rates choice, else null. */
  layerRates: number[] | null;
  /** Where they came from (Snapshot.layerRatesFrom); '' without them. */
  layerRatesFrom: string;
  /** The weight decay the optimiser holds: the page's L2, or the per-layer rates' lowered one (0: none). */
  weightDecay: number;
  /** Why the L2 was lowered (Snapshot.weightDecayLowered); '' where it was not. */
  weightDecayLowered: string;
}

/**
 * The optimiser for `settings` on the network as it is now: per-layer rates are `given` (a remedy's,
 * run as the page showed them) or measured on its current gradients on `probe`.
 */
export function optimizerFor(net: Network, settings: Settings, probe: { x: Matrix; y: Matrix }, given?: number[]): RunOptimizer {
  if (settings.optimizer !== LAYER_RATES) {
    const weightDecay = settings.l2 > 0 ? { weightDecay: settings.l2 } : {};
    return { optimizer: createOptimizer(net, { name: settings.optimizer, ...weightDecay }), layerRates: null, layerRatesFrom: '', weightDecay: settings.l2, weightDecayLowered: '' };
  }
  const layerRates = given ?? equalisingLayerRates(net, probe);
  const layerRatesFrom = given ? 'as the diagnosis’s remedy offered them (measured on the run before this one)' : net.step === 0 ? 'at initialisation' : `at ${stepText(net.step)}`;
  return { ...sgdWithRates(net, layerRates, settings), layerRates, layerRatesFrom };
}

/**
 * SGD with `layerRates` and the page's L2, lowered where the page's learning rate would take step
 * size × L2 beyond what the update holds at the largest rate (a new learning rate may lower it, or
 * leave it as set: plain SGD keeps no state, so one made anew loses nothing).
 */
export function sgdWithRates(net: Network, layerRates: number[], settings: Settings): Pick<RunOptimizer, 'optimizer' | 'weightDecay' | 'weightDecayLowered'> {
  const sgd = new Sgd(net, { layerRates, weightDecay: settings.l2 });
  const largest = sgd.largestWeightDecay(settings.learningRate);
  if (settings.l2 <= largest) return { optimizer: sgd, weightDecay: settings.l2, weightDecayLowered: '' };
  sgd.dispose();
  const maxRate = Math.max(...layerRates);
  return {
    optimizer: new Sgd(net, { layerRates, weightDecay: largest }),
    weightDecay: largest,
    weightDecayLowered:
      `L2 is lowered from ${settings.l2} to ${largest} while these rates run: at learning rate ${settings.learningRate} × the largest rate ${fmt(maxRate)}, ` +
      'a larger L2 would make the decay alone grow that layer’s weights every step, which training refuses.',
  };
}
