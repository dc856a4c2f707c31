/**
 * The worker of bench/nothing-shared.ts: its own one-thread wasm-simd network (its own instance and
 * memory, nothing shared with the main thread but the control block) stepping its own batch, one
 * step per hand-off, with the pool's hand-off (worker-source.ts: spin, then sleep on the job counter).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { stepOn } from './step.bench.js';
import { DONE, JOB, STARTED, STOP } from './nothing-shared-control.js';

const { sizes, batch, control, spin } = workerData as { sizes: number[]; batch: number; control: SharedArrayBuffer; spin: number };
const { step } = await stepOn(await createWasmKernels({ variant: 'simd' }), sizes, batch);
const ctrl = new Int32Array(control);
let seen = 0;
parentPort!.postMessage('ready');
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ctrl, JOB) === seen; i++);
  Atomics.wait(ctrl, JOB, seen);
  seen = Atomics.load(ctrl, JOB);
  if (Atomics.load(ctrl, STOP)) break;
  Atomics.store(ctrl, STARTED, seen);
  step();
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
parentPort!.postMessage('stopped');
