/**
 * The weights' statistics of a trace taken in the optimiser's update (SGD's sgdStepStats, and
 * sgdUpdateStats with momentum and weight decay, on the steps train() traces:
 * Optimizer.measureUpdate) against the same run with an optimiser whose
 * update does not take the request, so the trace measures them apart (weightStats before the update,
 * the change against its snapshot): on every backend, dense and block networks, tracing every step
 * and every 3rd, the same records to the bit (the kernels add the same terms in weightStats' order;
 * test/flow/dense-trace-unchanged's hashes hold), the same weights after training, and the request
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
import { Sgd, type SgdOptions } from '../../src/optim/sgd.js';
import { kernelBackends } from '../util/backends.js';

const rng = new Rng(7);
const x = Array.from({ length: 14 }, () => Array.from({ length: 5 }, () => rng.normal()));
const y = x.map((_, r) => [0, 1, 2].map((c) => (c === r % 3 ? 1 : 0)));

const NETWORKS: [string, NetworkOptions][] = [
  ['dense', { sizes: [5, 8, 6, 3], activation: 'sigmoid', output: 'softmax', seed: 5 }],
  ['blocks', { inputs: 5, seed: 5, layers: [{ type: 'dense', units: 8, activation: 'sigmoid' }, { type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }] }],
];

/** The SGD settings under test: plain (sgdStepStats), and with momentum and weight decay (sgdUpdateStats). */
const SETTINGS: [string, SgdOptions, 'sgdStepStats' | 'sgdUpdateStats'][] = [
  ['plain SGD', {}, 'sgdStepStats'],
  ['SGD with momentum and weight decay', { momentum: 0.9, weightDecay: 1e-3 }, 'sgdUpdateStats'],
];

/** SGD whose update leaves the trace's request: every Optimizer member but measureUpdate. */
function sgdMeasuringNothing(net: Network, options: SgdOptions): Optimizer {
  const sgd = new Sgd(net, options);
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
    const cases = SETTINGS.flatMap(([label, sgdOptions, kernel]) => [1, 3].map((every) => ({ label, sgdOptions, kernel, every })));
    it.each(cases)('with $label records what the trace measures apart, tracing every $every step(s)', async ({ sgdOptions, kernel, every }) => {
      const run = async (measured: boolean) => {
        const net = await createNetwork({ ...options, backend: kernels as Kernels });
        const [byUpdate, apart] = [vi.spyOn(kernels, kernel), vi.spyOn(kernels, 'weightStats')];
        try {
          const optimizer = measured ? new Sgd(net, sgdOptions) : sgdMeasuringNothing(net, sgdOptions);
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
      expect(measured.calls, `${kernel} and weightStats calls, measured in the update`).toEqual([records * weightRows, 0]);
      expect(apart.calls, `${kernel} and weightStats calls, measured apart`).toEqual([0, records * weightRows]);
      expect(measured.weights, 'the trained weights').toEqual(apart.weights);
      expect(apart.trace.length).toBe(records);
      for (const name of LAYER_METRIC_NAMES) {
        for (let r = 0; r < records; r++) {
          for (let l = 0; l < rows; l++) {
            const [got, want] = [measured.trace.at(name, r, l), apart.trace.at(name, r, l)];
            const label = `${name} record ${r} row ${l}`;
            expect(got, label).toBe(want);
          }
        }
      }
    });
  });
});
