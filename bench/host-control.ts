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
import { DONE, JOB, startWorkerControl, STOP } from './worker-control.js';

/**
 * Trips per half: ~0.5 ms at the ~64 GFLOP/s of bench/RESULTS.md at commit 7e4b013 (AMD EPYC Zen 5,
 * the flat peak loop of then), ~1.3 ms at the ~25 GFLOP/s of the Zen 3 (both the flat and the
 * nested loop, 2026-12-01 14:17, load 15), so one hand-off (µs) is noise beside it.
 */
const HALF = 500_000;

/** worker-control.ts' serveJobs in plain JavaScript (an eval'd worker imports no TypeScript), running the peak loop per job. */
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
  const worker = await startWorkerControl('host control', (control) => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, half: HALF, control, spin } }), spin);
  return {
    one: () => void main.f32_peak_madd__simd(out, 2 * HALF),
    two: () => {
      worker.post();
      main.f32_peak_madd__simd(out, HALF);
      worker.wait();
    },
    close: () => worker.close(),
  };
}
