// The vector maths the elementwise kernels share: e^x, e^x − 1, σ, tanh and log(1 + u) in f32, each twice,
// as an f32x4 version for the SIMD kernels and an f32 version for the scalar twins and the SIMD
// tails. Both versions run the same f32 operations in the same order (no fma: wasm SIMD has none
// without relaxed-simd), so a lane of the vector result has the same bits as the scalar result.
// Nothing here is exported from the module: the entries re-export only the kernel files.
//
// The scalar binary imports this file too; it never calls the f32x4 functions, and AssemblyScript
// compiles only what is called, so no v128 reaches it.

// ---- e^x ----
//
// Cody–Waite range reduction: x = k·ln2 + r with |r| ≤ ln2/2, e^x = 2^k·e^r. The polynomial for
// e^r and the two-part ln2 are Cephes' expf (S. L. Moshier). Measured against f64: at most
// 8.2e-8 relative over [-87.3, 88.7] (16M points), well inside the 1e-6 the activations are
// held to; σ and tanh below come out at 1.8e-7 and 1.5e-7.

// Inputs are clamped to [EXP_MIN, EXP_MAX], so no finite input gives Inf or NaN:
// e^88.7 ≈ 3.3e38 is still below FLT_MAX, and e^-104 ≈ 2^-150 rounds to 0 (or the smallest
// denormal). NaN passes through the clamp and comes out NaN.
@inline const EXP_MAX: f32 = 88.7;
@inline const EXP_MIN: f32 = -104.0;
@inline const LOG2E: f32 = 1.44269504088896341;
// Adding 1.5·2^23 pushes the fraction of x·log2(e) out of the mantissa: the sum is the nearest
// integer k (ties to even) plus the constant, and its low mantissa bits hold k itself. One add
// instead of a nearest + trunc_sat pair (the latter is several instructions on x86).
@inline const ROUND: f32 = 12582912.0;
@inline const ROUND_BITS: i32 = 0x4b400000; // the bits of ROUND
// ln2 = LN2_HI + LN2_LO. LN2_HI has 9 significant bits, so k·LN2_HI is exact for |k| ≤ 2^15
// and x − k·LN2_HI loses nothing to cancellation.
@inline const LN2_HI: f32 = 0.693359375;
@inline const LN2_LO: f32 = -2.12194440e-4;
// e^r ≈ 1 + r + r²·(E0·r⁵ + E1·r⁴ + E2·r³ + E3·r² + E4·r + E5)   (|r| ≤ ln2/2)
@inline const E0: f32 = 1.9875691500e-4;
@inline const E1: f32 = 1.3981999507e-3;
@inline const E2: f32 = 8.3334519073e-3;
@inline const E3: f32 = 4.1665795894e-2;
@inline const E4: f32 = 1.6666665459e-1;
@inline const E5: f32 = 5.0000001201e-1;

/**
 * e^r for r = x − kf·ln2 (kf the nearest whole number to x/ln2, |r| ≤ ln2/2): the reduction and
 * polynomial that expf32 and expNonPositivef32 share; they differ only in how they clamp x and
 * build 2^k.
 */
@inline function expReducedf32(x: f32, kf: f32): f32 {
  let r = x - kf * LN2_HI;
  r = r - kf * LN2_LO;
  let p = E0 * r + E1;
  p = p * r + E2;
  p = p * r + E3;
  p = p * r + E4;
  p = p * r + E5;
  return p * (r * r) + r + 1;
}

