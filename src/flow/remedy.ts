/**
 * A remedy of diagnose() as data: the settings it changes, by the API's option keys, and why. Who
 * prints it decides how the settings read (src/training/advice.ts does the same for a DIVERGED's
 * advice): the API by its option keys (`learningRate: 0.1`, `activation: 'relu'`), the command line
 * as a whole command that reruns the printer's own run with the change (`gradscope train --layers …
 * --init he-normal --out …`: src/cli/remedy-terms.ts), and by the library's options, saying why,
 * where no command line makes that run with that change.
 */
import { checkObjectArgument } from '../checks.js';
import { describeValue, invalidOption, shown } from '../errors.js';
import { ACTIVATIONS, type Activation } from '../kernels.js';
import { RESIDUAL_GATES, type ResidualGate } from '../layers/spec.js';

/**
 * The options a remedy may set: createNetwork's (activation, init, biasInit, layers), train()'s (learningRate, optimizer, momentum,
 * clipNorm, batchSize, lsuv, epochs), and 'inputs', the rows themselves (standardised: its value says how, in words).
 */
export type RemedyOption = 'activation' | 'init' | 'biasInit' | 'layers' | 'learningRate' | 'optimizer' | 'momentum' | 'clipNorm' | 'batchSize' | 'lsuv' | 'epochs' | 'inputs';

/** Which function of the API takes each option: how a printer without a flag for it names it; 'data' for the rows you give train(), evaluate() and predict(). */
export const REMEDY_OPTION_OWNER: Record<RemedyOption, 'createNetwork' | 'train' | 'data'> = {
  activation: 'createNetwork',
  init: 'createNetwork',
  biasInit: 'createNetwork',
  layers: 'createNetwork',
  learningRate: 'train',
  optimizer: 'train',
  momentum: 'train',
  clipNorm: 'train',
  batchSize: 'train',
  lsuv: 'train',
  epochs: 'train',
  inputs: 'data',
};

/**
 * The fraction of the run's learning rate that a remedy for a smaller one names where a number is
 * needed (RemedySetting.flagValue, the visualizer's button): a third, unless a third would still have
 * moved a layer by more than its own size at the run's first traced step (a first-order optimiser's
 * first step scales with the rate): then the rate at which that step would have moved no layer by more
 * than a tenth of its weights (a run asked for at 1e6 took about 13 thirds to leave its runaway). The
 * remedy itself asks for any rate below the run's (`value`: 'below 0.1'); flagValue is the one the
 * command line and the page both apply, so that they agree.
 */
export const SMALLER_LEARNING_RATE = 1 / 3;
/** The multiple of the run's learning rate that a remedy for a larger one names where a number is needed: 3, the inverse of SMALLER_LEARNING_RATE (the remedy itself asks for any rate above the run's). */
export const LARGER_LEARNING_RATE = 1 / SMALLER_LEARNING_RATE;
/** The multiple of the run's epochs that a remedy for more epochs names where a number is needed (the remedy itself asks for more than the run's). */
export const MORE_EPOCHS = 2;

/** RemedySetting.value of an option the remedy leaves out (a key set to undefined in train()'s options reads as not given): a command line drops its flag. */
export const LEFT_OUT = 'undefined';

