// Counts in messages grouped by thousands through grouped() (src/counted.ts), steps and epochs among
// them (they count the training done): K-FAC's and Levenberg-Marquardt's size refusals, the parameter
// count that bounds k, where a DIVERGED stop happened ('epoch 1,100, batch 1 (step 1,100)'), a state
// tensor or a model file that does not fit. What the message echoes as given ('got 60000') and where
// in the user's data (row 12345) stay as String writes them.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { checkEigenCount, lanczos } from '../../src/curvature/lanczos.js';
import { createOptimizer } from '../../src/optim/index.js';
import { stateTensorMismatch } from '../../src/optim/optimizer.js';
import { levenbergMarquardtRefusal } from '../../src/optim/levenberg-marquardt.js';
import { stopPointText } from '../../src/training/advice.js';
import { expectError } from '../util/expect-error.js';

describe('counts in messages are grouped', () => {
  it("K-FAC's refusal of a layer too wide: its sizes and the factor's", async () => {
    const wide = await createNetwork({ sizes: [2100, 2, 2], backend: 'ref', seed: 1 });
    try {
      expect(() => createOptimizer(wide, 'kfac')).toThrow("kfac: hidden 1 (2,100 → 2) would need a 2,101×2,101 Kronecker factor A, more than 2,049×2,049; use 'adam'");
    } finally {
      wide.dispose();
    }
  });

  it("Levenberg-Marquardt's refusal of a network with too many parameters", () => {
    expect(levenbergMarquardtRefusal({ loss: 'mse', parameters: 55050 } as Parameters<typeof levenbergMarquardtRefusal>[0])).toBe('handles up to 5,000 parameters (JᵀJ is P×P, its Cholesky P³/3 flops); this network has 55,050: use lbfgs or adam');
  });

  it('k beyond the parameter count: the count grouped, k as given', () => {
    expect(() => checkEigenCount(60000, 55050)).toThrow('k: expected an integer from 1 to the parameter count 55,050, got 60000');
    expect(() => lanczos(() => undefined, 2000, { k: 3000 })).toThrow("lanczos: k: expected an integer from 1 to the operator's dimension 2,000, got 3000");
  });

  it('where a DIVERGED stop happened: its epoch, batch and step', async () => {
    expect(stopPointText({ epoch: 1000, batch: 1200, step: 120438 })).toBe('epoch 1,000, batch 1,200 (step 120,438)');
    const net = await createNetwork({ sizes: [1, 2, 1], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', backend: 'ref', seed: 1 });
    try {
      const poison = () => void (net.kernels.view(net.parameters()[0].value)[0] = Infinity);
      expectError(() => net.train([[0.5]], [[1]], { epochs: 1200, batchSize: 1, onBatch: (info) => info.step === 1100 && poison() }), 'DIVERGED', /^epoch 1,100, batch 1 \(step 1,100\): /);
    } finally {
      net.dispose();
    }
  });

  it("a state tensor or a model file's row that does not fit: the lengths", async () => {
    expect(stateTensorMismatch('loadState', 0, new Float32Array(1999), { name: 'w1', length: 2000 }).message).toBe("loadState: tensors[0] holds 1,999 values, but this network's w1 has 2,000: the state was saved from a network of another shape");
    const wide = await createNetwork({ sizes: [2100, 2, 2], backend: 'ref', seed: 1 });
    const file = wide.toJSON() as { layers: { weights: number[][] }[] };
    wide.dispose();
    file.layers[0].weights[0] = file.layers[0].weights[0].slice(1);
    await expect(Network.fromJSON(file)).rejects.toThrow('layers[0].weights[0]: expected 2,100 numbers (one per input)');
  });
});
