/**
 * Network.updateBatchNormStatistics (researcher53 F13): batch norm's running statistics recomputed over given rows, as
 * PyTorch's torch.optim.swa_utils.update_bn. A few large second-order steps leave them far from the batches' (evaluate() at
 * 1.07 where the batch-mode loss is 0.52, below); recomputed, evaluate() reads what the batches do. The statistics are the
 * mean of each batch's mean and unbiased variance (momentum=None), float64 formulas on ref.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { kernelBackends } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';

/** 400 rows of 8 inputs around three centres, one-hot targets. */
function blobs() {
  const rng = new Rng(5);
  const centres = Array.from({ length: 3 }, () => Array.from({ length: 8 }, () => rng.normal() * 1.5));
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < 400; r++) {
    x.push(centres[r % 3].map((m) => m + rng.normal()));
    y.push([0, 1, 2].map((j) => (j === r % 3 ? 1 : 0)));
  }
  return { x, y };
}

const TWO_NORMS: LayerSpec[] = [
  { type: 'dense', units: 16, activation: 'sigmoid' },
  { type: 'batch-norm' },
  { type: 'dense', units: 16, activation: 'sigmoid' },
  { type: 'batch-norm' },
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** A parameter's values by name (the running statistics left out). */
const parametersOf = (net: Network) => net.state().filter((t) => !/running_|num_batches/.test(t.name));
/** The first batch norm's buffer `buffer` ('running_mean', …). */
const firstNorms = (net: Network, buffer: string) => Array.from(net.state().find((t) => t.name.endsWith(`.${buffer}`))!.values);

describe.each(await kernelBackends())('updateBatchNormStatistics on $name', ({ kernels }) => {
  const { x, y } = blobs();

  it.each(['hessian-free', 'lbfgs'] as const)('closes the gap %s steps leave between evaluate() and the batches, moving nothing else', async (optimizer) => {
    const net = await createNetwork({ inputs: 8, layers: TWO_NORMS, loss: 'cross-entropy', seed: 2, backend: kernels });
    net.train(x, y, { epochs: 1, batchSize: 100, optimizer });
    expect(net.step).toBe(4);
    const batchMode = net.gradients(x, y).loss;
    const lagging = net.evaluate(x, y).loss;
    // Four steps moved the running statistics 1 − 0.9⁴ ≈ 34 % of the way from (0, 1): eval mode reads another network.
    expect(lagging - batchMode).toBeGreaterThan(0.3);
    const parameters = parametersOf(net);
    const { rng, step, trace } = { rng: net.rng.getState(), step: net.step, trace: net.trace };
    // All rows as one batch: the batches' statistics but for the unbiased variance's n/(n − 1).
    expect(net.updateBatchNormStatistics(x, { batchSize: 400 })).toBe(2);
    expect(Math.abs(net.evaluate(x, y).loss - batchMode)).toBeLessThan(0.005);
    // In batches of 32 (the default): the mean of 13 batches' statistics, near the whole set's.
    expect(net.updateBatchNormStatistics(x)).toBe(2);
    expect(Math.abs(net.evaluate(x, y).loss - batchMode)).toBeLessThan(0.03);
    expect(firstNorms(net, 'num_batches_tracked')).toEqual([13]);
    expect(parametersOf(net)).toEqual(parameters);
    expect({ rng: net.rng.getState(), step: net.step, trace: net.trace }).toEqual({ rng, step, trace });
  });

  it('a network without batch norm: 0, and nothing changes; bad arguments are refused before anything changes', async () => {
    const dense = await createNetwork({ sizes: [8, 4, 3], output: 'softmax', seed: 1, backend: kernels });
    const before = stateHash(dense);
    expect(dense.updateBatchNormStatistics(x)).toBe(0);
    expect(stateHash(dense)).toBe(before);
    const net = await createNetwork({ inputs: 8, layers: TWO_NORMS, loss: 'cross-entropy', seed: 2, backend: kernels });
    net.train(x, y, { epochs: 1, batchSize: 100 });
    const held = stateHash(net);
    await expectError(() => net.updateBatchNormStatistics(x, { batchSize: 0 }), 'INVALID_OPTION', /^updateBatchNormStatistics: batchSize: expected a whole number ≥ 1, got 0$/);
    await expectError(() => net.updateBatchNormStatistics(x, { batch: 32 } as never), 'INVALID_OPTION', /^updateBatchNormStatistics: unknown option 'batch'; did you mean 'batchSize'\?/);
    await expectError(() => net.updateBatchNormStatistics([]), 'SHAPE_MISMATCH', /^inputs: no rows: give updateBatchNormStatistics at least one row$/);
    await expectError(() => net.updateBatchNormStatistics([x[0]]), 'INVALID_OPTION', /^updateBatchNormStatistics: the rows has 1 row, but batch norm in training needs at least 2 per batch/);
    // A row that takes the running variance beyond float32, in the second batch: the first had moved the statistics.
    const linear = await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, activation: 'linear' }, { type: 'batch-norm' }, { type: 'dense', units: 1, activation: 'linear' }], loss: 'mse', seed: 3, backend: kernels });
    const linearHeld = stateHash(linear);
    await expectError(
      () => linear.updateBatchNormStatistics([[1, 2], [3, 4], [0, 1], [3e38, 3e38], [1, 1]], { batchSize: 3 }),
      'NON_FINITE_INPUT',
      /^updateBatchNormStatistics: rows 3\.\.4: this batch's training forward takes layers\[1\] \('2', batch-norm\) \(2\.running_var: batch norm's running variance\) to (?:1\.19e\+76, beyond float32's largest \(3\.40e\+38\)|Infinity); nothing changed$/,
    );
    expect(stateHash(linear)).toBe(linearHeld);
    expect(stateHash(net)).toBe(held);
    // Called while it trains: refused, and the call goes on.
    const error = await expectError(() => net.train(x, y, { epochs: 1, batchSize: 100, onBatch: () => net.updateBatchNormStatistics(x) }), 'INVALID_OPTION', /^updateBatchNormStatistics: this network is training/);
    expect(error).toBeDefined();
  });
});

