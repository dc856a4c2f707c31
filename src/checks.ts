/**
 * Checks of option values that every way of describing a network shares (createNetwork's sizes and
 * layers, the block specs of src/layers, model files) and the options of train(), the optimisers
 * and the studies: a width, a whole number, a number within a Range, an activation, a choice from
 * a list. Each throws INVALID_OPTION naming `where` and what it got.
 */
import { describeValue, typedWord, GradscopeError, invalidOption, quoted, shown, shownArgument } from './errors.js';
import { grouped } from './counted.js';
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS, type OutputActivation } from './kernels.js';
import { didYouMean, didYouMeanValue } from './suggest.js';
import { oneOf } from './list-text.js';
import { float32Text } from './number-text.js';

/** Largest layer width accepted (keeps a typo from asking for gigabytes). */
export const MAX_UNITS = 1 << 20;

export function checkUnits(units: unknown, where: string): number {
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > MAX_UNITS) {
    throw invalidOption(`${where}: expected a whole number of units from 1 to ${grouped(MAX_UNITS)}, got ${describeValue(units)}`);
  }
  return units;
}

/**
 * `value` if it is a whole number ≥ `min` (and ≤ `bound.max`, given one), named `name` (a count, a
 * size, a number of epochs); the refusal says what it counts when given `counting` ('a whole number
 * of elements ≥ 0').
 */
export function checkWhole(value: unknown, name: string, min: number, bound?: Bound, counting?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidOption(`${name}: expected a whole number${counting ? ` of ${counting}` : ''} ≥ ${min}, got ${shownArgument(value)}`);
  }
  if (bound) checkAtMost(value, name, bound);
  return value;
}

/**
 * The most elements a tensor holds on any backend: 2³⁰, the float32 values wasm32's 4 GiB of memory
 * addresses (wasm refuses less than that where its memory is in use). ref, with no limit of its
 * own, refuses beyond it too, so what runs on ref is not refused on wasm for a tensor's length alone.
 */
export const MAX_TENSOR_LENGTH = 2 ** 30;

/**
 * `length` if it is a whole number of elements ≥ 0 (else INVALID_OPTION) and at most
 * MAX_TENSOR_LENGTH (else OUT_OF_MEMORY), naming the backend and the call. The one check every
 * backend's alloc and allocUninitialized run: the wasm allocator took −1 or 1.5 as a tensor of that
 * length (a view of it then threw a raw RangeError, or was cut short) and NaN as a request to grow
 * by NaN pages; ref's typed arrays threw RangeError on −1 and made NaN or '8' an empty or 8-element
 * tensor in silence, and made 2³¹ elements (16 GiB of untouched pages) that wasm could never hold.
 * Allocation is off the kernels' hot path (a training call allocates its buffers once).
 */
export function checkTensorLength(length: unknown, backend: string, call: 'alloc' | 'allocUninitialized'): number {
  checkWhole(length, `${backend}: ${call}`, 0, undefined, 'elements');
  if ((length as number) > MAX_TENSOR_LENGTH) {
    throw new GradscopeError(
      'OUT_OF_MEMORY',
      `${backend}: ${call}: a tensor of ${grouped(length as number)} elements is more than the ${grouped(MAX_TENSOR_LENGTH)} (2^30: 4 GiB of float32, all wasm32 addresses) a tensor holds on any backend; nothing was allocated`,
    );
  }
  return length as number;
}

/**
 * The greatest seed. The RNG (xoshiro128**, src/init/rng.ts) takes its seed as 32 bits, so outside
 * 0 … 2^32 − 1 two seeds would give one stream (−1 that of 2^32 − 1, 2^60 that of 0).
 */
export const MAX_SEED = 2 ** 32 - 1;

/** `value` if it is a seed, an integer from 0 to MAX_SEED (2^32 − 1), named `name`: INVALID_OPTION otherwise. */
export function checkSeed(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    throw invalidOption(`${name}: expected an integer from 0 to ${grouped(MAX_SEED)} (the random number generator's seed is 32 bits), got ${shownArgument(value)}`);
  }
  return value;
}

/**
 * float32's smallest normal number, 2⁻¹²⁶ ≈ 1.1754943508222875e-38: the least positive value the
 * core, which computes in float32, holds as a number like any other. Below it a value is subnormal
 * (few bits, and slow on some CPUs) or 0: a learning rate of 1e-320 is 0 there, and training ran
 * and changed nothing, in silence.
 */
