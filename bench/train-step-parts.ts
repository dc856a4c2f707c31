/**
 * What a train() step adds to the inner step on two threads (issue #16 item 6), part by part: the
 * public train(dataset) of one epoch over API_ROWS digits at batch THREADS_API_BATCH
 * ([784,100,100,10] sigmoid/MSE, plain SGD: bench/threads.bench.ts' goal row) beside the inner
 * step of the same network (bench/step.bench.ts: a batch resident, feedforward, backprop, SGD),
 * each on one thread and on two, alternated round by round. Every kernel call the engine makes is
 * timed on the main thread (the network's unchecked kernels wrapped, a kernel that calls another
 * being one call), and the two-thread pool is probed (ThreadPool.probe): per step (one first-layer
 * forward to the next) and per kernel, the time the main thread spent in the worker's jobs (from the
 * post to the wait's return; beside it the worker's run of them) and the time it ran alone (the
 * kernel's call less its jobs); and the JavaScript between the kernel calls. Only clean two-thread
 * steps count (the worker ran every job of the step), as in bench/thread-jobs.ts; tenth
 * percentiles and medians of the per-step sums, in µs. The wrapping and the probe read the clock
 * around every call (~0.1 µs each, and the probe allocates), so the steps read a few µs slower
 * than unwrapped ones: compare the rows of one run with each other, not with other benches.
 * Beside the table: each run's time, what comes before its first step, what runs from its last
 * step's start to its end (in train() the last, partial batch: it starts where the last full step
 * ends), the median step by its position in a run, and where a run's first step (clean or not) takes
 * longer than its clean steps, part by part.
 *
 *   npx tsx bench/train-step-parts.ts [--rounds 20] [--data dataset|rows]
 *
 * Read on the AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs, 2026-12-04, session 31, through /tmp/t):
 * - 16:53–17:02, load 4.1 → 3.8, 30 rounds (971 of 1,050 two-thread train() steps clean), p10:
 *   the train(dataset) step 2,218.5 µs on one thread and 1,327.6 on two (1.67×), the inner step
 *   2,079.8 and 1,234.1 (1.69×). What train() adds on two threads (+93.5; +139 on one): the first
 *   layer's forward reading its shuffled rows from the data set, split as the product is (its jobs
 *   and the second layer's forward 522.7 against the inner step's forwards' 472.4: +50, +92 on one
 *   thread); and on the main thread alone the targets' gather (copyRows of 256 × 10, under
 *   threaded-kernels.ts' MIN_SPLIT_COPY) 8.1 (8.3 on one thread), the step guard's gradient check
 *   (six maxAbs) 8.5 (5.6 on one thread: half the first ∂W's lines sit in the worker's cache after
 *   the split fold), and the loop's JavaScript 14.2 against the inner step's 8.1 (17.3 against 9.3;
 *   the wrapping of the ~7 more calls included). So ~20–25 µs of a clean step, 1.5–2 %, is serial
 *   in train() and not in the inner step; the clean steps' ratios differ by 0.02.
 * - Per call, outside the clean steps (the same run, p10 / median, ms): before the first step
 *   0.27 / 0.31 on two threads, 0.22 / 0.29 on one; from the last step's start to the call's end
 *   (the last batch, 40 rows, below the splits' 128: one thread on both) 0.53 / 0.58 and 0.45 / 0.53.
 * - 17:48–17:51, load 9.6 → 8.4 (the second vCPU often busy: the clean steps 1.33×), 25 rounds: a
 *   call's first step against its clean steps (medians) +780 µs on two threads, +500 on one, +160
 *   for the inner step's first on two: the first gathering forward's job +299 (the worker, asleep
 *   since the last call, wakes), JavaScript +145 (+97 on one thread), the guard's first copy of the
 *   state (StepGuard.step's keepCopy: EpochUndo) zero-filled as it was allocated +72 (+63) and copied
 *   +21 (+14), the first ∂W's jobs +64.
 * So the gap between the bench's whole-call ratio and the inner step's is mostly per call (~1.6–1.7
 * ms of a two-thread call of ~47 ms, from two runs: the lead-in and the last partial batch on one
 * thread 0.27 + 0.53 = 0.80 ms p10, 0.31 + 0.58 = 0.89 median, at 16:53; the first step with the
 * worker's wake +0.78 median at 17:48, load ~9: 1.58 / 1.67 ms) and in disturbed steps, not in the
 * clean steps' serial work.
 * Tried and not landed: the guard's copies allocated without the zero-fill (allocUninitialized in
 * src/training/tensor-copies.ts: save() writes them whole before anything reads them), against this
 * tree in bench/train-steps.ts (40 calls per task alternated, 17:54–17:55, load 3.9 → 3.2, the two
 * orders): a call's first step p10 / median on two threads 1,927 / 2,054 µs against 1,926 / 2,086,
 * and 1,848 / 1,992 against 1,880 / 2,004; on one thread 2,516 / 3,281 against 2,530 / 3,275 and
 * 2,577 / 3,276 against 2,568 / 3,309; call medians 61.7 ms against 60.6 and 58.1 against 60.4:
 * within the floor.
 * And (session 32, perf32a) waking the worker as train() starts (a ThreadPool.wake of Atomics.notify
 * with no job, from a Kernels.wakeWorkers hint Network.train called before anything else), so that
 * the first step would not wait for the wake: against main's tree in bench/train-steps.ts
 * (train(dataset) on two threads, calls alternated, AMD EPYC Zen 5, 2026-12-04): a call's first step
 * p10 / median 1,441 / 1,594 µs against 1,441 / 1,675 (30 calls, 20:10, load 4.1 → 4.6), 1,387 / 1,561
 * against 1,375 / 1,609 (80 calls, 20:12, load 3.2), 1,337 / 1,557 against 1,306 / 1,537 (60 calls,
 * 20:28–20:33, load 15.6 → 5.0); the lead-in 265 / 469, 198 / 284, 200 / 299 µs against 211 / 285,
 * 172 / 244, 185 / 242 (the notify is on the main thread's path); call medians 52.8, 50.4, 47.8 ms
 * against 51.4, 49.2, 47.7: no gain, not landed. In those runs the first step's gather job waited
 * +88 to +135 µs (median), not session 31's +299; its JavaScript (+124 to +164) and the guard's
 * first copy (alloc +48 to +78) were the larger part.
 * Session 33 (perf33a, 2026-12-04 22:52–22:53, load 2.2 → 2.1, 15 rounds, a slow minute: one-thread
 * steps 2,999.6 µs p10): train()'s clean steps read the inner step's ratio, 1.581 / 1.635 (p10 /
 * median) against 1.591 / 1.635, and so did its runs, 1.515 / 1.439 against 1.512 / 1.426. A run's
 * first step over its clean steps (medians): +768 µs on two threads (the gather job's wake +285,
 * JavaScript +145, the guard's first EpochUndo alloc +74, its copy +20), +342 on one (JavaScript +130,
 * alloc +63, copy +18). What both thread counts pay alike barely moves the ratio: the JavaScript,
 * alloc and copy taken off both runs' p10s (109.58 and 72.31 ms) give 1.518 for 1.515. So the guard's
 * copies were not made once per network (item 2): held between calls they would keep a parameter
 * set's worth of the backend's memory (bytesInUse, which the reliability tests read) for a gain no
 * A/B here can show. The wake at train()'s start (session 32's, as a Kernels.wakeWorkers hint from
 * Network.train) again, against main's tree in bench/train-steps.ts (150 calls, two threads, both
 * orders, 23:15–23:19, load 15.4 → 2.7): the first step's median 1,513 and 1,476 µs against 1,571 and
 * 1,535, its p10 1,389 and 1,350 against 1,384 and 1,362, but the lead-in's median +40 and +46 (a
 * notify to a sleeping thread is a system call) and call medians 47.5 and 47.7 ms against 47.6 and
 * 46.5: no gain, not landed.
 * Session 36 (perf36; AMD EPYC Zen 5, 2 vCPUs, 2026-12-05, main at 6c3e919f, slow minutes: a line's
 * round trip 376–461 ns in bench/threads.bench.ts at 08:50 and 09:13): what of a two-thread call is
 * still on one thread (issue #16 item 6), p10:
 * - train(dataset), 09:04, load 4.7 → 4.9, 15 rounds (272 of 525 two-thread steps clean): clean steps
 *   2,078.7 µs on one thread and 1,232.7 on two (1.69×; the inner step 1,960.2 and 1,169.4, 1.68×).
 *   In a clean two-thread step the main thread ran alone (kernel calls less their jobs, and the
 *   JavaScript) 66.9 µs summed over the parts, 5.4 % of the step (the inner step's 49.6): JavaScript
 *   14.2, zero 10.0, denseBackwardBias 9.3 (3.2 on one thread: it reads the δ rows the worker
 *   wrote), copyRows 7.3 (the targets), axpy 7.3, denseBackwardWeightsAndInput 5.6, activationForward
 *   3.9, maxAbs 2.4, lossBackward 2.2. Per call, one thread / two: the lead-in 0.27 / 0.32 ms and
 *   the last batch with the call's end 0.43 / 0.44 (no shorter on two threads, its 40 rows split 20
 *   and 20), 1.6 % of a two-thread run; a run's first step +326 / +866 µs over the clean steps (medians; the first
 *   gathering forward's jobs +317: the worker wakes). Runs 75.95 / 48.74 ms, 1.56×: the disturbed
 *   steps, not the serial parts, hold most of the gap to the clean steps' 1.69×. At the clean steps'
 *   times a call would read (35 × 2,078.7 + 700) / (35 × 1,232.7 + 760) µs = 1.67×: train(dataset)
 *   reaches 1.7× only with clean steps at 1.71× or more.
 * - train(x, y), 08:53 (load 2.7 → 2.6) and 09:17 (load 2.2 → 2.0), 15 rounds each: the lead-in
 *   (the upload of 9,000×784 floats and their targets) 3.21 and 3.30 ms on one thread, 3.50 and 3.65
 *   on two; the last batch and the end 0.55 / 0.59 and 0.59 / 0.68 ms; a run's first step +478 µs on
 *   two threads (08:53; the upload's checks woke the worker). With the clean steps of the 09:04 run,
 *   (35 × 2,078.7 + 3,210 + 550) / (35 × 1,232.7 + 3,500 + 590) = 1.62×: 1.7× needs clean steps at
 *   1.78× or more. The upload is slower on two threads: in a scratch bench (not committed: the
 *   9,000×784 block's writeFinite after a 96 MiB fill and a 5 ms pause, 30 rounds, 09:21 and 09:25,
 *   load 1.9–3.7) 1.92–1.95 ms on one thread, 2.09–2.14 on two (the worker asleep), 2.21 with the
 *   worker woken first, 2.20 with the one-thread code (every check on the main thread) run on the
 *   shared memory, where the copy alone took 1.64–1.67 and 1.65–1.68, and f32_all_finite reads 65,536
 *   floats in 2.5 µs on either memory (09:26): why is open.
 */
