/**
 * The diagnosis's remedies as changes to the visualizer's settings, so each can be a button: a
 * remedy's settings (diagnose()'s structured form: each value as data, RemedySetting.setting, a
 * change to the hidden layers included, or its flag value where the value is words; never the text)
 * read as the page's controls, every setting applied together; its alternative is not applied. Remedies the page has no control for (clipNorm, biasInit, an optimiser it does not
 * offer), and changes the page cannot run with the other settings (conflictOf), give null, and
 * noButtonReason says which.
 */
import { ACTIVATIONS, isLayersChange, remedyLayerRates, SMALLER_LEARNING_RATE, type Remedy, type RemedyLayersChange, type RemedySetting } from '../../src/index.js';
import { conflictOf, INITS, LAYER_RATES, optimizerChoices, type Settings } from './settings.js';

export { SMALLER_LEARNING_RATE };

/** The settings of a remedy the page reads: its first choice. */
type Remedied = Pick<Remedy, 'settings'>;

export function remedySetting(remedy: Remedied, current: Settings): Partial<Settings> | null {
  const change = settingOf(remedy, current);
  return change && !conflictOf({ ...current, ...change }) ? change : null;
}

/** Why a remedy has no button (remedySetting gives null), as the page says beside it. */
export function noButtonReason(remedy: Remedied, current: Settings): string {
  const change = settingOf(remedy, current);
  const conflict = change && conflictOf({ ...current, ...change });
  return conflict ? `not with these settings: ${conflict.why}` : 'the page has no control for this; it is an option of the library';
}

/**
 * The multipliers a per-layer-rates remedy offers: its optimizer spec's layerRates (the numbers
 * its text prints, `{ name: 'sgd', layerRates: [35400, 2090, 266, 1] }`), so that Apply runs exactly
 * the rates the page shows (and a user who copies the option gets the same run); null for any other
 * remedy.
 */
export function offeredLayerRates(remedy: Remedied): number[] | null {
  const optimizer = remedy.settings.find((s) => s.option === 'optimizer');
  return optimizer ? ratesOf(optimizer) : null;
}

/** A setting's layerRates (remedyLayerRates), or null where it has none that are positive numbers (no button then, rather than rates measured anew). */
function ratesOf(setting: RemedySetting): number[] | null {
  const rates = remedyLayerRates(setting) ?? [];
  return rates.length > 0 && rates.every((rate) => rate > 0 && Number.isFinite(rate)) ? rates : null;
}

/** A setting's value as data (RemedySetting.setting) where it is a name: 'relu', 'adam'. */
const named = (setting: RemedySetting) => (typeof setting.setting === 'string' ? setting.setting : undefined);

/** One setting as the page's settings, or null where the page has no control for it. */
function pageSetting(setting: RemedySetting, current: Settings): Partial<Settings> | null {
  const { option } = setting;
  const name = named(setting);
  switch (option) {
    case 'activation':
      return name && (ACTIVATIONS as readonly string[]).includes(name) ? { activation: name as Settings['activation'] } : null;
    case 'init':
      return name && (INITS as readonly string[]).includes(name) ? { init: name as Settings['init'] } : null;
    case 'optimizer':
      if (typeof setting.setting === 'object') return ratesOf(setting) ? { optimizer: LAYER_RATES } : null;
      return name && optimizerChoices().includes(name) ? { optimizer: name } : null;
    case 'learningRate': {
      // Left out beside an optimiser that takes no rate: the page keeps its rate and does not use it (the control is disabled then).
      if ('setting' in setting && setting.setting === undefined) return {};
      // A number as diagnose measured it, a rate below or above the run's as its flag value names it ('below 0.5': a third; 'above 0.1': 3×), or 'a smaller value'.
      const rate = typeof setting.setting === 'number' ? setting.setting : Number(setting.flagValue);
      return { learningRate: Number.isFinite(rate) ? rate : +(current.learningRate * SMALLER_LEARNING_RATE).toPrecision(3) };
    }
    case 'batchSize': {
      // '16 or more': its flag value names the least.
      const rows = typeof setting.setting === 'number' ? setting.setting : Number(setting.flagValue);
      return Number.isInteger(rows) && rows > 0 ? { batchSize: Math.max(current.batchSize, rows) } : null;
    }
    case 'lsuv':
      // The page's 'lsuv' init runs LSUV before training: the init setting beside it says so.
      return {};
    case 'layers':
      return isLayersChange(setting.setting) ? layersSetting(setting.setting) : null;
    default:
      return null;
  }
}

/**
 * A change to the hidden layers (RemedyLayersChange) as the page's Normalisation, Residual and
 * Activation: the page builds every hidden layer alike, so a change to each is one setting each.
 */
function layersSetting(change: RemedyLayersChange): Partial<Settings> {
  return {
    ...(change.norm && { norm: change.norm }),
    ...(change.residualGate && { residual: change.residualGate === 'rezero' ? 'rezero' : 'plain' }),
    ...(change.activation && { activation: change.activation }),
  };
}

function settingOf(remedy: Remedied, current: Settings): Partial<Settings> | null {
  const change: Partial<Settings> = {};
  for (const setting of remedy.settings) {
    const part = pageSetting(setting, current);
    // A part the page cannot apply: no button rather than half the remedy.
    if (!part) return null;
    Object.assign(change, part);
  }
  return change;
}
