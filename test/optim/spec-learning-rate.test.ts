// A learning rate in an optimiser's own options (researcher53 F2): K-FAC takes one as SGD, Adam, LARS and L-BFGS do
// ({ name: 'kfac', learningRate } was "unknown option 'learningRate'" while train()'s top-level learningRate and the
// diagnosis' `optimizer: 'kfac', learningRate: 1` worked), and the two that choose their own steps say why they refuse one.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { KFAC_LEARNING_RATE } from '../../src/optim/kfac.js';
import { KFAC_RESCALED_LEARNING_RATE } from '../../src/optimizer-defaults.js';
import { expectError } from '../util/expect-error.js';
import { XOR } from './problems.js';

const xor = () => createNetwork({ sizes: [2, 6, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 3, backend: 'ref' });
const weightsOf = (net: Awaited<ReturnType<typeof xor>>) => net.state().map((t) => Array.from(t.values));

describe("an optimiser's own learningRate option", () => {
  it("K-FAC's spec sets its default learning rate; left out, 1 with rescale and 0.2 without, as before", async () => {
    const net = await xor();
    expect(createOptimizer(net, { name: 'kfac', learningRate: 0.25 }).defaultLearningRate).toBe(0.25);
    expect(createOptimizer(net, { name: 'kfac', rescale: false, learningRate: 0.25 }).defaultLearningRate).toBe(0.25);
    expect(createOptimizer(net, 'kfac').defaultLearningRate).toBe(KFAC_RESCALED_LEARNING_RATE);
    expect(createOptimizer(net, { name: 'kfac', rescale: false }).defaultLearningRate).toBe(KFAC_LEARNING_RATE);
    await expectError(() => createOptimizer(net, { name: 'kfac', learningRate: 0 }), 'INVALID_OPTION', /^kfac: learningRate: expected a finite number > 0/);
    net.dispose();
  });

  it('trains as the same rate given to train(), bit for bit; given in both places it is refused, as for any optimiser', async () => {
    const [inSpec, inTrain] = [await xor(), await xor()];
    const options = { epochs: 3, batchSize: 4, shuffle: false };
    inSpec.train(XOR.x, XOR.y, { ...options, optimizer: { name: 'kfac', learningRate: 0.3 } });
    inTrain.train(XOR.x, XOR.y, { ...options, optimizer: 'kfac', learningRate: 0.3 });
    expect(weightsOf(inSpec)).toEqual(weightsOf(inTrain));
    await expectError(() => inSpec.train(XOR.x, XOR.y, { optimizer: { name: 'kfac', learningRate: 0.3 }, learningRate: 0.3 }), 'INVALID_OPTION', /^learningRate: given twice/);
    inSpec.dispose();
    inTrain.dispose();
  });

  it.each(['hessian-free', 'levenberg-marquardt'])("%s's spec refuses one, saying it chooses its own steps (not 'unknown option')", async (name) => {
    const net = await xor();
    const before = weightsOf(net);
    const said = new RegExp(`^${name}: learningRate: '${name}' chooses its own steps \\(its damping sets them\\) and takes none$`);
    await expectError(() => createOptimizer(net, { name, learningRate: 0.5 }), 'INVALID_OPTION', said);
    await expectError(() => net.train(XOR.x, XOR.y, { optimizer: { name, learningRate: 0.5 } }), 'INVALID_OPTION', said);
    expect(weightsOf(net)).toEqual(before);
    net.dispose();
  });
});
