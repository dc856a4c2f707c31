// Packing shared by the SIMD and the scalar GEMM drivers (dense.simd.ts, dense.scalar.ts), and the
// scratch sizes they need.
//
// Every dense product is one GEMM, C[m][n] (+)= A[m][k]·B[k][n], whose operands are read through
// byte strides, so a transposed operand (wᵀ in the forward pass, dzᵀ for the weight gradient)
// costs nothing extra: it is transposed while it is packed. For each K block the scalar driver packs
// both operands, the SIMD driver A and every B it does not read in place (see below):
//   B: all of it, as panels of nr columns stored [kc][nr]   (one row of a panel per step of k),
//   A: one panel of MR rows at a time, stored [kc][MR]       (the SIMD driver stores each value
//      already broadcast to an f32x4: [kc][MR][4], see dense.simd.ts),
// (the SIMD driver packs A in the first tile of each row of tiles while it computes; B, where it is
// read as is, it reads in place, or, where B's rows lie a multiple of 256 bytes apart, packs in the
// first row of tiles (dense.simd.ts readsBInPlace); it may also swap the roles of A and B:
// swapsRoles) then run the microkernel over every tile of that row of C: the A panel stays in L1, the B block
// in L2. A B block past B_BLOCK_BYTES is split over C's columns (columnChunk), so it stays in the L2
// beside the rows of C being stored: the 256×784→100 ∂W product (dw = dzᵀ·a, a B block of 784 KiB)
// ran 1.025× faster as two chunks, 1024×784→100's 1.03×, 256×784→512's 1.015× (AMD EPYC Zen 5,
// 2026-12-01). Rows and columns past the edge of the matrix are packed as zeros,
// so the microkernel always runs a full tile without reading outside the arrays; only the stores
// of an edge tile are clipped.
//
// Some forward products skip the GEMM for dot products of rows (forwardByRowDots, below;
// row-dots.simd.ts). No v128 here: this file is compiled into the scalar binary too (through
// common.ts).

/** Rows of C per microkernel tile (both variants). */
export const MR: i32 = 4;
/** Columns of C per tile in the SIMD microkernel (2 × f32x4); the scalar one uses 2. */
export const NR: i32 = 8;
/**
 * Largest K block. At 384 the SIMD A panel (24 KiB, broadcast) and the B panel being read
 * (12 KiB) share the 48 KiB L1; 384 measured a little faster than 256 or 512.
 */
export const KC: i32 = 384;

/** Bytes of the tile buffer at the start of the scratch: one MR×NR tile for clipped edge stores. */
export const TILE_BYTES: i32 = MR * NR * 4;
/** The scratch may be only 4-byte aligned; it is rounded up to a cache line inside. */
const ALIGN_SLACK: i32 = 60;

@inline
export function roundUp(x: i32, multiple: i32): i32 {
  return ((x + multiple - 1) / multiple) * multiple;
}

