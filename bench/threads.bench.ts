/**
 * Two cores: a wasm-simd training step (sigmoid, MSE, SGD) on one thread and on two
 * (createThreadedWasmKernels), side by side in alternating rounds, at batches 64 to 1024 on
 * [784,100,100,10] and on a wider [784,512,512,10]; plus one 512³ forward product. `ratio` is the
 * speed-up (one-thread time over two-thread time, median of the rounds); the goal is ≥ 1.7× at
 * batch ≥ 256. A second core that another process keeps busy gives no speed-up: the run records
 * the load average so a reader can tell.
 */
import os from 'node:os';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import type { Kernels } from '../src/kernels.js';
import { sideBySide } from './median.js';
import { stepOn } from './step.bench.js';

export interface ThreadsRow {
  name: string;
  oneMs: number;
  twoMs: number;
  /** One-thread time over two-thread time. */
  ratio: number;
}

export interface ThreadsResult {
  rows: ThreadsRow[];
  /** 1-minute load average before and after, and the cores. */
  load: [number, number];
  cores: number;
  /** Why two threads were not used, if they were not. */
  fallback: string | null;
}

const CASES = [
  { sizes: [784, 100, 100, 10], batch: 64 },
  { sizes: [784, 100, 100, 10], batch: 256 },
  { sizes: [784, 100, 100, 10], batch: 1024 },
  { sizes: [784, 512, 512, 10], batch: 256 },
];
const ROUNDS = 5;

/** The two tasks in alternating rounds (bench/median.ts). */
async function sideBySideRow(name: string, one: () => void, two: () => void, time: number): Promise<ThreadsRow> {
  const { aMs, bMs, ratio } = await sideBySide(one, two, time, ROUNDS);
  return { name, oneMs: aMs, twoMs: bMs, ratio };
}

function product(k: Kernels, n: number) {
  const fill = (length: number) => {
    const t = k.alloc(length);
    k.write(t, Float32Array.from({ length }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5));
    return t;
  };
  const a = fill(n * n), w = fill(n * n), b = fill(n), z = k.alloc(n * n);
  return { run: () => k.denseForward(z, a, w, b, n, n, n), free: () => [a, w, b, z].forEach((t) => k.free(t)) };
}

export async function runThreadsBench(opts: { time?: number } = {}): Promise<ThreadsResult> {
  const time = opts.time ?? 1000;
  const load0 = os.loadavg()[0];
  const one = await createWasmKernels({ variant: 'simd' });
  const two = await createThreadedWasmKernels({ threads: 2 });
  const rows: ThreadsRow[] = [];
  try {
    for (const c of CASES) {
      const a = await stepOn(one, c.sizes, c.batch);
      const b = await stepOn(two, c.sizes, c.batch);
      rows.push(await sideBySideRow(`step [${c.sizes.join(',')}] batch ${c.batch}`, a.step, b.step, time));
      a.net.dispose();
      b.net.dispose();
    }
    const p1 = product(one, 512);
    const p2 = product(two, 512);
    rows.push(await sideBySideRow('dense forward 512×512→512', p1.run, p2.run, time));
    p1.free();
    p2.free();
  } finally {
    await two.close();
  }
  return { rows, load: [load0, os.loadavg()[0]], cores: os.cpus().length, fallback: two.threadsFallback };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runThreadsBench();
  console.log(`load average ${result.load.map((l) => l.toFixed(1)).join(' → ')} on ${result.cores} cores${result.fallback ? `; fallback: ${result.fallback}` : ''}`);
  for (const r of result.rows) {
    console.log(`${r.name.padEnd(40)} one ${r.oneMs.toFixed(3).padStart(8)} ms  two ${r.twoMs.toFixed(3).padStart(8)} ms  ${r.ratio.toFixed(2)}×`);
  }
}
