// What loss.scalar.ts and loss.simd.ts share: each loop over a range [from, to) of elements, the
// whole of a scalar kernel and the tail (the last n mod 4) of its SIMD twin, with the same f32
// operations. The sums take the running total and return it, so a SIMD tail carries on its sum in
// the same order as before. The formulas, and why each is arranged as it is, are in loss.scalar.ts.
// No v128 here (the scalar binary compiles this file); nothing here is a module export.

import { expNonPositivef32, log1pUnitf32, differenceError, pick } from './exp';

/**
 * dz[from..to) += (a·sumY − y)·invBatch: the gradient of the mean cross-entropy over a softmax
 * output, whose row's targets sum to sumY (a − y when they sum to 1; see loss.scalar.ts).
 */
@inline export function addGradient(dz: usize, a: usize, y: usize, from: i32, to: i32, sumY: f32, invBatch: f32): void {
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    store<f32>(dz + o, load<f32>(dz + o) + (load<f32>(a + o) * sumY - load<f32>(y + o)) * invBatch);
  }
}

// ---- softmax + cross-entropy, over one row with m = max z and δ_j = m − z_j ----

/** others + Σ e^-δ over the δ > 0 of [from, to), each corrected for the rounding of δ. */
@inline export function addOthers(others: f64, z: usize, m: f32, from: i32, to: i32): f64 {
  for (let j = from; j < to; j++) {
    const zj = load<f32>(z + (<usize>j << 2));
    const dj = m - zj;
    if (dj == 0) continue; // the max and its ties: counted by addTies
    const e = expNonPositivef32(-dj);
    // a term that underflows to 0 adds nothing (and its correction is NaN for δ = ∞)
    if (e != 0) others += <f64>(e - e * differenceError(dj, m, zj));
  }
  return others;
}

/** ties + the number of δ = 0 in [from, to). */
@inline export function addTies(ties: i32, z: usize, m: f32, from: i32, to: i32): i32 {
  for (let j = from; j < to; j++) if (m - load<f32>(z + (<usize>j << 2)) == 0) ties++;
  return ties;
}

/** sumY + Σ y over [from, to). */
@inline export function addTargets(sumY: f64, y: usize, from: i32, to: i32): f64 {
  for (let j = from; j < to; j++) sumY += <f64>load<f32>(y + (<usize>j << 2));
  return sumY;
}

/** sumYDelta + Σ y·δ over [from, to). */
@inline export function addTargetDeltas(sumYDelta: f64, y: usize, z: usize, m: f32, from: i32, to: i32): f64 {
  for (let j = from; j < to; j++) {
    const o = <usize>j << 2;
    const yj = load<f32>(y + o);
    // y = 0 contributes 0 even where δ = ∞ (0·∞ would be NaN)
    if (yj != 0) sumYDelta += <f64>(yj * (m - load<f32>(z + o)));
  }
  return sumYDelta;
}

/** The row's loss L·Σy + Σ y·δ, with L = log1p(others + ties − 1). */
@inline export function rowCrossEntropy(others: f64, ties: i32, sumY: f64, sumYDelta: f64): f64 {
  return Math.log1p(others + <f64>(ties - 1)) * sumY + sumYDelta;
}

// ---- sigmoid + binary cross-entropy, mean squared error: elementwise over the whole batch ----

/** total + Σ (h − y)·z + log1p(e^-|z|) over [from, to), h = [z ≥ 0]; and dz += (a − y)·invBatch if delta. */
@inline export function addBinaryCrossEntropy(
  total: f64, dz: usize, z: usize, a: usize, y: usize, from: i32, to: i32, invBatch: f32, delta: bool,
): f64 {
  for (let i = from; i < to; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o), yi = load<f32>(y + o);
    if (delta) store<f32>(dz + o, load<f32>(dz + o) + (load<f32>(a + o) - yi) * invBatch);
    const linear = (pick(1, 0, zi >= 0) - yi) * zi;
    total += <f64>(linear + log1pUnitf32(expNonPositivef32(-abs(zi))));
  }
  return total;
}

/** total + Σ (a − y)² over [from, to), a − y in f32 squared in f64; and da += (a − y)·invBatch if delta. */
@inline export function addSquaredErrors(
  total: f64, da: usize, a: usize, y: usize, from: i32, to: i32, invBatch: f32, delta: bool,
): f64 {
  for (let i = from; i < to; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(y + o);
    if (delta) store<f32>(da + o, load<f32>(da + o) + d * invBatch);
    const d64 = <f64>d;
    total += d64 * d64;
  }
  return total;
}