@inline
export function min32(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/**
 * `p` with the low bits its alignment makes zero cleared (`alignment`: a power of two `p` is a
 * multiple of): the same pointer, but V8 then knows the upper half of its 64-bit register is zero.
 * A pointer that steps through a microkernel's loop starting from a plain argument is otherwise
 * zero-extended again (a movl) each time the loop uses it as an address: 2 of the dense
 * microkernels' 30 or 31 instructions a step, where the flat peak loop of then ran 27 (V8 11.3,
 * Node 20; the nested one of peak.common.ts runs 26.5).
 */
@inline
export function knownAligned(p: usize, alignment: usize): usize {
  return p & ~(alignment - 1);
}

/** Alignment of the packed panels in the scratch, whose base alignScratch rounds up to 64 bytes. */
export const PANEL_ALIGN: usize = 16;
/** Alignment of any float the kernels are given (a tensor may start at any 4-byte boundary). */
export const FLOAT_ALIGN: usize = 4;

/** The scratch base rounded up to a 64-byte cache line (ALIGN_SLACK bytes are declared for this). */
@inline
export function alignScratch(scratch: usize): usize {
  return (scratch + 63) & ~(<usize>63);
}

// Scratch layout, from the aligned base (kc = min(k, KC), the deepest block kBlock can give):
//   tile   TILE_BYTES
//   bias   roundUp(n, NR) floats (zero padded, so the SIMD epilogue loads whole vectors)
//   A      one panel, MR·kc·A_SPLAT floats: packed just before its row of tiles runs, so it is
//          still in L1. The SIMD driver stores every A value already broadcast to an f32x4 (see
//          dense.simd.ts); the scalar one uses the first quarter.
//   B      roundUp(packedCols(m, n), NR)·kc floats, last because its size varies
/** Floats per packed A value in the SIMD layout. */
export const A_SPLAT: i32 = 4;

/**
 * Most rows of C per chunk when the SIMD driver swaps the roles of A and B (swapsRoles): the B
 * block then holds the chunk's rows as its columns (256 × KC floats = 384 KiB, under half the L2
 * of a Zen 5 core); 512 rows as one chunk ran no faster than as two.
 */
export const SWAP_MAX_ROWS: i32 = 256;

/** Rows of C per swapped chunk: m in equal parts of at most SWAP_MAX_ROWS, rounded up to NR. */
export function swapChunkRows(m: i32): i32 {
  const parts = ceilDiv(m, SWAP_MAX_ROWS);
  return min32(m, roundUp(ceilDiv(m, parts), NR));
}

/**
 * Whether the SIMD driver computes C = A·B as Cᵀ = Bᵀ·Aᵀ (the same microkernel with the operands
 * exchanged, each tile stored transposed), chunk by chunk of C's rows. Every element is the same
 * sum in the same order, so the bits do not change; only the cost does. It swaps when a chunk then
 * runs fewer MR×NR tiles (padding included), or as many with A then the operand with fewer rows,
 * which is packed broadcast (4 floats stored per value): the layer products with 100 or 10 outputs
 * (n = 100 leaves a half panel, n = 10 leaves most of two empty) run as 25 or 3 rows of whole tiles
 * over the batch instead.
 */
export function swapsRoles(m: i32, n: i32): bool {
  const rows = swapChunkRows(m);
  const tiles = ceilDiv(rows, MR) * ceilDiv(n, NR);
  const swapped = ceilDiv(n, MR) * ceilDiv(rows, NR);
  return swapped < tiles || (swapped == tiles && rows > n);
}

@inline
function ceilDiv(x: i32, d: i32): i32 {
  return (x + d - 1) / d;
}

/**
 * Most bytes of a B block (kc rows of a chunk of C's columns): half the 1 MiB L2 of a Zen 5 core,
 * so C's rows and the A panels fit beside it. 384 and 256 KiB (three and four chunks of
 * 256×784→100's ∂W) ran no faster than 512 (two; AMD EPYC Zen 5, 2026-12-01), and 512³'s 512 KiB
 * stays one block.
 */
export const B_BLOCK_BYTES: i32 = 512 * 1024;

/**
 * Columns of C per chunk when not swapped: n in equal parts whose B block (kc deep) fits
 * B_BLOCK_BYTES, rounded up to NR. Each element is still one sum over k in the same order, so the
 * chunks change no bits.
 */
export function columnChunk(n: i32, kc: i32): i32 {
  const parts = ceilDiv(n * kc * 4, B_BLOCK_BYTES);
  return min32(n, roundUp(ceilDiv(n, parts), NR));
}

/** Columns of the B block for any product of at most m rows of n columns (the threads split m). */
function packedCols(m: i32, n: i32): i32 {
  const swapped = min32(m, SWAP_MAX_ROWS);
  return n > swapped ? n : swapped;
}

function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  if (m <= 0 || n <= 0) return 0;
  const kc = k < 1 ? 1 : min32(k, KC);
  return ALIGN_SLACK + TILE_BYTES + (roundUp(n, NR) + MR * kc * A_SPLAT + roundUp(packedCols(m, n), NR) * kc) * 4;
}

/** Bytes of scratch f32_gemm needs for c[m][n] (+)= a[m][k]·b[k][n]. */
export function gemm_scratch_bytes(m: i32, n: i32, k: i32): i32 {
  return gemmScratchBytes(m, n, k);
}

/**
 * Whether the forward product z = a·wᵀ + b runs as dot products of a's rows with w's rows
 * (row-dots.simd.ts, row-dots.scalar.ts) instead of the GEMM: a layer of at most 12 outputs (the
 * GEMM's 8-column tiles would be mostly padding), or one of at least 512 inputs whose w fits in
 * half the L2 (the dot products stream it once per 4 batch rows; a long K keeps their per-tile
 * sums cheap). Measured per shape on an AMD EPYC (Zen 5), 30 Nov 2026: the dot products ran
 * 64×784→100 1.09×, 256×784→100 1.09×, 256×100→10 1.16×, 256×784→128 1.06× faster, and 256×100→100
 * 0.91×, 256×784→200 0.98×, 512³ 0.98×, 256×100→16 0.92× (so those stay GEMMs). Sizes only, never the
 * batch: a row's outputs must not depend on how many rows come with it (threads split the batch).
 */
