// Dense-layer products on f32x4: every one is the same GEMM, C (+)= A·B, run by one 4×8
// register-blocked microkernel over a packed A and a B either packed (gemm.pack.ts) or, where a
// backward product reads it as is, read where it lies (readsBInPlace), so the two backward products
// run as fast as the forward one.
//
// Microkernel (after XNNPACK's f32-gemm-4x8-wasmsimd): the 4×8 tile of C lives in 8 f32x4
// accumulators; each step of k loads one 8-float row of the B panel (2 × f32x4) and the four A
// values. 8 accumulators + 2 B + 1 A + 1 product = 12 of the 15 xmm registers V8 allocates; a
// 6×8 tile needs 16, spills, and runs markedly slower (both with broadcast loads).
//
// The A values are packed already broadcast (each one stored as a whole f32x4), so the loop reads
// them with plain loads. With v128.load32_splat instead, V8 emits vbroadcastss, which on this Zen 5
// competes with the mul and add pipes: 4 broadcasts per 16 arithmetic ops slow the microkernel
// down noticeably. The price is a 4× larger A panel (24 KiB at KC = 384),
// packed right before its row of tiles runs, so it is read from L1. The first tile of each row packs
// it while it computes (microkernel4x8Packing): a packing loop of its own is bound by its stores
// and cost 7–9 % of the 64×784→100 forward product, the broadcasts riding along ~5 % (AMD EPYC
// Zen 5, 2026-11-30).
//
// A layer's products have n = 100 or 10 columns where they are not n = 784: a half or mostly
// empty edge panel, and a broadcast A panel reused over only 13 or 2 tiles. gemm then computes
// Cᵀ = Bᵀ·Aᵀ instead where that runs fewer tiles (swapsRoles, gemm.pack.ts), storing each tile
// transposed; the sums are the same, term for term, so the bits are too. Measured on the AMD EPYC
// Zen 5, 2026-11-30 (% of the in-run peak): the 256×784→100 forward 86 → 89 %, 256×100→100 forward and ∂input
// 83–85 → 90–91 %, 256×100→10 forward 47 → 63 %.

import {
  MR, NR, min32, kBlock, alignScratch, knownAligned, PANEL_ALIGN, FLOAT_ALIGN, tileOf, biasOf, packedAOf, packedBOf, packBias, packBPanel, swapsRoles, swapChunkRows, columnChunk, forwardByRowDots, weightsFolded, weightsOverRows,
} from './gemm.pack';
import { madd } from './madd.simd';
import { denseForwardRowDots } from './row-dots.simd';
import { f32_copy_rows } from './common';

// What the microkernel does with its tile when it stores it.
const STORE: i32 = 0; //  C = acc
const ADD: i32 = 1; //    C += acc
const BIAS: i32 = 2; //   C = acc + bias

// `count` whole 4×8 tiles of a row of tiles, left to right: tile t is C's block at c + t·cStep
// (row stride ldc bytes), from the A panel ap [kc][4][4] (broadcast, the same for every tile) and
// B's 8 columns of tile t at bp + t·bTileStep, one row of 8 floats a step of k, bStep bytes apart:
// a packed panel ([kc][8], bStep 32, bTileStep kc·32: panels stored one after the other) or B where
// it lies (bStep its row stride, bTileStep 32: readsBInPlace); its bias at bias + t·biasStep (padded). Transposed (swapped roles: the tile is a block of Cᵀ), a tile is
// stored as 8 rows of 4 floats of C (row stride ldc) and its 4 bias floats are one vector added to
// each. One call per row of tiles, not per tile: the call and the driver's loop cost ~45
// instructions a tile, and V8 unrolls a loop of this size (by two) only where it is nested in
// another (its size budget grows with the depth: V8's compiler/loop-unrolling.h), with no stack
// check in the second copy: 27 instructions a step of k instead of 28. The
// 64×784→100 ∂W product (k = 64) went from 4.69 to 4.42 M instructions, ∂input from 4.60 to 4.38 M
// (valgrind, V8 11.3; the flat peak loop of then ran 4.24 M for the same flops, the nested one of
// peak.common.ts 4.17 M).
// Edge tiles are not handled here: with a clipped-store path in the same function TurboFan
// allocates the loop worse and the kernel runs markedly slower. The
// transposed store costs nothing measurable.
function microkernel4x8(
  c: usize, cStep: usize, ldc: usize, ap: usize, bp: usize, bStep: usize, bTileStep: usize, bias: usize, biasStep: usize, kc: i32, count: i32, mode: i32, transposed: bool,
): void {
  ap = knownAligned(ap, PANEL_ALIGN);
  bp = knownAligned(bp, FLOAT_ALIGN);
  const aEnd = ap + (<usize>kc << 6);
  const bLast = bp + <usize>count * bTileStep;
  while (bp < bLast) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    // One step of k per trip: unrolling by two in the source lets V8 hoist all the loads, spill, and
    // lose a third (its own unrolling keeps each step's loads beside its arithmetic). The A pointer
    // doubles as the loop counter.
    let a = ap;
    let b = bp;
    while (a < aEnd) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let x = v128.load(a);
      c00 = madd(c00, x, b0);
      c01 = madd(c01, x, b1);
      x = v128.load(a, 16);
      c10 = madd(c10, x, b0);
      c11 = madd(c11, x, b1);
      x = v128.load(a, 32);
      c20 = madd(c20, x, b0);
      c21 = madd(c21, x, b1);
      x = v128.load(a, 48);
      c30 = madd(c30, x, b0);
      c31 = madd(c31, x, b1);
      a += 64;
      b += bStep;
    }
    storeTile4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31, bias, mode, transposed);
    c += cStep;
    bias += biasStep;
    bp += bTileStep;
  }
}

