/**
 * blockModelFromTfjsLayers: any tfjs layers model gradscope reads, as a block network. A block network gradscope wrote
 * (tfjs-blocks.ts), or a Sequential of Dense layers (tfjs-layers.ts: Keras', tfjs' or gradscope's dense chain), whose Dense
 * layers with `use_bias: false` are dense layers without a bias: the one in-memory route to them, which fromTfjsLayers, a
 * reader of dense chains, refuses (a browser holds model.json and the weights, not files for readModelFile).
 */
import { checkKnownKeys, keysOf } from '../checks.js';
import type { BlockModelData } from '../layers/block-model.js';
import { parseModelJson } from '../network/model-file.js';
import { denseAsBlockModel } from './model-data.js';
import { blockTfjsLayersReader, isBlockTfjsModel } from './tfjs-blocks.js';
import { checkNotWholeTfjsModel } from './tfjs-format.js';
import { tfjsLayersReader, type TfjsImportOptions } from './tfjs-layers.js';

/**
 * Reads a tfjs layers model as a block network: `modelJson` is model.json (object or text), `weightData` every shard of its
 * weightsManifest concatenated in manifest order. One gradscope wrote of a block network (`userDefinedMetadata.gradscope`
 * version 2): the specs from its metadata, checked against the topology layer by layer. Any other Sequential of Dense layers
 * as fromTfjsLayers reads it (`options`, its loss, as there), each Dense a dense spec, those with `use_bias: false` with
 * `bias: false` and no bias tensor. BAD_MODEL_FILE names the layer, weight or field at fault.
 */
export function blockModelFromTfjsLayers(modelJson: unknown, weightData: Uint8Array | ArrayBuffer, options: TfjsImportOptions = {}): BlockModelData {
  checkKnownKeys(options, keysOf<TfjsImportOptions>({ loss: true }), 'blockModelFromTfjsLayers');
  checkNotWholeTfjsModel(modelJson, 'blockModelFromTfjsLayers');
  const json = parseModelJson(modelJson, 'model.json');
  if (isBlockTfjsModel(json)) return blockTfjsLayersReader(json, options.loss)(weightData);
  const model = tfjsLayersReader(json, options)(weightData);
  return 'kind' in model ? model : { ...denseAsBlockModel(model), ...(model.imported && { imported: model.imported }) };
}
