// dispose() returns the network's WASM memory: 1,000 create/train/dispose cycles leave the bytes in
// use and the size of linear memory exactly where the first cycle left them.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createOptimizer } from '../../src/optim/index.js';
import { Sgd } from '../../src/optim/sgd.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { MODEL } from '../../src/model.js';
import { MODEL_LIMITS } from '../../src/model-limits.js';
import { expectError } from '../util/expect-error.js';

const SHAPES = [[4, 8, 3], [4, 16, 16, 3], [4, 3]];
const X = Array.from({ length: 12 }, (_, r) => [r / 12, Math.sin(r), -r / 7, 1]);
const Y = X.map((_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]);

describe('lifecycle on wasm', () => {
  it('1,000 create/train/predict/dispose cycles keep memory flat', async () => {
    const kernels = await createWasmKernels(); // a private instance: other suites cannot disturb its memory
    const cycle = async (i: number) => {
      const net = await createNetwork({ sizes: SHAPES[i % SHAPES.length], activation: 'relu', loss: 'cross-entropy', seed: i, backend: kernels });
      const sgd = new Sgd(net, { momentum: 0.9 });
      net.train(X, Y, { epochs: 1, batchSize: 5, optimizer: sgd, onNonFinite: i % 2 ? 'halve' : 'skip' });
      net.predict(X);
      net.gradients(X, Y);
      if (i % 3 === 0) sgd.dispose(); // and otherwise net.dispose() releases it
      net.dispose();
    };
    for (let i = 0; i < SHAPES.length; i++) await cycle(i); // scratch reaches its largest size
    const inUse = kernels.bytesInUse;
    const memory = kernels.exports.memory.buffer.byteLength;
    for (let i = SHAPES.length; i < 1000; i++) await cycle(i);
    expect(kernels.bytesInUse).toBe(inUse);
    expect(kernels.exports.memory.buffer.byteLength).toBe(memory);
  });
});

describe('optimisers after dispose', () => {
  it.each(['sgd', 'adam', 'lars', 'lbfgs', 'hessian-free', 'kfac'] as const)('%s.step on a disposed network throws DISPOSED', async (name) => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const optimizer = createOptimizer(net, name);
    const model = net[MODEL];
    net.dispose();
    expect(() => optimizer.step(model, 0.1, 1)).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
});

describe('depth', () => {
  it('refuses a depth no model file can hold however the network is built (MODEL_LIMITS.maxLayers)', async () => {
    // Two outputs: the default softmax output of one unit is refused (eac5f55), which is not what this case tests.
    const sizes = (layers: number) => [...Array(layers).fill(1), 2];
    await expectError(() => createNetwork({ sizes: sizes(MODEL_LIMITS.maxLayers + 1), backend: 'ref' }), 'INVALID_OPTION', /1,025 layers exceeds the limit of 1,024/);
    const config = { sizes: sizes(MODEL_LIMITS.maxLayers + 1), activations: Array(MODEL_LIMITS.maxLayers + 1).fill('sigmoid'), loss: 'mse', init: 'standard', biasInit: 'zero', seed: 1 } as const;
    await expectError(() => new Network(createRefKernels(), config), 'INVALID_OPTION', /1,025 layers exceeds the limit of 1,024/);
    const deepest = await createNetwork({ sizes: sizes(MODEL_LIMITS.maxLayers), backend: 'ref' });
    expect(deepest.depth).toBe(MODEL_LIMITS.maxLayers);
    deepest.dispose();
  });
});
