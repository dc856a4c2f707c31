/**
 * The settings a network's last train() call read from its options object, kept with that object's
 * keys and values as they were then, so that the next call given the same object, unchanged, skips
 * checkTrainOptions and readTrainingSettings: their checks ran after the last call's kernels had
 * pushed their code out of the caches, 20–30 µs of a one-batch call at batch 256 (AMD EPYC Zen 4,
 * session 25's marks), which calls one batch at a time in a loop over one options object pay on
 * every call.
 *
 * Kept only when what those checks read cannot change unseen: every option's value a number, a
 * string, a boolean, null or undefined (an optimiser instance can be disposed, a callback or a nested
 * object changed inside), not onNonFinite 'halve' (whose check reads the memory left), and the same
 * prototype. The rest of what they read is fixed for the network (its batch-norm minimums) or only
 * goes one way (a network awaiting LSUV stops awaiting it: a call that was let through stays so). A
 * changed, added, removed or reordered key, a new prototype or another row count is checked again.
 * The checks read every option by name, so each one's value is kept and compared by name too: a
 * getter's or a non-enumerable property's value, which no for-in sees, changes nothing unseen.
 */
import { TRAIN_OPTIONS, type TrainOptions } from './train-options.js';
import type { TrainingSettings } from './training-settings.js';

/** An options object as a network's last train() call checked it, and what it read from it. */
export interface KeptSettings {
  readonly options: object;
  readonly prototype: object | null;
  /** Its enumerable keys, in for-in order, and their values, as checked. */
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  /** Every TRAIN_OPTIONS key's value as read by name, in TRAIN_OPTIONS' order (a getter's, a non-enumerable property's too). */
  readonly named: readonly unknown[];
  /** The rows the settings were read for (the batch size is capped at them, the last batch's rows follow from them). */
  readonly rows: number;
  readonly settings: TrainingSettings;
}

const kept = new WeakMap<object, KeptSettings>();

/**
 * What `net`'s last call kept for `given`, when `given` is that object with the same keys, values
 * and prototype: its keys were checked (checkTrainOptions) and its values read (readTrainingSettings)
 * for `kept.rows` rows. Else undefined: `given` must be checked.
 */
export function keptSettingsFor(net: object, given: unknown): KeptSettings | undefined {
  const last = kept.get(net);
  if (last === undefined || last.options !== given || Object.getPrototypeOf(given) !== last.prototype) return undefined;
  const { keys, values, named } = last;
  const options = given as Record<string, unknown>;
  for (let k = 0; k < TRAIN_OPTIONS.length; k++) if (!Object.is(options[TRAIN_OPTIONS[k]], named[k])) return undefined;
  let i = 0;
  // for-in, not Object.keys: it reads V8's cached keys of the object's shape and copies nothing.
  for (const key in options) {
    if (i === keys.length || key !== keys[i] || !Object.is(options[key], values[i])) return undefined;
    i++;
  }
  return i === keys.length ? last : undefined;
}

/**
 * Keeps `settings`, read from `options` for `rows` rows, for `net`'s next call when every value is
 * one nothing can change from inside (see the file's comment); returns `settings`.
 */
export function keepSettings(net: object, options: TrainOptions, rows: number, settings: TrainingSettings): TrainingSettings {
  if (!keepable(options, settings)) {
    kept.delete(net);
    return settings;
  }
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key in options) {
    keys.push(key);
    values.push((options as Record<string, unknown>)[key]);
  }
  const named = TRAIN_OPTIONS.map((key) => (options as Record<string, unknown>)[key]);
  kept.set(net, { options, prototype: Object.getPrototypeOf(options) as object | null, keys, values, named, rows, settings });
  return settings;
}

/** Whether what the checks read from `options` cannot change unseen (see the file's comment). */
function keepable(options: TrainOptions, settings: TrainingSettings): boolean {
  if (settings.policy === 'halve') return false;
  const mutable = (value: unknown) => (typeof value === 'object' && value !== null) || typeof value === 'function';
  for (const key in options) if (mutable((options as Record<string, unknown>)[key])) return false;
  return !TRAIN_OPTIONS.some((key) => mutable((options as Record<string, unknown>)[key]));
}