export const FLOAT32_MIN_NORMAL = 2 ** -126;
/** FLOAT32_MIN_NORMAL as refusals and --help say it. */
export const FLOAT32_MIN_NORMAL_WORDS = `${float32Text(FLOAT32_MIN_NORMAL)} (2⁻¹²⁶, float32's smallest normal number)`;

/**
 * The largest finite float32, (2 − 2⁻²³)·2¹²⁷ = 3.4028234663852886e38: every weight, bias and input
 * must fit, and so must every hyper-parameter the core holds as float32. Above it float32 holds
 * a value as Infinity (from 2¹²⁸ − 2¹⁰³ up; between the two it is rounded down to this).
 */
export const FLOAT32_MAX = 3.4028234663852886e38;
/**
 * The least magnitude float32 holds as Infinity, 2¹²⁸ − 2¹⁰³ (halfway from FLOAT32_MAX to 2¹²⁸,
 * which ties round to): |v| < FLOAT32_OVERFLOW exactly when v is finite in float32 (NaN fails it too),
 * one comparison where a check per value (toMatrix) would otherwise store and read back.
 */
export const FLOAT32_OVERFLOW = 2 ** 128 - 2 ** 103;
/**
 * Whether float32 holds `value` as a finite number, the one rule of every check (inputs, outputs,
 * losses, stored tensors, running statistics): |value| < FLOAT32_OVERFLOW, exactly when
 * Math.fround(value) is finite (NaN and ±Infinity are not). A float64 backend ('ref') holds 6e38
 * where float32 (wasm) holds Infinity, and 3.40282356e38 where float32 holds FLOAT32_MAX: values are
 * judged by this, not by Number.isFinite nor by |value| ≤ FLOAT32_MAX, so every backend answers the
 * same rows. toMatrix's row loop inlines the same comparison (data/matrix.ts says why).
 */
export function withinFloat32(value: number): boolean {
  return Math.abs(value) < FLOAT32_OVERFLOW;
}
/**
 * Where a float32 refusal says a value is judged: float32, which the wasm core computes in. The float64
 * 'ref' backend refuses the same values, so that every backend takes the same options (as withinFloat32
 * makes every backend take the same rows), and the words hold on each.
 */
const IN_FLOAT32 = 'in float32, which the wasm core computes in and every backend checks against';
/** FLOAT32_MAX as refusals say it. */
export const FLOAT32_MAX_WORDS = `${float32Text(FLOAT32_MAX)} (float32's largest finite number)`;

/**
 * Why `value`, a positive hyper-parameter named `name` that the core holds as float32 (as value ÷
 * `per`: the depth study's weight decay λ/n), is unusable, or undefined when it is usable (≤ 0
 * included: its own range decides about that): it would be 0 or subnormal there, or Infinity (a
 * learning rate of 1e300 made every step infinite or NaN, an ε of 1e300 every Adam step 0, in
 * silence). The one rule behind Range.float32, checkFloat32 and the CLI's NumberRule.float32; the
 * message names the option and its least or greatest usable value.
 */
export function float32Problem(value: number, name: string, per = 1): string | undefined {
  if (float32Overflows(value, per)) {
    const greatest = per === 1 ? FLOAT32_MAX_WORDS : `${float32Text(FLOAT32_MAX * per, per)} (float32's largest finite number × ${per}, for ${name} ÷ ${per} to be it)`;
    return `${name}: ${value} is Infinity ${IN_FLOAT32}, so the steps it enters would be infinite, NaN or 0; the greatest usable value is ${greatest}`;
  }
  if (!float32Underflows(value, per)) return undefined;
  const held = Math.fround(value / per) === 0 ? '0' : 'subnormal';
  const least = per === 1 ? FLOAT32_MIN_NORMAL_WORDS : `${float32Text(FLOAT32_MIN_NORMAL * per, per)} (2⁻¹²⁶ × ${per}, for ${name} ÷ ${per} to be float32's smallest normal number)`;
  return `${name}: ${value} is ${held} ${IN_FLOAT32}, so it would do nothing or next to nothing; the least usable value is ${least}`;
}

