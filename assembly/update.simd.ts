// Optimiser updates on f32x4: the same f32 operations as update.scalar.ts, four lanes at a time,
// so both variants give the same bits; the last n mod 4 elements go to the scalar twin.

import { addLanesF64, sumLanes64 } from './exp';
import { STAT_BLOCK, WSTAT_GRAD_SQUARES, WSTAT_GRAD_ABS, WSTAT_GRAD_MAX_ABS, WSTAT_WEIGHT_SQUARES, WSTAT_CHANGE_SQUARES } from './stats.common';
import { f32_sgd_step_stats__scalar, f32_sgd_update_stats__scalar, f32_sgd_update__scalar } from './update.scalar';

export function f32_sgd_update__simd(
  w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // w, v, g are (n). v = momentum·v + g + weightDecay·w;  w −= learningRate·v
  const lr = f32x4.splat(learningRate), mu = f32x4.splat(momentum), lambda = f32x4.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const wi = v128.load(w + o);
    const vi = velocity(mu, v128.load(v + o), v128.load(g + o), lambda, wi);
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(lr, vi)));
  }
  const o = <usize>i << 2;
  f32_sgd_update__scalar(w + o, v + o, g + o, n - i, learningRate, momentum, weightDecay);
}

export function f32_sgd_step_stats__simd(out: usize, w: usize, g: usize, n: i32, learningRate: f64): void {
  // out is (5) f64: f32_weight_stats' slots, Σg², Σ|g|, max|g| and Σw² of w before the step, and
  // Σ(w after − w before)²; w, g are (n). w −= learningRate·g as f32_axpy__simd(w, g, n,
  // −learningRate) computes it (the same bits). The statistics' ten vector operations per four
  // weights bound f32_weight_stats, and memory the axpy after it: in one pass the axpy's loads and
  // stores hide under the arithmetic, and no snapshot is read or written (0.75× the time of the
  // two on [784,100,100,10]'s 89,400 weights, Intel Xeon, 2026-12-06 06:16).
  stepMeasured<f64>(false, out, w, 0, g, n, learningRate, 0, 0);
}

export function f32_sgd_update_stats__simd(
  out: usize, w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // out is (5) f64 as f32_sgd_step_stats__simd's; w, v, g are (n). The update of
  // f32_sgd_update__simd (the same bits), measuring on the way, its sums as f32_sgd_step_stats__simd's
  // (0.75× the time of f32_sgd_update and f32_weight_stats on 89,400 weights, Intel Xeon, 2026-12-06 07:20).
  stepMeasured<f32>(true, out, w, v, g, n, learningRate, momentum, weightDecay);
}

/** v = μ·v + g + λ·w: f32_sgd_update's velocity, written once for its three loops. */
@inline function velocity(mu: v128, v: v128, g: v128, lambda: v128, w: v128): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(mu, v), g), f32x4.mul(lambda, w));
}

/**
 * Steps the four weights at wAt (values w, gradient g) and returns them after the step: without
 * velocity w + a·g, a = −learningRate, as f32_axpy steps (v is not read); with it, v (at vAt) =
 * velocity(μ, v, g, λ, w) and w − learningRate·v, as f32_sgd_update steps. Addresses, not offsets:
 * binaryen folds a constant added to a pointer into the load's and store's offset (the same code).
 */
@inline function stepFour(
  withVelocity: bool, wAt: usize, vAt: usize, w: v128, g: v128, a: v128, learningRate: v128, mu: v128, lambda: v128,
): v128 {
  let next: v128;
  if (withVelocity) {
    const v = velocity(mu, v128.load(vAt), g, lambda, w);
    v128.store(vAt, v);
    next = f32x4.sub(w, f32x4.mul(learningRate, v));
  } else {
    next = f32x4.add(w, f32x4.mul(a, g));
  }
  v128.store(wAt, next);
  return next;
}

/**
 * The one pass of both traced SGD steps: stepFour on each four weights, and out's statistics of
 * them. `withVelocity` is a constant at both calls and `Rate` the export's type of learningRate (f64
 * as f32_axpy takes its factor, f32 as f32_sgd_update does), so each export compiles to a loop of its
 * own, with no test of the flag in it and no conversion added. The last n mod 4 weights go to the
 * scalar twin, which writes out first; then addStats adds the vector sums.
 */
