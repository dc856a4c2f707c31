// Reductions shared by the curvature and Cholesky kernels of both variants, so the twins compute
// them with the same bits. Not re-exported by the entries: nothing here is a kernel.

// Σ_j a_j·rz_j of one row, in f64: shared by both twins so the row's projection has the same bits.
@inline export function rowProjection(a: usize, rz: usize, n: i32): f32 {
  let sum: f64 = 0;
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    sum += <f64>load<f32>(a + o) * <f64>load<f32>(rz + o);
  }
  return <f32>sum;
}

// Σ_{k<len} x_k·y_k in f64 over exact products: the pivots of a nearly singular factor need it.
@inline export function dotPrefix(x: usize, y: usize, len: i32): f64 {
  let sum: f64 = 0;
  for (let k = 0; k < len; k++) {
    const o = <usize>k << 2;
    sum += <f64>load<f32>(x + o) * <f64>load<f32>(y + o);
  }
  return sum;
}