/** One setting of a remedy. */
export interface RemedySetting {
  /** The option, by the API's key. */
  option: RemedyOption;
  /**
   * Its value in the API's syntax: `'relu'`, `0.1`, `{ name: 'sgd', layerRates: [1, 2] }`, words (`a
   * smaller value`), or `undefined` (LEFT_OUT: the option left out, as beside an optimiser that takes
   * no learning rate).
   */
  value: string;
  /**
   * The value as one argument of a command-line flag, which the flag's reader takes (`relu`, `0.1`,
   * `16`): where `value` is words, a value that meets them (`16` for '16 or more', the run's rate ×
   * SMALLER_LEARNING_RATE for 'below 0.3', or the rate sized from the run's first step that its
   * TSDoc describes). Absent: it has no flag form (an object, a layer spec, a
   * rate below one the trace does not record), and the command line says the library's option instead.
   */
  flagValue?: string;
  /**
   * Where `value` asks in words for a value beyond the run's own ('below 0.1', 'a smaller value', 'above 0.1', 'more than
   * 3'): which way it moves the option from the run's, so that a reader (the command line's worse-warning, a program) knows
   * it without reading the words. Absent where `value` names a value, or a bound of its own that is no move from the run's
   * ('16 or more' rows).
   */
  direction?: RemedyDirection;
  /**
   * `value` as data. For every option but `layers`, exactly what createNetwork or train() take for
   * `option`, so that a program applies the setting as `{ ...options, [s.option]: s.setting }` without
   * reading the text: `'relu'`, `0.1`, `true`, `{ name: 'sgd', layerRates: [1, 2] }`. A `layers`
   * setting is a RemedyLayersChange to apply to your own specs (the change to each hidden layer; not
   * createNetwork's spec list, which the trace does not hold): `{ norm: 'batch-norm' }`,
   * `{ residualGate: 'rezero' }`, `{ activation: 'selu' }`. Present and undefined in a LEFT_OUT
   * setting (`'setting' in s`: the key set to undefined, which train() reads as not given). Absent
   * where `value` is words (`below 0.1`, `16 or more`, `more than 3`, `a smaller value`: flagValue,
   * where present, names one value that meets them).
   */
  setting?: RemedyValue;
}

/**
 * A `layers` setting as data (RemedySetting.setting): what to change in each hidden layer of the
 * network's layer specs, the change `value` says in words. The output layer never changes. A field
 * left out leaves that part of the layers as it is (the default of each); a change sets at least one.
 * A second choice (layer norm beside batch norm, ReZero blocks beside plain ones) is the remedy's
 * `alternative`, a setting of its own. applyLayersChange makes the change to createNetwork's options.
 */
export interface RemedyLayersChange {
  /**
   * A `{ type: norm }` layer between each hidden dense layer and its activation (batch norm's place,
   * Ioffe & Szegedy §3.2), in place of any norm layer there. Default (absent): the norm layers as they are.
   */
  norm?: RemedyNorm;
  /**
   * Each hidden layer after the first as a `{ type: 'residual', gate }` block, its layers the branch;
   * in a network with residual blocks already, their gate set to this. Default (absent): no residual
   * blocks made, their gates as they are.
   */
  residualGate?: ResidualGate;
  /** The activation of each hidden dense or activation layer. Default (absent): the activations as they are. */
  activation?: Activation;
}

/** The norm layers a `layers` remedy puts in (RemedyLayersChange.norm). */
export const REMEDY_NORMS = ['batch-norm', 'layer-norm'] as const;
/** One of REMEDY_NORMS. */
export type RemedyNorm = (typeof REMEDY_NORMS)[number];

/** The values each field of a RemedyLayersChange takes (isLayersChange's rule; `gradscope train`'s --norm, --residual-gate and --activation take the same). */
export const LAYERS_CHANGE_VALUES: Readonly<Record<keyof RemedyLayersChange, readonly string[]>> = { norm: REMEDY_NORMS, residualGate: RESIDUAL_GATES, activation: ACTIVATIONS };

/**
 * A remedy's setting as data (RemedySetting.setting). For every option but `layers`, a value createNetwork or train() takes
 * for it: a name, a number, true, an optimiser's spec, or undefined (left out); a `layers` setting is a RemedyLayersChange
 * to apply to your own specs.
 */
export type RemedyValue = string | number | boolean | RemedyOptimizerSpec | RemedyLayersChange | undefined;

