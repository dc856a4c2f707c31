// The forward product z = a·wᵀ + b as dot products of a's rows with w's rows, for the layer shapes
// where that beats the packed GEMM of dense.simd.ts (forwardByRowDots, gemm.pack.ts): both operands
// are read along k as they are stored, so nothing is transposed or broadcast. The GEMM's outer
// products need one operand broadcast and the other transposed into k-major panels; at
// 64×784→100 those packings were ~6 % of the product (the first tile of each row of tiles, which
// broadcasts the A panel as it computes, ran at ~0.7× a plain tile; AMD EPYC Zen 5, 2026-11-30).
//
// Microkernel: a 4×2 tile of z, 8 f32x4 accumulators, each holding 4 partial sums of one output
// (lane l sums the terms k ≡ l mod 4); per 4 steps of k it loads 4 a vectors and 2 w vectors and
// runs 8 mul and 8 add, the GEMM microkernel's mix. The 4 a rows are copied interleaved
// ([k/4][4 rows][4]) so the loop reads them from one pointer at constant offsets: read from 4 row
// pointers the loop spent ~9 integer instructions per trip on addresses and ran 15 % slower (AMD
// EPYC Zen 5, 2026-11-30). The
// first output pair of the rows makes that copy as it computes (dot4x2Packing), instead of a copy
// pass before it: 256×784→100 ran 1.006×, 256×100→10 1.045× faster (A/B, 4 instances of each
// binary × 8 rounds, AMD EPYC Zen 5, 1 Dec 2026).
// The first group of four rows also packs w's output pairs after the first interleaved
// ([⌈nIn/4⌉][2][4] each, zero-padded past nIn: dot4x2PackingPairs), and the later groups read them
// there (dot4x2FromPairs): one pointer walks both rows of a pair instead of two, so a step of 4 k
// runs one pointer add fewer, and the padded last vector needs no tail. 256×784→100 went from
// 17.90 M to 17.62 M instructions (93.1 → 94.6 % of the peak loop's count for its flops; 64×784→100:
// 4.479 → 4.441 M; valgrind, bench/instructions.ts, Node 20.20.2) and ran ~1.5 % faster (two
// instances of each binary, 900 calls alternated, p10 and p25; AMD EPYC Zen 4, load ~12, 2026-12-02).
// Each output is then (s0 + s2) + (s1 + s3) + bias, the order row-dots.scalar.ts keeps, so the
// binaries agree bit for bit. A row's outputs do not depend on the other rows of the batch.

import { MR, min32, alignScratch, knownAligned, PANEL_ALIGN, FLOAT_ALIGN, ROW_DOTS_TILE_BYTES, rowDotsPanelFloats, rowDotsPackPairs } from './gemm.pack';
import { madd } from './madd.simd';
import { loadTail, sumLanes4 } from './lanes.simd';

// A 4×2 tile's lane sums into z (row stride ldz bytes): z[r][j] = Σ lanes of c_rj + bias[j].
@inline
function storeDots4x2(z: usize, ldz: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128, bias: usize): void {
  const b = v128.load64_splat(bias);
  const top = f32x4.add(sumLanes4(c00, c01, c10, c11), b);
  const bottom = f32x4.add(sumLanes4(c20, c21, c30, c31), b);
  v128.store64_lane(z, top, 0);
  v128.store64_lane(z + ldz, top, 1);
  v128.store64_lane(z + (ldz << 1), bottom, 0);
  v128.store64_lane(z + (ldz << 1) + ldz, bottom, 1);
}

// `count` 4×2 tiles of z side by side (row stride ldz bytes), tile t at z + 8t bytes: z[r][j] for
// r < 4, j < 2 = a panel row r · w row j + bias[j], where w's rows j = 0, 1 of tile t are at
// w + 2t·ldw and w + (2t + 1)·ldw and its bias pair at bias + 8t; ap: the 4 a rows interleaved
// [k/4][4][4], zero-padded past k; k4: bytes of w's whole vectors (4 floats each); tail: floats of
// w after them. One call per four rows of a, not per tile: V8 unrolls a loop of this size (by two)
// only where it is nested in another, with no stack check in the second copy (as microkernel4x8 in
// dense.simd.ts). With w's two rows read
// through two pointers (an address computed each step took a register V8 then reloaded), a step
// of 4 k runs 28 instructions instead of 31, and the 64×784→100 forward went from 4.65 M
// instructions (after knownAligned) to 4.48 M (valgrind, V8 11.3; the flat peak loop of then: 4.24 M, the nested one of
// peak.common.ts: 4.17 M).
function dot4x2(z: usize, ldz: usize, ap: usize, w: usize, ldw: usize, bias: usize, k4: usize, tail: i32, count: i32): void {
  dot4x2Tiles(false, z, ldz, ap, w, ldw, 0, bias, k4, tail, count);
}

