/**
 * The dense-layer products (forward, the forward of a batch it gathers from a data set's rows by number,
 * ∂input, ∂weights, and ∂weights with ∂input in one call) on the plain-TypeScript reference (float32
 * storage) and on the wasm SIMD and scalar variants at 64×784→100 (MNIST's first layer at batch
 * 64), 256³ and 512³, in GFLOP/s, beside the in-run arithmetic ceiling of each wasm variant
 * (f32_peak_madd) measured in the same run: each shape's products and a peak call of the same flops
 * run in DENSE_ROUNDS interleaved rounds, timed by the process's CPU time, and a product's fraction
 * of the peak is taken per round.
 * The one call denseBackwardWeightsAndInput (bwd_weights_and_input, twice the flops) is also read
 * against its two calls in the same round: their time over its (a one-thread backend runs it as
 * those two calls, so about 1×; the threaded kernels' pairing of the two is threads.bench.ts's to time).
 *
 * Where did 64×784→100's ∂W and ∂input lose their ~10 % to the peak (issue #16 item 5; 89.9 % and
 * 90.4 % in the quiet run of 2026-12-03 22:03)? Mostly in copying B: session 28, AMD EPYC Zen 5
 * (family 26 model 2), 2026-12-03 22:57–23:27, load 5–20, a /tmp script alternating the binaries'
 * calls in bursts of 5, each burst timed by the process's CPU time, 150–800 rounds. The 4×8
 * microkernel alone on one tile in L1 (f32_microkernel_rounds, kc 64 and 100, the product's flops)
 * read 98–99 % of the peak, and valgrind counts the products at 94–95 % of the peak's instructions
 * (bench/instructions.ts), so neither the tile's loop nor its C round trip holds them at 90 %.
 * Probes (wrong results, cost only; speed-up of ∂input, ∂W): the first row of tiles without packing
 * B (microkernel4x8PackingB) 1.050×, 1.034×; the first tile of each row without packing A 1.012×,
 * 1.010×; every tile re-reading one B panel from L1 instead of the block from L2 1.00×; never reading
 * C back 1.007×, 1.002×. Tried and not kept: packing B in a pass of its own, row by row in whole
 * vectors, 0.973×, 0.968×. Kept: B read in place where it is read as is (dense.simd.ts
 * readsBInPlace): bench/ab.ts --cpu against main's binary, 2 instances each, same output bits at
 * every shape, speed-up of fwd, ∂input, ∂W: 64×784→100 ×0.991, ×1.047, ×1.036 (600 rounds in bursts
 * of 5, load 14–15; bursts of 3: ×0.994, ×1.011, ×1.016 at load 15), and 0.2025 against 0.2168 ms for
 * ∂W in the script's 800 rounds (load 15; ×1.056 ∂input); 256×784→100 ×0.998, ×1.036, ×1.021 (400
 * rounds, load 13–14; in 200 rounds before it ×1.008, ×1.012, ×0.990); 256³ ×1.009, ×1.014, ×1.023
 * (200 rounds, load 14–15) and 512³ ×1.023, ×1.026, ×1.019 (80 rounds, load 14), where B's rows lie a
 * multiple of 256 bytes apart and are still packed (read in place there, 512³'s ∂input and ∂W ran
 * 0.948× and 0.947×): these products the change leaves as they were moved ×1.009–1.026, so the
 * smaller of 64×784→100's gains (×1.011, ×1.016) are within the A/B's noise. Called as a layer's backward calls them (the script, 600 rounds in bursts of 3,
 * load 10–11): ∂W then ∂input ×1.036; the forward, ∂W and ∂input in turn, each finding the others'
 * operands in the caches, ×1.007. This file's own run at 23:51 (load 11) read 64×784→100's fwd,
 * ∂input and ∂W at 91.5 %, 92.9 % and 92.3 % of the peak, but bwd_weights_and_input's two calls at
 * 0.95× its own time (not explained: its calls alternate two products' operands, ~1 MiB, where each
 * product's own row repeats one). Whether ∂W holds 90 % takes a quiet run.
 *
 * Is the 512×512→512 forward slower than its ∂W on a Zen 5? (issue #16; a quiet run of 2026-12-03
 * read fwd 87.5 % of the peak, middle half 82.2–91.5 %, against ∂W 92.3 %.) No: the three 512³
 * products alternated call by call with a peak call of the same flops (bursts of 3, order rotated,
 * 60–150 rounds a run, timed by the process's CPU time, as bench/ab.ts --cpu times them: by wall
 * time, rounds spread ±20 % at this load),
 * six instances of main's binary over five runs, AMD EPYC Zen 5, 2026-12-03 16:24–16:42, load 14–17:
 * fwd 86.9–90.1 % of the peak (median per run), ∂input 86.4–91.1 %, ∂W 86.3–90.7 %; fwd's time over
 * ∂W's in the same run 0.99–1.01. Both run the same schedule (K in two blocks of 256, one 512 KiB B
 * block, 128 rows of 64 tiles); the forward differs in its bias and in packing B (wᵀ) in a
 * transposing pass of its own, where ∂W packs it in its first row of tiles: 115.25 M instructions against 114.98 M
 * (the peak 111.40 M; valgrind, bench/instructions.ts). The products read ~87 % under load, where
 * the peak, in registers, does not feel the caches other processes evict. Probes (wrong results,
 * cost only): the forward without its packing pass ran 1.023× faster (it reads w, 1 MiB, once per
 * call, as ∂input reads w and ∂W reads a); never reading C back 1.008×, 1.016×, 0.996×. Tried in
 * those rounds and not kept (speed-up of fwd, ∂input, ∂W): B packed in the forward's first row of
 * tiles through 4×4 transposes, as ∂W packs it, 0.988× at 512³ (0.997× at 256³), +0.22 M
 * instructions; B blocks of 256 KiB instead of 512 (gemm.pack.ts B_BLOCK_BYTES) 0.985×, 0.993×,
 * 1.000×; KC 512 (one K block) 0.977×, 0.963×, 0.952×, and other bits.
 *
 * Why did 512×512→512's rounds spread from 74 % to 118 % of the peak in a quiet run (bench/RESULTS.md,
 * 2026-12-03 18:08, load 3.3 → 1.6)? A round ran each task as one tinybench run of ~91 ms (4 calls at
 * least), timed by wall time: a 512³ call lasts ~5.7 ms, so with more runnable processes than the two
 * vCPUs a product's run was preempted in some rounds and its peak's in others. That run's 512³ peak row
 * read 47.2 GFLOP/s where the same register-only loop read 55.3 in 1 ms calls and 57.1 in 0.18 ms ones;
 * per call at 512³ (load 3.6) the peak's median took 12.98 ms by wall time, 5.17 ms by CPU time. The
 * small shapes' calls mostly fit between preemptions, so their rounds stayed within a few points. The
 * 512³ operands (1 MiB each) never fit the 1 MiB L2, in every round alike, so caches cannot spread the
 * rounds by 30 points either (see below: by CPU time 512³ reads as the small shapes do). So the rounds are now timed by
 * the process's CPU time (interleaved's clock; the run of calls per task and round, the order, the
 * peak loop and the goal unchanged). Session 27, AMD EPYC Zen 5 (family 26 model 2), 2026-12-03,
 * one process alternating the old measurement and this one (rounds as below, a /tmp script), load
 * 15–17: at 512³ the old one's medians of rounds (fwd, ∂input, ∂W) 71–117 % over five runs, middle
 * halves reaching from 58 % to 145 %; by CPU time 86.1–88.7 % over two, middle halves within
 * 82.3–90.4 %; at 64×784→100 the old one 89.5–95.6 % (one run's middle halves up to 112.7 %), by CPU
 * time 87.1–91.0 % (within 86.5–91.8 %). Three whole runs of this file alternated with three of
 * main's (20:23–20:44, load 16–21): at 512³ main's medians 68.6–86.9 %, middle halves from 52.6 % to
 * 110.3 %; this one's 85.3–95.9 %, from 83.7 % to 106.6 % (the first and third runs 85.3–88.5 %,
 * within 83.7–94.8 %): a round's ~91 ms run still feels the host (a vCPU's stolen time counts as CPU
 * time here: /proc/stat shows no steal). In those runs 64×784→100 read 83.9–88.3 % and 256³ 86.5–88.7 %
 * against main's 89.2–90.8 % and 88.3–90.0 % in its first run (why they read lower by CPU time was
 * not measured; that the wall clock's preempted peak calls lifted main's is a guess): whether the small
 * shapes hold 90 % by CPU time takes a quiet run.
 * Calls alternated one by one with the peak (a session script, /tmp/perf27c/methods.mts, passing the
 * process's CPU time as the clock to a variant of bench/median.ts' alternating that took one: the
 * landed alternating takes no clock and times by performance.now(); 17–18 calls a round) were steadier at 512³ (middle halves at most 2.4 points wide, load 14–16) but read 64×784→100
 * at 84.0–90.8 % where runs of calls read 88.2–92.3 % in the same processes: each call then finds its
 * operands evicted from L2 by the other products, which changes what the goal measures; not taken.
 * By CPU time at load 15–21 the three 512³ products read alike and as the small shapes do (85–89 %
 * in four of five runs): no sign that 512³ is held back by its size; whether it reaches 90 % takes a quiet run.
 * Under load the bench now runs longer by the wall clock (its budget is CPU time).
 *
 *   npx tsx bench/dense.bench.ts
 */