/**
 * Whether `value` > 0, held as float32 (as value ÷ `per`), is 0 or subnormal there: float32Problem's
 * rule, without its message (for checks that run every step). What float32 holds decides:
 * 1.1754943e-38 is held as 2⁻¹²⁶, taken.
 */
export function float32Underflows(value: number, per = 1): boolean {
  return value > 0 && Math.fround(value / per) < FLOAT32_MIN_NORMAL;
}

/**
 * Whether `value` > 0, held as float32 (as value ÷ `per`), is Infinity there: float32Problem's rule
 * of the greatest value, without its message (for checks that run every step). What float32 holds
 * decides: 3.4028235e38 is held as FLOAT32_MAX, taken.
 */
export function float32Overflows(value: number, per = 1): boolean {
  return value > 0 && Math.fround(value / per) === Infinity;
}

/**
 * The largest float32 below `max` (> 0): the most an option below an exclusive bound may be once the
 * core holds it as float32, where 1 − 10⁻⁹ is 1 (a momentum or β of 1 never forgets; Adam's bias
 * correction divides by 1 − β₂ᵗ = 0).
 */
export function largestFloat32Below(max: number): number {
  const held = new Float32Array([max]);
  if (held[0] >= max) new Uint32Array(held.buffer)[0] -= 1; // one ulp towards 0 (max > 0)
  return held[0];
}

/** `value` unless float32Problem refuses it (INVALID_OPTION naming `name` and the least usable value). */
export function checkFloat32(value: number, name: string, per = 1): number {
  const problem = float32Problem(value, name, per);
  if (problem !== undefined) throw invalidOption(problem);
  return value;
}

/** `value` if it is a finite number > 0 (a learning rate, a time limit), named `name`: INVALID_OPTION otherwise. */
export function checkPositive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw invalidOption(`${name}: expected a finite number > 0, got ${shownArgument(value)}`);
  return value;
}

/** `value` if it is a finite number ≥ 0 (a threshold, a noise scale), named `name`: INVALID_OPTION otherwise. */
export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw invalidOption(`${name}: expected a finite number ≥ 0, got ${shownArgument(value)}`);
  return value;
}

/** The bounds checkNumber holds a number to. */
export interface Range {
  /** Smallest allowed value (inclusive unless `above`). */
  min?: number;
  /** Whether min is exclusive (default false). */
  above?: boolean;
  /** Largest allowed value (inclusive unless `below`). */
  max?: number;
  /** Whether max is exclusive (default false). */
  below?: boolean;
  /** Whether only whole numbers are allowed (default false). */
  integer?: boolean;
  /** Whether the core holds it as float32 or it reaches float32 (K-FAC's damping, held as float64, shifts float32 factors), so a positive value below FLOAT32_MIN_NORMAL or one float32 holds as Infinity is refused too (float32Problem), and one that float32 rounds up to an exclusive `max` (largestFloat32Below; default false). */
  float32?: boolean;
}