// dot4x2 that also stores each pair's two w rows interleaved into wp ([⌈nIn/4⌉][2][4] per pair,
// the tail vector zero-filled past nIn, pairs one after the other), as dot4x2FromPairs reads them.
// The stores take no arithmetic slot; the same mul and add per term in the same order (the same bits).
function dot4x2PackingPairs(z: usize, ldz: usize, ap: usize, w: usize, ldw: usize, wp: usize, bias: usize, k4: usize, tail: i32, count: i32): void {
  dot4x2Tiles(true, z, ldz, ap, w, ldw, wp, bias, k4, tail, count);
}

// The loop of dot4x2 and of dot4x2PackingPairs, which stores w's pairs into wp on the way
// (packPairs: a constant at both calls, so each keeps a loop of its own with no test of it).
@inline
function dot4x2Tiles(packPairs: bool, z: usize, ldz: usize, ap: usize, w: usize, ldw: usize, wp: usize, bias: usize, k4: usize, tail: i32, count: i32): void {
  ap = knownAligned(ap, PANEL_ALIGN);
  w = knownAligned(w, FLOAT_ALIGN);
  if (packPairs) wp = knownAligned(wp, PANEL_ALIGN);
  const pairBytes = ldw << 1;
  const zEnd = z + (<usize>count << 3);
  while (z < zEnd) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    // The w pointer doubles as the loop counter.
    let x = ap, v = w, v1 = w + ldw;
    const end = w + k4;
    while (v < end) {
      const x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
      let y = v128.load(v);
      if (packPairs) v128.store(wp, y);
      c00 = madd(c00, x0, y);
      c10 = madd(c10, x1, y);
      c20 = madd(c20, x2, y);
      c30 = madd(c30, x3, y);
      y = v128.load(v1);
      if (packPairs) v128.store(wp, y, 16);
      c01 = madd(c01, x0, y);
      c11 = madd(c11, x1, y);
      c21 = madd(c21, x2, y);
      c31 = madd(c31, x3, y);
      x += 64;
      v += 16;
      v1 += 16;
      if (packPairs) wp += 32;
    }
    if (tail > 0) {
      // The panel is zero past k, and so is the tail vector: lanes past it add 0·0.
      const x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
      let y = loadTail(v, tail);
      if (packPairs) v128.store(wp, y);
      c00 = madd(c00, x0, y);
      c10 = madd(c10, x1, y);
      c20 = madd(c20, x2, y);
      c30 = madd(c30, x3, y);
      y = loadTail(v1, tail);
      if (packPairs) v128.store(wp, y, 16);
      c01 = madd(c01, x0, y);
      c11 = madd(c11, x1, y);
      c21 = madd(c21, x2, y);
      c31 = madd(c31, x3, y);
      if (packPairs) wp += 32;
    }
    storeDots4x2(z, ldz, c00, c01, c10, c11, c20, c21, c30, c31, bias);
    z += 8;
    bias += 8;
    w += pairBytes;
  }
}

