/**
 * What a write costs, on two threads, to cache lines both cores have read: after a split forward of
 * 256×784→100 both threads have read the whole [100][784] weight, and plain SGD's update then
 * writes it; after a split ∂W and a split update both have read the whole ∂W, and the next step's
 * zeroing writes it. Each is timed on the main thread alone and split across the two threads
 * (threaded-kernels.ts MIN_SPLIT_UPDATE), and, as a control, after the same kernels ran on the main
 * thread alone (the lines in its cache only). Per-call timings, so a busy second vCPU spoils only
 * the calls it hits: the tenth percentile and the median (src/median.ts: interpolated between calls) of the calls whose set-up the worker
 * itself ran (a job the main thread ran itself leaves no line in the worker's cache). Two more
 * controls say what is left when no line is shared: the split zeroing of a tensor whose halves are
 * each in the cache of the thread that zeroes it (the split's own cost: hand-off and wait), and the
 * zeroing of lines in its own cache on the one-thread backend's unshared memory (bulk memory on a
 * shared WebAssembly.Memory against an unshared one).
 *
 *   npx tsx bench/shared-writes.ts [--calls 300]
 */
import os from 'node:os';
import type { ThreadPool } from '../src/wasm/threads/pool.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels, WasmBackend, type WasmTensor } from '../src/wasm/wasm-kernels.js';
import { median, quantile } from '../src/median.js';
import { option } from './ab-args.js';

const calls = Number(option('--calls', '300'));
const [batch, nIn, nOut] = [256, 784, 100];

const k = await createThreadedWasmKernels({ threads: 2 });
if (k.threads < 2) throw new Error(`two threads are not available here: ${k.threadsFallback}`);
const pool = (k as unknown as { pool: ThreadPool }).pool;
const one = WasmBackend.prototype;
const filled = (length: number) => {
  const t = k.alloc(length) as WasmTensor;
  k.write(t, Float32Array.from({ length }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5));
  return t;
};
const [a, w, b, z, dz, g, h] = [filled(batch * nIn), filled(nOut * nIn), filled(nOut), filled(batch * nOut), filled(batch * nOut), filled(nOut * nIn), filled(nOut * nIn)];
const unshared = await createWasmKernels({ variant: 'simd' });
const unsharedTensor = unshared.alloc(nOut * nIn);
const n = nOut * nIn;
const learningRate = 1e-9; // the weights barely move over the calls

/** Set-ups: both threads read w (a split forward), or the main thread alone does. */
const bothReadWeights = () => k.denseForward(z, a, w, b, batch, nIn, nOut);
const mainReadsWeights = () => one.denseForward.call(k, z, a, w, b, batch, nIn, nOut);
/** Both threads write their columns of g and read half of it (split ∂W, split update), or the main thread alone does. */
const bothWriteAndReadGradient = () => {
  k.denseBackwardWeights(g, dz, a, batch, nIn, nOut);
  k.axpy(w, g, n, -learningRate);
};
const mainWritesAndReadsGradient = () => {
  one.denseBackwardWeights.call(k, g, dz, a, batch, nIn, nOut);
  one.axpy.call(k, w, g, n, -learningRate);
};
/** The split zeroing of h, after a split product that leaves the worker awake (an update or zeroing is split only then). */
const wakeThenZeroSplit = () => {
  bothReadWeights();
  k.zero(h, n);
};

const cases: { name: string; setUp: () => void; run: () => void; shared: boolean }[] = [
  { name: `axpy of ${n} weights, main thread alone`, setUp: bothReadWeights, run: () => one.axpy.call(k, w, g, n, -learningRate), shared: true },
  { name: `axpy of ${n} weights, split`, setUp: bothReadWeights, run: () => k.axpy(w, g, n, -learningRate), shared: true },
  { name: `axpy of ${n} weights, control (lines in the main thread's cache alone)`, setUp: mainReadsWeights, run: () => one.axpy.call(k, w, g, n, -learningRate), shared: false },
  { name: `zero of a ${n}-value ∂W, main thread alone`, setUp: bothWriteAndReadGradient, run: () => one.zero.call(k, g, n), shared: true },
  { name: `zero of a ${n}-value ∂W, split`, setUp: bothWriteAndReadGradient, run: () => k.zero(g, n), shared: true },
  { name: `zero of a ${n}-value ∂W, control (lines in the main thread's cache alone)`, setUp: mainWritesAndReadsGradient, run: () => one.zero.call(k, g, n), shared: false },
  { name: `zero of a ${n}-value tensor, split, each half in its zeroing thread's cache alone`, setUp: wakeThenZeroSplit, run: () => k.zero(h, n), shared: true },
  { name: `zero of a ${n}-value tensor, control on the one-thread backend's unshared memory`, setUp: () => unshared.zero(unsharedTensor, n), run: () => unshared.zero(unsharedTensor, n), shared: false },
];

const times = new Map(cases.map((c) => [c.name, [] as number[]]));
const load0 = os.loadavg()[0];
for (let call = 0; call < calls; call++) {
  for (const c of call % 2 ? [...cases].reverse() : cases) {
    const ranHere = pool.jobsRunHere;
    c.setUp();
    // Shared only if the worker ran its part of the set-up, and only timed then.
    if (c.shared && pool.jobsRunHere !== ranHere) continue;
    const t0 = performance.now();
    c.run();
    times.get(c.name)!.push((performance.now() - t0) * 1000);
  }
}
await k.close();

console.log(`${os.cpus()[0].model}, load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; µs per call, tenth percentile / median of the timed calls`);
for (const [name, values] of times) {
  console.log(`${name.padEnd(72)} ${values.length ? `${quantile(values, 0.1).toFixed(1)} / ${median(values).toFixed(1)}` : '-'} (${values.length} of ${calls} calls)`);
}