export function forwardByRowDots(nIn: i32, nOut: i32): bool {
  return nOut <= 12 || (nIn >= 512 && <i64>nIn * nOut <= 131072);
}

/** Bytes at the aligned scratch base for the row-dot forward's 4×2 edge tile and its bias pair (the a panel follows). */
export const ROW_DOTS_TILE_BYTES: i32 = 64;

/** Floats of the row-dot forward's scratch after the tile: four rows of a, interleaved [⌈nIn/4⌉][4][4]. */
@inline
export function rowDotsPanelFloats(nIn: i32): i32 {
  return roundUp(nIn, 4) * MR;
}

/**
 * Fewest batch rows for which the SIMD row-dot forward packs w's output pairs (row-dots.simd.ts):
 * the packing group runs three instructions a step more than plain dot4x2 (two stores and a
 * pointer), each later group one fewer, so eight groups of four gain and two lose: 8×784→100 ran
 * 0.568 → 0.601 M instructions packed, 64×784→100 4.478 → 4.440 M (valgrind, bench/instructions.ts).
 */
export const ROW_DOTS_PAIRS_MIN_BATCH: i32 = 32;

/** Whether the SIMD row-dot forward packs w's output pairs for the groups of four rows after the first. */
@inline
export function rowDotsPackPairs(batch: i32): bool {
  return batch >= ROW_DOTS_PAIRS_MIN_BATCH;
}

/**
 * Floats of the row-dot forward's packed w pairs, after its a panel: the output pairs after the first
 * (the first group's first pair reads w itself), each [⌈nIn/4⌉][2][4], zero-padded past nIn.
 */
@inline
export function rowDotsPairsFloats(batch: i32, nIn: i32, nOut: i32): i32 {
  const pairs = (nOut - 2) >> 1;
  return rowDotsPackPairs(batch) && pairs > 0 ? pairs * roundUp(nIn, 4) * 2 : 0;
}

/**
 * Terms of the row-dot forward's lane l (k ≡ l mod 4, k < nIn). The scalar twin runs each lane as a
 * GEMM of that many steps of k, which must be one K block (≤ KC) to sum them in the SIMD lane's order.
 */
@inline
export function laneTerms(nIn: i32, l: i32): i32 {
  return (nIn - l + 3) >> 2;
}

/** Whether the scalar twin's lanes fit one K block each (laneTerms ≤ KC: nIn ≤ 1,536); else it goes output by output. */
@inline
export function lanesAsGemms(nIn: i32): bool {
  return laneTerms(nIn, 0) <= KC;
}

/** Most batch rows the scalar twin's lanes take at a time (their two sums are LANE_ROWS × nOut floats each). */
export const LANE_ROWS: i32 = 256;

/**
 * Bytes of scratch the row-dot forward needs: for the SIMD twin a 4×2 tile with its bias pair, the
 * a panel and the packed w pairs; for the scalar one, one lane's GEMM scratch and two sums of
 * LANE_ROWS × nOut floats.
 */
function rowDotsScratchBytes(batch: i32, nIn: i32, nOut: i32): i32 {
  const simd = ALIGN_SLACK + ROW_DOTS_TILE_BYTES + (rowDotsPanelFloats(nIn) + rowDotsPairsFloats(batch, nIn, nOut)) * 4;
  if (!lanesAsGemms(nIn)) return simd;
  const rows = min32(batch, LANE_ROWS);
  const scalar = gemmScratchBytes(rows, nOut, laneTerms(nIn, 0)) + 2 * rows * nOut * 4;
  return simd > scalar ? simd : scalar;
}

/** Bytes of scratch every dense kernel needs for a layer of these sizes: the largest of its three products. */
export function dense_scratch_bytes(batch: i32, nIn: i32, nOut: i32): i32 {
  const forward = forwardByRowDots(nIn, nOut) ? rowDotsScratchBytes(batch, nIn, nOut) : gemmScratchBytes(batch, nOut, nIn); // z = a·wᵀ
  const backwardInput = gemmScratchBytes(batch, nIn, nOut); // da = dz·w
  const backwardWeights = gemmScratchBytes(nOut, nIn, batch); // dw = dzᵀ·a
  const larger = forward > backwardInput ? forward : backwardInput;
  return larger > backwardWeights ? larger : backwardWeights;
}

