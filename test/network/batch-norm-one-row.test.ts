// Batch norm's batch statistics of one row have variance 0 (every feature becomes β, the running
// variance moves toward 0; PyTorch refuses it): train(), gradients() and initLsuv() refuse a one-row
// batch on a network with batch norm, before anything changes, and take it on networks without.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { LayerSpec } from '../../src/layers/spec.js';
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

const data = blobs(34, 5);
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
      await expectError(() => net.train(x, y, { batchSize: 32, optimizer: adam }), 'INVALID_OPTION', /train: with 33 rows and batchSize 32, the last batch has 1 row, but batch norm in training needs at least 2 .*choose a batchSize that leaves no one-row batch, or drop a row/);
      await expectError(() => net.train(x, y, { batchSize: 1, optimizer: adam }), 'INVALID_OPTION', /train: with 33 rows and batchSize 1, every batch has 1 row.*choose a batchSize of at least 2/);
      await expectError(() => net.train(rows(1).x, rows(1).y, { optimizer: adam }), 'INVALID_OPTION', /train: with 1 row and batchSize 32, every batch has 1 row.*train on at least 2 rows/);
      expect(held(net, adam)).toBe(before);
      net.train(rows(34).x, rows(34).y, { batchSize: 32, optimizer: adam }); // a two-row last batch is fine
      expect(net.step).toBe(JSON.parse(before).step + 2);
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

describe('a one-row batch on a network without batch norm', () => {
  for (const [name, layers] of Object.entries(WITHOUT_BATCH_NORM)) {
    it(`${name}: train (batchSize 1, a one-row last batch, lsuv on one row), gradients and initLsuv take it`, async () => {
      const net = await build(layers, true);
      expect(net.initLsuv(rows(1).x).length).toBe(2);
      const one = net.gradients(rows(1).x, rows(1).y);
      expect(Object.values(one.parameters).some((g) => g.some((v) => v !== 0))).toBe(true);
      net.train(rows(33).x, rows(33).y, { batchSize: 32 });
      net.train(rows(3).x, rows(3).y, { batchSize: 1 });
      net.train(rows(1).x, rows(1).y, { lsuv: true });
      expect(net.step).toBe(2 + 3 + 1);
      net.dispose();
    });
  }
});
