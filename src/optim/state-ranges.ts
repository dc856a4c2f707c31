/**
 * The range of every scalar a built-in optimiser's state() records that is state, not a setting: its
 * step count, the curvature pairs L-BFGS holds, the damping its steps adapt (K-FAC's and Hessian-free's
 * λ, Levenberg–Marquardt's μ). One table, read by each optimiser's restore() and by a checkpoint's
 * reader (savedSettingProblem and savedScalarsProblem, recorded-settings.ts), which refuses a value
 * outside it where the file is read: no state of that optimiser holds it. A bound another scalar sets
 * (L-BFGS's pairs ≤ memory, μ ≤ muMax) is named in `maxSetting`: restore() reads it against its own
 * settings, the reader against the setting as the state records it (where it records none, a state
 * saved before it was recorded, restore() alone checks it).
 */
import { rangeProblem } from '../checks.js';
import { invalidOption } from '../errors.js';
import { stepCountProblem } from '../model-limits.js';
import { HESSIAN_FREE_LAMBDA, KFAC_LAMBDA, ownBounds, settingRange, type SettingRange, type Settings } from './setting-ranges.js';

/**
 * A state scalar's range; `stepCount`: a count of steps, held to the network's step count's rule (checkStepCount: a
 * whole number to 2⁵³ − 1); `required`: every state of the optimiser records it, so one without it is damaged.
 */
export interface StateRange extends SettingRange {
  stepCount?: boolean;
  required?: boolean;
}

/** Every first-order optimiser's (first-order.ts): the steps it took, which Adam's bias correction counts by. */
export const FIRST_ORDER_STATE = { step: { stepCount: true } } as const satisfies Record<string, StateRange>;

/** Each built-in optimiser's state scalars (as state() records them) and the range a state holds them in. */
export const STATE_RANGES = {
  sgd: FIRST_ORDER_STATE,
  adam: FIRST_ORDER_STATE,
  adamw: FIRST_ORDER_STATE,
  rmsprop: FIRST_ORDER_STATE,
  adagrad: FIRST_ORDER_STATE,
  lars: FIRST_ORDER_STATE,
  lbfgs: { pairs: { min: 0, integer: true, maxSetting: 'memory' } },
  // The current μ, which its steps move down to the smallest double and up to muMax (the mu option only starts it).
  'levenberg-marquardt': { mu: { min: 0, above: true, maxSetting: 'muMax' } },
  'hessian-free': { lambda: HESSIAN_FREE_LAMBDA },
  // K-FAC's step count weighs each batch into its factors (ε = min(1 − 1/k, decay) at step k) and times its inverses and
  // λ's adaptation; a JavaScript number counts it exactly to 2⁵³ − 1, as the network's. Every K-FAC state records it.
  kfac: { steps: { stepCount: true, required: true }, lambda: KFAC_LAMBDA },
} as const satisfies Record<string, Record<string, StateRange>>;

/** What restore() and a reader say of a `required` state scalar that a state of optimiser `name` lacks, after its name. */
export function missingWords(name: string): string {
  return `missing: every ${name} state records it`;
}

/**
 * What is wrong with `value`, a state's scalar named `where` held to `range`: its words as checkNumber
 * (or checkStepCount) says them, or undefined where it is within. A bound another setting sets is read
 * from `settings` (restore()'s own, or the state's recorded scalars in savedScalarsProblem); where none
 * are given the range's own bounds hold (savedSettingProblem's read of one scalar alone).
 */
export function stateScalarProblem(range: StateRange, value: unknown, where: string, settings?: Settings): string | undefined {
  if (range.stepCount === true) {
    const problem = stepCountProblem(value);
    return problem === undefined ? undefined : `${where}: ${problem}`;
  }
  return rangeProblem(value, where, settings === undefined ? ownBounds(range) : settingRange(range, settings));
}

/**
 * restore()'s read of a state scalar: `value` within `range` (stateScalarProblem), `fallback` if undefined (a state
 * saved before it was recorded); else INVALID_OPTION naming `where`. A `required` range (the table decides, and the
 * overloads hold each range to its own) takes optimiser `name` in place of a fallback: a state without it is refused,
 * saying every state of that optimiser records it. `settings` (restore()'s own) bound what a range's maxSetting names;
 * without them the range's own bounds hold (an empty object would read the named bound as NaN and refuse every value).
 */
export function checkStateScalar(range: StateRange & { required: true }, value: unknown, where: string, name: string): number;
export function checkStateScalar(range: StateRange & { required?: false }, value: unknown, where: string, fallback: number, settings?: Settings): number;
export function checkStateScalar(range: StateRange, value: unknown, where: string, fallbackOrName: number | string, settings?: Settings): number {
  if (value === undefined) {
    if (range.required === true) throw invalidOption(`${where}: ${missingWords(String(fallbackOrName))}`);
    return fallbackOrName as number; // a number: the second overload's, the one a range not required takes
  }
  const problem = stateScalarProblem(range, value, where, settings);
  if (problem !== undefined) throw invalidOption(problem);
  return value as number;
}
