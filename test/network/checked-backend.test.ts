// A network given the kernels the package exports (every call checked, src/checked-kernels.ts) as its
// backend, as docs/browser.md suggests with createWasmKernels({ binary: 'fastest' }), runs the
// unchecked kernels they wrap: its sizes were checked once in its config, so its steps do not pay
// the check (tens to hundreds of ns) on every kernel call. It trains bit for bit as on the unchecked
// kernels, and a dataset made on the same exported kernels is in its memory. What a network hands
// its user, net.kernels (and a dataset's kernels), checks every call: a short tensor through it
// wrote past its end over the network's other tensors.
import { describe, expect, it, vi } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { resolveNetwork } from '../../src/network/config.js';
import { modelOf } from '../../src/io/model-data.js';
import { Rng } from '../../src/init/rng.js';
import * as entry from '../../src/index.js';
import type { Kernels } from '../../src/kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const SIZES = [6, 5, 3];
const rng = new Rng(4);
const x = Array.from({ length: 24 }, () => Float32Array.from({ length: SIZES[0] }, () => rng.normal()));
const y = Array.from({ length: 24 }, (_, r) => Float32Array.from({ length: SIZES[2] }, (_, j) => (j === r % SIZES[2] ? 1 : 0)));
const net = (backend: Kernels) => createNetwork({ sizes: SIZES, activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 9, backend });
const options = { epochs: 3, batchSize: 8, learningRate: 0.2 };

/** Spies on every checked kernel of `kernels` (its own data members: the other members are accessors to the backend's own). */
function spyOnEveryKernel(kernels: Kernels) {
  const names = Object.keys(kernels).filter((key) => typeof Object.getOwnPropertyDescriptor(kernels, key)?.value === 'function');
  return names.map((name) => ({ name, spy: vi.spyOn(kernels as unknown as Record<string, () => unknown>, name) }));
}

describe('a network on the exported (checked) kernels', () => {
  it('runs the unchecked kernels they wrap, and trains bit for bit as on them', async () => {
    const exported = await entry.createWasmKernels();
    const spies = spyOnEveryKernel(exported);
    expect(spies.length).toBeGreaterThan(50);
    const [checkedNet, plainNet] = [await net(exported), await net(await createWasmKernels())];
    checkedNet.train(x, y, options);
    plainNet.train(x, y, options);
    expect(spies.filter(({ spy }) => spy.mock.calls.length > 0).map(({ name }) => name)).toEqual([]);
    expect(stateHash(checkedNet)).toBe(stateHash(plainNet));
    // The user's exported object is what the network hands back, and it owns the network's tensors.
    expect(checkedNet.kernels).toBe(exported);
    expect(exported.view(checkedNet.weights[0] as never).length).toBe(SIZES[0] * SIZES[1]);
    checkedNet.dispose();
    plainNet.dispose();
  });

  // It passed before the network unwrapped its backend too (network and dataset then shared the
  // checked object). What it guards now is train's check that a dataset is in the network's memory
  // (residentOf): it must compare the kernels the dataset's checked kernels wrap with the network's;
  // comparing dataset.kernels itself refuses the dataset as another instance's memory (checked: it fails so).
  it('takes a dataset made on the same exported kernels as in its memory', async () => {
    const exported = await entry.createWasmKernels();
    const checkedNet = await net(exported);
    const set = await createDataset(x, y, { backend: exported });
    expect(() => checkedNet.train(set, options)).not.toThrow();
    set.dispose();
    checkedNet.dispose();
  });
});

describe('net.kernels, the kernels a network hands its user', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    it(`checks every call: a tensor too short is SHAPE_MISMATCH and nothing changes; the network's own tensors pass (${backend})`, async () => {
      const network = await createNetwork({ sizes: SIZES, activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 9, backend });
      const k = network.kernels;
      const z = k.alloc(2);
      const a = k.alloc(8);
      const before = stateHash(network);
      const zBefore = Array.from(k.view(z));
      // batch 100 on z of 2 wrote 100·5 floats past z, over whatever the network had allocated after it.
      await expectError(() => k.denseForward(z, a, network.weights[0], network.biases[0], 100, 6, 5), 'SHAPE_MISMATCH', /denseForward: z: holds 2 elements, fewer than the batch·nOut = 100·5 = 500 it needs; nothing was run/);
      expect(stateHash(network)).toBe(before);
      expect(Array.from(k.view(z))).toEqual(zBefore);
      // The tensors the network allocated (unchecked) are this backend's: they pass.
      expect(k.view(network.weights[0]).length).toBe(30);
      expect(k.sumSquares(network.parameters()[0].grad, 30)).toBe(0);
      await expectError(() => k.view({ ptr: 8, length: 4 } as never), 'INVALID_OPTION', /view: t: expected a tensor this .* kernels object allocated/);
      k.free(z);
      k.free(a);
      network.dispose();
    });
  }

  it('is one checked object per backend, which a dataset hands out too; training runs none of its calls', async () => {
    const network = await net(await createWasmKernels());
    const set = network.dataset(x, y);
    expect(set.kernels).toBe(network.kernels);
    const spies = spyOnEveryKernel(network.kernels);
    network.train(set, options);
    expect(spies.filter(({ spy }) => spy.mock.calls.length > 0).map(({ name }) => name)).toEqual([]);
    await expectError(() => set.kernels.zero(set.kernels.alloc(1), 5), 'SHAPE_MISMATCH', /zero: t: holds 1 elements, fewer than the n = 5 it needs/);
    set.dispose();
    network.dispose();
  });
});

describe('a network built by hand on the exported kernels (new Network), which runs them checked', () => {
  it('trains on a dataset of its own (its kernels and the dataset\'s are compared unwrapped)', async () => {
    const exported = await entry.createWasmKernels();
    const handMade = new Network(exported, resolveNetwork({ sizes: SIZES, activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 9 }).config);
    const set = handMade.dataset(x, y);
    expect(() => handMade.train(set, options)).not.toThrow();
    set.dispose();
    handMade.dispose();
  });
});

describe("the library's own reads of a network", () => {
  it('modelOf reads the weights through the unchecked kernels, as the network does', async () => {
    const network = await net(await createWasmKernels());
    const spies = spyOnEveryKernel(network.kernels);
    const model = modelOf(network);
    expect(spies.filter(({ spy }) => spy.mock.calls.length > 0).map(({ name }) => name)).toEqual([]);
    expect(Array.from(model.weights[0])).toEqual(Array.from(network.kernels.view(network.weights[0])));
    network.dispose();
  });
});

describe('a freed tensor through the checked kernels', () => {
  it('is DISPOSED whatever its sizes, on wasm and ref (disposal is said first)', async () => {
    for (const k of [await entry.createWasmKernels(), entry.createRefKernels()] as Kernels[]) {
      const z = k.alloc(2);
      k.free(z);
      // zero(z, 1000) asks 1,000 elements of 2: the freed handle is what is wrong first.
      await expectError(() => k.zero(z, 1000), 'DISPOSED', /a tensor of 2 elements was used after free\(\)/);
      await expectError(() => k.zero(z, 2), 'DISPOSED', /a tensor of 2 elements was used after free\(\)/);
    }
  });
});
