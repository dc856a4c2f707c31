/**
 * The diagnosis's remedies as changes to the visualizer's settings, so each choice can be a button: a
 * remedy's settings, or its alternative (diagnose()'s structured form: each value as data,
 * RemedySetting.setting, or its flag value where the value is words; never the text), read as the
 * page's controls, every setting of the choice applied together. A change to the hidden layers is made
 * by the library (applyLayersChange) to the page's network and read back as the page's controls.
 * Remedies the page has no control for (clipNorm, biasInit, an optimiser it does not offer), and
 * changes the page cannot run with the other settings (conflictOf, or applyLayersChange's refusal),
 * give null, and noButtonReason says which.
 */
import { ACTIVATIONS, applyLayersChange, GradscopeError, isLayersChange, type DiagnoseOptions, LARGER_LEARNING_RATE, pageRow, remedyLayerRates, SMALLER_LEARNING_RATE, type Remedy, type RemedyLayersChange, type RemedySetting } from '../../src/index.js';
import { layerSettings, networkOptions } from './architecture.js';
import { conflictOf, INITS, LAYER_RATES, optimizerChoices, type Settings } from './settings.js';
import type { DatasetName } from './datasets.js';

export { LARGER_LEARNING_RATE, SMALLER_LEARNING_RATE };

/**
 * diagnose()'s options on the page for data set `dataset`: a switch to relu or leaky-relu takes the
 * rate measured on the page's own set-up on that data set (its row of RELU_REMEDY_RATES, pageRow), not the command's;
 * `heldOutAtStart`, the test rows' loss before the run's first step (HeldOutRows.lossAtStart), where it was measured;
 * `openEnded`: the page trains until it is paused, with no epochs to set, so a switch to Hessian-free carries none (its
 * `epochs: N`, the steps the run took, grew as the page ran).
 */
export const pageDiagnosis = (dataset: DatasetName, heldOutAtStart?: number): DiagnoseOptions => ({
  reluRates: pageRow(dataset),
  ...(heldOutAtStart !== undefined && { heldOutAtStart }),
  openEnded: true,
});

/** One choice of a remedy the page reads: its settings, or its alternative as `settings`. */
type Remedied = Pick<Remedy, 'settings'>;

/** The data's widths the page's network is built for: its inputs and classes (the first and last layers, which a layers change leaves as they are). */
export interface DataShape {
  inputs: number;
  classes: number;
}

/** A part the page cannot apply: why, where it knows (the library's refusal of a layers change), or null (no control for it). */
type Unapplied = { why: string } | null;

/** A remedy's choice as a change to the page's settings `current` on data of `shape`, or null where the page cannot apply it. */
export function remedySetting(remedy: Remedied, current: Settings, shape: DataShape): Partial<Settings> | null {
  const change = settingOf(remedy, current, shape);
  return isChange(change) && !conflictOf({ ...current, ...change }) ? change : null;
}

/**
 * Beside a remedy of more epochs alone (asked as `epochs: more`: pageDiagnosis' openEnded), where a button would rerun the same
 * settings: training on is what the page does until it is paused, so the note says how (page51 left the library's words for it).
 */
export const TRAIN_ON = 'the page trains on until it is paused; Train goes on from here';
/**
 * The epochs of early stopping (epochs alone, as a count: the held-out loss's lowest, `epochs: 28`), which the page's button
 * reruns the same settings to and stops after; null for any other remedy (more epochs, `epochs: more`, has no count on the page).
 */
export function earlyStopEpochs(remedy: Remedied): number | null {
  const [only] = remedy.settings;
  const epochs = remedy.settings.length === 1 && only.option === 'epochs' ? only.setting : undefined;
  return typeof epochs === 'number' && Number.isInteger(epochs) && epochs >= 1 ? epochs : null;
}

