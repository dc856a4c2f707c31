// Batch and layer normalisation on f32x4, with statistics summed in f64x2 (why f64: see
// normalization.common.ts). Each lane runs the operations of the scalar twin
// (normalization.scalar.ts) in the same order, so both give the same bits.
//
// Batch norm takes four features (columns) at a time down the batch; the last n mod 4 features go
// to the scalar loops. Layer norm takes a row at a time, four elements per step, with one f64
// partial sum per lane, folded as (s₀ + s₁) + (s₂ + s₃) before the row's tail.
//
// Forward kernels overwrite y and the saved statistics; backward kernels accumulate into dx, dγ, dβ.

import {
  storeFeatureStatistics, batchNormFeatures, batchNormNormalizeFeatures, batchNormInferenceFeatures, batchNormBackwardFeatures,
  foldRowSum, foldRowSquares, foldRowGradient, foldRowGradientXhat,
  storeRowStatistics, normalizeRow, layerNormRowBackward,
} from './normalization.common';

/** The low two lanes of an f32x4 as an f64x2. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** The high two lanes of an f32x4 as an f64x2. */
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded to f32 and packed into one f32x4 (lo's lanes first). */
@inline function demote(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// ---- batch normalisation ----

export function f32_batchnorm_fwd__simd(
  y: usize, mean: usize, invStd: usize, runningMean: usize, runningVar: usize,
  x: usize, gamma: usize, beta: usize, batch: i32, n: i32, momentum: f64, eps: f64,
): void {
  // y, x are (batch, n); mean, invStd, runningMean, runningVar, gamma, beta are (n)
  if (batch <= 0) return;
  const stride = <usize>n << 2;
  const count = <f64>batch;
  const count2 = f64x2.splat(count);
  const unbias = count / <f64>max(batch - 1, 1);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let r = 0; r < batch; r++) {
      const v = v128.load(x + o + <usize>r * stride);
      lo = f64x2.add(lo, low(v));
      hi = f64x2.add(hi, high(v));
    }
    const muLo = f64x2.div(lo, count2), muHi = f64x2.div(hi, count2);
    lo = f64x2.splat(0);
    hi = f64x2.splat(0);
    for (let r = 0; r < batch; r++) {
      const v = v128.load(x + o + <usize>r * stride);
      const dLo = f64x2.sub(low(v), muLo), dHi = f64x2.sub(high(v), muHi);
      lo = f64x2.add(lo, f64x2.mul(dLo, dLo));
      hi = f64x2.add(hi, f64x2.mul(dHi, dHi));
    }
    const varLo = f64x2.div(lo, count2), varHi = f64x2.div(hi, count2);
    // Per feature, once per batch: scalar is fine here.
    storeFeatureStatistics(mean, invStd, runningMean, runningVar, j, f64x2.extract_lane(muLo, 0), f64x2.extract_lane(varLo, 0), momentum, eps, unbias);
    storeFeatureStatistics(mean, invStd, runningMean, runningVar, j + 1, f64x2.extract_lane(muLo, 1), f64x2.extract_lane(varLo, 1), momentum, eps, unbias);
    storeFeatureStatistics(mean, invStd, runningMean, runningVar, j + 2, f64x2.extract_lane(muHi, 0), f64x2.extract_lane(varHi, 0), momentum, eps, unbias);
    storeFeatureStatistics(mean, invStd, runningMean, runningVar, j + 3, f64x2.extract_lane(muHi, 1), f64x2.extract_lane(varHi, 1), momentum, eps, unbias);
    normalizeFeatures4(y, x, v128.load(mean + o), v128.load(invStd + o), v128.load(gamma + o), v128.load(beta + o), batch, stride, o);
  }
  batchNormFeatures(y, mean, invStd, runningMean, runningVar, x, gamma, beta, batch, n, momentum, eps, j, n);
}

