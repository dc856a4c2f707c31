/**
 * Where overhead ends and arithmetic begins: one wasm-simd training step (feedforward, backprop,
 * SGD update; sigmoid, MSE) against batch size, 1 to 1024, on [784,100,100,10], and against depth,
 * 1 to 32 hidden layers of 256 units, on [784, 256 × depth, 10] at batch 64. Each row reports the
 * step's GFLOP/s (stepFlops) and the fraction of the in-run f32x4 peak (f32_peak_madd) it reaches:
 * small batches are bound by calls and passes over memory, large ones by the multiply-adds.
 * The batch-64 row is the training step's goal (bench/goals.ts, STEP_PEAK_TARGET), judged on its rounds.
 */
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { cpuMs } from './ab-rounds.js';
import { interleaved, median } from './median.js';
import { peakLoop } from './peak-loop.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { percentText } from '../src/percent-text.js';
import { STEP_SIZES, stepFlops, stepOn } from './step.bench.js';

export const SCALING_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
export const SCALING_DEPTHS = [1, 2, 4, 8, 16, 32];
export const DEPTH_WIDTH = 256;
export const DEPTH_BATCH = 64;

export interface ScalingRow {
  /** 'batch' or 'depth': which axis this row varies. */
  axis: 'batch' | 'depth';
  /** The batch size or the number of hidden layers. */
  value: number;
  sizes: number[];
  batch: number;
  medianMs: number;
  samplesPerSecond: number;
  gflops: number;
  /** GFLOP/s over the in-run f32x4 mul+add peak: the median round's. */
  ofPeak: number;
  /** The fraction of the peak in each round, against that round's peak. */
  ofPeakRounds: number[];
}

/**
 * Interleaved rounds of (peak, step) per case, the order flipped every round, as many as the dense
 * products' (DENSE_ROUNDS): a round costs a task one warm-up call where the five tinybench rounds this
 * replaced cost 16: the suite took 24.5 and 24.3 s against 30.6 and 28.5 s before (runs of each
 * alternating, 2026-12-01 10:31–10:33, load average 12–16).
 */
export const SCALING_ROUNDS = 11;

/**
 * A case whose step makes at least this many flops (~0.1 ms at the ~55 GFLOP/s peak: batch 16 and
 * up on STEP_SIZES, every depth case) is timed by the process's CPU time, as dense.bench.ts times
 * its products beside their peaks: by wall time a call preempted by another process counted the
 * other's time, and the step's goal (bench/goals.ts stepPeakGoal) reads the batch-64 row's ~0.45 ms
 * peak calls as its FLOP limit. A smaller case is timed by wall time: process.cpuUsage counts whole
 * µs, so batch 1's peak call read 7.0 µs by CPU time from p10 to p90 where the wall clock read
 * 6.5–6.6 (AMD EPYC Zen 5, 2026-12-04 03:17, load 17.5, the two clocks' interleaved rounds alternated
 * in one process, 18 rounds each; medians at batch 8 0.053 against 0.052 ms, at batch 64 0.442
 * against 0.439), and a call that short is seldom preempted. CPU time is sound for the step: it runs on one thread (no pool),
 * so the process's other threads are V8's, idle while the step allocates nothing.
 */
export const CPU_CLOCK_MIN_FLOPS = 5e6;

const wallMs = () => performance.now();

/** The clock of a case whose step makes `flops` flops (CPU_CLOCK_MIN_FLOPS says which and why). */
export const clockFor = (flops: number): (() => number) => (flops >= CPU_CLOCK_MIN_FLOPS ? cpuMs : wallMs);

/** One case's rounds: its step (`flops` flops) and a peak call of as many (peak-loop.ts says why as many), timed by clockFor(flops). */
export async function caseRounds(peak: () => void, step: () => void, flops: number, roundMs: number): Promise<{ peak: number[]; step: number[] }> {
  const times = await interleaved(
    [
      { name: 'peak', run: peak, ms: roundMs },
      { name: 'step', run: step, ms: roundMs },
    ],
    SCALING_ROUNDS,
    clockFor(flops),
  );
  return { peak: times.get('peak')!, step: times.get('step')! };
}

export function depthSizes(hidden: number): number[] {
  return [784, ...Array.from({ length: hidden }, () => DEPTH_WIDTH), 10];
}

/** peakGflops: the median of the peaks measured beside each case. */
export async function runScalingBench(opts: { time?: number } = {}): Promise<{ peakGflops: number; rows: ScalingRow[] }> {
  const kernels = await createWasmKernels({ variant: 'simd' });
  const cases = [
    ...SCALING_BATCHES.map((batch) => ({ axis: 'batch' as const, value: batch, sizes: STEP_SIZES, batch })),
    ...SCALING_DEPTHS.map((depth) => ({ axis: 'depth' as const, value: depth, sizes: depthSizes(depth), batch: DEPTH_BATCH })),
  ];
  const peak = peakLoop(kernels);
  // The machine is shared: each case is measured beside its own peak, in interleaved rounds, so a
  // burst of someone else's work shows in both and cancels in the round's fraction.
  const rows: ScalingRow[] = [];
  const peaks: number[] = [];
  for (const c of cases) {
    const { net, step } = await stepOn(kernels, c.sizes, c.batch);
    const flops = stepFlops(c.sizes, c.batch);
    const trips = peak.tripsFor(flops);
    const times = await caseRounds(peak.call(trips), step, flops, (opts.time ?? 300) / SCALING_ROUNDS);
    net.dispose();
    const gflopsOf = (callFlops: number) => (t: number) => callFlops / t / 1e6;
    const roundPeaks = times.peak.map(gflopsOf(trips * peak.flopsPerTrip));
    peaks.push(...roundPeaks);
    const ofPeakRounds = roundRatios(times.step.map(gflopsOf(flops)), roundPeaks);
    const ms = median(times.step);
    const gflops = flops / ms / 1e6;
    rows.push({ ...c, sizes: [...c.sizes], medianMs: ms, samplesPerSecond: (c.batch * 1000) / ms, gflops, ofPeak: median(ofPeakRounds), ofPeakRounds });
  }
  peak.free();
  const peakGflops = median(peaks);
  return { peakGflops, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { peakGflops, rows } = await runScalingBench();
  console.log(`in-run f32x4 peak ${peakGflops.toFixed(1)} GFLOP/s`);
  for (const r of rows) {
    console.log(
      `${r.axis} ${String(r.value).padStart(5)}  ${r.medianMs.toFixed(3).padStart(9)} ms  ${Math.round(r.samplesPerSecond).toString().padStart(8)} samples/s  ` +
        `${r.gflops.toFixed(1).padStart(5)} GFLOP/s  ${spreadText(spreadOf(r.ofPeakRounds), percentText)} of peak`,
    );
  }
}
