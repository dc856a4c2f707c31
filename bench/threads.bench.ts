/**
 * Two cores: a wasm-simd training step (sigmoid, MSE, SGD) on one thread and on two
 * (createThreadedWasmKernels) at batches 64 to 1024 on [784,100,100,10] and on a wider
 * [784,512,512,10]; one 512³ forward product; and the public train() of one epoch over the digits
 * at batch 256 on a network created with `threads: 2` against one with one thread, on a dataset
 * uploaded once and on rows uploaded by each call (train(x, y), what most users call). The goal
 * (issue #16) is ≥ 1.7× one thread at batch ≥ 256, for each of those rows and for both train() rows.
 *
 * Each row runs in THREAD_ROUNDS interleaved rounds of four tasks: one thread, two threads, and
 * the host control's one and two threads (bench/host-control.ts). A round's speed-up is its
 * one-thread time over its two-thread time, the control's likewise; the verdict is taken from the
 * rounds' medians (bench/verdict.ts judgeBesideControl): when the second vCPU gives the control itself
 * less than the goal, the run is host-limited, not a gradscope failure. The step of issue #16 item 6
 * ([784,100,100,10] at batch 256) has a fifth task in its rounds, its nothing-shared ceiling
 * (bench/nothing-shared.ts: two one-thread networks stepping half the batch each at the same time,
 * one in a worker, nothing shared): the one-thread step's time over it is what this host gives a
 * split of this work in that round, lines moving between the cores left out; where that misses the
 * goal too and the split reached it, a miss is host-limited (judgeBesideControl says when).
 */
import os from 'node:os';
import { createNetwork } from '../src/api/network.js';
import { loadMnist } from '../src/data/mnist.js';
import type { Kernels } from '../src/kernels.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { API_ROWS } from './api.bench.js';
import { startHostControl, type HostControl } from './host-control.js';
import { startNothingShared, type NothingShared } from './nothing-shared.js';
import { lineRoundTripText, measureLineRoundTrip, type LineRoundTrip } from './line-round-trip.js';
import { interleaved, median } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { stepOn } from './step.bench.js';
import { judgeBesideControl, threadsText, type Target } from './verdict.js';

/** Issue #16's goal for every row marked `goal`: two threads at least 1.7× one. */
export const THREADS_TARGET: Target = { value: 1.7, atLeast: true };
/**
 * Rounds per row, each short (KERNEL_ROUND_MS per side for a kernel row, TRAIN_CALLS calls per side
 * for a train() row): another process that holds the second vCPU comes and goes within a second or
 * so, and a round is judged by the control measured in it, so a round must be shorter than that. Runs
 * with 5 rounds of ~200 ms gave 1.13–1.91× for one row within minutes; with 11 rounds of ~90 ms a
 * round's one- and two-thread calls still read speed-ups of 3× when the load changed between them.
 */
export const THREAD_ROUNDS = 21;
/** ms per side per round of a kernel row (a step is 0.4–14 ms), and of the control in every row (its calls are ~1 ms). */
const KERNEL_ROUND_MS = 30;
const CONTROL_ROUND_MS = 15;
/** Timed calls per side per round of a train() row (one epoch: ~65 ms on one thread), after one untimed call. */
const TRAIN_CALLS = 2;
export const THREADS_API_BATCH = 256;

export interface ThreadsRow {
  name: string;
  /** Whether issue #16's goal (THREADS_TARGET) applies to this row. */
  goal: boolean;
  /** Median time per round of each side, ms. */
  oneMs: number;
  twoMs: number;
  /** One-thread time over two-thread time, one per round. */
  speedUps: number[];
  /** The host control's speed-up in the same rounds (controls[i] beside speedUps[i]). */
  controls: number[];
  /** The host control's two-thread call, median per round, ms. */
  controlTwoMs: number;
  /** The nothing-shared ceiling in the same rounds (the one-thread time over the nothing-shared halves' time), where the row has one. */
  ceilings?: number[];
  /** The nothing-shared halves' step, median per round, ms. */
  ceilingTwoMs?: number;
}

export interface ThreadsResult {
  rows: ThreadsRow[];
  /** 1-minute load average before and after, and the cores. */
  load: [number, number];
  cores: number;
  /** A cache line's round trip between two threads, before and after the rows (bench/line-round-trip.ts). */
  lineRoundTrip: [LineRoundTrip | undefined, LineRoundTrip | undefined];
  /** Why two threads were not used, if they were not. */
  fallback: string | null;
}

/** The batch of the step measured beside its nothing-shared ceiling (issue #16 item 6: [784,100,100,10]). */
export const THREADS_CEILING_BATCH = 256;
/** The step rows; `ceiling`: measured beside its nothing-shared ceiling. */
const STEPS = [
  { sizes: [784, 100, 100, 10], batch: 64 },
  { sizes: [784, 100, 100, 10], batch: THREADS_CEILING_BATCH, ceiling: true },
  { sizes: [784, 100, 100, 10], batch: 1024 },
  { sizes: [784, 512, 512, 10], batch: 256 },
];

/**
 * One row: the two sides and the control in the same interleaved rounds; `side`: each side's time
 * and calls per round; `ceiling`: the nothing-shared halves of the one-thread side's work, timed as
 * a side too.
 */
