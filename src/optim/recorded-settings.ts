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
import { checkNumber, rangeProblem } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { andList } from '../list-text.js';
import { grouped } from '../counted.js';
import { BOOLEAN_SETTINGS, ownBounds, SETTING_RANGES, SETTING_RULES, type SettingRange, type SettingRule, type Settings } from './setting-ranges.js';
import { missingWords, STATE_RANGES, stateScalarProblem, type StateRange } from './state-ranges.js';
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
 * takes for each setting an options object leaves out (its DEFAULTS table, for a setting whose
 * default follows another the one under the state's: K-FAC's quadraticMomentum follows rescale; a
 * setting without one is always advised); `unrecorded`, a setting a rule reads that the optimiser
 * does not record as a hyperparameter (Levenberg–Marquardt's mu, whose recorded value is the current
 * μ), at this optimiser's value, read where the state records none.
 */
export interface RecordedContext {
  defaults: Hyperparameters;
  unrecorded?: Readonly<Record<string, number>>;
}

/**
 * Refuses (INVALID_OPTION naming `where`) a state that records any of `own`'s hyperparameters with
 * another value, in one message naming every such setting: where each is within its range
 * (SETTING_RANGES) and every rule across settings holds over the state's values (L-BFGS's c1 < c2,
 * Hessian-free's minIterations ≤ maxIterations, Levenberg–Marquardt's mu ≤ muMax, the constructors'
 * SETTING_RULES and the bounds a state's scalars keep with its settings, stateBoundRules), it says both values of each and the options of optimiser
 * `name` that take the state: every setting whose value as saved is not the constructor's default
 * (`defaults`), so that following the advice to the letter restores the state, and an unrecorded
 * setting where its default would break a rule; else it names every value outside its range and
 * every rule broken, and calls the state damaged, as no such options exist to advise. A
 * hyperparameter the state does not record passes (a state saved before it was recorded).
 */
