/**
 * A remedy of diagnose() as data: the settings it changes, by the API's option keys, and why. Who
 * prints it decides how the settings read (src/training/advice.ts does the same for a DIVERGED's
 * advice): the API by its option keys (`learningRate: 0.1`, `activation: 'relu'`), the command line
 * by its flags (`--learning-rate 0.1`), by another command's line where that one has the flag
 * (`gradscope train --activation relu`), and by the library's option where no command has one.
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/** The options a remedy may set: createNetwork's (activation, init, biasInit, layers) and train()'s (the others). */
export type RemedyOption = 'activation' | 'init' | 'biasInit' | 'layers' | 'learningRate' | 'optimizer' | 'momentum' | 'clipNorm' | 'batchSize' | 'lsuv' | 'epochs';

/** Which function of the API takes each option: how a printer without a flag for it names it. */
export const REMEDY_OPTION_OWNER: Record<RemedyOption, 'createNetwork' | 'train'> = {
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
};

/**
 * The fraction of the run's learning rate that a remedy for a smaller one names where a number is
 * needed (RemedySetting.flagValue, the visualizer's button): a third. The remedy itself asks for any
 * rate below the run's (`value`: 'below 0.1'); this is the one the command line and the page both
 * apply, so that they agree.
 */
export const SMALLER_LEARNING_RATE = 1 / 3;
/** The multiple of the run's learning rate that a remedy for a larger one names where a number is needed: 3, the inverse of SMALLER_LEARNING_RATE (the remedy itself asks for any rate above the run's). */
export const LARGER_LEARNING_RATE = 1 / SMALLER_LEARNING_RATE;
/** The multiple of the run's epochs that a remedy for more epochs names where a number is needed (the remedy itself asks for more than the run's). */
export const MORE_EPOCHS = 2;

/** One setting of a remedy. */
export interface RemedySetting {
  /** The option, by the API's key. */
  option: RemedyOption;
  /** Its value in the API's syntax: `'relu'`, `0.1`, `{ name: 'sgd', layerRates: [1, 2] }`, or words (`a smaller value`). */
  value: string;
  /**
   * The value as one argument of a command-line flag, which the flag's reader takes (`relu`, `0.1`,
   * `16`): where `value` is words, a value that meets them (`16` for '16 or more', the run's rate ×
   * SMALLER_LEARNING_RATE for 'below 0.3'). Absent: it has no flag form (an object, a layer spec, a
   * rate below one the trace does not record), and the command line names the library's option instead.
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
  /** In the 'flags' form, each option's flag on the printer's own line, with its dashes ('--learning-rate'); absent: no flag for it there. */
  flags?: Partial<Record<RemedyOption, string>>;
  /**
   * In the 'flags' form, another command with flags for options the printer has none for: a setting
   * it has a flag for reads as that command's line (`gradscope train --activation relu`). Absent
   * (the default): every option without a flag of the printer's own is said as the library's.
   */
  elsewhere?: {
    /** The command as a user types it ('gradscope train'). */
    command: string;
    /** Its flag for each option it takes, with its dashes ('--activation'). */
    flags: Partial<Record<RemedyOption, string>>;
  };
}

/** The API's terms: what Remedy.option holds. */
export const API_REMEDY_TERMS: RemedyTerms = { form: 'api' };

const apiSetting = (s: RemedySetting) => `${s.option}: ${s.value}`;

/**
 * Where `terms` say `s`: by a flag of the printer's own ('here') or of the other command's
 * ('elsewhere'), where one has a flag for its option and the value is one a flag takes; else as the
 * library's option.
 */
function placeOf(s: RemedySetting, terms: RemedyTerms): 'here' | 'elsewhere' | 'library' {
  if (terms.form !== 'flags' || s.flagValue === undefined) return 'library';
  if (terms.flags?.[s.option] !== undefined) return 'here';
  return terms.elsewhere?.flags[s.option] !== undefined ? 'elsewhere' : 'library';
}

