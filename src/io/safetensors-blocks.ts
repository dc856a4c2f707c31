/**
 * safetensors for block networks (BlockModelData): every tensor under its PyTorch state_dict name
 * (src/layers/block-layout.ts), float32 as F32 and num_batches_tracked as I64 of shape [], as
 * `nn.Sequential(…).state_dict()` holds them. `__metadata__` holds what gradscope needs to rebuild
 * the network and what PyTorch needs to rebuild the module:
 *
 *   format "gradscope.model", version "2", loss, inputs (a number), layers (the checked specs as
 *   JSON), pytorch (the expression of src/io/pytorch-module.ts) and, when a residual block is in
 *   it, pytorch_residual (the Residual class to exec first).
 *
 * Reading needs gradscope's `layers` and `inputs`: the tensors are checked by name against the
 * state_dict those specs imply (every one present with its shape and dtype, none left over).
 */
import { MODEL_FILE_TAG } from '../network/model-file.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import { checkBlockArchitecture, checkBlockModel, checkTensorValues } from '../network/block-model-check.js';
import { badModel } from './model-data.js';
import { PYTORCH_RESIDUAL_CLASS, pytorchExpression, usesResidual } from './pytorch-module.js';
import { decodeCounts, decodeFloats, encodeSafetensors, parseSafetensors, type TensorToWrite } from './safetensors-format.js';

/** The `__metadata__.version` of a block network's file (a dense chain's is 1). */
export const BLOCK_FILE_VERSION = 2;

/** Whether safetensors metadata is gradscope's for a block network. */
export function isBlockFile(metadata: Record<string, string>): boolean {
  return metadata.format === MODEL_FILE_TAG && metadata.version === String(BLOCK_FILE_VERSION);
}

/** A block model as safetensors bytes (see the module comment). Refuses inconsistent data with INVALID_OPTION naming the tensor. */
export function blockModelToSafetensors(model: BlockModelData): Uint8Array {
  const { loss, inputs, layers } = checkBlockModel(model);
  const metadata: Record<string, string> = {
    format: MODEL_FILE_TAG,
    version: String(BLOCK_FILE_VERSION),
    loss,
    inputs: String(inputs),
    layers: JSON.stringify(layers),
    pytorch: pytorchExpression(layers, inputs),
  };
  if (usesResidual(layers)) metadata.pytorch_residual = PYTORCH_RESIDUAL_CLASS;
  return encodeSafetensors(metadata, tensorsToWrite(model.tensors));
}

/** Block tensors as the container writes them: floats as F32, counts as I64. */
export function tensorsToWrite(tensors: readonly BlockTensor[]): TensorToWrite[] {
  return tensors.map((t) => ({ name: t.name, dtype: t.dtype === 'i64' ? 'I64' : 'F32', shape: t.shape, values: t.values }));
}

/** Reads a block network's safetensors file; BAD_MODEL_FILE names the metadata field or tensor at fault. */
export function blockModelFromSafetensors(bytes: Uint8Array | ArrayBuffer): BlockModelData {
  const file = parseSafetensors(bytes);
  const { metadata } = file;
  if (!isBlockFile(metadata)) {
    throw badModel('__metadata__', `not gradscope's for a block network (format "${MODEL_FILE_TAG}", version "${BLOCK_FILE_VERSION}" with "layers"); a dense chain reads with fromSafetensors`);
  }
  for (const key of ['loss', 'inputs', 'layers']) if (metadata[key] === undefined) throw badModel(`__metadata__.${key}`, 'missing');
  let specs: unknown;
  try {
    specs = JSON.parse(metadata.layers);
  } catch (error) {
    throw badModel('__metadata__.layers', `not valid JSON (${(error as Error).message})`);
  }
  const written = /^\d+$/.test(metadata.inputs) ? Number(metadata.inputs) : metadata.inputs;
  const { loss, inputs, layers, layout } = checkBlockArchitecture({ loss: metadata.loss, inputs: written, layers: specs }, '__metadata__', badModel);
  const entries = new Map(file.entries.map((e) => [e.name, e]));
  const tensors: BlockTensor[] = layout.map((slot) => {
    const entry = entries.get(slot.name);
    if (!entry) throw badModel(slot.name, `missing: the layers in __metadata__ need it (shape [${slot.shape.join(', ')}])`);
    if (String(entry.shape) !== String(slot.shape)) throw badModel(slot.name, `shape [${entry.shape.join(', ')}] should be [${slot.shape.join(', ')}] for the layers in __metadata__`);
    entries.delete(slot.name);
    const values = slot.dtype === 'i64' ? decodeCounts(file, entry) : decodeFloats(file, entry);
    checkTensorValues(values, slot, badModel);
    return { ...slot, shape: [...slot.shape], values };
  });
  const extra = entries.keys().next();
  if (!extra.done) throw badModel(extra.value, 'is not a tensor of the layers in __metadata__');
  return { kind: 'blocks', loss, inputs, layers, tensors };
}
