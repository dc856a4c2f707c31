// Statistics for the gradient-flow trace on f32x4: the twins of stats.scalar.ts. Sums run in f32x4
// within blocks of STAT_BLOCK units and are promoted to f64 between blocks (as in reduce.simd.ts),
// so their rounding does not grow with the size of a layer.

import { addLanesF64, sumLanes64 } from './exp';
import {
  primef32, primef32x4, binOf, STAT_BLOCK, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTSIGN, LINEAR, SELU,
  WSTAT_GRAD_SQUARES, WSTAT_GRAD_ABS, WSTAT_GRAD_MAX_ABS, WSTAT_WEIGHT_SQUARES, WSTAT_CHANGE_SQUARES,
  STAT_SUM, STAT_SUM_SQUARES, STAT_MIN, STAT_MAX, STAT_SUM_PRIME, STAT_MAX_PRIME, STAT_SATURATED, STAT_ALIVE_UNITS,
} from './stats.common';
import { f32_sum_squared_diff__scalar } from './stats.scalar';


export function f32_activation_stats__simd(
  out: usize, alive: usize, z: usize, a: usize, batch: i32, n: i32, kind: i32, threshold: f32,
): void {
  // out is (8) f64: Σa, Σa², min a, max a, Σσ'(z), max σ'(z), #{σ'(z) < threshold}, #units alive;
  // alive is (n): 1 where σ'(z[x][j]) ≥ threshold for some row x, else 0 (overwritten);
  // z, a are (batch, n).
  // One loop per activation, kind a constant in each (activationStats is inlined): V8 does not take
  // the test of kind out of the loop, and testing it per vector made the call 1.8× (sigmoid) to 2.3×
  // (relu) slower on 64 × 100 (AMD EPYC Zen 3, 2026-12-02 04:16, load 12). Same operations, same bits.
  if (kind == SIGMOID) activationStats(out, alive, z, a, batch, n, SIGMOID, threshold);
  else if (kind == TANH) activationStats(out, alive, z, a, batch, n, TANH, threshold);
  else if (kind == RELU) activationStats(out, alive, z, a, batch, n, RELU, threshold);
  else if (kind == LEAKY_RELU) activationStats(out, alive, z, a, batch, n, LEAKY_RELU, threshold);
  else if (kind == SOFTSIGN) activationStats(out, alive, z, a, batch, n, SOFTSIGN, threshold);
  else if (kind == SELU) activationStats(out, alive, z, a, batch, n, SELU, threshold);
  else activationStats(out, alive, z, a, batch, n, LINEAR, threshold);
}

