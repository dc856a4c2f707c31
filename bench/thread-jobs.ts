/**
 * Where a two-thread training step's time goes, job by job, on each thread: the inner step of
 * bench/threads.bench.ts ([784,100,100,10] sigmoid/MSE, plain SGD, a batch resident) on
 * createThreadedWasmKernels({ threads: 2 }), its pool probed (ThreadPool.probe): per job handed to
 * the worker, the main thread's own part (from the post to its wait), the worker's run, the worker's
 * start after the post, and the main thread's wait; and the time outside the jobs (the kernels the
 * main thread runs alone and the JavaScript between calls). Only steps in which the worker ran every
 * job count ("clean": the main thread ran none of them itself); tenth percentiles, the least
 * disturbed, so that a loaded host's preemptions drop out as in bench/train-calls.ts. Beside them the
 * one-thread step, and the step a clean two-thread one would take from these parts: Σ over the jobs
 * of the slower side (the main thread's part, or the worker's start and run), plus the time outside.
 *
 *   npx tsx bench/thread-jobs.ts [--batch 256] [--blocks 60]
 *
 * Read on the AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs, 2026-12-03, session 26; the machine shared
 * with ~8 agents, load 15–20) at batch 256 on main at 1475bb6 with this probe, two runs (16:31, 82
 * clean steps of 600; 16:32, 59 of 640; µs, tenth percentiles, the first run's then the second's):
 * - the one-thread step 2,008 and 2,038; its kernels (one thread, p10 × calls, 16:19, load 14): the
 *   gathering forward 762, ∂W of the first layer 771, the second layer's ∂W and ∂input 198, its
 *   forward 100, the sigmoids 41, the update of the first weights 7.5, the pair of the output layer's
 *   ∂W and ∂input 28.0 (paired on two threads, its ∂W on the worker beside ∂input on the main thread:
 *   512,000 flops each, at least threaded-kernels.ts' MIN_PAIRED_FLOPS; below); alone on the main
 *   thread on two threads too: the output layer's forward 11.2, the activations' backward passes 6.6,
 *   the loss, bias sums, zeroings and small updates ~12 (~30 in all);
 * - the products split by rows ran in even halves: the gathering forward 385 / 418 on the main thread
 *   against 392 / 379 on the worker, the second layer's 52.8 / 55.5 against 52.7 / 51.3;
 * - the ∂W products the worker runs took longer than on one thread: the first layer's by columns
 *   476.5 / 466.8 on the worker against the main thread's 397.2 / 416.9 (a half of one thread's:
 *   386), the main thread waiting 53.2 / 6.8 for it (median 77.6 / 64.2); the second layer's ∂W 123.8 /
 *   123.3 against the main thread's ∂input beside it 99.1 / 101.9 (median wait 24.9 in the first run);
 *   the output layer's 25.7 / 24.6 against 14.6 / 15.6. Each reads what the main thread wrote just
 *   before it (δ from the loss and the activations' backward passes, ∂W zeroed at backprop's start);
 * - the main thread's half of each split sigmoid 16.9–23.9 against the worker's 10.3–11.0;
 * - the split update of the first weights 16.3 / 15.1 on the main thread, 18.6 / 21.6 on the worker,
 *   where one thread takes 7.5–10 for all of it;
 * - outside the jobs 74 / 92 (the ~30 of kernels alone on the main thread above, JavaScript and
 *   hand-offs);
 * - the clean steps 1,278 in the first run (the second's were disturbed: 3,531): 1.57× the one-thread
 *   step, the lead's quiet reading of main (bench/threads.bench.ts, 16:07–16:12, load 2.2 → 1.4: 1.57×).
 * So at batch 256 the step's serial kernels are not what keeps two threads under 1.7×: ~30 µs, the
 * rest of the first run's 2,008 run perfectly split (~989), make an ideal step of ~1,019 µs, 1.97×
 * the one-thread step. The clean step's 1,278 lose ~259 µs to it: the waits for the worker's ∂W
 * products (~85 µs a step), the main thread's slow elementwise halves (~17) and the split update (~8)
 * are ~110 of them, the 74 outside the jobs less their ~30 of kernels (JavaScript and hand-offs)
 * ~44 more; the other ~105 are not broken down here. 1.7× is 1,181 µs: ~97 µs of those ~259 would
 * have to go.
 * Beside main in the second run, alternated block by block on the same pool (not landed, the host too
 * busy to tell them apart): every activation's backward pass split by rows (outside the jobs 67 against
 * 92; the first layer's ∂W still 474.1 on the worker against 390.5) and no update or zeroing split
 * (outside 100; ∂W 453.4 against 403.8).
 */