/** y = (x − m)·s·γ + β down four features (byte offset o, rows `stride` bytes apart). */
@inline function normalizeFeatures4(y: usize, x: usize, m: v128, s: v128, g: v128, b: v128, batch: i32, stride: usize, o: usize): void {
  for (let r = 0; r < batch; r++) {
    const p = o + <usize>r * stride;
    v128.store(y + p, f32x4.add(f32x4.mul(f32x4.mul(f32x4.sub(v128.load(x + p), m), s), g), b));
  }
}

export function f32_batchnorm_normalize__simd(
  y: usize, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, batch: i32, n: i32,
): void {
  // y, x are (batch, n); mean, invStd, gamma, beta are (n): batchnorm_fwd's y from the statistics it saved, the same bits
  const stride = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    normalizeFeatures4(y, x, v128.load(mean + o), v128.load(invStd + o), v128.load(gamma + o), v128.load(beta + o), batch, stride, o);
  }
  batchNormNormalizeFeatures(y, x, mean, invStd, gamma, beta, batch, n, j, n);
}

export function f32_batchnorm_infer__simd(
  y: usize, x: usize, gamma: usize, beta: usize, runningMean: usize, runningVar: usize, batch: i32, n: i32, eps: f64,
): void {
  // y, x are (batch, n); gamma, beta, runningMean, runningVar are (n)
  const stride = <usize>n << 2;
  const one = f64x2.splat(1), eps2 = f64x2.splat(eps);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const v = v128.load(runningVar + o);
    // 1/√(runningVar + eps) in f64, rounded to f32, as inferenceInvStd
    const s = demote(
      f64x2.div(one, f64x2.sqrt(f64x2.add(low(v), eps2))),
      f64x2.div(one, f64x2.sqrt(f64x2.add(high(v), eps2))),
    );
    normalizeFeatures4(y, x, v128.load(runningMean + o), s, v128.load(gamma + o), v128.load(beta + o), batch, stride, o);
  }
  batchNormInferenceFeatures(y, x, gamma, beta, runningMean, runningVar, batch, n, eps, j, n);
}

export function f32_batchnorm_bwd__simd(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32,
): void {
  // dx, dy, x are (batch, n); dgamma, dbeta, mean, invStd, gamma are (n)
  batchNormBackward4(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n, true);
}

export function f32_batchnorm_affine_bwd__simd(dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, batch: i32, n: i32): void {
  // dy, x are (batch, n); dgamma, dbeta, mean, invStd are (n): batchnorm_bwd's dγ and dβ, the same bits, without dx
  batchNormBackward4(0, dgamma, dbeta, dy, x, mean, invStd, 0, batch, n, false);
}

/** batchnorm_bwd four features at a time, dx (and so gamma) only `withDx`; the last n mod 4 features by the scalar loop. */
@inline function batchNormBackward4(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32, withDx: bool,
): void {
  if (batch <= 0) return;
  const stride = <usize>n << 2;
  const count2 = f64x2.splat(<f64>batch);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const m = v128.load(mean + o), s = v128.load(invStd + o);
    let dyLo = f64x2.splat(0), dyHi = f64x2.splat(0), hLo = f64x2.splat(0), hHi = f64x2.splat(0);
    for (let r = 0; r < batch; r++) {
      const p = o + <usize>r * stride;
      const d = v128.load(dy + p);
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + p), m), s);
      dyLo = f64x2.add(dyLo, low(d));
      dyHi = f64x2.add(dyHi, high(d));
      hLo = f64x2.add(hLo, f64x2.mul(low(d), low(xhat)));
      hHi = f64x2.add(hHi, f64x2.mul(high(d), high(xhat)));
    }
    const g = v128.load(dgamma + o), b = v128.load(dbeta + o);
    v128.store(dgamma + o, demote(f64x2.add(low(g), hLo), f64x2.add(high(g), hHi)));
    v128.store(dbeta + o, demote(f64x2.add(low(b), dyLo), f64x2.add(high(b), dyHi)));
    if (!withDx) continue;
    const k = f32x4.mul(v128.load(gamma + o), s);
    const meanDy = demote(f64x2.div(dyLo, count2), f64x2.div(dyHi, count2));
    const meanDyXhat = demote(f64x2.div(hLo, count2), f64x2.div(hHi, count2));
    for (let r = 0; r < batch; r++) {
      const p = o + <usize>r * stride;
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + p), m), s);
      const inner = f32x4.sub(f32x4.sub(v128.load(dy + p), meanDy), f32x4.mul(xhat, meanDyXhat));
      v128.store(dx + p, f32x4.add(v128.load(dx + p), f32x4.mul(k, inner)));
    }
  }
  batchNormBackwardFeatures(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n, j, n, withDx);
}

