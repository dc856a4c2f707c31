// Matrix-vector products on f32x4, y = w·x and y = wᵀ·x with w a dense layer's weights
// [nOut][nIn] row-major, read as stored: the power iteration of the gradient-flow trace
// (src/flow/spectral.ts). The dense products at batch 1 would waste 3 of the 4 rows of every tile
// and pack w again at every call (the ∂input GEMM copies all of w into k-major panels).
//
// w·x: each output is a dot product of a row of w with x, summed as the row-dot forward sums
// (row-dots.simd.ts): lane l sums the terms k ≡ l mod 4, k ascending, then (s0 + s2) + (s1 + s3).
// Eight rows at a time, so that eight independent sums hide the add's latency (four would wait on
// it: one add per sum every trip).
//
// wᵀ·x: y[k] = Σ_j x[j]·w[j][k], j ascending, over 32 columns at a time (8 vectors, for the same
// reason), reading each row of w along k as stored.
//
// matvec.scalar.ts keeps both orders of sums, so the SIMD and scalar binaries agree bit for bit
// (the relaxed binary fuses each mul and add: madd.simd.ts).

import { madd } from './madd.simd';
import { loadTail, sumLanes4 } from './lanes.simd';

// y[0..rows) = the dot products of rows w, w + ldw, … (rows ≤ 8; past `rows` the last row is read
// again and its sums are not stored) with x: k4 bytes of whole vectors, then `tail` floats.
function dots8(y: usize, w: usize, ldw: usize, x: usize, k4: usize, tail: i32, rows: i32): void {
  const last = rows - 1;
  let w0 = w, w1 = w + <usize>min(1, last) * ldw, w2 = w + <usize>min(2, last) * ldw, w3 = w + <usize>min(3, last) * ldw;
  let w4 = w + <usize>min(4, last) * ldw, w5 = w + <usize>min(5, last) * ldw, w6 = w + <usize>min(6, last) * ldw, w7 = w + <usize>min(7, last) * ldw;
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  // The x pointer doubles as the loop counter.
  let p = x;
  const end = x + k4;
  while (p < end) {
    const v = v128.load(p);
    c0 = madd(c0, v128.load(w0), v);
    c1 = madd(c1, v128.load(w1), v);
    c2 = madd(c2, v128.load(w2), v);
    c3 = madd(c3, v128.load(w3), v);
    c4 = madd(c4, v128.load(w4), v);
    c5 = madd(c5, v128.load(w5), v);
    c6 = madd(c6, v128.load(w6), v);
    c7 = madd(c7, v128.load(w7), v);
    p += 16;
    w0 += 16; w1 += 16; w2 += 16; w3 += 16;
    w4 += 16; w5 += 16; w6 += 16; w7 += 16;
  }
  if (tail > 0) {
    // Both tails are zero past nIn: those lanes add 0·0.
    const v = loadTail(p, tail);
    c0 = madd(c0, loadTail(w0, tail), v);
    c1 = madd(c1, loadTail(w1, tail), v);
    c2 = madd(c2, loadTail(w2, tail), v);
    c3 = madd(c3, loadTail(w3, tail), v);
    c4 = madd(c4, loadTail(w4, tail), v);
    c5 = madd(c5, loadTail(w5, tail), v);
    c6 = madd(c6, loadTail(w6, tail), v);
    c7 = madd(c7, loadTail(w7, tail), v);
  }
  const low = sumLanes4(c0, c1, c2, c3), high = sumLanes4(c4, c5, c6, c7);
  if (rows == 8) {
    v128.store(y, low);
    v128.store(y, high, 16);
    return;
  }
  // Fewer rows: only theirs, lane by lane (y has no room past them).
  store<f32>(y, f32x4.extract_lane(low, 0));
  if (rows > 1) store<f32>(y, f32x4.extract_lane(low, 1), 4);
  if (rows > 2) store<f32>(y, f32x4.extract_lane(low, 2), 8);
  if (rows > 3) store<f32>(y, f32x4.extract_lane(low, 3), 12);
  if (rows > 4) store<f32>(y, f32x4.extract_lane(high, 0), 16);
  if (rows > 5) store<f32>(y, f32x4.extract_lane(high, 1), 20);
  if (rows > 6) store<f32>(y, f32x4.extract_lane(high, 2), 24);
}

export function f32_matvec__simd(y: usize, w: usize, x: usize, nIn: i32, nOut: i32): void {
  // y (nOut) = w (nOut, nIn) · x (nIn); overwrites y
  const ldw = <usize>nIn << 2;
  const k4 = <usize>(nIn & ~3) << 2, tail = nIn & 3;
  for (let j = 0; j < nOut; j += 8) {
    dots8(y + (<usize>j << 2), w + <usize>j * ldw, ldw, x, k4, tail, min(8, nOut - j));
  }
}

export function f32_matvec_t__simd(y: usize, w: usize, x: usize, nIn: i32, nOut: i32): void {
  // y (nIn) = w (nOut, nIn)ᵀ · x (nOut); overwrites y
  const ldw = <usize>nIn << 2;
  const xEnd = x + (<usize>nOut << 2);
  let k = 0;
  for (; k + 32 <= nIn; k += 32) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let wj = w + (<usize>k << 2);
    for (let p = x; p < xEnd; p += 4) {
      const s = v128.load32_splat(p);
      c0 = madd(c0, v128.load(wj), s);
      c1 = madd(c1, v128.load(wj, 16), s);
      c2 = madd(c2, v128.load(wj, 32), s);
      c3 = madd(c3, v128.load(wj, 48), s);
      c4 = madd(c4, v128.load(wj, 64), s);
      c5 = madd(c5, v128.load(wj, 80), s);
      c6 = madd(c6, v128.load(wj, 96), s);
      c7 = madd(c7, v128.load(wj, 112), s);
      wj += ldw;
    }
    const yk = y + (<usize>k << 2);
    v128.store(yk, c0);
    v128.store(yk, c1, 16);
    v128.store(yk, c2, 32);
    v128.store(yk, c3, 48);
    v128.store(yk, c4, 64);
    v128.store(yk, c5, 80);
    v128.store(yk, c6, 96);
    v128.store(yk, c7, 112);
  }
  for (; k + 4 <= nIn; k += 4) {
    let c = f32x4.splat(0);
    let wj = w + (<usize>k << 2);
    for (let p = x; p < xEnd; p += 4) {
      c = madd(c, v128.load(wj), v128.load32_splat(p));
      wj += ldw;
    }
    v128.store(y + (<usize>k << 2), c);
  }
  for (; k < nIn; k++) {
    // The last nIn mod 4 columns one at a time, in the same order of sums.
    let c: f32 = 0;
    let wj = w + (<usize>k << 2);
    for (let p = x; p < xEnd; p += 4) {
      c += load<f32>(p) * load<f32>(wj);
      wj += ldw;
    }
    store<f32>(y + (<usize>k << 2), c);
  }
}
