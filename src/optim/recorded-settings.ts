/**
 * What an optimiser's state records of the settings it ran under, and the one rule every built-in
 * optimiser's restore() applies to them. As PyTorch's Optimizer.load_state_dict takes each param
 * group's lr from the state, restore() takes the state's learning rate (it becomes the optimiser's
 * defaultLearningRate, what train() uses when given none); every other recorded hyperparameter (β,
 * ε, momentum, memory, damping, …) is fixed when the optimiser is created, so a state recording
 * another value is refused, saying how to create the optimiser that takes it: resuming under other
 * settings would change the run in silence. A state that records none (saved before they were
 * recorded) is taken as it is; one recording a value outside the setting's range (setting-ranges.ts,
 * the table the constructor checks by) is refused as damaged, as no optimiser would take it.
 */
import { checkNumber, rangeProblem, type Range } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { SETTING_RANGES, type SettingRange } from './setting-ranges.js';
import type { OptimizerState } from './optimizer.js';

/** Hyperparameters by option key, as the optimiser's options take them (booleans as booleans). */
export type Hyperparameters = Readonly<Record<string, number | boolean>>;

/** The scalars a state records for `hyperparameters`: true and false as 1 and 0, as scalars are numbers. */
export function recordedScalars(hyperparameters: Hyperparameters): Record<string, number> {
  const scalars: Record<string, number> = {};
  for (const [key, value] of Object.entries(hyperparameters)) scalars[key] = typeof value === 'boolean' ? Number(value) : value;
  return scalars;
}

/**
 * The learning rate a restore takes (see the file's comment): the state's scalars.learningRate,
 * checked as the learningRate option is (a float32 > 0) and by the optimiser's `rateProblem` if it
 * has one, or `own` when the state records none. INVALID_OPTION naming `where` otherwise.
 */
export function restoredLearningRate(state: OptimizerState, where: string, own: number, rateProblem?: (rate: number) => string | undefined): number {
  const rate = checkNumber(state.scalars?.learningRate, `${where}: scalars.learningRate`, { min: 0, above: true, float32: true }, own);
  const problem = rateProblem?.(rate);
  if (problem !== undefined) throw invalidOption(`${where}: scalars.learningRate: ${problem}`);
  return rate;
}

/**
 * What checkRecordedHyperparameters knows beyond the state: `defaults`, the value the constructor
 * takes for a setting the advised options leave out (its DEFAULTS table); `unrecorded`, a setting a
 * range is bounded by that the optimiser does not record as a hyperparameter (Levenberg–Marquardt's
 * mu, whose recorded value is the current μ), at this optimiser's value, read where the state records none.
 */
export interface RecordedContext {
  defaults?: Hyperparameters;
  unrecorded?: Readonly<Record<string, number>>;
}

/**
 * Refuses (INVALID_OPTION naming `where`) a state that records any of `own`'s hyperparameters with
 * another value, in one message naming every such setting: where each is within its range
 * (SETTING_RANGES) and every pair of settings bounded by each other (L-BFGS's c1 < c2,
 * Hessian-free's minIterations ≤ maxIterations, Levenberg–Marquardt's mu ≤ muMax) holds over the
 * state's values, it says both values of each and the options of optimiser `name` that take the
 * state, with a pair's other setting and its rule where the constructor's default for it would break
 * the rule; else it names every value outside its range and every pair that breaks its rule, and
 * calls the state damaged, as no such options exist to advise. A hyperparameter the state does not
 * record passes (a state saved before it was recorded).
 */
