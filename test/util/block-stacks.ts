/**
 * Block stacks for the R-operator's tests (Gauss-Newton and Hessian products): fixed cases covering
 * every layer type, gate, activation and loss, random ones after them, loaded with a batch; the
 * products of a loaded stack and the checks both tests make of them (coverage, no allocation after
 * the first product, every backend against float64).
 */
import { expect } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS, LOSSES, type Kernels, type Loss, type OutputActivation, type Tensor } from '../../src/kernels.js';
import { ActivationLayer } from '../../src/layers/activation.js';
import { BatchNormLayer } from '../../src/layers/batch-norm.js';
import { DenseLayer } from '../../src/layers/dense.js';
import { StackGaussNewton } from '../../src/layers/gauss-newton.js';
import { StackHessian } from '../../src/layers/hessian.js';
import type { Layer, LayerStack } from '../../src/layers/layer.js';
import { LayerNormLayer } from '../../src/layers/layer-norm.js';
import { ResidualBlock } from '../../src/layers/residual.js';
import type { Sequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, widthAfter, type LayerSpec } from '../../src/layers/spec.js';
import { allocVector, freeVector } from '../../src/optim/param-vector.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { relativeError } from './close.js';
import { countingAllocations } from './counting-kernels.js';
import { blockStackOf, randomBlockCase, type BlockCase } from './random-blocks.js';
import { randomTarget } from './random-network.js';

const RANDOM_CASES = 30;

/** A case from explicit specs, with data and ReZero α values drawn from rng. */
export function fixedCase(rng: Rng, inputs: number, loss: Loss, layers: LayerSpec[], batch = 5): BlockCase {
  const specs = checkLayerSpecs(layers, inputs);
  const nOut = widthAfter(specs, inputs);
  const x = Float64Array.from({ length: batch * inputs }, () => Math.fround(rng.normal()));
  const y = Float64Array.from(Array.from({ length: batch }, () => randomTarget(rng, loss, nOut)).flat(), Math.fround);
  const alphas = Array.from({ length: JSON.stringify(specs).split('"rezero"').length - 1 }, () => Math.fround(rng.uniformIn(-1, 1)));
  return { inputs, specs, loss, batch, x, y, alphas };
}

/** Every layer type, every activation (as a dense layer's and as a layer of its own), both gates, nested residual blocks, every loss. */
export function fixedCases(rng: Rng): BlockCase[] {
  const dense = (units: number, activation: OutputActivation): LayerSpec => ({ type: 'dense', units, activation });
  return [
    fixedCase(rng, 4, 'cross-entropy', [dense(5, 'tanh'), { type: 'batch-norm' }, dense(3, 'softmax')]),
    fixedCase(rng, 4, 'binary-cross-entropy', [{ type: 'layer-norm' }, { type: 'activation', activation: 'selu' }, dense(2, 'sigmoid')]),
    fixedCase(rng, 3, 'mse', [
      { type: 'residual', layers: [dense(3, 'relu'), { type: 'batch-norm' }] },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, dense(3, 'selu')] },
    ]),
    fixedCase(rng, 4, 'mse', [
      dense(4, 'sigmoid'),
      {
        type: 'residual', gate: 'rezero', layers: [
          { type: 'residual', layers: [dense(4, 'tanh'), { type: 'layer-norm' }] },
          { type: 'activation', activation: 'softsign' },
          { type: 'residual', gate: 'rezero', layers: [{ type: 'batch-norm' }, dense(4, 'leaky-relu')] },
        ],
      },
      dense(2, 'linear'),
    ]),
    fixedCase(rng, 3, 'cross-entropy', [{ type: 'batch-norm' }, dense(4, 'selu'), dense(3, 'linear'), { type: 'activation', activation: 'softmax' }]),
    fixedCase(rng, 3, 'mse', [dense(3, 'softsign'), { type: 'activation', activation: 'sigmoid' }]),
    ...ACTIVATIONS.map((f) => fixedCase(rng, 3, 'mse', [dense(4, f), { type: 'batch-norm' }, { type: 'activation', activation: f }, { type: 'layer-norm' }, dense(2, f)])),
  ];
}

export function allCases(seed: number, limits = { maxLayers: 3, maxWidth: 5, minBatch: 3, maxBatch: 5 }): BlockCase[] {
  const rng = new Rng(seed);
  return [...fixedCases(rng), ...Array.from({ length: RANDOM_CASES }, () => randomBlockCase(rng, limits))];
}

