// Learning end to end on every backend: XOR, and the MNIST digits (loadMnist's).
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { kernelBackends } from '../util/backends.js';

const XOR = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };

describe.each(await kernelBackends())('learning on $name', ({ kernels }) => {
  it('solves XOR (loss < 0.01)', async () => {
    const net = await createNetwork({
      sizes: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy',
      init: 'glorot-uniform', seed: 3, backend: kernels,
    });
    net.train(XOR.x, XOR.y, { epochs: 2000, batchSize: 4, learningRate: 0.5, momentum: 0.9 });
    const { loss, accuracy } = net.evaluate(XOR.x, XOR.y);
    net.dispose();
    expect(loss).toBeLessThan(0.01);
    expect(accuracy).toBe(1);
  });

  it('reaches ≥ 90 % on 1,000 held-out digits after ≤ 5 epochs of [784,30,10] sigmoid on 9,000', async () => {
    const { train, test } = await loadMnist({ train: 9000, test: 1000 });
    const net = await createNetwork({
      sizes: [784, 30, 10], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy',
      init: 'lecun-normal', biasInit: { name: 'normal', std: 1 }, seed: 1, backend: kernels,
    });
    const before = net.evaluate(test.x, test.y).accuracy;
    const result = net.train(train.x, train.y, { epochs: 5, batchSize: 10, learningRate: 1, validation: test });
    net.dispose();
    const accuracies = result.epochs.map((epoch) => epoch.validation!.accuracy);
    expect(before).toBeLessThan(0.3);
    expect(Math.max(...accuracies), `test accuracy per epoch: ${accuracies.join(', ')}`).toBeGreaterThanOrEqual(0.9);
  });
});
