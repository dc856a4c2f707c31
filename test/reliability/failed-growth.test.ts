// A buffer that grows is allocated anew before the old one is freed: when the new one cannot be
// had (out of memory), the owner keeps its old buffer, instead of a handle to freed memory that the
// next tensor allocated would share (silently overwriting each other). Checked with the allocator's
// bytes in use, which a freed old buffer would lower.
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { RowTensor } from '../../src/layers/tensors.js';
import { createWasmKernels, type WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

describe('a growth that fails keeps the old buffer', () => {
  it('RowTensor.reserve: the old tensor, its rows and its values stay; a later growth works', async () => {
    const kernels = await createWasmKernels();
    let refuse = false;
    const k = Object.create(kernels, {
      alloc: { value: (length: number) => (refuse ? (() => { throw new GradscopeError('OUT_OF_MEMORY', 'no room (a test)'); })() : kernels.alloc(length)) },
    }) as WasmKernels;
    const rows = new RowTensor(k, 3, 2);
    kernels.write(rows.tensor, [1, 2, 3, 4, 5, 6]);
    const held = rows.tensor;
    const inUse = kernels.bytesInUse;
    refuse = true;
    await expectError(() => rows.reserve(10), 'OUT_OF_MEMORY', /^no room \(a test\)$/);
    expect(rows.tensor).toBe(held);
    expect(kernels.bytesInUse).toBe(inUse);
    // A tensor allocated now does not share the old buffer's memory.
    refuse = false;
    const other = kernels.alloc(6);
    kernels.write(other, [9, 9, 9, 9, 9, 9]);
    expect(Array.from(kernels.view(rows.tensor))).toEqual([1, 2, 3, 4, 5, 6]);
    rows.reserve(10);
    expect(rows.tensor.length).toBe(30);
    // 30 floats (128 bytes, rounded to 16) in place of 6 (32), beside `other` (32).
    expect(kernels.bytesInUse).toBe(inUse - 32 + 128 + 32);
    kernels.free(other);
    rows.dispose();
  });

  it("the wasm backend's scratch: a dense product whose larger scratch cannot be had keeps the old one", async () => {
    const kernels = await createWasmKernels();
    const [small, large] = [
      { batch: 1, nIn: 4, nOut: 4 },
      { batch: 64, nIn: 256, nOut: 256 },
    ];
    expect(kernels.exports.dense_scratch_bytes(large.batch, large.nIn, large.nOut)).toBeGreaterThan(kernels.exports.dense_scratch_bytes(small.batch, small.nIn, small.nOut));
    const tensors = ({ batch, nIn, nOut }: typeof small) => ({ z: kernels.alloc(batch * nOut), x: kernels.alloc(batch * nIn), w: kernels.alloc(nOut * nIn), b: kernels.alloc(nOut) });
    const [s, l] = [tensors(small), tensors(large)];
    kernels.denseForward(s.z, s.x, s.w, s.b, small.batch, small.nIn, small.nOut);
    // No room above the top for the larger scratch.
    const filler = kernels.alloc((kernels.bytesAvailable!() - 4096) / 4);
    const inUse = kernels.bytesInUse;
    await expectError(() => kernels.denseForward(l.z, l.x, l.w, l.b, large.batch, large.nIn, large.nOut), 'OUT_OF_MEMORY', /WebAssembly memory is limited to 4 GiB/);
    expect(kernels.bytesInUse).toBe(inUse);
    kernels.free(filler);
    // The old scratch still serves the small product, and the large one grows it now that there is room.
    kernels.write(s.x, [1, 2, 3, 4]);
    kernels.write(s.w, Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)));
    kernels.denseForward(s.z, s.x, s.w, s.b, small.batch, small.nIn, small.nOut);
    expect(Array.from(kernels.view(s.z))).toEqual([1, 2, 3, 4]);
    kernels.denseForward(l.z, l.x, l.w, l.b, large.batch, large.nIn, large.nOut);
  });
});
