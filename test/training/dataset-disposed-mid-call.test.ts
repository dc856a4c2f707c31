// A Dataset disposed from onBatch or onEpoch while train() still needs its rows: the call refuses
// (DISPOSED) before it reads them again, on every backend, where it read the freed memory (on wasm
// perhaps a new data set's rows by then) and trained on it. A call that needs them no more ends as ever.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { stateHash } from '../util/state-hash.js';

const ROWS = 6;
function rowsOf(seed: number) {
  const rng = new Rng(seed);
  return {
    x: { data: Float32Array.from({ length: ROWS * 9 }, () => rng.uniform() * 2 - 1), rows: ROWS, cols: 9 },
    y: { data: Float32Array.from({ length: ROWS * 2 }, () => rng.uniform()), rows: ROWS, cols: 2 },
  };
}
const ONE_STEP: TrainOptions = { batchSize: ROWS, shuffle: false, learningRate: 0.5 };

describe.each(await kernelBackends())('a data set disposed during train(), $name', ({ kernels }) => {
  const network = (): Promise<Network> => createNetwork({ sizes: [9, 5, 2], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 4, backend: kernels });

  it('from onBatch, with epochs left: DISPOSED before the next batch, one step applied, not one on another data set\'s rows', async () => {
    const { x, y } = rowsOf(1);
    const net = await network();
    const data = net.dataset(x, y);
    let reused: { dispose(): void } | undefined;
    await expectError(
      () => net.train(data, { ...ONE_STEP, epochs: 3, onBatch: () => {
        data.dispose();
        reused = net.dataset(rowsOf(7).x, rowsOf(7).y); // may take the freed blocks
      } }),
      'DISPOSED',
      /train: the data set was disposed during the call \(from onBatch or onEpoch\), and its rows are read again/,
    );
    const twin = await network();
    twin.train(x, y, ONE_STEP);
    expect(stateHash(net)).toBe(stateHash(twin));
    expect(net.step).toBe(1);
    reused!.dispose();
    net.dispose();
    twin.dispose();
  });

  it('the validation data set, from onBatch: DISPOSED at the epoch\'s end; from the last onBatch of a call without validation: the call ends', async () => {
    const { x, y } = rowsOf(2);
    const net = await network();
    const data = net.dataset(x, y);
    const held = net.dataset(rowsOf(3).x, rowsOf(3).y);
    await expectError(() => net.train(data, { ...ONE_STEP, validation: held, onBatch: () => held.dispose() }), 'DISPOSED', /train: validation: the data set was disposed during the call/);
    expect(net.step).toBe(1);
    const result = net.train(data, { ...ONE_STEP, onBatch: () => data.dispose() });
    expect([result.epochs.length, net.step]).toEqual([1, 2]);
    net.dispose();
  });

  it('the network itself, from onBatch or onEpoch: DISPOSED saying it was disposed during the call, from which callback', async () => {
    for (const callback of ['onBatch', 'onEpoch'] as const) {
      const net = await network();
      const { x, y } = rowsOf(2);
      const error = await expectError(() => net.train(x, y, { ...ONE_STEP, epochs: 3, maxSeconds: 5, [callback]: () => net.dispose() }), 'DISPOSED', new RegExp(`^train: the network was disposed during the call \\(from ${callback}\\)`));
      // docs/api.md's Errors quotes onBatch's.
      if (callback === 'onBatch') expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'train: the network was disposed during the call')));
      expect(net.isDisposed).toBe(true);
    }
  });
});
