// A disposed network cannot touch memory (issue 12.2): every public method, every method of its
// Model contract (kept from before dispose) and its optimisers throw DISPOSED, and none of them
// changes the live network that now owns the freed memory. dispose() inside onBatch or onEpoch
// ends train() with DISPOSED.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const SIZES = [3, 6, 2];
const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];
const DISPOSED = /was disposed/;

describe.each(await kernelBackends())('a disposed network on $name', ({ kernels }) => {
  it('throws DISPOSED from every method and never changes the live network on its memory', async () => {
    const gone = await createNetwork({ sizes: SIZES, loss: 'cross-entropy', output: 'softmax', seed: 1, backend: kernels });
    gone.train(X, Y, { epochs: 1, batchSize: 2 });
    const model = gone[MODEL];
    const parameters = gone.parameters();
    const optimizer = createOptimizer(gone, 'adam');
    gone.dispose();
    // Same shapes: the live network's tensors take the freed blocks (the allocator reuses them).
    const live = await createNetwork({ sizes: SIZES, loss: 'cross-entropy', output: 'softmax', seed: 2, backend: kernels });
    live.train(X, Y, { epochs: 1, batchSize: 2 });
    const before = stateHash(live);

    const calls: [string, () => unknown][] = [
      ['predict', () => gone.predict(X)],
      ['gradients', () => gone.gradients(X, Y)],
      ['evaluate', () => gone.evaluate(X, Y)],
      ['train', () => gone.train(X, Y)],
      ['toJSON', () => gone.toJSON()],
      ['parameters', () => gone.parameters()],
      ['weights', () => gone.weights],
      ['biases', () => gone.biases],
      ['[MODEL]', () => gone[MODEL]],
      ['kernels', () => gone.kernels.view(parameters[0].value)],
      ['model.forward', () => model.forward(2, 'batch')],
      ['model.backprop', () => model.backprop(2)],
      ['model.ensureCapacity', () => model.ensureCapacity(1000)],
      ['model.parameters', () => model.parameters()],
      ['model.kernels', () => model.kernels.write(parameters[0].value, [1e9, 1e9, 1e9])],
      ['optimizer.step', () => optimizer.step(model, 0.1, 2)],
      ['createOptimizer', () => createOptimizer(gone, 'sgd')],
    ];
    for (const [name, call] of calls) await expectError(call, 'DISPOSED', DISPOSED).catch((error) => Promise.reject(new Error(`${name}: ${error}`)));
    expect(stateHash(live)).toBe(before);
    expect(gone.isDisposed).toBe(true);
    gone.dispose(); // twice: a no-op
    live.dispose();
  });
});

describe('dispose() during train()', () => {
  const cases: [string, object][] = [
    ['plain SGD', {}],
    ["onNonFinite 'halve'", { onNonFinite: 'halve' }],
    ['a trace', { trace: { every: 1 } }],
    ['adam', { optimizer: 'adam' }],
    ['hessian-free', { optimizer: 'hessian-free' }],
    ['kfac', { optimizer: 'kfac' }],
  ];

  it.each(cases)('inside onBatch gives DISPOSED, frees what train() held (%s)', async (_name, options) => {
    const kernels = await createWasmKernels(); // private: its bytes in use are this test's alone
    const warmUp = await createNetwork({ sizes: SIZES, seed: 4, backend: kernels });
    warmUp.train(X, Y, { ...options, epochs: 3, batchSize: 2 }); // the backend's scratch reaches its size
    warmUp.dispose();
    const other = await createNetwork({ sizes: SIZES, seed: 5, backend: kernels });
    const before = stateHash(other);
    const inUse = kernels.bytesInUse;
    const net: Network = await createNetwork({ sizes: SIZES, seed: 3, backend: kernels });
    await expectError(() => net.train(X, Y, { ...options, epochs: 3, batchSize: 2, onBatch: ({ step }) => step === 2 && net.dispose() }), 'DISPOSED', DISPOSED);
    expect(kernels.bytesInUse).toBe(inUse);
    expect(stateHash(other)).toBe(before);
  });

  it('inside onEpoch gives DISPOSED, also with validation', async () => {
    const net = await createNetwork({ sizes: SIZES, seed: 3, backend: 'ref' });
    await expectError(() => net.train(X, Y, { epochs: 3, validation: { x: X, y: Y }, onEpoch: () => net.dispose() }), 'DISPOSED', DISPOSED);
  });
});
