/**
 * One contract for a tensor's life on every backend: a handle used after free() is refused
 * (DISPOSED) by a view, a write and a kernel alike, and a second free() gives back nothing (wasm
 * refused since ce95a38; ref's freed arrays stayed usable); a tensor longer than 2^30 elements
 * (MAX_TENSOR_LENGTH, all wasm32 can address as float32) is refused (OUT_OF_MEMORY) with nothing
 * allocated (ref made alloc(2 ** 31) a 16 GiB array in silence, and threw a raw RangeError past it).
 * On every backend of the shared suites and the threaded one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

const threaded = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threaded.close());
const backends = [...(await kernelBackends()), { name: threaded.name, kernels: threaded as Kernels }];
const inUse = (k: Kernels) => (k as { bytesInUse?: number }).bytesInUse;

describe.each(backends.map((b) => [b.name, b.kernels] as const))('%s', (_name, k) => {
  const name = k.name;
  const freedUse = new RegExp(`^${name}: a tensor of 8 elements was used after free\\(\\): its memory may be another tensor's now; allocate a new one with alloc\\(\\)$`);

  it('refuses every use of a freed handle (DISPOSED), and leaves the live tensors as they were', async () => {
    const stale = tensorOf(k, [1, 2, 3, 4, 5, 6, 7, 8]);
    k.free(stale);
    const live = tensorOf(k, [1, 2, 3, 4, 5, 6, 7, 8]);
    const other = tensorOf(k, [9, 9, 9, 9, 9, 9, 9, 9]);
    const uses: [string, () => unknown][] = [
      ['view', () => k.view(stale)],
      ['write', () => k.write(stale, [0])],
      ['writeFinite', () => k.writeFinite(stale, [new Float32Array(8)], 8)],
      ['zero', () => k.zero(stale)],
      ['axpy into it', () => k.axpy(stale, other, 8, 1)],
      ['axpy from it', () => k.axpy(other, stale, 8, 1)],
      ['sumSquares', () => k.sumSquares(stale, 8)],
      ['denseForward', () => k.denseForward(other, stale, live, live, 1, 8, 1)],
    ];
    for (const [what, use] of uses) await expectError(use, 'DISPOSED', freedUse).catch((e: unknown) => Promise.reject(new Error(`${what}: ${String(e)}`)));
    expect(Array.from(k.view(live))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(k.view(other))).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
    const before = inUse(k);
    k.free(stale); // a second free gives back nothing
    expect(inUse(k)).toBe(before);
    k.free(live);
    k.free(other);
  });

  it.each([
    [2 ** 30 + 1, '1,073,741,825'],
    [2 ** 31, '2,147,483,648'],
    [2 ** 33, '8,589,934,592'],
  ])('refuses a tensor of %s elements (OUT_OF_MEMORY), allocating nothing', async (length, said) => {
    const before = inUse(k);
    for (const call of ['alloc', 'allocUninitialized'] as const) {
      const message = new RegExp(`^${name}: ${call}: a tensor of ${said} elements is more than the 1,073,741,824 \\(2\\^30: 4 GiB of float32, all wasm32 addresses\\) a tensor holds on any backend; nothing was allocated$`);
      await expectError(() => k[call](length), 'OUT_OF_MEMORY', message);
    }
    expect(inUse(k)).toBe(before);
  });
});

describe('ref: an array the engine cannot allocate', () => {
  it('is refused as OUT_OF_MEMORY naming the bytes, not a raw RangeError', async () => {
    // The engine's refusal, stood for: a Float64Array that fails above 1,000 elements as V8 fails an allocation.
    const real = globalThis.Float64Array;
    class Refusing extends real {
      constructor(length: number) {
        if (length > 1000) throw new RangeError('Array buffer allocation failed');
        super(length);
      }
    }
    globalThis.Float64Array = Refusing as unknown as Float64ArrayConstructor;
    let k: Kernels;
    try {
      k = createRefKernels();
    } finally {
      globalThis.Float64Array = real;
    }
    expect(k.view(k.alloc(1000))).toHaveLength(1000);
    await expectError(() => k.alloc(1001), 'OUT_OF_MEMORY', /^ref: alloc: the JavaScript engine could not allocate 8,008 bytes for a tensor of 1,001 elements \(RangeError: Array buffer allocation failed\); nothing was allocated$/);
  });
});
