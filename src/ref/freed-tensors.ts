/**
 * ref's tensors are typed arrays of their own, so a freed one is no other tensor's memory; but the
 * contract is one (Kernels.free): a handle is not used after free(), and wasm refuses every later
 * use, so ref refuses it too, and code tried on ref is not first refused on wasm. A typed array's
 * elements cannot be made to throw as wasm's `ptr` does: each kernel checks the tensors it is given.
 */
import type { Kernels } from '../kernels.js';
import type { RefTensor } from './ref-kernels.js';
import { freedTensor, isFreedTensor, madeBy, recordsOwners } from '../tensor-owners.js';
import { usedAfterFree } from '../used-after-free.js';

/**
 * `kernels` with a free() that records the tensor, and every other member refusing (DISPOSED) a
 * recorded one among its arguments before it runs; a second free() does nothing, as on wasm. The
 * members `kernels` calls on itself run unchecked: their caller's arguments were checked.
 */
export function refusingFreedTensors(kernels: Omit<Kernels<RefTensor>, 'free'>): Kernels<RefTensor> {
  const guarded: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(kernels)) {
    if (typeof member !== 'function') {
      guarded[key] = member;
      continue;
    }
    guarded[key] = (...args: unknown[]) => {
      for (const arg of args) if (isFreedTensor(arg)) throw usedAfterFree(kernels.name, (arg as RefTensor).length);
      return (member as (...a: unknown[]) => unknown).apply(kernels, args);
    };
  }
  guarded.free = (t: RefTensor) => freedTensor(t);
  // What alloc hands out is recorded as the guarded kernels' (src/tensor-owners.ts): the object callers hold.
  for (const allocating of ['alloc', 'allocUninitialized'] as const) guarded[allocating] = (length: number) => madeBy(kernels[allocating](length), guarded);
  recordsOwners(guarded);
  return guarded as unknown as Kernels<RefTensor>;
}
