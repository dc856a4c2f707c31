// z = a·wᵀ + b by row dot products on scalar f32, the twin of dot.simd.ts (when and why:
// dot.pack.ts), summed in the same order so both give the same bits: four partial sums per output
// (sum l over k ≡ l mod 4, k ascending), then (s0 + s2) + (s1 + s3), then + b. The operands are
// read where they lie (no packing): a 1×2 tile of z, 8 accumulators.
// No v128 anywhere: this file is compiled into the scalar binary.

import { alignScratch } from './gemm.pack';
import { dotTileOf, dotBiasOf } from './dot.pack';

// The four partial sums of one output, folded as the SIMD tile folds its lanes.
@inline
function fold(s0: f32, s1: f32, s2: f32, s3: f32): f32 {
  return (s0 + s2) + (s1 + s3);
}

// z[0..2) = a·w0 + b[0], a·w1 + b[1], with w1 = w0 + ld.
function dot1x2(z: usize, a: usize, w: usize, ld: usize, b: usize, k: i32): void {
  let s00: f32 = 0, s01: f32 = 0, s02: f32 = 0, s03: f32 = 0;
  let s10: f32 = 0, s11: f32 = 0, s12: f32 = 0, s13: f32 = 0;
  const w1 = w + ld;
  const whole = <usize>(k & ~3) << 2;
  let o: usize = 0;
  for (; o < whole; o += 16) {
    const x0 = load<f32>(a + o), x1 = load<f32>(a + o, 4), x2 = load<f32>(a + o, 8), x3 = load<f32>(a + o, 12);
    s00 += x0 * load<f32>(w + o); s01 += x1 * load<f32>(w + o, 4); s02 += x2 * load<f32>(w + o, 8); s03 += x3 * load<f32>(w + o, 12);
    s10 += x0 * load<f32>(w1 + o); s11 += x1 * load<f32>(w1 + o, 4); s12 += x2 * load<f32>(w1 + o, 8); s13 += x3 * load<f32>(w1 + o, 12);
  }
  const tail = k & 3;
  if (tail > 0) { s00 += load<f32>(a + o) * load<f32>(w + o); s10 += load<f32>(a + o) * load<f32>(w1 + o); }
  if (tail > 1) { s01 += load<f32>(a + o, 4) * load<f32>(w + o, 4); s11 += load<f32>(a + o, 4) * load<f32>(w1 + o, 4); }
  if (tail > 2) { s02 += load<f32>(a + o, 8) * load<f32>(w + o, 8); s12 += load<f32>(a + o, 8) * load<f32>(w1 + o, 8); }
  store<f32>(z, fold(s00, s01, s02, s03) + load<f32>(b));
  store<f32>(z, fold(s10, s11, s12, s13) + load<f32>(b, 4), 4);
}

/** z[batch][nOut] = a[batch][nIn]·w[nOut][nIn]ᵀ + b, for nIn ≥ 1 and batch, nOut ≥ 1. */
export function denseForwardByDotsScalar(
  z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  const base = alignScratch(scratch);
  const tile = dotTileOf(base, batch, nIn), biasEdge = dotBiasOf(base, batch, nIn);
  const ld = <usize>nIn << 2;
  const last = nOut & ~1;
  if (last < nOut) {
    // An odd last column runs as a pair of that column twice, into the tile buffer.
    store<f32>(biasEdge, load<f32>(b + (<usize>last << 2)));
    store<f32>(biasEdge, 0, 4);
  }
  for (let i = 0; i < batch; i++) {
    const zi = z + <usize>i * (<usize>nOut << 2), ai = a + <usize>i * ld;
    for (let j = 0; j < last; j += 2) dot1x2(zi + (<usize>j << 2), ai, w + <usize>j * ld, ld, b + (<usize>j << 2), nIn);
    if (last < nOut) {
      dot1x2(tile, ai, w + <usize>last * ld, 0, biasEdge, nIn);
      store<f32>(zi + (<usize>last << 2), load<f32>(tile));
    }
  }
}