// ---- layer normalisation ----

export function f32_layernorm_fwd__simd(
  y: usize, mean: usize, invStd: usize, x: usize, gamma: usize, beta: usize, batch: i32, n: i32, eps: f64,
): void {
  // y, x are (batch, n); mean, invStd are (batch); gamma, beta are (n)
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  const count = <f64>n;
  const whole = n & ~3;
  for (let r = 0; r < batch; r++) {
    const xr = x + <usize>r * rowBytes, yr = y + <usize>r * rowBytes;
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let j = 0; j < whole; j += 4) {
      const v = v128.load(xr + (<usize>j << 2));
      lo = f64x2.add(lo, low(v));
      hi = f64x2.add(hi, high(v));
    }
    const mu = foldRowSum(f64x2.extract_lane(lo, 0), f64x2.extract_lane(lo, 1), f64x2.extract_lane(hi, 0), f64x2.extract_lane(hi, 1), xr, whole, n) / count;
    const mu2 = f64x2.splat(mu);
    lo = f64x2.splat(0);
    hi = f64x2.splat(0);
    for (let j = 0; j < whole; j += 4) {
      const v = v128.load(xr + (<usize>j << 2));
      const dLo = f64x2.sub(low(v), mu2), dHi = f64x2.sub(high(v), mu2);
      lo = f64x2.add(lo, f64x2.mul(dLo, dLo));
      hi = f64x2.add(hi, f64x2.mul(dHi, dHi));
    }
    const squares = foldRowSquares(f64x2.extract_lane(lo, 0), f64x2.extract_lane(lo, 1), f64x2.extract_lane(hi, 0), f64x2.extract_lane(hi, 1), xr, mu, whole, n);
    const o = <usize>r << 2;
    storeRowStatistics(mean, invStd, o, mu, squares, count, eps);
    normalizeRow4(yr, xr, gamma, beta, load<f32>(mean + o), load<f32>(invStd + o), n);
  }
}

/** y = (x − m)·s·γ + β along one row: four elements at a time, the last n mod 4 by the scalar loop. */
@inline function normalizeRow4(yr: usize, xr: usize, gamma: usize, beta: usize, m: f32, s: f32, n: i32): void {
  const whole = n & ~3;
  const m4 = f32x4.splat(m), s4 = f32x4.splat(s);
  for (let j = 0; j < whole; j += 4) {
    const p = <usize>j << 2;
    const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), m4), s4);
    v128.store(yr + p, f32x4.add(f32x4.mul(xhat, v128.load(gamma + p)), v128.load(beta + p)));
  }
  normalizeRow(yr, xr, gamma, beta, m, s, whole, n);
}

export function f32_layernorm_normalize__simd(
  y: usize, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, batch: i32, n: i32,
): void {
  // y, x are (batch, n); mean, invStd are (batch); gamma, beta are (n): layernorm_fwd's y from the statistics it saved, the same bits
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const o = <usize>r << 2;
    normalizeRow4(y + <usize>r * rowBytes, x + <usize>r * rowBytes, gamma, beta, load<f32>(mean + o), load<f32>(invStd + o), n);
  }
}

export function f32_layernorm_bwd__simd(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32,
): void {
  // dx, dy, x are (batch, n); mean, invStd are (batch); dgamma, dbeta, gamma are (n)
  layerNormBackward4(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n, true, true);
}

