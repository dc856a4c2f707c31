/**
 * The visualizer's settings, their URL form (`?depth=10&act=relu&…`, so a view can be shared) and
 * their checks, one per field, shared by the URL and the form. Parsing a link never throws: a
 * missing or bad parameter takes its default and is reported, so a hand-edited link still opens.
 * A form value that is refused leaves the settings held as they were, and says why.
 */
import { ACTIVATIONS, BATCH_NORM_MIN_ROWS, OPTIMIZERS, WEIGHT_INITS, batchBelow, counted, grouped, optimizerNames } from '../../src/index.js';
import type { Activation, WeightInitName } from '../../src/index.js';
import { DATASETS, MNIST_SUBSET_ROWS, trainingRows, type DatasetName } from './datasets.js';

/** The initialisers offered: the named ones, and LSUV (Mishkin & Matas), which the page runs on the probe rows before step 0. */
export const INITS = [...WEIGHT_INITS, 'lsuv'] as const;
export type InitChoice = WeightInitName | 'lsuv';

/** A normalisation between each hidden dense layer and its activation (batch norm's §3.1 placement), or none. */
export const NORMS = ['none', 'batch-norm', 'layer-norm'] as const;
export type NormChoice = (typeof NORMS)[number];

/** Each hidden layer after the first as a residual block x + f(x) ('plain'), x + α·f(x) with α from 0 ('rezero'), or none. */
export const RESIDUALS = ['none', 'plain', 'rezero'] as const;
export type ResidualChoice = (typeof RESIDUALS)[number];

export interface Settings {
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  /** Units of each hidden layer, first to last, as "16,8,4" (depth many); '' for `width` in every layer. */
  widths: string;
  activation: Activation;
  init: InitChoice;
  /** What follows each hidden dense layer before its activation. */
  norm: NormChoice;
  /** Whether the hidden layers after the first are residual blocks, and with which gate. */
  residual: ResidualChoice;
  /** One of optimizerChoices(): a registry name (src/optim/index.ts) or LAYER_RATES. */
  optimizer: string;
  learningRate: number;
  batchSize: number;
  dataset: DatasetName;
  seed: number;
  /** Share of the rows trained on, in percent; the others are the test set. */
  trainPercent: number;
  /** Standard deviation of the Gaussian noise added to the 2-D points ([−1, 1]² units; MNIST has none). */
  noise: number;
  /** L2 weight decay given to the optimiser (0: none). */
  l2: number;
}

export const DEFAULTS: Settings = {
  depth: 6,
  width: 16,
  widths: '',
  activation: 'sigmoid',
  init: 'standard',
  norm: 'none',
  residual: 'none',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 32,
  dataset: 'spirals',
  seed: 1,
  trainPercent: 70,
  noise: 0.05,
  l2: 0,
};

/**
 * Settings whose change keeps the network and continues the run (TensorFlow Playground's habit):
 * the step's size and rule. Any other setting rebuilds the network or the data, and starts again.
 */
export const CONTINUING = ['learningRate', 'batchSize', 'optimizer', 'l2'] as const satisfies readonly (keyof Settings)[];

/** Whether going from `a` to `b` needs a new network or new data. */
export function needsRebuild(a: Settings, b: Settings): boolean {
  const continuing: readonly (keyof Settings)[] = CONTINUING;
  return (Object.keys(a) as (keyof Settings)[]).some((key) => !continuing.includes(key) && a[key] !== b[key]);
}

/** SGD whose per-layer rates equalise the gradient norms measured at initialisation (equalisingLayerRates). */
export const LAYER_RATES = 'layer-rates';

/**
 * Registry optimisers the page cannot run, with the reason the control shows beside them (short:
 * it sits in the option's label). The page always trains softmax + cross-entropy, since its data
 * sets are classification problems.
 */
export const UNAVAILABLE_OPTIMIZERS: Readonly<Record<string, string>> = {
  'levenberg-marquardt': "needs loss 'mse'",
};

/** The optimiser control's choices, in the registry's order, with per-layer rates right after SGD. */
export function optimizerChoices(): string[] {
  return optimizerNames()
    .filter((name) => !(name in UNAVAILABLE_OPTIMIZERS))
    .flatMap((name) => (name === 'sgd' ? [name, LAYER_RATES] : [name]));
}

