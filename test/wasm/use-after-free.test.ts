/**
 * A freed wasm tensor handle is refused (DISPOSED) wherever it is used again: its block goes back
 * to the allocator and is the next tensor's, so a view, write or kernel through the old handle read
 * and overwrote that tensor, and a second free() gave its block away under it (the next alloc then
 * shared it). On every wasm backend, the threaded one included.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const threaded = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threaded.close());
const backends: WasmKernels[] = [await createWasmKernels({ variant: 'simd' }), await createWasmKernels({ variant: 'scalar', binary: 'scalar' }), threaded];

describe.each(backends.map((k) => [k.name, k] as const))('%s', (_name, k) => {
  const freedUse = /^wasm-[\w-]+: a tensor of 8 elements was used after free\(\): its memory may be another tensor's now; allocate a new one with alloc\(\)$/;

  it('refuses every use of a freed handle, and the tensor now in its block keeps its values', async () => {
    const stale = k.alloc(8) as WasmTensor;
    const block = stale.ptr;
    k.free(stale);
    const live = k.alloc(8) as WasmTensor;
    expect(live.ptr).toBe(block); // the freed handle's block is the new tensor's
    k.write(live, [1, 2, 3, 4, 5, 6, 7, 8]);
    const other = k.alloc(8);
    k.write(other, [9, 9, 9, 9, 9, 9, 9, 9]);
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
    k.free(live);
    k.free(other);
  });

  it("a second free() gives back nothing: the block stays the new tensor's", () => {
    const stale = k.alloc(8) as WasmTensor;
    const block = stale.ptr;
    k.free(stale);
    const live = k.alloc(8) as WasmTensor;
    expect(live.ptr).toBe(block);
    const inUse = k.bytesInUse;
    k.free(stale);
    expect(k.bytesInUse).toBe(inUse);
    const next = k.alloc(8); // had the second free released live's block, next would share it
    expect((next as WasmTensor).ptr).not.toBe(live.ptr);
    k.free(next);
    k.free(live);
  });
});
