// train(dataset) reading the data set's rows in place (Engine.rowsInPlace), against what a hostile
// onBatch or onEpoch does meanwhile: reads of the same rows (evaluate, gradients, predict, another
// network's train()), buffers grown under it (layerOutputs or predict of more rows than the batch),
// a data set made and freed, a throw, two networks trained from each other's callbacks. On every
// backend and the two-thread one, each call ends as the copy path's (rowsInPlace removed): the same
// losses, weights, evaluation and predictions, and the data set's rows unchanged.
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { Kernels } from '../../src/kernels.js';
import type { Dataset } from '../../src/training/dataset.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { copyEveryBatch, heldRows, INPUTS, OUTPUTS, ROWS, rowsOf } from '../util/rows-in-place.js';
import { stateHash } from '../util/state-hash.js';

const two = await createThreadedWasmKernels({ threads: 2, minFlops: 0, minRowsPerThread: 1 });
afterAll(() => two.close());
const backends = [...(await kernelBackends()), { name: 'two-thread', kernels: two as unknown as Kernels }];

/** What the hostile callback does, given the network trained, its data set and another network on the same backend. */
type Hostile = (net: Network, data: Dataset, other: Network) => TrainOptions;
const big = rowsOf(11, 300);
const cases: [string, TrainOptions, Hostile][] = [
  ['evaluate(data) from onBatch, unshuffled batches of 2', { batchSize: 2, shuffle: false, epochs: 2 }, (n, d) => ({ onBatch: () => void n.evaluate(d) })],
  ['gradients(data) from onBatch', { epochs: 3 }, (n, d) => ({ onBatch: () => void n.gradients(d) })],
  ['layerOutputs of 300 rows (buffers grow) from onBatch', { epochs: 3 }, (n) => ({ onBatch: () => void n.layerOutputs(big.x) })],
  ['predict of 300 rows (buffers grow) from onBatch', { epochs: 3 }, (n) => ({ onBatch: () => void n.predict(big.x) })],
  ['evaluate(x, y arrays) from onBatch', { epochs: 3 }, (n) => ({ onBatch: () => void n.evaluate(rowsOf(12, 4).x, rowsOf(12, 4).y) })],
  ['another network trains on the data set from onBatch', { epochs: 3 }, (_n, d, o) => ({ onBatch: () => void o.train(d, { batchSize: ROWS, shuffle: false, learningRate: 0.5 }) })],
  ['another network trains on it, predicting the data set', { epochs: 3 }, (n, d, o) => ({ onBatch: () => void o.train(d, { batchSize: 3, shuffle: false, learningRate: 0.5, onBatch: () => void n.predict(d) }) })],
  ['a 4,000-row data set made and disposed from onBatch', { epochs: 3 }, (n) => ({ onBatch: () => void n.dataset(rowsOf(13, 4000).x, rowsOf(13, 4000).y).dispose() })],
  ['toJSON and validation on the same rows with a trace', { epochs: 3, trace: { every: 1 } }, (n, d) => ({ validation: d, onEpoch: () => void n.toJSON() })],
  ['batchSize larger than the rows', { batchSize: 50, epochs: 2 }, () => ({})],
  ['Levenberg-Marquardt with evaluate from onBatch', { optimizer: 'levenberg-marquardt', epochs: 2 }, (n, d) => ({ onBatch: () => void n.evaluate(d) })],
  ['train(x, y) arrays of the same rows on another network from onEpoch', { epochs: 2 }, (_n, _d, o) => ({ onEpoch: () => void o.train(rowsOf(2).x, rowsOf(2).y, { batchSize: ROWS, shuffle: false }) })],
];

describe.each(backends)('hostile, $name', ({ kernels }) => {
  const network = (): Promise<Network> => createNetwork({ sizes: [INPUTS, 5, OUTPUTS], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 4, backend: kernels });
  it.each(cases)('%s', async (_name, options, hostile) => {
    const { x, y } = rowsOf(2);
    const seen: string[] = [];
    for (const inPlace of [true, false]) {
      const net = await network();
      const other = await network();
      if (!inPlace) { copyEveryBatch(net); copyEveryBatch(other); }
      const data = net.dataset(x, y);
      const base: TrainOptions = { batchSize: ROWS, shuffle: false, ...(options.optimizer ? {} : { learningRate: 0.5 }), ...options };
      const r1 = net.train(data, { ...base, ...hostile(net, data, other) });
      expect(heldRows(data)).toEqual([...x.data, ...y.data]);
      const r2 = net.train(data, base);
      expect(heldRows(data)).toEqual([...x.data, ...y.data]);
      seen.push(JSON.stringify({ l1: r1.epochs.map((e) => e.loss), l2: r2.epochs.map((e) => e.loss), s: stateHash(net), o: stateHash(other), ev: net.evaluate(data), p: net.predict(x).map((r) => [...r]) }));
      data.dispose(); net.dispose(); other.dispose();
    }
    expect(seen[0]).toBe(seen[1]);
  });

  it('a throw from onBatch: data set unchanged, next call as the copy path', async () => {
    const { x, y } = rowsOf(3);
    const seen: string[] = [];
    for (const inPlace of [true, false]) {
      const net = await network();
      if (!inPlace) copyEveryBatch(net);
      const data = net.dataset(x, y);
      expect(() => net.train(data, { batchSize: ROWS, shuffle: false, epochs: 3, onBatch: () => { throw new Error('boom'); } })).toThrow('boom');
      expect(heldRows(data)).toEqual([...x.data, ...y.data]);
      net.train(data, { batchSize: ROWS, shuffle: false });
      seen.push(stateHash(net));
      data.dispose(); net.dispose();
    }
    expect(seen[0]).toBe(seen[1]);
  });

  it('two networks sharing a data set, each trained from the other\'s callbacks, and the data set disposed inside', async () => {
    const { x, y } = rowsOf(4);
    const seen: string[] = [];
    for (const inPlace of [true, false]) {
      const a = await network();
      const b = await createNetwork({ sizes: [INPUTS, 3, OUTPUTS], activation: 'relu', output: 'sigmoid', loss: 'mse', seed: 9, backend: kernels });
      if (!inPlace) { copyEveryBatch(a); copyEveryBatch(b); }
      const data = a.dataset(x, y);
      let errors = 0;
      a.train(data, { batchSize: ROWS, shuffle: false, epochs: 2, learningRate: 0.5, onBatch: () => {
        b.train(data, { batchSize: ROWS, shuffle: false, learningRate: 0.5, onBatch: () => { try { a.train(data); } catch (e) { errors++; expect(String(e)).toMatch(/already training/); } } });
      } });
      b.train(data, { batchSize: ROWS, shuffle: false, epochs: 2, learningRate: 0.5, onBatch: () => void a.train(data, { batchSize: ROWS, shuffle: false, learningRate: 0.5 }) });
      expect(heldRows(data)).toEqual([...x.data, ...y.data]);
      const beforeDispose = [stateHash(a), stateHash(b)];
      let caught = '';
      try {
        a.train(data, { batchSize: ROWS, shuffle: false, learningRate: 0.5, onBatch: () => { b.train(data, { batchSize: ROWS, shuffle: false, learningRate: 0.5, onBatch: () => data.dispose() }); } });
      } catch (e) { caught = String(e); }
      seen.push(JSON.stringify({ errors, beforeDispose, caught, a: stateHash(a), b: stateHash(b) }));
      a.dispose(); b.dispose();
    }
    expect(seen[0]).toBe(seen[1]);
  });
});
