// Whether t·I − g passes a float64 Cholesky factorisation, on f64x2: the loops of
// shifted-cholesky.scalar.ts with each inner product's even terms in lane 0 and its odd terms in
// lane 1, the scalar twin's two sums, so both make the same operations (same bits, same answer).
// A 2 × 2 block of inner products loads four vectors per two terms of each of its four sums.

import { at, gram, put, shiftedCholeskyLastRow } from './shifted-cholesky.common';

// The two lanes of s added: lane 0 + lane 1, as the scalar twin adds its even and odd sums.
@inline function lanes(s: v128): f64 {
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// (start, 0): a sum whose even terms start from `start` and odd ones from 0.
@inline function from(start: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(0), 0, start);
}

export function f32_shifted_cholesky__simd(m: usize, g: usize, t: f64, n: i32): i32 {
  // as f32_shifted_cholesky__scalar: m (n, n) f64 scratch, g (n, n) f32; 1 where it passed, else 0
  const rowBytes = <usize>n << 3;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = i * n;
    const b = a + n;
    const rowA = m + (<usize>a << 3);
    const rowB = rowA + rowBytes;
    for (let j = 0; j < i; j += 2) {
      const p = j * n;
      const q = p + n;
      const rowP = m + (<usize>p << 3);
      const rowQ = rowP + rowBytes;
      let aj = from(-gram(g, a + j)), aq = from(-gram(g, a + j + 1));
      let bj = from(-gram(g, b + j)), bq = from(-gram(g, b + j + 1));
      const end = <usize>j << 3;
      for (let o: usize = 0; o < end; o += 16) {
        const x = v128.load(rowA + o), y = v128.load(rowB + o);
        const u = v128.load(rowP + o), v = v128.load(rowQ + o);
        aj = f64x2.sub(aj, f64x2.mul(x, u));
        aq = f64x2.sub(aq, f64x2.mul(x, v));
        bj = f64x2.sub(bj, f64x2.mul(y, u));
        bq = f64x2.sub(bq, f64x2.mul(y, v));
      }
      const pivot = at(m, p + j);
      const ajValue = lanes(aj) / pivot;
      const bjValue = lanes(bj) / pivot;
      put(m, a + j, ajValue);
      put(m, b + j, bjValue);
      // Column j + 1's sums run to c = j, whose term needs column j's entries just made.
      const qj = at(m, q + j), qq = at(m, q + j + 1);
      put(m, a + j + 1, (lanes(aq) - ajValue * qj) / qq);
      put(m, b + j + 1, (lanes(bq) - bjValue * qj) / qq);
    }
    let ii = from(t - gram(g, a + i)), ji = from(-gram(g, b + i)), jj = from(t - gram(g, b + i + 1));
    const end = <usize>i << 3;
    for (let o: usize = 0; o < end; o += 16) {
      const x = v128.load(rowA + o), y = v128.load(rowB + o);
      ii = f64x2.sub(ii, f64x2.mul(x, x));
      ji = f64x2.sub(ji, f64x2.mul(y, x));
      jj = f64x2.sub(jj, f64x2.mul(y, y));
    }
    const pivot = lanes(ii);
    if (!(pivot > 0)) return 0;
    const diagonal = Math.sqrt(pivot);
    put(m, a + i, diagonal);
    const below = lanes(ji) / diagonal;
    put(m, b + i, below);
    const next = lanes(jj) - below * below;
    if (!(next > 0)) return 0;
    put(m, b + i + 1, Math.sqrt(next));
  }
  return i < n ? <i32>shiftedCholeskyLastRow(m, g, t, n, i) : 1;
}
