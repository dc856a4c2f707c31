// Losses fused with the output layer, on f32x4 with f64 sums. Each returns the mean over the
// batch of the per-sample loss; the _bwd kernels also accumulate the gradient of that mean.
// The formulas, and why each is arranged as it is, are in loss.scalar.ts: the per-element terms
// here are the same f32 operations, four lanes at a time; tails use the scalar helpers.
// An empty batch has loss 0.

import { expNonPositivef32x4, log1pUnitf32x4, differenceErrorx4, rowMaxf32x4, sumLanesF64, sumLanes64, addLanesF64 } from './exp';
import {
  addGradient, addOthers, addTies, addTargets, addTargetDeltas, rowCrossEntropy, addBinaryCrossEntropy, addSquaredErrors,
} from './loss.common';

// ---- softmax + cross-entropy ----

export function f32_xent_softmax_loss__simd(z: usize, y: usize, batch: i32, n: i32): f64 {
  // z, y are (batch, n)
  return crossEntropy(0, z, 0, y, batch, n, false, <f32>1 / <f32>batch);
}

export function f32_xent_softmax_bwd__simd(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // dz, z, a, y are (batch, n); a = softmax(z); dz += (a·Σy − y)/batch, Σy the row's target sum
  return crossEntropy(dz, z, a, y, batch, n, true, <f32>1 / <f32>batch);
}

export function f32_xent_softmax_bwd_rows__simd(dz: usize, z: usize, a: usize, y: usize, rows: i32, n: i32, batch: i32): void {
  // dz, z, a, y are (rows, n), rows of a batch of `batch`: f32_xent_softmax_bwd's gradient on those
  // rows bit for bit (each row's its own), so threads can each take their rows; no loss value
  crossEntropy(dz, z, a, y, rows, n, true, <f32>1 / <f32>batch);
}

// Per row, with m = max z and δ = m − z ≥ 0: loss = L·Σy + Σ y·δ, L = log1p(Σ_{δ>0} e^-δ + ties − 1),
// each e^-δ corrected for the rounding of δ.
// The row sums are f32x4 partial sums of non-negative terms, folded in f64 at the end of the row
// (Σy is summed in f64 throughout).
// The gradient's 1/batch is given: f32_xent_softmax_bwd_rows' rows are part of a larger batch.
@inline function crossEntropy(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool, invBatch: f32): f64 {
  if (batch <= 0 || n <= 0) return 0;
  const invBatch4 = f32x4.splat(invBatch);
  const rowBytes = <usize>n << 2;
  let total: f64 = 0;
  for (let r = 0; r < batch; r++) {
    // m = max z (pmax skips a NaN, but then δ is NaN and so is the loss)
    const m = rowMaxf32x4(z, n);

    const m4 = f32x4.splat(m), zero = f32x4.splat(0);
    let others = f32x4.splat(0), sumYDelta = f32x4.splat(0);
    // Σy in f64: the gradient scales a by it, so a row that sums to 1 must give 1 (f32 partial sums
    // of 100 soft targets were ~1e-7 off, which a·Σy − y turned into a 2e-6 relative error)
    let sumY = f64x2.splat(0);
    let ties = i32x4.splat(0); // minus the count per lane: a true compare lane is -1
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const yj = v128.load(y + o);
      const zj = v128.load(z + o);
      const dj = f32x4.sub(m4, zj);
      const e = expNonPositivef32x4(f32x4.neg(dj));
      const term = f32x4.sub(e, f32x4.mul(e, differenceErrorx4(dj, m4, zj)));
      // leave out the top (δ = 0) and the terms that underflow to 0 (the correction is NaN for δ = ∞)
      const top = f32x4.eq(dj, zero);
      others = f32x4.add(others, v128.andnot(term, v128.or(top, f32x4.eq(e, zero))));
      ties = i32x4.add(ties, top);
      sumY = addLanesF64(sumY, yj);
      // y = 0 contributes 0 even where δ = ∞ (0·∞ would be NaN)
      sumYDelta = f32x4.add(sumYDelta, v128.andnot(f32x4.mul(yj, dj), f32x4.eq(yj, zero)));
    }
    const tieCount = -(
      i32x4.extract_lane(ties, 0) + i32x4.extract_lane(ties, 1) +
      i32x4.extract_lane(ties, 2) + i32x4.extract_lane(ties, 3)
    );
    // the last n mod 4 columns carry on each sum, as the scalar twin runs it
    const rowSumY = addTargets(sumLanes64(sumY), y, j, n);
    total += rowCrossEntropy(
      addOthers(sumLanesF64(others), z, m, j, n), addTies(tieCount, z, m, j, n),
      rowSumY, addTargetDeltas(sumLanesF64(sumYDelta), y, z, m, j, n),
    );
    if (delta) {
      // after the sums: the gradient needs the row's Σy (loss.scalar.ts says why)
      const s = <f32>rowSumY;
      const s4 = f32x4.splat(s);
      let g = 0;
      for (; g + 4 <= n; g += 4) {
        const o = <usize>g << 2;
        const step = f32x4.mul(f32x4.sub(f32x4.mul(v128.load(a + o), s4), v128.load(y + o)), invBatch4);
        v128.store(dz + o, f32x4.add(v128.load(dz + o), step));
      }
      addGradient(dz, a, y, g, n, s, invBatch);
    }
    z += rowBytes;
    y += rowBytes;
    a += rowBytes;
    dz += rowBytes;
  }
  return total / <f64>batch;
}

