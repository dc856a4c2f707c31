/**
 * The range of every numeric setting of every built-in optimiser: one table, read both by each
 * optimiser's constructor (which refuses a value outside it) and by restore() (recorded-settings.ts),
 * which refuses a state recording a value outside it as damaged instead of advising an optimiser
 * the constructor would refuse. A range bounded by another setting (L-BFGS's c2 above c1) names it
 * in `minSetting` or `maxSetting`; settingRange reads that setting's value.
 */
import { checkNumber, type Range } from '../checks.js';

/** A setting's range; `minSetting` / `maxSetting` name the setting whose value is its min / max (with `above` / `below` as for a number). */
export interface SettingRange extends Range {
  minSetting?: string;
  maxSetting?: string;
}

/** > 0, held as float32 (a rate, ε, η). */
const POSITIVE_FLOAT32: SettingRange = { min: 0, above: true, float32: true };
/** [0, 1), held as float32: a decay that must forget (momentum, β, α). */
const DECAY_FLOAT32: SettingRange = { min: 0, max: 1, below: true, float32: true };
/** The first-order optimisers' common settings (every first-order constructor's, optim/first-order.ts). */
export const FIRST_ORDER_RANGES = { learningRate: POSITIVE_FLOAT32, weightDecay: { min: 0, float32: true } } as const;
/** Adam's and AdamW's. */
const ADAM = { ...FIRST_ORDER_RANGES, beta1: DECAY_FLOAT32, beta2: DECAY_FLOAT32, epsilon: POSITIVE_FLOAT32 } as const;

/** Hessian-free's damping λ stays inside [min, max], so it can neither underflow the preconditioner nor freeze learning. */
export const HESSIAN_FREE_LAMBDA = { min: 1e-8, max: 1e8 } as const;
/** K-FAC's adapted λ stays inside [min, max]: below, float32 factors cannot tell it from 0; above, nothing would move. */
export const KFAC_LAMBDA = { min: 1e-12, max: 1e6 } as const;

/** Each built-in optimiser's numeric settings (option keys) and the range its constructor takes. */
export const SETTING_RANGES = {
  sgd: { ...FIRST_ORDER_RANGES, momentum: DECAY_FLOAT32 },
  adam: ADAM,
  adamw: ADAM,
  rmsprop: { ...FIRST_ORDER_RANGES, alpha: DECAY_FLOAT32, epsilon: POSITIVE_FLOAT32 },
  adagrad: { ...FIRST_ORDER_RANGES, epsilon: POSITIVE_FLOAT32 },
  lars: { ...FIRST_ORDER_RANGES, eta: POSITIVE_FLOAT32, momentum: DECAY_FLOAT32 },
  lbfgs: {
    memory: { min: 1, max: 1000, integer: true },
    learningRate: POSITIVE_FLOAT32,
    c1: { min: 0, above: true, max: 1, below: true },
    c2: { minSetting: 'c1', above: true, max: 1, below: true },
    maxEvaluations: { min: 1, integer: true },
  },
  'levenberg-marquardt': {
    mu: { min: 0, above: true },
    muIncrease: { min: 1, above: true },
    muDecrease: { min: 0, above: true, max: 1, below: true },
    muMax: { minSetting: 'mu' },
  },
  'hessian-free': {
    damping: HESSIAN_FREE_LAMBDA,
    maxIterations: { min: 1, max: 10000, integer: true },
    minIterations: { min: 1, maxSetting: 'maxIterations', integer: true },
    decay: { min: 0, max: 1 },
    curvatureFraction: { min: 0, above: true, max: 1 },
  },
  kfac: {
    // λ is held and adapted as float64 (kfac.ts' lambda); float32 checks that it stays nonzero, normal and finite as float32,
    // the precision of the Kronecker factors whose diagonals its split (√(λ + η)) shifts.
    damping: { min: 0, above: true, max: 1e6, float32: true },
    decay: { min: 0, max: 1, below: true },
    inverseEvery: { min: 1, max: 1e6, integer: true },
    adaptEvery: { min: 1, max: 1e6, integer: true },
    weightDecay: { min: 0, max: 1e6, float32: true },
    curvatureFraction: { min: 0, above: true, max: 1 },
    momentum: DECAY_FLOAT32,
    normConstraint: { min: 0, max: 1e6 },
    learningRate: POSITIVE_FLOAT32,
  },
} as const satisfies Record<string, Record<string, SettingRange>>;

/** Every first-order optimiser's true-or-false setting (first-order.ts). */
const FIRST_ORDER_BOOLEANS = ['decayBiases'] as const;

