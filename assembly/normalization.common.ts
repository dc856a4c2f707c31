// What normalization.scalar.ts and normalization.simd.ts share: the scalar loops over a range of
// features (the whole of a scalar batch-norm kernel and the last n mod 4 features of its SIMD twin)
// and the row sums of layer norm. They run the same operations in the same order as a lane of the
// SIMD kernels, so the twins give the same bits. No v128 here (the scalar binary compiles this
// file); nothing here is a module export.
//
// Statistics are summed in f64: a constant feature then has σ² = 0 exactly (its mean is exact),
// and inputs up to f32's largest give finite squares (in f32, |x| > 1.8e19 would square to Inf
// and normalise to NaN). The normalisation itself, x̂ = (x − mean)·invStd, runs in f32 from the
// f32 mean and invStd that backward reads back, so forward and backward see the same x̂.

// ---- batch normalisation: one feature (a column of the [batch][n] matrix) at a time ----

/**
 * Stores feature j's statistics from its mean μ and biased variance σ² over the batch: mean,
 * invStd = 1/√(σ² + eps), and the running statistics moved by `momentum` (the variance unbiased
 * by `unbias` = batch/(batch − 1)).
 */
@inline export function storeFeatureStatistics(
  mean: usize, invStd: usize, runningMean: usize, runningVar: usize, j: i32,
  mu: f64, variance: f64, momentum: f64, eps: f64, unbias: f64,
): void {
  const o = <usize>j << 2;
  store<f32>(mean + o, <f32>mu);
  store<f32>(invStd + o, <f32>(1 / Math.sqrt(variance + eps)));
  store<f32>(runningMean + o, <f32>((1 - momentum) * <f64>load<f32>(runningMean + o) + momentum * mu));
  store<f32>(runningVar + o, <f32>((1 - momentum) * <f64>load<f32>(runningVar + o) + momentum * (variance * unbias)));
}

/** Batch normalisation in training mode over features [from, to); rows are n floats apart. */
@inline export function batchNormFeatures(
  y: usize, mean: usize, invStd: usize, runningMean: usize, runningVar: usize,
  x: usize, gamma: usize, beta: usize, batch: i32, n: i32, momentum: f64, eps: f64, from: i32, to: i32,
): void {
  const stride = <usize>n << 2;
  const count = <f64>batch;
  const unbias = count / <f64>max(batch - 1, 1);
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    let sum: f64 = 0;
    for (let r = 0; r < batch; r++) sum += <f64>load<f32>(x + o + <usize>r * stride);
    const mu = sum / count;
    let squares: f64 = 0;
    for (let r = 0; r < batch; r++) {
      const d = <f64>load<f32>(x + o + <usize>r * stride) - mu;
      squares += d * d;
    }
    storeFeatureStatistics(mean, invStd, runningMean, runningVar, j, mu, squares / count, momentum, eps, unbias);
    normalizeFeature(y, x, load<f32>(mean + o), load<f32>(invStd + o), load<f32>(gamma + o), load<f32>(beta + o), batch, stride, o);
  }
}

/** y[r][j] = (x[r][j] − m)·s·γ + β down one feature (byte offset o, rows `stride` bytes apart). */
@inline export function normalizeFeature(y: usize, x: usize, m: f32, s: f32, g: f32, b: f32, batch: i32, stride: usize, o: usize): void {
  for (let r = 0; r < batch; r++) {
    const p = o + <usize>r * stride;
    store<f32>(y + p, (load<f32>(x + p) - m) * s * g + b);
  }
}

/** y = (x − mean)·invStd·γ + β over features [from, to), from the statistics batchNormFeatures saved. */
@inline export function batchNormNormalizeFeatures(
  y: usize, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, batch: i32, n: i32, from: i32, to: i32,
): void {
  const stride = <usize>n << 2;
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    normalizeFeature(y, x, load<f32>(mean + o), load<f32>(invStd + o), load<f32>(gamma + o), load<f32>(beta + o), batch, stride, o);
  }
}

/** 1/√(runningVar + eps) in f64, rounded to f32: the evaluation-mode scale of one feature. */
@inline export function inferenceInvStd(runningVar: f32, eps: f64): f32 {
  return <f32>(1 / Math.sqrt(<f64>runningVar + eps));
}

/** Batch normalisation in evaluation mode over features [from, to). */
@inline export function batchNormInferenceFeatures(
  y: usize, x: usize, gamma: usize, beta: usize, runningMean: usize, runningVar: usize,
  batch: i32, n: i32, eps: f64, from: i32, to: i32,
): void {
  const stride = <usize>n << 2;
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    const s = inferenceInvStd(load<f32>(runningVar + o), eps);
    normalizeFeature(y, x, load<f32>(runningMean + o), s, load<f32>(gamma + o), load<f32>(beta + o), batch, stride, o);
  }
}

