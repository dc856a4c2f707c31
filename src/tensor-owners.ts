/**
 * Which kernels object allocated each tensor handle, as the wasm and ref backends record it at
 * alloc (never in a step: the hot path allocates nothing). The checked kernels
 * (src/checked-kernels.ts) take a handle its kernels made, whoever asked for it: a network's own
 * tensors (net.weights, a parameter's grad), allocated unchecked, are as good through net.kernels
 * as one allocated through the checked kernels themselves, and a handle made by hand is refused.
 */
const OWNERS = new WeakMap<object, object>();
/** What a freed tensor maps to: not its kernels, which a disposed network's handles would keep from being collected. */
const FREED = Object.freeze({});
const RECORDING = new WeakSet<object>();

/** Says that `kernels` records the owner of every tensor it hands out (call once, on creating it). */
export function recordsOwners(kernels: object): void {
  RECORDING.add(kernels);
}

/** Whether `kernels` records its tensors' owner (a Kernels object of the user's own does not). */
export function recordingOwners(kernels: object): boolean {
  return RECORDING.has(kernels);
}

/** `tensor`, recorded as made by `kernels`. */
export function madeBy<T extends object>(tensor: T, kernels: object): T {
  OWNERS.set(tensor, kernels);
  return tensor;
}

/** Records `tensor` as freed: its kernels no longer own it (free() calls this). */
export function freedTensor(tensor: object): void {
  OWNERS.set(tensor, FREED);
}

/** Whether `tensor` was freed by kernels that record owners. */
export function isFreedTensor(tensor: unknown): boolean {
  return ownerOf(tensor) === FREED;
}

/** The kernels object that made `tensor`, if it records it (and has not freed it). */
export function ownerOf(tensor: unknown): object | undefined {
  return typeof tensor === 'object' && tensor !== null ? OWNERS.get(tensor) : undefined;
}