/** f32_activation_stats for one kind of activation. */
@inline function activationStats(
  out: usize, alive: usize, z: usize, a: usize, batch: i32, n: i32, kind: i32, threshold: f32,
): void {
  memory.fill(alive, 0, <usize>n << 2);
  const one = f32x4.splat(1);
  const limit = f32x4.splat(threshold);
  let sum = f64x2.splat(0), sumSquares = f64x2.splat(0), sumPrime = f64x2.splat(0);
  let lo4 = f32x4.splat(Infinity), hi4 = f32x4.splat(-Infinity), maxPrime4 = f32x4.splat(0);
  // The row tails (n mod 4 units), in scalar arithmetic.
  let tailSum: f64 = 0, tailSquares: f64 = 0, tailPrime: f64 = 0;
  let lo: f64 = Infinity, hi: f64 = -Infinity, maxPrime: f64 = 0;
  let saturated: i64 = 0;
  const vectorEnd = n & ~3;
  for (let x = 0; x < batch; x++) {
    const row = <usize>x * <usize>n << 2;
    for (let j0 = 0; j0 < vectorEnd; j0 += STAT_BLOCK) {
      const end = min(vectorEnd, j0 + STAT_BLOCK);
      let s = f32x4.splat(0), s2 = f32x4.splat(0), sp = f32x4.splat(0);
      let sat = i32x4.splat(0);
      for (let j = j0; j < end; j += 4) {
        const o = row + (<usize>j << 2);
        const ai = v128.load(a + o);
        const p = primef32x4(kind, v128.load(z + o), ai);
        s = f32x4.add(s, ai);
        s2 = f32x4.add(s2, f32x4.mul(ai, ai));
        // pmin/pmax are one instruction each on x86 (min/max are several, for NaN): a NaN is not
        // kept here, but it still shows, in the sums.
        lo4 = f32x4.pmin(lo4, ai);
        hi4 = f32x4.pmax(hi4, ai);
        sp = f32x4.add(sp, p);
        maxPrime4 = f32x4.pmax(maxPrime4, p);
        // Comparison masks are −1 where true: subtracting one counts it.
        sat = i32x4.sub(sat, f32x4.lt(p, limit));
        const flag = alive + (<usize>j << 2);
        v128.store(flag, v128.or(v128.load(flag), v128.and(f32x4.ge(p, limit), one)));
      }
      sum = addLanesF64(sum, s);
      sumSquares = addLanesF64(sumSquares, s2);
      sumPrime = addLanesF64(sumPrime, sp);
      saturated += <i64>(i32x4.extract_lane(sat, 0) + i32x4.extract_lane(sat, 1) + i32x4.extract_lane(sat, 2) + i32x4.extract_lane(sat, 3));
    }
    for (let j = vectorEnd; j < n; j++) {
      const o = row + (<usize>j << 2);
      const ai = load<f32>(a + o);
      const p = primef32(kind, load<f32>(z + o), ai);
      const v = <f64>ai;
      tailSum += v;
      tailSquares += v * v;
      lo = min(lo, v);
      hi = max(hi, v);
      tailPrime += <f64>p;
      maxPrime = max(maxPrime, <f64>p);
      if (p < threshold) saturated++;
      else if (p >= threshold) store<f32>(alive + (<usize>j << 2), 1);
    }
  }
  for (let lane = 0; lane < 4; lane++) {
    lo = min(lo, <f64>f32x4.extract_lane(lo4, 0));
    lo4 = f32x4.shuffle(lo4, lo4, 1, 2, 3, 0);
    hi = max(hi, <f64>f32x4.extract_lane(hi4, 0));
    hi4 = f32x4.shuffle(hi4, hi4, 1, 2, 3, 0);
    maxPrime = max(maxPrime, <f64>f32x4.extract_lane(maxPrime4, 0));
    maxPrime4 = f32x4.shuffle(maxPrime4, maxPrime4, 1, 2, 3, 0);
  }
  let live = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) live = f32x4.add(live, v128.load(alive + (<usize>j << 2)));
  let liveUnits: f64 = <f64>f32x4.extract_lane(live, 0) + <f64>f32x4.extract_lane(live, 1) +
    <f64>f32x4.extract_lane(live, 2) + <f64>f32x4.extract_lane(live, 3);
  for (; j < n; j++) liveUnits += <f64>load<f32>(alive + (<usize>j << 2));
  store<f64>(out + (STAT_SUM << 3), sumLanes64(sum) + tailSum);
  store<f64>(out + (STAT_SUM_SQUARES << 3), sumLanes64(sumSquares) + tailSquares);
  store<f64>(out + (STAT_MIN << 3), lo);
  store<f64>(out + (STAT_MAX << 3), hi);
  store<f64>(out + (STAT_SUM_PRIME << 3), sumLanes64(sumPrime) + tailPrime);
  store<f64>(out + (STAT_MAX_PRIME << 3), maxPrime);
  store<f64>(out + (STAT_SATURATED << 3), <f64>saturated);
  store<f64>(out + (STAT_ALIVE_UNITS << 3), liveUnits);
}

