/**
 * Where the split step loses to the exchanged ceiling (issue #16 item 6), phase by phase and kernel
 * call by kernel call: the two-thread inner step (createThreadedWasmKernels({ threads: 2 }),
 * bench/step.bench.ts' step of [784,100,100,10] sigmoid/MSE, plain SGD, a batch resident) beside
 * the exchanged pair of the same step (bench/exchanged-half.ts: each core forward and backprop of
 * its own half of the rows on a one-thread backend, then the least exchange), in blocks as
 * bench/nothing-shared.ts times them (per block 8 split steps and 8 pairs, each after one untimed,
 * the order alternated, a 3 ms pause before each group). Both run the same engine code, so the
 * kernel calls of a step come in the same order: each split call over all rows (its jobs and waits
 * included; timed by bench/call-times.ts timeCalls, listed by name in the order first called, a
 * name's later calls after its first) is set beside the main thread's half's same call over its own
 * rows, alone on its core while the other core does its half. Only clean steps count (the split's worker ran every job;
 * the pair's worker had started its half when the main thread ended its own). Per phase and per
 * call: tenth percentile and median in µs. The wrappers read the clock around every call (~0.1 µs
 * each), on both sides alike.
 *
 *   npx tsx bench/step-phases.ts [--blocks 150] [--batch 256] [--sizes 784,100,100,10]
 */
import os from 'node:os';
import { execSync } from 'node:child_process';
import { quantile } from '../src/median.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import { threadBlockOptions } from './ab-args.js';
import { timeCalls, type CallTimes } from './call-times.js';
import { EXCHANGE_PHASES } from './exchanged-half.js';
import { startExchangedPair } from './nothing-shared.js';
import { stepOn } from './step.bench.js';

const { blocks, batch, sizes, twoSteps: STEPS, pauseMs: PAUSE_MS } = threadBlockOptions();

/** Calls timed while nothing is being recorded (the untimed steps, the exchange's axpys): dropped. */
const unrecorded: CallTimes = new Map();

/** A step's calls in order (timeCalls' map: by name, first calls first), each name's calls in turn: the same order on both sides. */
const inOrder = (calls: CallTimes): { names: string[]; us: number[] } => {
  const names = [...calls].flatMap(([name, times]) => times.map((_, k) => (k ? `${name} #${k + 1}` : name)));
  return { names, us: [...calls.values()].flat() };
};

interface Side {
  /** Per clean step: the phases' µs (in order, then the whole step), and the kernel calls' µs in inOrder's order, named in `names`. */
  phases: number[][];
  calls: number[][];
  names: string[];
}
const side = (): Side => ({ phases: [], calls: [], names: [] });
const keep = (into: Side, calls: CallTimes) => {
  const { names, us } = inOrder(calls);
  if (into.names.length === 0) into.names.push(...names);
  into.calls.push(us);
  unrecorded.clear();
};

const uptime = () => execSync('uptime').toString().trim();
const load0 = uptime();

const threaded = await createThreadedWasmKernels({ threads: 2 });
if (threaded.threads < 2) throw new Error(`two threads are not available here: ${threaded.threadsFallback}`);
const pool = (threaded as unknown as { pool: { jobsRunHere: number } }).pool;
const split = await stepOn(threaded, sizes, batch);
const splitSide = side();
let splitCalls: CallTimes | null = null;
timeCalls(threaded, () => splitCalls ?? unrecorded);

const exchangedSide = side();
let exchangedCalls: CallTimes | null = null;
let marks: number[] = [];
const exchanged = await startExchangedPair(sizes, batch, undefined, {
  kernels: (k) => timeCalls(k, () => exchangedCalls ?? unrecorded),
  mark: (phase) => {
    marks[phase] = performance.now();
    if (phase === 1) exchangedCalls = null; // the reduce's axpys are timed as their phase
  },
});

const groups = [
  () => {
    split.step();
    for (let s = 0; s < STEPS; s++) {
      const ranHere = pool.jobsRunHere;
      const calls: CallTimes = new Map();
      splitCalls = calls;
      const t0 = performance.now();
      split.phases.forward();
      const t1 = performance.now();
      split.phases.backward();
      const t2 = performance.now();
      split.phases.update();
      const t3 = performance.now();
      splitCalls = null;
      if (pool.jobsRunHere !== ranHere) continue;
      splitSide.phases.push([t1 - t0, t2 - t1, t3 - t2, t3 - t0].map((ms) => ms * 1000));
      keep(splitSide, calls);
    }
  },
  () => {
    exchanged.two();
    for (let s = 0; s < STEPS; s++) {
      const calls: CallTimes = new Map();
      exchangedCalls = calls;
      marks = [];
      const t0 = performance.now();
      const clean = exchanged.two();
      const end = performance.now();
      exchangedCalls = null;
      if (!clean) continue;
      const at = [t0, ...marks];
      exchangedSide.phases.push([...marks.map((m, i) => m - at[i]), end - marks[marks.length - 1], end - t0].map((ms) => ms * 1000));
      keep(exchangedSide, calls);
    }
  },
];
for (let block = 0; block < blocks; block++) {
  for (const group of block % 2 ? [...groups].reverse() : groups) {
    await new Promise((done) => setTimeout(done, PAUSE_MS));
    group();
  }
}
await exchanged.close();
await threaded.close();

const cell = (v: number[]) => (v.length ? `${quantile(v, 0.1).toFixed(1).padStart(8)}${quantile(v, 0.5).toFixed(1).padStart(8)}` : `${'-'.padStart(16)}`);
const column = (rows: number[][], i: number) => rows.map((r) => r[i] ?? 0);
console.log(`${os.cpus()[0].model}; before: ${load0}; after: ${uptime()}`);
console.log(`step [${sizes}] batch ${batch}, ${blocks} blocks; clean steps: split ${splitSide.phases.length}, exchanged ${exchangedSide.phases.length} of ${blocks * STEPS} each; µs p10, median`);
console.log(`${'split step phase'.padEnd(40)}${'split'.padStart(16)}`);
['forward', 'backward', 'update', 'step'].forEach((name, i) => console.log(`${name.padEnd(40)}${cell(column(splitSide.phases, i))}`));
console.log(`${'exchanged half phase (main thread)'.padEnd(40)}${'exchanged'.padStart(16)}`);
[...EXCHANGE_PHASES, "the other side's end", 'step'].forEach((name, i) => console.log(`${name.padEnd(40)}${cell(column(exchangedSide.phases, i))}`));
console.log(`${'kernel call (split: all rows)'.padEnd(56)}${'split'.padStart(16)}${'exchanged half'.padStart(16)}${'p10 gap'.padStart(9)}`);
const calls = Math.max(splitSide.names.length, exchangedSide.names.length);
for (let i = 0; i < calls; i++) {
  const [a, b] = [column(splitSide.calls, i), column(exchangedSide.calls, i)];
  const gap = i < exchangedSide.names.length ? (quantile(a, 0.1) - quantile(b, 0.1)).toFixed(1) : '';
  console.log(`${String(i).padStart(2)} ${(splitSide.names[i] ?? exchangedSide.names[i]).slice(0, 53).padEnd(53)}${cell(a)}${i < exchangedSide.names.length ? cell(b) : '-'.padStart(16)}${gap.padStart(9)}`);
}
process.exit(0);
