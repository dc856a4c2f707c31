// The remedies study on a tiny budget: it measures every field for a contender that runs, and
// reports why one cannot run instead of failing.
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { createNetwork } from '../../src/api/network.js';

describe('study remedies', () => {
  it('measures movement, loss, accuracy and time per step; skips Levenberg-Marquardt with its reason', async () => {
    const result = await runRemediesStudy({ seconds: 0.2, trainRows: 300, testRows: 100, optimizers: ['adam', 'levenberg-marquardt'] });
    const [adam, lm] = result.runs;
    expect(adam.steps).toBeGreaterThan(0);
    expect(adam.firstLayerMovement).toBeGreaterThan(0);
    expect(adam.movementRatio).toBeCloseTo(adam.lastLayerMovement! / adam.firstLayerMovement!, 12);
    expect(adam.trainLoss).toBeLessThan(adam.initialLoss!);
    expect(adam.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(lm.skipped).toMatch(/levenberg-marquardt: needs the quadratic cost/);
    expect(lm.steps).toBeUndefined();
  });

  it('refuses an unknown contender before training', async () => {
    await expect(runRemediesStudy({ optimizers: ['adamm'] })).rejects.toThrow(GradscopeError);
  });

  it('equalising layer rates give every hidden layer the last hidden layer’s gradient norm', async () => {
    const net = await createNetwork({ sizes: [6, 5, 5, 5, 3], activation: 'sigmoid', backend: 'ref', seed: 4 });
    const x = Array.from({ length: 8 }, (_, r) => Array.from({ length: 6 }, (_, c) => Math.sin(r + 3 * c)));
    const y = Array.from({ length: 8 }, (_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]);
    const probe = { x: { data: Float32Array.from(x.flat()), rows: 8, cols: 6 }, y: { data: Float32Array.from(y.flat()), rows: 8, cols: 3 } };
    const rates = equalisingLayerRates(net, probe);
    const norms = net.gradients(probe.x, probe.y).layers.map((l) => l.weightNorm);
    expect(rates[3]).toBe(1);
    for (let l = 0; l < 3; l++) expect(rates[l] * norms[l]).toBeCloseTo(norms[2], 10);
    net.dispose();
  });
});
