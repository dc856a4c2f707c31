/**
 * The two-thread wasm backend (src/wasm/threads): its split dense products against the
 * float64 oracle and against the one-thread SIMD kernels, bit for bit (forward and ∂input split by
 * rows, ∂W by columns, each value computed by the same kernel in the same order, or on two threads
 * by rows where one thread sums it in two parts: the worker's part added after), a training run
 * against the one-thread backend, and a pool started and stopped many times without a hang or a
 * leaked worker.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { liveWorkerCount, type JobStamp, type ThreadPool } from '../../src/wasm/threads/pool.js';
import { createThreadedWasmKernels, DEFAULT_MIN_ROWS, type ThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';
import { CANARY } from '../util/canaries.js';

const oracle = createRefKernels();
const one = await createWasmKernels({ variant: 'simd' });
// Every product with at least 8 rows is split, however small.
const SPLIT_ALL = { minFlops: 0, minRowsPerThread: 4 };
const two = await createThreadedWasmKernels({ threads: 2, ...SPLIT_ALL });

afterAll(() => two.close());

/** (batch, nIn, nOut): split points at and off multiples of 4, odd sizes, K blocking. */
const SHAPES: [number, number, number][] = [
  [8, 3, 5], [9, 17, 9], [13, 1, 31], [37, 29, 27], [64, 784, 100], [64, 100, 10], [101, 513, 7], [256, 40, 300],
];

/** A tensor of `k` holding `values`, typed as that backend's tensors. */
function tensorOf<T extends Tensor>(k: Kernels<T>, values: ArrayLike<number>): T {
  const t = k.alloc(values.length);
  k.write(t, values);
  return t;
}

function normals(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.normal());
}

/** A tensor holding `values` followed by one canary float, so an overrun shows. */
function guarded(k: ThreadedWasmKernels, values: Float32Array) {
  const t = k.alloc(values.length + 1);
  k.write(t, values);
  k.write(t, [CANARY], values.length);
  return t;
}

function contents(k: ThreadedWasmKernels, t: WasmTensor, n: number): { values: Float32Array; canary: number } {
  const view = k.view(t);
  return { values: Float32Array.from(view.subarray(0, n)), canary: view[n] };
}

