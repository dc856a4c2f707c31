// A refused train() changes nothing (issue 12.3): another network's optimiser, a DIVERGED first
// epoch under every onNonFinite policy, a setting the optimiser would not apply (clipNorm, learningRate,
// 'halve', gradientNoise), whose optimiser made by train() is disposed of. After
// each refusal the weights, the optimiser's state, the step count and the RNG hash as before, and
// training on gives exactly what an untouched copy gives.
import { describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { createOptimizer, findOptimizer } from '../../src/optim/index.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0]];
const Y = X.map((row) => [row[0] + 0.5 * row[1], row[2] - row[0]]);
/** Every row overflows float32 in the first layer: every batch's loss is non-finite. */
const OVERFLOWING = X.map(() => [3e38, 3e38, 3e38]);
const OPTIONS = { sizes: [3, 5, 2], activation: 'linear', output: 'linear', loss: 'mse', seed: 7 } as const;

describe.each(await kernelBackends())('refused train() on $name', ({ kernels }) => {
  const pair = async (): Promise<[Network, Network]> => [
    await createNetwork({ ...OPTIONS, backend: kernels }),
    await createNetwork({ ...OPTIONS, backend: kernels }),
  ];

  it.each(['sgd', 'adam', 'lars', 'lbfgs', 'levenberg-marquardt', 'hessian-free', 'kfac'])(
    "with another network's %s: INVALID_OPTION before anything changes, on both networks",
    async (name) => {
      const [net, other] = await pair();
      other.train(X, Y, { epochs: 1, batchSize: 3, optimizer: name }); // other's RNG and weights move on
      const optimizer = createOptimizer(other, name);
      other.train(X, Y, { epochs: 1, batchSize: 3, optimizer });
      const before = [stateHash(net), stateHash(other, optimizer)];
      await expectError(() => net.train(X, Y, { epochs: 2, batchSize: 3, optimizer }), 'INVALID_OPTION', /created for another network/);
      expect([stateHash(net), stateHash(other, optimizer)]).toEqual(before);
      net.dispose();
      other.dispose();
    },
  );

  const diverging: [string, TrainOptions, RegExp][] = [
    ["'throw' at the first step", { onNonFinite: 'throw' }, /epoch 1, batch 1 \(step 1\).*not applied/],
    ["'skip' of every batch", { onNonFinite: 'skip' }, /every batch had a non-finite or runaway loss/],
    ["'halve' at a first batch that faults before any step (nothing halved)", { onNonFinite: 'halve', maxHalvings: 2 }, /halving the learning rate cannot help/],
  ];

  it.runIf(kernels.precision === 'f32').each(diverging)('DIVERGED with %s leaves everything as it was', async (_name, options, message) => {
    const [net, untouched] = await pair();
    const optimizer = createOptimizer(net, 'adam');
    const before = stateHash(net, optimizer);
    await expectError(() => net.train(OVERFLOWING, Y, { ...options, epochs: 2, batchSize: 2, optimizer }), 'DIVERGED', message);
    expect(stateHash(net, optimizer)).toBe(before);
    // Later training is that of a network the refusal never touched.
    const reference = createOptimizer(untouched, 'adam');
    net.train(X, Y, { epochs: 2, batchSize: 2, optimizer });
    untouched.train(X, Y, { epochs: 2, batchSize: 2, optimizer: reference });
    expect(stateHash(net, optimizer)).toBe(stateHash(untouched, reference));
    net.dispose();
    untouched.dispose();
  });
});

describe('settings the optimiser would not apply', () => {
  const refused: [string, TrainOptions, RegExp][] = [
    ['clipNorm beside lbfgs', { optimizer: 'lbfgs', clipNorm: 1 }, /^clipNorm: 'lbfgs' evaluates its own gradients/],
    ['learningRate beside levenberg-marquardt', { optimizer: 'levenberg-marquardt', learningRate: 0.1 }, /^learningRate: 'levenberg-marquardt' chooses its own steps/],
    ["onNonFinite 'halve' beside hessian-free", { optimizer: 'hessian-free', onNonFinite: 'halve' }, /^onNonFinite: 'halve' halves the learning rate, which 'hessian-free' does not take/],
    ['gradientNoise beside kfac', { optimizer: 'kfac', gradientNoise: { eta: 0.1 } }, /^gradientNoise: 'kfac' is not a first-order optimiser/],
    ['gradientNoise beside lbfgs', { optimizer: { name: 'lbfgs' }, gradientNoise: { eta: 0.1 } }, /^gradientNoise: 'lbfgs' is not a first-order optimiser/],
  ];

  it.each(refused)('%s: refused before anything changes, and the optimiser train() made for it is disposed of', async (_name, options, message) => {
    const kernels = await createWasmKernels();
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    const before = stateHash(net);
    const inUse = kernels.bytesInUse;
    const name = typeof options.optimizer === 'string' ? options.optimizer : (options.optimizer as { name: string }).name;
    const made = vi.spyOn(findOptimizer(name), 'create');
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', message);
    expect(made).toHaveBeenCalledTimes(1);
    expect(made.mock.results[0].value.isDisposed).toBe(true);
    made.mockRestore();
    expect(kernels.bytesInUse).toBe(inUse); // K-FAC allocates its factors when it is made
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it.each(refused)('%s, the optimiser given as an instance: refused alike, and left to its owner, who trains on with it', async (_name, { optimizer: spec, ...options }, message) => {
    const net = await createNetwork({ ...OPTIONS, backend: 'ref' });
    const optimizer = createOptimizer(net, spec as string | { name: string });
    const before = stateHash(net, optimizer);
    await expectError(() => net.train(X, Y, { ...options, optimizer }), 'INVALID_OPTION', message);
    expect(stateHash(net, optimizer)).toBe(before);
    net.train(X, Y, { epochs: 1, batchSize: 3, optimizer });
    expect(net.step).toBe(2);
    net.dispose();
  });
});