/** Where the pieces of the scratch start: the tile, the bias (n = C's columns), the A panel, the B block. */
@inline
export function tileOf(base: usize): usize {
  return base;
}
@inline
export function biasOf(base: usize): usize {
  return base + TILE_BYTES;
}
@inline
export function packedAOf(base: usize, n: i32): usize {
  return biasOf(base) + (<usize>roundUp(n, NR) << 2);
}
@inline
export function packedBOf(base: usize, n: i32, kc: i32): usize {
  return packedAOf(base, n) + (<usize>(MR * kc * A_SPLAT) << 2);
}

/** bias[0..nPad) = b[0..n), then zeros. */
export function packBias(dst: usize, b: usize, n: i32): void {
  const nPad = roundUp(n, NR);
  memory.copy(dst, b, <usize>n << 2);
  memory.fill(dst + (<usize>n << 2), 0, <usize>(nPad - n) << 2);
}

/**
 * One A panel: A(r, p) = src[r·rowStride + p·colStride] (strides in bytes), r < rows ≤ MR,
 * p < kc, stored [kc][MR]; rows past `rows` are zeros. (The scalar layout; the SIMD driver packs
 * its own, pre-broadcast one.)
 */
export function packA(dst: usize, src: usize, rowStride: usize, colStride: usize, rows: i32, kc: i32): void {
  if (rows == MR) {
    // One step of k gathers one float from each of the four rows.
    const r1 = rowStride, r2 = rowStride * 2, r3 = rowStride * 3;
    for (let p = 0; p < kc; p++) {
      const x0 = load<u32>(src), x1 = load<u32>(src + r1), x2 = load<u32>(src + r2), x3 = load<u32>(src + r3);
      store<u32>(dst, x0);
      store<u32>(dst, x1, 4);
      store<u32>(dst, x2, 8);
      store<u32>(dst, x3, 12);
      src += colStride;
      dst += 16;
    }
    return;
  }
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      store<u32>(dst + (<usize>r << 2), r < rows ? load<u32>(src + <usize>r * rowStride) : 0);
    }
    src += colStride;
    dst += 16;
  }
}

/**
 * One B panel: B(p, j) = src[p·kStride + j·colStride] (strides in bytes), j < cols ≤ nr, p < kc,
 * stored [kc][nr]; columns past `cols` are zeros.
 */
export function packBPanel(d: usize, s: usize, kStride: usize, colStride: usize, cols: i32, kc: i32, nr: i32): void {
  const rowBytes = <usize>nr << 2;
  if (cols < nr) {
    for (let p = 0; p < kc; p++) {
      for (let j = 0; j < nr; j++) {
        store<u32>(d + (<usize>j << 2), j < cols ? load<u32>(s + <usize>j * colStride) : 0);
      }
      s += kStride;
      d += rowBytes;
    }
  } else if (colStride == 4) {
    // Columns are consecutive (B read as is): each step of k copies nr (even) floats, 8 bytes at a time.
    for (let p = 0; p < kc; p++) {
      for (let j: usize = 0; j < rowBytes; j += 8) store<u64>(d + j, load<u64>(s + j));
      s += kStride;
      d += rowBytes;
    }
  } else {
    // Transposed source (wᵀ): each column is a contiguous source row, read in order.
    for (let j = 0; j < nr; j++) {
      let sj = s + <usize>j * colStride;
      let dj = d + (<usize>j << 2);
      for (let p = 0; p < kc; p++) {
        store<u32>(dj, load<u32>(sj));
        sj += kStride;
        dj += rowBytes;
      }
    }
  }
}

/**
 * The B block: B(k, j) = src[k·kStride + j·colStride] (strides in bytes), columns [0, n), k in
 * [k0, k0 + kc), as panels of nr columns, panel after panel.
 */
export function packB(dst: usize, src: usize, kStride: usize, colStride: usize, n: i32, k0: i32, kc: i32, nr: i32): void {
  const s = src + <usize>k0 * kStride;
  for (let j0 = 0; j0 < n; j0 += nr) {
    packBPanel(dst + (<usize>(j0 * kc) << 2), s + <usize>j0 * colStride, kStride, colStride, min32(nr, n - j0), kc, nr);
  }
}

/**
 * Fewest batch rows from which ∂W = dzᵀ·a is summed as two parts (weightsFoldRow), which two threads
 * then split by batch rows (src/wasm/threads/threaded-kernels.ts); below it they split ∂W by its
 * columns (each thread the whole sum over the batch for its columns), and one thread pays no extra
 * pass over ∂W for a fold no thread uses. Moving it moves one thread's bits at the batches between
 * (the fold orders the sum), so it stayed at 128 when the threads' least rows went from 64 to 20.
 */
export const FOLD_MIN_BATCH: i32 = 128;

