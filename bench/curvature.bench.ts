/**
 * One Hessian-vector product (Pearlmutter's R-operator, src/curvature/hessian-product.ts) and one
 * Gauss-Newton product beside one training step (feedforward, backprop, SGD update) of the step
 * suite's network, [784,100,100,10] sigmoid with MSE at batch 64, on each wasm variant, measured
 * side by side. The products start from the forward and backward pass already made (as in Lanczos,
 * where θ is fixed); ratio = the product's time over the step's. Goal: H·v ≤ 2.5 steps.
 */
import { Bench } from 'tinybench';
import { HessianProduct } from '../src/curvature/hessian-product.js';
import { Rng } from '../src/init/rng.js';
import type { Kernels } from '../src/kernels.js';
import { denseModelOf } from '../src/model.js';
import { allocVector } from '../src/optim/param-vector.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs } from './median.js';
import { STEP_BATCH, STEP_SIZES, stepOn } from './step.bench.js';

export interface CurvatureRow {
  name: string;
  medianMs: number;
  /** The row's time over one training step's on the same backend (1 for the step). */
  ratio: number;
}

export async function runCurvatureBench(opts: { time?: number } = {}): Promise<CurvatureRow[]> {
  const backends: Kernels[] = [await createWasmKernels({ variant: 'scalar' }), await createWasmKernels({ variant: 'simd' })];
  const bench = new Bench({ time: opts.time ?? 1000 });
  for (const kernels of backends) {
    const { step } = await stepOn(kernels);
    // a second network with the same batch for the products: the step moves its own weights
    const { net: fixed } = await stepOn(kernels);
    const model = denseModelOf(fixed, 'test');
    model.feedforward(STEP_BATCH);
    model.backprop(STEP_BATCH);
    const product = new HessianProduct(model, STEP_BATCH);
    product.prepare(STEP_BATCH);
    const lengths = model.parameters().map((p) => p.length);
    const [v, out] = [allocVector(kernels, lengths), allocVector(kernels, lengths)];
    const rng = new Rng(3);
    v.forEach((t, i) => kernels.write(t, Float32Array.from({ length: lengths[i] }, () => rng.normal())));
    bench.add(`step ${kernels.name}`, step);
    bench.add(`Hessian-vector product ${kernels.name}`, () => product.apply(out, v));
    bench.add(`Gauss-Newton product ${kernels.name}`, () => product.applyGaussNewton(out, v));
  }
  await bench.run();
  return backends.flatMap((kernels) => {
    const stepMs = medianMs(bench, `step ${kernels.name}`);
    return ['step', 'Hessian-vector product', 'Gauss-Newton product'].map((task) => {
      const ms = medianMs(bench, `${task} ${kernels.name}`);
      return { name: `${task} ${kernels.name}`, medianMs: ms, ratio: ms / stepMs };
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`[${STEP_SIZES.join(',')}] sigmoid, MSE, batch ${STEP_BATCH} (ratio: time over one training step)`);
  for (const row of await runCurvatureBench()) {
    console.log(`${row.name.padEnd(40)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio.toFixed(2).padStart(6)}×`);
  }
}
