// A network given the kernels the package exports (every call checked, src/checked-kernels.ts) as its
// backend, as docs/browser.md suggests with createWasmKernels({ binary: 'fastest' }), runs the
// unchecked kernels they wrap: its sizes were checked once in its config, so its steps do not pay
// the check (tens to hundreds of ns) on every kernel call. It trains bit for bit as on the unchecked
// kernels, and a dataset made on the same exported kernels is in its memory.
import { describe, expect, it, vi } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import * as entry from '../../src/index.js';
import type { Kernels } from '../../src/kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
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
    checkedNet.dispose();
    plainNet.dispose();
  });

  it('takes a dataset made on the same exported kernels as in its memory', async () => {
    const exported = await entry.createWasmKernels();
    const checkedNet = await net(exported);
    const set = await createDataset(x, y, { backend: exported });
    expect(() => checkedNet.train(set, options)).not.toThrow();
    set.dispose();
    checkedNet.dispose();
  });
});
