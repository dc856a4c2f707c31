// The gradient-flow trace of block networks (issue 13): a row per parameterised or activation layer
// by its PyTorch module name, its numbers against Network.gradients() by name, each residual block's
// skip and branch shares against the δ tensors they are sums of, a trace that does not change
// training by a bit, and JSON and CSV that carry the names.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { Trace } from '../../src/flow/trace.js';
import { MODEL } from '../../src/model.js';
import type { BlockEngine } from '../../src/network/block-engine.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { blobs } from '../util/blobs.js';
import { expectError } from '../util/expect-error.js';
import { EPOCH_CELLS } from '../util/trace-csv.js';
import { EVERY_BLOCK_KIND } from '../util/every-block-kind.js';


const data = blobs(48, 3);

const norm = (values: ArrayLike<number>) => Math.hypot(...Array.from(values));
/** Relative difference, with 0 beside 0 counted as equal. */
const relative = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

function everyTensor(net: Network): Record<string, number[]> {
  const k = net.kernels;
  const out: Record<string, number[]> = {};
  for (const p of net.parameters()) out[p.name] = Array.from(k.view(p.value));
  for (const b of (net[MODEL] as BlockEngine).buffers) out[b.name] = Array.from(k.view(b.value));
  return out;
}

describe('the trace of a block network', () => {
  it('has a row per parameterised or activation layer, by module name, and a entry per residual block', async () => {
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 2, batchSize: 16, trace: { every: 1 } });
    const trace = net.trace!;
    expect(trace.blocks!.layers).toEqual([
      { name: '0', type: 'dense' },
      { name: '2', type: 'batch-norm' },
      { name: '3', type: 'residual' },
      { name: '3.branch.0', type: 'layer-norm' },
      { name: '3.branch.1', type: 'dense' },
      { name: '4', type: 'activation' },
      { name: '5.branch.0', type: 'dense' },
      { name: '6', type: 'dense' },
    ]);
    expect(trace.blocks!.residuals).toEqual([
      { name: '3', gate: 'rezero' },
      { name: '5', gate: 'none' },
    ]);
    expect(trace.sizes).toEqual([4, 6, 6, 6, 6, 6, 6, 6, 3]);
    expect(trace.activations).toEqual(['tanh', 'linear', 'linear', 'linear', 'relu', 'selu', 'sigmoid', 'softmax']);
    expect(trace.layerLabel(4)).toBe("layers[2].layers[1] ('3.branch.1', dense)");
    expect(trace.layerLabel(4, 'short')).toBe('layers[2][1] dense');
    expect(trace.length).toBe(6);
    const at = (metric: Parameters<Trace['at']>[0], layer: number) => trace.at(metric, 5, layer);
    // What each row has: an activation layer no parameter gradients, ReZero's α no bias.
    expect([at('weightGradNorm', 5), at('biasGradNorm', 5), at('biasGradNorm', 2)].every(Number.isNaN)).toBe(true);
    for (const l of [0, 1, 2, 3, 4, 6, 7]) expect(at('weightGradNorm', l), trace.layerLabel(l)).toBeGreaterThan(0);
    for (const l of [0, 1, 2, 3, 4, 5, 6, 7]) expect(at('activationStd', l), trace.layerLabel(l)).toBeGreaterThan(0);
    // The activation layer's output gradient, ∂C/∂(selu output), is formed by backward; so is every dense δ.
    for (const l of [0, 1, 2, 3, 4, 5, 6, 7]) expect(at('deltaRms', l), trace.layerLabel(l)).toBeGreaterThan(0);
    // Saturation for sigmoid, inactivity for relu, neither for selu.
    expect(at('saturatedFraction', 6)).toBeGreaterThanOrEqual(0);
    expect(at('inactiveFraction', 4)).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(at('saturatedFraction', 5)) && Number.isNaN(at('inactiveFraction', 5))).toBe(true);
    // chainFactor only between dense layers of one chain (here none: residual blocks lie between); no bound.
    for (let l = 0; l < trace.layers; l++) expect(Number.isNaN(at('chainFactor', l))).toBe(true);
    expect([at('chainBound', 0), at('spectralNorm', 0)].every(Number.isNaN)).toBe(true);
    // ‖Δα‖/‖α‖ with α = 0 at the first step has no size.
    expect(Number.isNaN(trace.at('updateRatio', 0, 2))).toBe(true);
    // Every weighted row moves (the ReZero branch only from the second step: with α = 0 its gradient is 0).
    for (let r = 0; r < trace.length; r++) for (const l of [0, 1, 6, 7]) expect(trace.at('updateRatio', r, l)).toBeGreaterThan(0);
    for (const l of [2, 3, 4]) expect(trace.at('updateRatio', 5, l)).toBeGreaterThan(0);
    net.dispose();
  });

  it('records at the first step what gradients() gives by name at the initial weights', async () => {
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    const g = net.gradients(data.x, data.y);
    net.train(data.x, data.y, { epochs: 1, batchSize: data.x.length, shuffle: false, trace: { every: 1 } });
    const trace = net.trace!;
    expect(trace.losses[0]).toBe(g.loss);
    const names = trace.blocks!.layers.map((l) => l.name);
    const expectNorm = (metric: 'weightGradNorm' | 'biasGradNorm', row: string, tensor: string) =>
      expect(relative(trace.at(metric, 0, names.indexOf(row)), norm(g.parameters[tensor])), `${metric} ${row}`).toBeLessThan(1e-12);
    for (const row of ['0', '2', '3.branch.0', '3.branch.1', '5.branch.0', '6']) {
      expectNorm('weightGradNorm', row, `${row}.weight`);
      expectNorm('biasGradNorm', row, `${row}.bias`);
    }
    expectNorm('weightGradNorm', '3', '3.alpha');
    expect(trace.residualSeries('alpha', 0)[0]).toBe(0);
    expect(trace.residualSeries('alphaGrad', 0)[0]).toBe(g.parameters['3.alpha'][0]);
    expect(Number.isNaN(trace.residualSeries('alpha', 1)[0])).toBe(true);
    // With α = 0, nothing reaches the ReZero block's input through its branch.
    expect(trace.residualSeries('branchGradRms', 0)[0]).toBe(0);
    expect(trace.residualSeries('skipGradRms', 0)[0]).toBeGreaterThan(0);
    net.dispose();
  });

  it("measures a block's skip and branch shares: the sums of squares of ∂C/∂y and of ∂C/∂x − ∂C/∂y", async () => {
    // Linear layers around a plain block: the first layer's δ is ∂C/∂x of the block, the branch's δ is ∂C/∂y.
    const net = await createNetwork({
      inputs: 4,
      seed: 5,
      backend: 'ref',
      layers: [{ type: 'dense', units: 5 }, { type: 'residual', layers: [{ type: 'dense', units: 5 }] }, { type: 'dense', units: 3, activation: 'softmax' }],
    });
    const batch = data.x.length;
    net.train(data.x, data.y, { epochs: 1, batchSize: batch, trace: { every: 1 } });
    const trace = net.trace!;
    const taps = net[MODEL].flowTaps!();
    const k = net.kernels;
    const dx = Array.from(k.view(taps.layers[0].delta()!).subarray(0, batch * 5));
    const dy = Array.from(k.view(taps.layers[1].delta()!).subarray(0, batch * 5));
    const skip = Math.sqrt(batch) * norm(dy);
    const branch = Math.sqrt(batch) * norm(dx.map((v, i) => v - dy[i]));
    expect(branch).toBeGreaterThan(0);
    expect(relative(trace.residualSeries('skipGradRms', 0)[0], skip)).toBeLessThan(1e-12);
    expect(relative(trace.residualSeries('branchGradRms', 0)[0], branch)).toBeLessThan(1e-9);
    expect(relative(trace.at('deltaRms', 0, 1), skip)).toBeLessThan(1e-12);
    net.dispose();
  });

  it('measures chainFactor between the dense layers of one chain, through norm and activation layers', async () => {
    const net = await createNetwork({
      inputs: 4,
      seed: 5,
      backend: 'ref',
      layers: [
        { type: 'dense', units: 5 },
        { type: 'batch-norm' },
        { type: 'activation', activation: 'tanh' },
        { type: 'dense', units: 5, activation: 'relu' },
        { type: 'residual', layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 5 }] },
        { type: 'dense', units: 3, activation: 'softmax' },
      ],
    });
    net.train(data.x, data.y, { epochs: 1, batchSize: 16, trace: { every: 1 } });
    const trace = net.trace!;
    expect(trace.blocks!.layers.map((l) => l.name)).toEqual(['0', '2', '3', '4', '6.branch.0', '6.branch.2', '7']);
    for (let r = 0; r < trace.length; r++) {
      const factor = (l: number, m: number) => trace.at('deltaRms', r, l) / trace.at('deltaRms', r, m);
      expect(trace.at('chainFactor', r, 0)).toBe(factor(0, 3));
      expect(trace.at('chainFactor', r, 4)).toBe(factor(4, 5));
      for (const l of [1, 2, 3, 5, 6]) expect(Number.isNaN(trace.at('chainFactor', r, l))).toBe(true);
    }
    net.dispose();
  });

  it('measures a block that is the first layer (its input gradient is otherwise not formed)', async () => {
    const net = await createNetwork({ inputs: 4, seed: 5, backend: 'ref', layers: [{ type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] }, { type: 'dense', units: 3, activation: 'softmax' }] });
    net.train(data.x, data.y, { epochs: 1, batchSize: 16, trace: { every: 2 } });
    const trace = net.trace!;
    expect(trace.length).toBe(2);
    for (const metric of ['skipGradRms', 'branchGradRms'] as const) for (const v of trace.residualSeries(metric, 0)) expect(v).toBeGreaterThan(0);
    net.dispose();
  });

  it('does not change training by a bit: the same tensors with and without a trace, on every kind of backend', async () => {
    for (const backend of ['wasm', 'ref', createRefKernels({ precision: 'f32' })] as const) {
      const tensors = [];
      // The last: 18 steps traced every 3rd (1, 4, …, 16) and at extraSteps 2 and 18 (the last), each measured in full.
      for (const trace of [undefined, { every: 1 }, { every: 3, histogramSteps: [1, 4] }, { every: 3, extraSteps: [2, 18], histogramSteps: [2] }]) {
        const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend });
        net.train(data.x, data.y, { epochs: 3, batchSize: 8, optimizer: 'adam', trace });
        tensors.push(everyTensor(net));
        if (trace?.extraSteps) {
          expect(Array.from(net.trace!.steps)).toEqual([1, 2, 4, 7, 10, 13, 16, 18]);
          expect(net.trace!.histograms.map((h) => h.step)).toEqual([2]);
          for (const v of net.trace!.residualSeries('skipGradRms', 1)) expect(v).toBeGreaterThan(0);
        }
        net.dispose();
      }
      for (const traced of tensors.slice(1)) expect(traced).toEqual(tensors[0]);
    }
  });

  it('reads back from JSON with its names and residual metrics; its CSV names each row', async () => {
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 1, batchSize: 16, trace: { every: 1, histogramSteps: [2] } });
    const trace = net.trace!;
    net.dispose();
    const json = JSON.parse(JSON.stringify(trace.toJSON()));
    expect(json.version).toBe(3);
    // (JSON has no Infinity: a δ of 0 makes a chain factor Infinity, read back as NaN, as in a dense trace.)
    expect(Trace.fromJSON(json).toJSON()).toEqual(JSON.parse(JSON.stringify(trace.toJSON()), (_, v) => (v === null ? NaN : v)));
    expect(trace.histograms[0].counts).toHaveLength(trace.layers);
    const csv = trace.toCSV().split('\n');
    expect(csv[0].endsWith(`,name,type,${EPOCH_CELLS.join(',')}`)).toBe(true);
    expect(csv[5].endsWith(`,3.branch.1,dense${','.repeat(EPOCH_CELLS.length)}`)).toBe(true);
    const broken = { ...json, blocks: { ...json.blocks, residualMetrics: { ...json.blocks.residualMetrics, skipGradRms: [[1]] } } };
    await expectError(() => Trace.fromJSON(broken), 'INVALID_OPTION', /blocks\.residualMetrics\.skipGradRms\[0\] must hold 2 values/);
  });

  it('traces gradients() by hand with a TraceRecorder', async () => {
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    const recorder = new TraceRecorder(net, { every: 1 });
    const g = net.gradients(data.x, data.y);
    recorder.afterBackprop(data.x.length, g.loss);
    recorder.close();
    expect(recorder.trace.length).toBe(1);
    expect(recorder.trace.residualSeries('skipGradRms', 1)[0]).toBeGreaterThan(0);
    net.dispose();
  });

  it('refuses gradientNoise on a block network with batch norm before anything changes', async () => {
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    const before = everyTensor(net);
    await expectError(() => net.train(data.x, data.y, { trace: { gradientNoise: true } }), 'INVALID_OPTION', /^trace\.gradientNoise: batch norm \(module '2'\) mixes the examples' gradients through its batch statistics/);
    expect(everyTensor(net)).toEqual(before);
    expect(net.step).toBe(0);
    net.dispose();
  });
});