export const flat = (tensors: ArrayLike<number>[]) => Float64Array.from(tensors.flatMap((t) => Array.from(t)));
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, ai, i) => s + ai * b[i], 0);

/** A random direction per parameter of the stack (float64 values rounded to f32, so every backend gets the same v). */
export function randomDirection(rng: Rng, stack: Sequential<Tensor>): Float64Array[] {
  return stack.parameters.map((p) => Float64Array.from({ length: p.value.length }, () => Math.fround(rng.normal())));
}

export interface Loaded<T extends Tensor> {
  k: Kernels<T>;
  stack: Sequential<T>;
  x: T;
  y: T;
  c: BlockCase;
}

/**
 * What `measure` reads, differentiated along d by five-point central differences with step h:
 * (8·(f(θ + h·d) − f(θ − h·d)) − (f(θ + 2h·d) − f(θ − 2h·d)))/(12h), d one tensor per parameter.
 * The parameters are written back afterwards (not the buffers `measure` left behind).
 */
export function fivePointDifference(loaded: Loaded<Tensor>, d: Float64Array[], h: number, measure: () => Float64Array): Float64Array {
  const { k, stack } = loaded;
  const saved = stack.parameters.map((p) => Float64Array.from(k.view(p.value)));
  const at = (offset: number) => {
    stack.parameters.forEach((p, t) => k.write(p.value, saved[t].map((w, i) => w + offset * h * d[t][i])));
    return measure();
  };
  const [p1, m1, p2, m2] = [at(1), at(-1), at(2), at(-2)];
  stack.parameters.forEach((p, t) => k.write(p.value, saved[t]));
  return p1.map((_, i) => (8 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12 * h));
}

/**
 * The case's stack with a batch loaded and run in 'batch' mode. Normalisation layers' γ and β are
 * moved off their initial 1 and 0: with β = 0, a dead unit before batch norm comes out exactly 0
 * and sits on relu's kink, where central differences take half the slope.
 */
export function load<T extends Tensor>(k: Kernels<T>, c: BlockCase, seed: number): Loaded<T> {
  const { stack, x, y } = blockStackOf(k, c, seed);
  const rng = new Rng(seed);
  for (const layer of normalisationLayers(stack.layers)) {
    k.write(layer.weight.value, Array.from({ length: layer.units }, () => Math.fround(1 + 0.3 * rng.normal())));
    k.write(layer.bias.value, Array.from({ length: layer.units }, () => Math.fround(0.3 * rng.normal())));
  }
  stack.forward(x, c.batch, 'batch');
  return { k, stack, x, y, c };
}

/** Every batch-norm and layer-norm layer, residual branches included. */
export function normalisationLayers<T extends Tensor>(layers: readonly Layer<T>[]): (BatchNormLayer<T> | LayerNormLayer<T>)[] {
  return layers.flatMap((layer) => {
    if (layer instanceof BatchNormLayer || layer instanceof LayerNormLayer) return [layer];
    return layer instanceof ResidualBlock ? normalisationLayers(layer.branch.layers) : [];
  });
}

/** Layer types and gates the cases cover. */
export function coverage(cases: BlockCase[]): Set<string> {
  const seen = new Set<string>();
  for (const c of cases) JSON.stringify(c.specs).match(/"(type|gate|activation)":"[a-z-]+"/g)?.forEach((t) => seen.add(t));
  return seen;
}

/** What the cases leave out of every layer type, gate, activation (softmax included) and loss: [] when they cover all. */
export function uncovered(cases: BlockCase[]): string[] {
  const seen = coverage(cases);
  const wanted = [
    ...['dense', 'batch-norm', 'layer-norm', 'activation', 'residual'].map((t) => `"type":"${t}"`),
    ...['none', 'rezero'].map((g) => `"gate":"${g}"`),
    ...[...ACTIVATIONS, 'softmax'].map((f) => `"activation":"${f}"`),
  ];
  return [...wanted.filter((w) => !seen.has(w)), ...LOSSES.filter((loss) => !cases.some((c) => c.loss === loss)).map((loss) => `loss ${loss}`)];
}

/** A case's name in a failed expectation: its index, loss, batch and specs. */
export const label = (n: number, loaded: Loaded<Tensor>) => `stack ${n} (${loaded.c.loss}, batch ${loaded.c.batch}) ${JSON.stringify(loaded.c.specs)}`;

