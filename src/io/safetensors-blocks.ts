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
 * Reading takes the specs from gradscope's `layers` and `inputs`, or, for a state_dict PyTorch saved
 * itself, from the expression of its module (pytorch-import.ts), whose module indices name the
 * tensors; either way every tensor the specs imply must be there with its shape and dtype, and
 * none left over.
 */
import { checkKnownKeys, keysOf } from '../checks.js';
import { shown } from '../errors.js';
import { MODEL_FILE_TAG, MODEL_VERSION } from '../network/model-file.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import type { Loss } from '../kernels.js';
import { checkBlockArchitecture, checkBlockModel, checkTensorValues, type BlockArchitecture } from '../network/block-model-check.js';
import { architectureOfPytorch } from './pytorch-import.js';
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

/** How to read a block network's state_dict that gradscope did not write (no gradscope "layers" in `__metadata__`). */
export interface BlockSafetensorsOptions {
  /**
   * The Python expression that builds the PyTorch module holding the file's tensors, over `nn` and
   * issue 13's `Residual` (`"nn.Sequential(nn.Linear(784, 100), nn.BatchNorm1d(100), nn.ReLU(),
   * nn.Linear(100, 10), nn.Softmax(dim=-1))"`): its modules give the specs and its module indices the
   * tensors' names. Default: `__metadata__["pytorch"]`. Ignored for a file gradscope wrote.
   */
  pytorch?: string;
  /** The loss the model was trained on. Default: `__metadata__["loss"]`. Ignored for a file gradscope wrote. */
  loss?: Loss;
}

/**
 * Reads a block network's safetensors file: one gradscope wrote (its `layers` and `inputs` in
 * `__metadata__`), or a state_dict PyTorch saved itself, read by the module expression in `options`
 * (pytorch-import.ts). BAD_MODEL_FILE names the metadata field, module or tensor at fault.
 */
export function blockModelFromSafetensors(bytes: Uint8Array | ArrayBuffer, options: BlockSafetensorsOptions = {}): BlockModelData {
  checkKnownKeys(options, keysOf<BlockSafetensorsOptions>({ pytorch: true, loss: true }), 'blockModelFromSafetensors');
  const file = parseSafetensors(bytes);
  const { metadata } = file;
  if (metadata.format === MODEL_FILE_TAG && metadata.version !== String(MODEL_VERSION) && !isBlockFile(metadata)) {
    throw badModel('__metadata__.version', `this gradscope reads versions ${MODEL_VERSION} and ${BLOCK_FILE_VERSION}, got ${shown(metadata.version)}`);
  }
  // names: the file's name for each tensor, gradscope's own or the module expression's (whose indices may differ).
  const { architecture, names } = isBlockFile(metadata) ? gradscopeArchitecture(metadata) : pytorchArchitecture(metadata, options);
  const { loss, inputs, layers, layout } = architecture;
  const entries = new Map(file.entries.map((e) => [e.name, e]));
  const tensors: BlockTensor[] = layout.map((slot, i) => {
    const name = names[i];
    const entry = entries.get(name);
    if (!entry) throw badModel(name, `missing: the layers need it (shape [${slot.shape.join(', ')}])`);
    if (String(entry.shape) !== String(slot.shape)) throw badModel(name, `shape [${entry.shape.join(', ')}] should be [${slot.shape.join(', ')}] for the layers`);
    entries.delete(name);
    const values = slot.dtype === 'i64' ? decodeCounts(file, entry) : decodeFloats(file, entry);
    checkTensorValues(values, { ...slot, name }, badModel);
    return { ...slot, shape: [...slot.shape], values };
  });
  const extra = entries.keys().next();
  if (!extra.done) throw badModel(extra.value, 'is not a tensor of the layers');
  return { kind: 'blocks', loss, inputs, layers, tensors };
}

/** An architecture read from a file, and the file's name of each of its tensors (in state_dict order). */
interface ReadArchitecture {
  architecture: BlockArchitecture;
  names: string[];
}

/** The architecture in gradscope's own metadata; the tensors carry gradscope's names. */
function gradscopeArchitecture(metadata: Record<string, string>): ReadArchitecture {
  for (const key of ['loss', 'inputs', 'layers']) if (metadata[key] === undefined) throw badModel(`__metadata__.${key}`, 'missing');
  let specs: unknown;
  try {
    specs = JSON.parse(metadata.layers);
  } catch (error) {
    throw badModel('__metadata__.layers', `not valid JSON (${(error as Error).message})`);
  }
  const written = /^\d+$/.test(metadata.inputs) ? Number(metadata.inputs) : metadata.inputs;
  const architecture = checkBlockArchitecture({ loss: metadata.loss, inputs: written, layers: specs }, '__metadata__', badModel);
  return { architecture, names: architecture.layout.map((slot) => slot.name) };
}

/** The module expression to read a foreign file by, and where it came from. */
function pytorchOf(metadata: Record<string, string>, options: BlockSafetensorsOptions): { expression: string; where: string } {
  if (options.pytorch !== undefined) return { expression: String(options.pytorch), where: 'pytorch option' };
  if (metadata.pytorch !== undefined) return { expression: metadata.pytorch, where: '__metadata__.pytorch' };
  throw badModel('__metadata__', `not gradscope's for a block network (format "${MODEL_FILE_TAG}", version "${BLOCK_FILE_VERSION}" with "layers"), and no { pytorch } module expression to read it by; a dense chain reads with fromSafetensors`);
}

/** The architecture of a foreign state_dict, from its module expression and the loss; the tensors carry the module's names. */
function pytorchArchitecture(metadata: Record<string, string>, options: BlockSafetensorsOptions): ReadArchitecture {
  const { expression, where } = pytorchOf(metadata, options);
  const { inputs, layers, names } = architectureOfPytorch(expression, where);
  const loss = options.loss ?? metadata.loss;
  if (loss === undefined) throw badModel('__metadata__', 'has no "loss"; pass { loss } to say what the model was trained on');
  return { architecture: checkBlockArchitecture({ loss, inputs, layers }, options.loss !== undefined ? 'options' : '__metadata__', badModel), names };
}
