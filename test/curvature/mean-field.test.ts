// The mean-field prediction: Gauss-Hermite expectations against closed forms and a fine
// trapezoid rule; χ against the measured gradient decay of wide networks at initialisation.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { gaussianExpectation } from '../../src/curvature/gaussian.js';
import { meanFieldPrediction } from '../../src/curvature/mean-field.js';
import { Rng } from '../../src/init/rng.js';

/** E[f(z)], z ~ N(μ, σ²), by the trapezoid rule on ±12σ in 200 001 points. */
function trapezoid(f: (z: number) => number, mean: number, variance: number): number {
  const sd = Math.sqrt(variance);
  const points = 200_001;
  const h = (24 * sd) / (points - 1);
  let sum = 0;
  for (let i = 0; i < points; i++) {
    const z = mean - 12 * sd + i * h;
    const w = i === 0 || i === points - 1 ? 0.5 : 1;
    sum += w * f(z) * Math.exp(-((z - mean) ** 2) / (2 * variance));
  }
  return (sum * h) / Math.sqrt(2 * Math.PI * variance);
}

describe('Gaussian expectations', () => {
  it('match closed forms and a fine trapezoid rule', () => {
    expect(gaussianExpectation((z) => z * z, 0.7, 2.5)).toBeCloseTo(0.49 + 2.5, 12);
    expect(gaussianExpectation((z) => (z > 0 ? 1 : 0), 0, 3)).toBeCloseTo(0.5, 12);
    const sigmoidPrime = (z: number) => {
      const s = 1 / (1 + Math.exp(-z));
      return (s * (1 - s)) ** 2;
    };
    for (const [mean, variance] of [[0, 1], [1.5, 4], [-2, 0.3]]) {
      const tanhPrime = (z: number) => (1 - Math.tanh(z) ** 2) ** 2;
      for (const f of [sigmoidPrime, tanhPrime]) {
        const want = trapezoid(f, mean, variance);
        expect(Math.abs(gaussianExpectation(f, mean, variance) / want - 1), `μ ${mean}, σ² ${variance}`).toBeLessThan(1e-5);
      }
    }
  });
});

describe('mean-field prediction of the gradient decay', () => {
  const rng = new Rng(8);
  const width = 300;
  const x = Array.from({ length: 64 }, () => Array.from({ length: width }, () => rng.normal()));
  const y = x.map((_, r) => Array.from({ length: 10 }, (_, j) => (j === r % 10 ? 1 : 0)));

  it('linear layers: χ is σ_w² exactly (E[φ′²] = 1)', async () => {
    const net = await createNetwork({ sizes: [width, width, width, 10], activation: 'linear', loss: 'cross-entropy', init: 'glorot-normal', backend: 'ref', seed: 3 });
    for (const layer of meanFieldPrediction(net, x, y)) {
      expect(layer.expectedPrimeSquared).toBeCloseTo(1, 12);
      expect(layer.chi / layer.weightVariance).toBeCloseTo(1, 12);
    }
    net.dispose();
  });

  it.each(['tanh', 'sigmoid', 'relu'] as const)('%s, width 300: predicted and measured chain factors agree within 5 percent', async (activation) => {
    const net = await createNetwork({ sizes: [width, width, width, width, width, 10], activation, loss: 'cross-entropy', init: 'standard', backend: 'ref', seed: 5 });
    const layers = meanFieldPrediction(net, x, y);
    expect(layers.map((l) => l.layer)).toEqual([0, 1, 2, 3]);
    for (const layer of layers) {
      expect(Math.abs(layer.predictedDecay / layer.measuredDecay - 1), `${activation} decay to layer ${layer.layer}`).toBeLessThan(0.1);
      expect(Math.abs(layer.predictedChainFactor / layer.measuredChainFactor - 1), `${activation} layer ${layer.layer}: ${layer.predictedChainFactor} vs ${layer.measuredChainFactor}`).toBeLessThan(0.05);
    }
    net.dispose();
  });
});