/** expReducedf32 lane by lane, the same operations in the same order. */
@inline function expReducedf32x4(x: v128, kf: v128): v128 {
  let r = f32x4.sub(x, f32x4.mul(kf, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(kf, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(E0), r), f32x4.splat(E1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(E2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(E3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(E4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(E5));
  return f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
}

/** e^x in f32 (relative error ~1e-7 where the result is normal; gradual underflow below). */
@inline export function expf32(x: f32): f32 {
  // The same comparisons as f32x4.pmax / pmin in the vector version (NaN is left alone).
  x = x < EXP_MIN ? EXP_MIN : x;
  x = x > EXP_MAX ? EXP_MAX : x;
  const t = x * LOG2E + ROUND;
  const kf = t - ROUND;
  const k = reinterpret<i32>(t) - ROUND_BITS;
  const p = expReducedf32(x, kf);
  // 2^k as two powers of two, each a normal float: k ranges over [-150, 128], where a single
  // 2^k would be Inf at the top and not representable at the bottom. The second product
  // underflows gradually, so e^x stays right (to the denormal's precision) down to 2^-149.
  const k1 = k >> 1;
  const k2 = k - k1;
  return p * reinterpret<f32>((k1 + 127) << 23) * reinterpret<f32>((k2 + 127) << 23);
}

/** e^x lane by lane: expf32 on f32x4, the same operations in the same order. */
@inline export function expf32x4(x: v128): v128 {
  // pmax(x, lo) = x < lo ? lo : x and pmin(x, hi) = hi < x ? hi : x: one instruction each on
  // x86 (min/max are several, for NaN and ±0), and NaN still propagates.
  x = f32x4.pmax(x, f32x4.splat(EXP_MIN));
  x = f32x4.pmin(x, f32x4.splat(EXP_MAX));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  const kf = f32x4.sub(t, f32x4.splat(ROUND));
  const k = i32x4.sub(t, i32x4.splat(ROUND_BITS));
  const p = expReducedf32x4(x, kf);
  const k1 = i32x4.shr_s(k, 1);
  const k2 = i32x4.sub(k, k1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(k1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(k2, bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

// ---- e^x for x ≤ 0 ----
//
// σ, tanh, softmax and the losses take e^x only of a non-positive x (e^-|z|, e^(z − max z)),
// where k ∈ [−150, 0]. There the same result takes fewer operations: no upper clamp, and 2^k as
// one power of two read straight out of t's bits. Adding ROUND + 192 instead of ROUND leaves
// k + 192 = (k + 65) + 127 in t's low mantissa bits (192 is even, so a tie still rounds to the
// even k), and shifting t left by 23 moves them into the exponent field (ROUND's own set bits
// shift out): 2^(k+65), a normal float for every k here. p·2^(k+65) is exact, and the one
// product with 2^-65 rounds (gradually underflowing) the same real p·2^k that expf32's two
// products round once, so the bits are expf32's for every x ≤ 0 (checked over all 2^31 of them; a
// NaN stays NaN) with 7 of its 32 operations fewer: the σ kernel ran 1.3× faster (1.5× with
// eight vectors per trip, which the fewer constants allow: activation.simd.ts; AMD EPYC Zen 5, 2026-11-30).
@inline const ROUND_NONPOSITIVE: f32 = 12583104.0; // ROUND + 192
@inline const TWO_TO_MINUS_65: f32 = 2.710505431213761e-20;

/** e^x for x ≤ 0 in f32: the bits of expf32(x) with fewer operations (NaN gives NaN). */
@inline export function expNonPositivef32(x: f32): f32 {
  x = x < EXP_MIN ? EXP_MIN : x;
  const t = x * LOG2E + ROUND_NONPOSITIVE;
  const kf = t - ROUND_NONPOSITIVE;
  return expReducedf32(x, kf) * reinterpret<f32>(reinterpret<i32>(t) << 23) * TWO_TO_MINUS_65;
}

/** e^x for x ≤ 0 lane by lane: expNonPositivef32 on f32x4, the same operations in the same order. */
@inline export function expNonPositivef32x4(x: v128): v128 {
  x = f32x4.pmax(x, f32x4.splat(EXP_MIN));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND_NONPOSITIVE));
  const kf = f32x4.sub(t, f32x4.splat(ROUND_NONPOSITIVE));
  return f32x4.mul(f32x4.mul(expReducedf32x4(x, kf), i32x4.shl(t, 23)), f32x4.splat(TWO_TO_MINUS_65));
}

// ---- eᵡ − 1 ----
//
// SELU's negative side, λα(eᶻ − 1). expf32(x) − 1 cancels as x → 0 (at x = −1e-4 it would keep
// three digits), so for |x| < ln2/2, where expf32's reduction takes k = 0 and r = x, the
// polynomial's own form r + r²·P(r) gives eᵡ − 1 without the leading 1: relative error ~1e-7.
// Farther out, eᵡ − 1 ≤ −0.29 or ≥ 0.41 and the subtraction loses under two bits.
@inline const EXPM1_SMALL: f32 = 0.34657359;

/** eᵡ − 1 in f32 (relative error < 3e-7). */
@inline export function expm1f32(x: f32): f32 {
  let p = E0 * x + E1;
  p = p * x + E2;
  p = p * x + E3;
  p = p * x + E4;
  p = p * x + E5;
  const small = p * (x * x) + x;
  return pick(small, expf32(x) - 1, abs(x) < EXPM1_SMALL);
}

/** eᵡ − 1 lane by lane: expm1f32 on f32x4, both branches computed and each lane picking one. */
@inline export function expm1f32x4(x: v128): v128 {
  let p = f32x4.add(f32x4.mul(f32x4.splat(E0), x), f32x4.splat(E1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(E2));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(E3));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(E4));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(E5));
  const small = f32x4.add(f32x4.mul(p, f32x4.mul(x, x)), x);
  const large = f32x4.sub(expf32x4(x), f32x4.splat(1));
  return v128.bitselect(small, large, f32x4.lt(f32x4.abs(x), f32x4.splat(EXPM1_SMALL)));
}

// ---- log(1 + u) for u ∈ [0, 1] ----
//
// The softplus term log1p(e^-|z|) of binary cross-entropy. With s = u/(2 + u) ∈ [0, 1/3],
// log(1 + u) = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + …): every term is positive (no cancellation),
// small u keeps its relative precision (log1p(u) → 2s → u), and stopping after s¹⁴/15 leaves
// (1/9)⁸/17 ≈ 1.4e-9 relative. No range reduction is needed on this interval.
@inline const L3: f32 = 1.0 / 3.0;
@inline const L5: f32 = 1.0 / 5.0;
@inline const L7: f32 = 1.0 / 7.0;
@inline const L9: f32 = 1.0 / 9.0;
@inline const L11: f32 = 1.0 / 11.0;
@inline const L13: f32 = 1.0 / 13.0;
@inline const L15: f32 = 1.0 / 15.0;

/**
 * log(1 + u) for u ∈ [0, 1], in f32: relative error ≤ 1.8e-7 for normal u (a denormal u loses
 * bits in u/(2 + u), but then log1p(u) is below 1e-38 anyway).
 */
@inline export function log1pUnitf32(u: f32): f32 {
  const s = u / (2 + u);
  const w = s * s;
  let q = L15 * w + L13;
  q = q * w + L11;
  q = q * w + L9;
  q = q * w + L7;
  q = q * w + L5;
  q = q * w + L3;
  const s2 = s + s;
  return s2 + s2 * w * q;
}

/** log(1 + u) lane by lane for u ∈ [0, 1]: log1pUnitf32 on f32x4. */
@inline export function log1pUnitf32x4(u: v128): v128 {
  const s = f32x4.div(u, f32x4.add(f32x4.splat(2), u));
  const w = f32x4.mul(s, s);
  let q = f32x4.add(f32x4.mul(f32x4.splat(L15), w), f32x4.splat(L13));
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(L11));
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(L9));
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(L7));
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(L5));
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(L3));
  const s2 = f32x4.add(s, s);
  return f32x4.add(s2, f32x4.mul(f32x4.mul(s2, w), q));
}