import os from 'node:os';
import { quantile } from '../src/median.js';
import type { JobStamp, ThreadPool } from '../src/wasm/threads/pool.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { option } from './ab-args.js';
import { STEP_SIZES, stepOn } from './step.bench.js';

const batch = Number(option('--batch', '256'));
const blocks = Number(option('--blocks', '60'));
/** Two-thread steps per block, after one untimed (the worker awake), and one-thread steps beside them. */
const TWO_STEPS = 8;
const ONE_STEPS = 3;

const one = await createWasmKernels({ variant: 'simd' });
const two = await createThreadedWasmKernels({ threads: 2 });
if (two.threads < 2) throw new Error(`two threads are not available here: ${two.threadsFallback}`);
const pool = (two as unknown as { pool: ThreadPool }).pool;
const [oneStep, twoStep] = [(await stepOn(one, STEP_SIZES, batch)).step, (await stepOn(two, STEP_SIZES, batch)).step];

const oneTimes: number[] = [];
const twoTimes: number[] = [];
/** Per clean two-thread step: its time (µs) and its jobs. */
const clean: { us: number; jobs: JobStamp[] }[] = [];
const load0 = os.loadavg()[0];
for (let block = 0; block < blocks; block++) {
  for (let s = 0; s < ONE_STEPS; s++) {
    const t0 = performance.now();
    oneStep();
    oneTimes.push((performance.now() - t0) * 1000);
  }
  twoStep();
  for (let s = 0; s < TWO_STEPS; s++) {
    const jobs: JobStamp[] = [];
    pool.probe(jobs);
    const t0 = performance.now();
    twoStep();
    const us = (performance.now() - t0) * 1000;
    pool.probe(null);
    twoTimes.push(us);
    if (jobs.every((job) => !Number.isNaN(job.workerStart))) clean.push({ us, jobs });
  }
}
await two.close();

/** Each job's parts (µs) under `name #n`, the n-th job of that export in its step. */
const parts = new Map<string, { main: number[]; worker: number[]; start: number[]; wait: number[]; slower: number[] }>();
const outside: number[] = [];
for (const { us, jobs } of clean) {
  const seen = new Map<string, number>();
  let inJobs = 0;
  for (const job of jobs) {
    const n = (seen.get(job.name) ?? 0) + 1;
    seen.set(job.name, n);
    const key = `${job.name} #${n}`;
    const p = parts.get(key) ?? { main: [], worker: [], start: [], wait: [], slower: [] };
    const [main, worker, start] = [job.waited - job.posted, job.workerEnd - job.workerStart, job.workerStart - job.posted].map((ms) => ms * 1000);
    p.main.push(main);
    p.worker.push(worker);
    p.start.push(start);
    p.wait.push((job.returned - job.waited) * 1000);
    p.slower.push(Math.max(main, start + worker));
    parts.set(key, p);
    inJobs += (job.returned - job.posted) * 1000;
  }
  outside.push(us - inJobs);
}

const p10 = (v: number[]) => quantile(v, 0.1);
const p50 = (v: number[]) => quantile(v, 0.5);
const us = (v: number) => v.toFixed(1).padStart(7);
console.log(`${os.cpus()[0].model}, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; inner step [${STEP_SIZES}] batch ${batch}`);
console.log(`one thread: step ${p10(oneTimes).toFixed(0)} µs p10, ${p50(oneTimes).toFixed(0)} median (${oneTimes.length} steps)`);
console.log(`two threads: step ${p10(twoTimes).toFixed(0)} p10, ${p50(twoTimes).toFixed(0)} median; ${clean.length} of ${twoTimes.length} steps clean (the worker ran every job)`);
if (clean.length === 0) throw new Error('no clean two-thread step: the worker never ran every job of a step (the host is too busy to tell)');
console.log(`\n${'job (export #n in its step)'.padEnd(42)}   µs p10: main thread   worker   worker start   main waits (median)`);
let estimate = p10(outside);
for (const [key, p] of parts) {
  estimate += p10(p.slower);
  console.log(`${key.padEnd(42)} ${us(p10(p.main))} ${us(p10(p.worker))} ${us(p10(p.start))} ${us(p10(p.wait))} (${p50(p.wait).toFixed(1)})`);
}
console.log(`${'outside the jobs (main thread alone)'.padEnd(42)} ${us(p10(outside))} (median ${p50(outside).toFixed(1)})`);
const cleanP10 = p10(clean.map((s) => s.us));
console.log(`\nclean two-thread steps ${cleanP10.toFixed(0)} µs p10: ${(p10(oneTimes) / cleanP10).toFixed(2)}× the one-thread step's p10`);
console.log(`from the parts (Σ p10 of each job's slower side + outside) ${estimate.toFixed(0)} µs: ${(p10(oneTimes) / estimate).toFixed(2)}×`);