// A 4×8 tile's accumulators into C (row stride ldc bytes), the one store of every 4×8 tile:
// C = acc, C += acc or C = acc + bias[j0..j0+8) by mode; transposed (swapped roles: the tile is a
// block of Cᵀ), as 8 rows of 4 floats of C with bias[i0..i0+4) added to each.
@inline
function storeTile4x8(
  c: usize, ldc: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  bias: usize, mode: i32, transposed: bool,
): void {
  if (transposed) {
    storeColumnsT(c, ldc, c00, c10, c20, c30, bias, mode);
    storeColumnsT(c + (ldc << 2), ldc, c01, c11, c21, c31, bias, mode);
    return;
  }
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (mode == ADD) {
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    v128.store(c1, f32x4.add(v128.load(c1), c10));
    v128.store(c1, f32x4.add(v128.load(c1, 16), c11), 16);
    v128.store(c2, f32x4.add(v128.load(c2), c20));
    v128.store(c2, f32x4.add(v128.load(c2, 16), c21), 16);
    v128.store(c3, f32x4.add(v128.load(c3), c30));
    v128.store(c3, f32x4.add(v128.load(c3, 16), c31), 16);
    return;
  }
  if (mode == BIAS) {
    const bias0 = v128.load(bias), bias1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, bias0); c01 = f32x4.add(c01, bias1);
    c10 = f32x4.add(c10, bias0); c11 = f32x4.add(c11, bias1);
    c20 = f32x4.add(c20, bias0); c21 = f32x4.add(c21, bias1);
    c30 = f32x4.add(c30, bias0); c31 = f32x4.add(c31, bias1);
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

// Four columns of a tile (rows r0..r3 of Cᵀ, 4 lanes each) transposed into 4 rows of C.
@inline
function storeColumnsT(c: usize, ldc: usize, r0: v128, r1: v128, r2: v128, r3: v128, bias: usize, mode: i32): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  let q0 = i32x4.shuffle(t0, t2, 0, 1, 4, 5), q1 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
  let q2 = i32x4.shuffle(t1, t3, 0, 1, 4, 5), q3 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (mode == ADD) {
    q0 = f32x4.add(v128.load(c), q0);
    q1 = f32x4.add(v128.load(c1), q1);
    q2 = f32x4.add(v128.load(c2), q2);
    q3 = f32x4.add(v128.load(c3), q3);
  } else if (mode == BIAS) {
    const b = v128.load(bias);
    q0 = f32x4.add(q0, b);
    q1 = f32x4.add(q1, b);
    q2 = f32x4.add(q2, b);
    q3 = f32x4.add(q3, b);
  }
  v128.store(c, q0);
  v128.store(c1, q1);
  v128.store(c2, q2);
  v128.store(c3, q3);
}

