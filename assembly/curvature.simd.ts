// Vector arithmetic for the second-order optimisers on f32x4: the same f32 operations as
// curvature.scalar.ts, four lanes at a time, so elementwise results have the same bits; the last
// n mod 4 elements go to the scalar twin.

import {
  f32_mul__scalar, f32_martens_preconditioner__scalar, f32_copy2d__scalar, f32_activation_curvature__scalar,
} from './curvature.scalar';
import { rowProjection, secondf32x4, secondIsZero } from './curvature.common';

export function f32_mul__simd(z: usize, x: usize, y: usize, n: i32): void {
  // z, x, y are (n); z = x ⊙ y (z may be x or y)
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(z + o, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  const o = <usize>i << 2;
  f32_mul__scalar(z + o, x + o, y + o, n - i);
}

export function f32_softmax_jvp__simd(ra: usize, a: usize, rz: usize, batch: i32, n: i32): void {
  // ra, a, rz are (batch, n); ra_j = a_j·(rz_j − Σ_k a_k·rz_k) row by row (overwrites ra)
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < batch; r++) {
    const offset = <usize>r * rowBytes;
    const s = rowProjection(a + offset, rz + offset, n);
    const sv = f32x4.splat(s);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = offset + (<usize>j << 2);
      v128.store(ra + o, f32x4.mul(v128.load(a + o), f32x4.sub(v128.load(rz + o), sv)));
    }
    for (; j < n; j++) {
      const o = offset + (<usize>j << 2);
      store<f32>(ra + o, load<f32>(a + o) * (load<f32>(rz + o) - s));
    }
  }
}

export function f32_martens_preconditioner__simd(d: usize, s: usize, n: i32, scale: f64, lambda: f64): void {
  // d, s are (n); d = (scale·s + lambda)^(−3/4) = 1/(√u·√√u)
  const c = f32x4.splat(<f32>scale), l = f32x4.splat(<f32>lambda), one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const u = f32x4.add(f32x4.mul(c, v128.load(s + o)), l);
    const root = f32x4.sqrt(u);
    v128.store(d + o, f32x4.div(one, f32x4.mul(root, f32x4.sqrt(root))));
  }
  const o = <usize>i << 2;
  f32_martens_preconditioner__scalar(d + o, s + o, n - i, scale, lambda);
}

export function f32_copy2d__simd(
  dst: usize, dstStride: i32, src: usize, srcStride: i32, rows: i32, cols: i32,
): void {
  // A strided copy is memory.copy per row in both variants: bulk memory is already the fast path.
  f32_copy2d__scalar(dst, dstStride, src, srcStride, rows, cols);
}

export function f32_activation_curvature__simd(dz: usize, g: usize, rz: usize, z: usize, a: usize, n: i32, kind: i32): void {
  // dz, g, rz, z, a are (n); dz += (g ⊙ rz) ⊙ f''(z)
  if (secondIsZero(kind)) return;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const second = secondf32x4(kind, v128.load(z + o), v128.load(a + o));
    const term = f32x4.mul(f32x4.mul(v128.load(g + o), v128.load(rz + o)), second);
    v128.store(dz + o, f32x4.add(v128.load(dz + o), term));
  }
  const o = <usize>i << 2;
  f32_activation_curvature__scalar(dz + o, g + o, rz + o, z + o, a + o, n - i, kind);
}