/** An optimiser's spec as train() takes it (`{ name: 'sgd', momentum: 0.9, layerRates: [130, 6.5, 1, 1] }`): its name and its options. */
export interface RemedyOptimizerSpec {
  /** The optimiser's registry name. */
  name: string;
  /**
   * Per-layer rates, one multiplier of the learning rate per weight layer, as the numbers `value`
   * prints (3 significant digits), so that a program runs the rates the text shows. Default (absent):
   * every layer at the learning rate; the per-layer-rates remedy's spec has them (remedyLayerRates).
   */
  layerRates?: number[];
  /** Its other options by their keys (momentum, nesterov, weightDecay, decayBiases). */
  [option: string]: unknown;
}

/** Which way a remedy's setting moves its option from the run's value (RemedySetting.direction). */
export type RemedyDirection = 'smaller' | 'larger';

/** What to change and why, as diagnose() gives it. */
export interface Remedy {
  /** The remedy's settings in the API's terms, as one line (remedyText with API_REMEDY_TERMS): e.g. `optimizer: 'adam'`. */
  option: string;
  /** The settings to change together. */
  settings: RemedySetting[];
  /** A second choice in place of `settings` (the first one is the evidence's), absent where there is none. */
  alternative?: RemedySetting[];
  /** Why it helps, from the evidence (in words: it names no option, so it reads the same in every printer's terms). */
  why: string;
  /**
   * 'losses': a remedy of where the run stands (early stopping, more epochs, a plateau's or a rising loss's remedies), which the
   * run's losses call for: its epochs' (or, where those cannot tell, its records' batch losses; Evidence.training). Default
   * (absent): a remedy of the gradient flow, which its readings over the trace's records call for.
   */
  readFrom?: 'losses';
}

/**
 * What a printer with a command line makes of a remedy's settings: the command line that reruns its
 * run with them changed, or why its command line cannot (the settings are then said as the API's
 * options, with that reason).
 */
export type RemedyCommandLine =
  | {
      /** The whole command line, as a user types it: `gradscope train --layers 784,30,10 … --init he-normal --out relu10-he-normal.json`. */
      line: string;
      /**
       * What the line leaves out of the run's settings, and why (`--on-non-finite halve left out: hessian-free
       * chooses its own steps`): printed after it as a shell comment (`  # …`), so that the line runs as pasted.
       * Absent where it leaves out nothing the run had.
       */
      note?: string;
    }
  | {
      /** Why no command line makes this run with this change (`gradscope train cannot make this run: its layers are blocks (batch-norm)`): the settings are said as the API's options, then this. */
      cannot: string;
    };

/** How a printer says the remedies: by the API's option keys, or as command lines that rerun its run with each change. */
export interface RemedyTerms {
  /** 'api': `key: value`; 'command': a command line per remedy (and one per alternative), from `commandLine`. */
  form: 'api' | 'command';
  /** In the 'command' form, the printer's command line for a list of settings (the remedy's, or its alternative). */
  commandLine?: (settings: readonly RemedySetting[]) => RemedyCommandLine;
  /**
   * Why no remedy of this run can be a command line: the run itself has none (a study's recipe with
   * weight decay, which `gradscope train` has no flag for). A printer says it once, above the
   * remedies, which are then in the 'api' form without a reason each. Absent (the default): each
   * remedy says its own reason where it has one.
   */
  unmadeRun?: string;
}

/** The API's terms: what Remedy.option holds. */
export const API_REMEDY_TERMS: RemedyTerms = { form: 'api' };

/**
 * One setting by the API's key: `learningRate: 0.1`; one left out (LEFT_OUT) in words, which
 * `learningRate: undefined` printed read as a bug: `no learningRate: hessian-free sets its own
 * steps`, naming the optimiser `settings` switch to where they switch (its value unquoted).
 */
function apiSetting(s: RemedySetting, settings: readonly RemedySetting[]): string {
  if (s.value !== LEFT_OUT) return `${s.option}: ${s.value}`;
  const optimizer = settings.find((other) => other.option === 'optimizer')?.value.replace(/^'(.*)'$/, '$1');
  return `no ${s.option}: ${optimizer === undefined ? 'left out' : `${optimizer} sets its own steps`}`;
}