/** Whether `s` builds a block network (normalisation or residual blocks) rather than a chain of dense layers. */
export function buildsBlocks(s: Settings): boolean {
  return s.norm !== 'none' || s.residual !== 'none';
}

/**
 * Why optimiser choice `name` cannot train the network `s` builds, or null: per-layer rates are
 * measured on dense networks, and the optimisers the registry marks supports: 'dense' (K-FAC) train
 * dense layers only, while Normalisation or Residual make a block network. The page greys such a
 * choice out (this short reason in its label) and refuses it with conflictOf's sentence.
 */
export function denseOnlyReason(name: string, s: Settings): string | null {
  if (!buildsBlocks(s)) return null;
  if (name === LAYER_RATES) return 'per-layer rates (equalisingLayerRates) are measured on dense networks only';
  if (OPTIMIZERS.find((d) => d.name === name)?.supports === 'dense') return `${name} trains networks of dense layers only (the optimiser registry's supports: 'dense')`;
  return null;
}

export const LIMITS = {
  depth: { min: 1, max: 12 },
  width: { min: 2, max: 128 },
  // Up to every row of the largest data set: the diagnosis's switch to Hessian-free asks for batches of 1,000 rows (HESSIAN_FREE_BATCH), all the rows on every set here.
  batchSize: { min: 1, max: MNIST_SUBSET_ROWS },
  learningRate: { min: 1e-5, max: 10 },
  trainPercent: { min: 10, max: 90 },
  noise: { min: 0, max: 0.5 },
  l2: { min: 0, max: 0.1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

/** How one setting is named (in the URL and on the form), read and described. */
interface Field<K extends keyof Settings> {
  /** URL parameter: short, so links stay readable. */
  param: string;
  /** The form's label for it. */
  label: string;
  /** The value of `text`, or undefined if it is not one this field takes. */
  parse(text: string): Settings[K] | undefined;
  /** What the field takes, in words. */
  allowed(): string;
}

const wholeNumber = (min: number, max: number) => (text: string) => {
  const n = text.trim() === '' ? NaN : Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};
const numberBetween = (min: number, max: number) => (text: string) => {
  const n = text.trim() === '' ? NaN : Number(text);
  return n >= min && n <= max ? n : undefined;
};
const choice =
  <T extends string>(allowed: readonly T[]) =>
  (text: string) =>
    (allowed as readonly string[]).includes(text) ? (text as T) : undefined;
const wholeWords = (limits: { min: number; max: number }) => `a whole number from ${limits.min} to ${limits.max}`;
const numberWords = (limits: { min: number; max: number }) => `a number from ${limits.min} to ${limits.max}`;
const oneOf = (values: readonly string[]) => `one of ${values.join(', ')}`;

/** Every setting's field, in the form's order. */
export const FIELDS: { [K in keyof Settings]: Field<K> } = {
  depth: { param: 'depth', label: 'Hidden layers', parse: wholeNumber(LIMITS.depth.min, LIMITS.depth.max), allowed: () => wholeWords(LIMITS.depth) },
  width: { param: 'width', label: 'Width', parse: wholeNumber(LIMITS.width.min, LIMITS.width.max), allowed: () => wholeWords(LIMITS.width) },
  widths: {
    param: 'widths',
    label: 'Widths per layer',
    parse: (text) => {
      if (text.trim() === '') return '';
      const each = text.split(',').map(wholeNumber(LIMITS.width.min, LIMITS.width.max));
      return each.length <= LIMITS.depth.max && each.every((w) => w !== undefined) ? each.join(',') : undefined;
    },
    allowed: () => `empty (Width in every layer), or whole numbers from ${LIMITS.width.min} to ${LIMITS.width.max} separated by commas, one per hidden layer`,
  },
  activation: { param: 'act', label: 'Activation', parse: choice(ACTIVATIONS), allowed: () => oneOf(ACTIVATIONS) },
  init: { param: 'init', label: 'Init', parse: choice(INITS), allowed: () => oneOf(INITS) },
  norm: { param: 'norm', label: 'Normalisation', parse: choice(NORMS), allowed: () => oneOf(NORMS) },
  residual: { param: 'res', label: 'Residual', parse: choice(RESIDUALS), allowed: () => oneOf(RESIDUALS) },
  optimizer: { param: 'opt', label: 'Optimiser', parse: choice(optimizerChoices()), allowed: () => oneOf(optimizerChoices()) },
  learningRate: { param: 'lr', label: 'Learning rate', parse: numberBetween(LIMITS.learningRate.min, LIMITS.learningRate.max), allowed: () => numberWords(LIMITS.learningRate) },
  batchSize: { param: 'batch', label: 'Batch', parse: wholeNumber(LIMITS.batchSize.min, LIMITS.batchSize.max), allowed: () => wholeWords(LIMITS.batchSize) },
  dataset: { param: 'data', label: 'Data', parse: choice(DATASETS), allowed: () => oneOf(DATASETS) },
  seed: { param: 'seed', label: 'Seed', parse: wholeNumber(LIMITS.seed.min, LIMITS.seed.max), allowed: () => wholeWords(LIMITS.seed) },
  trainPercent: { param: 'train', label: 'Train %', parse: wholeNumber(LIMITS.trainPercent.min, LIMITS.trainPercent.max), allowed: () => wholeWords(LIMITS.trainPercent) },
  noise: { param: 'noise', label: 'Noise', parse: numberBetween(LIMITS.noise.min, LIMITS.noise.max), allowed: () => numberWords(LIMITS.noise) },
  l2: { param: 'l2', label: 'L2', parse: numberBetween(LIMITS.l2.min, LIMITS.l2.max), allowed: () => numberWords(LIMITS.l2) },
};

const KEYS = Object.keys(FIELDS) as (keyof Settings)[];

/** A combination of settings the page cannot run: the settings involved (the first is the one a link's is reset) and why. */
export interface Conflict {
  keys: (keyof Settings)[];
  why: string;
}

/** Why `s` cannot run as a whole although each setting is fine on its own, or null. */
export function conflictOf(s: Settings): Conflict | null {
  const listed = s.widths === '' ? s.depth : s.widths.split(',').length;
  if (listed !== s.depth) {
    return { keys: ['widths', 'depth'], why: `Widths per layer lists ${listed} widths for ${s.depth} hidden layers: list ${s.depth}, or leave it empty` };
  }
  const denseOnly = denseOnlyReason(s.optimizer, s);
  if (denseOnly !== null) return { keys: ['optimizer', 'norm', 'residual'], why: `${denseOnly}: set Normalisation and Residual to none, or pick another optimiser` };
  if (s.residual !== 'none' && new Set(hiddenSizes(s)).size > 1) {
    return { keys: ['residual', 'widths'], why: `a residual block adds its input to its output, so every hidden layer needs the same width, not ${hiddenSizes(s).join(',')}` };
  }
  if (s.norm === 'batch-norm') {
    if (s.batchSize < BATCH_NORM_MIN_ROWS) return { keys: ['batchSize', 'norm'], why: `batch norm needs at least ${BATCH_NORM_MIN_ROWS} rows per batch (one row's variance is 0)` };
    // train() refuses a short last batch under BATCH_NORM_MIN_ROWS too (TrainOptions.dropLast): the page trains every row.
    const rows = trainingRows(s.dataset, s.trainPercent);
    const left = batchBelow(BATCH_NORM_MIN_ROWS, rows, s.batchSize, false);
    if (left > 0) {
      return {
        keys: ['batchSize', 'norm', 'trainPercent', 'dataset'],
        why: `batch norm needs at least ${BATCH_NORM_MIN_ROWS} rows per batch (one row's variance is 0), and ${grouped(rows)} training rows in batches of ${s.batchSize} leave a last batch of ${counted(left, 'row')}`,
      };
    }
  }
  return null;
}

export interface ParsedSettings {
  settings: Settings;
  /** One line per parameter that was present but unusable (its default was taken), then one per name that is no setting. */
  problems: string[];
}

/** A link's name that is no setting's parameter: said, with the parameter meant when it is a setting's long name (`activation` for `act`). */
function unknownParameter(name: string): string {
  const meant = KEYS.find((key) => key.toLowerCase() === name.toLowerCase());
  const hint = meant === undefined ? `the settings are ${KEYS.map((key) => FIELDS[key].param).join(', ')}` : `${FIELDS[meant].label} is '${FIELDS[meant].param}'`;
  return `${name}: not a setting of this page (${hint})`;
}

/** A setting's key given more than once in a link: its values, and that the last is used. */
function repeatedParameter(param: string, values: string[]): string {
  return `${param} given ${values.length} times (${values.map((v) => `${param}=${v}`).join(', ')}): using the last`;
}

/**
 * The settings of a link: each unusable parameter takes its default, and says so; a name that is no setting is named,
 * not dropped in silence; a key given more than once takes its last value, and says so.
 */
export function parseSettings(search: string | URLSearchParams): ParsedSettings {
  const query = typeof search === 'string' ? new URLSearchParams(search) : search;
  const problems: string[] = [];
  const settings = { ...DEFAULTS };
  for (const key of KEYS) {
    const field = FIELDS[key];
    const given = query.getAll(field.param);
    if (given.length === 0) continue;
    // A key given again, as a link built by appending to another has it: the last is the one meant, and the page says so.
    const text = given[given.length - 1];
    if (given.length > 1) problems.push(repeatedParameter(field.param, given));
    const value = field.parse(text);
    if (value === undefined) problems.push(`${field.param}=${text} (allowed: ${field.allowed()}): using ${shownValue(DEFAULTS[key])}`);
    else (settings as Record<keyof Settings, unknown>)[key] = value;
  }
  for (let conflict = conflictOf(settings); conflict; conflict = conflictOf(settings)) {
    const key = conflict.keys.find((k) => settings[k] !== DEFAULTS[k]);
    if (key === undefined) break; // the defaults themselves never conflict (tested)
    problems.push(`${FIELDS[key].param}=${settings[key]} (${conflict.why}): using ${shownValue(DEFAULTS[key])}`);
    (settings as Record<keyof Settings, unknown>)[key] = DEFAULTS[key];
  }
  const known = new Set(KEYS.map((key) => FIELDS[key].param));
  for (const name of new Set(query.keys())) if (!known.has(name)) problems.push(unknownParameter(name));
  return { settings, problems };
}

/** A form control's value: its text, and whether the browser could not read a number from it (an `<input type=number>` holding "1e"). */
export interface FormValue {
  text: string;
  badInput?: boolean;
}

export interface FormResult {
  /** The settings to hold: `held` with every accepted change. */
  settings: Settings;
  /** One sentence per refused value (its field, the value given, what is allowed, what is kept); empty when all were taken. */
  refused: string[];
}

/**
 * The settings the form asks for, from those `held`: each value is checked as a link's is, and a
 * refused one keeps its held value. Changes that are fine alone but cannot run together are refused
 * together. `values` holds the form's controls (a missing one keeps its held value).
 */
export function readFormValues(values: Partial<Record<keyof Settings, FormValue>>, held: Settings): FormResult {
  const settings = { ...held };
  const refused: string[] = [];
  for (const key of KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    const field = FIELDS[key];
    const parsed = value.badInput ? undefined : field.parse(value.text);
    if (parsed === undefined) {
      // An empty field is named as empty: "nothing refused" read as if no value had been refused.
      const given = value.badInput ? 'text that is not a number' : value.text.trim() === '' ? '“” (empty)' : `“${value.text}”`;
      refused.push(`${field.label}: ${given} refused (allowed: ${field.allowed()}); kept ${shownValue(held[key])}.`);
    } else (settings as Record<keyof Settings, unknown>)[key] = parsed;
  }
  const conflict = conflictOf(settings);
  if (conflict) {
    const changed = KEYS.filter((key) => settings[key] !== held[key]);
    const given = changed.map((key) => `${FIELDS[key].label} ${shownValue(settings[key])}`).join(', ');
    refused.push(`${given}: refused, since ${conflict.why}; kept ${changed.map((key) => shownValue(held[key])).join(', ')}.`);
    return { settings: { ...held }, refused };
  }
  return { settings, refused };
}

/** A setting's value in a sentence ('' as "empty"). */
export function shownValue(value: Settings[keyof Settings]): string {
  return value === '' ? 'empty' : String(value);
}

/** Units of each hidden layer: `widths` when it lists them (conflictOf holds it to `depth` many), else `width` in every layer. */
export function hiddenSizes(settings: Settings): number[] {
  return settings.widths === '' ? Array<number>(settings.depth).fill(settings.width) : settings.widths.split(',').map(Number);
}

/** The query string for `settings`, listing only what differs from the defaults. */
export function settingsQuery(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    if (settings[key] !== DEFAULTS[key]) params.set(FIELDS[key].param, String(settings[key]));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
