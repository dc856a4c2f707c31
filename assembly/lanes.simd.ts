// Small f32x4 helpers the row-dot forward (row-dots.simd.ts) and the matrix-vector products
// (matvec.simd.ts) share, so that both sum a row's lanes in one order and read a row's tail alike.

// Four outputs' lanes summed: [Σp, Σq, Σr, Σs] with Σp = (p0 + p2) + (p1 + p3). Interleaving
// shuffles only (one instruction each on x64).
@inline
export function sumLanes4(p: v128, q: v128, r: v128, s: v128): v128 {
  const u = f32x4.add(i32x4.shuffle(p, q, 0, 4, 1, 5), i32x4.shuffle(p, q, 2, 6, 3, 7));
  const v = f32x4.add(i32x4.shuffle(r, s, 0, 4, 1, 5), i32x4.shuffle(r, s, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(u, v, 0, 1, 4, 5), i32x4.shuffle(u, v, 2, 3, 6, 7));
}

// The last 1–3 floats of a row (tail of them), zero-filled to a vector, reading nothing past them.
@inline
export function loadTail(p: usize, tail: i32): v128 {
  if (tail == 1) return v128.load32_zero(p);
  const pair = v128.load64_zero(p);
  return tail == 2 ? pair : v128.load32_lane(p + 8, pair, 2);
}
