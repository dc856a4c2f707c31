// A learning rate times a layer's rate (layerRates) that is 0 or subnormal in the float32 the core
// computes in would leave that layer unlearning, in silence: refused with INVALID_OPTION naming the
// layer, wherever the rate is given (the optimiser's own, train()'s, a step's), nothing changed.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';
import { MODEL } from '../../src/model.js';
import { Sgd } from '../../src/optim/sgd.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];

describe.each(await kernelBackends())('layer rates that underflow float32 ($name)', ({ kernels }) => {
  const network = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', loss: 'cross-entropy', seed: 3, backend: kernels });

  it("the optimiser's own learning rate: refused when it is made, naming the layer", async () => {
    const net = await network();
    // 1e-30 × 1e-20 = 1e-50: 0 in float32; × 1e-10 = 1e-40: subnormal.
    await expectError(() => new Sgd(net, { learningRate: 1e-30, layerRates: [1, 1e-20] }), 'INVALID_OPTION', /^sgd: layer 1's step size, learning rate 1e-30 × layerRates\[1\] 1e-20: 1e-50 is 0 in float32, which the wasm core computes in and every backend checks against, .*the least usable value is 1\.1754944e-38/);
    await expectError(() => new Sgd(net, { learningRate: 1e-30, layerRates: [1e-10, 1] }), 'INVALID_OPTION', /^sgd: layer 0's step size, .*: 1(\.0+1)?e-40 is subnormal in float32, which the wasm core/);
    // At float32's smallest normal exactly: taken.
    expect(new Sgd(net, { learningRate: FLOAT32_MIN_NORMAL * 2 ** 10, layerRates: [1, 2 ** -10] }).layerRates[1]).toBe(2 ** -10);
    net.dispose();
  });

  it("train()'s learning rate: refused before any work, the network, its RNG and the optimiser as they were", async () => {
    const net = await network();
    const sgd = new Sgd(net, { layerRates: [1, 1e-20] });
    const before = stateHash(net, sgd);
    await expectError(() => net.train(X, Y, { epochs: 1, batchSize: 2, optimizer: sgd, learningRate: 1e-25 }), 'INVALID_OPTION', /^sgd: layer 1's step size, learning rate 1e-25 × layerRates\[1\] 1e-20: 1e-45 is (0|subnormal)/);
    expect(stateHash(net, sgd)).toBe(before);
    // A spec made by train() is refused alike (and disposed of).
    await expectError(() => net.train(X, Y, { epochs: 1, batchSize: 2, optimizer: { name: 'adam', layerRates: [1e-30, 1] }, learningRate: 1e-10 }), 'INVALID_OPTION', /^adam: layer 0's step size/);
    expect(stateHash(net, sgd)).toBe(before);
    net.dispose();
  });

  it("a step's learning rate: refused before the step, nothing changed", async () => {
    const net = await network();
    const sgd = new Sgd(net, { layerRates: [1, 1e-30] });
    net.gradients(X, Y);
    const before = stateHash(net, sgd);
    await expectError(() => sgd.step(net[MODEL], 1e-10, X.length), 'INVALID_OPTION', /^sgd: layer 1's step size, learning rate 1e-10 × layerRates\[1\] 1e-30/);
    expect(stateHash(net, sgd)).toBe(before);
    net.dispose();
  });
});
