// A runaway SGD run whose weight decay is within its own bound (s·λ ≤ 2, train() takes it) but whose
// step along the weights, s·(c + λ) with c the loss's curvature there, is past it: the DIVERGED says
// each part and offers the weight decay or the learning rate that brings it within, and what it offers
// trains. The fit: one linear unit on 32 rows of two inputs up to 3 (MSE), whose loss's Hessian has
// largest eigenvalue 4.83 (numpy on the same rows), so at learning rate 0.1 a λ above 15.2 runs away.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

const X: number[][] = [];
const Y: number[][] = [];
for (let i = 0; i < 32; i++) {
  const [a, b] = [Math.sin(i) * 3, Math.cos(i * 1.7) * 3];
  X.push([a, b]);
  Y.push([0.3 * a - 0.2 * b]);
}

describe.each(['ref', 'wasm'] as const)('a runaway of curvature and weight decay together on %s', (backend) => {
  const make = () => createNetwork({ inputs: 2, backend, seed: 3, layers: [{ type: 'dense', units: 1 }] });
  const train = async (options: object) => {
    const net = await make();
    try {
      return net.train(X, Y, { epochs: 300, batchSize: 32, ...options });
    } finally {
      net.dispose();
    }
  };
  /** The two offers of `message`, each at most a weightDecay and a learningRate. */
  const offers = (message: string) => [/weightDecay of at most ([\d.]+)/, /learningRate of at most ([\d.]+)/].map((r) => Number(message.match(r)?.[1]));

  it.each([
    [{ learningRate: 0.1, weightDecay: 19 }, /step 26\).*\(along layer 0's weights a step multiplies them by 1 − learning rate 0\.1 × \(c \+ λ\), .*? 4\.8\d and λ the weightDecay 19: 0\.48\d from the curvature \+ 1\.90 from the decay = 2\.38, above 2\.00, beyond which each step grows them; neither part is past 2\.00 alone: try a weightDecay of at most [\d.]+, a learningRate of at most [\d.]+, or onNonFinite 'halve'\)$/],
    [{ learningRate: 0.1, weightDecay: 37, momentum: 0.9 }, /\+ 3\.70 from the decay = 4\.1\d, above 3\.80 \(momentum 0\.9's bound, 2\(1 \+ μ\)\), .*neither part is past 3\.80 alone: try a weightDecay of at most [\d.]+, a learningRate of at most/],
  ])('%j: each part said, and the weightDecay or learningRate offered each trains', async (options, message) => {
    const error = await expectError(() => train(options), 'DIVERGED', message);
    const [weightDecay, learningRate] = offers(error.message);
    expect(weightDecay).toBeLessThan(options.weightDecay);
    expect(learningRate).toBeLessThan(options.learningRate);
    for (const taken of [{ ...options, weightDecay }, { ...options, learningRate }]) {
      expect(Number.isFinite((await train(taken)).epochs.at(-1)!.loss)).toBe(true);
    }
  });

  it("where the curvature's part alone is past the bound, no weight decay helps: the advice is the learning rate's", async () => {
    await expectError(() => train({ learningRate: 0.5, weightDecay: 1 }), 'DIVERGED', /\(try a learningRate below 0\.5, clipNorm, or onNonFinite 'halve'; onNonFinite 'skip' if a few batches are outliers\)$/);
  });

  it('without weight decay the advice is the learning rate\'s, as before', async () => {
    await expectError(() => train({ learningRate: 0.5 }), 'DIVERGED', /\(try a learningRate below 0\.5, clipNorm, or onNonFinite 'halve'; onNonFinite 'skip' if a few batches are outliers\)$/);
  });
});
