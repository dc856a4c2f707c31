// Dense-layer products on scalar f32, for engines without WebAssembly SIMD: the twin of
// dense.simd.ts, with the same packed GEMM driver and a 4×2 register-blocked microkernel.
// No v128 anywhere: this file is compiled into the scalar binary.

import {
  MR, min32, kBlock, alignScratch, tileOf, biasOf, packedAOf, packedBOf, packBias, packA, packB, forwardByRowDots, lanesAsGemms, laneTerms, gemm_scratch_bytes, LANE_ROWS, weightsFolded, weightsOverRows,
} from './gemm.pack';
import { denseForwardRowDotsByOutput } from './row-dots.scalar';
import { f32_copy_rows } from './common';

/**
 * Columns of C per scalar tile. 4×2 (8 accumulators + 2 B + 1 A + a product = 12 registers) fits
 * in registers; 4×4 needs 22 of V8's 15 xmm registers, spills, and runs markedly slower.
 */
const NR_SCALAR: i32 = 2;

// What the microkernel does with its tile when it stores it.
const STORE: i32 = 0; //  C = acc
const ADD: i32 = 1; //    C += acc
const BIAS: i32 = 2; //   C = acc + bias

// c: a whole 4×2 tile of C (row stride ldc bytes); ap: A panel [kc][4]; bp: B panel [kc][2];
// bias: bias[j0..j0+2) (padded). Edge tiles go through the tile buffer and storeEdge, which keeps
// this function small enough for TurboFan to keep every accumulator in a register.
function microkernel4x2(c: usize, ldc: usize, ap: usize, bp: usize, bias: usize, kc: i32, mode: i32): void {
  let c00: f32 = 0, c01: f32 = 0;
  let c10: f32 = 0, c11: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0;
  const bEnd = bp + (<usize>kc << 3);
  while (bp < bEnd) {
    const b0 = load<f32>(bp), b1 = load<f32>(bp, 4);
    let a = load<f32>(ap);
    c00 += a * b0; c01 += a * b1;
    a = load<f32>(ap, 4);
    c10 += a * b0; c11 += a * b1;
    a = load<f32>(ap, 8);
    c20 += a * b0; c21 += a * b1;
    a = load<f32>(ap, 12);
    c30 += a * b0; c31 += a * b1;
    ap += 16;
    bp += 8;
  }

  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (mode == ADD) {
    c00 += load<f32>(c); c01 += load<f32>(c, 4);
    c10 += load<f32>(c1); c11 += load<f32>(c1, 4);
    c20 += load<f32>(c2); c21 += load<f32>(c2, 4);
    c30 += load<f32>(c3); c31 += load<f32>(c3, 4);
  } else if (mode == BIAS) {
    const bias0 = load<f32>(bias), bias1 = load<f32>(bias, 4);
    c00 += bias0; c01 += bias1;
    c10 += bias0; c11 += bias1;
    c20 += bias0; c21 += bias1;
    c30 += bias0; c31 += bias1;
  }
  store<f32>(c, c00); store<f32>(c, c01, 4);
  store<f32>(c1, c10); store<f32>(c1, c11, 4);
  store<f32>(c2, c20); store<f32>(c2, c21, 4);
  store<f32>(c3, c30); store<f32>(c3, c31, 4);
}

