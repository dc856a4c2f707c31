/**
 * Checking an optimiser's options: every value is validated, and every key must be one the
 * optimiser knows, so a typo (`beta_1`) is an INVALID_OPTION naming it rather than a silent default.
 * All checks run in constructors, before the optimiser allocates or touches the network.
 */
import { checkBoolean as checkTrueOrFalse, checkKnownKeys as checkOptionKeys } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/** Throws INVALID_OPTION for options that are no object, and for the first key that is not `name` or in `known`. */
export function checkKnownKeys(options: unknown, known: readonly string[], optimizer: string): asserts options is object {
  checkOptionKeys(options, ['name', ...known], optimizer);
}

export interface Range {
  /** Smallest allowed value (inclusive unless `above`). */
  min?: number;
  /** min is exclusive. */
  above?: boolean;
  /** Largest allowed value (inclusive unless `below`). */
  max?: number;
  /** max is exclusive. */
  below?: boolean;
  integer?: boolean;
}

function describe(range: Range): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.above ? '>' : '≥'} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.below ? '<' : '≤'} ${range.max}`);
  return `a finite ${range.integer ? 'whole number' : 'number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

/** `value` if it is a finite number within `range`, `fallback` if undefined; else INVALID_OPTION naming `where`. */
export function checkNumber(value: unknown, where: string, range: Range, fallback: number): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.above ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.below ? value < range.max : value <= range.max));
  if (!ok) throw invalidOption(`${where}: expected ${describe(range)}, got ${shown(value)}`);
  return value as number;
}

/** `value` if true or false, `fallback` if undefined; else INVALID_OPTION naming `where`. */
export function checkBoolean(value: unknown, where: string, fallback: boolean): boolean {
  return value === undefined ? fallback : checkTrueOrFalse(value, where);
}

/**
 * Per-layer learning-rate multipliers: one finite number > 0 per weight layer (default all 1). The
 * remedy the vanishing gradient asks for: a larger step where the gradient is smaller.
 */
export function checkLayerRates(value: unknown, depth: number, optimizer: string): Float64Array {
  if (value === undefined) return new Float64Array(depth).fill(1);
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw invalidOption(`${optimizer}: layerRates: expected an array of ${depth} numbers (one per weight layer), got ${shown(value)}`);
  }
  const rates = value as ArrayLike<unknown>;
  if (rates.length !== depth) {
    throw invalidOption(`${optimizer}: layerRates: the network has ${depth} weight layers, got ${rates.length} rates`);
  }
  return Float64Array.from({ length: depth }, (_, l) => checkNumber(rates[l], `${optimizer}: layerRates[${l}]`, { min: 0, above: true }, 1));
}
