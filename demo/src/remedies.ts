/**
 * The diagnosis's remedies as changes to the visualizer's settings, so each can be a button: the
 * option text diagnose() writes ("activation: 'tanh' (or …)", "activation: 'selu', init: 'lecun-normal'",
 * "optimizer: { name: 'sgd', layerRates: … }", "learningRate: a smaller value") read as the first
 * choice it names, every setting it names applied together. Remedies the page has no control for
 * (clipNorm, biasInit, init 'lsuv', residual layers) give null.
 */
import { ACTIVATIONS, WEIGHT_INITS } from '../../src/index.js';
import { LAYER_RATES, optimizerChoices, type Settings } from './settings.js';

/** How much "a smaller value" of the learning rate is. */
export const SMALLER_LEARNING_RATE = 1 / 3;

export function remedySetting(option: string, current: Settings): Partial<Settings> | null {
  if (option.startsWith('optimizer: {') && option.includes('layerRates')) return { optimizer: LAYER_RATES };
  if (option.startsWith('learningRate: a smaller value')) return { learningRate: +(current.learningRate * SMALLER_LEARNING_RATE).toPrecision(3) };
  if (!/^(activation|init|optimizer): '/.test(option)) return null;
  // Every "key: 'value'" of the remedy ("activation: 'selu', init: 'lecun-normal'"), not the alternatives in brackets.
  const change: Partial<Settings> = {};
  for (const [, key, value] of option.replace(/\(.*\)/g, '').matchAll(/\b(activation|init|optimizer): '([^']+)'/g)) {
    if (key === 'activation' && (ACTIVATIONS as readonly string[]).includes(value)) change.activation = value as Settings['activation'];
    else if (key === 'init' && (WEIGHT_INITS as readonly string[]).includes(value)) change.init = value as Settings['init'];
    else if (key === 'optimizer' && optimizerChoices().includes(value)) change.optimizer = value;
    // A part the page cannot apply (init 'lsuv' needs a call with data): no button rather than half the remedy.
    else return null;
  }
  return change;
}