export function f32_histogram__simd(counts: usize, x: usize, n: i32, lo: f32, hi: f32, bins: i32): void {
  // counts is (bins), x is (n): as f32_histogram__scalar, the bin indices four at a time (the
  // increments stay scalar: wasm SIMD has no scatter)
  const scale: f32 = <f32>bins / (hi - lo);
  const last = <f32>(bins - 1);
  const lo4 = f32x4.splat(lo), scale4 = f32x4.splat(scale);
  const zero = f32x4.splat(0), last4 = f32x4.splat(last);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const t = f32x4.mul(f32x4.sub(v, lo4), scale4);
    // pmax/pmin keep the first operand when the comparison fails: NaN lanes are skipped below.
    const bin = i32x4.trunc_sat_f32x4_s(f32x4.pmin(f32x4.pmax(t, zero), last4));
    const number = f32x4.eq(v, v);
    if (i32x4.extract_lane(number, 0)) increment(counts, i32x4.extract_lane(bin, 0));
    if (i32x4.extract_lane(number, 1)) increment(counts, i32x4.extract_lane(bin, 1));
    if (i32x4.extract_lane(number, 2)) increment(counts, i32x4.extract_lane(bin, 2));
    if (i32x4.extract_lane(number, 3)) increment(counts, i32x4.extract_lane(bin, 3));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v) continue;
    increment(counts, binOf((v - lo) * scale, last));
  }
}

@inline function increment(counts: usize, bin: i32): void {
  const c = counts + (<usize>bin << 2);
  store<f32>(c, load<f32>(c) + 1);
}

export function f32_sum_squared_diff__simd(x: usize, y: usize, n: i32): f64 {
  // x, y are (n); Σ (x − y)². The f32 difference is exact when x and y are within a factor 2 of
  // each other (Sterbenz), which is the case this serves: weights before and after one step.
  let total = f64x2.splat(0);
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + STAT_BLOCK);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const o = <usize>i << 2;
      const d0 = f32x4.sub(v128.load(x + o), v128.load(y + o));
      const d1 = f32x4.sub(v128.load(x + o, 16), v128.load(y + o, 16));
      s0 = f32x4.add(s0, f32x4.mul(d0, d0));
      s1 = f32x4.add(s1, f32x4.mul(d1, d1));
    }
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      const d = f32x4.sub(v128.load(x + o), v128.load(y + o));
      s0 = f32x4.add(s0, f32x4.mul(d, d));
    }
    total = addLanesF64(total, f32x4.add(s0, s1));
  }
  const o = <usize>i << 2;
  return sumLanes64(total) + f32_sum_squared_diff__scalar(x + o, y + o, n - i);
}

export function f32_weight_stats__simd(out: usize, snapshot: usize, w: usize, g: usize, n: i32): void {
  // out is (5) f64: Σg², Σ|g|, max|g|, Σw², Σ(w − snapshot)²; then snapshot = w. snapshot, w, g
  // are (n). On a traced step this is most of the trace's memory traffic. Two loops, one over g and
  // one over w and the snapshot, each array read once as before: in one loop the eight accumulators,
  // the max and the loaded vectors outnumber the 16 SIMD registers V8 allocates on x64 (xmm0–xmm15),
  // and it kept two accumulators on the stack, a store and a reload in their add chains every round
  // (the two loops: 0.913× the time on 78,400 weights in cache, AMD EPYC Zen 5, 2026-12-06). Each
  // accumulator sums the same values in the same order as in one loop: the same bits.
  gradientStats(out, g, n);
  weightChangeStats(out, snapshot, w, n);
}

