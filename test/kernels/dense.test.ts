/**
 * The dense-layer products (forward, ∂input, ∂weights, ∂bias) and the raw f32_gemm driver on every
 * backend against the float64 oracle, over a sweep of shapes from 1×1×1 to 64×784×100 that hits
 * every edge of the 4×8 (SIMD) and 4×2 (scalar) tiles, the K blocking (K > 384), ∂W's two parts and the column chunks of each product;
 * ∂W also written (accumulate false) instead of added.
 *
 * The wasm variants run the same f32 operations in the same order (one mul and one add per term,
 * k ascending within equal K blocks; ∂W from 128 rows as two such sums over the batch's halves, added
 * to it in turn; a forward by row dot products keeps four partial sums by k mod 4 and adds them in
 * one fixed order), so they must also agree bit for bit; the relaxed binary
 * fuses each mul and add (relaxed_madd), so it is held to the oracle's tolerance only. Through raw pointers
 * they are run at 4-byte-aligned (not 16) addresses, with NaN in the scratch and canaries around
 * every output and past the declared scratch.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { CANARY, placeUnaligned, readUnaligned } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];
/** Whether a wasm backend rounds every term as the first one does (all but the fused relaxed binary). */
const roundsAlike = (b: { kernels: WasmKernels }) => b.kernels.binary !== 'simd-relaxed';


/**
 * (batch, nIn, nOut): every residue mod 4 and 8, sizes of 1, and K = nIn, nOut or batch in 2 or 3 blocks (KC = 384);
 * forwards by the GEMM and by row dot products (forwardByRowDots in assembly/gemm.pack.ts: nOut ≤ 12, or nIn ≥ 512 with nIn·nOut ≤ 131,072).
 */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 2], [2, 1, 1], [1, 3, 1], [3, 5, 7], [4, 4, 4], [4, 8, 8], [5, 9, 17],
  [7, 3, 2], [8, 16, 8], [9, 8, 15], [12, 1, 31], [13, 17, 9], [16, 33, 1], [1, 300, 7], [2, 257, 3],
  [31, 29, 27], [32, 64, 10], [33, 65, 129], [47, 101, 100], [64, 784, 100], [64, 100, 10], [100, 10, 100],
  [128, 12, 5], [3, 513, 4], [257, 9, 5], [260, 40, 8], [300, 7, 33], [299, 3, 300], [6, 6, 300],
  [17, 255, 256], [20, 256, 257], [11, 520, 13], [15, 1, 1], [1, 64, 64], [2, 2, 200], [63, 31, 15],
  [96, 24, 40], [5, 700, 3], [40, 40, 40], [400, 21, 9], [5, 11, 777], [800, 5, 3],
  // Forwards as row dot products (forwardByRowDots): K ≡ 1, 2, 3 mod 4, a last odd column, 1–3 rows past a multiple of 4.
  [6, 6, 5], [10, 514, 11], [9, 515, 3], [4, 512, 256], [6, 1024, 100],
  // … from w's pairs packed by the first group of four rows (ROW_DOTS_PAIRS_MIN_BATCH, 32 rows): K ≡ 2, 3 mod 4, rows and a column past them.
  [42, 514, 11], [35, 7, 12], [32, 515, 4],
  // … whose lanes are longer than one K block (more than 1,536 inputs): the scalar twin goes output by output.
  [3, 1601, 5], [2, 1546, 3], [5, 1539, 7],
  // B blocks past B_BLOCK_BYTES (512 KiB), split over C's columns (columnChunk in assembly/gemm.pack.ts), the
  // last chunk with an edge panel: the forward with its bias (n = 530 as 272 + 258), ∂W (n = 450 as 232 + 218).
  [12, 300, 530], [300, 450, 9],
  // ∂W summed as two parts (weightsFoldRow in assembly/gemm.pack.ts): from 128 rows, cut off a multiple of 8 rows, a first part of two K blocks.
  [128, 9, 5], [130, 33, 12], [772, 6, 9],
];

/** f32 values (so the oracle sees exactly what the backends see), N(0, 1). */
function normals(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.normal());
}

