// Shared by both twins of the target-sampling kernels (sampling.*.ts), so they draw the same
// classes from the same bits. Not re-exported by the entries: nothing here is a kernel.

// Codes of the `kind` argument: the index of the loss in src/kernels.ts LOSSES.
export const SAMPLE_GAUSSIAN: i32 = 0; // mse
export const SAMPLE_CATEGORICAL: i32 = 1; // cross-entropy (softmax)
export const SAMPLE_BERNOULLI: i32 = 2; // binary-cross-entropy (sigmoid)

// y[r][0..n) = one-hot of the first class j with u[r] < Σ_{k≤j} a[r][k] (the sum in f64, as the
// reference computes it). When rounding leaves the total at or below u, the last class with a
// non-zero probability is taken, so a class of probability 0 is never drawn.
@inline export function sampleCategoricalRows(y: usize, a: usize, u: usize, batch: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const offset = <usize>r * rowBytes;
    const draw = <f64>load<f32>(u + (<usize>r << 2));
    let cumulative: f64 = 0;
    let chosen = -1;
    let lastPositive = 0;
    for (let j = 0; j < n; j++) {
      const p = load<f32>(a + offset + (<usize>j << 2));
      if (p > 0) lastPositive = j;
      cumulative += <f64>p;
      if (chosen < 0 && draw < cumulative) chosen = j;
    }
    if (chosen < 0) chosen = lastPositive;
    for (let j = 0; j < n; j++) store<f32>(y + offset + (<usize>j << 2), j == chosen ? <f32>1 : <f32>0);
  }
}