// microkernel4x8 for the first tile of a row of tiles, which packs the A panel as it goes: it reads
// each A value from A itself (A(r, p) at a + r·aRow + p·aCol, bytes), stores it broadcast into
// the panel (ap) for the other tiles of the row, and leaves its sums in the tile buffer (row stride
// NR floats) for storeTile. The same mul and add per term in the same order as
// microkernel4x8 (so the same bits). The broadcasts and stores ride along with the arithmetic
// instead of running as a loop of their own (packASplat), which is bound by its stores. Storing
// straight into C instead (mode, bias and transposed as arguments, no tile buffer) ran the
// 64×784→100 forward 2 % slower (A/B on the AMD EPYC Zen 5, 3 instances of each binary × 10
// rounds, 30 Nov 2026).
function microkernel4x8Packing(tile: usize, ap: usize, a: usize, aRow: usize, aCol: usize, bp: usize, bStep: usize, kc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const r2 = aRow << 1, r3 = r2 + aRow;
  a = knownAligned(a, FLOAT_ALIGN);
  ap = knownAligned(ap, PANEL_ALIGN);
  bp = knownAligned(bp, FLOAT_ALIGN);
  const apEnd = ap + (<usize>kc << 6);
  while (ap < apEnd) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a);
    v128.store(ap, x);
    c00 = madd(c00, x, b0);
    c01 = madd(c01, x, b1);
    x = v128.load32_splat(a + aRow);
    v128.store(ap, x, 16);
    c10 = madd(c10, x, b0);
    c11 = madd(c11, x, b1);
    x = v128.load32_splat(a + r2);
    v128.store(ap, x, 32);
    c20 = madd(c20, x, b0);
    c21 = madd(c21, x, b1);
    x = v128.load32_splat(a + r3);
    v128.store(ap, x, 48);
    c30 = madd(c30, x, b0);
    c31 = madd(c31, x, b1);
    a += aCol;
    ap += 64;
    bp += bStep;
  }
  storeTile4x8(tile, NR << 2, c00, c01, c10, c11, c20, c21, c30, c31, 0, STORE, false);
}

// microkernel4x8 for the first row of tiles when B is read as is (consecutive columns) but not in
// place (readsBInPlace): it reads its B panel from B itself (row stride bRow bytes) and stores it
// packed (bp) for the other rows of tiles, leaving its sums in the tile buffer. The loads are the ones the tile needs anyway and
// the stores take no arithmetic slot, so B is packed for almost nothing: the 256×784→100 ∂W
// product (B is the layer's input) went from 88 to 91 % of the peak without its copy pass (AMD
// EPYC Zen 5, 2026-11-30).
function microkernel4x8PackingB(tile: usize, ap: usize, b: usize, bRow: usize, bp: usize, kc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  b = knownAligned(b, FLOAT_ALIGN);
  ap = knownAligned(ap, PANEL_ALIGN);
  bp = knownAligned(bp, PANEL_ALIGN);
  const bEnd = bp + (<usize>kc << 5);
  while (bp < bEnd) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    v128.store(bp, b0);
    v128.store(bp, b1, 16);
    let x = v128.load(ap);
    c00 = madd(c00, x, b0);
    c01 = madd(c01, x, b1);
    x = v128.load(ap, 16);
    c10 = madd(c10, x, b0);
    c11 = madd(c11, x, b1);
    x = v128.load(ap, 32);
    c20 = madd(c20, x, b0);
    c21 = madd(c21, x, b1);
    x = v128.load(ap, 48);
    c30 = madd(c30, x, b0);
    c31 = madd(c31, x, b1);
    b += bRow;
    ap += 64;
    bp += 32;
  }
  storeTile4x8(tile, NR << 2, c00, c01, c10, c11, c20, c21, c30, c31, 0, STORE, false);
}

// A whole tile from the tile buffer (row stride NR floats) into C, as microkernel4x8 stores it.
function storeTile(c: usize, ldc: usize, tile: usize, bias: usize, mode: i32, transposed: bool): void {
  storeTile4x8(
    c, ldc, v128.load(tile), v128.load(tile, 16), v128.load(tile, 32), v128.load(tile, 48),
    v128.load(tile, 64), v128.load(tile, 80), v128.load(tile, 96), v128.load(tile, 112), bias, mode, transposed,
  );
}