/**
 * Each built-in optimiser's true-or-false settings (option keys), which a state records as 1 or 0
 * (recordedScalars): read by a checkpoint's reader (savedSettingProblem), which refuses another number
 * there, as restore() does. test/optim/boolean-settings checks it against every optimiser's options.
 */
export const BOOLEAN_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  sgd: ['nesterov', ...FIRST_ORDER_BOOLEANS],
  adam: FIRST_ORDER_BOOLEANS,
  adamw: FIRST_ORDER_BOOLEANS,
  rmsprop: FIRST_ORDER_BOOLEANS,
  adagrad: FIRST_ORDER_BOOLEANS,
  lars: FIRST_ORDER_BOOLEANS,
  'hessian-free': ['preconditioner', 'backtracking', 'lineSearch'],
  kfac: ['rescale', 'quadraticMomentum', 'adaptDamping', 'relativeDamping'],
};

/** Settings as a rule reads them: an option's value, or a state's record of it (true and false as 1 and 0). */
export type Settings = Readonly<Record<string, number | boolean>>;

/**
 * A rule across settings that a constructor checks besides their ranges (a range bounded by another
 * setting is one too: SETTING_RANGES' minSetting / maxSetting), or that a state's records keep
 * (L-BFGS's pairs, at most its memory): `holds` over the values of `keys`, `rule` in words, as a
 * refusal says it after 'expected' ('c1 < c2').
 */
export interface SettingRule {
  keys: readonly string[];
  holds(settings: Settings): boolean;
  rule: string;
}

/** A boolean setting as given (true) or as a state records it (1). */
const on = (value: number | boolean | undefined) => value === true || value === 1;

/**
 * The rules across settings each built-in optimiser's constructor checks besides SETTING_RANGES,
 * read by the constructor (which words its own refusal) and by restore() (recorded-settings.ts),
 * which refuses a state breaking one as damaged instead of advising options the constructor refuses.
 */
export const SETTING_RULES = {
  sgd: {
    nesterov: { keys: ['nesterov', 'momentum'], holds: (s) => !on(s.nesterov) || Number(s.momentum) > 0, rule: 'momentum > 0 with nesterov (Nesterov momentum needs one)' },
  },
  kfac: {
    quadraticMomentum: { keys: ['quadraticMomentum', 'rescale'], holds: (s) => !on(s.quadraticMomentum) || on(s.rescale), rule: 'rescale with quadraticMomentum (it needs the quadratic model)' },
    adaptDamping: { keys: ['adaptDamping', 'rescale'], holds: (s) => !on(s.adaptDamping) || on(s.rescale), rule: 'rescale with adaptDamping (it needs the quadratic model)' },
    // The model chooses each rescaled step's momentum: a fixed one would change the step after it.
    momentum: { keys: ['momentum', 'rescale'], holds: (s) => Number(s.momentum) === 0 || !on(s.rescale), rule: 'momentum 0 with rescale (a fixed momentum applies to the unscaled step only)' },
  },
} as const satisfies Record<string, Record<string, SettingRule>>;

/** A built-in optimiser's name in SETTING_RANGES. */
export type RangedOptimizer = keyof typeof SETTING_RANGES;

/** `range` with a bound named by another setting read from `settings` (that setting's value). */
export function settingRange(range: SettingRange, settings: Readonly<Record<string, number | boolean>>): Range {
  const { minSetting, maxSetting, ...bounds } = range;
  return {
    ...bounds,
    ...(minSetting === undefined ? {} : { min: Number(settings[minSetting]) }),
    ...(maxSetting === undefined ? {} : { max: Number(settings[maxSetting]) }),
  };
}

/** A setting's range without the bound another setting sets (checked as a rule), which a state need not record. */
export function ownBounds(range: SettingRange): Range {
  const { minSetting, maxSetting, ...bounds } = range;
  if (minSetting !== undefined) delete bounds.above;
  if (maxSetting !== undefined) delete bounds.below;
  return bounds;
}

/**
 * Optimiser `name`'s setting `key` as its constructor takes it: `value` if within its range (read
 * against `settings`, the settings checked before it), `fallback` if undefined; else INVALID_OPTION
 * naming '`name`: `key`'.
 */
export function checkSetting<N extends RangedOptimizer>(
  name: N,
  key: keyof (typeof SETTING_RANGES)[N] & string,
  value: unknown,
  fallback: number,
  settings: Readonly<Record<string, number | boolean>> = {},
): number {
  const range = (SETTING_RANGES[name] as Record<string, SettingRange>)[key];
  return checkNumber(value, `${name}: ${key}`, settingRange(range, settings), fallback);
}
