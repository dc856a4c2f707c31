/**
 * The one check of a tensor's length that every backend's alloc and allocUninitialized run: the
 * wasm allocator took −1 or 1.5 as a tensor of that length (a view of it then threw a raw
 * RangeError, or was cut short) and NaN as a request to grow by NaN pages; ref's typed arrays threw
 * RangeError on −1 and made NaN or '8' an empty or 8-element tensor in silence. Allocation is off
 * the kernels' hot path (a training call allocates its buffers once).
 */
import { invalidOption, shown } from './errors.js';

/** `length` if it is a whole number of elements ≥ 0; INVALID_OPTION naming the backend and the call otherwise. */
export function checkTensorLength(length: unknown, backend: string, call: 'alloc' | 'allocUninitialized'): number {
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw invalidOption(`${backend}: ${call}: expected a whole number of elements ≥ 0, got ${shown(length)}`);
  }
  return length;
}
