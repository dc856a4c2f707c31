// Tensors at byte addresses of 2³¹ and above (wasm32 memory reaches 4 GiB): the glue between
// TypeScript and the core must treat a pointer as unsigned. A signed shift (`ptr >> 2`) turned the
// address into a negative float index, and the first write above 2 GiB threw a bare RangeError
// ("offset is out of bounds") from a user's train(). The memory below is one block the allocator
// never touches (fresh pages are zero, so it skips zeroing them): the process commits little of it.
import { describe, expect, it } from 'vitest';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createWasmKernels, type WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { expectClose } from '../util/close.js';

const TWO_GIB = 2 ** 31;
const [batch, nIn, nOut] = [6, 5, 3];

async function aboveTwoGib(kernels: WasmKernels): Promise<void> {
  const filler = kernels.alloc(TWO_GIB / 4); // the next tensors start past 2³¹ bytes
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * scale + 1));
  const [a, w, b] = [values(batch * nIn, 0.7), values(nOut * nIn, 1.3), values(nOut, 2.1)];
  const [za, aa, wa, ba] = [kernels.alloc(batch * nOut), kernels.alloc(a.length), kernels.alloc(w.length), kernels.alloc(b.length)];
  expect(za.ptr).toBeGreaterThanOrEqual(TWO_GIB);
  kernels.write(aa, a);
  kernels.write(wa, w);
  kernels.write(ba, b);
  expect(Array.from(kernels.view(aa))).toEqual(Array.from(a));
  kernels.denseForward(za, aa, wa, ba, batch, nIn, nOut);

  const ref = createRefKernels({ precision: 'f64' });
  const [zr, ar, wr, br] = [ref.alloc(batch * nOut), ref.alloc(a.length), ref.alloc(w.length), ref.alloc(b.length)];
  ref.write(ar, a);
  ref.write(wr, w);
  ref.write(br, b);
  ref.denseForward(zr, ar, wr, br, batch, nIn, nOut);
  expectClose(kernels.view(za), ref.view(zr), { rel: 1e-6, abs: 1e-6 }, `${kernels.name}: z above 2 GiB`);

  // A gathered mini-batch: the row numbers are written to a block above 2 GiB too (it grows with the count).
  const rows = [5, 0, 3, 3, 1, 4];
  const gathered = kernels.alloc(rows.length * nIn);
  kernels.copyRows(gathered, aa, rows, 0, rows.length, nIn);
  expect(Array.from(kernels.view(gathered))).toEqual(rows.flatMap((r) => Array.from(a.subarray(r * nIn, (r + 1) * nIn))));
  for (const t of [za, aa, wa, ba, gathered, filler]) kernels.free(t);
}

describe('the wasm backends above 2 GiB of linear memory', () => {
  it('write, view, a dense forward and a row gather agree with the oracle at addresses ≥ 2³¹', async () => {
    await aboveTwoGib(await createWasmKernels({ variant: 'simd' }));
    await aboveTwoGib(await createWasmKernels({ variant: 'scalar', binary: 'scalar' }));
    const threaded = await createThreadedWasmKernels({ threads: 2 });
    try {
      await aboveTwoGib(threaded);
    } finally {
      await threaded.close();
    }
  });
});