/** `settings` as the API's options, then, in brackets, by the API function that takes them (createNetwork, train()) and `note`: `init: 'he-normal' (createNetwork option: gradscope train cannot make this run: …)`. */
function apiText(settings: readonly RemedySetting[], note?: string): string {
  const text = settings.map((s) => apiSetting(s, settings)).join(', ');
  if (note === undefined) return text;
  const owners = [...new Set(settings.map((s) => REMEDY_OPTION_OWNER[s.option]))];
  // The rows are no function's option: said as what they are.
  if (owners.includes('data')) return `${text} (the rows you give train(), evaluate() and predict(): ${note})`;
  const named = owners.map((owner) => (owner === 'train' ? 'train()' : owner));
  const one = new Set(settings.map((s) => s.option)).size === 1;
  return `${text} (${named.join(' and ')} ${one ? 'option' : 'options'}: ${note})`;
}

/**
 * One choice of a remedy in a printer's terms: its text (a command line, or the API's options with why no line makes it)
 * and, after a command line that leaves out some of the run's settings, why (RemedyCommandLine.note), a shell comment.
 */
export interface RemedyChoice {
  text: string;
  note?: string;
}

/** One list of settings in `terms`: in the 'command' form the printer's command line, or the API's options with why there is none. */
function settingsChoice(settings: readonly RemedySetting[], terms: RemedyTerms): RemedyChoice {
  if (terms.form === 'api') return { text: apiText(settings) };
  const said = terms.commandLine!(settings);
  if (!('line' in said)) return { text: apiText(settings, said.cannot) };
  return said.note === undefined ? { text: said.line } : { text: said.line, note: said.note };
}

/** The remedy in `terms`, one choice per list of settings: its settings, then its alternative (absent where it has none); remedyLines' parts. */
export function remedyChoices(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms = API_REMEDY_TERMS): RemedyChoice[] {
  return checkedChoices(remedy, terms, 'remedyChoices');
}

/** remedyChoices, its refusals naming `who`: the public function the caller called. */
function checkedChoices(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms, who: string): RemedyChoice[] {
  checkRemedyArguments(remedy, terms, who);
  return [remedy.settings, ...(remedy.alternative ? [remedy.alternative] : [])].map((settings) => settingsChoice(settings, terms));
}

/** A choice on one line: its text, then its note as a shell comment (`  # …`), so that the line runs as pasted. */
export function choiceLine({ text, note }: RemedyChoice): string {
  return note === undefined ? text : `${text}  # ${note}`;
}

/**
 * The remedy in `terms`, one entry per choice: its settings, then its alternative (absent where it
 * has none). In the 'command' form each is a whole command line, or the API's options with the
 * reason no command line makes it (see RemedyCommandLine).
 */
export function remedyLines(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms = API_REMEDY_TERMS): string[] {
  return checkedChoices(remedy, terms, 'remedyLines').map(choiceLine);
}

/** The remedy in `terms` as one line: its settings, and its alternative after ' (or …)' in the API's terms, after ' — or: ' in a command's (a command line ends where the next begins). */
export function remedyText(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms = API_REMEDY_TERMS): string {
  const [first, alternative] = checkedChoices(remedy, terms, 'remedyText').map(choiceLine);
  if (alternative === undefined) return first;
  return terms.form === 'api' ? `${first} (or ${alternative})` : `${first} — or: ${alternative}`;
}

