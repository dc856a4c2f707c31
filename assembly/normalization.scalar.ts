// Batch and layer normalisation in scalar f32 with f64 statistics: the twins of
// normalization.simd.ts (no v128 in this file), giving the same bits. The loops themselves live in
// normalization.common.ts, which the SIMD kernels also use for their last n mod 4 elements.
//
// Forward kernels overwrite y and the saved statistics; backward kernels accumulate into dx, dγ, dβ.

import {
  batchNormFeatures, batchNormNormalizeFeatures, batchNormInferenceFeatures, batchNormBackwardFeatures,
  foldRowSum, foldRowSquares, foldRowGradient, foldRowGradientXhat,
  storeRowStatistics, normalizeRow, layerNormRowBackward,
} from './normalization.common';

// ---- batch normalisation ----

export function f32_batchnorm_fwd__scalar(
  y: usize, mean: usize, invStd: usize, runningMean: usize, runningVar: usize,
  x: usize, gamma: usize, beta: usize, batch: i32, n: i32, momentum: f64, eps: f64,
): void {
  // y, x are (batch, n); mean, invStd, runningMean, runningVar, gamma, beta are (n)
  if (batch <= 0) return;
  batchNormFeatures(y, mean, invStd, runningMean, runningVar, x, gamma, beta, batch, n, momentum, eps, 0, n);
}

export function f32_batchnorm_normalize__scalar(
  y: usize, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, batch: i32, n: i32,
): void {
  // y, x are (batch, n); mean, invStd, gamma, beta are (n): batchnorm_fwd's y from the statistics it saved, the same bits
  batchNormNormalizeFeatures(y, x, mean, invStd, gamma, beta, batch, n, 0, n);
}

export function f32_batchnorm_infer__scalar(
  y: usize, x: usize, gamma: usize, beta: usize, runningMean: usize, runningVar: usize, batch: i32, n: i32, eps: f64,
): void {
  // y, x are (batch, n); gamma, beta, runningMean, runningVar are (n)
  batchNormInferenceFeatures(y, x, gamma, beta, runningMean, runningVar, batch, n, eps, 0, n);
}

export function f32_batchnorm_bwd__scalar(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32,
): void {
  // dx, dy, x are (batch, n); dgamma, dbeta, mean, invStd, gamma are (n)
  if (batch <= 0) return;
  batchNormBackwardFeatures(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n, 0, n, true);
}

export function f32_batchnorm_affine_bwd__scalar(dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, batch: i32, n: i32): void {
  // dy, x are (batch, n); dgamma, dbeta, mean, invStd are (n): batchnorm_bwd's dγ and dβ, the same bits, without dx
  if (batch <= 0) return;
  batchNormBackwardFeatures(0, dgamma, dbeta, dy, x, mean, invStd, 0, batch, n, 0, n, false);
}

// ---- layer normalisation ----

export function f32_layernorm_fwd__scalar(
  y: usize, mean: usize, invStd: usize, x: usize, gamma: usize, beta: usize, batch: i32, n: i32, eps: f64,
): void {
  // y, x are (batch, n); mean, invStd are (batch); gamma, beta are (n)
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  const count = <f64>n;
  const whole = n & ~3;
  for (let r = 0; r < batch; r++) {
    const xr = x + <usize>r * rowBytes;
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let j = 0; j < whole; j += 4) {
      const p = xr + (<usize>j << 2);
      s0 += <f64>load<f32>(p);
      s1 += <f64>load<f32>(p, 4);
      s2 += <f64>load<f32>(p, 8);
      s3 += <f64>load<f32>(p, 12);
    }
    const mu = foldRowSum(s0, s1, s2, s3, xr, whole, n) / count;
    s0 = 0; s1 = 0; s2 = 0; s3 = 0;
    for (let j = 0; j < whole; j += 4) {
      const p = xr + (<usize>j << 2);
      const d0 = <f64>load<f32>(p) - mu, d1 = <f64>load<f32>(p, 4) - mu;
      const d2 = <f64>load<f32>(p, 8) - mu, d3 = <f64>load<f32>(p, 12) - mu;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    const o = <usize>r << 2;
    storeRowStatistics(mean, invStd, o, mu, foldRowSquares(s0, s1, s2, s3, xr, mu, whole, n), count, eps);
    normalizeRow(y + <usize>r * rowBytes, xr, gamma, beta, load<f32>(mean + o), load<f32>(invStd + o), 0, n);
  }
}