// dot4x2 for the first output pair of four whole rows of a: it reads the rows where they lie (a0,
// a1, a2, a3: consecutive rows of a batch, or a data set's rows by number) and stores them
// interleaved into the panel ap as packRows4 would, for the other pairs. The same mul and add per
// term in the same order as dot4x2 (so the same bits); the packing rides along with the arithmetic
// instead of running as a copy pass of its own. Each row is read through its offset from the first
// (wrapping where a row lies before a0), so the loop steps one pointer as with a row stride.
function dot4x2Packing(z: usize, ldz: usize, ap: usize, a0: usize, a1: usize, a2: usize, a3: usize, w: usize, ldw: usize, bias: usize, k4: usize, tail: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const lda = a1 - a0, r2 = a2 - a0, r3 = a3 - a0;
  let a = knownAligned(a0, FLOAT_ALIGN);
  ap = knownAligned(ap, PANEL_ALIGN);
  w = knownAligned(w, FLOAT_ALIGN);
  const end = w + k4;
  while (w < end) {
    const x0 = v128.load(a), x1 = v128.load(a + lda), x2 = v128.load(a + r2), x3 = v128.load(a + r3);
    v128.store(ap, x0);
    v128.store(ap, x1, 16);
    v128.store(ap, x2, 32);
    v128.store(ap, x3, 48);
    let y = v128.load(w);
    c00 = madd(c00, x0, y);
    c10 = madd(c10, x1, y);
    c20 = madd(c20, x2, y);
    c30 = madd(c30, x3, y);
    y = v128.load(w + ldw);
    c01 = madd(c01, x0, y);
    c11 = madd(c11, x1, y);
    c21 = madd(c21, x2, y);
    c31 = madd(c31, x3, y);
    a += 16;
    ap += 64;
    w += 16;
  }
  if (tail > 0) {
    const x0 = loadTail(a, tail), x1 = loadTail(a + lda, tail), x2 = loadTail(a + r2, tail), x3 = loadTail(a + r3, tail);
    v128.store(ap, x0);
    v128.store(ap, x1, 16);
    v128.store(ap, x2, 32);
    v128.store(ap, x3, 48);
    let y = loadTail(w, tail);
    c00 = madd(c00, x0, y);
    c10 = madd(c10, x1, y);
    c20 = madd(c20, x2, y);
    c30 = madd(c30, x3, y);
    y = loadTail(w + ldw, tail);
    c01 = madd(c01, x0, y);
    c11 = madd(c11, x1, y);
    c21 = madd(c21, x2, y);
    c31 = madd(c31, x3, y);
  }
  storeDots4x2(z, ldz, c00, c01, c10, c11, c20, c21, c30, c31, bias);
}

// dot4x2 reading w's pairs where dot4x2PackingPairs stored them (wp, pairBytes apart: ⌈nIn/4⌉
// steps of 32 bytes, the last one zero-padded as loadTail pads it, so the sums are dot4x2's).
function dot4x2FromPairs(z: usize, ldz: usize, ap: usize, wp: usize, pairBytes: usize, bias: usize, count: i32): void {
  ap = knownAligned(ap, PANEL_ALIGN);
  wp = knownAligned(wp, PANEL_ALIGN);
  const zEnd = z + (<usize>count << 3);
  while (z < zEnd) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    // The w pointer doubles as the loop counter.
    let x = ap, v = wp;
    const end = wp + pairBytes;
    while (v < end) {
      const x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
      let y = v128.load(v);
      c00 = madd(c00, x0, y);
      c10 = madd(c10, x1, y);
      c20 = madd(c20, x2, y);
      c30 = madd(c30, x3, y);
      y = v128.load(v, 16);
      c01 = madd(c01, x0, y);
      c11 = madd(c11, x1, y);
      c21 = madd(c21, x2, y);
      c31 = madd(c31, x3, y);
      x += 64;
      v += 32;
    }
    storeDots4x2(z, ldz, c00, c01, c10, c11, c20, c21, c30, c31, bias);
    z += 8;
    bias += 8;
    wp += pairBytes;
  }
}

// Four rows (a, a1, a2, a3 where they lie) interleaved into dst as [⌈nIn/4⌉][4][4], the last
// group zero-padded past nIn.
function packRows4(dst: usize, a: usize, a1: usize, a2: usize, a3: usize, nIn: i32): void {
  const k4 = <usize>(nIn & ~3) << 2;
  for (let p: usize = 0; p < k4; p += 16) {
    v128.store(dst, v128.load(a + p));
    v128.store(dst, v128.load(a1 + p), 16);
    v128.store(dst, v128.load(a2 + p), 32);
    v128.store(dst, v128.load(a3 + p), 48);
    dst += 64;
  }
  const tail = nIn & 3;
  if (tail > 0) {
    v128.store(dst, loadTail(a + k4, tail));
    v128.store(dst, loadTail(a1 + k4, tail), 16);
    v128.store(dst, loadTail(a2 + k4, tail), 32);
    v128.store(dst, loadTail(a3 + k4, tail), 48);
  }
}

/**
 * z[batch][nOut] = a[batch][nIn] · w[nOut][nIn]ᵀ + b[nOut], as dot products (see the file comment);
 * scratch: dense_scratch_bytes. With rows (≠ 0: `batch` u32 row numbers), the batch is gathered as
 * it is read: batch row i is x's row rows[i], read where it lies by the group of four rows' first
 * pair (dot4x2Packing) and then copied into a's row i from the cache that read left it in, so a
 * holds the gathered batch (as f32_copy_rows leaves it) for the backward pass, and z is the
 * gathered batch's, bit for bit (each output's sum is over the same values in the same order).
 */
