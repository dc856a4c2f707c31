// Losses fused with the output layer, in scalar f32 with f64 sums: the twins of loss.simd.ts
// (no v128 in this file). Each returns the mean over the batch of the per-sample loss; the _bwd
// kernels also accumulate the gradient of that mean. Per-element terms are computed in f32 with
// the same operations as the SIMD kernels; they are summed in f64, so the order of summation
// (which differs between the twins) moves the result by far less than the f32 terms do.
//
// Every formula is arranged as a sum of non-negative parts (for y in [0, 1]), so nothing cancels
// and the loss keeps its relative precision even when it is tiny (a confident, right prediction).
// An empty batch has loss 0.

import { expf32, log1pUnitf32, differenceError, pick } from './exp';

// ---- softmax + cross-entropy ----

export function f32_xent_softmax_loss__scalar(z: usize, y: usize, batch: i32, n: i32): f64 {
  // z, y are (batch, n)
  return crossEntropy(0, z, 0, y, batch, n, false);
}

export function f32_xent_softmax_bwd__scalar(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32): f64 {
  // dz, z, a, y are (batch, n); a = softmax(z); dz += (a − y)/batch
  return crossEntropy(dz, z, a, y, batch, n, true);
}

// Per row, with m = max z and δ_j = m − z_j ≥ 0:
//   −Σ y_j·log softmax(z)_j = Σ y_j·(log Σ_k e^-δ_k + δ_j) = L·Σ y_j + Σ y_j·δ_j,
// where L = log Σ_k e^-δ_k = log1p(Σ_{δ_k > 0} e^-δ_k + (ties − 1)): the terms with δ = 0 (the
// max, and any ties) contribute exactly 1 each and stay out of the sum, so a row whose other
// terms are tiny still gets L to full relative precision (log(1 + 1e-7) is not lost to rounding).
// δ is rounded to f32, by up to |δ|·2^-24, and e^-δ would turn that into a relative error of
// |δ|·6e-8 (about 2e-6 at δ = 40, enough to spoil a tiny loss): the rounding error ρ of m − z is
// recovered exactly (Knuth's TwoSum, six operations) and applied as e^-(δ+ρ) ≈ e^-δ − e^-δ·ρ.
@inline function crossEntropy(dz: usize, z: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  if (batch <= 0 || n <= 0) return 0;
  const invBatch = <f32>1 / <f32>batch;
  const rowBytes = <usize>n << 2;
  let total: f64 = 0;
  for (let r = 0; r < batch; r++) {
    if (delta) {
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 2;
        store<f32>(dz + o, load<f32>(dz + o) + (load<f32>(a + o) - load<f32>(y + o)) * invBatch);
      }
    }
    let m: f32 = -Infinity;
    for (let j = 0; j < n; j++) {
      const zj = load<f32>(z + (<usize>j << 2));
      m = m < zj ? zj : m;
    }
    let others: f64 = 0, ties = 0, sumY: f64 = 0, sumYDelta: f64 = 0;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      const yj = load<f32>(y + o);
      const zj = load<f32>(z + o);
      const dj = m - zj;
      if (dj == 0) ties++;
      else {
        const e = expf32(-dj);
        // a term that underflows to 0 adds nothing (and its correction is NaN for δ = ∞)
        if (e != 0) others += <f64>(e - e * differenceError(dj, m, zj));
      }
      sumY += <f64>yj;
      // y = 0 contributes 0 even where δ = ∞ (0·∞ would be NaN)
      if (yj != 0) sumYDelta += <f64>(yj * dj);
    }
    total += Math.log1p(others + <f64>(ties - 1)) * sumY + sumYDelta;
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
  const count = batch * n;
  const invBatch = <f32>1 / <f32>batch;
  let total: f64 = 0;
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o), yi = load<f32>(y + o);
    if (delta) store<f32>(dz + o, load<f32>(dz + o) + (load<f32>(a + o) - yi) * invBatch);
    const linear = (pick(1, 0, zi >= 0) - yi) * zi;
    total += <f64>(linear + log1pUnitf32(expf32(-abs(zi))));
  }
  return total / <f64>batch;
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

// a − y in f32 (as the gradient uses it), squared in f64: exact, and no overflow for large errors.
@inline function meanSquaredError(da: usize, a: usize, y: usize, batch: i32, n: i32, delta: bool): f64 {
  if (batch <= 0) return 0;
  const count = batch * n;
  const invBatch = <f32>1 / <f32>batch;
  let total: f64 = 0;
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(y + o);
    if (delta) store<f32>(da + o, load<f32>(da + o) + d * invBatch);
    const d64 = <f64>d;
    total += d64 * d64;
  }
  return 0.5 * total / <f64>batch;
}