async function row(name: string, goal: boolean, one: () => void, two: () => void, control: HostControl, side: { ms: number; calls?: number }, ceiling?: NothingShared): Promise<ThreadsRow> {
  const times = await interleaved(
    [
      { name: 'one', run: one, ...side },
      { name: 'two', run: two, ...side },
      { name: 'control one', run: control.one, ms: CONTROL_ROUND_MS },
      { name: 'control two', run: control.two, ms: CONTROL_ROUND_MS },
      ...(ceiling ? [{ name: 'nothing shared', run: ceiling.two, ...side }] : []),
    ],
    THREAD_ROUNDS,
  );
  const ratios = (a: string, b: string) => roundRatios(times.get(a)!, times.get(b)!);
  return {
    name,
    goal,
    oneMs: median(times.get('one')!),
    twoMs: median(times.get('two')!),
    speedUps: ratios('one', 'two'),
    controls: ratios('control one', 'control two'),
    controlTwoMs: median(times.get('control two')!),
    ...(ceiling ? { ceilings: ratios('one', 'nothing shared'), ceilingTwoMs: median(times.get('nothing shared')!) } : {}),
  };
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

export async function runThreadsBench(): Promise<ThreadsResult> {
  const kernelSide = { ms: KERNEL_ROUND_MS };
  const load0 = os.loadavg()[0];
  const tripBefore = await measureLineRoundTrip();
  const control = await startHostControl();
  const one = await createWasmKernels({ variant: 'simd' });
  const two = await createThreadedWasmKernels({ threads: 2 });
  const rows: ThreadsRow[] = [];
  try {
    for (const c of STEPS) {
      const a = await stepOn(one, c.sizes, c.batch);
      const b = await stepOn(two, c.sizes, c.batch);
      const ceiling = c.ceiling ? await startNothingShared(c.sizes, c.batch) : undefined;
      try {
        rows.push(await row(`step [${c.sizes.join(',')}] batch ${c.batch}`, c.batch >= 256, a.step, b.step, control, kernelSide, ceiling));
      } finally {
        await ceiling?.close();
      }
      a.net.dispose();
      b.net.dispose();
    }
    const p1 = product(one, 512);
    const p2 = product(two, 512);
    rows.push(await row('dense forward 512×512→512', false, p1.run, p2.run, control, kernelSide));
    p1.free();
    p2.free();
    rows.push(...(await trainRows(control)));
  } finally {
    await two.close();
    await control.close();
  }
  const tripAfter = await measureLineRoundTrip();
  return { rows, load: [load0, os.loadavg()[0]], cores: os.cpus().length, lineRoundTrip: [tripBefore, tripAfter], fallback: two.threadsFallback };
}

/** The line round trips before and after the rows, as the report and the console print them. */
export function lineRoundTripsText([before, after]: ThreadsResult['lineRoundTrip']): string {
  return `${lineRoundTripText(before)} before the rows, ${lineRoundTripText(after)} after`;
}

/** The name of a train() row: on a dataset uploaded once, or on rows uploaded by each call (train(x, y)); both are goal rows. */
const trainRowName = (data: 'dataset' | 'rows') => `train(${data === 'dataset' ? 'dataset' : 'x, y'}) 1 epoch, batch ${THREADS_API_BATCH}`;

/** train() of one epoch over the digits at batch 256, one thread against `threads: 2`. */
async function trainRows(control: HostControl): Promise<ThreadsRow[]> {
  const side = { ms: 0, calls: TRAIN_CALLS };
  const { train } = await loadMnist({ train: API_ROWS, test: 0 });
  const options = { epochs: 1, batchSize: THREADS_API_BATCH, learningRate: 0.01 };
  const make = (threads: number) => createNetwork({ sizes: [784, 100, 100, 10], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads });
  const [one, two] = [await make(1), await make(2)];
  const [oneData, twoData] = [one.dataset(train.x, train.y), two.dataset(train.x, train.y)];
  try {
    return [
      await row(trainRowName('dataset'), true, () => void one.train(oneData, options), () => void two.train(twoData, options), control, side),
      await row(trainRowName('rows'), true, () => void one.train(train.x, train.y, options), () => void two.train(train.x, train.y, options), control, side),
    ];
  } finally {
    oneData.dispose();
    twoData.dispose();
    one.dispose();
    two.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runThreadsBench();
  console.log(`load average ${result.load.map((l) => l.toFixed(1)).join(' → ')} on ${result.cores} cores${result.fallback ? `; fallback: ${result.fallback}` : ''}`);
  console.log(`a cache line's round trip between two threads: ${lineRoundTripsText(result.lineRoundTrip)}`);
  const x = (v: number) => `${v.toFixed(2)}×`;
  for (const r of result.rows) {
    const j = judgeBesideControl(r.speedUps, r.controls, THREADS_TARGET, r.ceilings);
    console.log(`${r.name}: one ${r.oneMs.toFixed(3)} ms, two ${r.twoMs.toFixed(3)} ms, ${spreadText(spreadOf(r.speedUps), x)}`);
    if (r.goal) console.log(`  ${j.verdict}: ${threadsText(j, THREADS_TARGET, x)}`);
    console.log(`  rounds: ${r.speedUps.map((v, i) => `${x(v)}/${x(r.controls[i])}${r.ceilings ? `/${x(r.ceilings[i])}` : ''}`).join(' ')}`);
  }
}
