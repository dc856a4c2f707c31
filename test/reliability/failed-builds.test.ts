// A build that fails partway (out of memory at a later layer, a loss the last layer cannot take)
// gives back every byte it had taken: nothing else frees a network that was never returned, and
// wasm memory is not collected. Checked with the allocator's bytes in use before and after.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { createWasmKernels, type WasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

/** Every kind of layer, one nested in a residual block, so a failure can come at any of their allocations. */
const LAYERS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'tanh' }] },
  { type: 'activation', activation: 'tanh' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const OPTIONS = { inputs: 4, layers: LAYERS, loss: 'cross-entropy' } as const;

/** The kernels, with `alloc` replaced (the rest, allOrNothing included, is theirs). */
function withAlloc(kernels: WasmKernels, alloc: (length: number) => ReturnType<WasmKernels['alloc']>): WasmKernels {
  return Object.create(kernels, { alloc: { value: alloc } }) as WasmKernels;
}

describe('a block network whose build fails partway frees what it had made', () => {
  it('out of memory at any one of its allocations: the error, and the bytes in use as before', async () => {
    const kernels = await createWasmKernels();
    let allocations = 0;
    const empty = kernels.bytesInUse;
    const counted = await createNetwork({ ...OPTIONS, backend: withAlloc(kernels, (length) => (allocations++, kernels.alloc(length))) });
    const networkBytes = kernels.bytesInUse - empty;
    counted.dispose();
    expect(allocations).toBeGreaterThan(20);
    const before = kernels.bytesInUse;
    for (let failing = 1; failing <= allocations; failing++) {
      let calls = 0;
      const backend = withAlloc(kernels, (length) => {
        if (++calls === failing) throw new GradscopeError('OUT_OF_MEMORY', 'no room (a test)');
        return kernels.alloc(length);
      });
      await expectError(() => createNetwork({ ...OPTIONS, backend }), 'OUT_OF_MEMORY', /^no room \(a test\)$/);
      expect(kernels.bytesInUse, `failing at allocation ${failing} of ${allocations}`).toBe(before);
    }
    // And the memory is whole: a network built after them takes what the first did, and works.
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    expect(kernels.bytesInUse - before).toBe(networkBytes);
    expect(net.predict([[0.1, 0.2, 0.3, 0.4]])[0].every(Number.isFinite)).toBe(true);
    net.dispose();
  });

  it("the allocator's own OUT_OF_MEMORY at a later layer, past the up-front check", async () => {
    const kernels = await createWasmKernels();
    const start = kernels.bytesInUse;
    const wide = { inputs: 64, layers: [{ type: 'dense', units: 256 }, { type: 'layer-norm' }, { type: 'dense', units: 256 }, { type: 'batch-norm' }, { type: 'dense', units: 8 }] } as const;
    const whole = await createNetwork({ ...wide, backend: kernels });
    const needs = kernels.bytesInUse - start;
    whole.dispose();
    // Room for about half of it above a filler, and an up-front check told there is room for all.
    const filler = kernels.alloc((kernels.bytesAvailable!() - Math.floor(needs / 2)) / 4);
    const before = kernels.bytesInUse;
    const unchecked = Object.create(kernels, { bytesAvailable: { value: () => 2 ** 32 } }) as WasmKernels;
    await expectError(() => createNetwork({ ...wide, backend: unchecked }), 'OUT_OF_MEMORY', /WebAssembly memory is limited to 4 GiB/);
    expect(kernels.bytesInUse).toBe(before);
    kernels.free(filler);
    expect(kernels.bytesInUse).toBe(start);
  });

  it('a loss the last layer cannot take, found once the layers are made', async () => {
    const kernels = await createWasmKernels();
    const before = kernels.bytesInUse;
    const layers: LayerSpec[] = [{ type: 'dense', units: 4 }, { type: 'layer-norm' }];
    await expectError(() => createNetwork({ inputs: 3, layers, loss: 'cross-entropy', backend: kernels }), 'INVALID_OPTION', /^loss 'cross-entropy' needs a 'softmax' output layer/);
    expect(kernels.bytesInUse).toBe(before);
  });

  it('nested builds: an inner one that fails and is caught gives back its own, the outer keeps what it made', async () => {
    const kernels = await createWasmKernels();
    const before = kernels.bytesInUse;
    const kept = kernels.allOrNothing(() => {
      const outer = kernels.alloc(100);
      expect(() =>
        kernels.allOrNothing(() => {
          kernels.alloc(1000);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(kernels.bytesInUse).toBe(before + 400);
      return outer;
    });
    // A tensor a build frees is no longer its own: its memory, taken again by the backend's own
    // scratch (as a kernel that grows it would), is not freed under it when the build then fails.
    const ownScratch = (length: number) => (kernels as unknown as { allocOwn(length: number): WasmTensor }).allocOwn(length);
    let scratch: WasmTensor | undefined;
    expect(() =>
      kernels.allOrNothing(() => {
        kernels.free(kernels.alloc(50));
        scratch = ownScratch(50);
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(kernels.bytesInUse).toBe(before + 400 + 208);
    kernels.free(scratch!);
    kernels.free(kept);
    expect(kernels.bytesInUse).toBe(before);
  });
});
