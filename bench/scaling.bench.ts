/**
 * Where overhead ends and arithmetic begins: one wasm-simd training step (feedforward, backprop,
 * SGD update; sigmoid, MSE) against batch size, 1 to 1024, on [784,100,100,10], and against depth,
 * 1 to 32 hidden layers of 256 units, on [784, 256 × depth, 10] at batch 64. Each row reports the
 * step's GFLOP/s (stepFlops) and the fraction of the in-run f32x4 peak (f32_peak_madd) it reaches:
 * small batches are bound by calls and passes over memory, large ones by the multiply-adds.
 */
import { Bench } from 'tinybench';
import { createWasmKernels } from '../bindings/wasm/wasm-kernels.js';
import { medianMs } from './median.js';
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

/** Trips of f32_peak_madd per call (~1 ms). */
const PEAK_ITERATIONS = 1_000_000;

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
  const peakFlops = kernels.module.f32_peak_madd(out.ptr, PEAK_ITERATIONS);
  const peak = () => {
    kernels.module.f32_peak_madd(out.ptr, PEAK_ITERATIONS);
  };
  // The machine is shared: each case is measured beside its own peak, in one small bench, so a
  // burst of someone else's work shows in both and cancels in the fraction.
  const rows: ScalingRow[] = [];
  const peaks: number[] = [];
  for (const c of cases) {
    const { net, step } = await stepOn(kernels, c.sizes, c.batch);
    const bench = new Bench({ time: opts.time ?? 250, warmupTime: 100 });
    bench.add('peak', peak);
    bench.add('step', step);
    await bench.run();
    net.dispose();
    const peakGflops = peakFlops / medianMs(bench, 'peak') / 1e6;
    peaks.push(peakGflops);
    const ms = medianMs(bench, 'step');
    const gflops = stepFlops(c.sizes, c.batch) / ms / 1e6;
    rows.push({ ...c, sizes: [...c.sizes], medianMs: ms, samplesPerSecond: (c.batch * 1000) / ms, gflops, ofPeak: gflops / peakGflops });
  }
  kernels.free(out);
  const peakGflops = peaks.sort((a, b) => a - b)[peaks.length >> 1];
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
