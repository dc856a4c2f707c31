// Per-example gradient norms and the gradient signal-to-noise ratio from two row norms per layer,
// against per-example gradients computed one row at a time on the float64 ref backend; the wasm
// backends agree; the trace records them only when asked.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { denseChainNoiseLayers, GradientNoiseMeter } from '../../src/flow/gradient-noise.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { Rng } from '../../src/init/rng.js';
import { denseModelOf } from '../../src/model.js';
import { backendsUnderTest } from '../util/backends.js';
import { randomCase, type RandomCase } from '../util/random-network.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';

/** The mean ‖g_x‖ and ‖E g‖² / E‖g − E g‖² of per-example gradients gs[x] (one flat vector per example). */
function noiseOf(gs: number[][]) {
  const m = gs.length;
  const mean = gs[0].map((_, i) => gs.reduce((s, g) => s + g[i], 0) / m);
  const signal = mean.reduce((s, v) => s + v * v, 0);
  const norms = gs.map((g) => Math.sqrt(g.reduce((s, v) => s + v * v, 0)));
  const noise = gs.reduce((s, g) => s + g.reduce((t, v, i) => t + (v - mean[i]) ** 2, 0), 0) / m;
  return { exampleGradNorm: norms.reduce((s, v) => s + v, 0) / m, gradientSNR: signal / noise };
}

/** Per layer: noiseOf the per-example gradients, one row at a time. */
function explicitNoise(net: Network, c: RandomCase) {
  const perExample = c.x.map((row, i) => net.gradients([row], [c.y[i]]).layers.map((layer) => [...layer.weights, ...layer.biases]));
  return net.sizes.slice(1).map((_, l) => noiseOf(perExample.map((layers) => layers[l])));
}

function measured(net: Network, c: RandomCase) {
  net.gradients(c.x, c.y);
  const meter = new GradientNoiseMeter(net.kernels, denseChainNoiseLayers(denseModelOf(net, 'test')));
  const result = meter.measure(c.x.length);
  meter.free();
  return result;
}

const backends = await backendsUnderTest();

