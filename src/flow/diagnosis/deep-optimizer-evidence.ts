/**
 * What study (c) measured of the optimiser remedies on its deepest net where all of them ran: the plain
 * sigmoid net of 10 hidden layers of 64 on the digits, 2,820 steps (90 of 1,000 rows for the second-order
 * methods), held-out accuracy (docs/data/trainable-depth.json, the run the docs quote;
 * test/flow/deep-optimizer-evidence holds these to it). None reached the study's line, where changing the
 * activation, the initialisation or the architecture did; the diagnosis says so where it offers them to a
 * network at least that deep.
 */
import { percentText } from '../../percent-text.js';

export const STUDY_C_DEEP_OPTIMIZERS = {
  /** Hidden layers of the net they were measured on. */
  hiddenLayers: 10,
  /** The study's line of held-out accuracy (its ACCURACY_GOAL). */
  line: 0.9,
  /** Held-out accuracy (0–1) of each optimiser there. */
  accuracy: { lars: 0.57, adam: 0.105, 'hessian-free': 0.408, kfac: 0.099 },
} as const;

/** An optimiser of STUDY_C_DEEP_OPTIMIZERS.accuracy. */
export type DeepMeasuredOptimizer = keyof typeof STUDY_C_DEEP_OPTIMIZERS.accuracy;

/**
 * ' On study (c)'s …' for a network of `hiddenLayers` hidden layers: what the named optimisers reached on
 * the study's 10-layer sigmoid net ('' for a shallower network, where that depth says nothing of them).
 */
export function deepOptimizerWords(hiddenLayers: number, names: readonly DeepMeasuredOptimizer[]): string {
  const { hiddenLayers: measured, line, accuracy } = STUDY_C_DEEP_OPTIMIZERS;
  if (hiddenLayers < measured || names.length === 0) return '';
  const reached = names.map((name) => `${names.length > 1 ? `${name} ` : ''}${percentText(accuracy[name])}`).join(', ');
  return (
    ` On study (c)'s ${measured}-layer sigmoid net of the digits ${names.length > 1 ? 'they' : 'it'} reached ${reached} held out, below its line of ${percentText(line)}, ` +
    'which changing the activation, the initialisation or the architecture reached there.'
  );
}
