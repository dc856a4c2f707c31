/**
 * A regression (one linear output, mse, real-valued targets) has no classes (classesOf), and what train() records as its
 * accuracy, prediction and target on the same side of ½, classifies nothing: newuser43's regression (targets in [−8.3, 7.9])
 * read "with 54 % of the last epochs' traced batches' rows classified right". The diagnosis states no accuracy for it, and
 * converged asks of its loss alone (TrainingProgress.accuracyEnd).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Rng } from '../../src/init/rng.js';

/** `n` rows of `features` standard normal inputs and one real-valued target, a fixed linear mix of them (spread ~ `scale`). */
function regressionRows(n: number, features: number, scale: number) {
  const rng = new Rng(5);
  const w = Array.from({ length: features }, () => rng.normal());
  const x = Array.from({ length: n }, () => Array.from({ length: features }, () => rng.normal()));
  const y = x.map((row) => [(scale * row.reduce((s, v, j) => s + v * w[j], 0)) / Math.sqrt(features)]);
  return { x, y };
}

describe('a regression states no accuracy', () => {
  it("says no share of rows 'classified right' of a deep sigmoid regression on a plateau", async () => {
    const { x, y } = regressionRows(300, 20, 3);
    const net = await createNetwork({ seed: 1, sizes: [20, 32, 32, 32, 32, 1], activation: 'sigmoid', output: 'linear', loss: 'mse' });
    try {
      net.train(x, y, { epochs: 10, learningRate: 0.1, trace: { every: 5 } });
      // What train() records is still there, the same side of ½; the diagnosis does not read it.
      expect(Number.isFinite(net.trace!.accuracy[0])).toBe(true);
      const d = diagnose(net.trace!);
      expect(d.evidence.training).toBeDefined();
      expect(d.evidence.training!.accuracyEnd).toBeNaN();
      expect(d.summary).not.toMatch(/classified right|at chance/);
    } finally {
      net.dispose();
    }
  }, 60_000);

  it('calls a regression that fits its rows converged by its loss alone', async () => {
    // A linear mix learnt by a linear network: the loss falls to a tiny share of its start, while the same side of ½ of
    // targets spread about 0 is no 99 % (rows near ½ fall either side), which held it short of converged.
    const { x, y } = regressionRows(64, 4, 1);
    const net = await createNetwork({ seed: 2, sizes: [4, 8, 1], activation: 'tanh', output: 'linear', loss: 'mse' });
    try {
      net.train(x, y, { epochs: 300, batchSize: 64, learningRate: 0.1, trace: { every: 10 } });
      const d = diagnose(net.trace!);
      const p = d.evidence.training!;
      expect(p.lossEnd).toBeLessThan(0.01 * p.lossStart);
      expect(p.state).toBe('converged');
      expect(d.summary).toContain('Training has converged');
      expect(d.summary).not.toContain('classified right');
    } finally {
      net.dispose();
    }
  }, 60_000);
});