describe('gradient noise', () => {
  it('per-example norms and GSNR equal those of explicit per-example gradients (ref, float64)', async () => {
    const rng = new Rng(3);
    for (let t = 0; t < 12; t++) {
      const c = randomCase(rng, { maxDepth: 3, maxWidth: 6, maxBatch: 9 });
      if (c.x.length < 2) continue;
      const net = await createNetwork({ ...c.options, backend: 'ref' });
      const want = explicitNoise(net, c);
      const got = measured(net, c);
      got.forEach((layer, l) => {
        expect(layer.exampleGradNorm, `case ${t} layer ${l}`).toBeCloseTo(want[l].exampleGradNorm, 10);
        expect(Math.abs(layer.gradientSNR / want[l].gradientSNR - 1), `case ${t} layer ${l} GSNR`).toBeLessThan(1e-8);
      });
      net.dispose();
    }
  });

  it.each(backends)('$name agrees with the ref within float32 rounding', async ({ kernels }) => {
    const rng = new Rng(4);
    for (let t = 0; t < 6; t++) {
      const c = randomCase(rng, { maxDepth: 3, maxWidth: 6, maxBatch: 9 });
      if (c.x.length < 2) continue;
      const [ref, net] = [await createNetwork({ ...c.options, backend: 'ref' }), await createNetwork({ ...c.options, backend: kernels })];
      const [want, got] = [measured(ref, c), measured(net, c)];
      got.forEach((layer, l) => {
        expect(Math.abs(layer.exampleGradNorm / want[l].exampleGradNorm - 1), `norm case ${t} layer ${l}`).toBeLessThan(1e-4);
        // GSNR divides by a difference of moments: looser where the signal dominates
        expect(Math.abs(layer.gradientSNR / want[l].gradientSNR - 1), `GSNR case ${t} layer ${l}`).toBeLessThan(1e-2 * Math.max(1, want[l].gradientSNR));
      });
      ref.dispose();
      net.dispose();
    }
  });

  it('a batch of one has no GSNR (NaN); the trace records both metrics only with gradientNoise', async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], loss: 'cross-entropy', backend: 'ref', seed: 2 });
    const x = [[0.1, 0.2, 0.3], [1, -1, 0], [0.5, 0.5, -0.2], [0, 1, 1]];
    const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
    expect(measured(net, { options: {}, x: [x[0]], y: [y[0]] })[0].gradientSNR).toBeNaN();
    net.train(x, y, { epochs: 1, batchSize: 2, trace: { gradientNoise: true } });
    const traced = net.trace!;
    expectTraceInvariants(traced, 'gradientNoise');
    expect(traced.steps.length).toBe(2);
    for (let r = 0; r < traced.steps.length; r++) {
      for (let l = 0; l < 2; l++) {
        expect(traced.at('gradientSNR', r, l)).toBeGreaterThan(0);
        expect(traced.at('exampleGradNorm', r, l)).toBeGreaterThan(0);
      }
    }
    net.train(x, y, { epochs: 1, batchSize: 2, trace: {} });
    expectTraceInvariants(net.trace!, 'without gradientNoise');
    expect(net.trace!.at('gradientSNR', 0, 0)).toBeNaN();
    expect(() => net.train(x, y, { trace: { gradientNoise: 'yes' as unknown as boolean } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    net.dispose();
  });

  it('on a block network without batch norm: each dense row\'s numbers equal those of per-example gradients by name, the other rows NaN (ref, float64)', async () => {
    const rng = new Rng(6);
    const x = Array.from({ length: 10 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((row) => (row[0] * row[1] > 0 ? [1, 0] : [0, 1]));
    const net = await createNetwork({
      inputs: 3,
      seed: 4,
      backend: 'ref',
      layers: [
        { type: 'dense', units: 6, activation: 'tanh' },
        { type: 'layer-norm' },
        { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'relu' }] },
        { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'sigmoid' }] },
        { type: 'activation', activation: 'selu' },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
    });
    // A few steps first, so that ReZero's α is no longer 0 and its branch has gradients.
    net.train(x, y, { epochs: 3, batchSize: 5, optimizer: 'adam', learningRate: 0.05, trace: { every: 1, gradientNoise: true } });
    const trained = net.trace!;
    const recorder = new TraceRecorder(net, { every: 1, gradientNoise: true });
    recorder.afterBackprop(x.length, net.gradients(x, y).loss);
    recorder.close();
    const trace = recorder.trace;
    const perExample = x.map((row, i) => net.gradients([row], [y[i]]).parameters);
    const dense = trace.blocks!.layers.flatMap((layer, l) => (layer.type === 'dense' ? [l] : []));
    expect(dense.map((l) => trace.blocks!.layers[l].name)).toEqual(['0', '3.branch.0', '4.branch.1', '6']);
    for (let l = 0; l < trace.layers; l++) {
      const name = trace.blocks!.layers[l].name;
      if (!dense.includes(l)) {
        expect([trace.at('exampleGradNorm', 0, l), trace.at('gradientSNR', 0, l), trained.at('gradientSNR', 5, l)].every(Number.isNaN), name).toBe(true);
        continue;
      }
      const want = noiseOf(perExample.map((p) => [...p[`${name}.weight`], ...p[`${name}.bias`]]));
      expect(trace.at('exampleGradNorm', 0, l), `${name} ‖g_x‖`).toBeCloseTo(want.exampleGradNorm, 10);
      expect(Math.abs(trace.at('gradientSNR', 0, l) / want.gradientSNR - 1), `${name} GSNR`).toBeLessThan(1e-8);
      // In training: at the first step ReZero's α = 0, so every example's gradient of its branch is 0 (‖g_x‖ 0, GSNR 0/0).
      const unmoved = name.startsWith('4.') ? 1 : 0;
      if (unmoved) expect([trained.at('exampleGradNorm', 0, l), trained.at('gradientSNR', 0, l)]).toEqual([0, NaN]);
      for (let r = unmoved; r < trained.length; r++) expect(trained.at('gradientSNR', r, l), `${name} record ${r}`).toBeGreaterThan(0);
    }
    net.dispose();
  });
});
