/**
 * Where overhead ends and arithmetic begins: one wasm-simd training step (feedforward, backprop,
 * SGD update; sigmoid, MSE) against batch size, 1 to 1024, on [784,100,100,10], and against depth,
 * 1 to 32 hidden layers of 256 units, on [784, 256 × depth, 10] at batch 64. Each row reports the
 * step's GFLOP/s (stepFlops) and the fraction of the in-run f32x4 peak (f32_peak_madd) it reaches:
 * small batches are bound by calls and passes over memory, large ones by the multiply-adds.
 * The batch-64 row is the training step's goal (bench/goals.ts, STEP_PEAK_TARGET), judged on its rounds.
 */
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { interleaved, median } from './median.js';
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
 * The peak is measured with as many flops per call as the case's step, so both calls last about as
 * long: on a shared machine a call longer than the scheduler's time slice is preempted in every
 * sample, and the median of a 1 ms peak beside a 10 ms step would overstate the step's loss.
 */
/**
 * Interleaved rounds of (peak, step) per case, the order flipped every round, as many as the dense
 * products' (DENSE_ROUNDS): a round costs a task one warm-up call where the five tinybench rounds this
 * replaced cost 16: the suite took 24.5 and 24.3 s against 30.6 and 28.5 s before (runs of each
 * alternating, 2026-12-01 10:31–10:33, load average 12–16).
 */
export const SCALING_ROUNDS = 11;

function peakIterationsFor(stepFlopCount: number, flopsPerIteration: number): number {
  return Math.max(1000, Math.round(stepFlopCount / flopsPerIteration));
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
  const out = kernels.alloc(16);
  const flopsPerIteration = kernels.module.f32_peak_madd(out.ptr, 1000) / 1000;
  // The machine is shared: each case is measured beside its own peak, in interleaved rounds, so a
  // burst of someone else's work shows in both and cancels in the round's fraction.
  const rows: ScalingRow[] = [];
  const peaks: number[] = [];
  for (const c of cases) {
    const { net, step } = await stepOn(kernels, c.sizes, c.batch);
    const flops = stepFlops(c.sizes, c.batch);
    const iterations = peakIterationsFor(flops, flopsPerIteration);
    const peakTask = () => {
      kernels.module.f32_peak_madd(out.ptr, iterations);
    };
    const roundMs = (opts.time ?? 300) / SCALING_ROUNDS;
    const times = await interleaved(
      [
        { name: 'peak', run: peakTask, ms: roundMs },
        { name: 'step', run: step, ms: roundMs },
      ],
      SCALING_ROUNDS,
    );
    net.dispose();
    const gflopsOf = (callFlops: number) => (t: number) => callFlops / t / 1e6;
    const roundPeaks = times.get('peak')!.map(gflopsOf(iterations * flopsPerIteration));
    peaks.push(...roundPeaks);
    const ofPeakRounds = roundRatios(times.get('step')!.map(gflopsOf(flops)), roundPeaks);
    const ms = median(times.get('step')!);
    const gflops = flops / ms / 1e6;
    rows.push({ ...c, sizes: [...c.sizes], medianMs: ms, samplesPerSecond: (c.batch * 1000) / ms, gflops, ofPeak: median(ofPeakRounds), ofPeakRounds });
  }
  kernels.free(out);
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
