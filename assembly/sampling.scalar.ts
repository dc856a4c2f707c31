// Targets drawn from the model's predictive distribution (K-FAC's sampled Fisher), in scalar f32:
// the twin of sampling.simd.ts (no v128 in this file). The random numbers come in as `u`, drawn by
// the network's seeded Rng in TypeScript, so every backend makes the same draw.

import { SAMPLE_BERNOULLI, SAMPLE_CATEGORICAL, sampleCategoricalRows } from './sampling.common';

export function f32_sample_targets__scalar(y: usize, a: usize, u: usize, kind: i32, batch: i32, n: i32): void {
  // y, a are (batch, n); u is (batch) uniforms for categorical, else (batch, n) uniforms
  // (Bernoulli) or standard normals (Gaussian). Overwrites y.
  if (kind == SAMPLE_CATEGORICAL) {
    sampleCategoricalRows(y, a, u, batch, n);
    return;
  }
  const count = batch * n;
  if (kind == SAMPLE_BERNOULLI) {
    // y = 1 with probability a: u uniform in [0, 1)
    for (let i = 0; i < count; i++) {
      const o = <usize>i << 2;
      store<f32>(y + o, load<f32>(u + o) < load<f32>(a + o) ? <f32>1 : <f32>0);
    }
    return;
  }
  // Gaussian of unit variance around the output: y = a + u, u standard normal
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) + load<f32>(u + o));
  }
}