// The left half of microkernel4x8's tile, for a B panel with at most 4 real columns: the same
// mul and add per term in the same order (so the same bits), stored to the tile buffer (row
// stride NR floats) for storeEdge; its columns 4..7 are left as they were and never read.
function microkernel4x4(tile: usize, ap: usize, bp: usize, kc: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  ap = knownAligned(ap, PANEL_ALIGN);
  bp = knownAligned(bp, PANEL_ALIGN);
  const bEnd = bp + (<usize>kc << 5);
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    c0 = madd(c0, v128.load(ap), b0);
    c1 = madd(c1, v128.load(ap, 16), b0);
    c2 = madd(c2, v128.load(ap, 32), b0);
    c3 = madd(c3, v128.load(ap, 48), b0);
    ap += 64;
    bp += 32;
  }
  v128.store(tile, c0);
  v128.store(tile, c1, NR << 2);
  v128.store(tile, c2, NR << 3);
  v128.store(tile, c3, (NR << 3) + (NR << 2));
}

// An edge tile, computed whole into the tile buffer (row stride NR floats): write only its
// mr × nr corner that lies inside C. Its element (r, j) is at c + r·cRow + j·cCol and its bias at
// bias + r·biasRow + j·biasCol (strides in bytes: swapped roles store the tile transposed).
function storeEdge(
  c: usize, cRow: usize, cCol: usize, tile: usize, bias: usize, biasRow: usize, biasCol: usize, mr: i32, nr: i32, mode: i32,
): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + (<usize>(r * NR) << 2);
    const cr = c + <usize>r * cRow;
    const br = bias + <usize>r * biasRow;
    for (let j = 0; j < nr; j++) {
      const o = cr + <usize>j * cCol;
      let v = load<f32>(t + (<usize>j << 2));
      if (mode == ADD) v += load<f32>(o);
      else if (mode == BIAS) v += load<f32>(br + <usize>j * biasCol);
      store<f32>(o, v);
    }
  }
}

// One A panel, broadcast: dst[p][r] = splat(A(r, p)) with A(r, p) = src[r·rowStride + p·colStride]
// (strides in bytes), r < rows ≤ MR, p < kc; rows past `rows` are zero vectors.
function packASplat(dst: usize, src: usize, rowStride: usize, colStride: usize, rows: i32, kc: i32): void {
  if (rows == MR) {
    const r1 = rowStride, r2 = rowStride * 2, r3 = rowStride * 3;
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load32_splat(src));
      v128.store(dst, v128.load32_splat(src + r1), 16);
      v128.store(dst, v128.load32_splat(src + r2), 32);
      v128.store(dst, v128.load32_splat(src + r3), 48);
      src += colStride;
      dst += 64;
    }
    return;
  }
  const zero = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      v128.store(dst + (<usize>r << 4), r < rows ? v128.load32_splat(src + <usize>r * rowStride) : zero);
    }
    src += colStride;
    dst += 64;
  }
}

// Four consecutive floats from each of four source rows, written transposed as four 4-float rows
// of a B panel (row stride 32 bytes): d[q][r] = s[r·colStride + q].
@inline
function transpose4x4(d: usize, s: usize, colStride: usize): void {
  const r0 = v128.load(s), r1 = v128.load(s + colStride);
  const r2 = v128.load(s + colStride * 2), r3 = v128.load(s + colStride * 3);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

// The B block, as packB in gemm.pack.ts, but full panels move whole vectors: a plain copy when B
// is read as is, 4×4 transposes when it is read transposed (wᵀ, whose columns are w's rows).
function packBSimd(dst: usize, src: usize, kStride: usize, colStride: usize, n: i32, k0: i32, kc: i32): void {
  const s0 = src + <usize>k0 * kStride;
  for (let j0 = 0; j0 < n; j0 += NR) {
    let d = dst + (<usize>(j0 * kc) << 2);
    let s = s0 + <usize>j0 * colStride;
    const cols = min32(NR, n - j0);
    if (cols == NR && colStride == 4) {
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += kStride;
        d += 32;
      }
    } else if (cols == NR && kStride == 4) {
      const s4 = s + colStride * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4x4(d, s + o, colStride);
        transpose4x4(d + 16, s4 + o, colStride);
        d += 128;
      }
      if (p < kc) packBPanel(d, s + (<usize>p << 2), kStride, colStride, NR, kc - p, NR);
    } else {
      packBPanel(d, s, kStride, colStride, cols, kc, NR);
    }
  }
}

