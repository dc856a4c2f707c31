/**
 * Checks of option values that every way of describing a network shares (createNetwork's sizes and
 * layers, the block specs of src/layers, model files) and the options of train() and the studies:
 * a width, a whole number, an activation, a choice from a list. Each throws INVALID_OPTION naming
 * `where` and what it got.
 */
import { describeValue, invalidOption, quoted, shorten, shown } from './errors.js';
import { OUTPUT_ACTIVATIONS, type OutputActivation } from './kernels.js';
import { didYouMean } from './suggest.js';

/** Largest layer width accepted (keeps a typo from asking for gigabytes). */
export const MAX_UNITS = 1 << 20;

export function checkUnits(units: unknown, where: string): number {
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > MAX_UNITS) {
    throw invalidOption(`${where}: expected a whole number of units from 1 to ${MAX_UNITS}, got ${describeValue(units)}`);
  }
  return units;
}

/** `value` if it is a whole number ≥ `min`, named `name` (a count, a size, a number of epochs). */
export function checkWhole(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalidOption(`${name}: expected a whole number ≥ ${min}, got ${shown(value)}`);
  return value;
}

/** `value` if it is one of `allowed`. */
export function checkChoice<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidOption(`${where}: expected one of ${allowed.join(', ')}, got ${quoted(value)}`);
}

export function checkActivation(value: unknown, where: string): OutputActivation {
  return checkChoice(value, OUTPUT_ACTIVATIONS, where);
}

/**
 * Refuses a `value` that is no options object, and a key of it not in `known` (a typo would
 * otherwise be dropped silently), naming it, the nearest known one if close, and the known ones.
 */
export function checkKnownKeys(value: object, known: readonly string[], where: string): void {
  checkObjectArgument(value, where, 'an options object');
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalidOption(`${where}: unknown option ${optionName(key)}${didYouMean(key, known, optionName)} (known: ${known.join(', ')})`);
  }
}

/** An option's name in quotes, a long one cut (a key is the caller's, of any length). */
function optionName(key: string): string {
  return `'${shorten(key)}'`;
}

/** The keys of an options type, listed once: a key added to the type and not here fails to compile. */
export function keysOf<T>(keys: Record<keyof T, true>): readonly string[] {
  return Object.keys(keys);
}

/**
 * Refuses (INVALID_OPTION `who: expected what, got …`) anything but a plain object or an instance
 * (null, undefined, a number, a string, an array): the first check of a public function taking an
 * object, so a wrong argument is named instead of failing as a TypeError deep inside.
 */
export function checkObjectArgument(value: unknown, who: string, what: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption(`${who}: expected ${what}, got ${shown(value)}`);
}

/** Refuses (INVALID_OPTION) anything but bytes (a Uint8Array or an ArrayBuffer), saying what it got: a string is not a path here. */
export function checkBytesArgument(value: unknown, who: string): asserts value is Uint8Array | ArrayBuffer {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return;
  const hint = typeof value === 'string' ? ' (these take the bytes of a file, not a path: read the file first, or use readModelFile in gradscope/node)' : '';
  throw invalidOption(`${who}: expected bytes (a Uint8Array or an ArrayBuffer), got ${shown(value)}${hint}`);
}
