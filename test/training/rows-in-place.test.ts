// A train(dataset) call over the data set's first rows in order (one batch, not shuffled; or an
// unshuffled epoch's first batch) has the dense engine read the rows where they lie in the data set
// (Engine.rowsInPlace) instead of copying them into its input and targets buffers; every other batch
// is copied (gathered) as before. What reads or writes those buffers during the call
// (Levenberg–Marquardt, a predict() from onBatch, a trace, LSUV) gets the rows copied in first, so the
// data set's rows never change, and the weights are the copy path's bit for bit. The lend ends with
// the call: a data set disposed, or memory grown, between calls is never read again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { Kernels } from '../../src/kernels.js';
import type { Dataset } from '../../src/training/dataset.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { copyEveryBatch, heldRows, INPUTS, OUTPUTS, ROWS, rowsOf } from '../util/rows-in-place.js';
import { stateHash } from '../util/state-hash.js';

/** One batch in the rows' own order: read in place. */
const ONE_BATCH: TrainOptions = { batchSize: ROWS, shuffle: false };

afterEach(() => vi.restoreAllMocks());

describe.each(await kernelBackends())('rows read in place, $name', ({ kernels }) => {
  const network = (): Promise<Network> => createNetwork({ sizes: [INPUTS, 5, OUTPUTS], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 4, backend: kernels });

  /**
   * Gathers made by `call` out of `data`: copyRows calls copying its rows (not the state copies the step guard keeps),
   * and the first layer's forwards gathering its input rows (denseForwardGather).
   */
  function copiesIn(data: Dataset, call: () => unknown): number {
    const copyRows = vi.spyOn(kernels as Kernels, 'copyRows');
    const gather = vi.spyOn(kernels as Kernels, 'denseForwardGather');
    call();
    const { inputs, targets } = data.resident();
    const calls = copyRows.mock.calls.filter(([, src]) => src === inputs.tensor || src === targets.tensor).length + gather.mock.calls.filter(([, , x]) => x === inputs.tensor).length;
    copyRows.mockRestore();
    gather.mockRestore();
    return calls;
  }

  it('a one-batch call in order copies no row; a shuffled call gathers every batch; an unshuffled epoch all but its first', async () => {
    const net = await network();
    const { x, y } = rowsOf(1);
    const data = net.dataset(x, y);
    expect(copiesIn(data, () => net.train(data, ONE_BATCH))).toBe(0);
    expect(copiesIn(data, () => net.train(data, { ...ONE_BATCH, epochs: 3 }))).toBe(0);
    // Three batches of two, inputs and targets each: gathered, or (unshuffled) the first read in place.
    // Shuffled: each batch gathered, but one the shuffle left as rows 0 and 1 in order (read in place):
    // seed 4's first shuffle begins 0, 1; its second does not.
    // Read as each shuffle leaves it: the calls share one order array (src/training/call-scratch.ts).
    const firstPairs: string[] = [];
    const shuffle = net.rng.shuffle.bind(net.rng);
    vi.spyOn(net.rng, 'shuffle').mockImplementation((order) => {
      shuffle(order);
      firstPairs.push(String((order as Uint32Array).subarray(0, 2)));
    });
    expect([copiesIn(data, () => net.train(data, { batchSize: 2 })), copiesIn(data, () => net.train(data, { batchSize: 2 }))]).toEqual([4, 6]);
    expect(firstPairs).toEqual(['0,1', '2,5']);
    expect(copiesIn(data, () => net.train(data, { batchSize: 2, shuffle: false }))).toBe(4);
    // The copy path's twin gathers each batch (what this test would read without the change).
    copyEveryBatch(net);
    expect(copiesIn(data, () => net.train(data, ONE_BATCH))).toBe(2);
    data.dispose();
    net.dispose();
  });

  const sgd = { learningRate: 0.5 };
  const inside: [string, TrainOptions, (net: Network, data: Dataset) => TrainOptions][] = [
    ['plain SGD', sgd, () => ({})],
    ['Levenberg–Marquardt', { optimizer: 'levenberg-marquardt' }, () => ({})],
    ['a predict() of other rows from onBatch', sgd, (net) => ({ onBatch: () => void net.predict(rowsOf(9, 4).x) })],
    ['a predict() of the data set from onBatch', sgd, (net, data) => ({ onBatch: () => void net.predict(data) })],
    ['a trace', { ...sgd, trace: { every: 1 } }, () => ({})],
    ['LSUV', { ...sgd, lsuv: true }, () => ({})],
    ['K-FAC', { optimizer: 'kfac' }, () => ({})],
    ['three epochs with validation on the same rows', { ...sgd, epochs: 3 }, (_net, data) => ({ validation: data })],
  ];

  it.each(inside)('with %s: the copy path\'s weights bit for bit, and the data set\'s rows unchanged', async (_name, options, more) => {
    const { x, y } = rowsOf(2);
    const hashes: string[] = [];
    const predictions: number[][] = [];
    for (const inPlace of [true, false]) {
      const net = await network();
      if (!inPlace) copyEveryBatch(net);
      const data = net.dataset(x, y);
      const before = heldRows(data);
      net.train(data, { ...ONE_BATCH, ...options, ...more(net, data) });
      net.train(data, { ...ONE_BATCH, ...options, ...more(net, data) });
      expect(heldRows(data)).toEqual(before);
      hashes.push(stateHash(net));
      predictions.push(net.predict(x).flatMap((row) => [...row]));
      data.dispose();
      net.dispose();
    }
    expect(hashes[0]).toBe(hashes[1]);
    expect(predictions[0]).toEqual(predictions[1]);
  });

  it('a data set disposed from onBatch hands its rows back first: the call ends as the copy path\'s, a predict() beside it too', async () => {
    const { x, y } = rowsOf(6);
    const seen: string[] = [];
    for (const inPlace of [true, false]) {
      const net = await network();
      if (!inPlace) copyEveryBatch(net);
      const data = net.dataset(x, y);
      const predicted: number[][] = [];
      const result = net.train(data, { ...ONE_BATCH, learningRate: 0.5, onBatch: () => {
        data.dispose();
        predicted.push(...net.predict(x).map((row) => [...row]));
      } });
      seen.push(JSON.stringify({ losses: result.epochs.map((e) => e.loss), predicted, state: stateHash(net) }));
      net.dispose();
    }
    expect(seen[0]).toBe(seen[1]);
  });

  it('a network disposed while it reads a data set in place lets go of it: the data set disposes as ever', async () => {
    const net = await network();
    const { x, y } = rowsOf(7);
    const data = net.dataset(x, y);
    expect(() => net.train(data, { ...ONE_BATCH, learningRate: 0.5, onBatch: () => net.dispose() })).toThrow(/was disposed/);
    expect(heldRows(data)).toEqual([...x.data, ...y.data]);
    data.dispose(); // would call the disposed network, which throws DISPOSED, had it not let go
    expect(data.isDisposed).toBe(true);
  });

  it('a data set disposed between calls is never read again: the next calls run on what they are given', async () => {
    const net = await network();
    const twin = await network();
    copyEveryBatch(twin);
    const first = rowsOf(3);
    const second = rowsOf(4);
    for (const n of [net, twin]) {
      const data = n.dataset(first.x, first.y);
      n.train(data, { ...ONE_BATCH, learningRate: 0.5 });
      data.dispose();
      // Same sizes: the new data set may take the freed blocks.
      const again = n.dataset(second.x, second.y);
      n.train(second.x, second.y, { batchSize: 2 });
      n.train(again, ONE_BATCH);
      again.dispose();
    }
    expect(net.predict(first.x)).toEqual(twin.predict(first.x));
    expect(stateHash(net)).toBe(stateHash(twin));
    net.dispose();
    twin.dispose();
  });
});

describe('rows read in place across a memory growth', () => {
  it('a call after WebAssembly memory grew reads the rows where they are now, as the copy path does', async () => {
    const hashes: string[] = [];
    for (const inPlace of [true, false]) {
      const kernels = await createWasmKernels(); // its own memory, grown below
      const memory = kernels.exports.memory;
      const net = await createNetwork({ sizes: [INPUTS, 5, OUTPUTS], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 4, backend: kernels });
      if (!inPlace) copyEveryBatch(net);
      const { x, y } = rowsOf(5);
      const data = net.dataset(x, y);
      net.train(data, { ...ONE_BATCH, learningRate: 0.5 });
      const buffer = memory.buffer;
      const large = kernels.alloc(4 << 20); // 16 MiB: the memory grows, every view of it is detached
      expect(memory.buffer).not.toBe(buffer);
      net.train(data, { ...ONE_BATCH, learningRate: 0.5 });
      expect(heldRows(data)).toEqual([...x.data, ...y.data]);
      hashes.push(stateHash(net));
      kernels.free(large);
      data.dispose();
      net.dispose();
    }
    expect(hashes[0]).toBe(hashes[1]);
  });
});