/** weightStats' Σg², Σ|g| and max|g| of g (n). */
@inline function gradientStats(out: usize, g: usize, n: i32): void {
  const magnitude = i32x4.splat(0x7fffffff);
  let gg = f64x2.splat(0), ga = f64x2.splat(0);
  let largest4 = i32x4.splat(0);
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + STAT_BLOCK);
    // Two sets of accumulators, eight floats a round: one set alone waits on the add latency.
    let sgg = f32x4.splat(0), sga = f32x4.splat(0);
    let tgg = f32x4.splat(0), tga = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const o = <usize>i << 2;
      const g0 = v128.load(g + o), g1 = v128.load(g + o, 16);
      sgg = f32x4.add(sgg, f32x4.mul(g0, g0));
      tgg = f32x4.add(tgg, f32x4.mul(g1, g1));
      // |g| once, as the bits with the sign cleared: summed as floats, compared as integers (which
      // order as the magnitudes). Taking it twice (f32x4.abs, then the mask for the max) made the
      // call 1.07× slower on 78,400 weights (AMD EPYC Zen 3, 2026-12-02 04:15, load 13).
      const a0 = v128.and(g0, magnitude), a1 = v128.and(g1, magnitude);
      sga = f32x4.add(sga, a0);
      tga = f32x4.add(tga, a1);
      largest4 = i32x4.max_s(largest4, i32x4.max_s(a0, a1));
    }
    for (; i < end; i += 4) {
      const gi = v128.load(g + (<usize>i << 2));
      sgg = f32x4.add(sgg, f32x4.mul(gi, gi));
      const ai = v128.and(gi, magnitude);
      sga = f32x4.add(sga, ai);
      largest4 = i32x4.max_s(largest4, ai);
    }
    gg = addLanesF64(gg, f32x4.add(sgg, tgg));
    ga = addLanesF64(ga, f32x4.add(sga, tga));
  }
  let largest = max(max(i32x4.extract_lane(largest4, 0), i32x4.extract_lane(largest4, 1)), max(i32x4.extract_lane(largest4, 2), i32x4.extract_lane(largest4, 3)));
  let tgg: f64 = 0, tga: f64 = 0;
  for (; i < n; i++) {
    const gi = load<f32>(g + (<usize>i << 2));
    tgg += <f64>gi * <f64>gi;
    tga += <f64>abs(gi);
    largest = max(largest, reinterpret<i32>(gi) & 0x7fffffff);
  }
  store<f64>(out + (WSTAT_GRAD_SQUARES << 3), sumLanes64(gg) + tgg);
  store<f64>(out + (WSTAT_GRAD_ABS << 3), sumLanes64(ga) + tga);
  store<f64>(out + (WSTAT_GRAD_MAX_ABS << 3), <f64>reinterpret<f32>(largest));
}

/** weightStats' Σw² and Σ(w − snapshot)² of w and the snapshot (n), then snapshot = w. */
@inline function weightChangeStats(out: usize, snapshot: usize, w: usize, n: i32): void {
  let ww = f64x2.splat(0), dd = f64x2.splat(0);
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + STAT_BLOCK);
    let sww = f32x4.splat(0), sdd = f32x4.splat(0);
    let tww = f32x4.splat(0), tdd = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const o = <usize>i << 2;
      const w0 = v128.load(w + o), w1 = v128.load(w + o, 16);
      // Exact in f32 when w and the snapshot are within a factor 2 (Sterbenz): one step apart.
      const d0 = f32x4.sub(w0, v128.load(snapshot + o)), d1 = f32x4.sub(w1, v128.load(snapshot + o, 16));
      sww = f32x4.add(sww, f32x4.mul(w0, w0));
      tww = f32x4.add(tww, f32x4.mul(w1, w1));
      sdd = f32x4.add(sdd, f32x4.mul(d0, d0));
      tdd = f32x4.add(tdd, f32x4.mul(d1, d1));
      v128.store(snapshot + o, w0);
      v128.store(snapshot + o, w1, 16);
    }
    for (; i < end; i += 4) {
      const o = <usize>i << 2;
      const wi = v128.load(w + o);
      const d = f32x4.sub(wi, v128.load(snapshot + o));
      sww = f32x4.add(sww, f32x4.mul(wi, wi));
      sdd = f32x4.add(sdd, f32x4.mul(d, d));
      v128.store(snapshot + o, wi);
    }
    ww = addLanesF64(ww, f32x4.add(sww, tww));
    dd = addLanesF64(dd, f32x4.add(sdd, tdd));
  }
  let tww: f64 = 0, tdd: f64 = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const d = <f64>wi - <f64>load<f32>(snapshot + o);
    tww += <f64>wi * <f64>wi;
    tdd += d * d;
    store<f32>(snapshot + o, wi);
  }
  store<f64>(out + (WSTAT_WEIGHT_SQUARES << 3), sumLanes64(ww) + tww);
  store<f64>(out + (WSTAT_CHANGE_SQUARES << 3), sumLanes64(dd) + tdd);
}