export function checkRecordedHyperparameters(state: OptimizerState, where: string, name: string, own: Hyperparameters, context: RecordedContext): void {
  const ranges = rangesOf(name);
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
        ? booleanRecordProblem(recorded, key, `scalars.${key}`)
        : range === undefined ? undefined : rangeProblem(recorded, `scalars.${key}`, ownBounds(range));
    if (problem === undefined) differing.push(key);
    else {
      problems.push(problem);
      refused.add(key);
    }
  }
  // A rule is not read over a value outside its own range (already named).
  const outOfRange = new Set(refused);
  const settingRules = settingRulesOf(name);
  // A value the state does not record is this optimiser's (Levenberg–Marquardt's mu option, or one saved before it was recorded).
  const member = (key: string) => (key in recordedFinite ? `scalars.${key} ${settingText(saved[key])}` : `${key} ${settingText(saved[key])} (this optimiser's)`);
  for (const rule of [...settingRules, ...stateBoundRules(name, settingRules)]) {
    if (!rule.keys.some((key) => differing.includes(key)) || rule.keys.some((key) => outOfRange.has(key)) || rule.holds(saved)) continue;
    problems.push(brokenRuleWords(rule, member));
    // A state's rule is no option's: the options that set its settings take them, the state is what breaks it.
    if (settingRules.includes(rule)) rule.keys.filter((key) => differing.includes(key)).forEach((key) => refused.add(key));
  }
  if (problems.length > 0) throw invalidOption(`${where}: ${problems.join('; ')}${damagedWords(name, [...refused])}`);
  if (differing.length === 0) return;
  // A boolean option is recorded as 1 or 0; the option that sets it takes true or false.
  const optionValue = (key: string) => (typeof own[key] === 'boolean' ? saved[key] === 1 || saved[key] === true : saved[key]);
  const optionText = (key: string) => settingText(optionValue(key));
  const { defaults } = context;
  // The constructor takes the default for a setting the options leave out: each saved otherwise is named, as differing or not, and none saved
  // at its default (a kfac state saved with rescale false was advised quadraticMomentum and adaptDamping false, which rescale false defaults to).
  const otherwise = Object.keys(own).filter((key) => Number(saved[key]) !== Number(defaults[key]));
  const leftOut = otherwise.filter((key) => !differing.includes(key));
  const advised = Object.fromEntries([...differing.filter((key) => otherwise.includes(key)), ...leftOut].map((key) => [key, saved[key]]));
  // A setting the state does not record (Levenberg–Marquardt's mu) is left at its default, unless that would break a rule.
  const companions: { rule: SettingRule; others: string[] }[] = [];
  for (const rule of settingRules) {
    const others = rule.keys.filter((key) => !(key in advised) && !(key in own) && key in saved);
    if (others.length === 0 || rule.holds({ ...defaults, ...advised })) continue;
    others.forEach((key) => (advised[key] = saved[key]));
    companions.push({ rule, others });
  }
  const savedWith =
    differing.length === 1
      ? `${differing[0]} ${optionText(differing[0])}, this optimiser has ${settingText(own[differing[0]])}`
      : `${differing.map((key) => `${key} ${optionText(key)}`).join(', ')}; this optimiser has ${differing.map((key) => `${key} ${settingText(own[key])}`).join(', ')}`;
  // The options as code to type: numbers as JavaScript writes them, not grouped.
  const options = Object.keys(advised).map((key) => `, ${key}: ${String(key in own ? optionValue(key) : advised[key])}`).join('');
  const why = [
    ...(leftOut.length === 0 ? [] : [`${andList(leftOut)} ${leftOut.length === 1 ? 'is' : 'are'} named too: left out, ${leftOut.length === 1 ? 'it' : 'they'} would be ${leftOut.length === 1 ? 'the default' : 'the defaults'} ${andList(leftOut.map((key) => settingText(defaults[key])))}`]),
    ...companions.map(({ rule, others }) => `${rule.rule} must hold, so ${andList(others)} ${others.length === 1 ? 'is' : 'are'} named too`),
  ];
  throw invalidOption(`${where}: the state was saved with ${savedWith}; create it with { name: '${name}'${options} } to resume that run${why.length === 0 ? '' : ` (${why.join('; ')})`}`);
}

/**
 * The rules across optimiser `name`'s settings that its constructor checks besides each setting's own range: a range
 * bounded by another setting (SETTING_RANGES' minSetting / maxSetting: L-BFGS's c1 < c2, Hessian-free's minIterations ≤
 * maxIterations, Levenberg–Marquardt's mu ≤ muMax) and SETTING_RULES (SGD's nesterov with momentum, K-FAC's rescale
 * with its momentum, quadraticMomentum and adaptDamping). The one list restore() (checkRecordedHyperparameters) and a
 * checkpoint's reader (savedRulesProblem) read; none for a name no built-in has (own keys only: a file names it).
 */
function settingRulesOf(name: string): SettingRule[] {
  return [...pairsOf(rangesOf(name)), ...Object.values(rulesOf(name))];
}

/** Optimiser `name`'s entry in `table` (a table by optimiser name), `none` for a name no built-in has: own keys only, as a file names the optimiser, and 'constructor' is no built-in's. */
function entryOf<Entry>(table: Readonly<Record<string, Entry>>, name: string, none: Entry): Entry {
  return Object.hasOwn(table, name) ? table[name] : none;
}

/** Optimiser `name`'s setting ranges (SETTING_RANGES), none for a name no built-in has. */
function rangesOf(name: string): Readonly<Record<string, SettingRange>> {
  return entryOf<Readonly<Record<string, SettingRange>>>(SETTING_RANGES, name, {});
}

/** Optimiser `name`'s rules across settings (SETTING_RULES), none for a name no built-in has. */
function rulesOf(name: string): Readonly<Record<string, SettingRule>> {
  return entryOf<Readonly<Record<string, SettingRule>>>(SETTING_RULES, name, {});
}

/** The ranges optimiser `name`'s state keeps its scalars in (STATE_RANGES), none for a name no built-in has. */
function statesOf(name: string): Readonly<Record<string, StateRange>> {
  return entryOf<Readonly<Record<string, StateRange>>>(STATE_RANGES, name, {});
}

