/**
 * The optimisers the studies and the CLI know by name: every registered one, and three settings of
 * SGD (heavy-ball momentum, Nesterov momentum, equalising layer rates) with names of their own. One
 * list, so `study --optimizer`, `study remedies --optimizers` and the remedies study take the same
 * names and build the same optimiser from each.
 */
import type { Rows } from '../data/matrix.js';
import { OPTIMIZERS, type OptimizerSpec } from '../optim/index.js';
import { equalisingLayerRates } from '../optim/layer-rates.js';
import { CHOICE_MOMENTUM } from '../optimizer-defaults.js';

/** The network a choice is built for: what equalisingLayerRates measures. */
type Measured = Parameters<typeof equalisingLayerRates>[0];

/** One optimiser by name, as the studies and the CLI build it. */
export interface OptimizerChoice {
  /** Its name on the command line and in the studies' tables. */
  name: string;
  /** The registered optimiser it builds (its default learning rate is that one's). */
  optimizer: string;
  /** The spec for `net`: `probe` rows are what layer-rates measures the gradients on. */
  spec(net: Measured, probe: { x: Rows; y: Rows }): OptimizerSpec;
  /** True where the choice measures a network of dense layers only, whatever its optimiser trains (layer-rates: equalisingLayerRates); absent: any its optimiser trains. */
  denseOnly?: true;
}

/** SGD's named settings, listed right after 'sgd'. */
const SGD_SETTINGS: OptimizerChoice[] = [
  { name: 'sgd-momentum', optimizer: 'sgd', spec: () => ({ name: 'sgd', momentum: CHOICE_MOMENTUM }) },
  { name: 'nesterov', optimizer: 'sgd', spec: () => ({ name: 'sgd', momentum: CHOICE_MOMENTUM, nesterov: true }) },
  { name: 'layer-rates', optimizer: 'sgd', spec: (net, probe) => ({ name: 'sgd', momentum: CHOICE_MOMENTUM, layerRates: equalisingLayerRates(net, probe) }), denseOnly: true },
];

/** Every choice, in the registry's order with SGD's settings after 'sgd' (registered optimisers included, at the time of the call). */
export function optimizerChoices(): OptimizerChoice[] {
  return OPTIMIZERS.flatMap((d) => [{ name: d.name, optimizer: d.name, spec: () => d.name }, ...(d.name === 'sgd' ? SGD_SETTINGS : [])]);
}

/** The choices whose optimiser trains networks of dense layers only (the registry's supports: 'dense'), in order. */
export function denseOnlyChoiceNames(): string[] {
  const denseOnly = new Set(OPTIMIZERS.filter((d) => d.supports === 'dense').map((d) => d.name));
  return optimizerChoices().filter((c) => c.denseOnly || denseOnly.has(c.optimizer)).map((c) => c.name);
}

/** The choices' names, in order. */
export function optimizerChoiceNames(): string[] {
  return optimizerChoices().map((c) => c.name);
}
