/**
 * Where overhead ends and arithmetic begins: one wasm-simd training step (feedforward, backprop,
 * SGD update; sigmoid, MSE) against batch size, 1 to 1024, on [784,100,100,10], and against depth,
 * 1 to 32 hidden layers of 256 units, on [784, 256 × depth, 10] at batch 64. Each row reports the
 * step's GFLOP/s (stepFlops) and the fraction of the in-run f32x4 peak (f32_peak_madd) it reaches:
 * small batches are bound by calls and passes over memory, large ones by the multiply-adds.
 */
import { Bench } from 'tinybench';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median, medianMs } from './median.js';
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
  /** GFLOP/s over the in-run f32x4 mul+add peak. */
  ofPeak: number;
}

/**
 * The peak is measured with as many flops per call as the case's step, so both calls last about as
 * long: on a shared machine a call longer than the scheduler's time slice is preempted in every
 * sample, and the median of a 1 ms peak beside a 10 ms step would overstate the step's loss.
 */
/** Rounds of (peak, step) per case. */
const ROUNDS = 5;

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
  // The machine is shared: each case is measured beside its own peak, in one small bench, so a
  // burst of someone else's work shows in both and cancels in the fraction.
  const rows: ScalingRow[] = [];
  const peaks: number[] = [];
  for (const c of cases) {
    const { net, step } = await stepOn(kernels, c.sizes, c.batch);
    const flops = stepFlops(c.sizes, c.batch);
    const iterations = peakIterationsFor(flops, flopsPerIteration);
    const peakTask = () => {
      kernels.module.f32_peak_madd(out.ptr, iterations);
    };
    // Rounds of (peak, step) side by side; the fraction is the median of the rounds' fractions.
    const stepMs: number[] = [];
    const fractions: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ time: (opts.time ?? 300) / ROUNDS, iterations: 4, warmupTime: round === 0 ? 100 : 0 });
      bench.add('peak', peakTask);
      bench.add('step', step);
      await bench.run();
      const peakGflops = (iterations * flopsPerIteration) / medianMs(bench, 'peak') / 1e6;
      peaks.push(peakGflops);
      stepMs.push(medianMs(bench, 'step'));
      fractions.push(flops / stepMs[round] / 1e6 / peakGflops);
    }
    net.dispose();
    const ms = median(stepMs);
    const gflops = flops / ms / 1e6;
    rows.push({ ...c, sizes: [...c.sizes], medianMs: ms, samplesPerSecond: (c.batch * 1000) / ms, gflops, ofPeak: median(fractions) });
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
        `${r.gflops.toFixed(1).padStart(5)} GFLOP/s  ${(100 * r.ofPeak).toFixed(0).padStart(3)} %`,
    );
  }
}