/** A broken `rule` as restore() and the readers say it: each of its settings as `member` names it with its value, then what was expected. */
function brokenRuleWords(rule: SettingRule, member: (key: string) => string): string {
  return `${andList(rule.keys.map(member))}: expected ${rule.rule}`;
}

/** How restore() and the readers end the refusal of a state no optimiser `name` takes: the options among `keys` that refuse its values too, and that it is damaged. */
function damagedWords(name: string, keys: readonly string[]): string {
  const options = keys.length === 0 ? '' : keys.length === 1 ? `: the ${keys[0]} option refuses it too` : `: the ${andList(keys)} options refuse them too`;
  return `${options}, so no ${name} can resume this state (it is damaged)`;
}

/**
 * The bounds a state of optimiser `name` keeps its scalars in by its settings (STATE_RANGES' minSetting / maxSetting:
 * L-BFGS's pairs ≤ memory), as rules across the state's records: the one table restore()'s checkStateScalar and the
 * readers (savedScalarsProblem) read. A bound one of `settingRules` already states (Levenberg–Marquardt's μ ≤ muMax, as
 * muMax's range) is left to it; a rule holds where the state records either side not (saved before it was recorded).
 */
function stateBoundRules(name: string, settingRules: readonly SettingRule[]): SettingRule[] {
  return pairsOf(statesOf(name))
    .filter((bound) => !settingRules.some((rule) => rule.rule === bound.rule))
    .map((bound) => ({ ...bound, holds: (values: Settings) => bound.keys.some((key) => values[key] === undefined) || bound.holds(values) }));
}

/** The rules `ranges` sets across settings: a range's minSetting or maxSetting, below it (strictly where `above` / `below`). */
function pairsOf(ranges: Readonly<Record<string, SettingRange>>): SettingRule[] {
  return Object.entries(ranges).flatMap(([key, range]) => [
    ...(range.minSetting === undefined ? [] : [pairRule(range.minSetting, key, range.above === true)]),
    ...(range.maxSetting === undefined ? [] : [pairRule(key, range.maxSetting, range.below === true)]),
  ]);
}

/** `low` below `high` (strictly where `strict`), false where either is missing. */
function pairRule(low: string, high: string, strict: boolean): SettingRule {
  return {
    keys: [low, high],
    holds: (values) => {
      const [a, b] = [Number(values[low]), Number(values[high])];
      return strict ? a < b : a <= b;
    },
    rule: `${low} ${strict ? '<' : '≤'} ${high}`,
  };
}

/** What is wrong with `recorded`, a state's record (named `label`) of the true-or-false setting `key`: 1 or 0, nothing else. */
function booleanRecordProblem(recorded: number, key: string, label: string): string | undefined {
  return recorded === 0 || recorded === 1 ? undefined : `${label}: expected 1 or 0 (${key} true or false), got ${shown(recorded)}`;
}

/**
 * What a reader of a saved state (a checkpoint file) refuses in its scalar `key` of value `value`,
 * saved by optimiser `name`, in words that follow the field's name (`…scalars.beta1: expected …`): a
 * state scalar (STATE_RANGES: a step count, L-BFGS's pairs, an adapted damping) outside its range,
 * said as state, as no state of `name` holds it; a setting (SETTING_RANGES) recorded outside its own
 * range, or a true-or-false one (BOOLEAN_SETTINGS) recorded as another number than 1 or 0, which no
 * optimiser takes and restore() would refuse as damaged, said as restore says it; undefined where the
 * value is within it, or `key` is none of a built-in `name`'s (a plugin's scalar). A bound another
 * scalar sets is read over the scalars together, after this (savedScalarsProblem).
 */
