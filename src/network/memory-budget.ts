/**
 * Up-front memory checks: a network, batch buffer or data set too large for the backend is refused
 * with OUT_OF_MEMORY before its first allocation, so nothing is half-built and nothing traps.
 */
import { mebibytes } from '../byte-text.js';
import { GradscopeError } from '../errors.js';
import type { Kernels } from '../kernels.js';
import { grouped } from '../counted.js';

/**
 * Backends without a hard limit (ref: plain typed arrays) get the same 4 GiB as wasm32: the engine
 * would otherwise try, and a runaway size would take the whole process down instead of throwing.
 */
export const UNBOUNDED_BACKEND_BYTES = 2 ** 32;

/** The allocator rounds every tensor up to 16 bytes. */
const PER_TENSOR_SLACK = 16;

/** Bytes `kernels` can still give tensors (checkFits' budget). */
function bytesLeft(kernels: Kernels): number {
  return kernels.bytesAvailable?.() ?? UNBOUNDED_BACKEND_BYTES;
}

/** Bytes of one element of `kernels`' tensors. */
function elementBytes(kernels: Kernels): number {
  return kernels.precision === 'f64' ? 8 : 4;
}

/** Throws OUT_OF_MEMORY unless `tensors` tensors holding `elements` floats in all fit in `kernels`; `fits`, if given, says what would fit. */
export function checkFits(kernels: Kernels, elements: number, tensors: number, what: string, fits?: string): void {
  const available = bytesLeft(kernels);
  const bytes = elements * elementBytes(kernels) + tensors * PER_TENSOR_SLACK;
  if (bytes > available) {
    throw new GradscopeError(
      'OUT_OF_MEMORY',
      // `what` names it, singular or plural ('a network of sizes …', 'buffers for a batch of …'): the figures follow a colon, as the engine's refusal's do (asOutOfMemory).
      `${what}: ${mebibytes(bytes)} needed, but the ${kernels.name} backend has ${mebibytes(available)} left ` +
        `(4 GiB at most: the end of 32-bit WebAssembly memory)${fits === undefined ? '' : `; ${fits}`}; nothing was allocated`,
    );
  }
  // Beyond 2^53 elements even the count is inexact; no engine allocates that.
  if (!Number.isSafeInteger(elements)) throw new GradscopeError('OUT_OF_MEMORY', `${what}: ${grouped(elements)} values, too many to allocate`);
}

/**
 * Throws OUT_OF_MEMORY unless the buffers of a batch of `rows` rows (`perRow` elements a row, in
 * `tensors` tensors: an engine's ensureCapacity) fit in `kernels`, naming the most rows that do.
 * That is the cap on a batch (TrainOptions.batchSize, a call's rows loaded at once): set by the
 * network's widths and the memory left beside the network and its data, 4 GiB in all on wasm.
 */
export function checkBatchFits(kernels: Kernels, rows: number, perRow: number, tensors: number): void {
  const most = Math.max(0, Math.floor((bytesLeft(kernels) - tensors * PER_TENSOR_SLACK) / (perRow * elementBytes(kernels))));
  checkFits(kernels, rows * perRow, tensors, `buffers for a batch of ${grouped(rows)} rows`, `at most ${grouped(most)} rows fit in a batch of this network now`);
}

/** Weights and biases of a network of these sizes. */
export function parameterCountOf(sizes: readonly number[]): number {
  let count = 0;
  for (let l = 0; l + 1 < sizes.length; l++) count += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return count;
}

/** Elements of the per-row buffers ensureCapacity allocates: input, zs, activations, deltas, backflow, targets. */
export function rowBufferElements(sizes: readonly number[]): number {
  let perRow = sizes[0] + Math.max(...sizes) + sizes[sizes.length - 1];
  for (let l = 1; l < sizes.length; l++) perRow += 3 * sizes[l];
  return perRow;
}

/** V8's (Node, Chrome, Edge) RangeError message when an ArrayBuffer's storage cannot be had. */
const V8_ALLOCATION_FAILED = 'Array buffer allocation failed';
/** SpiderMonkey (Firefox) throws this string itself, not an Error: at out of memory it allocates nothing more. */
const SPIDERMONKEY_OUT_OF_MEMORY = 'out of memory';
/** JavaScriptCore (Safari): 'Out of memory', or 'Out of memory: ' and a detail. */
const JAVASCRIPTCORE_OUT_OF_MEMORY = /^Out of memory(: |$)/;

/**
 * Whether `error` is an engine saying the storage of an ArrayBuffer (so of a typed array: the ref
 * backend's tensors, the initial weights) cannot be had. What each engine throws, read from its
 * source (2026-12-01): V8 a RangeError 'Array buffer allocation failed' (its mjsunit tests assert
 * those words); JavaScriptCore createOutOfMemoryError, a RangeError 'Out of memory' (an Error in
 * releases before WebKit made it one); SpiderMonkey js::ReportOutOfMemory, which throws the string
 * 'out of memory' (the atom out_of_memory_), no Error at all. Anything else is not taken for memory:
 * another RangeError (an invalid length, a digits argument out of range, a call stack overflow) is a
 * bug, and relabelled as memory it would read as the user's problem and never be reported.
 * WebAssembly memory that cannot grow is OUT_OF_MEMORY already (src/wasm/allocator.ts).
 */
export function isAllocationFailure(error: unknown): boolean {
  if (error === SPIDERMONKEY_OUT_OF_MEMORY) return true;
  if (error instanceof RangeError && error.message === V8_ALLOCATION_FAILED) return true;
  return (error instanceof RangeError || (error instanceof Error && error.name === 'Error')) && JAVASCRIPTCORE_OUT_OF_MEMORY.test(error.message);
}

/** An engine's failed allocation (isAllocationFailure) as OUT_OF_MEMORY saying what was being made; anything else as it is. */
export function asOutOfMemory(error: unknown, what: string): unknown {
  if (!isAllocationFailure(error)) return error;
  const words = error instanceof Error ? error.message : String(error);
  return new GradscopeError('OUT_OF_MEMORY', `${what}: the engine could not allocate (${words})`);
}