export function f32_layernorm_affine_bwd__simd(dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, batch: i32, n: i32): void {
  // dy, x are (batch, n); mean, invStd are (batch); dgamma, dbeta are (n): layernorm_bwd's dγ and dβ, the same bits, without dx
  layerNormBackward4(0, dgamma, dbeta, dy, x, mean, invStd, 0, batch, n, false, true);
}

export function f32_layernorm_input_bwd__simd(dx: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize, batch: i32, n: i32): void {
  // dx, dy, x are (batch, n); mean, invStd are (batch); gamma is (n): layernorm_bwd's dx, the same bits, without dγ and dβ
  layerNormBackward4(dx, 0, 0, dy, x, mean, invStd, gamma, batch, n, true, false);
}

/**
 * layernorm_bwd a row at a time, four elements per step (the last n mod 4 by the scalar loop): dx
 * (and so γ and the row sums) only `withDx`, dγ and dβ only `withAffine`.
 */
@inline function layerNormBackward4(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, invStd: usize, gamma: usize,
  batch: i32, n: i32, withDx: bool, withAffine: bool,
): void {
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  const count = <f64>n;
  const whole = n & ~3;
  for (let r = 0; r < batch; r++) {
    const offset = <usize>r * rowBytes;
    const xr = x + offset, dyr = dy + offset, dxr = dx + offset;
    const m = load<f32>(mean + (<usize>r << 2)), s = load<f32>(invStd + (<usize>r << 2));
    const m4 = f32x4.splat(m), s4 = f32x4.splat(s);
    let meanG: f32 = 0, meanGXhat: f32 = 0;
    if (withDx) {
      let gLo = f64x2.splat(0), gHi = f64x2.splat(0), hLo = f64x2.splat(0), hHi = f64x2.splat(0);
      for (let j = 0; j < whole; j += 4) {
        const p = <usize>j << 2;
        const g = f32x4.mul(v128.load(dyr + p), v128.load(gamma + p));
        const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), m4), s4);
        gLo = f64x2.add(gLo, low(g));
        gHi = f64x2.add(gHi, high(g));
        hLo = f64x2.add(hLo, f64x2.mul(low(g), low(xhat)));
        hHi = f64x2.add(hHi, f64x2.mul(high(g), high(xhat)));
      }
      const sumG = foldRowGradient(f64x2.extract_lane(gLo, 0), f64x2.extract_lane(gLo, 1), f64x2.extract_lane(gHi, 0), f64x2.extract_lane(gHi, 1), dyr, gamma, whole, n);
      const sumGXhat = foldRowGradientXhat(
        f64x2.extract_lane(hLo, 0), f64x2.extract_lane(hLo, 1), f64x2.extract_lane(hHi, 0), f64x2.extract_lane(hHi, 1), dyr, xr, gamma, m, s, whole, n,
      );
      meanG = <f32>(sumG / count);
      meanGXhat = <f32>(sumGXhat / count);
    }
    const meanG4 = f32x4.splat(meanG), meanGXhat4 = f32x4.splat(meanGXhat);
    for (let j = 0; j < whole; j += 4) {
      const p = <usize>j << 2;
      const d = v128.load(dyr + p);
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), m4), s4);
      if (withAffine) {
        v128.store(dgamma + p, f32x4.add(v128.load(dgamma + p), f32x4.mul(d, xhat)));
        v128.store(dbeta + p, f32x4.add(v128.load(dbeta + p), d));
      }
      if (withDx) {
        const inner = f32x4.sub(f32x4.sub(f32x4.mul(d, v128.load(gamma + p)), meanG4), f32x4.mul(xhat, meanGXhat4));
        v128.store(dxr + p, f32x4.add(v128.load(dxr + p), f32x4.mul(s4, inner)));
      }
    }
    layerNormRowBackward(dxr, dgamma, dbeta, dyr, xr, gamma, m, s, meanG, meanGXhat, whole, n, withDx, withAffine);
  }
}
