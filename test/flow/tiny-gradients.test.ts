// A traced run whose layer gradients δ are finite but below float32's smallest subnormal: the
// float64 backend holds them (2.5e-61), float32 would hold 0. The δ histogram is taken in float32
// (as the kernel contract says, so a value on a bin edge lands in the same bin on every backend),
// where ±2.5e-61 is an empty range: train() failed with INVALID_OPTION "histogram: needs hi > lo …"
// on the float64 backend, an option the caller never gave. Such δ are histogrammed as all 0.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { GRADIENT_BINS } from '../../src/flow/metrics.js';
import { kernelBackends } from '../util/backends.js';

describe.each(await kernelBackends())('a traced run with gradients float32 holds as 0 on $name', ({ kernels }) => {
  it('trains, and the δ histograms count every value in the middle bin', async () => {
    const net = await createNetwork({ sizes: [2, 1, 1], activation: 'tanh', output: 'linear', loss: 'mse', seed: 2, backend: kernels });
    net.loadState(net.state().map((t) => ({ name: t.name, values: Array.from(t.values, () => 1e-30) })));
    const x = [[1e-40, 0], [0, 1e-40], [1e-38, 0], [0, -1e-38]];
    const y = [[0], [0], [0], [0]];
    net.train(x, y, { epochs: 2, learningRate: 0.1, trace: { every: 1 } });
    const histograms = net.trace!.histograms;
    expect(histograms.length).toBeGreaterThan(0);
    let tiny = 0;
    for (const h of histograms) {
      for (const [layer, counts] of h.counts.entries()) {
        const total = counts.reduce((a, b) => a + b, 0);
        // ±0 when float32 holds every δ as 0 (f32 backends), ±(its tiny largest) in float64: all in the middle bin either way.
        if (total > 0 && Math.fround(h.hi[layer]) === 0) {
          expect(counts[GRADIENT_BINS >> 1]).toBe(total);
          tiny++;
        }
      }
    }
    // The case this file is about occurred: some layer's δ histogram was of δ float32 holds as 0.
    expect(tiny).toBeGreaterThan(0);
    net.dispose();
  });
});
