// train() is synchronous, so a second train() of the same network can only come from inside the first:
// its onBatch or onEpoch, or a getter of what it was given; it is refused with INVALID_OPTION before it changes anything, and the running
// call goes on as if it had not been made (the same weights, bit for bit, as a run without it).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];
const ALREADY = /^train: this network is already training: this call was made while its running train\(\) call was under way \(from that call's onBatch or onEpoch, or from a getter of the options or rows it was given\), and was refused before it changed anything;/;

describe.each(await kernelBackends())('train() inside train() on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
  /** Trains 3 epochs of Adam at batch 2, calling `inside` from the callback `where`; the state hash at the end. */
  async function run(where: 'onBatch' | 'onEpoch', inside?: (net: Network, adam: Optimizer) => void): Promise<string> {
    const net = await make();
    const adam = createOptimizer(net, { name: 'adam', learningRate: 0.05 });
    const options: TrainOptions = { epochs: 3, batchSize: 2, optimizer: adam, [where]: () => inside?.(net, adam) };
    net.train(X, Y, options);
    const hash = stateHash(net, adam);
    net.dispose();
    return hash;
  }

  it.each(['onBatch', 'onEpoch'] as const)('from %s: refused, nothing changed, the running call as without it', async (where) => {
    const plain = await run(where);
    const refusals: unknown[] = [];
    const nested = await run(where, (net, adam) => {
      const before = stateHash(net, adam);
      // Rows, a dataset, the same optimiser or a fresh one: each refused.
      const data = net.dataset(X, Y);
      for (const call of [() => net.train(X, Y, { optimizer: adam }), () => net.train(data, { epochs: 2 }), () => net.train(X, Y, { optimizer: 'sgd', trace: { every: 1 } })]) {
        try {
          call();
          refusals.push('trained');
        } catch (error) {
          refusals.push(error);
        }
      }
      data.dispose();
      expect(stateHash(net, adam)).toBe(before);
    });
    expect(refusals).toHaveLength(where === 'onBatch' ? 3 * 9 : 3 * 3);
    for (const refusal of refusals) await expectError(() => { throw refusal; }, 'INVALID_OPTION', ALREADY);
    expect(nested).toBe(plain);
  });

  it('from a getter of the options the running call reads: refused in the same words, which name getters too, nothing changed', async () => {
    // What the running call does without the nested one: a plain one-epoch train() of a fresh network.
    const fresh = await make();
    fresh.train(X, Y, { epochs: 1 });
    const plain = stateHash(fresh);
    fresh.dispose();
    const net = await make();
    let refusal: unknown;
    const options = {
      get epochs() {
        try {
          net.train(X, Y, { epochs: 1 });
        } catch (error) {
          refusal = error;
        }
        return 1;
      },
    };
    net.train(X, Y, options);
    await expectError(() => { throw refusal; }, 'INVALID_OPTION', ALREADY);
    expect(stateHash(net)).toBe(plain);
    net.dispose();
  });

  it.each(['onBatch', 'onEpoch'] as const)('net.step set from %s: refused, nothing changed, the trace\'s steps its own', async (where) => {
    const plain = await run(where);
    const refusals: unknown[] = [];
    const nested = await run(where, (net, adam) => {
      const before = stateHash(net, adam);
      try {
        net.step = 0;
        refusals.push('set');
      } catch (error) {
        refusals.push(error);
      }
      expect(stateHash(net, adam)).toBe(before);
    });
    expect(refusals).toHaveLength(where === 'onBatch' ? 3 * 3 : 3);
    for (const refusal of refusals) await expectError(() => { throw refusal; }, 'INVALID_OPTION', /^step: set while train\(\) runs \(from its onBatch or onEpoch, or from a getter of the options or rows it was given\), and refused before it changed anything/);
    expect(nested).toBe(plain);
    const net = await make();
    const { trace } = net.train(X, Y, { epochs: 2, batchSize: 2, trace: { every: 1 }, [where]: () => { try { net.step = 0; } catch { /* refused, as above */ } } });
    expect(Array.from(trace.steps)).toEqual([1, 2, 3, 4, 5, 6]);
    net.step = 0; // after the call: taken
    expect(net.step).toBe(0);
    net.dispose();
  });

  it('trains again once the running call has returned, or has thrown', async () => {
    const net = await make();
    expect(() => net.train(X, Y, { batchSize: 2, onBatch: () => { throw new Error('stop'); } })).toThrow('stop');
    expect(net.train(X, Y, { epochs: 2, batchSize: 2 }).epochs).toHaveLength(2);
    expect(net.train(X, Y, { epochs: 1 }).epochs).toHaveLength(1);
    net.dispose();
  });

  it('another network trains from inside a callback', async () => {
    const [a, b] = [await make(), await make()];
    let trained = 0;
    a.train(X, Y, { epochs: 2, batchSize: 3, onEpoch: () => { trained += b.train(X, Y, { batchSize: 3 }).epochs.length; } });
    expect(trained).toBe(2);
    a.dispose();
    b.dispose();
  });
});
