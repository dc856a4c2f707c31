// Reductions over a tensor, in scalar arithmetic with an f64 result: the twins of reduce.simd.ts
// (no v128 in this file). Used by the training diagnostics (gradient norms, ‖δ‖ per layer).

export function f32_sum_squares__scalar(x: usize, n: i32): f64 {
  // x is (n); Σ x², each square exact in f64 (a product of two f32 has 48 significant bits)
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    sum += v * v;
  }
  return sum;
}

export function f32_sum_abs__scalar(x: usize, n: i32): f64 {
  // x is (n); Σ |x|
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += <f64>abs(load<f32>(x + (<usize>i << 2)));
  return sum;
}

export function f32_max_abs__scalar(x: usize, n: i32): f64 {
  // x is (n); max |x|, 0 when n = 0, NaN if any x is NaN.
  // Compared as integers: with the sign bit cleared, the bits of a float order as its value, and
  // every NaN's bits lie above +Inf's, so the largest bits are the NaN if there is one.
  let largest: i32 = 0;
  for (let i = 0; i < n; i++) largest = max(largest, load<i32>(x + (<usize>i << 2)) & 0x7fffffff);
  return <f64>reinterpret<f32>(largest);
}

export function f32_row_sum_squares__scalar(out: usize, x: usize, batch: i32, n: i32): void {
  // out is (batch), x is (batch, n); out[r] = Σ_j x[r][j]² (overwrites out): per-example norms
  for (let r = 0; r < batch; r++) {
    store<f32>(out + (<usize>r << 2), <f32>f32_sum_squares__scalar(x + ((<usize>r * <usize>n) << 2), n));
  }
}

export function f32_all_finite__scalar(x: usize, n: i32): i32 {
  // x is (n); 1 when every x is finite, else 0: max_abs is NaN or infinite exactly when one is not.
  return isFinite(f32_max_abs__scalar(x, n)) ? 1 : 0;
}
