/**
 * The diagnosis's remedies as changes to the visualizer's settings, so each can be a button: the
 * option text diagnose() writes ("activation: 'tanh' (or …)", "optimizer: { name: 'sgd', layerRates:
 * … }", "learningRate: a smaller value") read as the first choice it names. Remedies the page has no
 * control for (clipNorm, biasInit) give null.
 */
import { ACTIVATIONS, WEIGHT_INITS } from '../../src/index.js';
import { LAYER_RATES, optimizerChoices, type Settings } from './settings.js';

/** How much "a smaller value" of the learning rate is. */
export const SMALLER_LEARNING_RATE = 1 / 3;

export function remedySetting(option: string, current: Settings): Partial<Settings> | null {
  if (option.startsWith('optimizer: {') && option.includes('layerRates')) return { optimizer: LAYER_RATES };
  if (option.startsWith('learningRate: a smaller value')) return { learningRate: +(current.learningRate * SMALLER_LEARNING_RATE).toPrecision(3) };
  const named = /^(activation|init|optimizer): '([^']+)'/.exec(option);
  if (!named) return null;
  const [, key, value] = named;
  if (key === 'activation' && (ACTIVATIONS as readonly string[]).includes(value)) return { activation: value as Settings['activation'] };
  if (key === 'init' && (WEIGHT_INITS as readonly string[]).includes(value)) return { init: value as Settings['init'] };
  if (key === 'optimizer' && optimizerChoices().includes(value)) return { optimizer: value };
  return null;
}