/** Back through batch normalisation over features [from, to): see Kernels.batchNormBackward (dx, and so gamma, only `withDx`: batchNormAffineBackward). */
@inline export function batchNormBackwardFeatures(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize,
  batch: i32, n: i32, from: i32, to: i32, withDx: bool,
): void {
  const stride = <usize>n << 2;
  const count = <f64>batch;
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    const m = load<f32>(mean + o), s = load<f32>(invStd + o);
    // Σdy and Σdy·x̂ in f64, where the product of two f32s is exact.
    let sumDy: f64 = 0, sumDyXhat: f64 = 0;
    for (let r = 0; r < batch; r++) {
      const p = o + <usize>r * stride;
      const d = load<f32>(dy + p);
      const xhat = (load<f32>(x + p) - m) * s;
      sumDy += <f64>d;
      sumDyXhat += <f64>d * <f64>xhat;
    }
    store<f32>(dgamma + o, <f32>(<f64>load<f32>(dgamma + o) + sumDyXhat));
    store<f32>(dbeta + o, <f32>(<f64>load<f32>(dbeta + o) + sumDy));
    if (!withDx) continue;
    const k = load<f32>(gamma + o) * s;
    const meanDy = <f32>(sumDy / count), meanDyXhat = <f32>(sumDyXhat / count);
    for (let r = 0; r < batch; r++) {
      const p = o + <usize>r * stride;
      const xhat = (load<f32>(x + p) - m) * s;
      store<f32>(dx + p, load<f32>(dx + p) + k * (load<f32>(dy + p) - meanDy - xhat * meanDyXhat));
    }
  }
}

// ---- layer normalisation: one row at a time ----
//
// A row's sums take four f64 partial sums, one per lane of the SIMD twin (elements j ≡ 0, 1, 2, 3
// mod 4 up to the last whole vector), folded as (s₀ + s₁) + (s₂ + s₃), then the tail in order.

/** (s₀ + s₁) + (s₂ + s₃) + Σ x[j] for j in [from, n): a row's sum, folded as the SIMD twin folds. */
@inline export function foldRowSum(s0: f64, s1: f64, s2: f64, s3: f64, x: usize, from: i32, n: i32): f64 {
  let s = (s0 + s1) + (s2 + s3);
  for (let j = from; j < n; j++) s += <f64>load<f32>(x + (<usize>j << 2));
  return s;
}

/** (s₀ + s₁) + (s₂ + s₃) + Σ (x[j] − mu)² for j in [from, n). */
@inline export function foldRowSquares(s0: f64, s1: f64, s2: f64, s3: f64, x: usize, mu: f64, from: i32, n: i32): f64 {
  let s = (s0 + s1) + (s2 + s3);
  for (let j = from; j < n; j++) {
    const d = <f64>load<f32>(x + (<usize>j << 2)) - mu;
    s += d * d;
  }
  return s;
}

/** Stores a row's mean and invStd (at byte offset o of the [batch] tensors) from its sums. */
@inline export function storeRowStatistics(mean: usize, invStd: usize, o: usize, mu: f64, squares: f64, count: f64, eps: f64): void {
  store<f32>(mean + o, <f32>mu);
  store<f32>(invStd + o, <f32>(1 / Math.sqrt(squares / count + eps)));
}

/** y[j] = (x[j] − m)·s·γ[j] + β[j] for j in [from, n) of one row. */
@inline export function normalizeRow(y: usize, x: usize, gamma: usize, beta: usize, m: f32, s: f32, from: i32, n: i32): void {
  for (let j = from; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, (load<f32>(x + o) - m) * s * load<f32>(gamma + o) + load<f32>(beta + o));
  }
}

/** (s₀ + s₁) + (s₂ + s₃) + Σ g[j] for j in [from, n), g = dy·γ. */
@inline export function foldRowGradient(s0: f64, s1: f64, s2: f64, s3: f64, dy: usize, gamma: usize, from: i32, n: i32): f64 {
  let s = (s0 + s1) + (s2 + s3);
  for (let j = from; j < n; j++) {
    const o = <usize>j << 2;
    s += <f64>(load<f32>(dy + o) * load<f32>(gamma + o));
  }
  return s;
}

/** (s₀ + s₁) + (s₂ + s₃) + Σ g[j]·x̂[j] for j in [from, n), g = dy·γ, x̂ = (x − m)·s (the product exact in f64). */
@inline export function foldRowGradientXhat(
  s0: f64, s1: f64, s2: f64, s3: f64, dy: usize, x: usize, gamma: usize, m: f32, s: f32, from: i32, n: i32,
): f64 {
  let sum = (s0 + s1) + (s2 + s3);
  for (let j = from; j < n; j++) {
    const o = <usize>j << 2;
    const xhat = (load<f32>(x + o) - m) * s;
    sum += <f64>(load<f32>(dy + o) * load<f32>(gamma + o)) * <f64>xhat;
  }
  return sum;
}

/**
 * Over [from, n) of one row: dγ[j] += dy[j]·x̂[j] and dβ[j] += dy[j] (only `withAffine`), and
 * dx[j] += s·(g − meanG − x̂·meanGXhat) (only `withDx`).
 */
@inline export function layerNormRowBackward(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, gamma: usize,
  m: f32, s: f32, meanG: f32, meanGXhat: f32, from: i32, n: i32, withDx: bool, withAffine: bool,
): void {
  for (let j = from; j < n; j++) {
    const o = <usize>j << 2;
    const d = load<f32>(dy + o);
    const xhat = (load<f32>(x + o) - m) * s;
    if (withAffine) {
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * xhat);
      store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    if (withDx) store<f32>(dx + o, load<f32>(dx + o) + s * (d * load<f32>(gamma + o) - meanG - xhat * meanGXhat));
  }
}