// Whether the full panels of a B read as is (consecutive columns, rows bRow bytes apart) are read
// where they lie, one row of B a step of k, instead of packed: the two backward products and
// f32_gemm, where B is the layer's input or w. Every tile of a row of tiles then reads its 8 columns
// from B itself (the tile beside it the other half of the same lines, still in L1), and nothing
// copies B. Packed, the first row of tiles copied it as it ran (microkernel4x8PackingB), and that
// row ran ~1.8× as long as the others: without it (a probe, wrong results) 64×784→100's ∂input ran
// 1.050× and ∂W 1.034× as fast; the same copy as a pass of its own, row by row in whole vectors,
// 0.973× and 0.968× as fast as the packing row; re-reading one packed panel from L1 for every tile
// instead of the B block from L2 changed nothing (1.00×). In place, 64×784→100's ∂input ran
// 1.056× and ∂W 1.071× as fast in 800 rounds (calls alternated in bursts of 5, CPU time), 1.011–1.047×
// and 1.016–1.036× in bench/ab.ts --cpu A/Bs, with the same bits (AMD EPYC Zen 5, 2026-12-03, load
// 14–15); the products this leaves as they were (256³ and 512³, whose B stays packed) moved ×1.009–1.026
// in the same A/Bs, so the smaller gains are within the noise (bench/dense.bench.ts' header has the A/Bs).
// Not where B's rows lie a multiple of 256 bytes apart: a tile's kc rows then fall into at most 16
// of the L1's 64 sets and evict each other and the A panel. Read in place at 512³ (2 KiB apart,
// 2 sets) ∂input and ∂W ran 0.948× and 0.947× as fast as packed; at 256³ (1 KiB, 4 sets) no slower.
@inline
function readsBInPlace(bRow: usize): bool {
  return (bRow & 255) != 0;
}

// C[m][n] (+)= A[m][k]·B[k][n] with A(i, k) at a + i·aRow + k·aCol and B(k, j) at b + k·bRow +
// j·bCol (strides in bytes), C row-major with row stride ldc floats. bias (when hasBias) is added
// to every row of an overwritten C.
function gemm(
  c: usize, a: usize, b: usize, bias: usize, scratch: usize,
  aRow: usize, aCol: usize, bRow: usize, bCol: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, hasBias: bool,
): void {
  if (m <= 0 || n <= 0) return;
  const base = alignScratch(scratch);
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    // An empty sum: C keeps its value (accumulate) or becomes the bias (or 0).
    if (accumulate) return;
    for (let i = 0; i < m; i++) {
      const ci = c + <usize>i * ldcBytes;
      if (hasBias) memory.copy(ci, bias, <usize>n << 2);
      else memory.fill(ci, 0, <usize>n << 2);
    }
    return;
  }
  if (hasBias) packBias(biasOf(base), bias, n);
  if (!swapsRoles(m, n)) {
    // C's columns in chunks whose B block stays in the L2 beside C.
    const cols = columnChunk(n, kBlock(k));
    for (let n0 = 0; n0 < n; n0 += cols) {
      const at = <usize>n0;
      tiles(c + (at << 2), a, b + at * bCol, base, at << 2, aRow, aCol, bRow, bCol, ldcBytes, 4, 0, 4, n, m, min32(cols, n - n0), k, accumulate, hasBias, false);
    }
    return;
  }
  // Cᵀ = Bᵀ·Aᵀ: Aᵀ's rows are B's columns, C'(i, j) = C(j, i), the bias runs down the tile rows;
  // C's rows in chunks (their columns of Cᵀ are the B block, which must stay in the L2).
  const rows = swapChunkRows(m);
  for (let r0 = 0; r0 < m; r0 += rows) {
    const at = <usize>r0;
    tiles(c + at * ldcBytes, b, a + at * aRow, base, 0, bCol, bRow, aCol, aRow, 4, ldcBytes, 4, 0, n, n, min32(rows, m - r0), k, accumulate, hasBias, true);
  }
}

