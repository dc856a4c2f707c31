// Activations in scalar f32: the twins of activation.simd.ts, for the binary built without SIMD
// (no v128 in this file), and the tails of the SIMD kernels. The elementwise kernels run the
// same f32 operations in the same order as their SIMD twins, so both give the same bits.
//
// Forward kernels overwrite a; backward kernels accumulate, dz += da ⊙ f'(z), and take a = f(z)
// so that sigmoid and tanh get their derivative from a without another exp.

import { expf32 } from './exp';
import { LEAKY_RELU_SLOPE } from './constants';

// ---- sigmoid ----

// σ(z) from e = e^-|z| ≤ 1, which never overflows: 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0,
// so σ(z) ≈ e^z keeps its relative precision far into the negative tail (σ(-69) ≈ 1e-30).
@inline function sigmoid(z: f32): f32 {
  const e = expf32(-abs(z));
  return select<f32>(1, e, z >= 0) / (1 + e);
}

export function f32_sigmoid_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, sigmoid(load<f32>(z + o)));
  }
}

export function f32_sigmoid_bwd__scalar(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z, a are (n); σ'(z) = a(1 − a)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const ai = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(da + o) * (ai * (1 - ai)));
  }
}

// ---- tanh ----

// Below |z| = 0.625, (1 − e^-2|z|)/(1 + e^-2|z|) would cancel (tanh(1e-10) must be 1e-10, not 0),
// so an odd polynomial takes over there: Cephes' tanhf, z + z³·P(z²), relative error ~1e-7.
@inline const TANH_SMALL: f32 = 0.625;
@inline const T0: f32 = -5.70498872745e-3;
@inline const T1: f32 = 2.06390887954e-2;
@inline const T2: f32 = -5.37397155531e-2;
@inline const T3: f32 = 1.33314422036e-1;
@inline const T4: f32 = -3.33332819422e-1;

@inline function tanh(z: f32): f32 {
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
    // e ≤ e^-1.25: 1 − e does not cancel; for |z| ≳ 9, 1 − e rounds to 1 and tanh is exactly ±1.
    const e = expf32(-2 * x);
    t = (1 - e) / (1 + e);
  }
  return copysign<f32>(t, z);
}

export function f32_tanh_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, tanh(load<f32>(z + o)));
  }
}

export function f32_tanh_bwd__scalar(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z, a are (n); tanh'(z) = 1 − a², as (1 − a)(1 + a): no cancellation when |a| → 1
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const ai = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(da + o) * ((1 - ai) * (1 + ai)));
  }
}

// ---- relu ----

export function f32_relu_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n); max (not z > 0 ? z : 0) so that a NaN is passed on, not hidden
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, max<f32>(load<f32>(z + o), 0));
  }
}

export function f32_relu_bwd__scalar(dz: usize, da: usize, z: usize, _a: usize, n: i32): void {
  // dz, da, z are (n); relu'(z) = z > 0 ? 1 : 0 (0 at z = 0)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const g = select<f32>(load<f32>(da + o), 0, load<f32>(z + o) > 0);
    store<f32>(dz + o, load<f32>(dz + o) + g);
  }
}

// ---- leaky relu ----

export function f32_leaky_relu_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o);
    store<f32>(a + o, select<f32>(zi, zi * LEAKY_RELU_SLOPE, zi > 0));
  }
}

export function f32_leaky_relu_bwd__scalar(dz: usize, da: usize, z: usize, _a: usize, n: i32): void {
  // dz, da, z are (n); leaky'(z) = z > 0 ? 1 : slope (slope at z = 0)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const dai = load<f32>(da + o);
    const g = select<f32>(dai, dai * LEAKY_RELU_SLOPE, load<f32>(z + o) > 0);
    store<f32>(dz + o, load<f32>(dz + o) + g);
  }
}

// ---- softsign ----

export function f32_softsign_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n); z/(1 + |z|)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o);
    store<f32>(a + o, zi / (1 + abs(zi)));
  }
}

export function f32_softsign_bwd__scalar(dz: usize, da: usize, z: usize, _a: usize, n: i32): void {
  // dz, da, z are (n); softsign'(z) = 1/(1 + |z|)²
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d: f32 = 1 + abs(load<f32>(z + o));
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(da + o) / (d * d));
  }
}

// ---- linear ----

export function f32_linear_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  if (n > 0) memory.copy(a, z, <usize>n << 2);
}

export function f32_linear_bwd__scalar(dz: usize, da: usize, _z: usize, _a: usize, n: i32): void {
  // dz, da are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(da + o));
  }
}

// ---- softmax ----

export function f32_softmax_fwd__scalar(a: usize, z: usize, batch: i32, n: i32): void {
  // a, z are (batch, n); each row: a = e^(z − max z) / Σ e^(z − max z), so no exp overflows
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    let m: f32 = -Infinity;
    for (let j = 0; j < n; j++) {
      const zj = load<f32>(z + (<usize>j << 2));
      m = m < zj ? zj : m;
    }
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      const e = expf32(load<f32>(z + o) - m);
      store<f32>(a + o, e);
      sum += <f64>e;
    }
    // times the reciprocal: one division per row
    const inv = <f32>(1 / sum);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(a + o, load<f32>(a + o) * inv);
    }
    a += rowBytes;
    z += rowBytes;
  }
}
