// Optimiser updates in scalar f32: the twins of update.simd.ts (no v128 in this file).

import { storeWeightStats } from './stats.common';

export function f32_sgd_update__scalar(
  w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // w, v, g are (n). SGD with momentum and L2 weight decay, PyTorch's convention:
  // v = momentum·v + g + weightDecay·w;  w −= learningRate·v  (momentum 0: v is the step itself)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const vi = velocity(momentum, load<f32>(v + o), load<f32>(g + o), weightDecay, wi);
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - learningRate * vi);
  }
}

export function f32_sgd_step_stats__scalar(out: usize, w: usize, g: usize, n: i32, learningRate: f64): void {
  // out is (5) f64: f32_weight_stats' slots, Σg², Σ|g|, max|g| and Σw² of w before the step, and
  // Σ(w after − w before)²; w, g are (n). w −= learningRate·g as f32_axpy__scalar(w, g, n,
  // −learningRate) computes it (the same bits): plain SGD's update on a traced step, which measures
  // what the trace reads of W and ∂C/∂W in the pass that already reads them.
  stepMeasured<f64>(false, out, w, 0, g, n, learningRate, 0, 0);
}

export function f32_sgd_update_stats__scalar(
  out: usize, w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // out is (5) f64 as f32_sgd_step_stats__scalar's; w, v, g are (n). The update of
  // f32_sgd_update__scalar (the same bits), measuring on the way: SGD with momentum or weight decay
  // on a traced step.
  stepMeasured<f32>(true, out, w, v, g, n, learningRate, momentum, weightDecay);
}

/** v = momentum·v + g + weightDecay·w: f32_sgd_update's velocity, written once for its two loops. */
@inline function velocity(momentum: f32, v: f32, g: f32, weightDecay: f32, w: f32): f32 {
  return momentum * v + g + weightDecay * w;
}

/**
 * The one loop of both traced SGD steps: the step, and out's statistics of it. `withVelocity` is a
 * constant at both calls and `Rate` the export's type of learningRate, so each export compiles to a
 * loop of its own, with no test of the flag in it and no conversion added: false (Rate f64, as
 * f32_axpy takes its factor), w + (−learningRate)·g as f32_axpy steps, v not read; true (Rate f32),
 * f32_sgd_update's step through v.
 */
@inline function stepMeasured<Rate>(
  withVelocity: bool, out: usize, w: usize, v: usize, g: usize, n: i32, learningRate: Rate, momentum: f32, weightDecay: f32,
): void {
  const a = <f32>-learningRate;
  let gg: f64 = 0, ga: f64 = 0, ww: f64 = 0, dd: f64 = 0;
  let largest: i32 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const wi = load<f32>(w + o);
    let next: f32;
    if (withVelocity) {
      const vi = velocity(momentum, load<f32>(v + o), gi, weightDecay, wi);
      store<f32>(v + o, vi);
      next = wi - <f32>learningRate * vi;
    } else {
      next = wi + a * gi;
    }
    store<f32>(w + o, next);
    const d = <f64>next - <f64>wi;
    gg += <f64>gi * <f64>gi;
    ga += <f64>abs(gi);
    largest = max(largest, reinterpret<i32>(gi) & 0x7fffffff);
    ww += <f64>wi * <f64>wi;
    dd += d * d;
  }
  storeWeightStats(out, gg, ga, largest, ww, dd);
}