// The blocked loops of gemm over C'[m][n] (+)= A[m][k]·B[k][n], with C'(i, j) at c + i·cRow + j·cCol
// and its bias at the packed bias + i·biasRow + j·biasCol (bytes): C itself, or (transposed) Cᵀ.
// biasCols is the packed bias's length (C's columns).
function tiles(
  c: usize, a: usize, b: usize, base: usize, biasAt: usize,
  aRow: usize, aCol: usize, bRow: usize, bCol: usize, cRow: usize, cCol: usize, biasRow: usize, biasCol: usize,
  biasCols: i32, m: i32, n: i32, k: i32, accumulate: bool, hasBias: bool, transposed: bool,
): void {
  const kcBlock = kBlock(k);
  const tile = tileOf(base);
  const biasPacked = biasOf(base) + biasAt;
  const ap = packedAOf(base, biasCols);
  const bp = packedBOf(base, biasCols, kcBlock);
  // The microkernels step through a tile's rows (or, transposed, its columns) by this stride.
  const ldc = transposed ? cCol : cRow;

  for (let k0 = 0; k0 < k; k0 += kcBlock) {
    const kc = min32(kcBlock, k - k0);
    // B read as is (consecutive columns): its full panels are read in place (readsBInPlace) or
    // packed by the first row of tiles; an edge panel is packed.
    const bBlock = b + <usize>k0 * bRow;
    const fullB = bCol == 4 ? n & ~(NR - 1) : 0;
    const inPlace = fullB > 0 && readsBInPlace(bRow);
    if (bCol != 4) packBSimd(bp, b, bRow, bCol, n, k0, kc);
    else if (fullB < n) packBPanel(bp + (<usize>(fullB * kc) << 2), bBlock + (<usize>fullB << 2), bRow, 4, n - fullB, kc, NR);
    const mode = k0 > 0 || accumulate ? ADD : hasBias ? BIAS : STORE;
    const bPanelBytes = <usize>(NR * kc) << 2;
    // A full tile's B: at bBlock + j0 floats, one row of B a step (in place), or its packed panel.
    const bFull = inPlace ? bBlock : bp;
    const bStep: usize = inPlace ? bRow : NR << 2;
    const bTileStep = inPlace ? <usize>NR << 2 : bPanelBytes;
    let aRows = a + <usize>k0 * aCol;
    for (let i0 = 0; i0 < m; i0 += MR) {
      const mr = min32(MR, m - i0);
      let bPanel = bp;
      let j0 = 0;
      // The A panel is packed right before use, so every tile of this row reads it from L1.
      if (i0 == 0 && fullB > 0 && !inPlace) {
        packASplat(ap, aRows, aRow, aCol, mr, kc);
        for (; j0 < fullB; j0 += NR) {
          microkernel4x8PackingB(tile, ap, bBlock + (<usize>j0 << 2), bRow, bPanel, kc);
          const cTile = c + <usize>j0 * cCol;
          const biasTile = biasPacked + <usize>j0 * biasCol;
          if (mr < MR) storeEdge(cTile, cRow, cCol, tile, biasTile, biasRow, biasCol, mr, NR, mode);
          else storeTile(cTile, ldc, tile, biasTile, mode, transposed);
          bPanel += bPanelBytes;
        }
      } else if (mr == MR && n >= NR) {
        microkernel4x8Packing(tile, ap, aRows, aRow, aCol, bFull, bStep, kc);
        const cTile = c + <usize>i0 * cRow;
        const biasTile = biasPacked + <usize>i0 * biasRow;
        storeTile(cTile, ldc, tile, biasTile, mode, transposed);
        bPanel += bPanelBytes;
        j0 = NR;
      } else {
        packASplat(ap, aRows, aRow, aCol, mr, kc);
      }
      if (mr == MR && j0 + NR <= n) {
        // The row's whole tiles in one call.
        const count = (n - j0) / NR;
        const cTile = c + <usize>i0 * cRow + <usize>j0 * cCol;
        const biasTile = biasPacked + <usize>i0 * biasRow + <usize>j0 * biasCol;
        const bTile = inPlace ? bFull + (<usize>j0 << 2) : bPanel;
        microkernel4x8(cTile, <usize>NR * cCol, ldc, ap, bTile, bStep, bTileStep, biasTile, <usize>NR * biasCol, kc, count, mode, transposed);
        bPanel += <usize>count * bPanelBytes;
        j0 += count * NR;
      }
      for (; j0 < n; j0 += NR) {
        const cTile = c + <usize>i0 * cRow + <usize>j0 * cCol;
        const biasTile = biasPacked + <usize>i0 * biasRow + <usize>j0 * biasCol;
        const nr = min32(NR, n - j0);
        // An edge tile. A last panel of at most 4 columns (n = 100 leaves 4, n = 10 leaves 2) runs
        // half the tile: the other 4 columns would be multiplies by the zero padding.
        if (nr <= 4) microkernel4x4(tile, ap, bPanel, kc);
        else if (inPlace && j0 < fullB) microkernel4x8(tile, 0, NR << 2, ap, bFull + (<usize>j0 << 2), bStep, bTileStep, 0, 0, kc, 1, STORE, false);
        else microkernel4x8(tile, 0, NR << 2, ap, bPanel, NR << 2, bPanelBytes, 0, 0, kc, 1, STORE, false);
        storeEdge(cTile, cRow, cCol, tile, biasTile, biasRow, biasCol, mr, nr, mode);
        bPanel += bPanelBytes;
      }
      aRows += aRow * MR;
    }
  }
}

