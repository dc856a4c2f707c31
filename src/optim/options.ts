/**
 * Checking an optimiser's options: every value is validated, and every key must be one the
 * optimiser knows, so a typo (`beta_1`) is an INVALID_OPTION naming it rather than a silent default.
 * All checks run in constructors, before the optimiser allocates or touches the network.
 */
import { checkBoolean as checkTrueOrFalse, checkKnownKeys as checkOptionKeys, checkNumber } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/** Throws INVALID_OPTION for options that are no object, and for the first key that is not `name` or in `known`. */
export function checkKnownKeys(options: unknown, known: readonly string[], optimizer: string): asserts options is object {
  checkOptionKeys(options, ['name', ...known], optimizer);
}

/**
 * Why an optimiser that chooses its own steps (Hessian-free, Levenberg-Marquardt: its damping sets them) takes no
 * learning rate: the words train() refuses a top-level `learningRate` beside one with, and its own options a
 * `learningRate` key with, where "unknown option" would read as a typo.
 */
export function ownStepsTakeNoRate(optimizer: string): string {
  return `'${optimizer}' chooses its own steps (its damping sets them) and takes none`;
}

/** checkKnownKeys for an optimiser that chooses its own steps: a `learningRate` key is refused first, saying why (ownStepsTakeNoRate). */
export function checkOwnStepsKeys(options: unknown, known: readonly string[], optimizer: string): asserts options is object {
  if (typeof options === 'object' && options !== null && 'learningRate' in options) throw invalidOption(`${optimizer}: learningRate: ${ownStepsTakeNoRate(optimizer)}`);
  checkKnownKeys(options, known, optimizer);
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
  return Float64Array.from({ length: depth }, (_, l) => checkNumber(rates[l], `${optimizer}: layerRates[${l}]`, { min: 0, above: true, float32: true }, 1));
}
