// z = a·wᵀ + b by row dot products on f32x4 (when and why: dot.pack.ts). A 2×4 tile of z keeps
// 8 accumulators, one per output, each holding four partial sums (lane l: k ≡ l mod 4); each step
// loads four floats of k from two rows of a and four rows of w (6 loads, 8 mul, 8 add: the
// instruction mix of the in-run peak, with no broadcast and no shuffle), and the tile folds its
// lanes once, at the end.

import { madd } from './madd';
import { alignScratch, min32 } from './gemm.pack';
import {
  DOT_ROWS, DOT_COLS, dotDepth, dotBlockRows, dotTileOf, dotBiasOf, dotPackedWOf, dotPackedAOf,
} from './dot.pack';

// [s0, s1, s2, s3] → [Σ s0, Σ s1, Σ s2, Σ s3], each summed as (lane 0 + lane 2) + (lane 1 + lane 3).
@inline
function foldLanes(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const u0 = f32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const u1 = f32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(u0, u1, 0, 1, 4, 5), i32x4.shuffle(u0, u1, 2, 3, 6, 7));
}

// z: `pairs` 2×4 tiles, one under the other (row stride ldz bytes); ap: as many row pairs
// [depth/4][2][4], one after the other; wp: the w quad [depth/4][4][4] they all meet; bias: 4
// floats. One pointer per operand, advanced by constant offsets: a tile that reads its rows where
// they lie (six address streams) runs a fifth slower. The loop over pairs is in here, not in the
// caller: a call per tile cost ~1 % of the product at 784 → 100.
function dot2x4(z: usize, ldz: usize, ap: usize, wp: usize, bias: usize, depth: i32, pairs: i32): void {
  const b = v128.load(bias);
  const wEnd = wp + (<usize>depth << 4);
  const zEnd = z + <usize>pairs * (ldz << 1);
  for (; z < zEnd; z += ldz << 1) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
    // The w pointer doubles as the loop counter; ap runs on into the next pair.
    for (let y0 = wp; y0 < wEnd; y0 += 64) {
      const x0 = v128.load(ap), x1 = v128.load(ap, 16);
      let y = v128.load(y0);
      c00 = madd(c00, x0, y);
      c10 = madd(c10, x1, y);
      y = v128.load(y0, 16);
      c01 = madd(c01, x0, y);
      c11 = madd(c11, x1, y);
      y = v128.load(y0, 32);
      c02 = madd(c02, x0, y);
      c12 = madd(c12, x1, y);
      y = v128.load(y0, 48);
      c03 = madd(c03, x0, y);
      c13 = madd(c13, x1, y);
      ap += 32;
    }
    v128.store(z, f32x4.add(foldLanes(c00, c01, c02, c03), b));
    v128.store(z + ldz, f32x4.add(foldLanes(c10, c11, c12, c13), b));
  }
}

// `rows` (≤ stride) rows of k floats from src (row stride ld bytes), interleaved four floats at a
// time as [depth/4][stride][4]; rows past `rows` and floats past k are zeros.
function packInterleaved(dst: usize, src: usize, ld: usize, rows: i32, stride: i32, k: i32): void {
  const step = <usize>stride << 4;
  const whole = k & ~3;
  if (rows == stride) {
    // Every row present: one vector per row and step, written in order.
    const end = src + (<usize>whole << 2);
    let s = src, d = dst;
    if (stride == 2) {
      for (; s < end; s += 16, d += step) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s + ld), 16);
      }
    } else {
      const ld2 = ld * 2, ld3 = ld * 3;
      for (; s < end; s += 16, d += step) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s + ld), 16);
        v128.store(d, v128.load(s + ld2), 32);
        v128.store(d, v128.load(s + ld3), 48);
      }
    }
  } else {
    for (let p = 0; p < whole; p += 4) {
      const d = dst + <usize>(p >> 2) * step;
      for (let r = 0; r < stride; r++) {
        v128.store(d + (<usize>r << 4), r < rows ? v128.load(src + <usize>r * ld + (<usize>p << 2)) : f32x4.splat(0));
      }
    }
  }
  if (whole < k) {
    const d = dst + <usize>(whole >> 2) * step;
    for (let r = 0; r < stride; r++) {
      for (let q = 0; q < 4; q++) {
        const p = whole + q;
        const v: f32 = r < rows && p < k ? load<f32>(src + <usize>r * ld + (<usize>p << 2)) : 0;
        store<f32>(d + (<usize>((r << 2) + q) << 2), v);
      }
    }
  }
}

/** z[batch][nOut] = a[batch][nIn]·w[nOut][nIn]ᵀ + b, for nIn ≥ 1 and batch, nOut ≥ 1. */
export function denseForwardByDots(
  z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  const base = alignScratch(scratch);
  const tile = dotTileOf(base, batch, nIn), biasEdge = dotBiasOf(base, batch, nIn);
  const wp = dotPackedWOf(base), ap = dotPackedAOf(base, nIn);
  const depth = dotDepth(nIn);
  const blockRows = dotBlockRows(batch, nIn);
  const ld = <usize>nIn << 2, ldz = <usize>nOut << 2;
  const pairBytes = <usize>(DOT_ROWS * depth) << 2;
  for (let i0 = 0; i0 < batch; i0 += blockRows) {
    const rows = min32(blockRows, batch - i0);
    for (let p = 0; p < rows; p += DOT_ROWS) {
      packInterleaved(ap + <usize>(p >> 1) * pairBytes, a + <usize>(i0 + p) * ld, ld, min32(DOT_ROWS, rows - p), DOT_ROWS, nIn);
    }
    for (let j0 = 0; j0 < nOut; j0 += DOT_COLS) {
      const cols = min32(DOT_COLS, nOut - j0);
      packInterleaved(wp, w + <usize>j0 * ld, ld, cols, DOT_COLS, nIn);
      let bias = b + (<usize>j0 << 2);
      if (cols < DOT_COLS) {
        memory.copy(biasEdge, bias, <usize>cols << 2);
        memory.fill(biasEdge + (<usize>cols << 2), 0, <usize>(DOT_COLS - cols) << 2);
        bias = biasEdge;
      }
      // Whole tiles straight into z, then (an odd last row, or fewer than 4 columns) edge tiles
      // computed whole into the tile buffer, their corner inside z copied out.
      const zCols = z + <usize>i0 * ldz + (<usize>j0 << 2);
      const wholePairs = cols == DOT_COLS ? rows >> 1 : 0;
      if (wholePairs > 0) dot2x4(zCols, ldz, ap, wp, bias, depth, wholePairs);
      for (let p = wholePairs << 1; p < rows; p += DOT_ROWS) {
        dot2x4(tile, <usize>DOT_COLS << 2, ap + <usize>(p >> 1) * pairBytes, wp, bias, depth, 1);
        const zRows = zCols + <usize>p * ldz;
        for (let r = 0; r < min32(DOT_ROWS, rows - p); r++) {
          memory.copy(zRows + <usize>r * ldz, tile + (<usize>(r * DOT_COLS) << 2), <usize>cols << 2);
        }
      }
    }
  }
}
