// Batch norm's running statistics under a fault. A batch's training forward moves them before its
// step is judged, so the guard copies them before that forward: a DIVERGED that goes back to "the
// state after step N" puts back the statistics step N left (not those batch N + 1's forward moved
// on), one that puts nothing back leaves those of the last step applied, a batch 'skip' leaves out
// leaves them as if it were not there, and 'halve' runs an epoch again from its start, statistics
// included. Before the copy, each of these kept the faulty batch's move of the statistics.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

/** 16 rows; the net's loss runs away with finite numbers at learningRate 1.5 (epoch 1, batch 1) and 3 (epoch 0, batch 3). */
const rows = Array.from({ length: 16 }, (_, r) => [r % 2 ? -1 : 1, ((r * 7) % 5) / 5 - 0.4]);
const targets = rows.map(([a, b]) => [a / 2 + b]);
const OPTIONS = { epochs: 40, batchSize: 4, shuffle: false } as const;
// Back to the state before any step is said as 'the initial weights', never 'after step 0'.
const WENT_BACK = /the network is back (?:as it was after step (\d+)|at (the initial weights)), the last state judged good that was kept/;

/** num_batches_tracked: how many training forwards the running statistics have taken in. */
const batchesTracked = (net: Network) => net.state().find((t) => t.name.endsWith('num_batches_tracked'))!.values[0];

describe.each(await kernelBackends())('batch norm under a fault on $name', ({ kernels }) => {
  const make = () =>
    createNetwork({
      inputs: 2,
      layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 1, activation: 'linear' }],
      loss: 'mse',
      seed: 3,
      backend: kernels,
    });

  /** Trains `net` with `options`, hashing the state after every step (index 0: before the call); returns the hashes and the error. */
  async function trainToFault(net: Network, options: TrainOptions, message: RegExp) {
    const after = [stateHash(net)];
    const error = await expectError(() => net.train(rows, targets, { ...OPTIONS, ...options, onBatch: () => after.push(stateHash(net)) }), 'DIVERGED', message);
    return { after, error };
  }

  it.each([
    [1.5, 4, /^epoch 1, batch 1 \(step 6\): the loss \S+ is over 10⁶× the first batch's/],
    [3, 0, /^epoch 0, batch 3 \(step 4\): the loss \S+ is over 10⁶× the first batch's/],
  ])("'throw' at learningRate %d, the steps to blame: back at the state after step %d, its running statistics as that step left them", async (learningRate, back, message) => {
    const net = await make();
    const { after, error } = await trainToFault(net, { learningRate }, message);
    const went = WENT_BACK.exec(error.message)!;
    expect(went[1] ?? went[2]).toBe(back === 0 ? 'the initial weights' : String(back));
    expect(net.step).toBe(back);
    expect(batchesTracked(net), "the faulty batch's forward and the first step of its epoch's are not counted").toBe(back);
    expect(stateHash(net)).toBe(after[back]);
    net.dispose();
  });

  it("'throw', the batch to blame: the network as the last step left it, the faulty batch's forward not in its running statistics", async () => {
    // Rows 8 to 11 (epoch 0, batch 2) hold targets whose gradient is beyond float32 at any state.
    const huge = targets.map((t, r) => (r >= 8 && r < 12 ? [1e30] : t));
    const net = await make();
    const after = [stateHash(net)];
    await expectError(
      () => net.train(rows, huge, { ...OPTIONS, learningRate: 0.1, onBatch: () => after.push(stateHash(net)) }),
      'DIVERGED',
      /^epoch 0, batch 2 \(step 3\): .*; the step was not applied \(the targets train\(\) was given are too large/,
    );
    expect(net.step).toBe(2);
    expect(batchesTracked(net)).toBe(2);
    expect(stateHash(net)).toBe(after[2]);
    net.dispose();
  });

  it("'throw' at the first step, refused as out of range: everything as before, the running statistics included", async () => {
    const net = await make();
    const before = stateHash(net);
    await expectError(() => net.train(rows, targets, { ...OPTIONS, learningRate: 1e30 }), 'DIVERGED', /^epoch 0, batch 0 \(step 1\): .*the step would take a parameter to/);
    expect(batchesTracked(net)).toBe(0);
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it("'skip': the batch left out leaves the running statistics as training without it does, bit for bit", async () => {
    const huge = targets.map((t, r) => (r >= 8 && r < 12 ? [1e30] : t));
    const options = { ...OPTIONS, epochs: 2, learningRate: 0.1 };
    const skipping = await make();
    expect(skipping.train(rows, huge, { ...options, onNonFinite: 'skip' }).skipped).toBe(2);
    const clean = await make();
    const kept = <T>(all: T[]) => all.filter((_, r) => r < 8 || r >= 12);
    clean.train(kept(rows), kept(targets), options);
    expect(batchesTracked(skipping)).toBe(6);
    expect(stateHash(skipping)).toBe(stateHash(clean));
    skipping.dispose();
    clean.dispose();
  });

  it("'halve' at learningRate 2: the runaway at epoch 1's first batch sends training back to epoch 0's start, running statistics included: the same as a run at 1, bit for bit", async () => {
    const options = { ...OPTIONS, epochs: 3 };
    const net = await make();
    const visits: string[] = [];
    const result = net.train(rows, targets, { ...options, learningRate: 2, onNonFinite: 'halve', onEpoch: (e) => visits.push(`${e.epoch}@${net.step}`) });
    expect(result.halvings).toBe(1);
    expect(visits).toEqual(['0@4', '0@4', '1@8', '2@12']);
    const direct = await make();
    direct.train(rows, targets, { ...options, learningRate: 1 });
    expect(batchesTracked(net)).toBe(12);
    expect(stateHash(net)).toBe(stateHash(direct));
    net.dispose();
    direct.dispose();
  });
});