describe('wasm-simd-threads', () => {
  it('runs on two threads here', () => {
    expect(two.threadsFallback).toBeNull();
    expect(two.threads).toBe(2);
    expect(two.name).toBe('wasm-simd-threads');
  });

  for (const [batch, nIn, nOut] of SHAPES) {
    it(`dense products ${batch}×${nIn}→${nOut} match the oracle and the one-thread kernels`, () => {
      const rng = new Rng(batch * 1000 + nIn + nOut);
      const a = normals(rng, batch * nIn), w = normals(rng, nOut * nIn), b = normals(rng, nOut), dz = normals(rng, batch * nOut);
      const da0 = normals(rng, batch * nIn), dw0 = normals(rng, nOut * nIn);
      const label = `${batch}×${nIn}→${nOut}`;

      // The oracle, in f64 on the same f32 inputs.
      const [oa, ow, ob, odz] = [a, w, b, dz].map((v) => tensorOf(oracle, v));
      const oz = oracle.alloc(batch * nOut);
      const oda = tensorOf(oracle, da0);
      const odw = tensorOf(oracle, dw0);
      oracle.denseForward(oz, oa, ow, ob, batch, nIn, nOut);
      oracle.denseBackwardInput(oda, odz, ow, batch, nIn, nOut);
      oracle.denseBackwardWeights(odw, odz, oa, batch, nIn, nOut);

      // One thread, for the bitwise comparison.
      const [sa, sw, sb, sdz] = [a, w, b, dz].map((v) => tensorOf(one, v));
      const sz = one.alloc(batch * nOut), sda = tensorOf(one, da0), sdw = tensorOf(one, dw0);
      one.denseForward(sz, sa, sw, sb, batch, nIn, nOut);
      one.denseBackwardInput(sda, sdz, sw, batch, nIn, nOut);
      one.denseBackwardWeights(sdw, sdz, sa, batch, nIn, nOut);

      // Two threads; accumulating destinations start non-zero, outputs carry a canary.
      const [ta, tw, tb, tdz] = [a, w, b, dz].map((v) => tensorOf(two, v));
      const tz = guarded(two, new Float32Array(batch * nOut).fill(NaN));
      const tda = guarded(two, da0), tdw = guarded(two, dw0);
      const splitBefore = two.splitProducts;
      two.denseForward(tz, ta, tw, tb, batch, nIn, nOut);
      two.denseBackwardInput(tda, tdz, tw, batch, nIn, nOut);
      two.denseBackwardWeights(tdw, tdz, ta, batch, nIn, nOut);
      // ∂W is split by its columns, a tile's width (8) each at least, or from batch 128 by rows.
      expect(two.splitProducts - splitBefore, `${label}: products split across the threads`).toBe(nIn >= 16 ? 3 : 2);

      const z = contents(two, tz, batch * nOut), da = contents(two, tda, batch * nIn), dw = contents(two, tdw, nOut * nIn);
      for (const [name, got] of [['z', z], ['da', da], ['dw', dw]] as const) expect(got.canary, `${label} ${name} canary`).toBe(CANARY);
      const tol = { rel: 1e-5, abs: 1e-5 * Math.sqrt(Math.max(nIn, nOut, batch)) * 10 };
      expectClose(z.values, oracle.view(oz), tol, `${label} z`);
      expectClose(da.values, oracle.view(oda), tol, `${label} da`);
      expectClose(dw.values, oracle.view(odw), tol, `${label} dw`);
      expect(Array.from(z.values), `${label} z bitwise`).toEqual(Array.from(one.view(sz)));
      expect(Array.from(da.values), `${label} da bitwise`).toEqual(Array.from(one.view(sda)));
      expect(Array.from(dw.values), `${label} dw bitwise`).toEqual(Array.from(one.view(sdw)));

      for (const t of [sa, sw, sb, sdz, sz, sda, sdw]) one.free(t);
      for (const t of [ta, tw, tb, tdz, tz, tda, tdw]) two.free(t);
    });
  }

  it.each(SHAPES)('∂W written (accumulate false) at %i×%i→%i over NaN, alone and beside ∂input: the one-thread bits of zeroing it first', (batch, nIn, nOut) => {
    const rng = new Rng(batch * 31 + nIn * 7 + nOut);
    const a = normals(rng, batch * nIn), w = normals(rng, nOut * nIn), dz = normals(rng, batch * nOut), da0 = normals(rng, batch * nIn);
    const label = `${batch}×${nIn}→${nOut}`;
    const [sa, sdz] = [a, dz].map((v) => tensorOf(one, v));
    const sdw = one.alloc(nOut * nIn);
    one.denseBackwardWeights(sdw, sdz, sa, batch, nIn, nOut);
    const expected = Array.from(one.view(sdw));
    const nan = new Float32Array(nOut * nIn).fill(NaN);
    const [ta, tw, tdz] = [a, w, dz].map((v) => tensorOf(two, v));
    const tdw = guarded(two, nan), tdwBoth = guarded(two, nan), tda = guarded(two, da0);
    const splitBefore = two.splitProducts;
    two.denseBackwardWeights(tdw, tdz, ta, batch, nIn, nOut, false);
    // Split by columns (a tile's width each at least), or from batch 128 by rows, as in the test above.
    expect(two.splitProducts - splitBefore, `${label}: ∂W split`).toBe(nIn >= 16 ? 1 : 0);
    const [pairedBefore, splitBothBefore] = [two.pairedProducts, two.splitProducts];
    two.denseBackwardWeightsAndInput(tdwBoth, tda, tdz, ta, tw, batch, nIn, nOut, false);
    expect(two.pairedProducts - pairedBefore + two.splitProducts - splitBothBefore, `${label}: the pair on two threads`).toBeGreaterThan(0);
    for (const [name, t] of [['alone', tdw], ['beside ∂input', tdwBoth]] as const) {
      const got = contents(two, t, nOut * nIn);
      expect(got.canary, `${label} ${name} canary`).toBe(CANARY);
      expect(Array.from(got.values), `${label} dw written ${name}`).toEqual(expected);
    }
    for (const t of [sa, sdz, sdw]) one.free(t);
    for (const t of [ta, tw, tdz, tdw, tdwBoth, tda]) two.free(t);
  });

  it('runs a job the sleeping worker has not claimed on the main thread, bit for bit as the worker would', async () => {
    const pool = (two as unknown as { pool: { jobsRunHere: number; isAwake(w: number): boolean } }).pool;
    // Whether the main thread gets there before the worker wakes is timing. On a tiny product the
    // main thread's own half takes well under the tens of µs a sleeping worker needs to wake, so it
    // claims the worker's job nearly every time (on 64×784×100, in a CI run of 18fe0f0 on an Intel
    // Xeon, the worker woke first in all 20 attempts); tried until seen all the same.
    const [small, smallIn, smallOut] = [8, 32, 16];
    const rng = new Rng(8);
    const sa0 = normals(rng, small * smallIn), sw0 = normals(rng, smallOut * smallIn), sb0 = normals(rng, smallOut), sdz0 = normals(rng, small * smallOut);
    const single = (() => {
      const [sa, sw, sb, sdz] = [sa0, sw0, sb0, sdz0].map((v) => tensorOf(one, v));
      const z = one.alloc(small * smallOut), da = one.alloc(small * smallIn);
      one.denseForward(z, sa, sw, sb, small, smallIn, smallOut);
      one.denseBackwardInput(da, sdz, sw, small, smallIn, smallOut);
      const bits = [z, da].map((t) => Array.from(one.view(t)));
      [sa, sw, sb, sdz, z, da].forEach((t) => one.free(t));
      return bits;
    })();
    const [qa, qw, qb, qdz] = [sa0, sw0, sb0, sdz0].map((v) => tensorOf(two, v));
    const qz = two.alloc(small * smallOut), qda = two.alloc(small * smallIn);
    let ranHere = 0;
    for (let attempt = 0; attempt < 50 && ranHere === 0; attempt++) {
      await vi.waitFor(() => expect(pool.isAwake(0)).toBe(false), { timeout: 10_000, interval: 5 });
      const before = pool.jobsRunHere;
      two.zero(qda);
      two.denseForward(qz, qa, qw, qb, small, smallIn, smallOut);
      two.denseBackwardInput(qda, qdz, qw, small, smallIn, smallOut);
      ranHere = pool.jobsRunHere - before;
      expect([qz, qda].map((t) => Array.from(two.view(t))), `attempt ${attempt}`).toEqual(single);
    }
    expect(ranHere, 'a job run on the main thread').toBeGreaterThan(0);
    [qa, qw, qb, qdz, qz, qda].forEach((t) => two.free(t));
    const [batch, nIn, nOut] = [64, 784, 100];
    const a = normals(rng, batch * nIn), dz = normals(rng, batch * nOut), dw0 = normals(rng, nOut * nIn);
    const [ta, tdz] = [a, dz].map((v) => tensorOf(two, v));
    const tdw = tensorOf(two, dw0);
    // ∂W: the worker's columns, computed here, are the worker's bits.
    two.denseBackwardWeights(tdw, tdz, ta, batch, nIn, nOut);
    const worker = tensorOf(two, dw0);
    await vi.waitFor(() => expect(pool.isAwake(0)).toBe(false), { timeout: 10_000, interval: 5 });
    two.denseBackwardWeights(worker, tdz, ta, batch, nIn, nOut);
    expect(Array.from(two.view(worker))).toEqual(Array.from(two.view(tdw)));
    [ta, tdz, tdw, worker].forEach((t) => two.free(t));
  });

  it('stamps every job it waits for while probed (bench/thread-jobs.ts), the worker\'s run on the same clock, and nothing once unprobed', () => {
    const pool = (two as unknown as { pool: ThreadPool }).pool;
    const [batch, nIn, nOut] = [64, 784, 100];
    const rng = new Rng(12);
    const [a, w, b] = [normals(rng, batch * nIn), normals(rng, nOut * nIn), normals(rng, nOut)].map((v) => tensorOf(two, v));
    const z = two.alloc(batch * nOut);
    const stamps: JobStamp[] = [];
    // Whether the worker or the main thread runs the job is timing (a busy host may keep the worker
    // off its vCPU): tried until the worker has run one.
    for (let attempt = 0; attempt < 200 && !stamps.some((s) => !Number.isNaN(s.workerStart)); attempt++) {
      pool.probe(stamps);
      two.denseForward(z, a, w, b, batch, nIn, nOut);
      pool.probe(null);
    }
    expect(stamps.length).toBeGreaterThan(0);
    for (const s of stamps) {
      expect(s.name).toBe('f32_dense_fwd__simd');
      expect(s.worker).toBe(0);
      expect(s.posted).toBeLessThanOrEqual(s.waited);
      expect(s.waited).toBeLessThanOrEqual(s.returned);
      if (Number.isNaN(s.workerStart)) expect(s.workerEnd).toBeNaN();
    }
    const byWorker = stamps.filter((s) => !Number.isNaN(s.workerStart));
    expect(byWorker.length, 'a job the worker ran').toBeGreaterThan(0);
    for (const s of byWorker) {
      expect(s.workerStart).toBeLessThanOrEqual(s.workerEnd);
      // One clock on both threads: the worker's run lies between the post and the wait's return,
      // give or take how far two threads' time origins may differ (well under a millisecond).
      expect(s.workerStart).toBeGreaterThan(s.posted - 1);
      expect(s.workerEnd).toBeLessThan(s.returned + 1);
    }
    const seen = stamps.length;
    two.denseForward(z, a, w, b, batch, nIn, nOut);
    expect(stamps.length, 'no stamp once unprobed').toBe(seen);
    [a, w, b, z].forEach((t) => two.free(t));
  });

  it('hands out zeroed tensors on its shared memory, a block reused after free included', () => {
    for (const k of [one, two]) {
      const length = 3 * 4096 + 5;
      const first = tensorOf(k, new Float32Array(length).fill(7));
      const block = first.ptr; // the freed handle refuses every use, its ptr included
      k.free(first);
      // First fit: a free block left by earlier products (their scratch) may come before the freed
      // one, so blocks of the same size are taken until it comes back.
      const taken = [k.alloc(length)];
      while (taken[taken.length - 1].ptr !== block && taken.length < 64) taken.push(k.alloc(length));
      const again = taken[taken.length - 1];
      expect(again.ptr, `${k.name}: the freed block is reused`).toBe(block);
      expect(k.maxAbs(again, length), `${k.name}: reused block zeroed`).toBe(0);
      taken.forEach((t) => k.free(t));
    }
  });

  it('splits ∂W by columns on 2, 3 and 4 threads, bit for bit as one thread, call after call (cuts on and off panel edges, swapped and unswapped tiles)', async () => {
    for (const threads of [2, 3, 4]) {
      const k = threads === 2 ? two : await createThreadedWasmKernels({ threads, ...SPLIT_ALL });
      // A second call, a larger layer (the scratches grow) and a smaller one again; nIn 37 leaves
      // the last part off a multiple of 8 columns, 100 a half panel; batch 784 is 3 K blocks of 262,
      // and 16×52→100 swaps the roles of its operands in some parts and not in others.
      for (const [batch, nIn, nOut] of [[37, 37, 27], [37, 37, 27], [41, 45, 30], [37, 37, 27], [64, 100, 100], [784, 784, 10], [16, 52, 100]]) {
        const splitBefore = k.splitProducts;
        matchesOneThread(k, threads, batch, nIn, nOut);
        expect(k.splitProducts - splitBefore, `${threads} threads, ${batch}×${nIn}→${nOut}: split`).toBe(1);
      }
      if (k !== two) await k.close();
    }
  });

  /** k's split ∂W into a non-zero dw against the one-thread kernel's. */
  function matchesOneThread(k: ThreadedWasmKernels, threads: number, batch: number, nIn: number, nOut: number) {
    const rng = new Rng(31 + nIn);
    const a = normals(rng, batch * nIn), dz = normals(rng, batch * nOut), dw0 = normals(rng, nOut * nIn);
    const expected = tensorOf(one, dw0);
    one.denseBackwardWeights(expected, tensorOf(one, dz), tensorOf(one, a), batch, nIn, nOut);
    const [tdw, tdz, ta] = [guarded(k, dw0), tensorOf(k, dz), tensorOf(k, a)];
    k.denseBackwardWeights(tdw, tdz, ta, batch, nIn, nOut);
    const got = contents(k, tdw, nOut * nIn);
    expect(got.canary, `${threads} threads: canary`).toBe(CANARY);
    expect(Array.from(got.values), `${threads} threads, ${batch}×${nIn}→${nOut}`).toEqual(Array.from(one.view(expected)));
    [tdw, tdz, ta].forEach((t) => k.free(t));
  }

  it('splits ∂W by batch rows on two threads where one thread folds its sum there (weightsFoldRow), and by columns elsewhere, bit for bit as one thread', () => {
    const pool = (two as unknown as { pool: ThreadPool }).pool;
    const fold = (batch: number) => two.exports.dense_weights_fold_row(batch);
    // The fold's edges: none below 128 rows; half the batch rounded up to 4 rows; a first part of two K blocks (388 rows > KC = 384,
    // 772 = 388 + 384); none once the second part would be two K blocks (780 = 392 + 388).
    expect([127, 128, 130, 257, 772, 780].map(fold)).toEqual([0, 64, 68, 132, 388, 0]);
    for (const [batch, nIn, nOut] of [[128, 37, 27], [130, 45, 30], [257, 100, 100], [300, 52, 100], [772, 40, 10], [780, 40, 10], [127, 37, 27]]) {
      const stamps: JobStamp[] = [];
      pool.probe(stamps);
      matchesOneThread(two, 2, batch, nIn, nOut);
      pool.probe(null);
      const names = stamps.map((s) => s.name);
      const label = `${batch}×${nIn}→${nOut}`;
      if (fold(batch) > 0) {
        expect(names[0], `${label}: by rows`).toBe('f32_dense_bwd_weights_rows__simd');
        // The worker's partial sums added to ∂W: split as the optimisers' updates are (from 2¹⁵ values), else on the main thread.
        expect(names.slice(1), `${label}: the partial sums added`).toEqual(nIn * nOut >= 1 << 15 ? ['f32_axpy__simd'] : []);
      } else {
        expect(names, `${label}: by columns`).toEqual(['f32_dense_bwd_weights_cols__simd']);
      }
    }
    // The partial sums added as an update's halves: a ∂W of 2¹⁵ values or more.
    const stamps: JobStamp[] = [];
    pool.probe(stamps);
    matchesOneThread(two, 2, 256, 784, 100);
    pool.probe(null);
    expect(stamps.map((s) => s.name)).toEqual(['f32_dense_bwd_weights_rows__simd', 'f32_axpy__simd']);
  });

  it('runs a layer\'s ∂W on a worker beside the main thread\'s ∂input, bit for bit as one thread: below batch 128 products a split would take always on two threads, smaller ones while the worker is awake; from 128 both split by rows; on more threads the large ones split instead', async () => {
    const [pairing, three, thick] = [await createThreadedWasmKernels({ threads: 2 }), await createThreadedWasmKernels({ threads: 3 }), await createThreadedWasmKernels({ threads: 2, minRowsPerThread: 100 })];
    // Default minFlops 2²¹ and 20 rows per thread: 256×100→100 is split-sized (5.1 Mflop), 256×100→10 not (0.5 Mflop), 32×50→10 below MIN_PAIRED_FLOPS.
    // From batch 128 (assembly/gemm.pack.ts' weightsFoldRow) two threads split both products by batch rows instead, where they would pair
    // and each thread gets minRowsPerThread rows (150 rows at 100 a thread pair instead); each product split counts one, as on 3 threads.
    const cases: { k: ThreadedWasmKernels; shape: [number, number, number]; paired: (awake: boolean) => boolean; split: number | ((awake: boolean) => number) }[] = [
      { k: pairing, shape: [256, 100, 100], paired: () => false, split: 2 },
      { k: pairing, shape: [256, 100, 10], paired: () => false, split: (awake) => (awake ? 2 : 0) },
      { k: thick, shape: [150, 100, 100], paired: (awake) => awake, split: 0 },
      { k: pairing, shape: [64, 100, 100], paired: (awake) => awake, split: 0 },
      { k: pairing, shape: [127, 100, 10], paired: (awake) => awake, split: 0 },
      { k: pairing, shape: [32, 50, 10], paired: () => false, split: 0 },
      { k: three, shape: [256, 100, 100], paired: () => false, split: 2 },
      { k: three, shape: [256, 100, 10], paired: (awake) => awake, split: 0 },
    ];
    for (const { k, shape, paired, split } of cases) {
      const [batch, nIn, nOut] = shape;
      const rng = new Rng(batch + nIn + nOut);
      const a = normals(rng, batch * nIn), w = normals(rng, nOut * nIn), dz = normals(rng, batch * nOut), dw0 = normals(rng, nOut * nIn), da0 = normals(rng, batch * nIn);
      const [sdw, sda] = [dw0, da0].map((v) => tensorOf(one, v));
      one.denseBackwardWeights(sdw, tensorOf(one, dz), tensorOf(one, a), batch, nIn, nOut);
      one.denseBackwardInput(sda, tensorOf(one, dz), tensorOf(one, w), batch, nIn, nOut);
      const expected = [sdw, sda].map((t) => Array.from(one.view(t)));
      const pool = (k as unknown as { pool: { isAwake(w: number): boolean } }).pool;
      // Awake or asleep is timing; each case is set here so the rule is tested on a loaded machine too.
      for (const awake of [true, false]) {
        const spy = vi.spyOn(pool, 'isAwake').mockReturnValue(awake);
        const [pairedBefore, splitBefore] = [k.pairedProducts, k.splitProducts];
        const [ta, tw, tdz] = [a, w, dz].map((v) => tensorOf(k, v));
        const [tdw, tda] = [guarded(k, dw0), guarded(k, da0)];
        k.denseBackwardWeightsAndInput(tdw, tda, tdz, ta, tw, batch, nIn, nOut);
        spy.mockRestore();
        const label = `${k.threads} threads, ${batch}×${nIn}→${nOut}, worker ${awake ? 'awake' : 'asleep'}`;
        expect(k.pairedProducts - pairedBefore, `${label}: paired`).toBe(paired(awake) ? 1 : 0);
        expect(k.splitProducts - splitBefore, `${label}: split`).toBe(typeof split === 'number' ? split : split(awake));
        const [gdw, gda] = [contents(k, tdw, nOut * nIn), contents(k, tda, batch * nIn)];
        expect([gdw.canary, gda.canary], `${label}: canaries`).toEqual([CANARY, CANARY]);
        expect([Array.from(gdw.values), Array.from(gda.values)], label).toEqual(expected);
        [ta, tw, tdz, tdw, tda].forEach((t) => k.free(t));
      }
    }
    await Promise.all([pairing.close(), three.close(), thick.close()]);
  });

  it('gathers a batch and runs it forward across the threads (denseForwardGather), bit for bit as one thread', () => {
    for (const [batch, nIn, nOut] of [[37, 513, 7], [64, 784, 100], [130, 129, 40]] as const) {
      const setRows = 3 * batch;
      const rng = new Rng(batch + nIn);
      const [x, w, b] = [normals(rng, setRows * nIn), normals(rng, nOut * nIn), normals(rng, nOut)];
      const rows = Uint32Array.from({ length: setRows }, (_, i) => i);
      rng.shuffle(rows);
      const single = { z: one.alloc(batch * nOut), a: one.alloc(batch * nIn) };
      one.denseForwardGather(single.z, single.a, tensorOf(one, x), rows, 5, tensorOf(one, w), tensorOf(one, b), batch, nIn, nOut);
      const split = { z: guarded(two, new Float32Array(batch * nOut).fill(NaN)), a: guarded(two, new Float32Array(batch * nIn).fill(NaN)) };
      const before = two.splitProducts;
      two.denseForwardGather(split.z, split.a, tensorOf(two, x), rows, 5, tensorOf(two, w), tensorOf(two, b), batch, nIn, nOut);
      expect(two.splitProducts - before, `${batch}×${nIn}→${nOut}: split across the threads`).toBe(1);
      for (const [name, n] of [['z', batch * nOut], ['a', batch * nIn]] as const) {
        const got = contents(two, split[name], n);
        expect(got.canary, `${batch}×${nIn}→${nOut} ${name}: past its end`).toBe(CANARY);
        expect(new Uint32Array(got.values.buffer), `${batch}×${nIn}→${nOut} ${name}`).toEqual(new Uint32Array(Float32Array.from(one.view(single[name])).buffer));
      }
    }
  });

  it('gathers a batch with copyRows across the threads, bit for bit as one thread (split points on and off multiples of 4)', () => {
    for (const [count, rowLen] of [[37, 513], [64, 784], [130, 129]] as const) {
      const sourceRows = 3 * count;
      const rng = new Rng(count + rowLen);
      const values = normals(rng, sourceRows * rowLen);
      const rows = Uint32Array.from({ length: sourceRows }, (_, i) => i);
      rng.shuffle(rows);
      const gather = <T extends Tensor>(k: Kernels<T>, dst: T) => {
        const src = tensorOf(k, values);
        k.copyRows(dst, src, rows, 5, count, rowLen);
        k.free(src);
      };
      const single = one.alloc(count * rowLen);
      gather(one, single);
      const split = guarded(two, new Float32Array(count * rowLen).fill(NaN));
      const before = two.splitCopies;
      gather(two, split);
      expect(two.splitCopies - before, `${count} rows of ${rowLen}: gathered across the threads`).toBe(1);
      const got = contents(two, split, count * rowLen);
      expect(got.canary).toBe(CANARY);
      expect(Array.from(got.values), `${count} rows of ${rowLen}`).toEqual(Array.from(one.view(single)));
      one.free(single);
      two.free(split);
    }
  });

  it('splits the elementwise activations by rows, bit for bit as one thread: the forward and backward passes from 2¹⁴ values', () => {
    // 127 × 129 = 16,383 values: both stay on the main thread; 130 × 129 = 16,770 and 520 × 513 =
    // 266,760: both split. Split points off multiples of 4 rows in both.
    for (const [batch, n, splits] of [[127, 129, 0], [130, 129, 2], [520, 513, 2]] as const) {
      const rng = new Rng(17 + n);
      const z = normals(rng, batch * n), da = normals(rng, batch * n), dz0 = normals(rng, batch * n);
      for (const f of ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softsign', 'linear', 'selu'] as const) {
        const run = <T extends Tensor>(k: Kernels<T>) => {
          const [tz, tda, tdz] = [z, da, dz0].map((v) => tensorOf(k, v));
          const a = k.alloc(batch * n);
          k.activationForward(f, a, tz, batch, n);
          k.activationBackward(f, tdz, tda, tz, a, batch, n);
          const out = [a, tdz].map((t) => Array.from(k.view(t)));
          [tz, tda, tdz, a].forEach((t) => k.free(t));
          return out;
        };
        const before = two.splitPasses;
        const split = run(two);
        expect(two.splitPasses - before, `${f} over ${batch} × ${n}: passes split`).toBe(splits);
        expect(split, `${f} over ${batch} × ${n}`).toEqual(run(one));
      }
    }
  });

  it('splits the optimisers\' updates of a large tensor (plain SGD\'s axpy included) and its zeroing while the worker is awake, bit for bit as one thread; a sleeping worker is left asleep', async () => {
    const n = (1 << 15) + 3; // the worker's part ends in the scalar tail, as one thread's does
    const rng = new Rng(21);
    // The state of Adagrad, RMSProp and Adam's second moment is a sum of squares: not negative.
    const w = normals(rng, n), v = normals(rng, n), g = normals(rng, n), squares = normals(rng, n).map((x) => x * x);
    const pool = (two as unknown as { pool: { isAwake(w: number): boolean } }).pool;
    // An idle worker goes to sleep after a short spin, and says so.
    await vi.waitFor(() => expect(pool.isAwake(0), 'an idle worker sleeps').toBe(false), { timeout: 10_000, interval: 20 });
    for (const update of ['sgdUpdate', 'nesterovUpdate', 'adagradUpdate', 'rmspropUpdate', 'adam', 'adamW', 'axpy', 'zero'] as const) {
      const run = <T extends Tensor>(k: Kernels<T>) => {
        const [tw, tv, tg, ts] = [w, v, g, squares].map((values) => tensorOf(k, values));
        if (update === 'adagradUpdate') k.adagradUpdate(tw, ts, tg, n, 0.05, 1e-8, 1e-3);
        else if (update === 'rmspropUpdate') k.rmspropUpdate(tw, ts, tg, n, 0.05, 0.99, 1e-8, 1e-3);
        else if (update === 'adam' || update === 'adamW') k.adamUpdate(tw, tv, ts, tg, n, 0.05, 0.9, 0.999, 1e-8, 1e-3, update === 'adamW', 3);
        else if (update === 'axpy') k.axpy(tw, tg, n, -0.05);
        else if (update === 'zero') k.zero(tw);
        else k[update](tw, tv, tg, n, 0.05, 0.9, 1e-3);
        const out = [tw, tv, ts].map((t) => Array.from(k.view(t)));
        [tw, tv, tg, ts].forEach((t) => k.free(t));
        return out;
      };
      const expected = run(one);
      // Awake or asleep is timing; each case is set here so the rule is tested on a loaded machine too.
      for (const awake of [true, false]) {
        const spy = vi.spyOn(pool, 'isAwake').mockReturnValue(awake);
        const before = two.splitPasses;
        const got = run(two);
        spy.mockRestore();
        expect(two.splitPasses - before, `${update}, worker ${awake ? 'awake: split' : 'asleep: main thread alone'}`).toBe(awake ? 1 : 0);
        expect(got, `${update}, worker ${awake ? 'awake' : 'asleep'}`).toEqual(expected);
      }
    }
  });

  it('splits the maxAbs of a large tensor (the step guard\'s gradient check) while the worker is awake: one thread\'s number, a NaN or an infinity in either part included', () => {
    const n = (1 << 15) + 3; // the worker's part ends in the scalar tail, as one thread's does
    const pool = (two as unknown as { pool: { isAwake(w: number): boolean } }).pool;
    const base = normals(new Rng(23), n);
    const put = (at: number, value: number) => Float32Array.from(base, (v, i) => (i === at ? value : v));
    const cases: [string, Float32Array][] = [
      ['normals', base],
      ['the largest in the worker\'s part', put(n - 9, -1e6)],
      ['the largest in the main thread\'s part', put(1, 1e6)],
      ['a NaN in the worker\'s part', put(n - 5, NaN)],
      ['a NaN in the main thread\'s part', put(7, NaN)],
      ['an infinity in the scalar tail', put(n - 1, -Infinity)],
    ];
    for (const [label, values] of cases) {
      const t1 = tensorOf(one, values);
      const expected = one.maxAbs(t1, n);
      one.free(t1);
      for (const awake of [true, false]) {
        const t2 = tensorOf(two, values);
        const spy = vi.spyOn(pool, 'isAwake').mockReturnValue(awake);
        const before = two.splitPasses;
        const got = two.maxAbs(t2, n);
        spy.mockRestore();
        two.free(t2);
        expect(two.splitPasses - before, `${label}, worker ${awake ? 'awake: split' : 'asleep: main thread alone'}`).toBe(awake ? 1 : 0);
        expect(got, `${label}, worker ${awake ? 'awake' : 'asleep'}`).toBe(expected);
      }
    }
  });

  it('runs the block kernels (normalisation, residual, selu) on its shared memory as the one-thread backend does, bit for bit', () => {
    const [batch, n] = [13, 10];
    const rng = new Rng(21);
    const x = normals(rng, batch * n), dy = normals(rng, batch * n), gamma = normals(rng, n), beta = normals(rng, n);
    const run = <T extends Tensor>(k: Kernels<T>) => {
      const [tx, tdy, tg, tb] = [x, dy, gamma, beta].map((v) => tensorOf(k, v));
      const [y, dx, dg, db, a, dz] = [0, 0, 0, 0, 0, 0].map(() => k.alloc(batch * n));
      const [mean, invStd, runningMean, runningVar, rowMean, rowInvStd, alpha, dalpha] = [n, n, n, n, batch, batch, 1, 1].map((m) => k.alloc(m));
      k.write(alpha, [0.5]);
      k.batchNormForward(y, mean, invStd, runningMean, runningVar, tx, tg, tb, batch, n, 0.1, 1e-5);
      k.batchNormBackward(dx, dg, db, tdy, tx, mean, invStd, tg, batch, n);
      k.batchNormInference(y, tx, tg, tb, runningMean, runningVar, batch, n, 1e-5);
      k.layerNormForward(a, rowMean, rowInvStd, y, tg, tb, batch, n, 1e-5);
      k.layerNormBackward(dx, dg, db, tdy, y, rowMean, rowInvStd, tg, batch, n);
      k.activationForward('selu', a, a, batch, n);
      k.activationBackward('selu', dz, tdy, y, a, batch, n);
      k.rezeroForward(a, a, y, alpha, batch * n);
      k.rezeroBackward(dx, dz, dalpha, tdy, y, alpha, batch * n);
      k.residualForward(a, a, tx, batch * n);
      k.residualBackward(dx, dz, tdy, batch * n);
      return [y, dx, dg, db, a, dz, runningMean, runningVar, dalpha].map((t) => Array.from(k.view(t)));
    };
    expect(run(two)).toEqual(run(one));
  });

  it('trains a network as the one-thread backend does: at batch 32 (∂W by columns and beside ∂input) and at 128 (every ∂W by rows), every weight after two epochs', async () => {
    const options = { sizes: [30, 24, 16, 3], activation: 'sigmoid' as const, output: 'sigmoid' as const, loss: 'mse' as const, seed: 5 };
    const rng = new Rng(9);
    const x = Array.from({ length: 256 }, () => Array.from({ length: 30 }, () => rng.uniform()));
    const y = Array.from({ length: 256 }, (_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]);
    for (const batchSize of [32, 128]) {
      const runs = [];
      for (const backend of [one, two]) {
        const net = await createNetwork({ ...options, backend });
        const before = two.splitProducts;
        const result = net.train(x, y, { epochs: 2, batchSize, learningRate: 0.5 });
        if (backend === two) expect(two.splitProducts - before, `batch ${batchSize}: products split`).toBeGreaterThan(0);
        runs.push({ loss: result.epochs.map((e) => e.loss), weights: net.weights.map((w) => Array.from(backend.view(w as never))) });
        net.dispose();
      }
      // Every split kernel computes each value as one thread does: the same bits.
      expect(runs[1].loss, `batch ${batchSize}: epoch losses`).toEqual(runs[0].loss);
      expect(runs[1].weights, `batch ${batchSize}: weights`).toEqual(runs[0].weights);
    }
  });

  it('trains as the one-thread backend does near the fold\'s and the threads\' cuts: two threads by default and splitting everything, three, plain SGD and Adam, batches 127–131, 257 and 771–780 over 1,543 rows (a partial last batch), every weight after two epochs', async () => {
    const twoDefault = await createThreadedWasmKernels({ threads: 2 });
    const three = await createThreadedWasmKernels({ threads: 3, minFlops: 0 });
    try {
      const rng = new Rng(11);
      const rows = 1543, sizes = [100, 100, 100, 10];
      const x = Array.from({ length: rows }, () => Array.from({ length: 100 }, () => rng.uniform()));
      const y = Array.from({ length: rows }, (_, r) => Array.from({ length: 10 }, (_, c) => (r % 10 === c ? 1 : 0)));
      const threaded: ThreadedWasmKernels[] = [twoDefault, two, three];
      const splits = threaded.map(() => 0);
      for (const batchSize of [127, 128, 129, 130, 131, 257, 771, 772, 773, 780]) {
        for (const optimizer of ['sgd', 'adam'] as const) {
          const train = async (backend: Kernels<WasmTensor>) => {
            const net = await createNetwork({ sizes, seed: 7, backend });
            const result = net.train(x, y, { epochs: 2, batchSize, optimizer, learningRate: 0.05 });
            const run = { loss: result.epochs.map((e) => e.loss), weights: net.weights.map((w) => Array.from(backend.view(w as never))) };
            net.dispose();
            return run;
          };
          const expected = await train(one);
          for (const [i, k] of threaded.entries()) {
            const label = `batch ${batchSize}, ${optimizer}, ${['two threads (default)', 'two threads splitting everything', 'three threads'][i]}`;
            const before = k.splitProducts;
            const run = await train(k);
            splits[i] += k.splitProducts - before;
            expect(run.loss, `${label}: epoch losses`).toEqual(expected.loss);
            expect(run.weights, `${label}: weights`).toEqual(expected.weights);
          }
        }
      }
      // Each backend really split products somewhere (three threads with the default least rows, from batch 257).
      expect(splits.every((n) => n > 0), `products split: ${splits.join(' / ')}`).toBe(true);
    } finally {
      await twoDefault.close();
      await three.close();
    }
  }, 120_000);

  it('starts and stops a pool 20 times without a hang or a leaked worker', async () => {
    const before = liveWorkerCount();
    for (let i = 0; i < 20; i++) {
      const k = await createThreadedWasmKernels({ threads: 2, ...SPLIT_ALL });
      expect(liveWorkerCount()).toBe(before + 1);
      // One split product, so every pool has really run a job before it stops.
      const a = tensorOf(k, new Float32Array(16 * 8).fill(1)), w = tensorOf(k, new Float32Array(4 * 8).fill(0.5));
      const b = k.alloc(4), z = k.alloc(16 * 4);
      k.denseForward(z, a, w, b, 16, 8, 4);
      expect(Array.from(k.view(z))).toEqual(new Array(64).fill(4));
      await k.close();
      await k.close(); // idempotent
      expect(liveWorkerCount()).toBe(before);
      // After close the kernels still work, on the main thread alone.
      k.denseForward(z, a, w, b, 16, 8, 4);
      expect(k.view(z)[63]).toBe(4);
    }
  });

  it('folds ∂W from batch 128 (assembly/gemm.pack.ts\' FOLD_MIN_BATCH), past two threads\' default least rows: below it a split ∂W goes by columns', () => {
    const foldRow = one.exports.dense_weights_fold_row;
    const FOLD_MIN_BATCH = 128;
    expect(2 * DEFAULT_MIN_ROWS).toBeLessThan(FOLD_MIN_BATCH);
    expect(foldRow(FOLD_MIN_BATCH - 1), 'one row fewer: one sum').toBe(0);
    expect(foldRow(FOLD_MIN_BATCH), 'the fold, at the row split\'s cut').toBe(FOLD_MIN_BATCH / 2);
    expect(foldRow(2 * DEFAULT_MIN_ROWS), 'two threads\' default least rows: one sum').toBe(0);
  });

  it('splits a forward product under minFlops by rows on two threads while the worker is awake, from 2¹⁷ flops and minRowsPerThread rows each, bit for bit as one thread', async () => {
    const k = await createThreadedWasmKernels({ threads: 2 });
    const pool = (k as unknown as { pool: { isAwake(w: number): boolean } }).pool;
    // 256×100→10 is 0.5 Mflop (under the default 2²¹); 64×50→10 is 64,000 flops (under 2¹⁷); 38×100→10 is 19 rows a thread.
    for (const [batch, nIn, nOut, awakeSplits] of [[256, 100, 10, 1], [130, 100, 10, 1], [64, 50, 10, 0], [38, 100, 10, 0]] as const) {
      const rng = new Rng(batch + nIn);
      const [a, w, b] = [normals(rng, batch * nIn), normals(rng, nOut * nIn), normals(rng, nOut)];
      const sz = one.alloc(batch * nOut);
      one.denseForward(sz, tensorOf(one, a), tensorOf(one, w), tensorOf(one, b), batch, nIn, nOut);
      const expected = Array.from(one.view(sz));
      for (const awake of [true, false]) {
        const spy = vi.spyOn(pool, 'isAwake').mockReturnValue(awake);
        const before = k.splitProducts;
        const tz = guarded(k, new Float32Array(batch * nOut).fill(NaN));
        k.denseForward(tz, tensorOf(k, a), tensorOf(k, w), tensorOf(k, b), batch, nIn, nOut);
        spy.mockRestore();
        const label = `${batch}×${nIn}→${nOut}, worker ${awake ? 'awake' : 'asleep'}`;
        expect(k.splitProducts - before, `${label}: split`).toBe(awake ? awakeSplits : 0);
        const got = contents(k, tz, batch * nOut);
        expect(got.canary, `${label}: canary`).toBe(CANARY);
        expect(Array.from(got.values), label).toEqual(expected);
      }
    }
    await k.close();
  });

  it('keeps small products on the main thread by default', async () => {
    const k = await createThreadedWasmKernels({ threads: 2 });
    const put = (n: number) => tensorOf(k, new Float32Array(n).fill(0.25));
    // 38 rows: 19 per thread, below the default 20; 40 rows: split.
    k.denseForward(k.alloc(38 * 100), put(38 * 784), put(100 * 784), put(100), 38, 784, 100);
    expect(k.splitProducts).toBe(0);
    k.denseForward(k.alloc(40 * 100), put(40 * 784), put(100 * 784), put(100), 40, 784, 100);
    expect(k.splitProducts).toBe(1);
    // 256 rows of a 784→100 layer: split.
    k.denseForward(k.alloc(256 * 100), put(256 * 784), put(100 * 784), put(100), 256, 784, 100);
    expect(k.splitProducts).toBe(2);
    // A batch's targets (256 rows of 10) stay on the main thread; its inputs (256 rows of 784) are split.
    const order = Uint32Array.from({ length: 256 }, (_, i) => 255 - i);
    k.copyRows(k.alloc(256 * 10), put(256 * 10), order, 0, 256, 10);
    expect(k.splitCopies).toBe(0);
    k.copyRows(k.alloc(256 * 784), put(256 * 784), order, 0, 256, 784);
    expect(k.splitCopies).toBe(1);
    await k.close();
  });

  it('refuses bad options with a GradscopeError', async () => {
    await expectError(() => createThreadedWasmKernels({ threads: 0 }), 'INVALID_OPTION', /threads/);
    await expectError(() => createThreadedWasmKernels({ threads: 2.5 }), 'INVALID_OPTION', /threads/);
    await expectError(() => createThreadedWasmKernels({ minFlops: -1 }), 'INVALID_OPTION', /^minFlops: expected a finite number ≥ 0, got -1$/);
    await expectError(() => createThreadedWasmKernels({ minRowsPerThread: 0 }), 'INVALID_OPTION', /^minRowsPerThread: expected a whole number ≥ 1, got 0$/);
  });

  it('refuses minFlops Infinity (it would split batch gathers and activation passes but no product; one thread is threads: 1), NaN and minRowsPerThread Infinity, as the shared checks word them', async () => {
    await expectError(() => createThreadedWasmKernels({ minFlops: Infinity }), 'INVALID_OPTION', /^minFlops: expected a finite number ≥ 0, got Infinity$/);
    await expectError(() => createThreadedWasmKernels({ minFlops: NaN }), 'INVALID_OPTION', /^minFlops: expected a finite number ≥ 0, got NaN$/);
    await expectError(() => createThreadedWasmKernels({ minFlops: '0' as never }), 'INVALID_OPTION', /^minFlops: expected a finite number ≥ 0, got "0"$/);
    await expectError(() => createThreadedWasmKernels({ minRowsPerThread: Infinity }), 'INVALID_OPTION', /^minRowsPerThread: expected a whole number ≥ 1, got Infinity$/);
    // The largest finite threshold is taken: no product splits with the worker asleep, as documented;
    // awake (inside a step), a forward product of 2¹⁷ flops or more splits by rows all the same.
    const k = await createThreadedWasmKernels({ minFlops: Number.MAX_VALUE, minRowsPerThread: 4 });
    const pool = (k as unknown as { pool: { isAwake(w: number): boolean } }).pool;
    for (const awake of [false, true]) {
      const spy = vi.spyOn(pool, 'isAwake').mockReturnValue(awake);
      k.denseForward(k.alloc(256 * 100), k.alloc(256 * 784), k.alloc(100 * 784), k.alloc(100), 256, 784, 100);
      spy.mockRestore();
      expect(k.splitProducts, `worker ${awake ? 'awake' : 'asleep'}`).toBe(awake ? 1 : 0);
    }
    await k.close();
  });

  it('falls back to one thread without SharedArrayBuffer (a page without cross-origin isolation), and says so', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const k = await createThreadedWasmKernels({ threads: 2 });
      expect(k.threads).toBe(1);
      expect(k.threadsFallback).toMatch(/SharedArrayBuffer/);
      // Still a working backend.
      const z = k.alloc(2);
      k.denseForward(z, tensorOf(k, [1, 2]), tensorOf(k, [3, 4, 5, 6]), tensorOf(k, [0.5, -0.5]), 1, 2, 2);
      expect(Array.from(k.view(z))).toEqual([11.5, 16.5]);
      await k.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('falls back to one thread when asked for one, and says so', async () => {
    const k = await createThreadedWasmKernels({ threads: 1 });
    expect(k.threads).toBe(1);
    expect(k.threadsFallback).toMatch(/one thread/);
    await k.close();
  });
});
