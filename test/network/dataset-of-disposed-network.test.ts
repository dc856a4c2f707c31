// A dataset made by net.dataset(x, y) holds no share of its network's backend (createDataset's does): when that
// network, the last on the shared wasm instance, is disposed, the instance is let go with the rows in it, and a
// network made after runs on a new one. Such a dataset is refused saying that (DISPOSED), not as rows in "another
// instance's memory", which named no cause; the network refusing it is unchanged, and the advice works.
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { createNetwork } from '../../src/api/network.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const SIZES = [3, 4, 2];
const x = [Float32Array.of(0.5, -1, 0.25), Float32Array.of(1, 0.5, -0.5), Float32Array.of(-0.25, 0.75, 1)];
const y = [Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 0)];

describe('a dataset of a network disposed since', () => {
  it('is refused saying its backend instance was let go with the last network on it, and nothing changes', async () => {
    const first = await createNetwork({ sizes: SIZES, seed: 1 });
    const orphan = first.dataset(x, y);
    const accuracy = first.evaluate(orphan).accuracy;
    first.dispose();
    const second = await createNetwork({ sizes: SIZES, seed: 1 });
    expect(second.kernels).not.toBe(orphan.kernels); // the shared instance was let go: a new one
    const before = stateHash(second);
    const said = new RegExp(
      `^dataset: its rows live in a ${second.kernels.name} instance let go when the last network or dataset holding it was disposed \\(a dataset made by net\\.dataset\\(x, y\\) holds no share of its network's backend; one made by createDataset holds it until its own dispose\\(\\)\\); make it again with net\\.dataset\\(x, y\\), or createDataset\\(x, y, \\{ backend: net\\.kernels \\}\\)$`,
    );
    for (const call of [() => second.train(orphan, { epochs: 1 }), () => second.evaluate(orphan), () => second.predict(orphan), () => second.gradients(orphan)]) {
      await expectError(call, 'DISPOSED', said);
    }
    expect(stateHash(second)).toBe(before);
    // The advice, followed, works; the orphan still disposes quietly.
    const [remade, held] = [second.dataset(x, y), await createDataset(x, y, { backend: second.kernels })];
    expect(second.evaluate(remade).accuracy).toBe(accuracy);
    expect(second.evaluate(held).accuracy).toBe(accuracy);
    orphan.dispose();
    for (const done of [remade, held, second]) done.dispose();
  });

  it('is refused so where the last holder of the instance was a dataset', async () => {
    const maker = await createNetwork({ sizes: SIZES, seed: 1 });
    const [orphan, held] = [maker.dataset(x, y), await createDataset(x, y)];
    maker.dispose();
    held.dispose(); // the last holder of the shared instance
    const next = await createNetwork({ sizes: SIZES, seed: 1 });
    await expectError(() => next.evaluate(orphan), 'DISPOSED', /^dataset: its rows live in a \S+ instance let go when the last network or dataset holding it was disposed /);
    orphan.dispose();
    next.dispose();
  });

  it('is taken while another network keeps the instance, and another live instance is still said to be one', async () => {
    const [maker, keeper] = [await createNetwork({ sizes: SIZES, seed: 1 }), await createNetwork({ sizes: SIZES, seed: 2 })];
    const set = maker.dataset(x, y);
    maker.dispose();
    expect(keeper.evaluate(set).accuracy).toBeGreaterThanOrEqual(0);
    const own = await createNetwork({ sizes: SIZES, seed: 1, backend: await createWasmKernels() });
    await expectError(() => own.evaluate(set), 'INVALID_OPTION', /^dataset: its rows live in another \S+ instance's memory than the network's/);
    for (const done of [set, keeper, own]) done.dispose();
  });
});
