/**
 * The one refusal of a tensor handle used after free(), on every backend (Kernels.free): wasm's
 * freed handle throws it from its `ptr` (src/wasm/freed-tensor.ts), ref's kernels check each
 * tensor they are given (src/ref/freed-tensors.ts).
 */
import { grouped } from './counted.js';
import { GradscopeError } from './errors.js';

/** DISPOSED: a tensor of `length` elements on `backend` was used after free(). */
export function usedAfterFree(backend: string, length: number): GradscopeError {
  return new GradscopeError(
    'DISPOSED',
    `${backend}: a tensor of ${grouped(length)} elements was used after free(): its memory may be another tensor's now; allocate a new one with alloc()`,
  );
}
