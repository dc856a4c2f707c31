/**
 * LARS's default learning rate (LARS_DEFAULTS, 1): the global rate γ that multiplies the trust ratio
 * η·‖W‖/‖∇W‖ (η 0.001, You, Gitman & Ginsburg 2017), so that each step moves a layer by about γ·η of
 * its weights. At 0.1, the default before, a vanishing sigmoid network did not leave chance in 10
 * epochs; at the default it does. It is the rate the diagnosis's LARS remedy offers and the remedies
 * and trainable-depth studies run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { LARS_DEFAULTS } from '../../src/optimizer-defaults.js';
import { SWITCH_RATES } from '../../src/flow/diagnosis/remedy-settings.js';
import { remediesContenders } from '../../src/studies/remedies.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';

let digits: ReturnType<typeof firstRows>;
beforeAll(async () => {
  const { train } = await loadMnist({ train: 1000, test: 1 });
  digits = firstRows(train.x, train.y, 1000);
});

/** [784, 30, 30, 30, 10] sigmoid (softmax, cross-entropy) after 10 epochs of LARS in batches of 32 on 1,000 digits: its loss on them. */
async function larsLoss(learningRate?: number): Promise<number> {
  const net = await createNetwork({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 1 });
  try {
    net.train(digits.x, digits.y, { optimizer: 'lars', ...(learningRate !== undefined && { learningRate }), batchSize: 32, epochs: 10 });
    return net.evaluate(digits.x, digits.y).loss;
  } finally {
    net.dispose();
  }
}

describe("LARS's default rate", () => {
  it('leaves chance (ln 10 = 2.30) on a vanishing sigmoid network, where 0.1 does not', async () => {
    // Measured (seeds 1–3): 1.90–1.93 at 1, 2.29–2.30 at 0.1.
    expect(await larsLoss()).toBeLessThan(2.1);
    expect(await larsLoss(0.1)).toBeGreaterThan(2.25);
  }, 60_000);

  it('is the rate the LARS remedy names and both studies run', () => {
    expect(LARS_DEFAULTS.learningRate).toBe(1);
    expect(SWITCH_RATES.lars).toBe(LARS_DEFAULTS.learningRate);
    expect(remediesContenders().find((c) => c.label === 'lars')?.learningRate).toBe(LARS_DEFAULTS.learningRate);
    const lars = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === 'lars');
    expect(lars?.training.learningRate).toBe(LARS_DEFAULTS.learningRate);
  });
});
