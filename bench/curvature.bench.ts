/**
 * One Hessian-vector product (Pearlmutter's R-operator, src/curvature/hessian-product.ts) and one
 * Gauss-Newton product beside one training step (feedforward, backprop, SGD update) of the step
 * suite's network, [784,100,100,10] sigmoid with MSE at batch 64, on each wasm variant, measured
 * side by side. The products start from the forward and backward pass already made (as in Lanczos,
 * where θ is fixed); ratio = the product's time over the step's. Goal: H·v ≤ 2.5 steps.
 * A block network (src/layers) gets the same three: one SGD step of BLOCK_SPECS (relu, batch norm,
 * a plain and a ReZero residual block, layer norm; softmax and cross-entropy) at the same batch,
 * and one Hessian-vector and one Gauss-Newton product through its layers' R-operator (batch norm
 * through its batch statistics), each repeated at fixed weights on a stack of its own (a G·v would
 * make H·v's kept backward stale); their ratios are over that block step. Run alone, the script also
 * times the block net's H·v and G·v in alternating rounds and prints both medians and H·v / G·v.
 */
import { Bench } from 'tinybench';
import { HessianProduct } from '../src/curvature/hessian-product.js';
import { Rng } from '../src/init/rng.js';
import type { Kernels, Tensor } from '../src/kernels.js';
import { StackGaussNewton } from '../src/layers/gauss-newton.js';
import { StackHessian } from '../src/layers/hessian.js';
import { buildSequential } from '../src/layers/sequential.js';
import { checkLayerSpecs, type LayerSpec } from '../src/layers/spec.js';
import { denseModelOf } from '../src/model.js';
import { allocVector } from '../src/optim/param-vector.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs, sideBySide } from './median.js';
import { digitShapedBatch, sgdStepOf } from './sequential-step.js';
import { STEP_BATCH, STEP_SIZES, stepOn } from './step.bench.js';

export interface CurvatureRow {
  name: string;
  medianMs: number;
  /** The row's time over one training step's on the same backend (1 for the step). */
  ratio: number;
}

/** The block network of the block rows: 784 inputs, width 100, 10 classes. */
export const BLOCK_SPECS: LayerSpec[] = [
  { type: 'dense', units: 100, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'residual', layers: [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'batch-norm' }] },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'layer-norm' }] },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** The block net's H·v and G·v, each beside the other, and H·v / G·v (medians of alternating rounds). */
export interface ProductPair {
  backend: string;
  hessianMs: number;
  gaussNewtonMs: number;
  ratio: number;
}

/**
 * An SGD step of BLOCK_SPECS on a fixed batch, and a Hessian-vector and a Gauss-Newton product at
 * fixed weights, each on a stack of its own (same seed, forward already run).
 */
function blockTasks<T extends Tensor>(k: Kernels<T>): { step: () => void; hessian: () => void; gaussNewton: () => void } {
  const specs = checkLayerSpecs(BLOCK_SPECS, 784);
  const rng = new Rng(2);
  const { x, y } = digitShapedBatch(k, STEP_BATCH, rng);
  const [trained, forHessian, forGaussNewton] = [1, 1, 1].map((seed) => buildSequential(k, specs, 784, new Rng(seed), { init: 'he-normal', capacity: STEP_BATCH }));
  const step = sgdStepOf(k, trained, x, y, STEP_BATCH);
  for (const fixed of [forHessian, forGaussNewton]) fixed.forward(x, STEP_BATCH, 'batch');
  const lengths = trained.parameters.map((p) => p.value.length);
  const [v, hOut, gOut] = [allocVector(k, lengths), allocVector(k, lengths), allocVector(k, lengths)];
  v.forEach((t, i) => k.write(t, Float32Array.from({ length: lengths[i] }, () => rng.normal())));
  const hessian = new StackHessian(k, forHessian, 'cross-entropy');
  const gaussNewton = new StackGaussNewton(k, forGaussNewton, 'cross-entropy');
  return {
    step,
    hessian: () => hessian.apply(hOut, v, x, y, STEP_BATCH),
    gaussNewton: () => gaussNewton.apply(gOut, v, x, y, STEP_BATCH),
  };
}

/** H·v and G·v of the block net in alternating rounds on each wasm variant. */
export async function runBlockProductPair(opts: { time?: number; rounds?: number } = {}): Promise<ProductPair[]> {
  const pairs: ProductPair[] = [];
  for (const variant of ['scalar', 'simd'] as const) {
    const kernels = await createWasmKernels({ variant });
    const blocks = blockTasks(kernels);
    const { aMs, bMs, ratio } = await sideBySide(blocks.hessian, blocks.gaussNewton, opts.time ?? 4000, opts.rounds ?? 7);
    pairs.push({ backend: kernels.name, hessianMs: aMs, gaussNewtonMs: bMs, ratio });
  }
  return pairs;
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
    const blocks = blockTasks(kernels);
    bench.add(`step, block net ${kernels.name}`, blocks.step);
    bench.add(`Hessian-vector product, block net ${kernels.name}`, blocks.hessian);
    bench.add(`Gauss-Newton product, block net ${kernels.name}`, blocks.gaussNewton);
  }
  await bench.run();
  const rows = (kernels: Kernels, stepTask: string, tasks: string[]) => {
    const stepMs = medianMs(bench, `${stepTask} ${kernels.name}`);
    return [stepTask, ...tasks].map((task) => {
      const ms = medianMs(bench, `${task} ${kernels.name}`);
      return { name: `${task} ${kernels.name}`, medianMs: ms, ratio: ms / stepMs };
    });
  };
  return backends.flatMap((kernels) => [
    ...rows(kernels, 'step', ['Hessian-vector product', 'Gauss-Newton product']),
    ...rows(kernels, 'step, block net', ['Hessian-vector product, block net', 'Gauss-Newton product, block net']),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`[${STEP_SIZES.join(',')}] sigmoid, MSE, batch ${STEP_BATCH}; block net ${JSON.stringify(BLOCK_SPECS)} (ratio: time over one training step of the same network)`);
  for (const row of await runCurvatureBench()) {
    console.log(`${row.name.padEnd(48)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio.toFixed(2).padStart(6)}×`);
  }
  console.log('block net, H·v and G·v in alternating rounds (medians; ratio = median of the rounds\' H·v / G·v):');
  for (const pair of await runBlockProductPair()) {
    console.log(`H·v | G·v, block net ${pair.backend.padEnd(22)} ${pair.hessianMs.toFixed(3).padStart(8)} ms | ${pair.gaussNewtonMs.toFixed(3).padStart(8)} ms  ${pair.ratio.toFixed(2).padStart(6)}×`);
  }
}
