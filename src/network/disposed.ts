/** What an engine holds after dispose(): any use throws DISPOSED and never touches the freed memory. */
import { GradscopeError } from '../errors.js';
import type { Kernels } from '../kernels.js';

/** What a disposed engine holds instead of its kernels: any use throws DISPOSED, never touches memory. */
export const DISPOSED_KERNELS = new Proxy({} as Kernels, {
  get() {
    throw disposedError();
  },
});

export function disposedError(): GradscopeError {
  return new GradscopeError('DISPOSED', 'this network was disposed; create or load a new one');
}