describe('updateBatchNormStatistics computes', () => {
  it("each running statistic as the mean of its batches' mean and unbiased variance, a last row of one joining the batch before (float64)", async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'linear' }], loss: 'mse', seed: 4, backend: kernels });
    const rng = new Rng(9);
    const rows = Array.from({ length: 11 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    // The batch norm's input: the first dense layer's outputs, which no mode changes.
    const inputs = net.layerOutputs(rows).layers[0].values;
    for (const [batchSize, batches] of [[4, [[0, 4], [4, 8], [8, 11]]], [5, [[0, 5], [5, 11]]], [11, [[0, 11]]]] as const) {
      expect(net.updateBatchNormStatistics(rows, { batchSize })).toBe(1);
      const mean = new Float64Array(4);
      const variance = new Float64Array(4);
      for (const [from, to] of batches) {
        for (let j = 0; j < 4; j++) {
          const column = Array.from({ length: to - from }, (_, r) => inputs[(from + r) * 4 + j]);
          const m = column.reduce((a, b) => a + b) / column.length;
          mean[j] += m / batches.length;
          variance[j] += column.reduce((a, b) => a + (b - m) ** 2, 0) / (column.length - 1) / batches.length;
        }
      }
      // state() gives float32 copies.
      expectClose(firstNorms(net, 'running_mean'), mean, { rel: 1e-6, abs: 1e-7 }, `running_mean, batches of ${batchSize}`);
      expectClose(firstNorms(net, 'running_var'), variance, { rel: 1e-6, abs: 1e-7 }, `running_var, batches of ${batchSize}`);
      expect(firstNorms(net, 'num_batches_tracked')).toEqual([batches.length]);
    }
  });

  it('then trains as before: the next step moves the statistics by the momentum again', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const make = () => createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'batch-norm', momentum: 0.25 }, { type: 'dense', units: 1, activation: 'linear' }], loss: 'mse', seed: 3, backend: kernels });
    const rows = [[1, 0], [0, 1], [-1, 0.5], [0.5, -1]];
    const targets = [[1], [0], [1], [0]];
    const [net, twin] = [await make(), await make()];
    net.updateBatchNormStatistics(rows);
    // The twin's statistics written as the recomputed ones: one step of each must then agree bit for bit.
    twin.loadState(net.state());
    net.train(rows, targets, { epochs: 1, batchSize: 4, shuffle: false });
    twin.train(rows, targets, { epochs: 1, batchSize: 4, shuffle: false });
    expect(net.state()).toEqual(twin.state());
  });
});