import os from 'node:os';
import { createNetwork } from '../src/api/network.js';
import { uncheckedKernels } from '../src/checked-kernels.js';
import { loadMnist } from '../src/data/mnist.js';
import type { Kernels } from '../src/kernels.js';
import { quantile } from '../src/median.js';
import type { JobStamp, ThreadPool } from '../src/wasm/threads/pool.js';
import { contractMethods } from './call-times.js';
import { option } from './ab-args.js';
import { API_ROWS } from './api.bench.js';
import { stepOn } from './step.bench.js';
import { THREADS_API_BATCH } from './threads.bench.js';

const rounds = Number(option('--rounds', '20'));
const data = option('--data', 'dataset');
if (data !== 'dataset' && data !== 'rows') throw new Error(`--data: expected dataset or rows, got ${data}`);

/** The probe's clock (pool.ts stampNow), so that the calls' times and the jobs' stamps read alike. */
const now = () => performance.timeOrigin + performance.now();

/** One outermost kernel call on the main thread (ms on `now`'s clock). */
interface Call {
  method: string;
  start: number;
  end: number;
}

/** Records every outermost call of `kernels`' contract methods into `calls()` while it is not null. */
function recordCalls(kernels: Kernels, calls: () => Call[] | null): void {
  const target = kernels as unknown as Record<string, (...args: unknown[]) => unknown>;
  let depth = 0;
  for (const method of contractMethods()) {
    const kernel = target[method];
    if (typeof kernel !== 'function') continue;
    target[method] = function (this: unknown, ...args: unknown[]) {
      const into = calls();
      if (depth > 0 || into === null) return kernel.apply(this, args);
      depth++;
      const start = now();
      try {
        return kernel.apply(this, args);
      } finally {
        into.push({ method, start, end: now() });
        depth--;
      }
    };
  }
}