import { Bench } from 'tinybench';
import type { Kernels, Tensor } from '../src/kernels.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import type { Variant } from '../src/wasm/exports.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { cpuMs } from './ab-rounds.js';
import { interleaved, median, medianMs } from './median.js';
import { peakLoop, type PeakLoop } from './peak-loop.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { percentText } from '../src/percent-text.js';

export interface DenseRow {
  name: string;
  gflops: number;
  /** The median over rounds for wasm products and shape peaks, tinybench's median for the reference's products and the 1 ms peak rows: all CPU time. */
  medianMs: number;
  /** A wasm product's fraction of its shape's peak, one per round (that round's peak). */
  ofPeak?: number[];
  /** bwd_weights_and_input's rows only: the time of its two calls (bwd_weights + bwd_input) over its own, one per round. */
  ofItsCalls?: number[];
}

/** (batch, nIn, nOut) */
export const DENSE_SHAPES: readonly [number, number, number][] = [
  [64, 784, 100],
  [256, 256, 256],
  [512, 512, 512],
];

const PRODUCTS = ['fwd', 'fwd_gather', 'bwd_input', 'bwd_weights', 'bwd_weights_and_input'] as const;

/** fwd_gather's data set: this many times the batch's rows, the batch drawn from them in a shuffled order. */
const GATHER_SOURCE_BATCHES = 4;
type Product = (typeof PRODUCTS)[number];

