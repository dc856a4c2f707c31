/**
 * A stack's tensors in the order PyTorch's `state_dict()` lists them for the same nn.Sequential:
 * module by module, each module's own parameters, then its own buffers, then its children's
 * (a residual block's `alpha`, then `branch.…`). What a safetensors or checkpoint writer walks.
 */
import type { Tensor } from '../kernels.js';
import type { LayerStack, Parameter, StateBuffer } from './layer.js';
import { ResidualBlock } from './residual.js';
import { prefixed } from './tensors.js';

export type StateEntry<T extends Tensor = Tensor> = Parameter<T> | StateBuffer<T>;

export function stateDict<T extends Tensor>(stack: LayerStack<T>, prefix = ''): StateEntry<T>[] {
  return stack.layers.flatMap((layer, i) => {
    const here = `${prefix}${stack.moduleIndex[i]}.`;
    if (layer instanceof ResidualBlock) return [...prefixed(here, layer.alpha ? [layer.alpha] : []), ...stateDict(layer.branch, `${here}branch.`)];
    return prefixed(here, [...layer.parameters, ...layer.buffers]);
  });
}
