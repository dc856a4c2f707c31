/**
 * The visualizer's settings and their URL form (`?depth=10&act=relu&…`), so a view can be shared.
 * Parsing never throws: a missing or bad parameter takes its default and is reported, so a
 * hand-edited link still opens.
 */
import { WEIGHT_INITS, ACTIVATIONS, optimizerNames } from '../../src/index.js';
import type { WeightInitName, Activation } from '../../src/index.js';
import { DATASETS, type DatasetName } from './datasets.js';

export interface Settings {
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  /** Units of each hidden layer, first to last, as "16,8,4" (depth many); '' for `width` in every layer. */
  widths: string;
  activation: Activation;
  init: WeightInitName;
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
export const CONTINUING: readonly (keyof Settings)[] = ['learningRate', 'batchSize', 'optimizer', 'l2'];

/** Whether going from `a` to `b` needs a new network or new data. */
export function needsRebuild(a: Settings, b: Settings): boolean {
  return (Object.keys(a) as (keyof Settings)[]).some((key) => !CONTINUING.includes(key) && a[key] !== b[key]);
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

export const LIMITS = {
  depth: { min: 1, max: 12 },
  width: { min: 2, max: 128 },
  batchSize: { min: 1, max: 512 },
  learningRate: { min: 1e-5, max: 10 },
  trainPercent: { min: 10, max: 90 },
  noise: { min: 0, max: 0.5 },
  l2: { min: 0, max: 0.1 },
} as const;

/** URL parameter of each setting: short, so links stay readable. */
export const PARAM: Record<keyof Settings, string> = {
  depth: 'depth',
  width: 'width',
  widths: 'widths',
  activation: 'act',
  init: 'init',
  optimizer: 'opt',
  learningRate: 'lr',
  batchSize: 'batch',
  dataset: 'data',
  seed: 'seed',
  trainPercent: 'train',
  noise: 'noise',
  l2: 'l2',
};

export interface ParsedSettings {
  settings: Settings;
  /** One line per parameter that was present but unusable (its default was taken). */
  problems: string[];
}

export function parseSettings(search: string | URLSearchParams): ParsedSettings {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const problems: string[] = [];
  const read = <K extends keyof Settings>(key: K, parse: (text: string) => Settings[K] | undefined): Settings[K] => {
    const text = params.get(PARAM[key]);
    if (text === null) return DEFAULTS[key];
    const value = parse(text);
    if (value === undefined) {
      problems.push(`${PARAM[key]}=${text} is not usable; using ${DEFAULTS[key]}`);
      return DEFAULTS[key];
    }
    return value;
  };
  const integer = (min: number, max: number) => (text: string) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const between = (min: number, max: number) => (text: string) => {
    const n = Number(text);
    return text.trim() !== '' && n >= min && n <= max ? n : undefined;
  };
  const choice =
    <T extends string>(allowed: readonly T[]) =>
    (text: string) =>
      (allowed as readonly string[]).includes(text) ? (text as T) : undefined;
  return {
    settings: {
      depth: read('depth', integer(LIMITS.depth.min, LIMITS.depth.max)),
      width: read('width', integer(LIMITS.width.min, LIMITS.width.max)),
      widths: read('widths', (text) => {
        const each = text.split(',').map(integer(LIMITS.width.min, LIMITS.width.max));
        return text === '' || each.every((w) => w !== undefined) ? each.join(',') : undefined;
      }),
      activation: read('activation', choice(ACTIVATIONS)),
      init: read('init', choice(WEIGHT_INITS)),
      optimizer: read('optimizer', choice(optimizerChoices())),
      learningRate: read('learningRate', between(LIMITS.learningRate.min, LIMITS.learningRate.max)),
      batchSize: read('batchSize', integer(LIMITS.batchSize.min, LIMITS.batchSize.max)),
      dataset: read('dataset', choice(DATASETS)),
      seed: read('seed', integer(0, 2 ** 31 - 1)),
      trainPercent: read('trainPercent', integer(LIMITS.trainPercent.min, LIMITS.trainPercent.max)),
      noise: read('noise', between(LIMITS.noise.min, LIMITS.noise.max)),
      l2: read('l2', between(LIMITS.l2.min, LIMITS.l2.max)),
    },
    problems,
  };
}

/** Units of each hidden layer: `widths` when it lists depth of them, else `width` in every layer. */
export function hiddenSizes(settings: Settings): number[] {
  const listed = settings.widths === '' ? [] : settings.widths.split(',').map(Number);
  return listed.length === settings.depth ? listed : Array<number>(settings.depth).fill(settings.width);
}

/** The query string for `settings`, listing only what differs from the defaults. */
export function settingsQuery(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(PARAM) as (keyof Settings)[]) {
    if (settings[key] !== DEFAULTS[key]) params.set(PARAM[key], String(settings[key]));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
