// Activations in scalar f32: the twins of activation.simd.ts, for the binary built without SIMD
// (no v128 in this file), and the tails of the SIMD kernels. The elementwise kernels run the
// same f32 operations in the same order as their SIMD twins, so both give the same bits.
//
// Forward kernels overwrite a; backward kernels accumulate, dz += da ⊙ f'(z), and take a = f(z)
// so that sigmoid and tanh get their derivative from a without another exp.

import { expf32, expNonPositivef32, expm1f32, sigmoidf32, tanhf32, pick, rowMaxf32 } from './exp';
import { LEAKY_RELU_SLOPE, SELU_LAMBDA, SELU_LAMBDA_ALPHA } from './constants';

// ---- sigmoid ----

export function f32_sigmoid_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, sigmoidf32(load<f32>(z + o)));
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

export function f32_tanh_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, tanhf32(load<f32>(z + o)));
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
    const g = pick(load<f32>(da + o), 0, load<f32>(z + o) > 0);
    store<f32>(dz + o, load<f32>(dz + o) + g);
  }
}

// ---- leaky relu ----

export function f32_leaky_relu_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o);
    store<f32>(a + o, pick(zi, zi * LEAKY_RELU_SLOPE, zi > 0));
  }
}

export function f32_leaky_relu_bwd__scalar(dz: usize, da: usize, z: usize, _a: usize, n: i32): void {
  // dz, da, z are (n); leaky'(z) = z > 0 ? 1 : slope (slope at z = 0)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const dai = load<f32>(da + o);
    const g = pick(dai, dai * LEAKY_RELU_SLOPE, load<f32>(z + o) > 0);
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

// ---- selu ----

export function f32_selu_fwd__scalar(a: usize, z: usize, n: i32): void {
  // a, z are (n); selu(z) = λz for z > 0, λα(eᶻ − 1) otherwise (NaN stays NaN: it takes the second)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o);
    store<f32>(a + o, pick(zi * SELU_LAMBDA, SELU_LAMBDA_ALPHA * expm1f32(zi), zi > 0));
  }
}

export function f32_selu_bwd__scalar(dz: usize, da: usize, z: usize, _a: usize, n: i32): void {
  // dz, da, z are (n); selu'(z) = λ for z > 0, λα·eᶻ otherwise (λα at z = 0, as PyTorch). From z,
  // not from a + λα, which cancels in the negative tail.
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = load<f32>(z + o);
    const prime = pick(SELU_LAMBDA, SELU_LAMBDA_ALPHA * expf32(zi), zi > 0);
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(da + o) * prime);
  }
}

// ---- softmax ----

export function f32_softmax_fwd__scalar(a: usize, z: usize, batch: i32, n: i32): void {
  // a, z are (batch, n); each row: a = e^(z − max z) / Σ e^(z − max z), so no exp overflows
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const m = rowMaxf32(z, n);
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      const e = expNonPositivef32(load<f32>(z + o) - m);
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
