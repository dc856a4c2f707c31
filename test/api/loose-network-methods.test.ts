// Every public method of a Network read off it runs on it: `const { train } = net; train(x, y)` threw a TypeError
// ('Cannot read private member #engine') where the engines' methods already ran loose (fd201f20, edges47 #15).
// The methods are read from the class's TypeScript declaration (test/util/public-members.ts), so one added later
// without a use here fails the first test. Each loose call is checked against the same call on a twin network (same
// seed): the same result, and the same weights after it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, type Network, type NetworkOptions } from '../../src/index.js';
import { publicMembersOfClasses } from '../util/public-members.js';
import { expectError } from '../util/expect-error.js';

const x = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const y = [[1, 0], [0, 1], [1, 0], [0, 1]];

/** What a result is compared by: plain data (a Dataset and a Parameter hold tensors of their own network), wall times left out. */
const seen = (result: unknown): unknown => {
  if (Array.isArray(result)) return result.map(seen);
  if (typeof result !== 'object' || result === null || ArrayBuffer.isView(result)) return result;
  if ('rows' in result && 'inputSize' in result && 'targetSize' in result) return { rows: result.rows, inputSize: result.inputSize, targetSize: result.targetSize }; // a Dataset
  if ('name' in result && 'length' in result && 'value' in result) return { name: result.name, length: result.length }; // a Parameter
  return Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'seconds').map(([key, value]) => [key, seen(value)]));
};

/** Each public method called loose, in an order that keeps the network alive until dispose: its arguments (a twin gets the same). */
const USES: Record<string, (net: Network) => unknown[]> = {
  assertAlive: () => [],
  assertSaveable: () => ['saveModel'],
  parameters: () => [],
  dataset: () => [x, y],
  predict: () => [x],
  layerOutputs: () => [x],
  gradients: () => [x, y],
  evaluate: () => [x, y],
  state: () => [],
  toJSON: () => [],
  initLsuv: () => [x],
  train: () => [x, y, { epochs: 2, batchSize: 2 }],
  updateBatchNormStatistics: () => [x, { batchSize: 2 }],
  loadState: (net) => [net.state()],
  dispose: () => [],
};

let methods: string[];
beforeAll(() => {
  methods = publicMembersOfClasses().get('Network')!.filter((m) => m.kinds.includes('method')).map((m) => m.name);
}, 180_000);

describe("a Network's public methods run on it when read off it", () => {
  it('covers every public method of the class', () => {
    expect(Object.keys(USES).sort()).toEqual([...methods].sort());
  });

  it.each<[string, NetworkOptions]>([
    ['dense', { sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 4 }],
    ['blocks', { inputs: 3, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 4 }],
  ])('a %s network: each gives what the same call on its twin gives', async (_, options) => {
    const [net, twin] = [await createNetwork(options), await createNetwork(options)];
    const loose = net as unknown as Record<string, (...args: unknown[]) => unknown>;
    const onTwin = twin as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of Object.keys(USES).filter((n) => n !== 'dispose')) {
      const { [name]: method } = loose; // read off the network, then called with no `this`
      const args = USES[name](twin);
      expect(seen(method(...args)), name).toEqual(seen(onTwin[name](...args)));
      expect(net.toJSON(), `the weights after ${name}`).toEqual(twin.toJSON());
    }
    const { dispose, predict } = net;
    dispose();
    expect(net.isDisposed).toBe(true);
    await expectError(() => predict(x), 'DISPOSED', /disposed/);
    twin.dispose();
  });
});
