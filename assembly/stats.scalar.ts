// Statistics for the gradient-flow trace, in scalar f32 with f64 sums: the twins of
// stats.simd.ts (no v128 in this file). They run once per traced step over data the training
// step already produced (z, a = σ(z), δ, W), so tracing costs a few passes, not a second step.

import {
  primef32, binOf,
  storeWeightStats,
  STAT_SUM, STAT_SUM_SQUARES, STAT_MIN, STAT_MAX, STAT_SUM_PRIME, STAT_MAX_PRIME, STAT_SATURATED, STAT_ALIVE_UNITS,
} from './stats.common';

export function f32_activation_stats__scalar(
  out: usize, alive: usize, z: usize, a: usize, batch: i32, n: i32, kind: i32, threshold: f32,
): void {
  // out is (8) f64: Σa, Σa², min a, max a, Σσ'(z), max σ'(z), #{σ'(z) < threshold}, #units alive;
  // alive is (n): 1 where σ'(z[x][j]) ≥ threshold for some row x, else 0 (overwritten);
  // z, a are (batch, n)
  memory.fill(alive, 0, <usize>n << 2);
  let sum: f64 = 0, sumSquares: f64 = 0, sumPrime: f64 = 0;
  let lo: f64 = Infinity, hi: f64 = -Infinity, maxPrime: f64 = 0;
  let saturated: i64 = 0;
  for (let x = 0; x < batch; x++) {
    const row = <usize>x * <usize>n << 2;
    for (let j = 0; j < n; j++) {
      const o = row + (<usize>j << 2);
      const ai = load<f32>(a + o);
      const p = primef32(kind, load<f32>(z + o), ai);
      const v = <f64>ai;
      sum += v;
      sumSquares += v * v;
      lo = min(lo, v);
      hi = max(hi, v);
      sumPrime += <f64>p;
      maxPrime = max(maxPrime, <f64>p);
      if (p < threshold) saturated++;
      else if (p >= threshold) store<f32>(alive + (<usize>j << 2), 1);
    }
  }
  let live: f64 = 0;
  for (let j = 0; j < n; j++) live += <f64>load<f32>(alive + (<usize>j << 2));
  store<f64>(out + (STAT_SUM << 3), sum);
  store<f64>(out + (STAT_SUM_SQUARES << 3), sumSquares);
  store<f64>(out + (STAT_MIN << 3), lo);
  store<f64>(out + (STAT_MAX << 3), hi);
  store<f64>(out + (STAT_SUM_PRIME << 3), sumPrime);
  store<f64>(out + (STAT_MAX_PRIME << 3), maxPrime);
  store<f64>(out + (STAT_SATURATED << 3), <f64>saturated);
  store<f64>(out + (STAT_ALIVE_UNITS << 3), live);
}

export function f32_histogram__scalar(counts: usize, x: usize, n: i32, lo: f32, hi: f32, bins: i32): void {
  // counts is (bins), x is (n): counts[floor((x − lo)·bins/(hi − lo))] += 1 in f32 arithmetic,
  // values below lo or above hi in the end bins, NaN not counted
  const scale: f32 = <f32>bins / (hi - lo);
  const last = <f32>(bins - 1);
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v) continue;
    const c = counts + (<usize>binOf((v - lo) * scale, last) << 2);
    store<f32>(c, load<f32>(c) + 1);
  }
}

export function f32_sum_squared_diff__scalar(x: usize, y: usize, n: i32): f64 {
  // x, y are (n); Σ (x − y)², each difference exact in f64
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = <f64>load<f32>(x + o) - <f64>load<f32>(y + o);
    sum += d * d;
  }
  return sum;
}

export function f32_weight_stats__scalar(out: usize, snapshot: usize, w: usize, g: usize, n: i32): void {
  // out is (5) f64: Σg², Σ|g|, max|g|, Σw², Σ(w − snapshot)²; then snapshot = w. snapshot, w, g
  // are (n). One pass over a layer's weights and gradient for everything the trace needs of them.
  let gg: f64 = 0, ga: f64 = 0, ww: f64 = 0, dd: f64 = 0;
  let largest: i32 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const wi = load<f32>(w + o);
    const d = <f64>wi - <f64>load<f32>(snapshot + o);
    gg += <f64>gi * <f64>gi;
    ga += <f64>abs(gi);
    // As f32_max_abs: the bits of |g| order as its value, and a NaN's lie above +Inf's.
    largest = max(largest, reinterpret<i32>(gi) & 0x7fffffff);
    ww += <f64>wi * <f64>wi;
    dd += d * d;
    store<f32>(snapshot + o, wi);
  }
  storeWeightStats(out, gg, ga, largest, ww, dd);
}