export function savedSettingProblem(name: string, key: string, value: number): string | undefined {
  // Own keys only: a state's scalar named 'constructor' or '__proto__' is no setting.
  const states = statesOf(name);
  if (Object.hasOwn(states, key)) {
    const problem = stateScalarProblem(states[key], value, key);
    return problem === undefined ? undefined : `${wordsAfter(key, problem)}: no ${name} state holds it (it is damaged)`;
  }
  const ranges = rangesOf(name);
  const problem = entryOf(BOOLEAN_SETTINGS, name, []).includes(key) ? booleanRecordProblem(value, key, key) : Object.hasOwn(ranges, key) ? rangeProblem(value, key, ownBounds(ranges[key])) : undefined;
  return problem === undefined ? undefined : `${wordsAfter(key, problem)}${damagedWords(name, [key])}`;
}

/**
 * What a reader of a state saved by optimiser `name` refuses in its `scalars` taken together, once each has passed
 * savedSettingProblem, as `key` (the scalar to name) and the words after it: a state scalar every state of `name`
 * records (STATE_RANGES' `required`: K-FAC's steps) missing; or one beyond the bound a setting the state records sets
 * (STATE_RANGES' maxSetting, the bound restore() holds it to against its own settings: L-BFGS's pairs ≤ memory,
 * Levenberg–Marquardt's μ ≤ muMax), said as state. A bound whose setting the state does not record (one saved
 * before it was recorded) is restore()'s alone. Undefined where nothing is wrong, or `name` is no built-in's.
 */
export function savedScalarsProblem(name: string, scalars: Readonly<Record<string, number>>): { key: string; problem: string } | undefined {
  const states = statesOf(name);
  for (const [key, range] of Object.entries(states)) {
    if (!Object.hasOwn(scalars, key)) {
      if (range.required === true) return { key, problem: `${missingWords(name)} (it is damaged)` };
      continue;
    }
    const settings = [range.minSetting, range.maxSetting].filter((setting): setting is string => setting !== undefined);
    if (settings.length === 0 || !settings.every((setting) => Object.hasOwn(scalars, setting))) continue;
    const problem = stateScalarProblem(range, scalars[key], key, scalars);
    if (problem === undefined) continue;
    const bounds = settings.map((setting) => `${scalars[setting]} is its scalars.${setting}`).join(', ');
    return { key, problem: `${wordsAfter(key, problem)} (${bounds}): no ${name} state holds it (it is damaged)` };
  }
  return undefined;
}

/**
 * What a reader of a state saved by optimiser `name` refuses in its `scalars` across settings, once each has passed
 * savedSettingProblem and the scalars together savedScalarsProblem: a rule its constructor checks across settings
 * (settingRulesOf, the rules restore() reads over a state's values: L-BFGS's c1 < c2, Hessian-free's minIterations ≤
 * maxIterations, K-FAC's momentum 0 with rescale, …) broken by the values the state records, every such rule named with
 * each of its settings' values as restore says it; the options said to refuse them too are every setting of those rules,
 * where restore, which has its own to compare with, names those the state records otherwise. A rule over a setting the state does not record (one saved before it
 * was recorded) is restore()'s alone, read with its own settings. Undefined where every rule holds, or `name` is no built-in's.
 */
export function savedRulesProblem(name: string, scalars: Readonly<Record<string, number>>): string | undefined {
  const broken = settingRulesOf(name).filter((rule) => rule.keys.every((key) => Object.hasOwn(scalars, key)) && !rule.holds(scalars));
  if (broken.length === 0) return undefined;
  const keys = [...new Set(broken.flatMap((rule) => rule.keys))];
  return `${broken.map((rule) => brokenRuleWords(rule, (key) => `${key} ${scalars[key]}`)).join('; ')}${damagedWords(name, keys)}`;
}

/** A problem's words after the name it starts with ('beta1: expected …'): the reader names the field itself. */
function wordsAfter(key: string, problem: string): string {
  return problem.slice(`${key}: `.length);
}

/** A setting's value as the refusals' prose says it: a number grouped as every count is (10,000,000,000, not 10000000000; edges47 #10), anything else as String says it. */
function settingText(value: unknown): string {
  return typeof value === 'number' ? grouped(value) : String(value);
}
