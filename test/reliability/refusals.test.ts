// A refused train() changes nothing (issue 12.3): another network's optimiser, a DIVERGED first
// epoch under every onNonFinite policy, clipNorm with a method that recomputes its gradient. After
// each refusal the weights, the optimiser's state, the step count and the RNG hash as before, and
// training on gives exactly what an untouched copy gives.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { createOptimizer } from '../../src/optim/index.js';
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
    ["'throw' at the first step", { onNonFinite: 'throw' }, /epoch 0, batch 0 \(step 1\).*not applied/],
    ["'skip' of every batch", { onNonFinite: 'skip' }, /every batch had a non-finite or runaway loss/],
    ["'halve' beyond maxHalvings", { onNonFinite: 'halve', maxHalvings: 2 }, /after 2 halvings/],
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

describe('clipNorm with an optimiser that recomputes its gradient', () => {
  it('is refused before anything changes, and the optimiser train() made for it is freed', async () => {
    const kernels = await createWasmKernels();
    const net = await createNetwork({ ...OPTIONS, backend: kernels });
    const before = stateHash(net);
    const inUse = kernels.bytesInUse;
    await expectError(() => net.train(X, Y, { optimizer: 'lbfgs', clipNorm: 1 }), 'INVALID_OPTION', /clipNorm: 'lbfgs' evaluates its own gradients/);
    expect(kernels.bytesInUse).toBe(inUse);
    expect(stateHash(net)).toBe(before);
  });
});