export function f32_dense_fwd__simd(
  z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  // z is (batch, nOut), a is (batch, nIn), w is (nOut, nIn), b is (nOut)
  // z = a·wᵀ + b: B(k, j) = w[j][k], so the B panels are packed from w's rows.
  if (forwardByRowDots(nIn, nOut)) {
    denseForwardRowDots(z, a, w, b, scratch, batch, nIn, nOut);
    return;
  }
  const nInBytes = <usize>nIn << 2;
  gemm(z, a, w, b, scratch, nInBytes, 4, 4, nInBytes, nOut, batch, nOut, nIn, false, true);
}

// z = a·wᵀ + b with a the batch gathered from x's rows by number first (a[i] = x[rows[i]], rows:
// `batch` u32 row numbers, as f32_copy_rows leaves it): the first layer of a batch drawn from a data
// set. The row-dot forward gathers as it reads (denseForwardRowDots): each row is read from the data
// set once, by the product, instead of by a gather pass before it; a GEMM-shaped forward gathers
// first. The bits of f32_copy_rows then f32_dense_fwd either way, z and a alike.
export function f32_dense_fwd_gather__simd(
  z: usize, a: usize, x: usize, rows: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  // z is (batch, nOut), a is (batch, nIn), x is (·, nIn), rows is (batch) u32, w is (nOut, nIn), b is (nOut)
  if (forwardByRowDots(nIn, nOut)) {
    denseForwardRowDots(z, a, w, b, scratch, batch, nIn, nOut, x, rows);
    return;
  }
  f32_copy_rows(a, x, rows, batch, nIn);
  f32_dense_fwd__simd(z, a, w, b, scratch, batch, nIn, nOut);
}

export function f32_dense_bwd_input__simd(
  da: usize, dz: usize, w: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  // da is (batch, nIn), dz is (batch, nOut), w is (nOut, nIn)
  // da += dz·w: w is already [k][n].
  gemm(da, dz, w, 0, scratch, <usize>nOut << 2, 4, <usize>nIn << 2, 4, nIn, batch, nIn, nOut, true, false);
}

// The SIMD microkernel's tile: MR rows of C by NR columns. The threaded backend cuts a split
// product's batch rows at multiples of MR and a split ∂W's columns at multiples of NR
// (src/wasm/threads/threaded-kernels.ts), so no tile straddles two threads' parts; it reads both
// from here, the one place they are set.
export function dense_tile_rows__simd(): i32 {
  return MR;
}

export function dense_tile_cols__simd(): i32 {
  return NR;
}

// dw += dzᵀ·a, or with accumulate 0 dw = dzᵀ·a (weightsFolded: the bits of zeroing dw first, without
// the pass that zeroes it).
export function f32_dense_bwd_weights__simd(
  dw: usize, dz: usize, a: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, accumulate: i32,
): void {
  f32_dense_bwd_weights_cols__simd(dw, dz, a, scratch, batch, nIn, nOut, nIn, accumulate);
}

// A block of ∂W's columns: dw[:, j0 : j0 + cols] (+)= dzᵀ·a[:, j0 : j0 + cols], given dwCols = dw + j0
// and aCols = a + j0 (floats), rows nIn floats apart. Each element is the same sum over the batch in
// the same order as in the whole product (gemm's blocking never changes an element's sum), so
// threads that split ∂W by columns write exactly the one-thread bits, with no partial sums to add.
// From weightsFoldRow's batch on, the sum is (dw + P₀) + P₁ over the batch's two parts, which
// two threads reproduce by rows too (f32_dense_bwd_weights_rows__simd, then dw += P₁).
export function f32_dense_bwd_weights_cols__simd(
  dwCols: usize, dz: usize, aCols: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, cols: i32, accumulate: i32,
): void {
  // dw is (nOut, nIn), dz is (batch, nOut), a is (batch, nIn)
  weightsFolded(gemm, dwCols, dz, aCols, scratch, batch, nIn, nOut, cols, accumulate != 0);
}