export function denseForwardRowDots(z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, x: usize = 0, rows: usize = 0): void {
  const lda = <usize>nIn << 2, ldz = <usize>nOut << 2;
  const k4 = <usize>(nIn & ~3) << 2, tail = nIn & 3;
  // An edge tile (rows past the batch, a column past nOut) goes to the tile buffer [4][2], its
  // bias pair after it, and only its part inside z is copied out.
  const tile = alignScratch(scratch);
  const tileBias = tile + 32;
  const ap = tile + ROW_DOTS_TILE_BYTES;
  // w's pairs after the first, packed by the first group of four rows (rowDotsPairsFloats).
  const wp = ap + (<usize>rowDotsPanelFloats(nIn) << 2);
  const pairBytes = <usize>((nIn + 3) >> 2) << 5;
  const packPairs = rowDotsPackPairs(batch);
  for (let i = 0; i < batch; i += MR) {
    const count = min32(MR, batch - i);
    const zi = z + <usize>i * ldz;
    const ai = a + <usize>i * lda;
    // Where the group's rows are read: a's own, or the data set's by number; rows past the batch repeat its last.
    const a0 = rowAt(ai, x, rows, i, lda);
    const a1 = count > 1 ? rowAt(ai + lda, x, rows, i + 1, lda) : a0;
    const a2 = count > 2 ? rowAt(ai + (lda << 1), x, rows, i + 2, lda) : a1;
    const a3 = count > 3 ? rowAt(ai + (lda << 1) + lda, x, rows, i + 3, lda) : a2;
    let j = 0;
    if (count == MR && nOut >= 2) {
      dot4x2Packing(zi, ldz, ap, a0, a1, a2, a3, w, lda, b, k4, tail);
      if (rows != 0) gatherRows4(ai, lda, count, a0, a1, a2, a3);
      const pairs = (nOut - 2) >> 1;
      if (!packPairs) dot4x2(zi + 8, ldz, ap, w + (lda << 1), lda, b + 8, k4, tail, pairs);
      else if (i == 0) dot4x2PackingPairs(zi + 8, ldz, ap, w + (lda << 1), lda, wp, b + 8, k4, tail, pairs);
      else dot4x2FromPairs(zi + 8, ldz, ap, wp, pairBytes, b + 8, pairs);
      j = 2 + (pairs << 1);
    } else {
      if (rows != 0) gatherRows4(ai, lda, count, a0, a1, a2, a3);
      packRows4(ap, a0, a1, a2, a3, nIn);
    }
    for (; j < nOut; j += 2) {
      // The second column repeats the first when it is past nOut (ldw = 0).
      const pair = j + 1 < nOut;
      const bj = b + (<usize>j << 2);
      store<f32>(tileBias, load<f32>(bj));
      store<f32>(tileBias, load<f32>(bj + (pair ? 4 : 0)), 4);
      dot4x2(tile, 8, ap, w + <usize>j * lda, pair ? lda : 0, tileBias, k4, tail, 1);
      for (let r = 0; r < count; r++) {
        const zr = zi + <usize>r * ldz + (<usize>j << 2);
        const t = tile + (<usize>r << 3);
        store<f32>(zr, load<f32>(t));
        if (pair) store<f32>(zr, load<f32>(t, 4), 4);
      }
    }
  }
}

// Where batch row i is read: a's row i (at ai) when rows is 0, else x's row rows[i] (rows: u32 row numbers).
@inline
function rowAt(ai: usize, x: usize, rows: usize, i: i32, lda: usize): usize {
  return rows == 0 ? ai : x + <usize>load<u32>(rows + (<usize>i << 2)) * lda;
}

// The group's `count` rows (a0, a1, a2, a3 where they lie) copied into a's rows from ai on (row
// stride lda bytes): after dot4x2Packing, from the cache its reads left them in.
function gatherRows4(ai: usize, lda: usize, count: i32, a0: usize, a1: usize, a2: usize, a3: usize): void {
  memory.copy(ai, a0, lda);
  if (count > 1) memory.copy(ai + lda, a1, lda);
  if (count > 2) memory.copy(ai + (lda << 1), a2, lda);
  if (count > 3) memory.copy(ai + (lda << 1) + lda, a3, lda);
}
