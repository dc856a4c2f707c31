// What the visualizer shows per layer: saturation for saturating units, dead units for relu, never
// one for the other; the chain factor beside the bound of its own record.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { gradientColumnsNote, statsFromTrace } from '../../demo/src/layer-stats.js';
import { cancelledBiasNote } from '../../src/flow/cancelled-biases.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';

const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
const y = x.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));

describe('visualizer layer statistics', () => {
  it.each(['sigmoid', 'relu'] as const)('%s: the failure the activation can suffer, and each bound with its own factor', async (activation) => {
    const net = await createNetwork({ sizes: [2, 6, 6, 6, 2], activation, output: 'softmax', backend: 'ref', seed: 5 });
    net.train(x, y, { epochs: 5, batchSize: 4, learningRate: 0.3, trace: { every: 1, refreshEvery: 4 } });
    const trace = net.trace!;
    expectTraceInvariants(trace, activation);
    const record = 6; // refreshed at records 0, 4, 8, …: its bound comes from record 4
    const stats = statsFromTrace(trace, record);
    const metric = activation === 'relu' ? 'deadFraction' : 'saturatedFraction';
    expect(stats.unitFailureKind).toEqual([...Array(3).fill(activation === 'relu' ? 'dead' : 'saturated'), null]);
    expect(Array.from(stats.unitFailure.subarray(0, 3))).toEqual(Array.from(trace.row(metric, record)).slice(0, 3));
    expect(stats.chainStep).toBe(trace.steps[4]);
    expect(Array.from(stats.chainFactor)).toEqual(Array.from(trace.row('chainFactor', 4)));
    expect(Array.from(stats.chainBound)).toEqual(Array.from(trace.row('chainBound', 4)));
    expect(Array.from(stats.gradB)).toEqual(Array.from(trace.row('biasGradNorm', record)));
    // No batch norm: every layer's ‖∂C/∂b‖ is charted, and nothing is said to be left out.
    expect(stats.chartedBiasRows).toEqual(stats.biasRows);
    expect(stats.cancelledBiasNote).toBe('');
    net.dispose();
  });

  it('names a block network\'s rows as the trace does, shows ‖∂C/∂b‖ only where there is a b, and its chain factor of the same record', async () => {
    const net = await createNetwork({
      inputs: 2,
      layers: [{ type: 'dense', units: 6 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 6, activation: 'sigmoid' }] }, { type: 'dense', units: 2, activation: 'softmax' }],
      loss: 'cross-entropy',
      backend: 'ref',
      seed: 5,
    });
    net.train(x, y, { epochs: 2, batchSize: 4, learningRate: 0.3, trace: { every: 1, refreshEvery: 4 } });
    const trace = net.trace!;
    const stats = statsFromTrace(trace, 6);
    expect(stats.labels).toEqual(["layers[0] ('0', dense)", "layers[1] ('2', batch-norm)", "layers[2] ('3', activation)", "layers[3] ('4', residual)", "layers[3].layers[0] ('4.branch.0', dense)", "layers[4] ('5', dense)"]);
    expect(stats.shortLabels).toEqual(['layers[0] dense', 'layers[1] batch-norm', 'layers[2] activation', 'layers[3] residual', 'layers[3][0] dense', 'layers[4] dense']);
    expect(stats.biasRows).toEqual([0, 1, 4, 5]);
    // '0' (dense, linear) feeds the batch norm right after it: its bias is cancelled, so the bars and the
    // heatmap leave it out (as the report's charts do) and the note says so, with what was measured.
    expect(stats.chartedBiasRows).toEqual([1, 4, 5]);
    expect(stats.cancelledBiasNote).toBe(cancelledBiasNote(trace));
    expect(stats.cancelledBiasNote).toMatch(/^The ‖∂C\/∂b‖ charts leave out the bias of dense layer layers\[0\] \('0', dense\): each feeds a batch norm, .* \(largest here \d\.\de-\d+, against at least \d\.\de[-+]\d+ for the batch norms' shift β, which the charts show instead\)\.$/);
    expect(stats.weightRows).toEqual([0, 1, 3, 4, 5]);
    expect(stats.unitFailureKind).toEqual([null, null, 'saturated', null, 'saturated', null]);
    // No ‖W‖₂ in a block network's trace: the factor is the record's own.
    expect(stats.chainStep).toBe(trace.steps[6]);
    expect(Array.from(stats.chainFactor)).toEqual(Array.from(trace.row('chainFactor', 6)));
    expect(Array.from(stats.gradB)).toEqual(Array.from(trace.row('biasGradNorm', 6)));
    // The ReZero block: its skip's and branch's share of the gradient and its α, of the same record.
    expect(stats.residuals).toEqual([
      { label: "layers[3] ('4', residual)", skip: trace.residualSeries('skipGradRms', 0)[6], branch: trace.residualSeries('branchGradRms', 0)[6], alpha: trace.residualSeries('alpha', 0)[6] },
    ]);
    expect(stats.residuals[0].alpha).not.toBe(0); // α has moved from 0 by step 7
    expect(statsFromTrace(trace, 6).residuals[0].skip).toBeGreaterThan(0);
    net.dispose();
  });
});

describe("the chain-rule table's note on its gradient columns", () => {
  it('says a batch of fewer than the training rows is one batch, with the windows the diagnosis reads; nothing at step 0', () => {
    expect(gradientColumnsNote(0, 32, 280, 1)).toBe('');
    const note = gradientColumnsNote(97_299, 32, 280, 20);
    expect(note).toContain('of the latest full batch alone, 32 of the 280 training rows: on a plateau mostly that batch\'s sampling noise');
    expect(note).toContain('medians over the first and the last 20 traced batches');
    // Too few records for windows: the diagnosis reads one at each end too, and no medians are named.
    expect(gradientColumnsNote(40, 32, 280, 1)).not.toContain('medians');
    // A batch of every training row holds no batch noise.
    expect(gradientColumnsNote(40, 512, 280, 20)).toBe('; ‖∂C/∂W‖ and ‖∂C/∂b‖ of the latest batch, all 280 training rows');
  });
});
