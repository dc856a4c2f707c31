/**
 * The diagnosis's remedies as changes to the visualizer's settings, so each can be a button: the
 * option text diagnose() writes ("activation: 'tanh' (or …)", "activation: 'selu', init: 'lecun-normal'",
 * "optimizer: { name: 'sgd', layerRates: … }", "learningRate: a smaller value", "init: 'lsuv', …",
 * "layers: { type: 'dense', units }, { type: 'batch-norm' } …", "layers: { type: 'residual', … }")
 * read as the first choice it names, every setting it names applied together. Remedies the page has
 * no control for (clipNorm, biasInit), and changes the page cannot run with the other settings
 * (conflictOf), give null, and noButtonReason says which.
 */
import { ACTIVATIONS } from '../../src/index.js';
import { conflictOf, INITS, LAYER_RATES, optimizerChoices, type Settings } from './settings.js';

/** How much "a smaller value" of the learning rate is. */
export const SMALLER_LEARNING_RATE = 1 / 3;

export function remedySetting(option: string, current: Settings): Partial<Settings> | null {
  const change = settingOf(option, current);
  return change && !conflictOf({ ...current, ...change }) ? change : null;
}

/** Why a remedy has no button (remedySetting gives null), as the page says beside it. */
export function noButtonReason(option: string, current: Settings): string {
  const change = settingOf(option, current);
  const conflict = change && conflictOf({ ...current, ...change });
  return conflict ? `not with these settings: ${conflict.why}` : 'the page has no control for this; it is an option of the library';
}

function settingOf(option: string, current: Settings): Partial<Settings> | null {
  if (option.startsWith('optimizer: {') && option.includes('layerRates')) return { optimizer: LAYER_RATES };
  if (option.startsWith('learningRate: a smaller value')) return { learningRate: +(current.learningRate * SMALLER_LEARNING_RATE).toPrecision(3) };
  const rows = /^batchSize: (\d+) or more/.exec(option);
  if (rows) return { batchSize: Math.max(current.batchSize, Number(rows[1])) };
  // The first choice only: alternatives are in brackets ("(or 'layer-norm')", "(or with gate: 'rezero')").
  const first = option.replace(/\(.*\)/g, '');
  if (option.startsWith('layers: ')) {
    if (first.includes("{ type: 'batch-norm' }")) return { norm: 'batch-norm' };
    if (first.includes("gate: 'rezero'")) return { residual: 'rezero' };
    if (first.includes("{ type: 'residual'")) return { residual: 'plain' };
  }
  if (!/^(layers: )?(activation|init|optimizer): '/.test(option)) return null;
  // Every "key: 'value'" of the remedy ("activation: 'selu', init: 'lecun-normal'").
  const change: Partial<Settings> = {};
  for (const [, key, value] of first.matchAll(/\b(activation|init|optimizer): '([^']+)'/g)) {
    if (key === 'activation' && (ACTIVATIONS as readonly string[]).includes(value)) change.activation = value as Settings['activation'];
    else if (key === 'init' && (INITS as readonly string[]).includes(value)) change.init = value as Settings['init'];
    else if (key === 'optimizer' && optimizerChoices().includes(value)) change.optimizer = value;
    // A part the page cannot apply: no button rather than half the remedy.
    else return null;
  }
  return change;
}
