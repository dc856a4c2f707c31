// The flow map's two views (newuser44 #4): the batch's ‖∂C/∂b‖ at every step, or the mean loss's on the page's fixed probe rows
// at each page update, each in the trace's rows; and the steps axis's round ticks between its ends.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { statsFromTrace } from '../../demo/src/layer-stats.js';
import { History } from '../../demo/src/history.js';
import { flowMapCaption, flowMapData } from '../../demo/src/charts/flow-map-data.js';
import { stepLabel, stepTicks } from '../../demo/src/charts/canvas.js';
import { biasNormsPerRow, type NetworkOptions } from '../../src/index.js';

const x = Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
const y = x.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));

/** The probe's gradients (Network.gradients over x) beside the trace a recorder makes of them, as the worker measures step 0. */
async function probed(options: NetworkOptions) {
  const net = await createNetwork({ seed: 3, ...options });
  net.train(x, y, { epochs: 3, batchSize: 8, learningRate: 0.5 });
  const gradients = net.gradients(x, y);
  const recorder = new TraceRecorder(net, { every: 1 }, {});
  recorder.afterBackprop(x.length, gradients.loss);
  recorder.close();
  net.dispose();
  return { gradients, trace: recorder.trace };
}

describe('the flow map', () => {
  it.each([
    ['a dense network', { sizes: [2, 5, 4, 2], activation: 'sigmoid', output: 'softmax' }],
    ['a block network', { inputs: 2, layers: [{ type: 'dense', units: 5 }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 5, activation: 'tanh' }] }, { type: 'dense', units: 2, activation: 'softmax' }] }],
  ] as [string, NetworkOptions][])("%s: the mean loss's ‖∂C/∂b‖ per trace row is the one a trace of that gradient records", async (_, options) => {
    const { gradients, trace } = await probed(options);
    const mean = biasNormsPerRow(trace, gradients);
    expect(mean).toHaveLength(trace.layers);
    const recorded = trace.row('biasGradNorm', 0);
    for (let l = 0; l < trace.layers; l++) {
      if (Number.isNaN(recorded[l])) expect(mean[l]).toBeNaN();
      else expect(mean[l] / recorded[l]).toBeCloseTo(1, 5);
    }
    // Every row the map draws has a value.
    expect(statsFromTrace(trace, 0).chartedBiasRows.every((l) => mean[l] > 0)).toBe(true);
  });

  it('draws the batch view from the buckets and the mean view from the snapshots at their own steps, nothing before a step', async () => {
    const { gradients, trace } = await probed({ sizes: [2, 5, 4, 2], activation: 'sigmoid', output: 'softmax' });
    const stats = statsFromTrace(trace, 0);
    const history = new History();
    const meanAt = (k: number) => Float64Array.from(biasNormsPerRow(trace, gradients), (v) => v / k);
    history.addSnapshot({ step: 0, accuracy: 0.5, testAccuracy: 0.5, testLoss: 1, meanGradB: meanAt(1) });
    expect(flowMapData(history, stats, 'mean').rows).toEqual([]);
    expect(flowMapData(history, stats, 'batch').rows).toEqual([]);
    history.addSteps(Array.from({ length: 30 }, (_, i) => ({ step: i + 1, loss: 1, gradB: Float64Array.from([1, 2, 3], (v) => v * (i + 1)) })));
    history.addSnapshot({ step: 30, accuracy: 0.5, testAccuracy: 0.5, testLoss: 1, meanGradB: meanAt(10) });
    const batch = flowMapData(history, stats, 'batch');
    expect([batch.first, batch.last, batch.rows.length, batch.steps]).toEqual([1, 30, 30, undefined]);
    expect(Array.from(batch.rows[29])).toEqual([30, 60, 90]);
    const mean = flowMapData(history, stats, 'mean');
    expect([mean.first, mean.last, Array.from(mean.steps!)]).toEqual([0, 30, [0, 30]]);
    expect(mean.rows[1]).toEqual(meanAt(10));
    expect(mean.layers).toEqual(stats.chartedBiasRows);
  });

  it('says in its heading which gradient it shows, and where the batch is every training row that it is no sample', () => {
    expect(flowMapCaption('mean', 32, 280, 256)).toBe(
      '‖∂C/∂b‖ of the mean loss over the first 256 training rows, not a batch\'s, measured at page updates (at most 1,024 kept, thinned evenly): how far the gradient over those rows fell over training time',
    );
    expect(flowMapCaption('batch', 32, 280, 256)).toBe(
      "‖∂C/∂b‖ of each layer at each step, of its batch of 32 rows: over depth the gap; over training time, once the loss is flat, mostly that batch's sampling noise",
    );
    expect(flowMapCaption('batch', 512, 280, 256)).toBe('‖∂C/∂b‖ of each layer at each step, of its batch: all 280 training rows');
  });

  it('ticks a steps axis at round steps strictly between its ends, at most as many as asked', () => {
    expect(stepTicks(1, 240_930, 5)).toEqual([50_000, 100_000, 150_000, 200_000]);
    expect(stepTicks(1, 200, 5)).toEqual([50, 100, 150]);
    expect(stepTicks(0, 1000, 10)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(stepTicks(1, 30, 4)).toEqual([10, 20]);
    for (const [first, last, max] of [[1, 97_299, 6], [1, 13, 3], [17, 1_000_003, 7], [1, 2, 5]]) {
      const ticks = stepTicks(first, last, max);
      expect(ticks.length).toBeLessThanOrEqual(max);
      expect(ticks.every((t) => t > first && t < last)).toBe(true);
      // Evenly spaced, at a stride of 1, 2 or 5 × a power of ten.
      const strides = new Set(ticks.slice(1).map((t, i) => t - ticks[i]));
      expect(strides.size).toBeLessThanOrEqual(1);
      for (const s of strides) expect(s / 10 ** Math.floor(Math.log10(s))).toBeOneOf([1, 2, 5]);
    }
    expect(stepTicks(5, 5, 4)).toEqual([]);
    expect([stepLabel(500), stepLabel(2000), stepLabel(50_000), stepLabel(250_000), stepLabel(1_500_000)]).toEqual(['500', '2,000', '50k', '250k', '1.5M']);
  });
});