/** `--flag value` of each setting by `flags`, each pair once (init 'lsuv' and train's lsuv are both `--init lsuv`: a flag given twice is refused). */
const flagWords = (settings: readonly RemedySetting[], flags: Partial<Record<RemedyOption, string>>) => [...new Set(settings.map((s) => `${flags[s.option]} ${s.flagValue}`))].join(' ');

/** The settings in `terms`: the printer's flags first, then the other command's line, then, after 'with', the library's options no flag says. */
function settingsText(settings: readonly RemedySetting[], terms: RemedyTerms): string {
  const at = (place: ReturnType<typeof placeOf>) => settings.filter((s) => placeOf(s, terms) === place);
  const [here, elsewhere, library] = [at('here'), at('elsewhere'), at('library')];
  return [
    here.length ? flagWords(here, terms.flags!) : '',
    elsewhere.length ? `${terms.elsewhere!.command} ${flagWords(elsewhere, terms.elsewhere!.flags)}` : '',
    library.map(apiSetting).join(', '),
  ]
    .filter(Boolean)
    .join(', with ');
}

/** `options: words` for the library's settings in `list` by the API function that takes them ('createNetwork option: no flag here'), or '' for none. */
function ownersNote(list: readonly RemedySetting[], words: (one: boolean) => string): string {
  if (list.length === 0) return '';
  const owners = [...new Set(list.map((s) => REMEDY_OPTION_OWNER[s.option]))].map((owner) => (owner === 'train' ? 'train()' : owner));
  const one = new Set(list.map((s) => s.option)).size === 1;
  return `${owners.join(' and ')} ${one ? 'option' : 'options'}: ${words(one)}`;
}

/**
 * The remedy's settings, and its alternative in brackets, in `terms`; in the 'flags' form the
 * options said as the library's are then said to have no flag here (no command has one), or, where
 * a command has a flag for the option but not for this value (an object), that no flag takes it;
 * each by the API function that takes them (createNetwork, train()).
 */
export function remedyText(remedy: Pick<Remedy, 'settings' | 'alternative'>, terms: RemedyTerms = API_REMEDY_TERMS): string {
  checkRemedyArguments(remedy, terms);
  const first = settingsText(remedy.settings, terms);
  const text = remedy.alternative ? `${first} (or ${settingsText(remedy.alternative, terms)})` : first;
  if (terms.form === 'api') return text;
  const library = [...remedy.settings, ...(remedy.alternative ?? [])].filter((s) => placeOf(s, terms) === 'library');
  const flagged = (s: RemedySetting) => terms.flags?.[s.option] !== undefined || terms.elsewhere?.flags[s.option] !== undefined;
  const notes = [
    ownersNote(library.filter((s) => !flagged(s)), () => 'no flag here'),
    ownersNote(library.filter(flagged), (one) => `no flag takes ${one ? 'its value' : 'their values'}`),
  ].filter(Boolean);
  return notes.length ? `${text} (${notes.join('; ')})` : text;
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
  checkObjectArgument(terms, 'remedyText', "terms { form: 'api' | 'flags', flags?, elsewhere? }");
  const { form, flags, elsewhere } = terms as Partial<RemedyTerms>;
  if (form !== 'api' && form !== 'flags') throw invalidOption(`remedyText: terms.form is 'api' or 'flags', got ${shown(form)}`);
  if (flags !== undefined && !isFlagMap(flags)) throw invalidOption(`remedyText: terms.flags maps options to their flags ('--learning-rate'), got ${shown(flags)}`);
  if (elsewhere !== undefined && (typeof elsewhere !== 'object' || elsewhere === null || typeof elsewhere.command !== 'string' || elsewhere.command.trim() === '' || !isFlagMap(elsewhere.flags))) {
    throw invalidOption(`remedyText: terms.elsewhere is { command: 'gradscope train', flags: { activation: '--activation', … } }, got ${shown(elsewhere)}`);
  }
}

/** An object of flags, each a string. */
const isFlagMap = (flags: unknown) => typeof flags === 'object' && flags !== null && Object.values(flags).every((f) => typeof f === 'string');
