/**
 * diagnose() on the three cases of the issue, each verdict checked against the evidence that must
 * produce it: a 10-layer sigmoid net with standard init vanishes, a 3-hidden-layer tanh net with
 * glorot init is healthy, a deep relu net with large weights explodes.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, EXPLODING_RATIO, VANISHING_RATIO } from '../../src/flow/diagnose.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';

const rng = new Rng(31);
const ROWS = 64;
const x = Array.from({ length: ROWS }, () => Array.from({ length: 16 }, () => rng.uniform()));
const y = x.map((row) => {
  const t = [0, 0, 0, 0];
  t[Math.min(3, Math.floor(row[0] * 2) + (row[1] > 0.5 ? 2 : 0))] = 1;
  return t;
});

async function diagnosed(options: NetworkOptions, learningRate = 0.05) {
  const net = await createNetwork({ inputs: 16, output: 'softmax', loss: 'cross-entropy', seed: 4, backend: 'ref', ...options });
  net.train(x, y, { epochs: 5, batchSize: 16, learningRate, trace: { every: 2 } });
  const d = diagnose(net.trace!);
  net.dispose();
  return d;
}

describe('diagnose', () => {
  it('finds vanishing gradients in a 10-layer sigmoid network with standard init', async () => {
    const d = await diagnosed({ layers: [...Array(9).fill({ units: 24 }), { units: 4 }], activation: 'sigmoid', init: 'standard' });
    expect(d.verdict).toBe('vanishing');
    const e = d.evidence;
    expect(e.hiddenLayers).toBe(9);
    expect(e.firstToLast.median).toBeLessThan(VANISHING_RATIO);
    // Every hidden layer learns slower than the one after it, each by a factor the bound explains.
    for (let l = 0; l < 8; l++) {
      expect(e.layers[l].biasGradNorm, `layer ${l} slower than ${l + 1}`).toBeLessThan(e.layers[l + 1].biasGradNorm);
      expect(e.layers[l].chainFactor, `factor ${l}`).toBeLessThan(1);
      expect(e.layers[l].chainFactor, `factor ${l} ≤ bound`).toBeLessThanOrEqual(e.layers[l].chainBound * (1 + 1e-9));
      expect(e.layers[l].chainBound, `σ' ≤ 1/4 in the bound of ${l}`).toBeLessThanOrEqual(0.25 * 2);
    }
    expect(e.meanChainFactor).toBeLessThan(0.5);
    expect(d.summary).toMatch(/^Vanishing gradients: the first hidden layer learns .+× slower/);
    const options = d.remedies.map((r) => r.option).join('\n');
    expect(options).toMatch(/activation: 'tanh'/);
    expect(options).toMatch(/init: 'glorot-uniform'/);
    expect(options).toMatch(/layerRates: \[\d+(, \d+){9}\]/);
    expect(options).toMatch(/'adam'/);
    expect(options).toMatch(/'lars'/);
    expect(options).toMatch(/'kfac' or 'hessian-free'/);
    // The suggested multipliers follow the measured gap: largest for the first layer, 1 for the output.
    const rates = JSON.parse(options.match(/layerRates: (\[[^\]]+\])/)![1]) as number[];
    expect(rates[0]).toBeGreaterThan(rates[7]);
    expect(rates[9]).toBe(1);
  });

  it('finds a 3-hidden-layer tanh network with glorot init healthy', async () => {
    const d = await diagnosed({ layers: [{ units: 24 }, { units: 24 }, { units: 24 }, { units: 4 }], activation: 'tanh', init: 'glorot-uniform' });
    expect(d.verdict).toBe('healthy');
    const e = d.evidence;
    expect(e.firstToLast.median).toBeGreaterThanOrEqual(VANISHING_RATIO);
    expect(e.firstToLast.median).toBeLessThanOrEqual(EXPLODING_RATIO);
    expect(e.meanChainFactor).toBeGreaterThan(0.3);
    expect(e.saturatedLayers).toEqual([]);
    expect(e.nonFinite).toBe(false);
    expect(d.summary).toMatch(/^Healthy gradient flow/);
    expect(d.remedies).toEqual([]);
  });

  it('finds exploding gradients in a deep relu network with large weights', async () => {
    const d = await diagnosed({ layers: [...Array(8).fill({ units: 24 }), { units: 4 }], activation: 'relu', init: { name: 'normal', std: 0.45 } }, 1e-4);
    expect(d.verdict).toBe('exploding');
    const e = d.evidence;
    expect(e.firstToLast.median).toBeGreaterThan(EXPLODING_RATIO);
    expect(e.meanChainFactor).toBeGreaterThan(1.5);
    for (let l = 0; l < 7; l++) expect(e.layers[l].chainFactor, `factor ${l} ≤ bound`).toBeLessThanOrEqual(e.layers[l].chainBound * (1 + 1e-9));
    expect(d.summary).toMatch(/^Exploding gradients: the first hidden layer learns .+× faster/);
    expect(d.remedies.map((r) => r.option).join('\n')).toMatch(/init: 'he-normal'/);
  });

  it('calls one hidden layer healthy: there is no chain of hidden layers to vanish along', async () => {
    const net = await createNetwork({ sizes: [16, 8, 4], output: 'softmax', backend: 'ref' });
    net.train(x, y, { epochs: 1, batchSize: 64, trace: { every: 5 } });
    expect(net.trace!.length).toBe(1);
    const d = diagnose(net.trace!);
    expect(d.verdict).toBe('healthy');
    expect(d.summary).toMatch(/1 hidden layer there is no chain/);
  });
});