@inline function stepMeasured<Rate>(
  withVelocity: bool, out: usize, w: usize, v: usize, g: usize, n: i32, learningRate: Rate, momentum: f32, weightDecay: f32,
): void {
  const lr = f32x4.splat(<f32>learningRate), mu = f32x4.splat(momentum), lambda = f32x4.splat(weightDecay);
  const a = f32x4.splat(<f32>-learningRate);
  const magnitude = i32x4.splat(0x7fffffff);
  let gg = f64x2.splat(0), ga = f64x2.splat(0), ww = f64x2.splat(0), dd = f64x2.splat(0);
  let largest4 = i32x4.splat(0);
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + STAT_BLOCK);
    let sgg = f32x4.splat(0), sga = f32x4.splat(0), sww = f32x4.splat(0), sdd = f32x4.splat(0);
    let tgg = f32x4.splat(0), tga = f32x4.splat(0), tww = f32x4.splat(0), tdd = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const o = <usize>i << 2;
      const w0 = v128.load(w + o), g0 = v128.load(g + o);
      const next0 = stepFour(withVelocity, w + o, v + o, w0, g0, a, lr, mu, lambda);
      const w1 = v128.load(w + o, 16), g1 = v128.load(g + o, 16);
      const next1 = stepFour(withVelocity, w + o + 16, v + o + 16, w1, g1, a, lr, mu, lambda);
      const d0 = f32x4.sub(next0, w0), d1 = f32x4.sub(next1, w1);
      // Two sets of sums, the first four weights of each eight in one and the last four in the other,
      // as f32_weight_stats adds them: the same sums in the same order, the same bits.
      sdd = f32x4.add(sdd, f32x4.mul(d0, d0));
      tdd = f32x4.add(tdd, f32x4.mul(d1, d1));
      sww = f32x4.add(sww, f32x4.mul(w0, w0));
      tww = f32x4.add(tww, f32x4.mul(w1, w1));
      sgg = f32x4.add(sgg, f32x4.mul(g0, g0));
      tgg = f32x4.add(tgg, f32x4.mul(g1, g1));
      const a0 = v128.and(g0, magnitude), a1 = v128.and(g1, magnitude);
      sga = f32x4.add(sga, a0);
      tga = f32x4.add(tga, a1);
      largest4 = i32x4.max_s(largest4, i32x4.max_s(a0, a1));
    }
    for (; i < end; i += 4) {
      const o = <usize>i << 2;
      const wi = v128.load(w + o), gi = v128.load(g + o);
      const next = stepFour(withVelocity, w + o, v + o, wi, gi, a, lr, mu, lambda);
      const d = f32x4.sub(next, wi);
      const ai = v128.and(gi, magnitude);
      sgg = f32x4.add(sgg, f32x4.mul(gi, gi));
      sga = f32x4.add(sga, ai);
      largest4 = i32x4.max_s(largest4, ai);
      sww = f32x4.add(sww, f32x4.mul(wi, wi));
      sdd = f32x4.add(sdd, f32x4.mul(d, d));
    }
    gg = addLanesF64(gg, f32x4.add(sgg, tgg));
    ga = addLanesF64(ga, f32x4.add(sga, tga));
    ww = addLanesF64(ww, f32x4.add(sww, tww));
    dd = addLanesF64(dd, f32x4.add(sdd, tdd));
  }
  const largest = max(max(i32x4.extract_lane(largest4, 0), i32x4.extract_lane(largest4, 1)), max(i32x4.extract_lane(largest4, 2), i32x4.extract_lane(largest4, 3)));
  const o = <usize>i << 2;
  if (withVelocity) f32_sgd_update_stats__scalar(out, w + o, v + o, g + o, n - i, <f32>learningRate, momentum, weightDecay);
  else f32_sgd_step_stats__scalar(out, w + o, g + o, n - i, learningRate);
  addStats(out, gg, ga, largest, ww, dd);
}

/** out's sums (the scalar tail's, written first) += the vector part's, and its max|g| = the larger of the two (a NaN wins). */
@inline function addStats(out: usize, gg: v128, ga: v128, largest: i32, ww: v128, dd: v128): void {
  store<f64>(out + (WSTAT_GRAD_SQUARES << 3), sumLanes64(gg) + load<f64>(out + (WSTAT_GRAD_SQUARES << 3)));
  store<f64>(out + (WSTAT_GRAD_ABS << 3), sumLanes64(ga) + load<f64>(out + (WSTAT_GRAD_ABS << 3)));
  store<f64>(out + (WSTAT_GRAD_MAX_ABS << 3), max(<f64>reinterpret<f32>(largest), load<f64>(out + (WSTAT_GRAD_MAX_ABS << 3))));
  store<f64>(out + (WSTAT_WEIGHT_SQUARES << 3), sumLanes64(ww) + load<f64>(out + (WSTAT_WEIGHT_SQUARES << 3)));
  store<f64>(out + (WSTAT_CHANGE_SQUARES << 3), sumLanes64(dd) + load<f64>(out + (WSTAT_CHANGE_SQUARES << 3)));
}