interface Layer {
  batch: number;
  nIn: number;
  nOut: number;
  a: Float32Array; // (batch, nIn)
  w: Float32Array; // (nOut, nIn)
  b: Float32Array; // (nOut)
  dz: Float32Array; // (batch, nOut)
  // Non-zero destinations of the accumulating kernels: overwriting instead of adding would show.
  da0: Float32Array; // (batch, nIn)
  dw0: Float32Array; // (nOut, nIn)
  db0: Float32Array; // (nOut)
}

function randomLayer(rng: Rng, [batch, nIn, nOut]: [number, number, number]): Layer {
  return {
    batch, nIn, nOut,
    a: normals(rng, batch * nIn),
    w: normals(rng, nOut * nIn),
    b: normals(rng, nOut),
    dz: normals(rng, batch * nOut),
    da0: normals(rng, batch * nIn),
    dw0: normals(rng, nOut * nIn),
    db0: normals(rng, nOut),
  };
}

interface Products {
  z: Float64Array;
  da: Float64Array;
  dw: Float64Array;
  db: Float64Array;
}

/** The four products through the Kernels contract. */
function products(k: Kernels, l: Layer): Products {
  const { batch, nIn, nOut } = l;
  const t = {
    z: k.alloc(batch * nOut), a: tensorOf(k, l.a), w: tensorOf(k, l.w), b: tensorOf(k, l.b), dz: tensorOf(k, l.dz),
    da: tensorOf(k, l.da0), dw: tensorOf(k, l.dw0), db: tensorOf(k, l.db0),
  };
  k.write(t.z, new Float32Array(batch * nOut).fill(CANARY)); // overwritten entirely
  k.denseForward(t.z, t.a, t.w, t.b, batch, nIn, nOut);
  k.denseBackwardInput(t.da, t.dz, t.w, batch, nIn, nOut);
  k.denseBackwardWeights(t.dw, t.dz, t.a, batch, nIn, nOut);
  k.denseBackwardBias(t.db, t.dz, batch, nOut);
  const read = (x: Tensor) => Float64Array.from(k.view(x));
  const result = { z: read(t.z), da: read(t.da), dw: read(t.dw), db: read(t.db) };
  for (const x of Object.values(t)) k.free(x);
  return result;
}

/** f32 tolerance of a K-term product: 1e-5·√K of the oracle's RMS value. */
function tolerance(expected: ArrayLike<number>, K: number): { abs: number } {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) sum += expected[i] ** 2;
  const rms = Math.sqrt(sum / Math.max(1, expected.length));
  return { abs: 1e-5 * Math.sqrt(Math.max(1, K)) * Math.max(rms, 1e-30) };
}

function expectProducts(got: Products, expected: Products, l: Layer, label: string): void {
  expectClose(got.z, expected.z, tolerance(expected.z, l.nIn), `${label} z = a·wᵀ + b`);
  expectClose(got.da, expected.da, tolerance(expected.da, l.nOut), `${label} da += dz·w`);
  expectClose(got.dw, expected.dw, tolerance(expected.dw, l.batch), `${label} dw += dzᵀ·a`);
  expectClose(got.db, expected.db, tolerance(expected.db, l.batch), `${label} db += Σ dz`);
}

/** Same f32 bits everywhere (NaN included), failing with the first difference and where it is. */
function expectSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) expect.fail(`${label}: first difference at index ${i} (got ${actual[i]}, expected ${expected[i]})`);
  }
}

const shapeName = ([batch, nIn, nOut]: [number, number, number]) => `${batch}×${nIn}→${nOut}`;

// One layer and its float64 products per shape, shared by every backend.
const cases = (() => {
  const rng = new Rng(40);
  return SHAPES.map((shape) => {
    const layer = randomLayer(rng, shape);
    return { shape, layer, expected: products(oracle, layer) };
  });
})();

