// The forward product z = a·wᵀ + b by row dot products, for layers whose output is narrow and whose
// input is long (MNIST's first layer, 784 → 100): when and how, shared by the SIMD and the scalar
// drivers (dot.simd.ts, dot.scalar.ts). No v128 here: this file is compiled into the scalar binary.
//
// Why not the GEMM (dense.simd.ts) there: its A operand (the activations) is packed pre-broadcast,
// one f32x4 per float, and each packed A value is used by only nOut / 8 tiles (12.5 at nOut = 100),
// so the packing stores, the transposed packing of w and the half-empty last panel of 100 columns
// took 17 % of the product's time (83 % of the in-run peak). Both operands of z = a·wᵀ are read
// along k, so the dot form multiplies them as they lie: four lanes of k at a time, no broadcast
// and no transpose. Each output is summed as four partial sums, lane l over k ≡ l (mod 4) in
// ascending k, then (s0 + s2) + (s1 + s3), then + b; the scalar driver sums in that order too.
//
// The SIMD driver still copies its operands into one stream each (a tile that reads two rows of
// a or four rows of w where they lie runs at 72–78 % of peak instead of 94 %): a block of rows of
// a as interleaved pairs [k/4][2][4], and four rows of w at a time as [k/4][4][4], each zero padded
// to a whole vector of k (0·0 added to a partial sum that started at +0 leaves it unchanged).

import { ALIGN_SLACK, roundUp } from './gemm.pack';

/** Rows of z per dot tile (SIMD); the pairs of a rows are interleaved in the packed block. */
export const DOT_ROWS: i32 = 2;
/** Columns of z per dot tile (SIMD): four rows of w. */
export const DOT_COLS: i32 = 4;
/** Floats of k per step of the dot tile (one f32x4). */
export const DOT_LANES: i32 = 4;
/**
 * Bytes of packed a per block (rows of a are packed a block at a time, each block then meeting
 * every quad of w rows): 256 KiB stays in this EPYC's 1 MiB L2 beside w. 64 rows of 784 (200 KiB)
 * are one block.
 */
const DOT_A_BLOCK_BYTES: i32 = 256 << 10;

/**
 * Whether the forward product of a layer nIn → nOut runs as row dots (else as the GEMM). It depends
 * on the layer only, never on the batch, so a batch split across threads rounds as one call does.
 * The dot tile sums its partials once per output (12 shuffles and adds per 2×4 tile), so it wants a
 * long k; the GEMM packs a pre-broadcast, which pays only when many column panels reuse it.
 */
export function forwardByDots(nIn: i32, nOut: i32): bool {
  return nIn >= 256 && nOut < 128;
}

/** k rounded up to whole vectors: the length of every packed row. */
@inline
export function dotDepth(nIn: i32): i32 {
  return roundUp(nIn, DOT_LANES);
}

/** Rows of a per packed block (even, at least one pair). */
export function dotBlockRows(batch: i32, nIn: i32): i32 {
  const fit = (DOT_A_BLOCK_BYTES / (dotDepth(nIn) << 2)) & ~(DOT_ROWS - 1);
  const rows = roundUp(batch, DOT_ROWS);
  return fit < DOT_ROWS ? DOT_ROWS : fit < rows ? fit : rows;
}

// Scratch layout, from the base rounded up to a cache line (w and a first: every row of them is a
// whole number of cache lines, so each step of the tile reads whole lines, not two halves):
//   w      DOT_COLS × dotDepth floats
//   a      dotBlockRows × dotDepth floats
//   tile   DOT_ROWS × DOT_COLS floats (an edge tile, stored clipped from here)
//   bias   DOT_COLS floats (the last bias quad, zero padded)
const TILE_FLOATS: i32 = DOT_ROWS * DOT_COLS;

export function dotScratchBytes(batch: i32, nIn: i32): i32 {
  if (batch <= 0) return 0;
  return ALIGN_SLACK + ((DOT_COLS + dotBlockRows(batch, nIn)) * dotDepth(nIn) + TILE_FLOATS + DOT_COLS) * 4;
}

@inline
export function dotPackedWOf(base: usize): usize {
  return base;
}
@inline
export function dotPackedAOf(base: usize, nIn: i32): usize {
  return base + (<usize>(DOT_COLS * dotDepth(nIn)) << 2);
}
@inline
export function dotTileOf(base: usize, batch: i32, nIn: i32): usize {
  return dotPackedAOf(base, nIn) + (<usize>(dotBlockRows(batch, nIn) * dotDepth(nIn)) << 2);
}
@inline
export function dotBiasOf(base: usize, batch: i32, nIn: i32): usize {
  return dotTileOf(base, batch, nIn) + (<usize>TILE_FLOATS << 2);
}
