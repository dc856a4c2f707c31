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
import { invalidOption } from '../errors.js';
import { checkNumber, rangeProblem } from '../checks.js';
import { SETTING_RANGES, settingRange, type SettingRange } from './setting-ranges.js';
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
 * A setting another one's range is bounded by (settingRange's minSetting / maxSetting) that the
 * optimiser does not record as a hyperparameter (Levenberg–Marquardt's mu, whose recorded value is
 * the current μ): `own`, the value a state that records none is read against (what restore keeps),
 * and `fallback`, the value the constructor takes when the advised options name none.
 */
export interface Companion {
  own: number;
  fallback: number;
}

/**
 * Refuses (INVALID_OPTION naming `where`) a state that records one of `own`'s hyperparameters with
 * another value, saying which, both values, and the options of optimiser `name` that take the state
 * (with the `companions` setting the value's range is bounded by when the constructor would refuse
 * it beside that setting's fallback); or, where that value is outside the setting's range
 * (SETTING_RANGES, read against the state's other settings, or this optimiser's where the state
 * records no finite one), saying so: no such option exists to advise. A hyperparameter the state
 * does not record passes (a state saved before it was recorded).
 */
export function checkRecordedHyperparameters(state: OptimizerState, where: string, name: string, own: Hyperparameters, companions: Readonly<Record<string, Companion>> = {}): void {
  const ranges: Readonly<Record<string, SettingRange>> = (SETTING_RANGES as Record<string, Record<string, SettingRange>>)[name] ?? {};
  const recordedFinite = Object.fromEntries(Object.entries(state.scalars ?? {}).filter(([, v]) => Number.isFinite(v)));
  const saved = { ...Object.fromEntries(Object.entries(companions).map(([key, c]) => [key, c.own])), ...own, ...recordedFinite };
  for (const [key, value] of Object.entries(own)) {
    const recorded = state.scalars?.[key];
    if (recorded === undefined || recorded === (typeof value === 'boolean' ? Number(value) : value)) continue;
    if (typeof value === 'boolean' && recorded !== 0 && recorded !== 1) throw invalidOption(`${where}: scalars.${key} is ${recorded}, expected 1 or 0 (${key} true or false)`);
    const range = ranges[key];
    const problem = range === undefined ? undefined : rangeProblem(recorded, `${where}: scalars.${key}`, settingRange(range, saved));
    if (problem !== undefined) throw invalidOption(`${problem}: the ${key} option refuses it too, so no ${name} can resume this state (it is damaged)`);
    // A boolean option is recorded as 1 or 0; the option that sets it takes true or false.
    const option = typeof value === 'boolean' ? String(recorded === 1) : String(recorded);
    throw invalidOption(`${where}: the state was saved with ${key} ${option}, this optimiser has ${String(value)}; create it with { name: '${name}', ${key}: ${option}${companionAdvice(recorded, range, companions, saved)} } to resume that run`);
  }
}

/**
 * The companion setting the advice must name beside `recorded` (", mu: 0.0001"), or '': needed
 * where `range` is bounded by a companion whose fallback would make the constructor refuse `recorded`
 * (muMax 0.0005 under the default mu 0.001); its value is the state's, else this optimiser's (`saved`),
 * which `recorded` was already checked against.
 */
function companionAdvice(recorded: number, range: SettingRange | undefined, companions: Readonly<Record<string, Companion>>, saved: Readonly<Record<string, number | boolean>>): string {
  const companion = range?.minSetting ?? range?.maxSetting;
  if (range === undefined || companion === undefined || !(companion in companions)) return '';
  const underFallback = settingRange(range, { [companion]: companions[companion].fallback });
  return rangeProblem(recorded, companion, underFallback) === undefined ? '' : `, ${companion}: ${String(saved[companion])}`;
}
