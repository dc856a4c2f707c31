// Optimiser updates and the vector algebra of the second-order methods, in scalar f32: the twins
// of optim.simd.ts (no v128 in this file). Every hyperparameter arrives as f64 and is rounded to
// f32 once, so both variants run the same f32 operations in the same order and give the same bits.
// Weight decay is PyTorch's L2 form (g' = g + λ·w) unless a kernel says otherwise.
// AdaGrad's, RMSprop's and Adam's steps divide before they scale (lr·(g / (√s + ε))): a subnormal
// gradient (a deep sigmoid net's first layers) times lr fell deeper into float32's subnormal range,
// down to a few significant bits, and the division by a denominator of about ε brought that error
// back to the step's scale: Adam's step was 11 % off the oracle's (test/kernels/subnormal.test.ts).

import { adamInverseRoot, adamStepSize } from './optim.common';

export function f32_nesterov_update__scalar(
  w: usize, v: usize, g: usize, n: i32, learningRate: f64, momentum: f64, weightDecay: f64,
): void {
  // w, v, g are (n). PyTorch's Nesterov: g' = g + λw;  v = μv + g';  w −= lr·(g' + μv)
  const lr = <f32>learningRate, mu = <f32>momentum, lambda = <f32>weightDecay;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + lambda * wi;
    const vi = mu * load<f32>(v + o) + gi;
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - lr * (gi + mu * vi));
  }
}

export function f32_adagrad_update__scalar(
  w: usize, s: usize, g: usize, n: i32, learningRate: f64, epsilon: f64, weightDecay: f64,
): void {
  // w, s, g are (n). g' = g + λw;  s += g'²;  w −= lr·g' / (√s + ε)
  const lr = <f32>learningRate, eps = <f32>epsilon, lambda = <f32>weightDecay;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + lambda * wi;
    const si = load<f32>(s + o) + gi * gi;
    store<f32>(s + o, si);
    store<f32>(w + o, wi - lr * (gi / (sqrt<f32>(si) + eps)));
  }
}

export function f32_rmsprop_update__scalar(
  w: usize, s: usize, g: usize, n: i32, learningRate: f64, alpha: f64, epsilon: f64, weightDecay: f64,
): void {
  // w, s, g are (n). g' = g + λw;  s = α·s + (1 − α)·g'²;  w −= lr·g' / (√s + ε)
  const lr = <f32>learningRate, a = <f32>alpha, b = <f32>(1 - alpha), eps = <f32>epsilon, lambda = <f32>weightDecay;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + lambda * wi;
    const si = a * load<f32>(s + o) + b * (gi * gi);
    store<f32>(s + o, si);
    store<f32>(w + o, wi - lr * (gi / (sqrt<f32>(si) + eps)));
  }
}

export function f32_adam_update__scalar(
  w: usize, m: usize, v: usize, g: usize, n: i32,
  learningRate: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64, decoupled: i32, step: i32,
): void {
  // w, m, v, g are (n); step t ≥ 1. PyTorch's Adam (decoupled = 0) and AdamW (decoupled = 1):
  // Adam: g' = g + λw.  AdamW: g' = g, w ← w·(1 − lr·λ).
  // m = β1·m + (1 − β1)·g';  v = β2·v + (1 − β2)·g'²;  w −= lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε)
  const b1 = <f32>beta1, c1 = <f32>(1 - beta1), b2 = <f32>beta2, c2 = <f32>(1 - beta2), eps = <f32>epsilon;
  const stepSize = adamStepSize(learningRate, beta1, step);
  const inverseRoot = adamInverseRoot(beta2, step);
  const l2 = decoupled ? <f32>0 : <f32>weightDecay;
  const shrink = decoupled ? <f32>(1 - learningRate * weightDecay) : <f32>1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + l2 * wi;
    const mi = b1 * load<f32>(m + o) + c1 * gi;
    const vi = b2 * load<f32>(v + o) + c2 * (gi * gi);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, shrink * wi - stepSize * (mi / (sqrt<f32>(vi) * inverseRoot + eps)));
  }
}

export function f32_axpy__scalar(y: usize, x: usize, n: i32, alpha: f64): void {
  // y, x are (n); y += α·x
  const a = <f32>alpha;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

export function f32_scale__scalar(x: usize, n: i32, alpha: f64): void {
  // x is (n); x *= α
  const a = <f32>alpha;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, a * load<f32>(x + o));
  }
}

export function f32_dot__scalar(x: usize, y: usize, n: i32): f64 {
  // x, y are (n); Σ x·y, each product exact in f64
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    sum += <f64>load<f32>(x + o) * <f64>load<f32>(y + o);
  }
  return sum;
}
