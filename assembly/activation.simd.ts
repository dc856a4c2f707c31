// Activations on f32x4. Each elementwise kernel runs whole vectors and hands the last n mod 4
// elements to its scalar twin (activation.scalar.ts), which computes the same bits, so a result
// does not depend on where an element falls.
//
// The exp-based loops take four vectors per iteration: the exp polynomial needs about twenty v128
// constants, more than the registers, so V8 builds them once before the loop, keeps them on the
// stack and reloads them inside it (Node 20.20.2: tanh's loop reloads 64 times per trip of four
// vectors; perf annotate, CONTRIBUTING.md, 2026-12-01); four vectors share the reloads, which makes
// sigmoid markedly faster than one vector per iteration (eight spill more and are slower again,
// except in sigmoid, whose exp of −|z| needs fewer constants: there eight ran 1.1× faster than
// four, AMD EPYC Zen 5, 2026-11-30). All are loaded before any is stored, so a = z in place still
// reads every input first.
//
// Forward kernels overwrite a; backward kernels accumulate, dz += da ⊙ f'(z), and take a = f(z)
// so that sigmoid and tanh get their derivative from a without another exp.

import { expf32x4, expNonPositivef32, expNonPositivef32x4, expm1f32x4, sigmoidf32x4, tanhf32x4, rowMaxf32x4, sumLanesF64 } from './exp';
import { LEAKY_RELU_SLOPE, SELU_LAMBDA, SELU_LAMBDA_ALPHA } from './constants';
import {
  f32_sigmoid_fwd__scalar, f32_sigmoid_bwd__scalar,
  f32_tanh_fwd__scalar, f32_tanh_bwd__scalar,
  f32_relu_fwd__scalar, f32_relu_bwd__scalar,
  f32_leaky_relu_fwd__scalar, f32_leaky_relu_bwd__scalar,
  f32_softsign_fwd__scalar, f32_softsign_bwd__scalar,
  f32_linear_bwd__scalar,
  f32_selu_fwd__scalar, f32_selu_bwd__scalar,
} from './activation.scalar';

// ---- sigmoid ----

export function f32_sigmoid_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const o = <usize>i << 2;
    const v0 = v128.load(z + o), v1 = v128.load(z + o, 16), v2 = v128.load(z + o, 32), v3 = v128.load(z + o, 48);
    const v4 = v128.load(z + o, 64), v5 = v128.load(z + o, 80), v6 = v128.load(z + o, 96), v7 = v128.load(z + o, 112);
    v128.store(a + o, sigmoidf32x4(v0));
    v128.store(a + o, sigmoidf32x4(v1), 16);
    v128.store(a + o, sigmoidf32x4(v2), 32);
    v128.store(a + o, sigmoidf32x4(v3), 48);
    v128.store(a + o, sigmoidf32x4(v4), 64);
    v128.store(a + o, sigmoidf32x4(v5), 80);
    v128.store(a + o, sigmoidf32x4(v6), 96);
    v128.store(a + o, sigmoidf32x4(v7), 112);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(a + o, sigmoidf32x4(v128.load(z + o)));
  }
  const o = <usize>i << 2;
  f32_sigmoid_fwd__scalar(a + o, z + o, n - i);
}

/** dz + da·σ'(z), σ'(z) = a(1 − a): the scalar twin's operations in its order. */
@inline function sigmoidBackwardx4(dz: v128, da: v128, a: v128): v128 {
  return f32x4.add(dz, f32x4.mul(da, f32x4.mul(a, f32x4.sub(f32x4.splat(1), a))));
}

export function f32_sigmoid_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z, a are (n); σ'(z) = a(1 − a). Four vectors per trip, all loaded before any is stored:
  // 1.4× faster than one at 256×100 (AMD EPYC Zen 5, 2026-11-30; the loop's own instructions outnumbered the work).
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const a0 = v128.load(a + o), a1 = v128.load(a + o, 16), a2 = v128.load(a + o, 32), a3 = v128.load(a + o, 48);
    const g0 = v128.load(da + o), g1 = v128.load(da + o, 16), g2 = v128.load(da + o, 32), g3 = v128.load(da + o, 48);
    const d0 = v128.load(dz + o), d1 = v128.load(dz + o, 16), d2 = v128.load(dz + o, 32), d3 = v128.load(dz + o, 48);
    v128.store(dz + o, sigmoidBackwardx4(d0, g0, a0));
    v128.store(dz + o, sigmoidBackwardx4(d1, g1, a1), 16);
    v128.store(dz + o, sigmoidBackwardx4(d2, g2, a2), 32);
    v128.store(dz + o, sigmoidBackwardx4(d3, g3, a3), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, sigmoidBackwardx4(v128.load(dz + o), v128.load(da + o), v128.load(a + o)));
  }
  const o = <usize>i << 2;
  f32_sigmoid_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- tanh ----

