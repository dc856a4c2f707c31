/**
 * --init and --bias-init: createNetwork's init forms as command-line text, read by one parser so
 * both flags take NAME:NUMBER the same way (`normal:1` for the weights as for the biases).
 * A normal:STD outside stdRule is refused here, in the flag's words; createNetwork checks the other
 * values (a bias beyond the parameter bound).
 */
import type { BiasInit, WeightInit } from '../init/initializers.js';
import { isStd, stdRule, WEIGHT_INITS } from '../init/initializers.js';
import { typedWord } from '../errors.js';
import { orList } from '../list-text.js';
import { didYouMean } from '../suggest.js';
import { isDecimalNumber, stringFlag, UsageError, type ParsedArgs } from './command.js';

/** The init that waits for data: the weights start orthonormal and LSUV rescales them on the first batch (net.initLsuv, as train's lsuv option). */
export const LSUV = 'lsuv';

/**
 * A form NAME:NUMBER: the option key the number goes to, how --help writes it, whether NAME alone is
 * accepted too, and for a normal init's STD whether 0 is one (the biases': stdRule).
 */
interface ValuedForm {
  key: string;
  shown: string;
  optional?: boolean;
  std?: { zeroAllowed: boolean };
}

/** One flag's forms: the plain names and the NAME:NUMBER ones. */
interface InitForms {
  names: readonly string[];
  valued: Record<string, ValuedForm>;
}

/** --init: createNetwork's WeightInit (a named init, N(0, STD²), Martens' sparse with N connections) and 'lsuv'. */
export const WEIGHT_INIT_FORMS: InitForms = {
  names: [...WEIGHT_INITS, LSUV],
  valued: { normal: { key: 'std', shown: 'normal:STD', std: { zeroAllowed: false } }, sparse: { key: 'connections', shown: 'sparse[:N]', optional: true } },
};

/** --bias-init: createNetwork's BiasInit (zero, every bias V, N(0, STD²)). */
export const BIAS_INIT_FORMS: InitForms = {
  names: ['zero'],
  valued: { constant: { key: 'value', shown: 'constant:V' }, normal: { key: 'std', shown: 'normal:STD', std: { zeroAllowed: true } } },
};

/** The forms in words, as --help and the refusals say them: `zero, constant:V or normal:STD`. */
export function initFormsText(forms: InitForms): string {
  return orList([...forms.names, ...Object.values(forms.valued).map((form) => form.shown)]);
}

/** The flag's value as createNetwork's option: a plain name as it is, NAME:NUMBER as { name, [key]: NUMBER }; undefined when absent. */
function readInit(args: ParsedArgs, flag: string, forms: InitForms): string | Record<string, string | number> | undefined {
  const text = stringFlag(args, flag);
  if (text === undefined) return undefined;
  const [name, value, ...rest] = text.split(':');
  const form = Object.hasOwn(forms.valued, name) ? forms.valued[name] : undefined;
  if (value === undefined && (forms.names.includes(name) || form?.optional)) return form ? { name } : name;
  // Decimal notation only, as the other numeric flags: Number() alone reads normal:0x1 as 1 and sparse:0b11 as 3.
  const number = Number(value);
  if (form === undefined || rest.length > 0 || value === undefined || !isDecimalNumber(value) || !Number.isFinite(number)) {
    const numbers = [...new Set(Object.values(forms.valued).map((f) => f.shown.replace(/.*:|\]/g, '')))];
    // A misspelt name (he-norml, sparce:15) gets the choice flags' "did you mean", its number kept.
    const known = form === undefined && !forms.names.includes(name) ? [...forms.names, ...Object.keys(forms.valued)] : [];
    const suggestion = didYouMean(name, known, (match) => `'${[match, value, ...rest].filter((part) => part !== undefined).join(':')}'`);
    throw new UsageError(`--${flag} must be ${initFormsText(forms)} (${numbers.join(', ')} decimal numbers), got ${typedWord(text)}${suggestion}`);
  }
  // Said here in the flag's words: createNetwork would say "init: { name: 'normal' } needs a std > 0 …".
  if (form.std && !isStd(number, form.std.zeroAllowed)) throw new UsageError(`--${flag} ${form.shown} needs ${stdRule('STD', form.std.zeroAllowed)}, got ${typedWord(text)}`);
  return { name, [form.key]: number };
}

/** --init as createNetwork's init (or 'lsuv'). */
export function weightInitFlag(args: ParsedArgs): WeightInit | typeof LSUV | undefined {
  return readInit(args, 'init', WEIGHT_INIT_FORMS) as WeightInit | typeof LSUV | undefined;
}

/** --bias-init as createNetwork's biasInit. */
export function biasInitFlag(args: ParsedArgs): BiasInit | undefined {
  return readInit(args, 'bias-init', BIAS_INIT_FORMS) as BiasInit | undefined;
}

/**
 * createNetwork's init (or biasInit) as the flag's value readInit reads back to it (`he-normal`,
 * `normal:0.05`, `sparse`, `constant:-3`), or undefined for one the forms cannot spell (an object of
 * another shape, a number the form does not take).
 */
export function initFlagValue(init: unknown, forms: InitForms): string | undefined {
  if (typeof init === 'string') return forms.names.includes(init) ? init : undefined;
  if (typeof init !== 'object' || init === null) return undefined;
  const { name, ...rest } = init as Record<string, unknown>;
  const form = typeof name === 'string' && Object.hasOwn(forms.valued, name) ? forms.valued[name] : undefined;
  if (form === undefined) return undefined;
  const keys = Object.keys(rest);
  if (keys.length === 0) return form.optional ? name as string : undefined;
  const number = rest[form.key];
  return keys.length === 1 && typeof number === 'number' && Number.isFinite(number) ? `${name}:${number}` : undefined;
}