/** Trips of the peak loop per call of the peak rows: ~1 ms on either variant. */
const PEAK_TRIPS: Record<Variant, number> = { simd: 1_000_000, scalar: 1_000_000 };

export const denseTaskName = (backend: string, product: Product, [batch, nIn, nOut]: readonly number[]) =>
  `${backend} dense_${product} ${batch}×${nIn}→${nOut}`;
export const peakTaskName = (variant: Variant) => `wasm-${variant} peak_madd`;
/** The peak again with the same flops as one product of `shape` (peak-loop.ts says why), run in the same rounds as that shape's products. */
export const shapePeakTaskName = (variant: Variant, [batch, nIn, nOut]: readonly number[]) =>
  `wasm-${variant} peak_madd ${batch}×${nIn}→${nOut}`;

/** Random values in [−1, 1) into a fresh tensor. */
export function filled<T extends Tensor>(k: Kernels<T>, length: number, seed: number): T {
  const t = k.alloc(length);
  const values = new Float32Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    values[i] = (x >>> 0) / 2 ** 31 - 1;
  }
  k.write(t, values);
  return t;
}

/**
 * Interleaved rounds per shape: each round runs the shape's peak and its products once each
 * (bench/median.ts interleaved; each a run of calls, timed by the process's CPU time), and a
 * product's fraction of the peak is taken within the round.
 * One instance of a product ran 3–5 points of the peak from the next (CONTRIBUTING.md), and two whole
 * runs minutes apart read 512³ ∂W at 89 % and 95 %: eleven rounds give a median and quartiles.
 */