/** Per step, per part: µs. */
type StepParts = Map<string, number>;

/**
 * A run's calls and jobs cut into steps at each call of `first` (the step's first kernel, or a mark),
 * from one to the next; per step: 'step' (its time), per kernel '<method> alone' (its
 * calls less the jobs posted in them) and '<method> jobs' (those jobs, post to return), per job's
 * export 'worker: <name>' (the worker's run), and 'JavaScript' (the step less its kernel calls);
 * `clean`: the worker ran every job of the step (the main thread ran none itself).
 */
function stepsOf(calls: readonly Call[], jobs: readonly JobStamp[], first: string): { parts: StepParts; clean: boolean }[] {
  const steps: { parts: StepParts; clean: boolean }[] = [];
  const starts = calls.flatMap((c, i) => (c.method === first ? [i] : []));
  let j = 0;
  // The last step is left out: a call's last batch is a partial one (9,000 rows = 35 × 256 + 40).
  for (let s = 0; s + 1 < starts.length; s++) {
    const [from, to] = [starts[s], starts[s + 1]];
    const [t0, t1] = [calls[from].start, calls[to].start];
    const parts: StepParts = new Map([['step', (t1 - t0) * 1000]]);
    const add = (name: string, us: number) => parts.set(name, (parts.get(name) ?? 0) + us);
    let clean = true;
    let inCalls = 0;
    for (let c = from; c < to; c++) {
      const call = calls[c];
      let inJobs = 0;
      while (j < jobs.length && jobs[j].posted < call.end) {
        const job = jobs[j++];
        if (job.posted < call.start) continue; // a job of a call before the steps (none in a step)
        inJobs += (job.returned - job.posted) * 1000;
        if (Number.isNaN(job.workerStart)) clean = false;
        else add(`worker: ${job.name}`, (job.workerEnd - job.workerStart) * 1000);
      }
      const us = (call.end - call.start) * 1000;
      inCalls += us;
      add(`${call.method} alone`, us - inJobs);
      if (inJobs > 0) add(`${call.method} jobs`, inJobs);
    }
    add('JavaScript', (t1 - t0) * 1000 - inCalls);
    steps.push({ parts, clean });
  }
  return steps;
}