// An edge tile, computed whole into the tile buffer (row stride NR_SCALAR floats): write only its
// mr × nr corner that lies inside C.
function storeEdge(c: usize, ldc: usize, tile: usize, bias: usize, mr: i32, nr: i32, mode: i32): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + (<usize>(r * NR_SCALAR) << 2);
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      let v = load<f32>(t + o);
      if (mode == ADD) v += load<f32>(cr + o);
      else if (mode == BIAS) v += load<f32>(bias + o);
      store<f32>(cr + o, v);
    }
  }
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
  const kcBlock = kBlock(k);
  const tile = tileOf(base);
  const biasPacked = biasOf(base);
  const ap = packedAOf(base, n);
  const bp = packedBOf(base, n, kcBlock);
  if (hasBias) packBias(biasPacked, bias, n);

  for (let k0 = 0; k0 < k; k0 += kcBlock) {
    const kc = min32(kcBlock, k - k0);
    packB(bp, b, bRow, bCol, n, k0, kc, NR_SCALAR);
    const mode = k0 > 0 || accumulate ? ADD : hasBias ? BIAS : STORE;
    const bPanelBytes = <usize>(NR_SCALAR * kc) << 2;
    let aRows = a + <usize>k0 * aCol;
    let cRows = c;
    for (let i0 = 0; i0 < m; i0 += MR) {
      const mr = min32(MR, m - i0);
      // Packed right before use, so every tile of this row reads it from L1.
      packA(ap, aRows, aRow, aCol, mr, kc);
      let bPanel = bp;
      for (let j0 = 0; j0 < n; j0 += NR_SCALAR) {
        const cTile = cRows + (<usize>j0 << 2);
        const biasJ = biasPacked + (<usize>j0 << 2);
        const nr = min32(NR_SCALAR, n - j0);
        if (mr == MR && nr == NR_SCALAR) {
          microkernel4x2(cTile, ldcBytes, ap, bPanel, biasJ, kc, mode);
        } else {
          microkernel4x2(tile, NR_SCALAR << 2, ap, bPanel, biasJ, kc, STORE);
          storeEdge(cTile, ldcBytes, tile, biasJ, mr, nr, mode);
        }
        bPanel += bPanelBytes;
      }
      aRows += aRow * MR;
      cRows += ldcBytes * MR;
    }
  }
}

// The row-dot forward (row-dots.simd.ts) in its order of sums, as four GEMMs: lane l's sums
// s_l(i, j) = Σ a[i][k]·w[j][k] over k ≡ l mod 4 are a GEMM over those k (k ascending, one K block:
// lanesAsGemms), read through strides of 4 floats; then z = ((s0 + s2) + (s1 + s3)) + b. Output by
// output (row-dots.scalar.ts) the same sums ran at ~0.5 of this binary's peak: V8 keeps too few
// scalar sums in registers; the GEMM's 4×2 tile keeps 8. Below MR rows, though, the tile is mostly
// padding: there output by output ran 1×784→100 3.3×, 1×100→10 3.9×, 2×784→100 1.6×, 3×784→100
// 1.09× faster (4×784→100 0.58×; AMD EPYC Zen 5, 2026-12-01). Both give the same bits.
function forwardByLanes(z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32): void {
  // Rows in chunks, so the two sums (and the scratch) do not grow with the batch.
  const chunk = min32(batch, LANE_ROWS);
  const sums = scratch + <usize>gemm_scratch_bytes(chunk, nOut, laneTerms(nIn, 0));
  const other = sums + (<usize>(chunk * nOut) << 2);
  const row = <usize>nOut << 2;
  for (let r0 = 0; r0 < batch; r0 += chunk) {
    const rows = min32(chunk, batch - r0);
    const zc = z + <usize>r0 * row, ac = a + <usize>r0 * (<usize>nIn << 2);
    const count = <usize>(rows * nOut);
    lane(zc, ac, w, scratch, rows, nIn, nOut, 0);
    lane(sums, ac, w, scratch, rows, nIn, nOut, 2);
    for (let e: usize = 0; e < count; e++) store<f32>(zc + (e << 2), load<f32>(zc + (e << 2)) + load<f32>(sums + (e << 2)));
    lane(sums, ac, w, scratch, rows, nIn, nOut, 1);
    lane(other, ac, w, scratch, rows, nIn, nOut, 3);
    for (let i = 0; i < rows; i++) {
      const o = <usize>i * row;
      for (let j: usize = 0; j < row; j += 4) {
        store<f32>(zc + o + j, (load<f32>(zc + o + j) + (load<f32>(sums + o + j) + load<f32>(other + o + j))) + load<f32>(b + j));
      }
    }
  }
}

// c[batch][nOut] = lane l's sums: A(i, k) = a[i][4k + l], B(k, j) = w[j][4k + l].
function lane(c: usize, a: usize, w: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, l: i32): void {
  const row = <usize>nIn << 2, o = <usize>l << 2;
  gemm(c, a + o, w + o, 0, scratch, row, 16, 16, row, nOut, batch, nOut, laneTerms(nIn, l), false, false);
}