/** The curvature products of a layer stack: its exact Hessian's and its Gauss-Newton matrix's. */
export type CurvatureMatrix = 'hessian' | 'gaussNewton';
const PRODUCTS = { hessian: StackHessian, gaussNewton: StackGaussNewton };

/** A curvature product (H or G) of the loaded stack times v, flat, float64 (the stack's forward is fresh). */
export function productOf<T extends Tensor>(loaded: Loaded<T>, v: Float64Array[], which: CurvatureMatrix): Float64Array {
  const { k, stack, x, y, c } = loaded;
  stack.forward(x, c.batch, 'batch');
  const lengths = stack.parameters.map((p) => p.value.length);
  const [vector, out] = [allocVector(k, lengths), allocVector(k, lengths)];
  vector.forEach((t, i) => k.write(t, v[i]));
  const product = new PRODUCTS[which](k, stack, c.loss);
  product.apply(out, vector, x, y, c.batch);
  const result = flat(out.map((t, i) => k.view(t).subarray(0, lengths[i])));
  product.dispose();
  freeVector(k, vector);
  freeVector(k, out);
  return result;
}

/**
 * The fixed cases (from `rng`, each loaded with `seed`) whose product allocated backend memory in
 * three calls after its first, with the count: [] where every product allocates only on its first call.
 */
export function allocatingAfterFirstProduct(k: Kernels, which: CurvatureMatrix, rng: Rng, seed: number): string[] {
  const { kernels, allocations } = countingAllocations(k);
  return fixedCases(rng).flatMap((c, n) => {
    const loaded = load(kernels, c, seed);
    const lengths = loaded.stack.parameters.map((p) => p.value.length);
    const [vector, out] = [allocVector(kernels, lengths), allocVector(kernels, lengths)];
    const product = new PRODUCTS[which](kernels, loaded.stack, c.loss);
    product.apply(out, vector, loaded.x, loaded.y, c.batch);
    const before = allocations();
    for (let i = 0; i < 3; i++) product.apply(out, vector, loaded.x, loaded.y, c.batch);
    const after = allocations() - before;
    product.dispose();
    freeVector(kernels, vector);
    freeVector(kernels, out);
    const allocated = after ? [`${label(n, loaded)}: ${after} allocations`] : [];
    loaded.stack.dispose();
    return allocated;
  });
}

/**
 * Holds backend `k`'s product (H or G) within `tolerance` (relative error of the whole vector) of
 * the float64 reference's on small random stacks (cases from `seeds.cases`, directions from
 * `seeds.directions`, each case loaded with `seeds.load` + its index); returns the largest error.
 */
export function expectFloat64Parity(k: Kernels, name: string, which: CurvatureMatrix, tolerance: number, seeds: { cases: number; directions: number; load: number }): number {
  const oracle = createRefKernels({ precision: 'f64' });
  const rng = new Rng(seeds.directions);
  let worst = 0;
  allCases(seeds.cases, { maxLayers: 4, maxWidth: 9, minBatch: 4, maxBatch: 12 }).forEach((c, n) => {
    const [want, got] = [load(oracle, c, seeds.load + n), load(k, c, seeds.load + n)];
    const v = randomDirection(rng, want.stack);
    const error = relativeError(productOf(got, v, which), productOf(want, v, which));
    worst = Math.max(worst, error);
    expect(error, `${name} ${label(n, want)}`).toBeLessThanOrEqual(tolerance);
    want.stack.dispose();
    got.stack.dispose();
  });
  return worst;
}

/** The activations whose f' jumps at 0: a finite difference across the kink measures the jump, not f''. */
export const KINKED = new Set(['relu', 'leaky-relu', 'selu']);

/** The smallest |input| of a kinked activation (dense or activation layer, residual branches included) in the last forward on x. */
export function kinkDistance<T extends Tensor>(k: Kernels<T>, stack: LayerStack<T>, x: T, batch: number): number {
  let nearest = Infinity;
  stack.layers.forEach((layer, i) => {
    const input = i === 0 ? x : stack.layers[i - 1].output;
    if (layer instanceof ResidualBlock) nearest = Math.min(nearest, kinkDistance(k, layer.branch, input, batch));
    const z = layer instanceof DenseLayer ? layer.preActivation : layer instanceof ActivationLayer ? input : null;
    if (z && KINKED.has((layer as DenseLayer<T> | ActivationLayer<T>).activation)) {
      for (const value of k.view(z).subarray(0, batch * layer.units)) nearest = Math.min(nearest, Math.abs(value));
    }
  });
  return nearest;
}
