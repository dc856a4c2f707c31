/**
 * The nothing-shared ceiling of a two-thread step (issue #16 item 6): what this host gives two
 * threads that each do half of a step's work with nothing shared. `one` steps a one-thread wasm-simd
 * network (bench/step.bench.ts' step: sigmoid/MSE, plain SGD, a batch resident) on the whole batch;
 * `two` steps a second such network on half the batch on the main thread while a worker steps a
 * third, its own instance and memory, on the other half (bench/nothing-shared-worker.ts), one
 * hand-off per step as in gradscope's pool (spin, then sleep on the job counter); `half` is the
 * main thread's half alone. The same products as a split step and the same bytes per thread in
 * them, but no line of either half ever moves between the cores. Not quite the same work: each half
 * zeroes its own ∂W and ∂b and runs SGD over all its 89,610 parameters, where the split step does
 * each once, shared between its threads; that zeroing and update read 11.0 µs p10 on one thread
 * against 1,062 µs for a half's step (batch 128; AMD EPYC Zen 5, 2026-12-04 15:08, load 7.3–8.4),
 * so a half does up to ~1 % more than a thread of the split step and the ceiling reads up to ~1 %
 * low (kept: giving each half half an update would make it a different network's step, and 1 % is
 * within the rounds' spread). one ÷ two is the ceiling of a split step on this host in these minutes; 2·half ÷ two is how much the halves slow each other (the host's shared
 * memory, L3 and vCPU placement), which a registers-only loop (bench/host-control.ts) cannot show.
 * startPair makes such a pair of any halves of bench/nothing-shared-work.ts (threads.bench.ts pairs
 * train() over half the digits each too); pairRound times a pair's round in the bench by its clean
 * pairs only, where gradscope's own two-thread round in threads.bench.ts is tinybench's median over
 * every step, steps whose worker started late included: the two sides are not filtered alike (the
 * verdict's line says so). For train() halves a pair is a whole epoch, and a worker that started
 * late in it (or was descheduled for part of it) still counts as clean: there the filter bounds
 * nothing.
 *
 *   npx tsx bench/nothing-shared.ts [--blocks 150] [--batch 256] [--sizes 784,100,100,10]
 *
 * Run alone it also times the split step (createThreadedWasmKernels({ threads: 2 })) in the same
 * blocks: per block 3 one-thread steps, 8 split steps (after one untimed, the worker awake; a step
 * is clean when the pool's worker ran every job), 8 nothing-shared pairs (after one untimed) and 3
 * halves alone, the four groups' order rotated each block, a 3 ms pause before each group so that
 * the last group's worker, which spins ~1 ms after its last job (pool.ts SPIN), is asleep. A pair
 * is clean when the worker had started its half by the time the main thread finished its own.
 *
 * Read on the AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs, 2026-12-04 03:13–03:27, session 29, the
 * machine shared with ~8 agents, load 9.7–17; p10 in µs, the one-thread step 1,958–1,997, half of it
 * alone 980–1,000): the nothing-shared halves 1,170, 1,090 and 1,024 (1.70×, 1.80×, 1.95×; the
 * last over clean pairs) where the split step's clean steps read 1,248, 1,234 and 1,262 (1.58–1.60×)
 * in the same blocks; in five more runs the pairs were disturbed throughout (p10 2,315–3,016: a pair
 * has no fallback for a descheduled worker, where the pool's main thread runs an unclaimed job
 * itself) while the split read 0.93–1.92×. The worker's half alone read 1,337–1,409 p10 against
 * the main thread's 980–1,000, yet timed inside the worker its step took 990–1,025 p10: the rest
 * was in the hand-off under that load (likely the main thread waking from its wait), not the
 * worker's compute. Four runs more (04:15–04:18, load 12–16; clean pairs against the split's clean
 * steps, p10): 1,503 against 1,580 (1.43× and 1.36× the one-thread 2,148), 1,637 against 1,562
 * (1.27× and 1.33×: the split ahead), the pairs disturbed against 1,668, and 1,064 against 1,245
 * (1.93× and 1.65×). So the ceiling moves with the host too: in some minutes it is under 1.7× itself
 * and the split as fast, in others it reaches 1.9× where the split reads ~1.6×. Five more
 * (04:27–04:30, load 10–14): 1,045 against 1,235 (1.89× and 1.60×), 1,054 against 1,056 (1.89×
 * both: in a minute when the split reads 1.9× it matches the ceiling), and three with the pairs
 * disturbed (p10 2,338–2,343) beside the split's 1,230–3,470. In every run with undisturbed pairs
 * and the split at ~1.6×, the ceiling read 1.70–1.95×: there the split's loss is its sharing.
 *
 * Since session 34 it also times the exchanged pair (bench/exchanged-half.ts: the same halves plus
 * the least exchange a data-parallel step makes) and a half with that exchange kept in its own
 * memory (its local copies, nothing crossing). 2026-12-05 02:33–02:36, load 0.2 → 0.4, 150 blocks
 * (p10 / median, µs): one thread 1,977 / 2,106; a half alone 1,005 / 1,082, with its exchange kept
 * local 1,024 / 1,110; nothing shared 1,018 / 1,060 (1.94× / 1.99×); exchanged 1,087 / 1,136
 * (1.82× / 1.85×); the split step 1,173 / 1,220 (1.69× / 1.73×). So the least exchange costs ~70 µs
 * a step here (~20 of it the local copies), 1.7× is within a split's reach on this host, and the
 * split's remaining gap to the exchanged pair is ~86 µs p10.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SPIN } from '../src/wasm/threads/pool.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median } from './median.js';
import { makeHalf, type HalfWork } from './nothing-shared-work.js';
import { exchangeState, makeExchangeHalf, type ExchangeWork, type HalfObserver } from './exchanged-half.js';
import { stepOn } from './step.bench.js';
import { startWorkerControl } from './worker-control.js';

/** Two halves of one piece of work (bench/nothing-shared-work.ts), one on the main thread and one in a worker, nothing shared. */
export interface NothingSharedPair {
  /**
   * The two halves at the same time. Returns whether the pair was clean: the worker had started its
   * half when the main thread finished its own (where gradscope's pool would have run a job not yet
   * started itself, ThreadPool.jobsRunHere, which bench/ab-trees-threads.ts counts clean steps by).
   * A pair that is not clean timed the host's scheduling of the worker, not a split: it bounds nothing.
   */
  two(): boolean;
  /** The main thread's half alone. */
  half(): void;
  /** The worker's half alone, the main thread waiting for it. */
  other(): void;
  close(): Promise<void>;
}

