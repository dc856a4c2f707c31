// Reductions over a tensor on f32x4, with an f64 result. Four independent accumulators hide the
// add latency; the last n mod 4 elements go to the scalar twins (reduce.scalar.ts).

import { sumLanes64, addLanesF64 } from './exp';
import { f32_sum_squares__scalar, f32_sum_abs__scalar, f32_max_abs__scalar } from './reduce.scalar';

// Sums run in f32x4 over blocks of SUM_BLOCK elements and are promoted to f64 between blocks:
// within a block each lane adds only SUM_BLOCK/16 = 64 terms, so its f32 rounding stays near
// 1e-7 relative however long x is (a plain f32 sum of 1M squares would drift by ~1e-4).
// A block's f32 terms and sums overflow where the scalar twin's f64 ones do not (a square of an
// entry beyond √FLOAT32_MAX ≈ 1.8e19, or |x| summing past FLOAT32_MAX): a sum that is not finite
// is taken again by the scalar twin, so both variants agree there too (Inf only for an Inf in x,
// NaN for a NaN). Only a fault's sum pays for the second pass; a finite one costs one compare.
@inline const SUM_BLOCK: i32 = 1024;

export function f32_sum_squares__simd(x: usize, n: i32): f64 {
  // x is (n); Σ x²
  return blockSum(x, n, true);
}

export function f32_sum_abs__simd(x: usize, n: i32): f64 {
  // x is (n); Σ |x|
  return blockSum(x, n, false);
}

/**
 * x² (squares) or |x| lane by lane: the term of each sum. The square is taken as |(|x|·x)|, which
 * is x·x's bits (round to nearest is symmetric in sign, and abs is exact), because the plain
 * f32x4.mul(v, v) over the first layer's gradient right after backprop left the core ~5 % slower
 * for the rest of the training step on an Intel Xeon (family 6 model 167, 2026-12-02, load 10-14):
 * a register-only multiply-add loop timed after the next forward ran 63.7 µs (median) without it,
 * 67.2 µs after it, and 63.6 µs after an |x| sum of the same tensor. Why, no counter in that VM
 * could tell (it has none); this form does not do it: a [784, 100, 100, 10] step with the gradient
 * check ran 685 µs instead of 705, and train(dataset)'s epoch 1.123× the inner steps, not 1.158×.
 */
@inline function term(v: v128, squares: bool): v128 {
  return squares ? f32x4.abs(f32x4.mul(f32x4.abs(v), v)) : f32x4.abs(v);
}

// Σ x² or Σ |x| (squares is a constant at each call, so each kernel compiles to its own loop).
@inline function blockSum(x: usize, n: i32, squares: bool): f64 {
  let total = f64x2.splat(0);
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n, i + SUM_BLOCK);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (; i + 16 <= end; i += 16) {
      const p = x + (<usize>i << 2);
      s0 = f32x4.add(s0, term(v128.load(p), squares));
      s1 = f32x4.add(s1, term(v128.load(p, 16), squares));
      s2 = f32x4.add(s2, term(v128.load(p, 32), squares));
      s3 = f32x4.add(s3, term(v128.load(p, 48), squares));
    }
    for (; i + 4 <= end; i += 4) s0 = f32x4.add(s0, term(v128.load(x + (<usize>i << 2)), squares));
    total = addLanesF64(total, f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  }
  const tail = x + (<usize>i << 2);
  const sum = sumLanes64(total) + (squares ? f32_sum_squares__scalar(tail, n - i) : f32_sum_abs__scalar(tail, n - i));
  if (isFinite(sum)) return sum;
  return squares ? f32_sum_squares__scalar(x, n) : f32_sum_abs__scalar(x, n);
}

