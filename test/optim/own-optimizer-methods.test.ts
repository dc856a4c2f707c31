// An optimiser of one's own (the Optimizer contract) is handed the network's Trainable in step(net, …):
// its methods are bound, so one read off it runs on its network (edges47 #15: `const p = (model.parameters)()`
// threw "Cannot read properties of undefined (reading 'assertAlive')" from inside engine.js).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/index.js';
import { MODEL, type Trainable } from '../../src/model.js';
import type { Optimizer } from '../../src/optim/optimizer.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

/** Plain SGD that takes everything it uses off the model as loose functions. */
function looseSgd(): Optimizer & { steps: number } {
  return {
    name: 'loose-sgd',
    steps: 0,
    step(net: Trainable, learningRate: number) {
      const { parameters, assertAlive, kernels } = net;
      assertAlive();
      for (const p of parameters()) kernels.axpy(p.value, p.grad, p.length, -learningRate);
      this.steps++;
    },
    state: () => ({ name: 'loose-sgd', scalars: {}, tensors: [] }),
    restore() {},
    dispose() {},
  };
}

describe("an optimiser of one's own reads the model's methods off it", () => {
  for (const [kind, options] of [
    ['dense', { sizes: [2, 4, 1], output: 'sigmoid', loss: 'mse', seed: 3 }],
    ['blocks', { inputs: 2, layers: [{ type: 'dense', units: 4, activation: 'sigmoid' }, { type: 'layer-norm' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse', seed: 3 }],
  ] as const) {
    it(`trains a ${kind} network as the same steps of the built-in SGD do`, async () => {
      const [mine, builtIn] = [await createNetwork(options as never), await createNetwork(options as never)];
      const optimizer = looseSgd();
      mine.train(x, y, { optimizer, epochs: 3, batchSize: 4, learningRate: 0.5, shuffle: false });
      builtIn.train(x, y, { optimizer: 'sgd', epochs: 3, batchSize: 4, learningRate: 0.5, shuffle: false });
      expect(optimizer.steps).toBe(3);
      expect(mine.toJSON()).toEqual(builtIn.toJSON());
      mine.dispose();
      builtIn.dispose();
    });
  }

  it('every method of the Trainable runs on its engine when called loose; after dispose() one taken before throws DISPOSED', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', seed: 1 });
    const model = net[MODEL];
    const { parameters, stateTensors, ensureCapacity, forward, lossOfLastForward } = model;
    expect(parameters()).toBe(model.parameters());
    expect(stateTensors()).toEqual([]);
    ensureCapacity(4);
    forward(0, 'eval');
    expect(lossOfLastForward(0)).toBe(0);
    net.dispose();
    expect(() => parameters()).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
});
