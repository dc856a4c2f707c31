// Losses fused with the output layer, in scalar f32 with f64 sums: the twins of loss.simd.ts
// (no v128 in this file). Each returns the mean over the batch of the per-sample loss; the _bwd
// kernels also accumulate the gradient of that mean. Per-element terms are computed in f32 with
// the same operations as the SIMD kernels; they are summed in f64, so the order of summation
// (which differs between the twins) moves the result by far less than the f32 terms do.
//
// Every formula is arranged as a sum of non-negative parts (for y in [0, 1]), so nothing cancels
// and the loss keeps its relative precision even when it is tiny (a confident, right prediction).
// An empty batch has loss 0.

import { rowMaxf32 } from './exp';
import {
  addGradient, addOthers, addTies, addTargets, addTargetDeltas, rowCrossEntropy, addBinaryCrossEntropy, addSquaredErrors,
} from './loss.common';

// ---- softmax + cross-entropy ----

export function f32_xent_softmax_loss__scalar(z: usize, y: usize, batch: i32, n: i32): f64 {
  // z, y are (batch, n)
  return crossEntropy(0, z, 0, y, batch, n, false, <f32>1 / <f32>batch);
}

export function f32_xent_softmax_bwd__scalar(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // dz, z, a, y are (batch, n); a = softmax(z); dz += (a·Σy − y)/batch, Σy the row's target sum
  return crossEntropy(dz, z, a, y, batch, n, true, <f32>1 / <f32>batch);
}

export function f32_xent_softmax_bwd_rows__scalar(dz: usize, z: usize, a: usize, y: usize, rows: i32, n: i32, batch: i32): void {
  // dz, z, a, y are (rows, n), rows of a batch of `batch`: f32_xent_softmax_bwd's gradient on those rows
  crossEntropy(dz, z, a, y, rows, n, true, <f32>1 / <f32>batch);
}

// Per row, with m = max z and δ_j = m − z_j ≥ 0:
//   −Σ y_j·log softmax(z)_j = Σ y_j·(log Σ_k e^-δ_k + δ_j) = L·Σ y_j + Σ y_j·δ_j,
// where L = log Σ_k e^-δ_k = log1p(Σ_{δ_k > 0} e^-δ_k + (ties − 1)): the terms with δ = 0 (the
// max, and any ties) contribute exactly 1 each and stay out of the sum, so a row whose other
// terms are tiny still gets L to full relative precision (log(1 + 1e-7) is not lost to rounding).
// δ is rounded to f32, by up to |δ|·2^-24, and e^-δ would turn that into a relative error of
// |δ|·6e-8 (about 2e-6 at δ = 40, enough to spoil a tiny loss): the rounding error ρ of m − z is
// recovered exactly (Knuth's TwoSum, six operations) and applied as e^-(δ+ρ) ≈ e^-δ − e^-δ·ρ.
// The gradient is ∂/∂z_j of L·Σy + Σ y·δ = softmax(z)_j·Σy − y_j. Targets are probabilities in
// [0, 1]; the public API takes a row only if it sums to 1 within float32 rounding
// (src/training/target-rules.ts), but this kernel takes any row (as PyTorch's CrossEntropyLoss does,
// with this same gradient), so the row's Σy is taken, not assumed: a − y would be the gradient of
// another loss, and a row of zeros (loss 0) would still pull. A one-hot row has Σy = 1 exactly and
// a·1 = a, so its gradient is bit for bit a − y.
@inline function crossEntropy(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool, invBatch: f32): f64 {
  if (batch <= 0 || n <= 0) return 0;
  const rowBytes = <usize>n << 2;
  let total: f64 = 0;
  for (let r = 0; r < batch; r++) {
    const m = rowMaxf32(z, n);
    const sumY = addTargets(0, y, 0, n);
    total += rowCrossEntropy(addOthers(0, z, m, 0, n), addTies(0, z, m, 0, n), sumY, addTargetDeltas(0, y, z, m, 0, n));
    if (delta) addGradient(dz, a, y, 0, n, <f32>sumY, invBatch);
    z += rowBytes;
    y += rowBytes;
    a += rowBytes;
    dz += rowBytes;
  }
  return total / <f64>batch;
}

// ---- sigmoid + binary cross-entropy ----

export function f32_bce_sigmoid_loss__scalar(z: usize, y: usize, batch: i32, n: i32): f64 {
  // z, y are (batch, n)
  return binaryCrossEntropy(0, z, 0, y, batch, n, false);
}

export function f32_bce_sigmoid_bwd__scalar(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // dz, z, a, y are (batch, n); a = σ(z); dz += (a − y)/batch
  return binaryCrossEntropy(dz, z, a, y, batch, n, true);
}

// Per element, −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = max(z, 0) − y·z + log1p(e^-|z|), taken
// from z so that no log sees 0. The first two terms are written (1 − y)·z for z ≥ 0 and −y·z
// for z < 0, i.e. (h − y)·z with h = [z ≥ 0]: non-negative, where max(z, 0) − y·z would cancel.
@inline function binaryCrossEntropy(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  if (batch <= 0) return 0;
  return addBinaryCrossEntropy(0, dz, z, a, y, 0, batch * n, <f32>1 / <f32>batch, delta) / <f64>batch;
}

// ---- mean squared error ----

export function f32_mse_loss__scalar(a: usize, y: usize, batch: i32, n: i32): f64 {
  // a, y are (batch, n); per sample ½‖a − y‖²
  return meanSquaredError(0, a, y, batch, n, false);
}

export function f32_mse_bwd__scalar(da: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // da, a, y are (batch, n); da += (a − y)/batch
  return meanSquaredError(da, a, y, batch, n, true);
}

export function f32_mse_bwd_rows__scalar(da: usize, a: usize, y: usize, rows: i32, n: i32, batch: i32): void {
  // da, a, y are (rows, n), rows of a batch of `batch`: da += (a − y)/batch, f32_mse_bwd's gradient on those rows
  if (rows > 0) addSquaredErrors(0, da, a, y, 0, rows * n, <f32>1 / <f32>batch, true);
}

// a − y in f32 (as the gradient uses it), squared in f64: exact, and no overflow for large errors.
@inline function meanSquaredError(da: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  if (batch <= 0) return 0;
  return 0.5 * addSquaredErrors(0, da, a, y, 0, batch * n, <f32>1 / <f32>batch, delta) / <f64>batch;
}