// ---- sigmoid + binary cross-entropy ----

export function f32_bce_sigmoid_loss__simd(z: usize, y: usize, batch: i32, n: i32): f64 {
  // z, y are (batch, n)
  return binaryCrossEntropy(0, z, 0, y, batch, n, false);
}

export function f32_bce_sigmoid_bwd__simd(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // dz, z, a, y are (batch, n); a = σ(z); dz += (a − y)/batch
  return binaryCrossEntropy(dz, z, a, y, batch, n, true);
}

// Per element (h − y)·z + log1p(e^-|z|), h = [z ≥ 0]; summed in f64x2 over the whole batch.
@inline function binaryCrossEntropy(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  if (batch <= 0) return 0;
  const count = batch * n;
  const invBatch = <f32>1 / <f32>batch;
  const invBatch4 = f32x4.splat(invBatch);
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const zi = v128.load(z + o), yi = v128.load(y + o);
    if (delta) {
      const g = f32x4.mul(f32x4.sub(v128.load(a + o), yi), invBatch4);
      v128.store(dz + o, f32x4.add(v128.load(dz + o), g));
    }
    const h = v128.and(one, f32x4.ge(zi, zero));
    const linear = f32x4.mul(f32x4.sub(h, yi), zi);
    const softplus = log1pUnitf32x4(expNonPositivef32x4(v128.or(zi, f32x4.splat(-0.0))));
    acc = addLanesF64(acc, f32x4.add(linear, softplus));
  }
  return addBinaryCrossEntropy(sumLanes64(acc), dz, z, a, y, i, count, invBatch, delta) / <f64>batch;
}

// ---- mean squared error ----

export function f32_mse_loss__simd(a: usize, y: usize, batch: i32, n: i32): f64 {
  // a, y are (batch, n); per sample ½‖a − y‖²
  return meanSquaredError(0, a, y, batch, n, false);
}

export function f32_mse_bwd__simd(da: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // da, a, y are (batch, n); da += (a − y)/batch
  return meanSquaredError(da, a, y, batch, n, true);
}

export function f32_mse_bwd_rows__simd(da: usize, a: usize, y: usize, rows: i32, n: i32, batch: i32): void {
  // da, a, y are (rows, n), rows of a batch of `batch`: da += (a − y)/batch, f32_mse_bwd's gradient
  // on those rows bit for bit (each value its own), so threads can each take their rows; no loss value
  meanSquaredErrorOf(da, a, y, rows, n, true, <f32>1 / <f32>batch);
}

// a − y in f32 (as the gradient uses it), squared in f64: exact, and no overflow for large errors.
@inline function meanSquaredError(da: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  return meanSquaredErrorOf(da, a, y, batch, n, delta, <f32>1 / <f32>batch);
}

// meanSquaredError with the gradient's 1/batch given: f32_mse_bwd_rows' rows are part of a larger batch.
@inline function meanSquaredErrorOf(da: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool, invBatch: f32): f64 {
  if (batch <= 0) return 0;
  const count = batch * n;
  const invBatch4 = f32x4.splat(invBatch);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(a + o), v128.load(y + o));
    if (delta) v128.store(da + o, f32x4.add(v128.load(da + o), f32x4.mul(d, invBatch4)));
    const lo = f64x2.promote_low_f32x4(d), hi = f64x2.promote_low_f32x4(f32x4.shuffle(d, d, 2, 3, 2, 3));
    acc0 = f64x2.add(acc0, f64x2.mul(lo, lo));
    acc1 = f64x2.add(acc1, f64x2.mul(hi, hi));
  }
  return 0.5 * addSquaredErrors(sumLanes64(f64x2.add(acc0, acc1)), da, a, y, i, count, invBatch, delta) / <f64>batch;
}
