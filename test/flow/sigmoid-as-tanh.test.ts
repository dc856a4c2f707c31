/**
 * docs/studies.md ("Why, in short") says no standard scale of W keeps a sigmoid network's δ from fading, and that
 * weights four times the tanh network's between hidden layers (twice into the first and out of the last) with biases re-centred do, because
 * σ(z) = ½ + ½·tanh(z/2) makes such a sigmoid network a tanh network written another way. Built so from a tanh
 * network, the sigmoid network computes the same outputs, and each hidden layer's ∂C/∂b is half the tanh
 * network's: the same first ÷ last ratio.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { Rng } from '../../src/init/rng.js';

const SIZES = [12, 16, 16, 16, 16, 3];

describe('a sigmoid network as a tanh network written another way (docs/studies.md)', () => {
  it('gives the same outputs and half the tanh network\'s ∂C/∂b at every hidden layer', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const tanh = await createNetwork({ sizes: SIZES, activation: 'tanh', output: 'linear', loss: 'mse', init: 'glorot-normal', seed: 4, backend: kernels });
    const sigmoid = await createNetwork({ sizes: SIZES, activation: 'sigmoid', output: 'linear', loss: 'mse', seed: 5, backend: kernels });
    const L = SIZES.length - 1;
    type RefTensor = Parameters<typeof kernels.view>[0];
    for (let l = 0; l < L; l++) {
      const w = kernels.view(tanh.weights[l] as RefTensor);
      const b = kernels.view(tanh.biases[l] as RefTensor);
      const [nOut, nIn] = [SIZES[l + 1], SIZES[l]];
      // The layer's input: x at the first layer, else the sigmoid units s = ½ + ½h; its output's pre-activation doubles
      // (σ(u) = ½ + ½tanh(u/2)) except at the linear output.
      const outScale = l === L - 1 ? 1 : 2;
      const inScale = l === 0 ? 1 : 2;
      const w2 = new Float64Array(nOut * nIn);
      const b2 = new Float64Array(nOut);
      for (let o = 0; o < nOut; o++) {
        let rowSum = 0;
        for (let i = 0; i < nIn; i++) {
          w2[o * nIn + i] = outScale * inScale * w[o * nIn + i];
          rowSum += w[o * nIn + i];
        }
        // h = 2s − 1 at a hidden input: W·h = 2W·s − W·1.
        b2[o] = outScale * (b[o] - (l === 0 ? 0 : rowSum));
      }
      kernels.write(sigmoid.weights[l] as RefTensor, w2);
      kernels.write(sigmoid.biases[l] as RefTensor, b2);
    }
    const rng = new Rng(6);
    const x = Array.from({ length: 40 }, () => Array.from({ length: SIZES[0] }, () => rng.normal()));
    const y = Array.from({ length: 40 }, () => Array.from({ length: SIZES.at(-1)! }, () => rng.normal()));
    const a = tanh.predict(x);
    const s = sigmoid.predict(x);
    a.forEach((row, r) => row.forEach((v, c) => expect(s[r][c]).toBeCloseTo(v, 10)));
    const gt = tanh.gradients(x, y).layers.map((layer) => layer.biasNorm);
    const gs = sigmoid.gradients(x, y).layers.map((layer) => layer.biasNorm);
    for (let l = 0; l < L - 1; l++) expect(gs[l] / gt[l], `hidden layer ${l + 1}`).toBeCloseTo(0.5, 10);
    expect(gs[L - 1] / gt[L - 1], 'the output layer').toBeCloseTo(1, 10);
    // So their first ÷ last ratios are the same.
    expect(gs[0] / gs[L - 2]).toBeCloseTo(gt[0] / gt[L - 2], 10);
  });
});