export const DENSE_ROUNDS = 11;

/**
 * `time`: ms of CPU time per wasm-simd task over all rounds (wasm-scalar, which has no goal, gets half).
 * The reference takes up to a second per 512³ product: a few iterations, in a bench of its own.
 */
export async function runDenseBench(opts: { time?: number } = {}): Promise<DenseRow[]> {
  const time = opts.time ?? 1000;
  const rows: DenseRow[] = [];
  const flops = new Map<string, number>();
  for (const variant of ['simd', 'scalar'] as const) {
    const k = await createWasmKernels({ variant });
    const peak = peakLoop(k);
    rows.push(await peakRow(peak, variant, cpuMs));

    for (const shape of DENSE_SHAPES) {
      const [batch, nIn, nOut] = shape;
      const shapeTrips = peak.tripsFor(2 * batch * nIn * nOut);
      const shapePeak = shapePeakTaskName(variant, shape);
      flops.set(shapePeak, peak.flopsPerTrip * shapeTrips);
      const ms = (variant === 'simd' ? time : time / 2) / DENSE_ROUNDS;
      const tasks = [{ name: shapePeak, run: peak.call(shapeTrips), ms }, ...productTasks(flops, k, shape).map((t) => ({ ...t, ms }))];
      const times = await interleaved(tasks, DENSE_ROUNDS, cpuMs);
      const peakTimes = times.get(shapePeak)!;
      const gflopsIn = (name: string, roundMs: number) => flops.get(name)! / roundMs / 1e6;
      const both = denseTaskName(k.name, 'bwd_weights_and_input', shape);
      const itsCalls = times.get(denseTaskName(k.name, 'bwd_weights', shape))!.map((t, r) => t + times.get(denseTaskName(k.name, 'bwd_input', shape))![r]);
      for (const task of tasks) {
        const roundTimes = times.get(task.name)!;
        const taskMs = median(roundTimes);
        const ofPeak = task.name === shapePeak ? undefined : roundRatios(roundTimes.map((t) => gflopsIn(task.name, t)), peakTimes.map((t) => gflopsIn(shapePeak, t)));
        rows.push({ name: task.name, medianMs: taskMs, gflops: gflopsIn(task.name, taskMs), ofPeak, ...(task.name === both && { ofItsCalls: roundRatios(itsCalls, roundTimes) }) });
      }
    }
    peak.free();
  }
  rows.push(...(await refRows(DENSE_SHAPES, cpuMs)));
  return rows;
}

/**
 * The in-run peak of 1 ms calls of `variant` (`peak`'s binary), quoted in README.md and bench/RESULTS.md's
 * heading, timed by `clock`: the process's CPU time in runDenseBench, as every other row of the
 * bench (by wall time a call preempted by another process counted the other's time).
 */
export async function peakRow(peak: PeakLoop, variant: Variant, clock: () => number): Promise<DenseRow> {
  const bench = new Bench({ time: 300, iterations: 8, warmupIterations: 4, now: clock });
  bench.add(peakTaskName(variant), peak.call(PEAK_TRIPS[variant]));
  await bench.run();
  const ms = medianMs(bench, peakTaskName(variant));
  return { name: peakTaskName(variant), medianMs: ms, gflops: (peak.flopsPerTrip * PEAK_TRIPS[variant]) / ms / 1e6 };
}