/**
 * Where ∂W's sum over the batch is cut in two, or 0 where it is not: both wasm variants compute
 * dw += dzᵀ·a as dw = (dw + P₀) + P₁, P₀ the sum over rows [0, h) and P₁ over [h, batch), each in
 * its own K blocks, so that two threads can compute P₀ into dw and P₁ apart (from zero, one K
 * block) and add P₁ after, with one thread's bits. h is the two-thread row split's cut
 * (threaded-kernels.ts' rowStart(1, batch): half the batch rounded up to MR rows), from
 * FOLD_MIN_BATCH rows on, and only where P₁ is one K block (batch − h ≤ KC): a P₁ of several blocks
 * would be summed block by block into dw on one thread but apart on the second.
 *
 * What one thread pays for the fold (a second gemm call over the batch's second part), measured
 * against one sum over every row (f32_dense_bwd_weights_rows over the whole batch, the pre-fold
 * kernel's gemm call), alternated in one process, 40 rounds of 40 calls (scalar 25 of 8), per-round
 * ratio fold / one sum, median (middle half) (AMD EPYC Zen 5, 2026-12-04 15:28–15:32, load 8.1 → 4.7;
 * /tmp/mendB30/fold.mts, not kept): simd 128×784→100 1.008 (0.952–1.027), 256×784→100 0.999
 * (0.978–1.009); relaxed 1.000 (0.940–1.040) and 1.001 (0.975–1.096); scalar 1.025 (0.991–1.069)
 * and 1.002 (0.978–1.033): within the rounds' spread on every binary. The scalar binary never runs
 * threads and gains nothing from the fold; it keeps it because test/kernels/dense.test.ts holds the
 * scalar and simd ∂W to the same bits.
 */
export function weightsFoldRow(batch: i32): i32 {
  if (batch < FOLD_MIN_BATCH) return 0;
  const h = roundUp(ceilDiv(batch, 2), MR);
  return batch - h <= KC ? h : 0;
}

/**
 * A GEMM driver as each binary defines its own (dense.simd.ts, dense.scalar.ts, the same signature):
 * C (+)= A·B + bias with A, B read through byte strides, C's rows ldc floats apart.
 */
export type Gemm = (
  c: usize, a: usize, b: usize, bias: usize, scratch: usize,
  aRow: usize, aCol: usize, bRow: usize, bCol: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, hasBias: bool,
) => void;

/**
 * One part of ∂W's fold on a binary's `gemm`: dw[:, cols] (+)= dzᵀ·a[:, cols] over `rows` rows
 * (dw and a's rows nIn floats apart), added to dw (accumulate) or written over it, in gemm's K
 * blocks: A(i, k) = dz[k][i], packed four consecutive floats of a dz row at a time.
 */
export function weightsOverRows(gemm: Gemm, dw: usize, dz: usize, a: usize, scratch: usize, rows: i32, nIn: i32, nOut: i32, cols: i32, accumulate: bool): void {
  gemm(dw, dz, a, 0, scratch, 4, <usize>nOut << 2, <usize>nIn << 2, 4, nIn, nOut, cols, rows, accumulate, false);
}

/**
 * dw[:, j0 : j0 + cols] += dzᵀ·a[:, j0 : j0 + cols] over the whole batch on a binary's `gemm`
 * (dwCols = dw + j0, aCols = a + j0 in floats): one sum, or from weightsFoldRow's batch on the
 * fold (dw + P₀) + P₁, each part in its own K blocks. Both binaries' ∂W kernels run it, so the
 * scalar and the SIMD ∂W fold at the same row. Not `accumulate`: the first part is written over
 * dw instead of added to it, the bits of zeroing dw first (each sum starts at +0 and only adds, so
 * no sum is −0, and 0 + x is x for every other x) without the pass that zeroes it.
 */
export function weightsFolded(gemm: Gemm, dwCols: usize, dz: usize, aCols: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, cols: i32, accumulate: bool): void {
  const h = weightsFoldRow(batch);
  weightsOverRows(gemm, dwCols, dz, aCols, scratch, h == 0 ? batch : h, nIn, nOut, cols, accumulate);
  if (h == 0) return;
  weightsOverRows(gemm, dwCols, dz + (<usize>(h * nOut) << 2), aCols + (<usize>(h * nIn) << 2), scratch, batch - h, nIn, nOut, cols, true);
}

/**
 * Depth of the K blocks: K split into equal blocks of at most KC (784 → 3 × 262, not
 * 2 × 384 + 16: a thin last block would pay the packing and call overhead for little work).
 */
@inline
export function kBlock(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return (k + blocks - 1) / blocks;
}
