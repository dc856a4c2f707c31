/**
 * The depth study reads its rows from datasets uploaded once (createDataset). Its numbers must be
 * those of the same calls on the rows themselves: every network's ‖∂C/∂b‖ per seed, and a short
 * training run's losses, trace and test accuracy, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, firstRows, NIELSEN_TRAINING, runDepthStudy } from '../../src/studies/depth.js';

describe('depth study', () => {
  it('gives, from its datasets, exactly what the same calls give on rows', async () => {
    const [seeds, epochs, lambda] = [2, 2, NIELSEN_TRAINING.lambda];
    const result = await runDepthStudy({ seeds, epochs });
    const digits = await loadMnist();
    const probe = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
    for (const [index, sizes] of DEPTH_NETWORKS.entries()) {
      const study = result.networks[index];
      for (let seed = 1; seed <= seeds; seed++) {
        const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS });
        const norms = net.gradients(probe.x, probe.y).layers.slice(0, -1).map((layer) => layer.biasNorm);
        expect(study.perSeed[seed - 1], `[${sizes}] seed ${seed}`).toEqual(norms);
        net.dispose();
      }
      const net = await createNetwork({ sizes, seed: 1, ...DEPTH_NETWORK_OPTIONS });
      const initialLoss = net.evaluate(probe.x, probe.y).loss;
      net.train(probe.x, probe.y, {
        epochs,
        batchSize: DEPTH_ROWS,
        learningRate: NIELSEN_TRAINING.learningRate,
        optimizer: { name: 'sgd', weightDecay: lambda / probe.x.rows, decayBiases: false },
        shuffle: false,
        trace: { every: 1, histogramSteps: [1, epochs] },
      });
      const training = study.training!;
      expect(training.initialLoss, `[${sizes}] initial loss`).toBe(initialLoss);
      expect(training.finalLoss, `[${sizes}] final loss`).toBe(net.evaluate(probe.x, probe.y).loss);
      expect(training.testAccuracy, `[${sizes}] test accuracy`).toBe(net.evaluate(digits.test.x, digits.test.y).accuracy);
      expect(JSON.stringify(training.trace), `[${sizes}] trace`).toBe(JSON.stringify(net.trace));
      net.dispose();
    }
  });
});