const { train } = await loadMnist({ train: API_ROWS, test: 0 });
const options = { epochs: 1, batchSize: THREADS_API_BATCH, learningRate: 0.01 };
const sizes = [784, 100, 100, 10];

interface Task {
  name: string;
  run(): void;
  first: string;
  steps: StepParts[];
  /** Steps timed (clean or not). */
  all: number;
  /** Per position in a run (0: its first step), every step's time (µs) and how many were clean. */
  byPosition: { us: number[]; clean: number }[];
  /** Every run's first step's parts, clean or not. */
  firsts: StepParts[];
  /** Per run: its time, the time from its start to its first step, and from its last step's start (in train() the last, partial batch) to its end (ms). */
  runs: number[];
  leadIns: number[];
  tails: number[];
}

let recording: Call[] | null = null;
/** Where each inner step starts (a call of no time). */
const STEP_MARK = '(inner step)';
const tasks: Task[] = [];
for (const threads of [1, 2]) {
  const net = await createNetwork({ sizes, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads });
  const kernels = uncheckedKernels(net.kernels);
  if (threads === 2 && (kernels as { threads?: number }).threads !== 2) throw new Error(`two threads are not available here: ${(kernels as { threadsFallback?: string }).threadsFallback}`);
  recordCalls(kernels, () => recording);
  const pool = threads === 2 ? (kernels as unknown as { pool: ThreadPool }).pool : undefined;
  const resident = data === 'dataset' ? net.dataset(train.x, train.y) : undefined;
  const inner = await stepOn(kernels, sizes, THREADS_API_BATCH);
  const timed = (name: string, first: string, body: () => void): Task => {
    const task: Task = {
      name,
      first,
      steps: [],
      all: 0,
      byPosition: [],
      firsts: [],
      runs: [],
      leadIns: [],
      tails: [],
      run() {
        const calls: Call[] = [];
        const jobs: JobStamp[] = [];
        recording = calls;
        pool?.probe(jobs);
        const start = now();
        body();
        const end = now();
        pool?.probe(null);
        recording = null;
        const steps = stepsOf(calls, jobs, first);
        const starts = calls.filter((c) => c.method === first);
        task.all += steps.length;
        task.firsts.push(steps[0].parts);
        steps.forEach(({ parts, clean }, i) => {
          if (clean) task.steps.push(parts);
          const at = (task.byPosition[i] ??= { us: [], clean: 0 });
          at.us.push(parts.get('step')!);
          at.clean += clean ? 1 : 0;
        });
        task.runs.push(end - start);
        task.leadIns.push(starts[0].start - start);
        task.tails.push(end - starts.at(-1)!.start);
      },
    };
    return task;
  };
  const label = `${threads} thread${threads === 1 ? '' : 's'}`;
  tasks.push(timed(`train(${data === 'dataset' ? 'dataset' : 'x, y'}), ${label}`, 'denseForwardGather', () => (resident ? net.train(resident, options) : net.train(train.x, train.y, options))));
  const innerSteps = Math.ceil(API_ROWS / THREADS_API_BATCH);
  tasks.push(
    timed(`inner step, ${label}`, STEP_MARK, () => {
      for (let s = 0; s <= innerSteps; s++) {
        const at = now();
        recording!.push({ method: STEP_MARK, start: at, end: at });
        inner.step();
      }
    }),
  );
}