export function f32_max_abs__simd(x: usize, n: i32): f64 {
  // x is (n); max |x|, 0 when n = 0, NaN if any x is NaN.
  // Compared as integers: shifted left by one (the sign bit out), the bits of a float order as its
  // magnitude when read unsigned (i32x4.max_u, one instruction), and every NaN's bits lie above
  // +Inf's, so a NaN always wins; shifted back, the largest is |x|'s bits. f32x4.pmax would drop a
  // NaN, and f32x4.max is several instructions on x86. The shift takes no constant, where masking
  // the sign off took one that V8 rebuilds every trip. With eight vectors per trip it runs 1.05–1.08×
  // faster than the mask with four (AMD EPYC Zen 5, 2026-11-30: 200,704 floats 7.8 vs 8.3 µs, 78,400 2.9 vs 3.1 µs).
  let m0 = i32x4.splat(0), m1 = i32x4.splat(0), m2 = i32x4.splat(0), m3 = i32x4.splat(0);
  let m4 = i32x4.splat(0), m5 = i32x4.splat(0), m6 = i32x4.splat(0), m7 = i32x4.splat(0);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const p = x + (<usize>i << 2);
    m0 = i32x4.max_u(m0, i32x4.shl(v128.load(p), 1));
    m1 = i32x4.max_u(m1, i32x4.shl(v128.load(p, 16), 1));
    m2 = i32x4.max_u(m2, i32x4.shl(v128.load(p, 32), 1));
    m3 = i32x4.max_u(m3, i32x4.shl(v128.load(p, 48), 1));
    m4 = i32x4.max_u(m4, i32x4.shl(v128.load(p, 64), 1));
    m5 = i32x4.max_u(m5, i32x4.shl(v128.load(p, 80), 1));
    m6 = i32x4.max_u(m6, i32x4.shl(v128.load(p, 96), 1));
    m7 = i32x4.max_u(m7, i32x4.shl(v128.load(p, 112), 1));
  }
  for (; i + 4 <= n; i += 4) m0 = i32x4.max_u(m0, i32x4.shl(v128.load(x + (<usize>i << 2)), 1));
  let m = i32x4.max_u(i32x4.max_u(i32x4.max_u(m0, m1), i32x4.max_u(m2, m3)), i32x4.max_u(i32x4.max_u(m4, m5), i32x4.max_u(m6, m7)));
  m = i32x4.max_u(m, i32x4.shuffle(m, m, 2, 3, 0, 1));
  m = i32x4.max_u(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
  const vector = <f64>reinterpret<f32>(<u32>i32x4.extract_lane(m, 0) >> 1);
  // f64 max propagates NaN from either side
  return max(vector, f32_max_abs__scalar(x + (<usize>i << 2), n - i));
}

export function f32_max_abs_bits__simd(x: usize, n: i32): i32 {
  // x is (n); f32_max_abs__simd's result as its float32 bits (exact: it is one of x's magnitudes, or
  // NaN): what a thread pool's job returns (an int32), for a maxAbs split across the threads.
  return reinterpret<i32>(<f32>f32_max_abs__simd(x, n));
}

export function f32_row_sum_squares__simd(out: usize, x: usize, batch: i32, n: i32): void {
  // out is (batch), x is (batch, n); out[r] = Σ_j x[r][j]² (overwrites out)
  for (let r = 0; r < batch; r++) {
    store<f32>(out + (<usize>r << 2), <f32>f32_sum_squares__simd(x + ((<usize>r * <usize>n) << 2), n));
  }
}

export function f32_all_finite__simd(x: usize, n: i32): i32 {
  // x is (n); 1 when every x is finite, else 0: an upload's check (Kernels.writeFinite).
  // One f32x4.add per vector, where max_abs takes a shift and a max: a NaN or an infinity anywhere
  // makes the sums NaN or infinite. Finite values can also make a sum overflow (|x| summing past
  // FLOAT32_MAX), so a sum that is not finite is decided by the exact test (max_abs): only such data
  // pays for a second pass. Eight sums hide the add's latency. Over 7,056,000 floats in chunks of
  // 16,384 held in cache it took 0.50 ms against max_abs's 0.62 (AMD EPYC Zen 3, 2026-12-02 04:12, load 15).
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const p = x + (<usize>i << 2);
    s0 = f32x4.add(s0, v128.load(p));
    s1 = f32x4.add(s1, v128.load(p, 16));
    s2 = f32x4.add(s2, v128.load(p, 32));
    s3 = f32x4.add(s3, v128.load(p, 48));
    s4 = f32x4.add(s4, v128.load(p, 64));
    s5 = f32x4.add(s5, v128.load(p, 80));
    s6 = f32x4.add(s6, v128.load(p, 96));
    s7 = f32x4.add(s7, v128.load(p, 112));
  }
  for (; i + 4 <= n; i += 4) s0 = f32x4.add(s0, v128.load(x + (<usize>i << 2)));
  // x − x is 0 for a finite x and NaN for an infinity or a NaN; each sum is tested on its own, as
  // adding them together could overflow where none of them did.
  let d = f32x4.sub(s0, s0);
  d = f32x4.add(d, f32x4.sub(s1, s1));
  d = f32x4.add(d, f32x4.sub(s2, s2));
  d = f32x4.add(d, f32x4.sub(s3, s3));
  d = f32x4.add(d, f32x4.sub(s4, s4));
  d = f32x4.add(d, f32x4.sub(s5, s5));
  d = f32x4.add(d, f32x4.sub(s6, s6));
  d = f32x4.add(d, f32x4.sub(s7, s7));
  if (v128.all_true<i32>(f32x4.eq(d, d)) && isFinite(f32_max_abs__scalar(x + (<usize>i << 2), n - i))) return 1;
  return isFinite(f32_max_abs__simd(x, n)) ? 1 : 0;
}
