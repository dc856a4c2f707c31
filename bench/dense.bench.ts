/**
 * The dense-layer products (forward, ∂input, ∂weights) on the plain-TypeScript reference (float32
 * storage) and on the wasm SIMD and scalar variants at 64×784→100 (MNIST's first layer at batch
 * 64), 256³ and 512³, in GFLOP/s, beside the in-run arithmetic ceiling of each wasm variant
 * (f32_peak_madd) measured in the same run.
 *
 *   npx tsx bench/dense.bench.ts
 */
import { Bench } from 'tinybench';
import type { Kernels, Tensor } from '../src/kernels.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import type { Variant } from '../src/wasm/exports.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs } from './median.js';

export interface DenseRow {
  name: string;
  gflops: number;
  medianMs: number;
}

/** (batch, nIn, nOut) */
export const DENSE_SHAPES: readonly [number, number, number][] = [
  [64, 784, 100],
  [256, 256, 256],
  [512, 512, 512],
];

const PRODUCTS = ['fwd', 'bwd_input', 'bwd_weights'] as const;
type Product = (typeof PRODUCTS)[number];

/** Trips of the peak loop per call: ~1 ms on either variant. */
const PEAK_ITERATIONS: Record<Variant, number> = { simd: 1_000_000, scalar: 1_000_000 };

export const denseTaskName = (backend: string, product: Product, [batch, nIn, nOut]: readonly number[]) =>
  `${backend} dense_${product} ${batch}×${nIn}→${nOut}`;
export const peakTaskName = (variant: Variant) => `wasm-${variant} peak_madd`;
/**
 * The peak again with the same flops as one product of `shape`, run right before that shape's
 * products: on a shared machine a call longer than the scheduler's slice is preempted in every
 * sample, so a 12 ms product must be compared with a peak call that lasts as long, not a 1 ms one.
 */
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

export async function runDenseBench(opts: { time?: number } = {}): Promise<DenseRow[]> {
  // Few iterations: one scalar 512³ product takes ~20 ms.
  const bench = new Bench({ time: opts.time ?? 500, iterations: 8, warmupIterations: 4 });
  const flops = new Map<string, number>();

  for (const variant of ['simd', 'scalar'] as const) {
    const k = await createWasmKernels({ variant });
    const out = k.alloc(16);
    const peak = peakTaskName(variant);
    flops.set(peak, k.module.f32_peak_madd(out.ptr, PEAK_ITERATIONS[variant]));
    bench.add(peak, () => {
      k.module.f32_peak_madd(out.ptr, PEAK_ITERATIONS[variant]);
    });

    for (const shape of DENSE_SHAPES) {
      const [batch, nIn, nOut] = shape;
      const shapeIterations = Math.max(1000, Math.round((2 * batch * nIn * nOut) / (flops.get(peak)! / PEAK_ITERATIONS[variant])));
      const shapePeak = shapePeakTaskName(variant, shape);
      flops.set(shapePeak, k.module.f32_peak_madd(out.ptr, shapeIterations));
      bench.add(shapePeak, () => {
        k.module.f32_peak_madd(out.ptr, shapeIterations);
      });
      addProducts(bench, flops, k, shape);
    }
  }
  // The reference takes up to a second per 512³ product: a few iterations, in a bench of its own.
  const refBench = new Bench({ time: 0, iterations: 3, warmupIterations: 1 });
  const ref = createRefKernels({ precision: 'f32' });
  for (const shape of DENSE_SHAPES) addProducts(refBench, flops, ref, shape);

  await bench.run();
  await refBench.run();
  return [bench, refBench].flatMap((b) =>
    b.tasks.map((task) => {
      const ms = medianMs(b, task.name);
      return { name: task.name, gflops: flops.get(task.name)! / ms / 1e6, medianMs: ms };
    }),
  );
}

/** The three products of one shape on one backend, as tasks of `bench`. */
function addProducts<T extends Tensor>(bench: Bench, flops: Map<string, number>, k: Kernels<T>, shape: readonly [number, number, number]): void {
  const [batch, nIn, nOut] = shape;
  const a = filled(k, batch * nIn, 1), w = filled(k, nOut * nIn, 2), b = filled(k, nOut, 3);
  const z = k.alloc(batch * nOut), dz = filled(k, batch * nOut, 4);
  const da = k.alloc(batch * nIn), dw = k.alloc(nOut * nIn);
  const run: Record<Product, () => void> = {
    fwd: () => k.denseForward(z, a, w, b, batch, nIn, nOut),
    // The gradients only grow by a bounded amount per call: no overflow however long it runs.
    bwd_input: () => k.denseBackwardInput(da, dz, w, batch, nIn, nOut),
    bwd_weights: () => k.denseBackwardWeights(dw, dz, a, batch, nIn, nOut),
  };
  for (const product of PRODUCTS) {
    const name = denseTaskName(k.name, product, shape);
    flops.set(name, 2 * batch * nIn * nOut);
    bench.add(name, run[product]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runDenseBench();
  const peak = new Map(rows.filter((r) => r.name.includes(' peak_madd')).map((r) => [r.name.replace(' peak_madd', ''), r.gflops]));
  console.log(`${'task'.padEnd(40)} ${'median ms'.padStart(10)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)}`);
  for (const row of rows) {
    // A product against the peak measured beside it with the same flops (its shape's).
    const [backend, , shape] = row.name.split(' ');
    const ceiling = peak.get(`${backend} ${shape}`) ?? peak.get(backend);
    const fraction = ceiling === undefined ? '' : `${(100 * row.gflops / ceiling).toFixed(0)} %`;
    console.log(`${row.name.padEnd(40)} ${row.medianMs.toFixed(3).padStart(10)} ${row.gflops.toFixed(1).padStart(8)} ${fraction.padStart(8)}`);
  }
}
