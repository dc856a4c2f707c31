/**
 * A dense chain read from a file whose layers have no bias (a state_dict's nn.Linear(bias=False) read without a module
 * expression, a Keras Dense with use_bias: false, an old gradscope file's pytorchModule.biasFree) is the block network it
 * is: dense specs, `bias: false` on those layers, no bias tensor for them (src/layers/dense.ts computes through an exact
 * zero and has no ∂b), so every optimiser trains it and nothing is held at zero. The dense engine's layers all have a bias.
 */
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import type { Fail } from '../model-limits.js';
import { denseTensorName } from '../model.js';
import { layerTensorName } from '../pytorch-record.js';
import type { ModelData } from './model-file.js';

/**
 * `model`, a dense chain whose layers `biasFree` (indices, increasing) have no bias, as that block network: its tensors under
 * gradscope's names (`0.weight`, `2.weight`, `2.bias`: nn.Sequential's), the module's layer names kept as its tensors' names
 * (pytorchModule.tensorNames) and its logits, initialisation, training rows and import notes kept. Such a layer's biases in `model`
 * must be zeros (the readers fill zeros where the file holds none; an old file's were held at zero): one off zero is refused
 * through `fail` at `biasAt(l)[unit]`, as its value would be lost.
 */
export function biasFreeChainAsBlocks(model: ModelData, biasFree: readonly number[], fail: Fail, biasAt: (l: number) => string): BlockModelData {
  for (const l of biasFree) {
    const unit = model.biases[l].findIndex((b) => b !== 0);
    if (unit >= 0) throw fail(`${biasAt(l)}[${unit}]`, `is ${model.biases[l][unit]}, but layer ${l} has no bias (nn.Linear(bias=False)): its biases are 0`);
  }
  const tensors: BlockTensor[] = [];
  const fileNames: string[] = [];
  model.activations.forEach((_, l) => {
    const [units, inputs] = [model.sizes[l + 1], model.sizes[l]];
    tensors.push({ name: denseTensorName(l, 'weight'), shape: [units, inputs], dtype: 'float', values: model.weights[l] });
    fileNames.push(layerTensorName(model.pytorchModule, l, 'weight'));
    if (biasFree.includes(l)) return;
    tensors.push({ name: denseTensorName(l, 'bias'), shape: [units], dtype: 'float', values: model.biases[l] });
    fileNames.push(layerTensorName(model.pytorchModule, l, 'bias'));
  });
  const { layerNames, logits } = model.pytorchModule ?? {};
  const pytorchModule = { ...(layerNames && { tensorNames: fileNames }), ...(logits && { logits }) };
  return {
    kind: 'blocks',
    loss: model.loss,
    inputs: model.sizes[0],
    layers: model.activations.map((activation, l) => ({ type: 'dense', units: model.sizes[l + 1], activation, ...(biasFree.includes(l) && { bias: false }) })),
    tensors,
    ...(model.initialisation && { initialisation: model.initialisation }),
    ...(model.trainedOn && { trainedOn: model.trainedOn }),
    ...((layerNames || logits) && { pytorchModule }),
    ...(model.imported && { imported: model.imported }),
  };
}
