// Per-example gradient norms and the gradient signal-to-noise ratio from two row norms per layer,
// against per-example gradients computed one row at a time on the float64 ref backend; the wasm
// backends agree; the trace records them only when asked.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { GradientNoiseMeter } from '../../src/flow/gradient-noise.js';
import { Rng } from '../../src/init/rng.js';
import { denseModelOf } from '../../src/model.js';
import { backendsUnderTest } from '../util/backends.js';
import { randomCase, type RandomCase } from '../util/random-network.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';

/** Per layer: the mean ‖g_x‖ and ‖E g‖² / E‖g − E g‖² from per-example gradients, one row at a time. */
function explicitNoise(net: Network, c: RandomCase) {
  const perExample = c.x.map((row, i) => net.gradients([row], [c.y[i]]).layers.map((layer) => [...layer.weights, ...layer.biases]));
  const m = c.x.length;
  return net.sizes.slice(1).map((_, l) => {
    const gs = perExample.map((layers) => layers[l]);
    const mean = gs[0].map((_, i) => gs.reduce((s, g) => s + g[i], 0) / m);
    const signal = mean.reduce((s, v) => s + v * v, 0);
    const norms = gs.map((g) => Math.sqrt(g.reduce((s, v) => s + v * v, 0)));
    const noise = gs.reduce((s, g) => s + g.reduce((t, v, i) => t + (v - mean[i]) ** 2, 0), 0) / m;
    return { exampleGradNorm: norms.reduce((s, v) => s + v, 0) / m, gradientSNR: signal / noise };
  });
}

function measured(net: Network, c: RandomCase) {
  net.gradients(c.x, c.y);
  const meter = new GradientNoiseMeter(denseModelOf(net, 'test'));
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
});
