// The visualizer's optimiser for its settings (demo/src/run-optimizer.ts): its per-layer rates run
// with the page's L2 lowered where the page's learning rate × the largest rate would take step size ×
// L2 beyond what SGD's update holds, as the diagnosis's per-layer-rates remedy lowers it (e4cad35).
// Before, the worker gave SGD the page's L2 as set, and train() refused the run's first step: the
// page's defaults (6 sigmoid layers, lr 0.1) measure a first rate of about 4e5 at initialisation, at which even L2 1e-4 is refused.
import { describe, expect, it } from 'vitest';
import { networkOptions } from '../../demo/src/architecture.js';
import { optimizerFor, sgdWithRates } from '../../demo/src/run-optimizer.js';
import { DEFAULTS, LAYER_RATES, type Settings } from '../../demo/src/settings.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { largestWithin } from '../../src/optimizer-defaults.js';

const rng = new Rng(5);
const ROWS = 64;
const x = { data: Float32Array.from({ length: ROWS * 2 }, () => rng.uniformIn(-1, 1)), rows: ROWS, cols: 2 };
const y = { data: new Float32Array(ROWS * 2), rows: ROWS, cols: 2 };
for (let r = 0; r < ROWS; r++) y.data[2 * r + (x.data[2 * r] * x.data[2 * r + 1] > 0 ? 0 : 1)] = 1;
const probe = { x, y };

const settings: Settings = { ...DEFAULTS, optimizer: LAYER_RATES, l2: 0.1 };
const make = () => createNetwork({ ...networkOptions(settings, 2, 2), backend: 'ref' });
/** Plain SGD's bound on step size × λ (the page's per-layer rates run without momentum). */
const PLAIN_BOUND = 2;

describe('the visualizer’s per-layer rates with L2', () => {
  it('lowers the L2 to the largest (3 figures) SGD takes at the learning rate × the largest rate, says so, and trains where the L2 as set is refused', async () => {
    const net = await make();
    const made = optimizerFor(net, settings, probe);
    const largestRate = Math.max(...made.layerRates!);
    const step = settings.learningRate * largestRate;
    // The reproduction: at the L2 as set the decay alone would grow the first layers' weights.
    expect(step * settings.l2).toBeGreaterThan(PLAIN_BOUND);
    expect(() => net.train(x, y, { epochs: 1, learningRate: settings.learningRate, optimizer: { name: 'sgd', weightDecay: settings.l2, layerRates: made.layerRates! } })).toThrow(/weightDecay: layer \d+'s learning rate 0\.1 × layerRates/);
    // Lowered to the largest within, to 3 figures.
    expect(step * made.weightDecay).toBeLessThanOrEqual(PLAIN_BOUND);
    expect(step * Number((made.weightDecay * 1.01).toPrecision(3))).toBeGreaterThan(PLAIN_BOUND);
    expect((made.optimizer as unknown as { weightDecay: number }).weightDecay).toBe(made.weightDecay);
    expect(made.weightDecayLowered).toMatch(new RegExp(`^L2 is lowered from 0\\.1 to ${made.weightDecay} while these rates run: at learning rate 0\\.1 × the largest rate \\S+, a larger L2 would make the decay alone grow that layer’s weights every step, which training refuses\\.$`));
    const before = net.step;
    net.train(x, y, { epochs: 1, batchSize: 32, learningRate: settings.learningRate, optimizer: made.optimizer });
    expect(net.step).toBe(before + 2);
    made.optimizer.dispose();
    net.dispose();
  });

  it('keeps an L2 the rates take, and lowers it again or less at a new learning rate', async () => {
    const net = await make();
    const kept = optimizerFor(net, { ...settings, l2: 1e-6 }, probe);
    expect([kept.weightDecay, kept.weightDecayLowered]).toEqual([1e-6, '']);
    const rates = kept.layerRates!;
    kept.optimizer.dispose();
    const atTenth = sgdWithRates(net, rates, settings);
    const atHundredth = sgdWithRates(net, rates, { ...settings, learningRate: 0.01 });
    // The one source the library's refusal and remedy read: the largest within the bound, or the L2 as set where it is within.
    const largestRate = Math.max(...rates);
    expect(atTenth.weightDecay).toBe(largestWithin(PLAIN_BOUND, 0.1 * largestRate));
    expect(atHundredth.weightDecay).toBe(Math.min(settings.l2, largestWithin(PLAIN_BOUND, 0.01 * largestRate)));
    expect(atHundredth.weightDecay).toBeGreaterThan(atTenth.weightDecay);
    for (const made of [atTenth, atHundredth]) made.optimizer.dispose();
    net.dispose();
  });

  it('gives the other optimisers the page’s L2 as set', async () => {
    const net = await make();
    const made = optimizerFor(net, { ...settings, optimizer: 'sgd' }, probe);
    expect([made.layerRates, made.weightDecay, made.weightDecayLowered, (made.optimizer as unknown as { weightDecay: number }).weightDecay]).toEqual([null, 0.1, '', 0.1]);
    made.optimizer.dispose();
    net.dispose();
  });
});
