// Resuming training from a checkpoint, as README's recipe does it: the optimiser takes the
// checkpoint's learning rate (as PyTorch's Optimizer.load_state_dict restores param groups' lr),
// refuses a state saved under other hyperparameters, and a network passed where the optimiser goes
// is named as such. Every refusal leaves the optimiser as it was.
import { describe, expect, it } from 'vitest';
import { checkpointOf, restoreOptimizer } from '../../src/io/checkpoint.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer, OptimizerState } from '../../src/optim/optimizer.js';
import { expectError } from '../util/expect-error.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const config = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 3, backend: 'ref' } as const;

/** An Adam made with `options`, after 5 epochs of XOR, and its state. */
async function trainedAdam(options: Record<string, unknown>): Promise<OptimizerState> {
  const net = await createNetwork(config);
  const adam = createOptimizer(net, { name: 'adam', ...options });
  net.train(x, y, { epochs: 5, batchSize: 2, optimizer: adam });
  return adam.state();
}

const unchanged = (o: Optimizer) => JSON.stringify({ ...o.state(), tensors: o.state().tensors.map((t) => Array.from(t)) });

describe('restoreOptimizer', () => {
  it("takes the checkpoint's learning rate, which train() then uses when given none", async () => {
    const state = await trainedAdam({ learningRate: 0.01 });
    expect(state.scalars.learningRate).toBe(0.01);
    const net = await createNetwork(config);
    const resumed = createOptimizer(net, 'adam');
    expect(resumed.defaultLearningRate).toBe(0.001);
    restoreOptimizer(resumed, state);
    expect(resumed.defaultLearningRate).toBe(0.01);
    // The rate is used: one epoch with the restored optimiser moves the weights as one made with 0.01 does.
    const [a, b] = [await createNetwork(config), await createNetwork(config)];
    const restoredOnA = createOptimizer(a, 'adam');
    restoreOptimizer(restoredOnA, state);
    const madeOnB = createOptimizer(b, { name: 'adam', learningRate: 0.01 });
    madeOnB.restore({ ...state, scalars: { ...state.scalars } });
    a.train(x, y, { epochs: 1, batchSize: 2, optimizer: restoredOnA });
    b.train(x, y, { epochs: 1, batchSize: 2, optimizer: madeOnB });
    expect(a.toJSON()).toEqual(b.toJSON());
    const { learningRate: _, ...withoutRate } = state.scalars;
    const keeps = createOptimizer(net, { name: 'adam', learningRate: 0.02 });
    restoreOptimizer(keeps, { ...state, scalars: withoutRate });
    expect(keeps.defaultLearningRate).toBe(0.02); // a state saved before the rate was recorded keeps the optimiser's
  });

  it('refuses a state saved under other hyperparameters, saying how to create the optimiser that takes it, and changes nothing', async () => {
    const net = await createNetwork(config);
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 2, batchSize: 2, optimizer: adam });
    const before = unchanged(adam);
    await expectError(
      async () => restoreOptimizer(adam, await trainedAdam({ beta2: 0.99 })),
      'INVALID_OPTION',
      /^adam: restore: the state was saved with beta2 0\.99, this optimiser has 0\.999; create it with \{ name: 'adam', beta2: 0\.99 \} to resume that run$/,
    );
    await expectError(
      async () => restoreOptimizer(adam, await trainedAdam({ decayBiases: false })),
      'INVALID_OPTION',
      /^adam: restore: the state was saved with decayBiases false, this optimiser has true; create it with \{ name: 'adam', decayBiases: false \} to resume that run$/,
    );
    await expectError(async () => restoreOptimizer(adam, { ...(await trainedAdam({})), scalars: { learningRate: -1 } }), 'INVALID_OPTION', /^adam: restore: scalars\.learningRate/);
    expect(unchanged(adam)).toBe(before);
    expect(adam.defaultLearningRate).toBe(0.001);
  });

  it("given the network where the optimiser goes, says the optimiser comes first and how to make it, as createOptimizer does", async () => {
    const net = await createNetwork(config);
    const state = await trainedAdam({});
    await expectError(
      () => restoreOptimizer(net as never, state),
      'INVALID_OPTION',
      /^optimizer: expected an Optimizer \(with step, state, restore and dispose\), got one missing step\(\) \(a network: restoreOptimizer takes the optimiser first, made by createOptimizer\(network, spec\), then checkpoint\.optimizer\)$/,
    );
    // Not a network: no hint.
    await expectError(() => restoreOptimizer({} as never, state), 'INVALID_OPTION', /got one missing step\(\)$/);
    // saveModel's optimizer (checkpointOf) given the network names the way too.
    expect(() => checkpointOf(net, net as never)).toThrow(/got one missing step\(\) \(a network: createOptimizer\(network, spec\) makes an optimiser for it\)$/);
  });
});
