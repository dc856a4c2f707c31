/**
 * A freed wasm tensor's block goes back to the allocator and is the next tensor's, so a second
 * free() through the old handle gave that block away under it (the next alloc then shared it). On
 * every wasm backend, the threaded one included. Every other use of a freed handle is refused on
 * every backend: test/kernels/freed-and-oversized.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';

const threaded = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threaded.close());
const backends: WasmKernels[] = [await createWasmKernels({ variant: 'simd' }), await createWasmKernels({ variant: 'scalar', binary: 'scalar' }), threaded];

describe.each(backends.map((k) => [k.name, k] as const))('%s', (_name, k) => {
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
