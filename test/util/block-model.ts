/**
 * BlockModelData fixtures for the interop tests: random block networks with every tensor set to a
 * value that tells a wrong mapping apart (γ, β, running statistics and α all away from their
 * initial values, num_batches_tracked a whole count), and the float64 eval-mode forward of such a
 * model on the reference kernels, the oracle exported graphs are run against.
 */
import { Rng } from '../../src/init/rng.js';
import type { Loss } from '../../src/kernels.js';
import type { BlockModelData, BlockTensor } from '../../src/layers/block-model.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, type LayerSpec } from '../../src/layers/spec.js';
import { stateDict } from '../../src/layers/state-dict.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { randomBlockCase, type BlockLimits } from './random-blocks.js';

const ref = createRefKernels();

/** A value for a tensor by what it is: variances positive, counts whole, the rest normal. */
function randomValues(rng: Rng, tensor: { name: string; dtype: string }, length: number): Float32Array {
  if (tensor.dtype === 'i64') return Float32Array.from({ length }, () => rng.below(1000));
  if (tensor.name.endsWith('running_var')) return Float32Array.from({ length }, () => 0.25 + 2 * rng.uniformIn(0, 1));
  return Float32Array.from({ length }, () => rng.normal() * 0.8);
}

/** A block model of `specs` on `inputs` features, every tensor random (seeded). */
export function blockModelOf(specs: LayerSpec[], inputs: number, loss: Loss, seed = 1): BlockModelData {
  const layers = checkLayerSpecs(specs, inputs);
  const rng = new Rng(seed);
  const stack = buildSequential(ref, layers, inputs, rng);
  const tensors: BlockTensor[] = stateDict(stack).map((entry) => ({
    name: entry.name,
    shape: [...entry.shape],
    dtype: 'dtype' in entry ? entry.dtype : 'float',
    values: randomValues(rng, { name: entry.name, dtype: 'dtype' in entry ? entry.dtype : 'float' }, ref.view(entry.value).length),
  }));
  stack.dispose();
  return { kind: 'blocks', loss, inputs, layers, tensors };
}

/** A random block network (test/util/random-blocks.ts) as a model with random tensors. */
export function randomBlockModel(rng: Rng, limits: BlockLimits): BlockModelData {
  const c = randomBlockCase(rng, limits);
  return blockModelOf(c.specs, c.inputs, c.loss, rng.below(1 << 30));
}

/** `model`'s eval-mode output (running statistics) for rows x (`[batch][inputs]`), in float64 on the reference kernels. */
export function evalForward(model: BlockModelData, x: ArrayLike<number>, batch: number): Float64Array {
  const stack = buildSequential(ref, model.layers, model.inputs, new Rng(1), { capacity: batch });
  const byName = new Map(model.tensors.map((t) => [t.name, t.values]));
  for (const entry of stateDict(stack)) ref.write(entry.value, byName.get(entry.name)!);
  const input = ref.alloc(batch * model.inputs);
  ref.write(input, x);
  stack.forward(input, batch, 'eval');
  const out = Float64Array.from(ref.view(stack.output).subarray(0, batch * stack.units));
  stack.dispose();
  return out;
}

/** The example network of issue 13 at a small width, every kind of block, nested residuals included. */
export const EXAMPLE_SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 6, activation: 'tanh' }, { type: 'layer-norm' }] },
  { type: 'layer-norm' },
  { type: 'activation', activation: 'selu' },
  { type: 'residual', layers: [{ type: 'batch-norm' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 6, activation: 'leaky-relu' }] }] },
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** Every layer a tfjs Sequential can hold (no residual block), leaky-relu both as a dense activation and as a layer of its own. */
export const SEQUENTIAL_SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'layer-norm' },
  { type: 'activation', activation: 'selu' },
  { type: 'dense', units: 5, activation: 'leaky-relu' },
  { type: 'activation', activation: 'leaky-relu' },
  { type: 'dense', units: 5 },
  { type: 'activation', activation: 'tanh' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
