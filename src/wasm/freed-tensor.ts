/**
 * What a wasm tensor handle is after free(): its block goes back to the allocator and may be the
 * next tensor's, so a kernel, view or write through the old handle would read or overwrite that
 * tensor's values, and a second free() would give its block away under it. The handle's `ptr`
 * becomes an accessor that throws DISPOSED, so every use (each kernel reads `ptr` first) is refused
 * before the core is called. Live handles are untouched plain objects: V8 moves only the freed one
 * to slow properties, so the kernels' hot path reads `ptr` as before.
 */
import { freedTensor } from '../tensor-owners.js';
import { usedAfterFree } from '../used-after-free.js';

/** Makes every later use of `t` (a tensor of `length` elements on the backend `backend`) throw DISPOSED. */
export function refuseAfterFree(t: { readonly ptr: number; readonly length: number }, backend: string): void {
  freedTensor(t); // so that a second free() gives back nothing (the block may be another tensor's by then)
  const length = t.length;
  Object.defineProperty(t, 'ptr', {
    get(): never {
      throw usedAfterFree(backend, length);
    },
    configurable: false,
    enumerable: true,
  });
}
