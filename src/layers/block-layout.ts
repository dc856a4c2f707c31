/**
 * The tensors a stack of checked specs holds, named, shaped and typed as PyTorch's state_dict of
 * the matching nn.Sequential lists them, without building the stack: what the readers and writers
 * of block model files check a file's tensors against before allocating anything. It follows the
 * layers' own naming (dense.ts, batch-norm.ts, layer-norm.ts, residual.ts, sequential.ts);
 * test/layers/block-layout.test.ts holds it to `stateDict` of built stacks.
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shownArgument } from '../errors.js';
import type { BlockTensor } from './block-model.js';
import { hasBias, widthAfter, type CheckedSpec } from './spec.js';

/** One tensor's place in a block network's state_dict: everything but its values. */
export type TensorSlot = Omit<BlockTensor, 'values'>;

/** The PyTorch module index of each layer (or spec) in an nn.Sequential of them: a dense layer takes two (nn.Linear, then its activation's module). */
export function moduleIndices(layers: readonly { type: string }[]): number[] {
  if (!Array.isArray(layers)) throw invalidOption(`moduleIndices: expected an array of layer specs (net.layers), got ${shownArgument(layers)}`);
  layers.forEach((layer, i) => checkObjectArgument(layer, `moduleIndices: layers[${i}]`, 'a layer spec { type, … }'));
  let next = 0;
  return layers.map((layer) => {
    const index = next;
    next += layer.type === 'dense' ? 2 : 1;
    return index;
  });
}

/** Every tensor of a stack of `specs` taking `inputs` features, in state_dict order (names under `prefix`). */
export function blockTensorLayout(specs: readonly CheckedSpec[], inputs: number, prefix = ''): TensorSlot[] {
  const index = moduleIndices(specs);
  const slots: TensorSlot[] = [];
  let width = inputs;
  specs.forEach((spec, i) => {
    const here = `${prefix}${index[i]}.`;
    const float = (name: string, shape: number[]): TensorSlot => ({ name: here + name, shape, dtype: 'float' });
    switch (spec.type) {
      case 'dense':
        slots.push(float('weight', [spec.units, width]));
        if (hasBias(spec)) slots.push(float('bias', [spec.units]));
        break;
      case 'batch-norm':
        slots.push(float('weight', [width]), float('bias', [width]), float('running_mean', [width]), float('running_var', [width]));
        slots.push({ name: `${here}num_batches_tracked`, shape: [], dtype: 'i64' });
        break;
      case 'layer-norm':
        slots.push(float('weight', [width]), float('bias', [width]));
        break;
      case 'activation':
        break;
      case 'residual':
        if (spec.gate === 'rezero') slots.push(float('alpha', []));
        slots.push(...blockTensorLayout(spec.layers, width, `${here}branch.`));
        break;
    }
    width = widthAfter([spec], width);
  });
  return slots;
}

/** Elements of a tensor of `shape` (1 for a scalar, shape []). */
export function elementsOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