// One part of ∂W's fold (weightsFoldRow): dw (+)= dzᵀ·a over `rows` rows of dz and a in gemm's K
// blocks (one for the fold's second part), added to dw (accumulate) or written over it (from zero). The two-thread backend runs the part
// over rows [0, h) into dw on the main thread and the one over [h, batch) into a buffer of the
// worker's own, then adds that buffer to dw (f32_axpy__simd with α = 1: dw + P₁, the bits of the
// one-thread fold's last K block, which adds its sums to dw).
export function f32_dense_bwd_weights_rows__simd(
  dw: usize, dz: usize, a: usize, scratch: usize, rows: i32, nIn: i32, nOut: i32, accumulate: i32,
): void {
  // dw is (nOut, nIn), dz is (rows, nOut), a is (rows, nIn)
  weightsOverRows(gemm, dw, dz, a, scratch, rows, nIn, nOut, nIn, accumulate != 0);
}

export function f32_dense_bwd_bias__simd(db: usize, dz: usize, batch: i32, nOut: i32): void {
  // db is (nOut), dz is (batch, nOut)
  // Column sums: 16 columns at a time, so four independent chains hide the add latency.
  const row = <usize>nOut << 2;
  let j = 0;
  for (; j + 16 <= nOut; j += 16) {
    let s = dz + (<usize>j << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let i = 0; i < batch; i++) {
      s0 = f32x4.add(s0, v128.load(s));
      s1 = f32x4.add(s1, v128.load(s, 16));
      s2 = f32x4.add(s2, v128.load(s, 32));
      s3 = f32x4.add(s3, v128.load(s, 48));
      s += row;
    }
    const d = db + (<usize>j << 2);
    v128.store(d, f32x4.add(v128.load(d), s0));
    v128.store(d, f32x4.add(v128.load(d, 16), s1), 16);
    v128.store(d, f32x4.add(v128.load(d, 32), s2), 32);
    v128.store(d, f32x4.add(v128.load(d, 48), s3), 48);
  }
  for (; j + 4 <= nOut; j += 4) {
    let s = dz + (<usize>j << 2);
    let s0 = f32x4.splat(0);
    for (let i = 0; i < batch; i++) {
      s0 = f32x4.add(s0, v128.load(s));
      s += row;
    }
    const d = db + (<usize>j << 2);
    v128.store(d, f32x4.add(v128.load(d), s0));
  }
  for (; j < nOut; j++) {
    let s = dz + (<usize>j << 2);
    let s0: f32 = 0;
    for (let i = 0; i < batch; i++) {
      s0 += load<f32>(s);
      s += row;
    }
    const d = db + (<usize>j << 2);
    store<f32>(d, load<f32>(d) + s0);
  }
}

export function f32_gemm__simd(
  c: usize, a: usize, b: usize, scratch: usize, m: i32, n: i32, k: i32, accumulate: i32,
): void {
  // c is (m, n), a is (m, k), b is (k, n)
  gemm(c, a, b, 0, scratch, <usize>k << 2, 4, <usize>n << 2, 4, n, m, n, k, accumulate != 0, false);
}

// The probe `binary: 'fastest'` times (src/wasm/calibrate.ts): `reps` runs of the 4×8 microkernel
// over one packed A panel (ap: kc × 4 broadcast f32x4) and one B panel (bp: kc × 8 floats), the
// tile stored to c (4 rows of 8 floats). The microkernel's madd is the only code in which the SIMD
// binaries differ (madd.simd.ts), and this one small function reaches the engine's optimising tier
// in one step, where a whole product waits for several (its packing, edge and store functions tier
// up one by one: 1.4× and 1.2× plateaus of ~10 rounds each were measured on the way). Returns the
// floating-point operations performed.
export function f32_microkernel_rounds(c: usize, ap: usize, bp: usize, kc: i32, reps: i32): f64 {
  for (let r = 0; r < reps; r++) microkernel4x8(c, 0, NR << 2, ap, bp, NR << 2, <usize>kc << 5, 0, 0, kc, 1, STORE, false);
  return <f64>reps * <f64>kc * <f64>(MR * NR * 2);
}