describe.each(backends)('$name', ({ kernels: k }) => {
  it('matches the float64 oracle on every shape of the sweep', () => {
    for (const { shape, layer, expected } of cases) {
      expectProducts(products(k, layer), expected, layer, `${k.name} ${shapeName(shape)}`);
    }
  }, 60_000);

  it('denseBackwardWeightsAndInput adds what denseBackwardWeights and denseBackwardInput add, bit for bit', () => {
    for (const { shape, layer: l } of cases.filter((_, i) => i % 4 === 0)) {
      const { batch, nIn, nOut } = l;
      const [a, w, dz, dw, da, dwBoth, daBoth] = [l.a, l.w, l.dz, l.dw0, l.da0, l.dw0, l.da0].map((v) => tensorOf(k, v));
      k.denseBackwardWeights(dw, dz, a, batch, nIn, nOut);
      k.denseBackwardInput(da, dz, w, batch, nIn, nOut);
      k.denseBackwardWeightsAndInput(dwBoth, daBoth, dz, a, w, batch, nIn, nOut);
      expectSameBits(Float32Array.from(k.view(dwBoth)), Float32Array.from(k.view(dw)), `${k.name} ${shapeName(shape)} dw`);
      expectSameBits(Float32Array.from(k.view(daBoth)), Float32Array.from(k.view(da)), `${k.name} ${shapeName(shape)} da`);
      [a, w, dz, dw, da, dwBoth, daBoth].forEach((t) => k.free(t));
    }
  });

  it('with accumulate false, denseBackwardWeights and denseBackwardWeightsAndInput write dw over anything: the bits of zero(dw) then the call', () => {
    for (const { shape, layer: l } of cases.filter((_, i) => i % 3 === 0)) {
      const { batch, nIn, nOut } = l;
      const label = `${k.name} ${shapeName(shape)}`;
      const nan = new Float32Array(nOut * nIn).fill(NaN);
      const [a, w, dz, zeroed, written, zeroedBoth, writtenBoth, da, daBoth] = [l.a, l.w, l.dz, l.dw0, nan, l.dw0, nan, l.da0, l.da0].map((v) => tensorOf(k, v));
      k.zero(zeroed);
      k.denseBackwardWeights(zeroed, dz, a, batch, nIn, nOut);
      k.denseBackwardWeights(written, dz, a, batch, nIn, nOut, false);
      expectSameBits(Float32Array.from(k.view(written)), Float32Array.from(k.view(zeroed)), `${label} dw written`);
      k.zero(zeroedBoth);
      k.denseBackwardWeightsAndInput(zeroedBoth, da, dz, a, w, batch, nIn, nOut);
      k.denseBackwardWeightsAndInput(writtenBoth, daBoth, dz, a, w, batch, nIn, nOut, false);
      expectSameBits(Float32Array.from(k.view(writtenBoth)), Float32Array.from(k.view(zeroed)), `${label} dw written with da`);
      // da is added to either way.
      expectSameBits(Float32Array.from(k.view(daBoth)), Float32Array.from(k.view(da)), `${label} da added`);
      [a, w, dz, zeroed, written, zeroedBoth, writtenBoth, da, daBoth].forEach((t) => k.free(t));
    }
  });

  it('denseForwardGather gives copyRows then denseForward, bit for bit: z and the gathered rows, nothing written past them', () => {
    for (const { shape, layer: l } of cases) {
      const { batch, nIn, nOut } = l;
      // A data set of more rows than the batch, read from position 3 of a shuffled order in which one row comes twice.
      const setRows = batch + 5;
      const rng = new Rng(batch * 7 + nIn);
      const x = normals(rng, setRows * nIn);
      const order = Uint32Array.from({ length: setRows }, (_, i) => i);
      rng.shuffle(order);
      order[4] = order[3];
      const [tx, w, b] = [x, l.w, l.b].map((v) => tensorOf(k, v));
      // One row more than the batch in each output, holding canaries: the kernel writes the batch's rows alone.
      const canaries = (n: number) => tensorOf(k, new Float32Array(n).fill(CANARY));
      const [z, a, zPlain, aPlain] = [canaries((batch + 1) * nOut), canaries((batch + 1) * nIn), canaries((batch + 1) * nOut), canaries((batch + 1) * nIn)];
      k.copyRows(aPlain, tx, order, 3, batch, nIn);
      k.denseForward(zPlain, aPlain, w, b, batch, nIn, nOut);
      k.denseForwardGather(z, a, tx, order, 3, w, b, batch, nIn, nOut);
      expectSameBits(Float32Array.from(k.view(a)), Float32Array.from(k.view(aPlain)), `${k.name} ${shapeName(shape)} gathered rows`);
      expectSameBits(Float32Array.from(k.view(z)), Float32Array.from(k.view(zPlain)), `${k.name} ${shapeName(shape)} z`);
      expect(Array.from(k.view(a).subarray(batch * nIn)), `${k.name} ${shapeName(shape)}: past the gathered rows`).toEqual(new Array(nIn).fill(CANARY));
      expect(Array.from(k.view(z).subarray(batch * nOut)), `${k.name} ${shapeName(shape)}: past z`).toEqual(new Array(nOut).fill(CANARY));
      [tx, w, b, z, a, zPlain, aPlain].forEach((t) => k.free(t));
    }
  });

  it('accumulates: a second backward call adds the same increment again', () => {
    const l = randomLayer(new Rng(41), [13, 17, 9]);
    const { batch, nIn, nOut } = l;
    const once = products(k, l);
    const twice = products(k, {
      ...l,
      da0: Float32Array.from(once.da),
      dw0: Float32Array.from(once.dw),
      db0: Float32Array.from(once.db),
    });
    const increment = (after: ArrayLike<number>, before: ArrayLike<number>) => Array.from(after, (x, i) => x - before[i]);
    const tol = { abs: 1e-4 };
    expectClose(increment(twice.da, once.da), increment(once.da, l.da0), tol, `${k.name} da increment (${batch}×${nIn})`);
    expectClose(increment(twice.dw, once.dw), increment(once.dw, l.dw0), tol, `${k.name} dw increment (${nOut}×${nIn})`);
    expectClose(increment(twice.db, once.db), increment(once.db, l.db0), tol, `${k.name} db increment (${nOut})`);
  });
});

