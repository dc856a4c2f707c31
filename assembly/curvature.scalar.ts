// Vector arithmetic for the second-order optimisers (Hessian-free's R-operator and preconditioner,
// K-FAC's factor bookkeeping), in scalar f32: the twins of curvature.simd.ts (no v128
// in this file). Elementwise kernels run the same f32 operations as their SIMD twins, so both give
// the same bits; reductions sum exact f64 products, so only the order of summation differs.

import { rowProjection, secondf32, secondIsZero } from './curvature.common';

export function f32_mul__scalar(z: usize, x: usize, y: usize, n: i32): void {
  // z, x, y are (n); z = x ⊙ y (z may be x or y)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(z + o, load<f32>(x + o) * load<f32>(y + o));
  }
}

export function f32_softmax_jvp__scalar(ra: usize, a: usize, rz: usize, batch: i32, n: i32): void {
  // ra, a, rz are (batch, n); a = softmax(z). ra = (diag(a) − a·aᵀ)·rz row by row, i.e.
  // ra_j = a_j·(rz_j − Σ_k a_k·rz_k): the softmax's Jacobian applied to rz (overwrites ra)
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const offset = <usize>r * rowBytes;
    const s = rowProjection(a + offset, rz + offset, n);
    for (let j = 0; j < n; j++) {
      const o = offset + (<usize>j << 2);
      store<f32>(ra + o, load<f32>(a + o) * (load<f32>(rz + o) - s));
    }
  }
}

export function f32_martens_preconditioner__scalar(d: usize, s: usize, n: i32, scale: f64, lambda: f64): void {
  // d, s are (n); d = (scale·s + lambda)^(−3/4), as 1/(√u·√√u) so the SIMD twin has the same bits
  const c = <f32>scale, l = <f32>lambda;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const u = c * load<f32>(s + o) + l;
    const root = sqrt<f32>(u);
    store<f32>(d + o, <f32>1 / (root * sqrt<f32>(root)));
  }
}

export function f32_copy2d__scalar(
  dst: usize, dstStride: i32, src: usize, srcStride: i32, rows: i32, cols: i32,
): void {
  // dst is (rows, dstStride), src is (rows, srcStride); dst[r][0..cols) = src[r][0..cols)
  const bytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + ((<usize>r * <usize>dstStride) << 2), src + ((<usize>r * <usize>srcStride) << 2), bytes);
  }
}

export function f32_activation_curvature__scalar(dz: usize, g: usize, rz: usize, z: usize, a: usize, n: i32, kind: i32): void {
  // dz, g, rz, z, a are (n); dz += (g ⊙ rz) ⊙ f''(z), a = f(z): the term of the Hessian's R-operator
  // that the Gauss-Newton product leaves out (kind: the index in ACTIVATIONS)
  if (secondIsZero(kind)) return;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const second = secondf32(kind, load<f32>(z + o), load<f32>(a + o));
    store<f32>(dz + o, load<f32>(dz + o) + load<f32>(g + o) * load<f32>(rz + o) * second);
  }
}