export function f32_layernorm_normalize__scalar(
  y: usize, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, batch: i32, n: i32,
): void {
  // y, x are (batch, n); mean, invStd are (batch); gamma, beta are (n): layernorm_fwd's y from the statistics it saved, the same bits
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const o = <usize>r << 2;
    normalizeRow(y + <usize>r * rowBytes, x + <usize>r * rowBytes, gamma, beta, load<f32>(mean + o), load<f32>(invStd + o), 0, n);
  }
}

export function f32_layernorm_bwd__scalar(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32,
): void {
  // dx, dy, x are (batch, n); mean, invStd are (batch); dgamma, dbeta, gamma are (n)
  layerNormBackwardRows(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n, true, true);
}

export function f32_layernorm_affine_bwd__scalar(dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, batch: i32, n: i32): void {
  // dy, x are (batch, n); mean, invStd are (batch); dgamma, dbeta are (n): layernorm_bwd's dγ and dβ, the same bits, without dx
  layerNormBackwardRows(0, dgamma, dbeta, dy, x, mean, invStd, 0, batch, n, false, true);
}

export function f32_layernorm_input_bwd__scalar(dx: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32): void {
  // dx, dy, x are (batch, n); mean, invStd are (batch); gamma is (n): layernorm_bwd's dx, the same bits, without dγ and dβ
  layerNormBackwardRows(dx, 0, 0, dy, x, mean, invStd, gamma, batch, n, true, false);
}

/** layernorm_bwd a row at a time: dx (and so γ and the row sums) only `withDx`, dγ and dβ only `withAffine`. */
@inline function layerNormBackwardRows(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize,
  batch: i32, n: i32, withDx: bool, withAffine: bool,
): void {
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  const count = <f64>n;
  const whole = n & ~3;
  for (let r = 0; r < batch; r++) {
    const offset = <usize>r * rowBytes;
    const xr = x + offset, dyr = dy + offset;
    const m = load<f32>(mean + (<usize>r << 2)), s = load<f32>(invStd + (<usize>r << 2));
    let meanG: f32 = 0, meanGXhat: f32 = 0;
    if (withDx) {
      // Σg and Σg·x̂ with g = dy·γ, four partial sums each (the SIMD twin's lanes)
      let g0: f64 = 0, g1: f64 = 0, g2: f64 = 0, g3: f64 = 0;
      let h0: f64 = 0, h1: f64 = 0, h2: f64 = 0, h3: f64 = 0;
      for (let j = 0; j < whole; j += 4) {
        const o = <usize>j << 2;
        const ga = load<f32>(dyr + o) * load<f32>(gamma + o), gb = load<f32>(dyr + o, 4) * load<f32>(gamma + o, 4);
        const gc = load<f32>(dyr + o, 8) * load<f32>(gamma + o, 8), gd = load<f32>(dyr + o, 12) * load<f32>(gamma + o, 12);
        g0 += <f64>ga;
        g1 += <f64>gb;
        g2 += <f64>gc;
        g3 += <f64>gd;
        h0 += <f64>ga * <f64>((load<f32>(xr + o) - m) * s);
        h1 += <f64>gb * <f64>((load<f32>(xr + o, 4) - m) * s);
        h2 += <f64>gc * <f64>((load<f32>(xr + o, 8) - m) * s);
        h3 += <f64>gd * <f64>((load<f32>(xr + o, 12) - m) * s);
      }
      meanG = <f32>(foldRowGradient(g0, g1, g2, g3, dyr, gamma, whole, n) / count);
      meanGXhat = <f32>(foldRowGradientXhat(h0, h1, h2, h3, dyr, xr, gamma, m, s, whole, n) / count);
    }
    layerNormRowBackward(dx + offset, dgamma, dbeta, dyr, xr, gamma, m, s, meanG, meanGXhat, 0, n, withDx, withAffine);
  }
}
