/**
 * How gradscope reads an array a caller hands in (a row, a data block, a tensor, a kernel's source),
 * on every input path: matrices and data sets, the kernels' size checks, model files, checkpoints.
 * A typed array is read through %TypedArray%'s own internal slots, never through properties its
 * instance may shadow (a `length` defined on it) or a Proxy may answer, and what is checked is read
 * once into a copy, so the values used are the values checked.
 */

/** %TypedArray%.prototype.slice: copies any typed array by its own length, whatever a `slice` or `length` its instance was given. */
const typedSlice = Object.getPrototypeOf(Int8Array.prototype).slice as (this: ArrayLike<unknown>, start: number, end: number) => ArrayLike<unknown>;

/** %TypedArray%.prototype[Symbol.toStringTag]'s getter: a typed array's kind by its internal slots, undefined for anything else (a Proxy of a typed array too, which `instanceof` passes). */
const typedTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag)!.get as (this: unknown) => string | undefined;

/** %TypedArray%.prototype.length's getter: a typed array's length by its internal slots (throws for anything else). */
const typedLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), 'length')!.get as (this: unknown) => number;

/**
 * The length of `values` as read once: a real typed array's own (typedLength), whatever `length` its
 * instance was given (Object.defineProperty(a, 'length', …) made a copy by it short or long, in
 * silence); anything else's `length` property; undefined for a non-object.
 */
export function lengthOf(values: ArrayLike<unknown>): number;
export function lengthOf(values: unknown): unknown;
export function lengthOf(values: unknown): unknown {
  if (typeof values !== 'object' || values === null) return undefined;
  return typedTag.call(values) === undefined ? (values as { length?: unknown }).length : typedLength.call(values);
}

/** Whether `values` is a real Float32Array: not a Proxy of one, whose methods throw a TypeError when called on it. */
export const isFloat32Array = (values: unknown): values is Float32Array => typedTag.call(values) === 'Float32Array';

/** A copy of `values` by its own length if it is a real Float32Array (isFloat32Array), else undefined: the one read of a tensor's values. */
export const float32Copy = (values: unknown): Float32Array | undefined => (isFloat32Array(values) ? (typedSlice.call(values, 0, Infinity) as Float32Array) : undefined);

/**
 * The first `length` elements of `values` (a length the caller has checked), each read once, in a
 * copy only the caller holds: checks run on it and it is what is used. So neither a getter or Proxy
 * that answers a second read otherwise, nor a write to the given array while a load awaits its
 * backend, puts a value no check saw into a network or a file. A typed array is copied whole, anything
 * else element by element (a hole reads as undefined, which the checks refuse as not a number).
 */
export function valuesReadOnce(values: ArrayLike<unknown>, length: number): ArrayLike<unknown> {
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) return typedSlice.call(values, 0, length);
  const copy = new Array<unknown>(length);
  for (let i = 0; i < length; i++) copy[i] = values[i];
  return copy;
}
