/**
 * The host control of the two-thread goals: what this host's second vCPU gives a program that
 * cannot be slowed by anything of gradscope's making. The same f32x4 multiply-add loop that sets
 * the peak (f32_peak_madd: registers only, operands in L1) runs either on the main thread alone
 * (`one`: 2·HALF trips) or split in halves between the main thread and a worker (`two`: HALF trips
 * each, at the same time), each thread on its own instance and memory: no shared data, no
 * synchronisation but one hand-off per call, as in gradscope's pool (worker-source.ts: spin, then
 * sleep on the job counter). one ÷ two is 2 on an idle 2-vCPU host and 1 when another process (or
 * the hypervisor) keeps the second vCPU busy: a two-thread goal measured in the same rounds is then
 * out of reach for any program, which bench/verdict.ts's judgeBesideControl calls 'host-limited'.
 */
import { Worker } from 'node:worker_threads';
import { compileCore } from '../src/wasm/loader.js';
import { SPIN } from '../src/wasm/threads/pool.js';

/**
 * Trips per half: ~0.5 ms at the ~64 GFLOP/s of bench/RESULTS.md at commit 7e4b013 (AMD EPYC Zen 5,
 * the flat peak loop of then), ~1.3 ms at the ~25 GFLOP/s of the Zen 3 (both the flat and the
 * nested loop, 2026-12-01 14:17, load 15), so one hand-off (µs) is noise beside it.
 */
const HALF = 500_000;
/** A hand-off not answered within this long means a dead worker: fail rather than hang the bench. */
const TIMEOUT_MS = 30_000;
/** Slots of the control block (Int32): the job counter, the done counter, the stop flag. */
const JOB = 0, DONE = 1, STOP = 2;

const WORKER_SOURCE = `
const { parentPort, workerData: { module, half, control, spin } } = require('node:worker_threads');
const x = new WebAssembly.Instance(module, {}).exports;
const out = (x.heap_base() + 15) & ~15;
const ctrl = new Int32Array(control);
let seen = 0;
parentPort.postMessage('ready');
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ctrl, ${JOB}) === seen; i++);
  Atomics.wait(ctrl, ${JOB}, seen);
  seen = Atomics.load(ctrl, ${JOB});
  if (Atomics.load(ctrl, ${STOP})) break;
  x.f32_peak_madd__simd(out, half);
  Atomics.store(ctrl, ${DONE}, seen);
  Atomics.notify(ctrl, ${DONE});
}
parentPort.postMessage('stopped');
`;

export interface HostControl {
  /** The loop's 2·HALF trips on the main thread. */
  one(): void;
  /** HALF trips on the main thread while the worker runs the other HALF. */
  two(): void;
  close(): Promise<void>;
}

type PeakExports = { heap_base(): number; f32_peak_madd__simd(out: number, iterations: number): number };

export async function startHostControl(spin = SPIN): Promise<HostControl> {
  const module = await compileCore('simd');
  const main = new WebAssembly.Instance(module, {}).exports as unknown as PeakExports;
  const out = (main.heap_base() + 15) & ~15;
  const control = new SharedArrayBuffer(4 * 4);
  const ctrl = new Int32Array(control);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, half: HALF, control, spin } });
  const message = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      worker.once('message', (m) => (m === expected ? resolve() : reject(new Error(`host control worker said ${String(m)}`))));
      worker.once('error', reject);
    });
  await message('ready');
  let job = 0;
  return {
    one: () => void main.f32_peak_madd__simd(out, 2 * HALF),
    two: () => {
      job++;
      Atomics.store(ctrl, JOB, job);
      Atomics.notify(ctrl, JOB);
      main.f32_peak_madd__simd(out, HALF);
      for (let spin = 0; spin < SPIN && Atomics.load(ctrl, DONE) !== job; spin++);
      const started = performance.now();
      for (let done = Atomics.load(ctrl, DONE); done !== job; done = Atomics.load(ctrl, DONE)) {
        Atomics.wait(ctrl, DONE, done, 1000); // returns at once if the worker finished since the load
        if (performance.now() - started > TIMEOUT_MS) throw new Error(`host control worker did not finish job ${job} within ${TIMEOUT_MS} ms`);
      }
    },
    close: async () => {
      const stopped = message('stopped');
      Atomics.store(ctrl, STOP, 1);
      Atomics.store(ctrl, JOB, job + 1);
      Atomics.notify(ctrl, JOB);
      await stopped;
      await worker.terminate();
    },
  };
}