export function f32_dense_fwd__scalar(
  z: usize, a: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  // z is (batch, nOut), a is (batch, nIn), w is (nOut, nIn), b is (nOut)
  // z = a·wᵀ + b: B(k, j) = w[j][k], so the B panels are packed from w's rows.
  if (forwardByRowDots(nIn, nOut)) {
    if (lanesAsGemms(nIn) && batch >= MR) forwardByLanes(z, a, w, b, scratch, batch, nIn, nOut);
    else denseForwardRowDotsByOutput(z, a, w, b, batch, nIn, nOut);
    return;
  }
  const nInBytes = <usize>nIn << 2;
  gemm(z, a, w, b, scratch, nInBytes, 4, 4, nInBytes, nOut, batch, nOut, nIn, false, true);
}

// The scalar twin of f32_dense_fwd_gather__simd: the batch gathered (f32_copy_rows), then its forward.
export function f32_dense_fwd_gather__scalar(
  z: usize, a: usize, x: usize, rows: usize, w: usize, b: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  f32_copy_rows(a, x, rows, batch, nIn);
  f32_dense_fwd__scalar(z, a, w, b, scratch, batch, nIn, nOut);
}

export function f32_dense_bwd_input__scalar(
  da: usize, dz: usize, w: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32,
): void {
  // da is (batch, nIn), dz is (batch, nOut), w is (nOut, nIn)
  // da += dz·w: w is already [k][n].
  gemm(da, dz, w, 0, scratch, <usize>nOut << 2, 4, <usize>nIn << 2, 4, nIn, batch, nIn, nOut, true, false);
}

export function f32_dense_bwd_weights__scalar(
  dw: usize, dz: usize, a: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, accumulate: i32,
): void {
  // dw is (nOut, nIn), dz is (batch, nOut), a is (batch, nIn)
  // dw += dzᵀ·a (accumulate) or dw = dzᵀ·a, summed as the SIMD twin sums it: (dw + P₀) + P₁ over
  // the batch's two parts from weightsFoldRow's batch on, each part in its own K blocks.
  f32_dense_bwd_weights_cols__scalar(dw, dz, a, scratch, batch, nIn, nOut, nIn, accumulate);
}

// dw[:, j0 .. j0 + cols) (+)= dzᵀ·a[:, j0 .. j0 + cols), the twin of f32_dense_bwd_weights_cols__simd
// (dwCols = dw + j0, aCols = a + j0 in floats, rows nIn floats apart), with its fold.
export function f32_dense_bwd_weights_cols__scalar(
  dwCols: usize, dz: usize, aCols: usize, scratch: usize, batch: i32, nIn: i32, nOut: i32, cols: i32, accumulate: i32,
): void {
  weightsFolded(gemm, dwCols, dz, aCols, scratch, batch, nIn, nOut, cols, accumulate != 0);
}

// One part of ∂W's fold over `rows` rows, added to dw (accumulate) or written over it: the twin of
// f32_dense_bwd_weights_rows__simd.
export function f32_dense_bwd_weights_rows__scalar(
  dw: usize, dz: usize, a: usize, scratch: usize, rows: i32, nIn: i32, nOut: i32, accumulate: i32,
): void {
  // dw is (nOut, nIn), dz is (rows, nOut), a is (rows, nIn)
  weightsOverRows(gemm, dw, dz, a, scratch, rows, nIn, nOut, nIn, accumulate != 0);
}

export function f32_dense_bwd_bias__scalar(db: usize, dz: usize, batch: i32, nOut: i32): void {
  // db is (nOut), dz is (batch, nOut)
  // Four columns at a time: four independent chains hide the add latency, and each row is read
  // in order.
  const row = <usize>nOut << 2;
  let j = 0;
  for (; j + 4 <= nOut; j += 4) {
    let s = dz + (<usize>j << 2);
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let i = 0; i < batch; i++) {
      s0 += load<f32>(s);
      s1 += load<f32>(s, 4);
      s2 += load<f32>(s, 8);
      s3 += load<f32>(s, 12);
      s += row;
    }
    const d = db + (<usize>j << 2);
    store<f32>(d, load<f32>(d) + s0);
    store<f32>(d, load<f32>(d, 4) + s1, 4);
    store<f32>(d, load<f32>(d, 8) + s2, 8);
    store<f32>(d, load<f32>(d, 12) + s3, 12);
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

export function f32_gemm__scalar(
  c: usize, a: usize, b: usize, scratch: usize, m: i32, n: i32, k: i32, accumulate: i32,
): void {
  // c is (m, n), a is (m, k), b is (k, n)
  gemm(c, a, b, 0, scratch, <usize>k << 2, 4, <usize>n << 2, 4, n, m, n, k, accumulate != 0, false);
}
