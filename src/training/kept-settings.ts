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
 *
 * Each call reads every option of the object given once (readTrainOptions), into a snapshot that the
 * key check, the settings, the optimiser, the training loop and the kept settings all use: a getter
 * read twice could answer differently the second time, and what was checked would not be what is used.
 */
import { checkTrainOptions, NO_TRAIN_OPTIONS, TRAIN_OPTIONS, type TrainOptions } from './train-options.js';
import type { TrainingSettings } from './training-settings.js';

/** An options object as a network's last train() call checked it, and what it read from it. */
export interface KeptSettings {
  /** The snapshot the call used (readTrainOptions): the next call given `given` unchanged uses it again. */
  readonly options: TrainOptions;
  readonly given: object;
  readonly prototype: object | null;
  /** Its enumerable keys, in for-in order, as checked. */
  readonly keys: readonly string[];
  /** Every TRAIN_OPTIONS key's value as read by name, in TRAIN_OPTIONS' order (a getter's, a non-enumerable property's too). */
  readonly named: readonly unknown[];
  /** The rows the settings were read for (the batch size is capped at them, the last batch's rows follow from them). */
  readonly rows: number;
  readonly settings: TrainingSettings;
}

const kept = new WeakMap<object, KeptSettings>();
/** The object each snapshot was read from (the options given, or NO_TRAIN_OPTIONS for none). */
const givenOf = new WeakMap<TrainOptions, object>();

/**
 * train()'s options `given` (undefined: none), their keys checked (checkTrainOptions) and each
 * TRAIN_OPTIONS value read once by name, as a snapshot of own properties for the whole call. When
 * `given` is the object `net`'s last call kept, with the same keys, prototype and values, the
 * snapshot that call used (keptSettingsFor finds its settings) and nothing is allocated.
 */
export function readTrainOptions(net: object, given: unknown): TrainOptions {
  const source = given === undefined ? NO_TRAIN_OPTIONS : given;
  const last = kept.get(net);
  if (last !== undefined && last.given === source && Object.getPrototypeOf(source) === last.prototype && sameKeys(source, last.keys)) {
    // Its keys passed the check before; each value is read once, and compared with the one kept.
    const options = source as Record<string, unknown>;
    for (let k = 0; k < TRAIN_OPTIONS.length; k++) {
      const value = options[TRAIN_OPTIONS[k]];
      if (!Object.is(value, last.named[k])) return snapshotOf(source, [...last.named.slice(0, k), value]);
    }
    return last.options;
  }
  return snapshotOf(checkTrainOptions(given), []);
}

/** Whether `options`' enumerable keys, in for-in order, are `keys` (their values are not read). */
function sameKeys(options: object, keys: readonly string[]): boolean {
  let i = 0;
  // for-in, not Object.keys: it reads V8's cached keys of the object's shape and copies nothing.
  for (const key in options) {
    if (i === keys.length || key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** `given`'s TRAIN_OPTIONS values as own properties (undefined ones left out), the first `read.length` of them already read. */
function snapshotOf(given: object, read: readonly unknown[]): TrainOptions {
  const snapshot: Record<string, unknown> = {};
  for (let k = 0; k < TRAIN_OPTIONS.length; k++) {
    const value = k < read.length ? read[k] : (given as Record<string, unknown>)[TRAIN_OPTIONS[k]];
    if (value !== undefined) snapshot[TRAIN_OPTIONS[k]] = value;
  }
  givenOf.set(snapshot, given);
  return snapshot as TrainOptions;
}

/** The object `options` was read from (readTrainOptions), so that onBatch and onEpoch are called on it, as given; `options` itself otherwise. */
export function givenOptions(options: TrainOptions): object {
  return givenOf.get(options) ?? options;
}

/** What `net`'s last call kept for `options`, a snapshot readTrainOptions gave again because nothing it read had changed; else undefined. */
export function keptSettingsFor(net: object, options: TrainOptions): KeptSettings | undefined {
  const last = kept.get(net);
  return last?.options === options ? last : undefined;
}

/**
 * Keeps `settings`, read from the snapshot `options` for `rows` rows, for `net`'s next call when every
 * value is one nothing can change from inside (see the file's comment); returns `settings`.
 */
export function keepSettings(net: object, options: TrainOptions, rows: number, settings: TrainingSettings): TrainingSettings {
  const given = givenOf.get(options);
  if (given === undefined || !keepable(options, settings)) {
    kept.delete(net);
    return settings;
  }
  const keys: string[] = [];
  for (const key in given) keys.push(key);
  const named = TRAIN_OPTIONS.map((key) => (options as Record<string, unknown>)[key]);
  kept.set(net, { options, given, prototype: Object.getPrototypeOf(given) as object | null, keys, named, rows, settings });
  return settings;
}

/** Whether what the checks read from the snapshot `options` cannot change unseen (see the file's comment). */
function keepable(options: TrainOptions, settings: TrainingSettings): boolean {
  if (settings.policy === 'halve') return false;
  const mutable = (value: unknown) => (typeof value === 'object' && value !== null) || typeof value === 'function';
  return !TRAIN_OPTIONS.some((key) => mutable((options as Record<string, unknown>)[key]));
}