function describe(range: Range): string {
  const parts: string[] = [];
  // Grouped as every count and size gradscope prints ('≤ 1,000,000', as seeds' 4,294,967,295); 1e-8 stays as written.
  if (range.min !== undefined) parts.push(`${range.above ? '>' : '≥'} ${grouped(range.min)}`);
  if (range.max !== undefined) parts.push(`${range.below ? '<' : '≤'} ${grouped(range.max)}`);
  return `a finite ${range.integer ? 'whole number' : 'number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

/** `value` if it is a finite number within `range`, `fallback` if undefined; else INVALID_OPTION naming `where`. */
export function checkNumber(value: unknown, where: string, range: Range, fallback: number): number {
  if (value === undefined) return fallback;
  const problem = rangeProblem(value, where, range);
  if (problem !== undefined) throw invalidOption(problem);
  return value as number;
}

/** What checkNumber refuses `value` for, naming `where`, or undefined where it takes it. */
export function rangeProblem(value: unknown, where: string, range: Range): string | undefined {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.above ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.below ? value < range.max : value <= range.max));
  if (!ok) return `${where}: expected ${describe(range)}, got ${shown(value)}`;
  if (range.float32 && range.below && range.max !== undefined && range.max > 0 && Math.fround(value as number) >= range.max) {
    return `${where}: ${value} is ${float32Text(Math.fround(value as number))} ${IN_FLOAT32}, so not below ${range.max}; the largest usable value is ${float32Text(largestFloat32Below(range.max))}`;
  }
  return range.float32 ? float32Problem(value as number, where) : undefined;
}

/** `value` if it is true or false, named `name`: INVALID_OPTION otherwise (a truthy string or 1 is not taken for true). */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidOption(`${name}: expected true or false, got ${shownArgument(value)}`);
  return value;
}

/**
 * The greatest value an option takes and why (what a larger one would cost): one per option, read
 * by the library's check of it and by its CLI flag (its rule, its refusal and its --help line).
 */
export interface Bound {
  /** The greatest value allowed (itself allowed); Infinity where nothing bounds it. */
  max: number;
  /** What a larger value would cost, in a few words. */
  why: string;
}

/** Refuses (INVALID_OPTION naming `name`) a `value` above `bound.max`, saying why the bound is there. */
export function checkAtMost(value: number, name: string, bound: Bound): number {
  if (value > bound.max) throw invalidOption(`${name}: at most ${grouped(bound.max)} (${bound.why}), got ${shown(value)}`);
  return value;
}

/**
 * `values` if it is a non-empty list with each entry once (INVALID_OPTION naming `name` otherwise):
 * a study runs each entry of its lists once, so a repeat would run twice or be dropped silently.
 * `what` names the entries in the refusal of an empty list ("optimiser names"); `checkEntry`, if
 * given, checks each entry before repeats are looked for (so [NaN, NaN] is refused as no number).
 * Repeats as Array.prototype.includes finds them: NaN is NaN, 0 is −0, undefined is undefined.
 */
export function checkDistinctList<T>(values: readonly T[], name: string, what: string, checkEntry?: (value: T, index: number) => void): readonly T[] {
  if (!Array.isArray(values) || values.length === 0) throw invalidOption(`${name}: expected a non-empty list of ${what}, got ${shown(values)}`);
  if (checkEntry) values.forEach(checkEntry);
  const repeated = values.findIndex((v, i) => values.slice(0, i).includes(v));
  if (repeated !== -1) throw invalidOption(`${name}: ${shown(values[repeated])} is listed twice (each runs once)`);
  return values;
}

/** `value` if it is one of `allowed`; refused with the nearest of them when it looks mistyped (the CLI's rule: suggest.ts). */
export function checkChoice<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidOption(`${where}: expected ${oneOf(allowed)}, got ${quoted(value)}${didYouMeanValue(value, allowed, shown)}`);
}

export function checkActivation(value: unknown, where: string): OutputActivation {
  return checkChoice(value, OUTPUT_ACTIVATIONS, where);
}

/**
 * The refusal (INVALID_OPTION, naming the backend and the call) of an activation a kernel has no
 * pass for: activationForward takes the output activations, activationBackward the hidden ones
 * (softmax's backward is fused into the loss's). Each backend looks its passes up by name, and a
 * name it lacked threw a raw TypeError ('toString' on ref computed with Object's method).
 */
export function unknownKernelActivation(f: unknown, backend: string, call: 'activationForward' | 'activationBackward'): GradscopeError {
  const known = call === 'activationForward' ? OUTPUT_ACTIVATIONS : ACTIVATIONS;
  return invalidOption(`${backend}: ${call}: f: expected one of ${known.join(', ')}, got ${shown(f)}`);
}

/**
 * The refusal of a loss call the kernels have no pass for, or undefined: a loss not in LOSSES (wasm
 * and ref took any other name as MSE), and MSE's backward through an output activation without a
 * derivative pass (softmax, whose backward is fused with cross-entropy, or a typo: wasm threw a raw
 * TypeError on the missing pass, ref "activationPrime[output] is not a function"). Every backend's
 * loss and lossBackward ask it before anything is written; the forward loss of MSE reads only a.
 */
export function unknownLossPass(loss: unknown, output: unknown, backend: string, call: 'loss' | 'lossBackward'): GradscopeError | undefined {
  if (!(LOSSES as readonly unknown[]).includes(loss)) return invalidOption(`${backend}: ${call}: loss: expected one of ${LOSSES.join(', ')}, got ${shown(loss)}`);
  if (call === 'loss' || loss !== 'mse' || (ACTIVATIONS as readonly unknown[]).includes(output)) return undefined;
  const fused = output === 'softmax' ? ' (softmax goes with cross-entropy, which fuses its backward)' : '';
  return invalidOption(`${backend}: lossBackward: output: mse's gradient goes through the output activation's derivative, which only ${ACTIVATIONS.join(', ')} have here; got ${shown(output)}${fused}`);
}

/**
 * Refuses a `value` that is no options object ('<where>: expected <what>, got …'; `what` defaults to
 * 'an options object'), and a key of it not in `known` (a typo would otherwise be dropped
 * silently), naming it, the nearest known one if close, and the known ones.
 */
export function checkKnownKeys(value: unknown, known: readonly string[], where: string, what = 'an options object'): asserts value is object {
  checkObjectArgument(value, where, what);
  const problem = unknownKey(value, known, 'option');
  if (problem !== undefined) throw invalidOption(`${where}: ${problem}`);
}

/** "unknown <noun> 'key'; did you mean …? (known: …)" for the first key of `value` not in `known`, else undefined. */
export function unknownKey(value: object, known: readonly string[], noun: 'option' | 'field'): string | undefined {
  const key = firstUnknownKey(value, known);
  return key === undefined ? undefined : `unknown ${noun} ${optionName(key)}${didYouMean(key, known, optionName)} (known: ${known.join(', ')})`;
}

/**
 * The first own enumerable key of `value` (Object.keys' order) not in `known`, or undefined. A for-in
 * loop reads V8's cached keys of the object's shape where Object.keys copies them into a new array
 * (and find() took a closure): train() runs this on every call, after kernels that pushed the code out of the caches.
 */
function firstUnknownKey(value: object, known: readonly string[]): string | undefined {
  for (const key in value) if (Object.hasOwn(value, key) && !known.includes(key)) return key;
  return undefined;
}

/** An option's name in quotes, a long one cut (a key is the caller's, of any length). */
function optionName(key: string): string {
  return typedWord(key);
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption(`${who}: expected ${what}, got ${shownArgument(value)}`);
}

/**
 * A callback option (a study's onRow, onRun, onPoint, onProgress, measureCurvature's onProgress,
 * lanczos' onStep), checked before any work: undefined or a plain function, else INVALID_OPTION
 * naming `where`. Unchecked, a number there threw a raw TypeError at its first call, after the work
 * before it (minutes of training) was lost; an async function's promise is dropped by its caller, so
 * a rejection in it went unhandled and ended a Node process; a generator function's call ran none of
 * its body (UNRUN_GENERATOR).
 */
export function checkCallback(value: unknown, where: string): void {
  if (value !== undefined && typeof value !== 'function') throw invalidOption(`${where}: expected a function, got ${shown(value)}`);
  const kind = unrunnableKind(value);
  if (kind === 'async') {
    throw invalidOption(`${where}: an async function; it is called without waiting for the promise it returns (its work would run later, and a rejection would go unhandled): give a plain function`);
  }
  if (kind === 'generator') throw invalidOption(`${where}: ${UNRUN_GENERATOR}: give a plain function`);
}

/** Why a generator function is refused as a callback, in every refusal of one. */
export const UNRUN_GENERATOR = 'a generator function; calling it returns an iterator and runs none of its body, and its caller iterates nothing (its work would never run)';

/**
 * The kind of function a caller that calls `f` synchronously and drops what it returns cannot run
 * as written: 'async' (an async function or async generator: its work would run later, a rejection
 * unhandled), 'generator' (its call runs none of its body), or undefined for any other value.
 * checkCallback and train()'s onBatch/onEpoch refuse both kinds from here.
 */
export function unrunnableKind(f: unknown): 'async' | 'generator' | undefined {
  if (typeof f !== 'function') return undefined;
  const kind = f.constructor?.name;
  if (kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction') return 'async';
  return kind === 'GeneratorFunction' ? 'generator' : undefined;
}

/** Refuses (INVALID_OPTION) anything but bytes (a Uint8Array or an ArrayBuffer), saying what it got: a string is not a path here. */
export function checkBytesArgument(value: unknown, who: string): asserts value is Uint8Array | ArrayBuffer {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return;
  const hint = typeof value === 'string' ? ' (these take the bytes of a file, not a path: read the file first, or use readModelFile in gradscope/node)' : '';
  throw invalidOption(`${who}: expected bytes (a Uint8Array or an ArrayBuffer), got ${shownArgument(value)}${hint}`);
}
