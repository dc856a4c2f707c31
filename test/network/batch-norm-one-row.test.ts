// Batch norm's batch statistics of one row have variance 0 (every feature becomes β, the running
// variance moves toward 0; PyTorch refuses it): train(), gradients() and initLsuv() refuse a one-row
// batch on a network with batch norm, before anything changes, and take it on networks without.
// One rule for every batch that reaches batch norm in training (checkTrainingBatch): train() refuses a
// short last batch of one row (1,025 rows at batch 64) unless dropLast leaves it out, as it refuses
// batchSize 1. Two rows, a batch of them or a short last one, train everywhere (each feature
// becomes ±1 and no gradient passes back: batch norm's own gradient, as PyTorch's).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { checkTrainingBatch } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { blobs } from '../util/blobs.js';
import { expectError } from '../util/expect-error.js';

const WITH_BATCH_NORM: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
/** Batch norm only inside a residual branch: found there too. */
const NESTED_BATCH_NORM: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'residual', layers: [{ type: 'batch-norm' }, { type: 'dense', units: 6, activation: 'tanh' }] },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const WITHOUT_BATCH_NORM: Record<string, LayerSpec[] | { units: number; activation: 'relu' | 'softmax' }[]> = {
  dense: [{ units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  'blocks with layer norm': [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }],
};

const data = blobs(35, 5);
const rows = (n: number) => ({ x: data.x.slice(0, n), y: data.y.slice(0, n) });

function build(layers: LayerSpec[] | { units: number; activation: 'relu' | 'softmax' }[], lsuv = false): Promise<Network> {
  return createNetwork({ inputs: 4, loss: 'cross-entropy', seed: 3, layers: layers as LayerSpec[], ...(lsuv ? { init: 'lsuv' as const } : {}) });
}

/** Everything held that a refused call must leave alone: every tensor (running statistics included), step, RNG, optimiser state. */
function held(net: Network, optimizer: Optimizer): string {
  const state = optimizer.state();
  return JSON.stringify({
    tensors: net.state().map((t) => [t.name, Array.from(t.values)]),
    step: net.step,
    rng: net.rng.getState(),
    optimizer: [state.scalars, state.tensors.map((t) => Array.from(t))],
  });
}

describe('a one-row batch on a network with batch norm', () => {
  for (const [name, layers] of [['batch norm', WITH_BATCH_NORM], ['batch norm in a residual branch', NESTED_BATCH_NORM]] as const) {
    it(`${name}: train() refuses batchSize 1, a one-row last batch and one row, naming rows, batchSize and the fix; nothing changes`, async () => {
      const net = await build(layers);
      const adam = createOptimizer(net, 'adam');
      net.train(rows(32).x, rows(32).y, { epochs: 1, batchSize: 16, optimizer: adam });
      const before = held(net, adam);
      const { x, y } = rows(33);
      await expectError(() => net.train(x, y, { batchSize: 32, optimizer: adam }), 'INVALID_OPTION', /^train: with 33 rows and batchSize 32, the last batch has 1 row, but batch norm in training needs at least 2 per batch \(one row's variance is 0.*\); give dropLast: true to leave the short last batch out of each epoch, or a batchSize that leaves 0 or at least 2 rows over$/);
      await expectError(() => net.train(x, y, { batchSize: 1, optimizer: adam }), 'INVALID_OPTION', /train: with 33 rows and batchSize 1, every batch has 1 row.*choose a batchSize of at least 2/);
      await expectError(() => net.train(rows(1).x, rows(1).y, { optimizer: adam }), 'INVALID_OPTION', /train: with 1 row and batchSize 32, every batch has 1 row.*train on at least 2 rows/);
      expect(held(net, adam)).toBe(before);
      net.train(x, y, { batchSize: 32, optimizer: adam, dropLast: true }); // the one-row batch left out
      net.train(rows(35).x, rows(35).y, { batchSize: 32, optimizer: adam }); // a three-row last batch is taken
      net.train(rows(34).x, rows(34).y, { batchSize: 32, optimizer: adam }); // and a two-row one, as a batch of 2
      net.train(rows(4).x, rows(4).y, { batchSize: 2, optimizer: adam });
      expect(net.step).toBe(JSON.parse(before).step + 1 + 2 + 2 + 2);
      net.dispose();
    });

    it(`${name}: gradients() and initLsuv() refuse one row, and train's lsuv option a one-row batch; nothing changes`, async () => {
      const net = await build(layers, true);
      const adam = createOptimizer(net, 'adam');
      const before = held(net, adam);
      await expectError(() => net.gradients(rows(1).x, rows(1).y), 'INVALID_OPTION', /gradients: the batch has 1 row, but batch norm in training needs at least 2 .*give at least 2 rows/);
      await expectError(() => net.initLsuv(rows(1).x), 'INVALID_OPTION', /initLsuv: the batch has 1 row.*give at least 2 rows/);
      await expectError(() => net.train(rows(1).x, rows(1).y, { lsuv: true, optimizer: adam }), 'INVALID_OPTION', /train: with 1 row and batchSize 32, every batch has 1 row/);
      expect(held(net, adam)).toBe(before);
      const reports = net.initLsuv(rows(2).x);
      expect(reports.every((r) => r.initialVariance > 0)).toBe(true);
      expect(Object.values(net.gradients(rows(2).x, rows(2).y).parameters).some((g) => g.some((v) => v !== 0))).toBe(true);
      net.dispose();
    });
  }
});

describe('a short last batch on a network with batch norm', () => {
  const many = blobs(1025, 7);

  it('train() refuses 1,025 rows at batch 64 (a last batch of 1) before anything changes, naming dropLast, which leaves it out every epoch', async () => {
    const net = await build(WITH_BATCH_NORM);
    const adam = createOptimizer(net, 'adam');
    const before = held(net, adam);
    await expectError(
      () => net.train(many.x, many.y, { batchSize: 64, optimizer: adam }),
      'INVALID_OPTION',
      /^train: with 1,025 rows and batchSize 64, the last batch has 1 row, but batch norm in training needs at least 2 per batch \(one row's variance is 0.*\); give dropLast: true/,
    );
    expect(held(net, adam)).toBe(before);
    await expectError(() => net.train(many.x, many.y, { batchSize: 64, dropLast: 'yes' as never }), 'INVALID_OPTION', /^dropLast: expected true or false, got "yes"$/);
    expect(held(net, adam)).toBe(before);
    const sizes: number[] = [];
    const result = net.train(many.x, many.y, { batchSize: 64, epochs: 3, optimizer: adam, dropLast: true, onBatch: (b) => sizes.push(b.size) });
    expect(sizes).toEqual(Array(3 * 16).fill(64));
    expect(net.step).toBe(48);
    expect(result.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    net.dispose();
  });

  it('train() takes 1,026 rows at batch 64: a last batch of 2 rows trains, as batchSize 2 does', async () => {
    const net = await build(WITH_BATCH_NORM);
    const more = blobs(1026, 7);
    const sizes: number[] = [];
    net.train(more.x, more.y, { batchSize: 64, onBatch: (b) => sizes.push(b.size) });
    expect(sizes).toEqual([...Array(16).fill(64), 2]);
    net.dispose();
  });

  it('dropLast without shuffling never trains the last rows (the same weights as training without them); no batch is dropped when the rows divide evenly or are fewer than batchSize', async () => {
    const [dropped, without] = [await build(WITH_BATCH_NORM), await build(WITH_BATCH_NORM)];
    const sizes: number[] = [];
    dropped.train(rows(5).x, rows(5).y, { batchSize: 2, epochs: 3, dropLast: true, shuffle: false, onBatch: (b) => sizes.push(b.size) });
    without.train(rows(4).x, rows(4).y, { batchSize: 2, epochs: 3, shuffle: false });
    expect(sizes).toEqual([2, 2, 2, 2, 2, 2]);
    expect(dropped.state().map((t) => Array.from(t.values))).toEqual(without.state().map((t) => Array.from(t.values)));
    const steps = dropped.step;
    dropped.train(rows(34).x, rows(34).y, { batchSize: 17, dropLast: true });
    dropped.train(rows(10).x, rows(10).y, { batchSize: 32, dropLast: true });
    expect(dropped.step - steps).toBe(2 + 1);
    dropped.dispose();
    without.dispose();
  });
});

describe('a one-row batch on a network without batch norm', () => {
  for (const [name, layers] of Object.entries(WITHOUT_BATCH_NORM)) {
    it(`${name}: train (batchSize 1, a one-row last batch, lsuv on one row), gradients and initLsuv take it`, async () => {
      const net = await build(layers, true);
      expect(net.initLsuv(rows(1).x).length).toBe(2);
      const one = net.gradients(rows(1).x, rows(1).y);
      expect(Object.values(one.parameters).some((g) => g.some((v) => v !== 0))).toBe(true);
      net.train(rows(33).x, rows(33).y, { batchSize: 32 });
      net.train(rows(34).x, rows(34).y, { batchSize: 32 }); // a two-row last batch too
      net.train(rows(3).x, rows(3).y, { batchSize: 1 });
      net.train(rows(1).x, rows(1).y, { lsuv: true });
      expect(net.step).toBe(2 + 2 + 3 + 1);
      net.dispose();
    });
  }
});

describe('checkTrainingBatch: the fix names the network\'s own least rows', () => {
  it('gradients, initLsuv and measureCurvature leave the fix to it: "give at least N rows" with N = minTrainingRows', () => {
    // Each caller wrote 'give at least 2 rows' beside batch-rows.ts' ${net.minTrainingRows}.
    expect(() => checkTrainingBatch({ minTrainingRows: 3 }, 2, 'gradients: the batch')).toThrow(/gradients: the batch has 2 rows, but batch norm in training needs at least 3 per batch .*; give at least 3 rows$/);
    expect(() => checkTrainingBatch({ minTrainingRows: 3 }, 3, 'gradients: the batch')).not.toThrow();
  });
});