export function checkRecordedHyperparameters(state: OptimizerState, where: string, name: string, own: Hyperparameters, context: RecordedContext = {}): void {
  const ranges: Readonly<Record<string, SettingRange>> = (SETTING_RANGES as Record<string, Record<string, SettingRange>>)[name] ?? {};
  const recordedFinite = Object.fromEntries(Object.entries(state.scalars ?? {}).filter(([, v]) => Number.isFinite(v)));
  // Each setting as the state ran under it: the state's value, else this optimiser's.
  const saved: Record<string, number | boolean> = { ...context.unrecorded, ...own, ...recordedFinite };
  const problems: string[] = [];
  const refused = new Set<string>();
  const differing: string[] = [];
  for (const [key, value] of Object.entries(own)) {
    const recorded = state.scalars?.[key];
    if (recorded === undefined || recorded === (typeof value === 'boolean' ? Number(value) : value)) continue;
    const range = ranges[key];
    const problem =
      typeof value === 'boolean'
        ? recorded === 0 || recorded === 1 ? undefined : `scalars.${key}: expected 1 or 0 (${key} true or false), got ${shown(recorded)}`
        : range === undefined ? undefined : rangeProblem(recorded, `scalars.${key}`, ownBounds(range));
    if (problem === undefined) differing.push(key);
    else {
      problems.push(problem);
      refused.add(key);
    }
  }
  const pairs = pairsOf(ranges);
  for (const pair of pairs) {
    const members = [pair.low, pair.high];
    if (!members.some((key) => differing.includes(key)) || members.some((key) => refused.has(key)) || holds(pair, saved)) continue;
    // A value the state does not record is this optimiser's (Levenberg–Marquardt's mu option, or one saved before it was recorded).
    const member = (key: string) => (key in recordedFinite ? `scalars.${key} ${String(saved[key])}` : `${key} ${String(saved[key])} (this optimiser's)`);
    problems.push(`${member(pair.low)} and ${member(pair.high)}: expected ${ruleText(pair)}`);
    members.filter((key) => differing.includes(key)).forEach((key) => refused.add(key));
  }
  if (problems.length > 0) {
    const keys = [...refused];
    const options = keys.length === 1 ? `the ${keys[0]} option refuses it` : `the ${listed(keys)} options refuse them`;
    throw invalidOption(`${where}: ${problems.join('; ')}: ${options} too, so no ${name} can resume this state (it is damaged)`);
  }
  if (differing.length === 0) return;
  // A boolean option is recorded as 1 or 0; the option that sets it takes true or false.
  const optionText = (key: string) => (typeof own[key] === 'boolean' ? String(saved[key] === 1) : String(saved[key]));
  const advised = Object.fromEntries(differing.map((key) => [key, saved[key]]));
  const companions: Pair[] = [];
  for (const pair of pairs) {
    const named = [pair.low, pair.high].filter((key) => key in advised);
    if (named.length !== 1) continue;
    const other = named[0] === pair.low ? pair.high : pair.low;
    // The constructor takes the default for a setting the options leave out; none known: name it.
    if (context.defaults?.[other] !== undefined && holds(pair, { [other]: context.defaults[other], ...advised })) continue;
    advised[other] = saved[other];
    companions.push(pair);
  }
  const savedWith =
    differing.length === 1
      ? `${differing[0]} ${optionText(differing[0])}, this optimiser has ${String(own[differing[0]])}`
      : `${differing.map((key) => `${key} ${optionText(key)}`).join(', ')}; this optimiser has ${differing.map((key) => `${key} ${String(own[key])}`).join(', ')}`;
  const options = Object.keys(advised).map((key) => `${key}: ${key in own ? optionText(key) : String(advised[key])}`).join(', ');
  const why = companions.length === 0 ? '' : ` (${companions.map((pair) => `${ruleText(pair)} must hold, so ${differing.includes(pair.low) ? pair.high : pair.low} is named too`).join('; ')})`;
  throw invalidOption(`${where}: the state was saved with ${savedWith}; create it with { name: '${name}', ${options} } to resume that run${why}`);
}

/** Two settings the constructor checks together: `low` below `high` (strictly where `strict`). */
interface Pair {
  low: string;
  high: string;
  strict: boolean;
}

/** The pairs `ranges` bounds by each other (a range's minSetting or maxSetting). */
function pairsOf(ranges: Readonly<Record<string, SettingRange>>): Pair[] {
  return Object.entries(ranges).flatMap(([key, range]) => [
    ...(range.minSetting === undefined ? [] : [{ low: range.minSetting, high: key, strict: range.above === true }]),
    ...(range.maxSetting === undefined ? [] : [{ low: key, high: range.maxSetting, strict: range.below === true }]),
  ]);
}

/** A setting's range without the bound another setting sets (checked as a pair: pairsOf). */
function ownBounds(range: SettingRange): Range {
  const { minSetting, maxSetting, ...bounds } = range;
  if (minSetting !== undefined) delete bounds.above;
  if (maxSetting !== undefined) delete bounds.below;
  return bounds;
}

const ruleText = (pair: Pair) => `${pair.low} ${pair.strict ? '<' : '≤'} ${pair.high}`;

/** Whether `pair`'s rule holds over `values` (false where either is missing). */
function holds(pair: Pair, values: Readonly<Record<string, number | boolean>>): boolean {
  const [low, high] = [Number(values[pair.low]), Number(values[pair.high])];
  return pair.strict ? low < high : low <= high;
}

/** "a", "a and b", "a, b and c". */
function listed(keys: readonly string[]): string {
  return keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
}