export function f32_tanh_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0 = v128.load(z + o), v1 = v128.load(z + o, 16), v2 = v128.load(z + o, 32), v3 = v128.load(z + o, 48);
    v128.store(a + o, tanhf32x4(v0));
    v128.store(a + o, tanhf32x4(v1), 16);
    v128.store(a + o, tanhf32x4(v2), 32);
    v128.store(a + o, tanhf32x4(v3), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(a + o, tanhf32x4(v128.load(z + o)));
  }
  const o = <usize>i << 2;
  f32_tanh_fwd__scalar(a + o, z + o, n - i);
}

export function f32_tanh_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z, a are (n); tanh'(z) = 1 − a², as (1 − a)(1 + a): no cancellation when |a| → 1
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const ai = v128.load(a + o);
    const prime = f32x4.mul(f32x4.sub(one, ai), f32x4.add(one, ai));
    v128.store(dz + o, f32x4.add(v128.load(dz + o), f32x4.mul(v128.load(da + o), prime)));
  }
  const o = <usize>i << 2;
  f32_tanh_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- relu ----

export function f32_relu_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n); max (not pmax) so that a NaN is passed on, not hidden
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(a + o, f32x4.max(v128.load(z + o), zero));
  }
  const o = <usize>i << 2;
  f32_relu_fwd__scalar(a + o, z + o, n - i);
}

export function f32_relu_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z are (n); relu'(z) = z > 0 ? 1 : 0 (0 at z = 0)
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g = v128.and(v128.load(da + o), f32x4.gt(v128.load(z + o), zero));
    v128.store(dz + o, f32x4.add(v128.load(dz + o), g));
  }
  const o = <usize>i << 2;
  f32_relu_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- leaky relu ----

export function f32_leaky_relu_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n)
  const zero = f32x4.splat(0), slope = f32x4.splat(LEAKY_RELU_SLOPE);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const zi = v128.load(z + o);
    v128.store(a + o, v128.bitselect(zi, f32x4.mul(zi, slope), f32x4.gt(zi, zero)));
  }
  const o = <usize>i << 2;
  f32_leaky_relu_fwd__scalar(a + o, z + o, n - i);
}

export function f32_leaky_relu_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z are (n); leaky'(z) = z > 0 ? 1 : slope (slope at z = 0)
  const zero = f32x4.splat(0), slope = f32x4.splat(LEAKY_RELU_SLOPE);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const dai = v128.load(da + o);
    const g = v128.bitselect(dai, f32x4.mul(dai, slope), f32x4.gt(v128.load(z + o), zero));
    v128.store(dz + o, f32x4.add(v128.load(dz + o), g));
  }
  const o = <usize>i << 2;
  f32_leaky_relu_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- softsign ----

export function f32_softsign_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n); z/(1 + |z|)
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const zi = v128.load(z + o);
    v128.store(a + o, f32x4.div(zi, f32x4.add(one, f32x4.abs(zi))));
  }
  const o = <usize>i << 2;
  f32_softsign_fwd__scalar(a + o, z + o, n - i);
}

export function f32_softsign_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z are (n); softsign'(z) = 1/(1 + |z|)²
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.add(one, f32x4.abs(v128.load(z + o)));
    v128.store(dz + o, f32x4.add(v128.load(dz + o), f32x4.div(v128.load(da + o), f32x4.mul(d, d))));
  }
  const o = <usize>i << 2;
  f32_softsign_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- linear ----

export function f32_linear_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n): a plain copy (memory.copy is already vectorised by the engine)
  if (n > 0) memory.copy(a, z, <usize>n << 2);
}

export function f32_linear_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da are (n)
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, f32x4.add(v128.load(dz + o), v128.load(da + o)));
  }
  const o = <usize>i << 2;
  f32_linear_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- selu ----

