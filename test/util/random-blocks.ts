/** Random block stacks (issue 13's layer specs) and data for them, from a seeded Rng. */
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS, LOSSES, type Activation, type Kernels, type Loss, type Tensor } from '../../src/kernels.js';
import { buildSequential, type Sequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, widthAfter, type CheckedSpec, type LayerSpec } from '../../src/layers/spec.js';
import { tensorOf } from './backends.js';
import { randomTarget } from './random-network.js';

export interface BlockCase {
  inputs: number;
  specs: CheckedSpec[];
  loss: Loss;
  batch: number;
  x: Float64Array;
  y: Float64Array;
  /** Values for every ReZero α (which starts at 0, where no gradient reaches its branch). */
  alphas: number[];
}

export interface BlockLimits {
  maxLayers: number;
  maxWidth: number;
  minBatch: number;
  maxBatch: number;
}

const activation = (rng: Rng): Activation => ACTIVATIONS[rng.below(ACTIVATIONS.length)];

/**
 * A layer that keeps `width`: anything but a dense layer of another width. Layer norm needs three
 * features or more: over one its output is β whatever the input, over two it is ±1 (the sign of the
 * difference), and its input gradient is then of order ε, which f32 cannot resolve.
 */
function widthKeeping(rng: Rng, width: number, depth: number): LayerSpec {
  switch (rng.below(depth < 2 ? 5 : 4)) {
    case 0: return { type: 'dense', units: width, activation: activation(rng) };
    case 1: return { type: 'batch-norm' };
    case 2: return width >= 3 ? { type: 'layer-norm' } : { type: 'batch-norm' };
    case 3: return { type: 'activation', activation: activation(rng) };
    default: return residual(rng, width, depth + 1);
  }
}

function residual(rng: Rng, width: number, depth: number): LayerSpec {
  const layers = Array.from({ length: 1 + rng.below(2) }, () => widthKeeping(rng, width, depth));
  return { type: 'residual', gate: rng.below(2) === 0 ? 'none' : 'rezero', layers };
}

/** 1..maxLayers random blocks (dense of any width, norms, activations, residual blocks), an output layer for a random loss, and a batch. */
export function randomBlockCase(rng: Rng, limits: BlockLimits, loss: Loss = LOSSES[rng.below(LOSSES.length)]): BlockCase {
  const inputs = 1 + rng.below(limits.maxWidth);
  const specs: LayerSpec[] = [];
  let width = inputs;
  for (let i = 1 + rng.below(limits.maxLayers); i > 0; i--) {
    if (rng.below(3) === 0) {
      width = 1 + rng.below(limits.maxWidth);
      specs.push({ type: 'dense', units: width, activation: activation(rng) });
    } else {
      specs.push(rng.below(3) === 0 ? residual(rng, width, 0) : widthKeeping(rng, width, 1));
    }
  }
  // The output: fused with the loss, or (mse) sometimes no output layer at all.
  // softmax over one unit is constant: cross-entropy gets at least two classes.
  const outputs = loss === 'cross-entropy' ? 2 + rng.below(limits.maxWidth - 1) : 1 + rng.below(limits.maxWidth);
  if (loss === 'cross-entropy') specs.push({ type: 'dense', units: outputs, activation: 'softmax' });
  else if (loss === 'binary-cross-entropy') specs.push({ type: 'dense', units: outputs, activation: 'sigmoid' });
  else if (rng.below(2) === 0) specs.push({ type: 'dense', units: outputs, activation: activation(rng) });
  const checked = checkLayerSpecs(specs, inputs);
  const nOut = widthAfter(checked, inputs);
  const batch = limits.minBatch + rng.below(limits.maxBatch - limits.minBatch + 1);
  const x = Float64Array.from({ length: batch * inputs }, () => Math.fround(rng.normal()));
  const y = Float64Array.from(Array.from({ length: batch }, () => randomTarget(rng, loss, nOut)).flat(), Math.fround);
  const alphas = Array.from({ length: countRezero(checked) }, () => Math.fround(rng.uniformIn(-1, 1)));
  return { inputs, specs: checked, loss, batch, x, y, alphas };
}

function countRezero(specs: readonly CheckedSpec[]): number {
  return specs.reduce((n, s) => n + (s.type === 'residual' ? (s.gate === 'rezero' ? 1 : 0) + countRezero(s.layers) : 0), 0);
}

/** The case's stack on k (initialised from `seed`), with its ReZero α set and its batch loaded. */
export function blockStackOf<T extends Tensor>(k: Kernels<T>, c: BlockCase, seed: number) {
  const stack: Sequential<T> = buildSequential(k, c.specs, c.inputs, new Rng(seed), { init: 'glorot-uniform', biasInit: { name: 'normal', std: 0.5 }, capacity: c.batch });
  const alphas = stack.parameters.filter((p) => p.name.endsWith('alpha'));
  alphas.forEach((p, i) => k.write(p.value, [c.alphas[i]]));
  return { stack, x: tensorOf(k, c.x) as T, y: tensorOf(k, c.y) as T };
}

/** Every parameter's gradient (and ∂L/∂x) of the mean loss, in 'batch' mode. */
export function gradientsOf<T extends Tensor>(k: Kernels<T>, c: BlockCase, seed: number): Map<string, Float64Array> {
  const { stack, x, y } = blockStackOf(k, c, seed);
  const dx = k.alloc(c.batch * c.inputs);
  stack.zeroGradients();
  stack.forward(x, c.batch, 'batch');
  stack.lossBackward(c.loss, y, x, c.batch, dx);
  const grads = new Map(stack.parameters.map((p) => [p.name, Float64Array.from(k.view(p.grad))]));
  grads.set('input', Float64Array.from(k.view(dx)));
  stack.dispose();
  return grads;
}