// ---- choosing without a branch ----

/**
 * cond ? a : b, chosen with a bit mask as v128.bitselect does. V8 compiles an f32 select into a
 * branch, which data with random signs mispredicts half the time (without it the scalar
 * sigmoid and leaky-relu run several times faster on such data), and Binaryen turns a select on the
 * reinterpreted bits back into an f32 select; the mask survives both.
 */
@inline export function pick(a: f32, b: f32, cond: bool): f32 {
  const mask = -<i32>cond;
  return reinterpret<f32>((reinterpret<i32>(a) & mask) | (reinterpret<i32>(b) & ~mask));
}

// ---- sigmoid ----
//
// σ(z) from e = e^-|z| ≤ 1, which never overflows: 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0,
// so σ(z) ≈ e^z keeps its relative precision far into the negative tail (σ(-69) ≈ 1e-30).

/** σ(z) = 1/(1 + e^-z) in f32 (relative error < 2e-7 wherever σ(z) ≥ 1e-30). */
@inline export function sigmoidf32(z: f32): f32 {
  const e = expNonPositivef32(-abs(z));
  return pick(1, e, z >= 0) / (1 + e);
}

/** σ lane by lane: sigmoidf32 on f32x4. */
@inline export function sigmoidf32x4(z: v128): v128 {
  const e = expNonPositivef32x4(v128.or(z, f32x4.splat(-0.0))); // −|z|: the sign bit set
  const one = f32x4.splat(1);
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(z, f32x4.splat(0))), f32x4.add(one, e));
}