// ---- the wasm variants through raw pointers ----

/** `bytes` of scratch at a 4-byte-aligned pointer, filled with NaN (nothing may depend on it), and canaries after it. */
function placeScratch(k: WasmKernels, bytes: number): { t: WasmTensor; ptr: number; check: (label: string) => void } {
  expect(bytes % 4, 'scratch bytes are whole floats').toBe(0);
  const floats = bytes / 4;
  const t = k.alloc(floats + 5);
  k.write(t, new Float32Array(floats).fill(NaN), 1);
  k.write(t, [CANARY], 0);
  k.write(t, [CANARY, CANARY, CANARY, CANARY], floats + 1);
  return {
    t,
    ptr: t.ptr + 4,
    check: (label) => expect(Array.from(k.view(t).subarray(floats + 1)), `${label}: past the declared scratch`).toEqual([CANARY, CANARY, CANARY, CANARY]),
  };
}

/** The four dense products through the raw exports, every array unaligned and fenced by canaries. */
function rawProducts(k: WasmKernels, l: Layer, label: string): { z: Float32Array; da: Float32Array; dw: Float32Array; db: Float32Array } {
  const { batch, nIn, nOut } = l;
  const m = k.module;
  const p = {
    z: placeUnaligned(k, new Float32Array(batch * nOut).fill(CANARY)),
    a: placeUnaligned(k, l.a), w: placeUnaligned(k, l.w), b: placeUnaligned(k, l.b), dz: placeUnaligned(k, l.dz),
    da: placeUnaligned(k, l.da0), dw: placeUnaligned(k, l.dw0), db: placeUnaligned(k, l.db0),
  };
  const scratch = placeScratch(k, k.exports.dense_scratch_bytes(batch, nIn, nOut));
  m.f32_dense_fwd(p.z.ptr, p.a.ptr, p.w.ptr, p.b.ptr, scratch.ptr, batch, nIn, nOut);
  m.f32_dense_bwd_input(p.da.ptr, p.dz.ptr, p.w.ptr, scratch.ptr, batch, nIn, nOut);
  m.f32_dense_bwd_weights(p.dw.ptr, p.dz.ptr, p.a.ptr, scratch.ptr, batch, nIn, nOut, 1);
  m.f32_dense_bwd_bias(p.db.ptr, p.dz.ptr, batch, nOut);
  scratch.check(label);
  // The inputs are read, never written.
  expectSameBits(readUnaligned(k, p.a.t, `${label} a`), l.a, `${label} a unchanged`);
  expectSameBits(readUnaligned(k, p.w.t, `${label} w`), l.w, `${label} w unchanged`);
  expectSameBits(readUnaligned(k, p.b.t, `${label} b`), l.b, `${label} b unchanged`);
  expectSameBits(readUnaligned(k, p.dz.t, `${label} dz`), l.dz, `${label} dz unchanged`);
  const result = {
    z: readUnaligned(k, p.z.t, `${label} z`),
    da: readUnaligned(k, p.da.t, `${label} da`),
    dw: readUnaligned(k, p.dw.t, `${label} dw`),
    db: readUnaligned(k, p.db.t, `${label} db`),
  };
  for (const x of [...Object.values(p).map((q) => q.t), scratch.t]) k.free(x);
  return result;
}