const load0 = os.loadavg()[0];
for (let round = 0; round <= rounds; round++) {
  for (const task of round % 2 ? [...tasks].reverse() : tasks) {
    if (round === 0) {
      // Warms up; its steps are dropped.
      const kept = task.steps.length;
      task.run();
      task.steps.length = kept;
      task.all = 0;
      task.byPosition.length = task.firsts.length = 0;
      task.runs.length = task.leadIns.length = task.tails.length = 0;
    } else task.run();
  }
}
const load1 = os.loadavg()[0];

const cell = (v: number[]) => (v.length ? `${quantile(v, 0.1).toFixed(1).padStart(8)}${quantile(v, 0.5).toFixed(1).padStart(8)}` : `${'-'.padStart(8)}${'-'.padStart(8)}`);
console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, load ${load0.toFixed(1)} → ${load1.toFixed(1)}; [${sizes}] batch ${THREADS_API_BATCH}, ${rounds} rounds; per step (clean two-thread steps only), µs: p10, median`);
const names = [...new Set(tasks.flatMap((t) => t.steps.flatMap((s) => [...s.keys()])))].sort((a, b) => (a === 'step' ? -1 : b === 'step' ? 1 : a.localeCompare(b)));
console.log(`${'part'.padEnd(44)}${tasks.map((t) => t.name.padStart(32)).join('')}`);
console.log(`${'steps (clean of all)'.padEnd(44)}${tasks.map((t) => `${t.steps.length} of ${t.all}`.padStart(32)).join('')}`);
for (const name of names) {
  console.log(`${name.slice(0, 44).padEnd(44)}${tasks.map((t) => cell(t.steps.map((s) => s.get(name) ?? 0)).padStart(32)).join('')}`);
}
const ms = (v: number[]) => `${quantile(v, 0.1).toFixed(2)} / ${quantile(v, 0.5).toFixed(2)} ms`;
for (const t of tasks) console.log(`${t.name}: runs ${ms(t.runs)}; before the first step ${ms(t.leadIns)}, from the last step's start to the run's end ${ms(t.tails)} (p10 / median)`);
for (const t of tasks.filter((t) => t.name.endsWith('2 threads'))) {
  const at = (i: number) => `${quantile(t.byPosition[i].us, 0.5).toFixed(0)} (${t.byPosition[i].clean} clean)`;
  const rest = t.byPosition.slice(3).flatMap((p) => p.us);
  console.log(`${t.name}, median step by position in its run (of ${t.runs.length} runs): first ${at(0)}, second ${at(1)}, third ${at(2)}, the others ${quantile(rest, 0.5).toFixed(0)} µs`);
}
// Where a run's first step differs from its clean steps: per part, the first steps' median less the clean steps' median (µs, ≥ 5 shown).
for (const t of tasks) {
  const parts = [...new Set(t.firsts.flatMap((s) => [...s.keys()]))];
  const more = parts
    .map((name) => ({ name, us: quantile(t.firsts.map((s) => s.get(name) ?? 0), 0.5) - (t.steps.length ? quantile(t.steps.map((s) => s.get(name) ?? 0), 0.5) : 0) }))
    .filter(({ us }) => Math.abs(us) >= 5)
    .map(({ name, us }) => `${name} ${us > 0 ? '+' : ''}${us.toFixed(0)}`);
  console.log(`${t.name}, a run's first step against its clean steps (medians, µs): ${more.join(', ')}`);
}
for (const kind of ['train', 'inner']) {
  const [one, two] = tasks.filter((t) => t.name.startsWith(kind));
  const ratio = (q: number, of: (t: Task) => number[]) => (quantile(of(one), q) / quantile(of(two), q)).toFixed(3);
  const steps = (t: Task) => t.steps.map((s) => s.get('step')!);
  console.log(`${kind}: two threads over one, p10 / median: runs ${ratio(0.1, (t) => t.runs)} / ${ratio(0.5, (t) => t.runs)}, clean steps ${ratio(0.1, steps)} / ${ratio(0.5, steps)}`);
}
process.exit(0);
