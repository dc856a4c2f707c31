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
    const vi = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(v + o)), v128.load(g + o)), f32x4.mul(lambda, wi));
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
      const next0 = f32x4.add(w0, f32x4.mul(a, g0));
      v128.store(w + o, next0);
      const w1 = v128.load(w + o, 16), g1 = v128.load(g + o, 16);
      const next1 = f32x4.add(w1, f32x4.mul(a, g1));
      v128.store(w + o, next1, 16);
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
      const next = f32x4.add(wi, f32x4.mul(a, gi));
      v128.store(w + o, next);
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
  f32_sgd_step_stats__scalar(out, w + o, g + o, n - i, learningRate);
  addStats(out, gg, ga, largest, ww, dd);
}

export function f32_sgd_update_stats__simd(
  out: usize, w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // out is (5) f64 as f32_sgd_step_stats__simd's; w, v, g are (n). The update of
  // f32_sgd_update__simd (the same bits), measuring on the way, its sums as f32_sgd_step_stats__simd's
  // (0.75× the time of f32_sgd_update and f32_weight_stats on 89,400 weights, Intel Xeon, 2026-12-06 07:20).
  const lr = f32x4.splat(learningRate), mu = f32x4.splat(momentum), lambda = f32x4.splat(weightDecay);
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
      const v0 = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(v + o)), g0), f32x4.mul(lambda, w0));
      v128.store(v + o, v0);
      const next0 = f32x4.sub(w0, f32x4.mul(lr, v0));
      v128.store(w + o, next0);
      const w1 = v128.load(w + o, 16), g1 = v128.load(g + o, 16);
      const v1 = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(v + o, 16)), g1), f32x4.mul(lambda, w1));
      v128.store(v + o, v1, 16);
      const next1 = f32x4.sub(w1, f32x4.mul(lr, v1));
      v128.store(w + o, next1, 16);
      const d0 = f32x4.sub(next0, w0), d1 = f32x4.sub(next1, w1);
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
      const vi = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(v + o)), gi), f32x4.mul(lambda, wi));
      v128.store(v + o, vi);
      const next = f32x4.sub(wi, f32x4.mul(lr, vi));
      v128.store(w + o, next);
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
  f32_sgd_update_stats__scalar(out, w + o, v + o, g + o, n - i, learningRate, momentum, weightDecay);
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