/** c[m][n] = c0 + a[m][kk]·b[kk][n] in float64 (c0 = 0 when not accumulating). */
function gemmOracle(a: Float32Array, b: Float32Array, c0: Float32Array, m: number, n: number, kk: number, accumulate: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? c0[i * n + j] : 0;
      for (let p = 0; p < kk; p++) sum += a[i * kk + p] * b[p * n + j];
      c[i * n + j] = sum;
    }
  }
  return c;
}

function rawGemm(k: WasmKernels, a: Float32Array, b: Float32Array, c0: Float32Array, m: number, n: number, kk: number, accumulate: boolean, label: string): Float32Array {
  const pa = placeUnaligned(k, a), pb = placeUnaligned(k, b), pc = placeUnaligned(k, c0);
  const scratch = placeScratch(k, k.exports.gemm_scratch_bytes(m, n, kk));
  k.module.f32_gemm(pc.ptr, pa.ptr, pb.ptr, scratch.ptr, m, n, kk, accumulate ? 1 : 0);
  scratch.check(label);
  expectSameBits(readUnaligned(k, pa.t, `${label} a`), a, `${label} a unchanged`);
  expectSameBits(readUnaligned(k, pb.t, `${label} b`), b, `${label} b unchanged`);
  const c = readUnaligned(k, pc.t, `${label} c`);
  for (const x of [pa.t, pb.t, pc.t, scratch.t]) k.free(x);
  return c;
}

