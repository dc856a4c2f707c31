/**
 * A remedy of diagnose() as data: the settings it changes, by the API's option keys, and why. Who
 * prints it decides how the settings read (src/training/advice.ts does the same for a DIVERGED's
 * advice): the API by its option keys (`learningRate: 0.1`, `activation: 'relu'`), the command line
 * by its flags (`--learning-rate 0.1`), naming the library's option where the command has no flag.
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/** The options a remedy may set: createNetwork's (activation, init, biasInit, layers) and train()'s (the others). */
export type RemedyOption = 'activation' | 'init' | 'biasInit' | 'layers' | 'learningRate' | 'optimizer' | 'clipNorm' | 'batchSize' | 'lsuv' | 'epochs';

/** Which function of the API takes each option: how a printer without a flag for it names it. */
export const REMEDY_OPTION_OWNER: Record<RemedyOption, 'createNetwork' | 'train'> = {
  activation: 'createNetwork',
  init: 'createNetwork',
  biasInit: 'createNetwork',
  layers: 'createNetwork',
  learningRate: 'train',
  optimizer: 'train',
  clipNorm: 'train',
  batchSize: 'train',
  lsuv: 'train',
  epochs: 'train',
};

/** One setting of a remedy. */
export interface RemedySetting {
  /** The option, by the API's key. */
  option: RemedyOption;
  /** Its value in the API's syntax: `'relu'`, `0.1`, `{ name: 'sgd', layerRates: [1, 2] }`, or words (`a smaller value`). */
  value: string;
  /**
   * The value as a command-line flag's argument (`relu`, `0.1`, `16 or more`), where the value is one
   * a flag takes; absent: it has no flag form (an object, a layer spec), and the command line names
   * the library's option instead.
   */
  flagValue?: string;
  /**
   * Only in an optimizer setting that sets per-layer rates: those rates, one per weight layer, as the
   * numbers `value` prints (3 significant digits), so that a program applies them without reading
   * them back out of the text. Absent in every other setting.
   */
  layerRates?: number[];
}

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
}

/** How a printer names the remedies' options: a name (a flag) for each option it has one for. */
export interface RemedyTerms {
  /** 'api': `key: value`; 'flags': `--flag value`, and the library's `key: value` where there is no flag. */
  form: 'api' | 'flags';
  /** In the 'flags' form, each option's flag, with its dashes ('--learning-rate'); absent: no flag for it. */
  flags?: Partial<Record<RemedyOption, string>>;
}

/** The API's terms: what Remedy.option holds. */
export const API_REMEDY_TERMS: RemedyTerms = { form: 'api' };

const apiSetting = (s: RemedySetting) => `${s.option}: ${s.value}`;

/** Whether `terms` says `s` by a flag: the printer has one for its option and the value is one a flag takes. */
const flagged = (s: RemedySetting, terms: RemedyTerms) => terms.form === 'flags' && s.flagValue !== undefined && terms.flags?.[s.option] !== undefined;

/** The settings in `terms`: flags first, then, after 'with', the library's options the printer has no flag for. */
function settingsText(settings: readonly RemedySetting[], terms: RemedyTerms): string {
  const flags = settings.filter((s) => flagged(s, terms)).map((s) => `${terms.flags![s.option]} ${s.flagValue}`);
  const library = settings.filter((s) => !flagged(s, terms)).map(apiSetting);
  return [flags.join(' '), library.join(', ')].filter(Boolean).join(', with ');
}

/**
 * The remedy's settings, and its alternative in brackets, in `terms`; in the 'flags' form the
 * options said as the library's are then said to have no flag here, by the API function that takes
 * them (createNetwork, train()).
 */
export function remedyText(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms = API_REMEDY_TERMS): string {
  checkRemedyArguments(remedy, terms);
  const first = settingsText(remedy.settings, terms);
  const text = remedy.alternative ? `${first} (or ${settingsText(remedy.alternative, terms)})` : first;
  if (terms.form === 'api') return text;
  const library = [...remedy.settings, ...(remedy.alternative ?? [])].filter((s) => !flagged(s, terms));
  if (library.length === 0) return text;
  const owners = [...new Set(library.map((s) => REMEDY_OPTION_OWNER[s.option]))].map((owner) => (owner === 'train' ? 'train()' : owner));
  const options = new Set(library.map((s) => s.option)).size > 1 ? 'options' : 'option';
  return `${text} (${owners.join(' and ')} ${options}: no flag here)`;
}

/** A list of settings as RemedySetting describes them. */
const isSettings = (list: unknown): list is RemedySetting[] =>
  Array.isArray(list) &&
  list.every(
    (s) =>
      typeof s === 'object' &&
      s !== null &&
      Object.hasOwn(REMEDY_OPTION_OWNER, s.option) &&
      typeof s.value === 'string' &&
      (s.flagValue === undefined || typeof s.flagValue === 'string') &&
      (s.layerRates === undefined || (Array.isArray(s.layerRates) && s.layerRates.every((rate: unknown) => typeof rate === 'number'))),
  );

/** remedyText's arguments as their types say, or INVALID_OPTION naming the one that is not. */
function checkRemedyArguments(remedy: unknown, terms: unknown): void {
  checkObjectArgument(remedy, 'remedyText', 'a remedy of diagnose() ({ settings, alternative? })');
  const { settings, alternative } = remedy as Partial<Remedy>;
  if (!isSettings(settings) || (alternative !== undefined && !isSettings(alternative))) {
    const options = Object.keys(REMEDY_OPTION_OWNER).join(', ');
    throw invalidOption(`remedyText: a remedy's settings (and alternative) are lists of { option, value, flagValue?, layerRates? }, option one of ${options}; got ${shown(isSettings(settings) ? alternative : settings)}`);
  }
  checkObjectArgument(terms, 'remedyText', "terms { form: 'api' | 'flags', flags? }");
  const { form, flags } = terms as Partial<RemedyTerms>;
  if (form !== 'api' && form !== 'flags') throw invalidOption(`remedyText: terms.form is 'api' or 'flags', got ${shown(form)}`);
  if (flags !== undefined && (typeof flags !== 'object' || flags === null || !Object.values(flags).every((f) => typeof f === 'string'))) {
    throw invalidOption(`remedyText: terms.flags maps options to their flags ('--learning-rate'), got ${shown(flags)}`);
  }
}
