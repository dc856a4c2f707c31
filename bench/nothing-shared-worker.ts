/**
 * The worker of bench/nothing-shared.ts: its half of a pair (bench/nothing-shared-work.ts) on its own
 * one-thread kernels (its own instance and memory, nothing shared with the main thread but the
 * control block), run once per hand-off (bench/worker-control.ts: the pool's spin, then sleep).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeHalf, type HalfWork } from './nothing-shared-work.js';
import { serveJobs } from './worker-control.js';

const { work, control, spin } = workerData as { work: HalfWork; control: SharedArrayBuffer; spin: number };
const half = await makeHalf(work);
serveJobs(control, spin, half.run, (message) => parentPort!.postMessage(message));
