// TrainResult.unmovedWeights: train() names the weight matrices its steps left bit for bit as they were (edges47 #16, lows51: only
// `gradscope train` said it, from a copy of its own), and is silent where every one moved.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { UNMOVED_CHECK_ANY_CALL_PARAMETERS, UNMOVED_CHECK_MIN_ROWS } from '../../src/training/unmoved-weights.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.2], [0.1, 0.9], [0.7, 0.3], [0.2, 0.4]];
const y = [[1, 0], [0, 1], [0, 1], [1, 0], [1, 0], [0, 1], [0, 1], [1, 0]];

/** Each weight matrix's values, copied, by name. */
const weights = (net: Network) => new Map(net.parameters().filter((p) => p.weightMatrix).map((p) => [p.name, Array.from(net.kernels.view(p.value))]));

/** What train() returned for `options` on a fresh [2, 4, 3, 2] network, and which weight matrices are bit for bit as before, read here. */
async function trained(options: TrainOptions, backend?: 'ref') {
  const net = await createNetwork({ sizes: [2, 4, 3, 2], seed: 2, ...(backend && { backend }) });
  const before = weights(net);
  const result = net.train(x, y, { epochs: 2, batchSize: 4, ...options });
  const after = weights(net);
  const same = [...before].filter(([name, values]) => values.every((v, i) => Object.is(v, after.get(name)![i]))).map(([name]) => name);
  net.dispose();
  return { result, same };
}

const EVERY = ['0.weight', '2.weight', '4.weight'];

describe('TrainResult.unmovedWeights', () => {
  it('names every weight matrix where each update rounded to nothing: a learning rate of 1e-20, SGD or Adam, in float32 and float64', async () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      const { result, same } = await trained({ optimizer, learningRate: 1e-20 });
      expect(same, optimizer).toEqual(EVERY);
      expect(result.unmovedWeights, optimizer).toEqual(EVERY);
    }
    const ref = await trained({ learningRate: 1e-20 }, 'ref');
    expect([ref.same, ref.result.unmovedWeights]).toEqual([EVERY, EVERY]);
  });

  it('names them where a clipNorm of 1e-30 rounded an ordinary rate\'s steps away', async () => {
    const { result, same } = await trained({ learningRate: 0.1, clipNorm: 1e-30 });
    expect([same, result.unmovedWeights]).toEqual([EVERY, EVERY]);
  });

  it('names only the layers that did not move: per-layer rates that leave the first at 1e-20 of the rate', async () => {
    const { result, same } = await trained({ learningRate: 0.1, optimizer: { name: 'sgd', layerRates: [1e-20, 1, 1] } });
    expect(same).toEqual(['0.weight']);
    expect(result.unmovedWeights).toEqual(['0.weight']);
  });

  it('is absent where every weight matrix moved', async () => {
    const { result, same } = await trained({ learningRate: 0.1 });
    expect(same).toEqual([]);
    expect('unmovedWeights' in result).toBe(false);
  });

  it('is absent from a call of fewer rows than UNMOVED_CHECK_MIN_ROWS on a network of more than UNMOVED_CHECK_ANY_CALL_PARAMETERS trained values: they are not compared', async () => {
    const net = await createNetwork({ sizes: [2, UNMOVED_CHECK_ANY_CALL_PARAMETERS, 2], seed: 2 });
    const short = net.train(x, y, { epochs: Math.ceil(UNMOVED_CHECK_MIN_ROWS / x.length) - 1, batchSize: 4, learningRate: 1e-20 });
    expect('unmovedWeights' in short).toBe(false);
    const long = net.train(x, y, { epochs: Math.ceil(UNMOVED_CHECK_MIN_ROWS / x.length), batchSize: 4, learningRate: 1e-20 });
    expect(long.unmovedWeights).toEqual(['0.weight', '2.weight']);
    net.dispose();
  });

  it('compares a small network in any call', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3, 2], seed: 2 });
    expect(net.train(x, y, { epochs: 1, batchSize: 4, learningRate: 1e-20 }).unmovedWeights).toEqual(EVERY);
    net.dispose();
  });
});

// TrainResult.zeroGradientWeights: which weight matrices no applied step gave a gradient, so that a matrix left as made is said to
// have got no update rather than one rounded away (prose54's left-alone 3).
describe('TrainResult.zeroGradientWeights', () => {
  it('is absent where every matrix got a gradient, whatever became of its updates (1e-20 rounds them all away)', async () => {
    for (const learningRate of [0.1, 1e-20]) expect('zeroGradientWeights' in (await trained({ learningRate })).result, String(learningRate)).toBe(false);
  });

  it('names every matrix behind dead relu units (biases at -8: z ≤ 0 on every row), in float32 and float64, and the first layer alone over inputs of 0', async () => {
    for (const backend of ['wasm', 'ref'] as const) {
      const net = await createNetwork({ sizes: [2, 4, 3, 2], seed: 2, backend, activation: 'relu', biasInit: { name: 'constant', value: -8 } });
      const result = net.train(x, y, { epochs: 2, batchSize: 4, learningRate: 0.1 });
      expect([result.zeroGradientWeights, result.unmovedWeights], backend).toEqual([EVERY, EVERY]);
      net.dispose();
    }
    const net = await createNetwork({ sizes: [2, 4, 3, 2], seed: 2 });
    const result = net.train(x.map(() => [0, 0]), y, { epochs: 2, batchSize: 4, learningRate: 0.1 });
    expect([result.zeroGradientWeights, result.unmovedWeights]).toEqual([['0.weight'], ['0.weight']]);
    net.dispose();
  });

  it('names a matrix only where every step applied gave it 0: a first batch of inputs at 0 and a second of others reach the first layer', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3, 2], seed: 2 });
    const rows = x.map((row, r) => (r < 4 ? [0, 0] : row));
    const result = net.train(rows, y, { epochs: 1, batchSize: 4, shuffle: false, learningRate: 0.1 });
    expect('zeroGradientWeights' in result).toBe(false);
    const first = net.train(rows.slice(0, 4), y.slice(0, 4), { epochs: 1, batchSize: 4, learningRate: 0.1 });
    expect(first.zeroGradientWeights).toEqual(['0.weight']);
    net.dispose();
  });
});