export function f32_selu_fwd__simd(a: usize, z: usize, n: i32): void {
  // a, z are (n); selu(z) = λz for z > 0, λα(eᶻ − 1) otherwise
  const zero = f32x4.splat(0), lambda = f32x4.splat(SELU_LAMBDA), lambdaAlpha = f32x4.splat(SELU_LAMBDA_ALPHA);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const zi = v128.load(z + o);
    const negative = f32x4.mul(lambdaAlpha, expm1f32x4(zi));
    v128.store(a + o, v128.bitselect(f32x4.mul(zi, lambda), negative, f32x4.gt(zi, zero)));
  }
  const o = <usize>i << 2;
  f32_selu_fwd__scalar(a + o, z + o, n - i);
}

export function f32_selu_bwd__simd(dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  // dz, da, z are (n); selu'(z) = λ for z > 0, λα·eᶻ otherwise (λα at z = 0)
  const zero = f32x4.splat(0), lambda = f32x4.splat(SELU_LAMBDA), lambdaAlpha = f32x4.splat(SELU_LAMBDA_ALPHA);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const zi = v128.load(z + o);
    const prime = v128.bitselect(lambda, f32x4.mul(lambdaAlpha, expf32x4(zi)), f32x4.gt(zi, zero));
    v128.store(dz + o, f32x4.add(v128.load(dz + o), f32x4.mul(v128.load(da + o), prime)));
  }
  const o = <usize>i << 2;
  f32_selu_bwd__scalar(dz + o, da + o, z + o, a + o, n - i);
}

// ---- softmax ----

// Rows are taken in blocks of about SOFTMAX_BLOCK floats (4 KiB, so a block stays in L1 between
// its three passes): per row, a = z − max z; then e^a over the whole block as one flat array;
// then per row, a /= Σ a. Exponentiating the block rather than each row keeps the costly exp on
// whole vectors when n is not a multiple of 4: with rows of 10, a per-row loop would spend two
// of its five exp calls on single elements.
@inline const SOFTMAX_BLOCK: i32 = 1024;

export function f32_softmax_fwd__simd(a: usize, z: usize, batch: i32, n: i32): void {
  // a, z are (batch, n); each row: a = e^(z − max z) / Σ e^(z − max z), so no exp overflows.
  // a may be z: every pass reads an element before it writes it.
  if (n <= 0) return;
  const rowBytes = <usize>n << 2;
  const blockRows = max(1, SOFTMAX_BLOCK / n);
  for (let r0 = 0; r0 < batch; r0 += blockRows) {
    const rows = min(blockRows, batch - r0);
    const a0 = a + <usize>r0 * rowBytes, z0 = z + <usize>r0 * rowBytes;
    for (let r = 0; r < rows; r++) subtractRowMax(a0 + <usize>r * rowBytes, z0 + <usize>r * rowBytes, n);
    expNonPositiveInPlace(a0, rows * n);
    for (let r = 0; r < rows; r++) divideByRowSum(a0 + <usize>r * rowBytes, n);
  }
}

// a[0..n) = z[0..n) − max z.
@inline function subtractRowMax(a: usize, z: usize, n: i32): void {
  // pmax skips a NaN, but then z − max is NaN and the whole row comes out NaN, as it should.
  const m = rowMaxf32x4(z, n);
  const m4 = f32x4.splat(m);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(a + o, f32x4.sub(v128.load(z + o), m4));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(a + o, load<f32>(z + o) - m);
  }
}

// x[0..n) = e^x, every x ≤ 0 (z − max z).
@inline function expNonPositiveInPlace(x: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0 = v128.load(x + o), v1 = v128.load(x + o, 16), v2 = v128.load(x + o, 32), v3 = v128.load(x + o, 48);
    v128.store(x + o, expNonPositivef32x4(v0));
    v128.store(x + o, expNonPositivef32x4(v1), 16);
    v128.store(x + o, expNonPositivef32x4(v2), 32);
    v128.store(x + o, expNonPositivef32x4(v3), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, expNonPositivef32x4(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, expNonPositivef32(load<f32>(x + o)));
  }
}

// a[0..n) /= Σ a (times the reciprocal: one division per row).
@inline function divideByRowSum(a: usize, n: i32): void {
  let sv = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) sv = f32x4.add(sv, v128.load(a + (<usize>j << 2)));
  let sum = sumLanesF64(sv);
  for (let k = j; k < n; k++) sum += <f64>load<f32>(a + (<usize>k << 2));
  const inv = <f32>(1 / sum);
  const inv4 = f32x4.splat(inv);
  j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(a + o, f32x4.mul(v128.load(a + o), inv4));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(a + o, load<f32>(a + o) * inv);
  }
}