/** Why a remedy's choice has no button (remedySetting gives null and earlyStopEpochs null), as the page says beside it. */
export function noButtonReason(remedy: Remedied, current: Settings, shape: DataShape): string {
  if (remedy.settings.every((s) => s.option === 'epochs' && s.direction === 'larger')) return TRAIN_ON;
  const change = settingOf(remedy, current, shape);
  if (!isChange(change)) return change ? `not with these settings: ${change.why}` : 'the page has no control for this; it is an option of the library';
  const conflict = conflictOf({ ...current, ...change });
  return conflict ? `not with these settings: ${conflict.why}` : '';
}

const isChange = (part: Partial<Settings> | Unapplied): part is Partial<Settings> => part !== null && !('why' in part);

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

/** One setting as the page's settings, or why the page cannot apply it. */
function pageSetting(setting: RemedySetting, current: Settings, shape: DataShape): Partial<Settings> | Unapplied {
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
      // A number as diagnose measured it, a rate below or above the run's as its flag value names it ('below 0.5': a third; 'above 0.1': 3×),
      // or words without one ('a smaller value'): the page's rate moved the way the remedy's direction says, by the factor the flag values use.
      const rate = typeof setting.setting === 'number' ? setting.setting : Number(setting.flagValue);
      if (Number.isFinite(rate)) return { learningRate: rate };
      const factor = setting.direction === 'larger' ? LARGER_LEARNING_RATE : setting.direction === 'smaller' ? SMALLER_LEARNING_RATE : undefined;
      return factor === undefined ? null : { learningRate: +(current.learningRate * factor).toPrecision(3) };
    }
    case 'batchSize': {
      // '16 or more': its flag value names the least.
      const rows = typeof setting.setting === 'number' ? setting.setting : Number(setting.flagValue);
      return Number.isInteger(rows) && rows > 0 ? { batchSize: Math.max(current.batchSize, rows) } : null;
    }
    case 'lsuv':
      // The page's 'lsuv' init runs LSUV before training: the init setting beside it says so.
      return {};
    case 'epochs':
      // Beside a switch's other settings (Hessian-free's batch, and the epochs that keep a set run's steps, where a diagnosis was made
      // without openEnded: the page's own carry none): the page trains until it is paused, so its run is as long as the user lets it
      // be; alone (more epochs) there is nothing to change (settingOf).
      return {};
    case 'layers':
      return isLayersChange(setting.setting) ? layersSetting(setting.setting, current, shape) : null;
    default:
      return null;
  }
}

/**
 * A change to the hidden layers (RemedyLayersChange) made by the library to the page's network, as
 * the page's Normalisation, Residual and Activation (layerSettings); null where the page, which builds
 * every hidden layer alike, cannot build the changed network, or the library's refusal.
 */
function layersSetting(change: RemedyLayersChange, current: Settings, shape: DataShape): Partial<Settings> | Unapplied {
  let changed;
  try {
    changed = applyLayersChange(networkOptions(current, shape.inputs, shape.classes), change);
  } catch (error) {
    if (error instanceof GradscopeError) return { why: error.message.replace(/^applyLayersChange: /, '') };
    throw error;
  }
  const read = layerSettings(changed.layers!);
  if (!read) return null;
  // The page's network with what was read must be the library's changed one: the same change made
  // to both writes their specs alike (a change made twice is made once).
  const rebuilt = applyLayersChange(networkOptions({ ...current, ...read }, shape.inputs, shape.classes), change);
  if (JSON.stringify(rebuilt.layers) !== JSON.stringify(changed.layers)) return null;
  return Object.fromEntries(Object.entries(read).filter(([key, value]) => current[key as keyof typeof read] !== value));
}

function settingOf(remedy: Remedied, current: Settings, shape: DataShape): Partial<Settings> | Unapplied {
  if (remedy.settings.every((s) => s.option === 'epochs')) return null;
  const change: Partial<Settings> = {};
  for (const setting of remedy.settings) {
    const part = pageSetting(setting, current, shape);
    // A part the page cannot apply: no button rather than half the remedy.
    if (!isChange(part)) return part;
    Object.assign(change, part);
  }
  return change;
}