export interface NothingShared extends NothingSharedPair {
  /** The whole batch's step on the main thread alone. */
  one(): void;
}

/**
 * The worker runs under tsx, as the bench does: an eval'd worker registers tsx's loader, then
 * imports the worker's module (a worker started from a .ts file gets no loader of its own).
 */
function workerSource(): string {
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const entry = new URL('./nothing-shared-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(new URL(`file://${tsx}`).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/** `main`'s half on the main thread and `other`'s in a worker (its own thread, kernels and memory), one hand-off per pair. */
export async function startPair(main: HalfWork, other: HalfWork, spin = SPIN): Promise<NothingSharedPair> {
  const half = await makeHalf(main);
  const worker = await startWorkerControl('nothing-shared', (control) => new Worker(workerSource(), { eval: true, workerData: { work: other, control, spin } }), spin);
  return {
    half: half.run,
    two: () => {
      worker.post();
      half.run();
      const clean = worker.started();
      worker.wait();
      return clean;
    },
    other: () => {
      worker.post();
      worker.wait();
    },
    close: async () => {
      await worker.close();
      half.dispose();
    },
  };
}

/** The nothing-shared pair of a step of `batch` (two steps of half of it) and the whole step on the main thread. */
export async function startNothingShared(sizes: readonly number[], batch: number, spin = SPIN): Promise<NothingShared> {
  if (batch % 2) throw new Error(`nothing-shared: the batch (${batch}) must split into two equal halves`);
  const whole = await stepOn(await createWasmKernels({ variant: 'simd' }), [...sizes], batch);
  const work: HalfWork = { kind: 'step', sizes: [...sizes], batch: batch / 2 };
  const pair = await startPair(work, work, spin);
  return {
    ...pair,
    one: whole.step,
    close: async () => {
      await pair.close();
      whole.net.dispose();
    },
  };
}

/** A pair that can only run both halves together (each waits for the other inside its step). */
export interface TogetherPair {
  /** Both halves at once; whether the pair was clean (the worker had started when the main thread finished its own forward and backprop). */
  two(): boolean;
  close(): Promise<void>;
}

/**
 * The exchanged ceiling of a step of `batch` (bench/exchanged-half.ts): the nothing-shared pair's
 * halves plus the least exchange any data-parallel step on two cores makes, each core reading the
 * other's half of ∂W and of the updated weights. No split step reaches the nothing-shared ceiling
 * (a split must move those lines); this one is nearer what a split can reach, but no bound on it:
 * a split may overlap the exchange with its compute (bench/verdict.ts), and the local copies
 * exchanged-half.ts counts slow this one. `observer` sees the main thread's half (bench/step-phases.ts).
 */
export async function startExchangedPair(sizes: readonly number[], batch: number, spin = SPIN, observer?: HalfObserver): Promise<TogetherPair> {
  if (batch % 2) throw new Error(`exchanged pair: the batch (${batch}) must split into two equal halves`);
  const state = exchangeState();
  const side = (s: 0 | 1): ExchangeWork => ({ kind: 'exchange', sizes: [...sizes], batch: batch / 2, side: s, state, spin });
  let clean = false;
  let worker: Awaited<ReturnType<typeof startWorkerControl>> | undefined;
  const half = await makeExchangeHalf(side(0), () => (clean = worker!.started()), observer);
  worker = await startWorkerControl('exchanged pair', (control) => new Worker(workerSource(), { eval: true, workerData: { work: side(1), control, spin } }), spin);
  return {
    two: () => {
      worker!.post();
      half.run();
      worker!.wait();
      return clean;
    },
    close: async () => {
      await worker!.close();
      half.dispose();
    },
  };
}

/** What a nothing-shared ceiling measured in rounds counts: its pairs, and the clean ones among them. */
export interface PairCounts {
  pairs: number;
  clean: number;
}

/**
 * A round of `two` for interleaved() (median.ts, a task timing its own round): untimed pairs first
 * (4 in the first round, which warms the engine up, then 1, as interleaved's tinybench tasks), then
 * pairs, each timed, until `side.ms` have passed and at least `side.calls` (4 unless given) were
 * timed. The round's time is the median of its clean pairs, NaN when none was clean; `counts` adds
 * up the round's pairs and clean ones.
 */
export function pairRound(two: () => boolean, side: { ms: number; calls?: number }, counts: PairCounts): (round: number) => number {
  return (round) => {
    for (let w = round === 0 ? 4 : 1; w > 0; w--) two();
    const clean: number[] = [];
    const start = performance.now();
    for (let pairs = 0; pairs < (side.calls ?? 4) || performance.now() - start < side.ms; pairs++) {
      const t0 = performance.now();
      const wasClean = two();
      const ms = performance.now() - t0;
      counts.pairs++;
      if (!wasClean) continue;
      counts.clean++;
      clean.push(ms);
    }
    return clean.length ? median(clean) : NaN;
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { threadBlockOptions } = await import('./ab-args.js');
  const { quantile } = await import('../src/median.js');
  const { createThreadedWasmKernels } = await import('../src/wasm/threads/threaded-kernels.js');
  const { measureLineRoundTrip, lineRoundTripText } = await import('./line-round-trip.js');
  const { blocks, batch, sizes, oneSteps: ONE_STEPS, twoSteps: TWO_STEPS, pauseMs: PAUSE_MS } = threadBlockOptions();

  const load0 = os.loadavg()[0];
  const tripBefore = await measureLineRoundTrip();
  const pair = await startNothingShared(sizes, batch);
  const threaded = await createThreadedWasmKernels({ threads: 2 });
  if (threaded.threads < 2) throw new Error(`two threads are not available here: ${threaded.threadsFallback}`);
  const pool = (threaded as unknown as { pool: { jobsRunHere: number } }).pool;
  const split = await stepOn(threaded, sizes, batch);
  const exchanged = await startExchangedPair(sizes, batch);
  const local = await makeExchangeHalf({ kind: 'exchange', sizes, batch: batch / 2, side: 0, state: exchangeState(), spin: SPIN, solo: true });
  const times = {
    one: [] as number[], half: [] as number[], other: [] as number[], local: [] as number[], pair: [] as number[], pairClean: [] as number[],
    exchanged: [] as number[], exchangedClean: [] as number[], split: [] as number[], splitClean: [] as number[],
  };
  const timed = (run: () => void) => {
    const t0 = performance.now();
    run();
    return (performance.now() - t0) * 1000;
  };
  const pairs = (two: () => boolean, all: number[], clean: number[]) => {
    two();
    for (let s = 0; s < TWO_STEPS; s++) {
      const t0 = performance.now();
      const wasClean = two();
      const us = (performance.now() - t0) * 1000;
      all.push(us);
      if (wasClean) clean.push(us);
    }
  };
  const groups = [
    () => { for (let s = 0; s < ONE_STEPS; s++) times.one.push(timed(pair.one)); },
    () => { for (let s = 0; s < ONE_STEPS; s++) times.half.push(timed(pair.half)); },
    () => {
      pair.other();
      for (let s = 0; s < ONE_STEPS; s++) times.other.push(timed(pair.other));
    },
    () => { for (let s = 0; s < ONE_STEPS; s++) times.local.push(timed(local.run)); },
    () => pairs(pair.two, times.pair, times.pairClean),
    () => pairs(exchanged.two, times.exchanged, times.exchangedClean),
    () => {
      split.step();
      for (let s = 0; s < TWO_STEPS; s++) {
        const ranHere = pool.jobsRunHere;
        const us = timed(split.step);
        times.split.push(us);
        if (pool.jobsRunHere === ranHere) times.splitClean.push(us);
      }
    },
  ];
  for (let block = 0; block < blocks; block++) {
    const shift = block % groups.length;
    for (const group of [...groups.slice(shift), ...groups.slice(0, shift)]) {
      await new Promise((done) => setTimeout(done, PAUSE_MS));
      group();
    }
  }
  await pair.close();
  await exchanged.close();
  local.dispose();
  await threaded.close();
  const tripAfter = await measureLineRoundTrip();

  const q = (v: number[], p: number) => quantile(v, p);
  const us = (v: number) => v.toFixed(0).padStart(5);
  const row = (name: string, v: number[]) => console.log(`${name.padEnd(34)} ${String(v.length).padStart(5)} steps  p10 ${us(q(v, 0.1))}  p25 ${us(q(v, 0.25))}  median ${us(q(v, 0.5))}`);
  console.log(`${os.cpus()[0].model}, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; step [${sizes}] batch ${batch}, ${blocks} blocks; µs`);
  console.log(`a cache line's round trip: ${lineRoundTripText(tripBefore)} before, ${lineRoundTripText(tripAfter)} after`);
  row(`one thread, batch ${batch}`, times.one);
  row(`one thread, batch ${batch / 2} (a half alone)`, times.half);
  row(`the worker's batch ${batch / 2} alone`, times.other);
  row(`nothing shared, 2 × batch ${batch / 2}, all`, times.pair);
  row(`a half with its exchange kept local`, times.local);
  row(`nothing shared, clean`, times.pairClean);
  row(`exchanged, 2 × batch ${batch / 2}, all`, times.exchanged);
  row(`exchanged, clean`, times.exchangedClean);
  row(`split step, all`, times.split);
  row(`split step, clean`, times.splitClean);
  const ratio = (a: number[], b: number[], p: number) => (q(a, p) / q(b, p)).toFixed(3);
  for (const [p, name] of [[0.1, 'p10'], [0.5, 'median']] as const) {
    console.log(
      `${name}: one ÷ nothing-shared clean ${ratio(times.one, times.pairClean, p)}× (all ${ratio(times.one, times.pair, p)}×), ` +
        `one ÷ exchanged clean ${ratio(times.one, times.exchangedClean, p)}× (all ${ratio(times.one, times.exchanged, p)}×), one ÷ split clean ${ratio(times.one, times.splitClean, p)}× (all ${ratio(times.one, times.split, p)}×); ` +
        `2·half ÷ nothing-shared clean ${((2 * q(times.half, p)) / q(times.pairClean, p)).toFixed(3)}×, one ÷ 2·half ${(q(times.one, p) / (2 * q(times.half, p))).toFixed(3)}×`,
    );
  }
}