// ---- tanh ----
//
// tanh|z| = (1 − e)/(1 + e) with e = e^-2|z| ≤ e^-1.25, where 1 − e does not cancel; for
// |z| ≳ 9, 1 − e rounds to 1 and tanh is exactly ±1. Below |z| = 0.625 that quotient would cancel
// (tanh(1e-10) must be 1e-10, not 0), so an odd polynomial takes over: Cephes' tanhf,
// |z| + |z|³·P(z²), relative error ~1e-7. The sign goes back on at the end.
@inline const TANH_SMALL: f32 = 0.625;
@inline const T0: f32 = -5.70498872745e-3;
@inline const T1: f32 = 2.06390887954e-2;
@inline const T2: f32 = -5.37397155531e-2;
@inline const T3: f32 = 1.33314422036e-1;
@inline const T4: f32 = -3.33332819422e-1;

/** tanh(z) in f32 (relative error < 2e-7). */
@inline export function tanhf32(z: f32): f32 {
  const x = abs(z);
  let t: f32;
  if (x < TANH_SMALL) {
    const w = x * x;
    let p = T0 * w + T1;
    p = p * w + T2;
    p = p * w + T3;
    p = p * w + T4;
    t = p * w * x + x;
  } else {
    const e = expNonPositivef32(-2 * x);
    t = (1 - e) / (1 + e);
  }
  return copysign<f32>(t, z);
}

/** tanh lane by lane: tanhf32 on f32x4, both branches computed and each lane picking one. */
@inline export function tanhf32x4(z: v128): v128 {
  const x = f32x4.abs(z);
  const w = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(T0), w), f32x4.splat(T1));
  p = f32x4.add(f32x4.mul(p, w), f32x4.splat(T2));
  p = f32x4.add(f32x4.mul(p, w), f32x4.splat(T3));
  p = f32x4.add(f32x4.mul(p, w), f32x4.splat(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, w), x), x);
  const one = f32x4.splat(1);
  const e = expNonPositivef32x4(f32x4.mul(f32x4.splat(-2), x));
  const large = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const t = v128.bitselect(small, large, f32x4.lt(x, f32x4.splat(TANH_SMALL)));
  // t ≥ 0, so or-ing in z's sign bit is copysign
  return v128.or(t, v128.and(z, i32x4.splat(0x80000000)));
}

// ---- the rounding error of a difference ----

/** (m − z) − d exactly, for d = m − z rounded to f32: Knuth's TwoSum, exact in IEEE arithmetic. */
@inline export function differenceError(d: f32, m: f32, z: f32): f32 {
  const zPart = d - m; // the share of d that came from −z …
  const mPart = d - zPart; // … and from m
  return (m - mPart) - (z + zPart);
}

/** differenceError lane by lane. */
@inline export function differenceErrorx4(d: v128, m: v128, z: v128): v128 {
  const zPart = f32x4.sub(d, m);
  const mPart = f32x4.sub(d, zPart);
  return f32x4.sub(f32x4.sub(m, mPart), f32x4.add(z, zPart));
}

// ---- folding an f32x4 to one number ----

/** Sum of the four lanes, in f64 (so the fold adds no f32 rounding). */
@inline export function sumLanesF64(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) +
    (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3))
  );
}

/** Sum of the two lanes of an f64x2. */
@inline export function sumLanes64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** acc (f64x2, two partial sums) += the four lanes of v (f32x4), promoted to f64. */
@inline export function addLanesF64(acc: v128, v: v128): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
  return f64x2.add(acc, f64x2.add(lo, hi));
}

/** Largest lane, as pmax folds it (m < x ? x : m): a NaN lane may be passed over. */
@inline export function maxLanes(v: v128): f32 {
  const m = f32x4.pmax(v, f32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.pmax(m, f32x4.shuffle(m, m, 1, 0, 3, 2)), 0);
}

// ---- the largest entry of a row ----

/** m folded with z[from..n) in order as pmax folds (m < z ? z : m): a NaN z may be passed over. */
@inline function maxFrom(m: f32, z: usize, from: i32, n: i32): f32 {
  for (let j = from; j < n; j++) {
    const zj = load<f32>(z + (<usize>j << 2));
    m = m < zj ? zj : m;
  }
  return m;
}

/** max z[0..n) (−Infinity for n = 0). A NaN may be passed over, but then z − max is NaN. */
@inline export function rowMaxf32(z: usize, n: i32): f32 {
  return maxFrom(-Infinity, z, 0, n);
}

/** rowMaxf32 four lanes at a time (pmax), the last n mod 4 entries by the scalar fold. */
@inline export function rowMaxf32x4(z: usize, n: i32): f32 {
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) mv = f32x4.pmax(mv, v128.load(z + (<usize>j << 2)));
  return maxFrom(maxLanes(mv), z, j, n);
}