/**
 * The reference's products of `shapes`, a few calls each in a bench of their own, timed by `clock`:
 * the process's CPU time in runDenseBench, as the wasm products' rounds, which its rows' ratio
 * (bench/run.ts: the reference's time over wasm-simd's) divides by.
 */
export async function refRows(shapes: readonly (readonly [number, number, number])[], clock: () => number): Promise<DenseRow[]> {
  const flops = new Map<string, number>();
  const refBench = new Bench({ time: 0, iterations: 3, warmupIterations: 1, now: clock });
  for (const shape of shapes) for (const task of productTasks(flops, createRefKernels({ precision: 'f32' }), shape)) refBench.add(task.name, task.run);
  await refBench.run();
  return refBench.tasks.map((task) => {
    const ms = medianMs(refBench, task.name);
    return { name: task.name, gflops: flops.get(task.name)! / ms / 1e6, medianMs: ms };
  });
}

/** The products of one shape on one backend, named by denseTaskName (their flops recorded in `flops`). */
function productTasks<T extends Tensor>(flops: Map<string, number>, k: Kernels<T>, shape: readonly [number, number, number]): { name: string; run: () => void }[] {
  const [batch, nIn, nOut] = shape;
  const a = filled(k, batch * nIn, 1), w = filled(k, nOut * nIn, 2), b = filled(k, nOut, 3);
  const z = k.alloc(batch * nOut), dz = filled(k, batch * nOut, 4);
  const da = k.alloc(batch * nIn), dw = k.alloc(nOut * nIn);
  const sourceRows = GATHER_SOURCE_BATCHES * batch;
  const source = filled(k, sourceRows * nIn, 5);
  // Row GATHER_SOURCE_BATCHES·i + i mod GATHER_SOURCE_BATCHES at position i: rows by number, none next to the last.
  const order = Uint32Array.from({ length: batch }, (_, i) => i * GATHER_SOURCE_BATCHES + (i % GATHER_SOURCE_BATCHES));
  const run: Record<Product, () => void> = {
    fwd: () => k.denseForward(z, a, w, b, batch, nIn, nOut),
    // Overwrites a with the gathered rows: the other products read it as any batch.
    fwd_gather: () => k.denseForwardGather(z, a, source, order, 0, w, b, batch, nIn, nOut),
    // The gradients only grow by a bounded amount per call: no overflow however long it runs.
    bwd_input: () => k.denseBackwardInput(da, dz, w, batch, nIn, nOut),
    bwd_weights: () => k.denseBackwardWeights(dw, dz, a, batch, nIn, nOut),
    bwd_weights_and_input: () => k.denseBackwardWeightsAndInput(dw, da, dz, a, w, batch, nIn, nOut),
  };
  return PRODUCTS.map((product) => {
    const name = denseTaskName(k.name, product, shape);
    flops.set(name, (product === 'bwd_weights_and_input' ? 4 : 2) * batch * nIn * nOut);
    return { name, run: run[product] };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`${'task'.padEnd(50)} ${'median ms'.padStart(10)} ${'GFLOP/s'.padStart(8)}  of its round's peak`);
  for (const row of await runDenseBench()) {
    const fraction = row.ofPeak ? spreadText(spreadOf(row.ofPeak), percentText) : '';
    const calls = row.ofItsCalls ? `; its two calls' time over its own: ${spreadText(spreadOf(row.ofItsCalls), (v) => `${v.toFixed(2)}×`)}` : '';
    console.log(`${row.name.padEnd(50)} ${row.medianMs.toFixed(3).padStart(10)} ${row.gflops.toFixed(1).padStart(8)}  ${fraction}${calls}`);
  }
}
