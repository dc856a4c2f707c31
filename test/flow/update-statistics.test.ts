/**
 * The weights' statistics of a trace taken in the optimiser's update (plain SGD's sgdStepStats, on
 * the steps train() traces: Optimizer.measureUpdate) against the same run with an optimiser whose
 * update does not take the request, so the trace measures them apart (weightStats before the update,
 * the change against its snapshot): on every backend, dense and block networks, tracing every step
 * and every 3rd, the same records (every metric; the weights' sums within the kernels' tolerance,
 * the SIMD core adding them in another order), the same weights after training, and the request
 * taken on every traced step and only then.
 */
import { describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Rng } from '../../src/init/rng.js';
import type { Kernels } from '../../src/kernels.js';
import { MODEL } from '../../src/model.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { Sgd } from '../../src/optim/sgd.js';
import { kernelBackends } from '../util/backends.js';
import { expectClose } from '../util/close.js';

const rng = new Rng(7);
const x = Array.from({ length: 14 }, () => Array.from({ length: 5 }, () => rng.normal()));
const y = x.map((_, r) => [0, 1, 2].map((c) => (c === r % 3 ? 1 : 0)));

const NETWORKS: [string, NetworkOptions][] = [
  ['dense', { sizes: [5, 8, 6, 3], activation: 'sigmoid', output: 'softmax', seed: 5 }],
  ['blocks', { inputs: 5, seed: 5, layers: [{ type: 'dense', units: 8, activation: 'sigmoid' }, { type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }] }],
];
const WEIGHT_METRICS = new Set(['weightGradNorm', 'weightGradMeanAbs', 'weightNorm', 'updateRatio']);

/** Plain SGD whose update leaves the trace's request: every Optimizer member but measureUpdate. */
function sgdMeasuringNothing(net: Network): Optimizer {
  const sgd = new Sgd(net);
  return {
    name: sgd.name,
    model: sgd.model,
    defaultLearningRate: sgd.defaultLearningRate,
    rateProblem: (rate) => sgd.rateProblem(rate),
    keepsWithin: (bounds) => sgd.keepsWithin(bounds),
    step: (n, rate, batch) => sgd.step(n, rate, batch),
    state: () => sgd.state(),
    restore: (state) => sgd.restore(state),
    dispose: () => sgd.dispose(),
  };
}

describe.each(await kernelBackends())('the weights measured in the update on $name', ({ kernels }) => {
  describe.each(NETWORKS)('a %s network', (_, options) => {
    it.each([1, 3])('records what the trace measures apart, tracing every %i step(s)', async (every) => {
      const run = async (measured: boolean) => {
        const net = await createNetwork({ ...options, backend: kernels as Kernels });
        const [byUpdate, apart] = [vi.spyOn(kernels, 'sgdStepStats'), vi.spyOn(kernels, 'weightStats')];
        try {
          const optimizer = measured ? new Sgd(net) : sgdMeasuringNothing(net);
          net.train(x, y, { optimizer, learningRate: 0.3, epochs: 3, batchSize: 4, trace: { every } });
          const weights = net[MODEL].parameters().map((p) => Array.from(kernels.view(p.value).subarray(0, p.length)));
          return { trace: net.trace!, weights, calls: [byUpdate.mock.calls.length, apart.mock.calls.length] };
        } finally {
          byUpdate.mockRestore();
          apart.mockRestore();
          net.dispose();
        }
      };
      const [measured, apart] = [await run(true), await run(false)];
      const records = measured.trace.length;
      const rows = measured.trace.layers;
      const weightRows = measured.weights.length / 2; // a weight and a bias each (layer norm's γ and β alike)
      expect(records).toBe(Math.ceil(12 / every)); // 3 epochs of 4 batches
      expect(measured.calls, 'sgdStepStats and weightStats calls, measured in the update').toEqual([records * weightRows, 0]);
      expect(apart.calls, 'sgdStepStats and weightStats calls, measured apart').toEqual([0, records * weightRows]);
      expect(measured.weights, 'the trained weights').toEqual(apart.weights);
      expect(apart.trace.length).toBe(records);
      for (const name of LAYER_METRIC_NAMES) {
        for (let r = 0; r < records; r++) {
          for (let l = 0; l < rows; l++) {
            const [got, want] = [measured.trace.at(name, r, l), apart.trace.at(name, r, l)];
            const label = `${name} record ${r} row ${l}`;
            if (WEIGHT_METRICS.has(name) && Number.isFinite(want)) expectClose([got], [want], { rel: 1e-5, abs: 1e-30 }, label);
            else expect(got, label).toBe(want);
          }
        }
      }
    });
  });
});
