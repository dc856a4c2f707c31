/**
 * Where a train() call's time goes on one thread and on two: every kernel call the network makes in
 * train(dataset) of one epoch over 9,000 digits at batch 256 ([784,100,100,10], sigmoid, MSE, plain
 * SGD, as bench/threads.bench.ts's goal row) timed on the main thread (bench/call-times.ts), the
 * one-thread and the two-thread network's train() calls alternated; per call (kernel and sizes) its
 * tenth percentile, its median and how many a train() call makes. The ratio of the two sums of
 * tenth percentile × calls says what the split gives where a loaded machine spoils the whole calls'
 * ratio. It is not the bench's goal figure (bench/threads.bench.ts: whole calls, beside a host
 * control).
 *
 * Two-thread calls read lines the other core wrote, and write lines it holds; what that costs on an
 * AMD EPYC Zen 4 VM changes over minutes (bench/shared-writes.ts): a split batch gather of 256×784
 * took ~60 µs at some times and 115–180 µs at others, on the same tree (2026-12-02, load 10–14),
 * and the sums' ratio moves with it (1.78× in a run whose split gather took 82 µs, 1.49× in one
 * where it took ~170). Run it more than once. Where the second vCPU is busy most of the time, the
 * worker's parts wait or run on the main thread and spoil the tenth percentiles too: the two runs
 * after that 1.78× one, at load 14.5 and 15.2, gave 1.12× and 1.10×. So a two-thread call in which
 * the main thread ran a worker's job itself (the job not claimed in time: a one-thread call on the
 * split path) is timed apart (bench/call-times.ts, RanHere): the tenth percentiles are read from the
 * others, and the share of such calls is printed; where it is large, the run cannot judge the split.
 *
 *   npx tsx bench/train-calls.ts [--rounds 10]
 */
import os from 'node:os';
import { createNetwork } from '../src/api/network.js';
import { uncheckedKernels } from '../src/checked-kernels.js';
import { loadMnist } from '../src/data/mnist.js';
import { quantile } from '../src/median.js';
import { option } from './ab-args.js';
import { API_ROWS } from './api.bench.js';
import { leastDisturbedSum, timeCalls, type CallTimes } from './call-times.js';
import type { ThreadPool } from '../src/wasm/threads/pool.js';
import { THREADS_API_BATCH } from './threads.bench.js';

const rounds = Number(option('--rounds', '10'));
const { train } = await loadMnist({ train: API_ROWS, test: 0 });
const options = { epochs: 1, batchSize: THREADS_API_BATCH, learningRate: 0.01 };
const make = (threads: number) => createNetwork({ sizes: [784, 100, 100, 10], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads });
const nets = { one: await make(1), two: await make(2) };
// The kernels the engines run: net.kernels is a checked view of them, which the engines never call.
const kernels = { one: uncheckedKernels(nets.one.kernels), two: uncheckedKernels(nets.two.kernels) };
const threadsUsed = (kernels.two as { threads?: number }).threads ?? 1;
if (threadsUsed < 2) throw new Error(`two threads are not available here (the network runs on ${threadsUsed})`);
const data = { one: nets.one.dataset(train.x, train.y), two: nets.two.dataset(train.x, train.y) };
const calls: Record<'one' | 'two', CallTimes> = { one: new Map(), two: new Map() };
/** The two-thread calls in which the main thread ran a worker's job itself. */
const ranHere: CallTimes = new Map();
const whole = { one: [] as number[], two: [] as number[] };
let current: CallTimes = new Map();
let currentRanHere: CallTimes = new Map();
const pool = (kernels.two as unknown as { pool: ThreadPool }).pool;
timeCalls(kernels.one, () => current);
timeCalls(kernels.two, () => current, { jobs: () => pool.jobsRunHere, into: () => currentRanHere });

const load0 = os.loadavg()[0];
// Round 0 warms up and is dropped; the order alternates so neither side always runs first.
for (let round = 0; round <= rounds; round++) {
  for (const side of round % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const)) {
    current = round === 0 ? new Map() : calls[side];
    currentRanHere = round === 0 ? new Map() : ranHere;
    const t0 = performance.now();
    nets[side].train(data[side], options);
    if (round > 0) whole[side].push(performance.now() - t0);
  }
}
const load1 = os.loadavg()[0];
for (const side of ['one', 'two'] as const) {
  data[side].dispose();
  nets[side].dispose();
}

const p10 = (v: number[]) => quantile(v, 0.1);
const p50 = (v: number[]) => quantile(v, 0.5);
/** p10 / median ×calls per train(); `spoiled`: that call's runs that ran a worker's job here, counted as calls, timed apart. */
const cell = (v: number[] | undefined, spoiled: number[] = []) => {
  const count = (v?.length ?? 0) + spoiled.length;
  if (count === 0) return '-';
  const times = v?.length ? v : spoiled;
  return `${p10(times).toFixed(1)} / ${p50(times).toFixed(1)} ×${(count / rounds).toFixed(0)}${spoiled.length ? ` (${((100 * spoiled.length) / count).toFixed(0)} % ran here${v?.length ? '' : ': all'})` : ''}`;
};
console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, load ${load0.toFixed(1)} → ${load1.toFixed(1)}; train(dataset) 1 epoch, batch ${THREADS_API_BATCH}, ${rounds} rounds`);
console.log(`${'call (T = a tensor of that length)'.padEnd(60)} ${'one thread: µs p10 / median ×calls'.padEnd(36)} two threads`);
for (const name of new Set([...calls.one.keys(), ...calls.two.keys(), ...ranHere.keys()])) {
  console.log(`${name.slice(0, 60).padEnd(60)} ${cell(calls.one.get(name)).padEnd(36)} ${cell(calls.two.get(name), ranHere.get(name))}`);
}
const spoiled = [...ranHere.values()].reduce((n, v) => n + v.length, 0);
const twoCalls = spoiled + [...calls.two.values()].reduce((n, v) => n + v.length, 0);
console.log(`two-thread calls in which the main thread ran a worker's job itself (timed apart): ${spoiled} of ${twoCalls} (${((100 * spoiled) / twoCalls).toFixed(1)} %)`);
const [oneSum, twoSum] = [leastDisturbedSum(calls.one, rounds) / 1000, leastDisturbedSum(calls.two, rounds, ranHere) / 1000];
console.log(`kernel time per train() (Σ p10 × calls): one ${oneSum.toFixed(1)} ms, two ${twoSum.toFixed(1)} ms: ${(oneSum / twoSum).toFixed(2)}×`);
console.log(`whole train() calls, ms p10 / median: one ${p10(whole.one).toFixed(1)} / ${p50(whole.one).toFixed(1)}, two ${p10(whole.two).toFixed(1)} / ${p50(whole.two).toFixed(1)}: ${(p50(whole.one) / p50(whole.two)).toFixed(2)}× (medians)`);