/** A list of settings as RemedySetting describes them, at least one (a remedy that changes nothing printed '', review50 #8). */
const isSettings = (list: unknown): list is RemedySetting[] =>
  Array.isArray(list) &&
  list.length > 0 &&
  list.every(
    (s) =>
      typeof s === 'object' &&
      s !== null &&
      Object.hasOwn(REMEDY_OPTION_OWNER, s.option) &&
      typeof s.value === 'string' &&
      (s.flagValue === undefined || typeof s.flagValue === 'string') &&
      (s.direction === undefined || s.direction === 'smaller' || s.direction === 'larger') &&
      (s.setting === undefined || ['string', 'number', 'boolean'].includes(typeof s.setting) || (s.option === 'layers' ? isLayersChange(s.setting) : isOptimizerSpec(s.setting))),
  );

/** An optimiser's spec as RemedyOptimizerSpec describes it: a name, and its layerRates (where it has them) numbers. */
function isOptimizerSpec(value: unknown): value is RemedyOptimizerSpec {
  if (typeof value !== 'object' || value === null || typeof (value as RemedyOptimizerSpec).name !== 'string') return false;
  const rates = (value as RemedyOptimizerSpec).layerRates;
  return rates === undefined || (Array.isArray(rates) && rates.every((rate: unknown) => typeof rate === 'number'));
}

/** The per-layer rates a remedy's setting runs: its optimiser spec's layerRates (RemedyOptimizerSpec), undefined in any setting without them. */
export function remedyLayerRates(s: RemedySetting): number[] | undefined {
  checkObjectArgument(s, 'remedyLayerRates', "a remedy's setting ({ option, setting })");
  return s.option === 'optimizer' && isOptimizerSpec(s.setting) ? s.setting.layerRates : undefined;
}

/** A change to the hidden layers as RemedyLayersChange describes it: known fields only, each one of its values, at least one. */
export function isLayersChange(value: unknown): value is RemedyLayersChange {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([key, v]) => Object.hasOwn(LAYERS_CHANGE_VALUES, key) && (LAYERS_CHANGE_VALUES[key as keyof RemedyLayersChange] as readonly unknown[]).includes(v));
}

/** remedyText's arguments as their types say, or INVALID_OPTION naming the one that is not. */
function checkRemedyArguments(remedy: unknown, terms: unknown, who: string): void {
  const what = 'a remedy of diagnose() ({ settings, alternative? })';
  checkObjectArgument(remedy, who, what);
  const { settings, alternative } = remedy as Partial<Remedy>;
  // An object without settings is not a remedy at all (a network, a diagnosis): said as what it is, not as 'settings … got none'.
  if (settings === undefined) throw invalidOption(`${who}: expected ${what}, got ${describeValue(remedy)}, which has no settings`);
  if (!isSettings(settings) || (alternative !== undefined && !isSettings(alternative))) {
    const options = Object.keys(REMEDY_OPTION_OWNER).join(', ');
    throw invalidOption(`${who}: a remedy's settings (and alternative) are lists of one or more { option, value, flagValue?, direction?, setting? }, option one of ${options}; got ${shown(isSettings(settings) ? alternative : settings)}`);
  }
  checkRemedyTerms(terms, who, 'terms');
}

/** INVALID_OPTION (`who: name.form is …`) unless `terms`, the argument or option `name` of `who`, is a RemedyTerms. */
export function checkRemedyTerms(terms: unknown, who: string, name: string): asserts terms is RemedyTerms {
  checkObjectArgument(terms, who, `${name} { form: 'api' | 'command', commandLine?, unmadeRun? }`);
  const { form, commandLine, unmadeRun } = terms as Partial<RemedyTerms>;
  if (form !== 'api' && form !== 'command') throw invalidOption(`${who}: ${name}.form is 'api' or 'command', got ${shown(form)}`);
  if (unmadeRun !== undefined && typeof unmadeRun !== 'string') throw invalidOption(`${who}: ${name}.unmadeRun is a string (why the run has no command line), got ${shown(unmadeRun)}`);
  if (form === 'command' && typeof commandLine !== 'function') throw invalidOption(`${who}: ${name} in the 'command' form need commandLine (settings → { line } or { cannot }), got ${shown(commandLine)}`);
}