describe('the wasm variants through raw pointers', () => {
  it('match the oracle at 4-byte-aligned addresses, touch nothing outside their outputs, and agree bit for bit', () => {
    for (const { shape, layer, expected } of cases) {
      const [first, ...others] = wasmBackends.map(({ kernels: k }) => {
        const label = `${k.name} raw ${shapeName(shape)}`;
        const got = rawProducts(k, layer, label);
        expectProducts(
          { z: Float64Array.from(got.z), da: Float64Array.from(got.da), dw: Float64Array.from(got.dw), db: Float64Array.from(got.db) },
          expected,
          layer,
          label,
        );
        return got;
      });
      for (const [i, other] of others.entries()) {
        if (!roundsAlike(wasmBackends[i + 1])) continue;
        for (const key of ['z', 'da', 'dw', 'db'] as const) {
          expectSameBits(other[key], first[key], `${wasmBackends[i + 1].name} vs ${wasmBackends[0].name} ${key} ${shapeName(shape)}`);
        }
      }
    }
  }, 60_000);

  it('f32_gemm overwrites or accumulates c = a·b on every shape of the sweep', () => {
    const rng = new Rng(42);
    // (m, n, k) from the sweep, so the same edges and K blocks are hit.
    for (const [m, kk, n] of SHAPES) {
      const a = normals(rng, m * kk), b = normals(rng, kk * n), c0 = normals(rng, m * n);
      for (const accumulate of [false, true]) {
        const expected = gemmOracle(a, b, c0, m, n, kk, accumulate);
        const results = wasmBackends.map(({ kernels: k }) => {
          const label = `${k.name} f32_gemm ${m}×${kk}·${kk}×${n}${accumulate ? ' +=' : ''}`;
          const c = rawGemm(k, a, b, c0, m, n, kk, accumulate, label);
          expectClose(c, expected, tolerance(expected, kk), label);
          return c;
        });
        for (const [i, other] of results.slice(1).entries()) {
          if (!roundsAlike(wasmBackends[i + 1])) continue;
          expectSameBits(other, results[0], `${wasmBackends[i + 1].name} vs ${wasmBackends[0].name} f32_gemm ${m}×${kk}·${kk}×${n}`);
        }
      }
    }
  }, 60_000);

  it('f32_dense_bwd_weights_rows and _cols (the threads\' parts of ∂W) match their ref twin on their rows or columns, agree bit for bit, and put together give f32_dense_bwd_weights\' bits', () => {
    const rng = new Rng(43);
    // Below the fold (37 rows), its first two-part batch (128), a cut off a multiple of 8 rows (130), a first part of two K blocks (772).
    for (const shape of [[37, 37, 27], [128, 9, 5], [130, 33, 12], [300, 45, 30], [772, 6, 9]] as [number, number, number][]) {
      const l = randomLayer(rng, shape);
      const { batch, nIn, nOut } = l;
      // The ref twin: ref's ∂W over rows [r0, r1) of dz and a, added to dw0 or to zeros.
      const refWeights = (r0: number, r1: number, dw0: Float32Array) => {
        const t = [dw0, l.dz.subarray(r0 * nOut, r1 * nOut), l.a.subarray(r0 * nIn, r1 * nIn)].map((v) => tensorOf(oracle, v));
        oracle.denseBackwardWeights(t[0], t[1], t[2], r1 - r0, nIn, nOut);
        const dw = Float64Array.from(oracle.view(t[0]));
        t.forEach((x) => oracle.free(x));
        return dw;
      };
      const whole = refWeights(0, batch, l.dw0);
      const j0 = nIn >> 1, cols = nIn - j0;
      const results = wasmBackends.map(({ kernels: k }) => {
        const m = k.module;
        const label = `${k.name} ${shapeName(shape)}`;
        const h = k.exports.dense_weights_fold_row(batch);
        const r0 = h > 0 ? h : batch >> 1; // the fold's second part, or any rows where there is none
        const dz = placeUnaligned(k, l.dz), a = placeUnaligned(k, l.a);
        const scratch = placeScratch(k, k.exports.dense_scratch_bytes(batch, nIn, nOut));
        const run = (dw0: ArrayLike<number>, call: (dw: number) => void, what: string) => {
          const dw = placeUnaligned(k, dw0);
          call(dw.ptr);
          scratch.check(`${label} ${what}`);
          const got = readUnaligned(k, dw.t, `${label} ${what}`);
          k.free(dw.t);
          return got;
        };
        const added = run(l.dw0, (dw) => m.f32_dense_bwd_weights_rows(dw, dz.ptr + r0 * nOut * 4, a.ptr + r0 * nIn * 4, scratch.ptr, batch - r0, nIn, nOut, 1), 'rows +=');
        const overNaN = run(new Float32Array(nOut * nIn).fill(NaN), (dw) => m.f32_dense_bwd_weights_rows(dw, dz.ptr + r0 * nOut * 4, a.ptr + r0 * nIn * 4, scratch.ptr, batch - r0, nIn, nOut, 0), 'rows =');
        const byColumns = run(l.dw0, (dw) => m.f32_dense_bwd_weights_cols(dw + j0 * 4, dz.ptr, a.ptr + j0 * 4, scratch.ptr, batch, nIn, nOut, cols, 1), 'cols');
        const full = run(l.dw0, (dw) => m.f32_dense_bwd_weights(dw, dz.ptr, a.ptr, scratch.ptr, batch, nIn, nOut, 1), 'whole');
        // Written (accumulate 0), over NaN: the whole product's bits from zeros, and those columns of it.
        const fromZeros = run(new Float32Array(nOut * nIn), (dw) => m.f32_dense_bwd_weights(dw, dz.ptr, a.ptr, scratch.ptr, batch, nIn, nOut, 1), 'whole from zeros');
        expectSameBits(run(new Float32Array(nOut * nIn).fill(NaN), (dw) => m.f32_dense_bwd_weights(dw, dz.ptr, a.ptr, scratch.ptr, batch, nIn, nOut, 0), 'whole ='), fromZeros, `${label}: whole written`);
        const columnsWritten = run(new Float32Array(nOut * nIn).fill(NaN), (dw) => m.f32_dense_bwd_weights_cols(dw + j0 * 4, dz.ptr, a.ptr + j0 * 4, scratch.ptr, batch, nIn, nOut, cols, 0), 'cols =');
        expectSameBits(Float32Array.from(columnsWritten, (v, i) => (i % nIn >= j0 ? v : 0)), Float32Array.from(fromZeros, (v, i) => (i % nIn >= j0 ? v : 0)), `${label}: columns [${j0}, ${nIn}) written`);
        expect(columnsWritten.every((v, i) => i % nIn >= j0 || Number.isNaN(v)), `${label}: columns before ${j0} untouched`).toBe(true);
        expectClose(Float64Array.from(added), refWeights(r0, batch, l.dw0), tolerance(whole, batch - r0), `${label}: rows [${r0}, ${batch}) added`);
        expectClose(Float64Array.from(overNaN), refWeights(r0, batch, new Float32Array(nOut * nIn)), tolerance(whole, batch - r0), `${label}: rows [${r0}, ${batch}) written`);
        // By columns: those columns of the whole product, bit for bit; the others untouched.
        const expectedColumns = Float32Array.from(l.dw0, (v, i) => (i % nIn >= j0 ? full[i] : v));
        expectSameBits(byColumns, expectedColumns, `${label}: columns [${j0}, ${nIn})`);
        if (h > 0) {
          // The fold: (dw0 + P₀) + P₁, P₁ summed apart and added in f32, is the whole product's bits (the threads' split by rows).
          const first = run(l.dw0, (dw) => m.f32_dense_bwd_weights_rows(dw, dz.ptr, a.ptr, scratch.ptr, h, nIn, nOut, 1), 'rows [0, h)');
          expectSameBits(Float32Array.from(first, (v, i) => v + overNaN[i]), full, `${label}: (dw + P₀) + P₁`);
        } else expectSameBits(run(l.dw0, (dw) => m.f32_dense_bwd_weights_rows(dw, dz.ptr, a.ptr, scratch.ptr, batch, nIn, nOut, 1), 'rows, all'), full, `${label}: every row`);
        [dz.t, a.t, scratch.t].forEach((x) => k.free(x));
        return [added, overNaN, byColumns];
      });
      for (const [i, other] of results.slice(1).entries()) {
        if (!roundsAlike(wasmBackends[i + 1])) continue;
        other.forEach((got, j) => expectSameBits(got, results[0][j], `${wasmBackends[i + 1].name} vs ${wasmBackends[0].name} ${shapeName(shape)} part ${j}`));
      }
    }
  }, 60_000);

  it('handle empty products: K = 0 leaves z = b and the gradients unchanged; M or N = 0 touches nothing', () => {
    for (const { kernels: k } of wasmBackends) {
      const m = k.module;
      const b = [1.5, -2, 3];
      const z = placeUnaligned(k, [CANARY, CANARY, CANARY, CANARY, CANARY, CANARY]);
      const bias = placeUnaligned(k, b);
      const scratch = placeScratch(k, k.exports.dense_scratch_bytes(2, 0, 3));
      m.f32_dense_fwd(z.ptr, 0, 0, bias.ptr, scratch.ptr, 2, 0, 3);
      expect(Array.from(readUnaligned(k, z.t, `${k.name} nIn=0 z`))).toEqual([...b, ...b]);
      const dw = placeUnaligned(k, [1, 2, 3]);
      m.f32_dense_bwd_weights(dw.ptr, 0, 0, scratch.ptr, 0, 1, 3, 1);
      m.f32_gemm(dw.ptr, 0, 0, scratch.ptr, 0, 3, 5, 0);
      m.f32_gemm(dw.ptr, 0, 0, scratch.ptr, 3, 0, 5, 0);
      m.f32_dense_bwd_bias(dw.ptr, 0, 0, 3);
      expect(Array.from(readUnaligned(k, dw.t, `${k.name} empty dw`))).toEqual([1, 2, 3]);
      // Written, an empty sum over the batch is 0.
      m.f32_dense_bwd_weights(dw.ptr, 0, 0, scratch.ptr, 0, 1, 3, 0);
      expect(Array.from(readUnaligned(k, dw.t, `${k.name} empty dw written`))).toEqual([0, 0, 0]);
      scratch.check(`${k.name} empty`);
      for (const x of [z.t, bias.t, dw.t, scratch.t]) k.free(x);
    }
  });
});
