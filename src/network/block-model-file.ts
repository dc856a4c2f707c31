/**
 * gradscope's JSON model format, version 2: a network built from layer specs (issue 13).
 * { "format": "gradscope.model", "version": 2, "inputs": n, "loss": "...",
 *   "layers": [ the checked layer specs (CheckedSpec: a norm's epsilon and momentum only where given) ],
 *   "tensors": { "<PyTorch state_dict name>": { "shape": [...], "values": [row-major numbers] }, … },
 *   "initialisation": { "init": "...", "biasInit": "...", "lsuv": true },   (optional, as in version 1)
 *   "trainedOn": { "data": "mnist", "rows": 600 },                        (optional, as in version 1)
 *   "pytorchModule": { "tensorNames": ["fc1.weight", …], "logits": true } } (optional: src/pytorch-record.ts)
 * The tensors are every parameter and state buffer (batch norm's running_mean, running_var and
 * num_batches_tracked) in PyTorch's state_dict order; the file must hold exactly the tensors its
 * layers have (src/layers/block-layout.ts), each of its shape, checked as every block model is
 * (block-model-check.ts). Networks of dense layers
 * only keep writing version 1 (model-file.ts), and read either. Reading checks every field and names the first bad one.
 */
import { GradscopeError, shown } from '../errors.js';
import { shapeText, shownShape } from '../shape-text.js';
import type { Loss } from '../kernels.js';
import { elementsOf } from '../layers/block-layout.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import { namedDenseFanIns, type CheckedSpec } from '../layers/spec.js';
import { CHECKPOINT_FIELD, checkFileFields, checkFloat32Values } from '../model-limits.js';
import { valuesReadOnce } from '../array-reads.js';
import { keysOf } from '../checks.js';
import { checkBlockArchitecture, checkTensorValues, recordedBlockPytorchModule } from './block-model-check.js';
import type { PytorchModule } from '../pytorch-record.js';
import { MISSING_LOSS } from './config.js';
import { recordedInitialisation, type Initialisation } from '../init/initialisation.js';
import { recordedTrainedOn, trainedOnCopy, type TrainedOn } from '../trained-on.js';
import { copiedNumbers, type FileNumbers } from './file-numbers.js';
import { counted } from '../counted.js';

/** The model file version of a network built from layer specs. */
export const BLOCK_MODEL_VERSION = 2;

/** One tensor of a version 2 model file. */
export interface BlockModelFileTensor {
  /** PyTorch's shape ([] for a scalar). */
  shape: number[];
  /** The values, row-major (num_batches_tracked: one whole number). */
  values: number[];
}

/** gradscope's JSON model file of a network built from layer specs (Network.toJSON of a block network). */
export interface BlockModelFile {
  /** Always 'gradscope.model'. */
  format: 'gradscope.model';
  /** Always BLOCK_MODEL_VERSION (2). */
  version: typeof BLOCK_MODEL_VERSION;
  /** Features per input row. */
  inputs: number;
  /** The loss the model is trained on. */
  loss: Loss;
  /** The layer specs, checked (CheckedSpec: a norm's epsilon and momentum only where given). */
  layers: CheckedSpec[];
  /** Every parameter and state buffer by its PyTorch state_dict name, in that order. */
  tensors: Record<string, BlockModelFileTensor>;
  /** How the dense layers' parameters were first drawn. Absent: not recorded (a file written before 2026-12-01, or from data without it). */
  initialisation?: Initialisation;
  /** The rows that trained the model (src/trained-on.ts). Absent: not recorded (a file written before 2026-12-04, or from data without it). */
  trainedOn?: TrainedOn;
  /** What a network read from a PyTorch module keeps of it (src/pytorch-record.ts: its tensors' names there, logits). Absent: none. */
  pytorchModule?: PytorchModule;
}

/**
 * The version 2 file of `model`, its tensors' values put in by `numbers` (copied, by default). The
 * caller checks `model` first (checkBlockModel: what it writes, the reader takes back), once: a
 * writer that builds the file twice (sized, then copied) or holds a checked checkpoint scans no value again.
 */
export function blockModelToJSON(model: BlockModelData, numbers: FileNumbers = copiedNumbers): BlockModelFile {
  const tensors: Record<string, BlockModelFileTensor> = {};
  for (const t of model.tensors) tensors[t.name] = { shape: [...t.shape], values: numbers(t.values) };
  const recorded = {
    ...(model.initialisation && { initialisation: structuredClone(model.initialisation) }),
    ...(model.trainedOn && { trainedOn: trainedOnCopy(model.trainedOn) }),
    ...(model.pytorchModule && { pytorchModule: structuredClone(model.pytorchModule) }),
  };
  return { format: 'gradscope.model', version: BLOCK_MODEL_VERSION, inputs: model.inputs, loss: model.loss, layers: model.layers, tensors, ...recorded };
}

/** Reads the fields of a version 2 file (format and version already checked); BAD_MODEL_FILE naming the first bad field. */
export function blockModelFromJSON(file: Record<string, unknown>): BlockModelData {
  checkFileFields(file, [...keysOf<BlockModelFile>({ format: true, version: true, inputs: true, loss: true, layers: true, tensors: true, initialisation: true, trainedOn: true, pytorchModule: true }), CHECKPOINT_FIELD], 'model', bad);
  if (file.loss === undefined) throw bad('model.loss', MISSING_LOSS);
  const architecture = checkBlockArchitecture({ loss: file.loss, inputs: file.inputs, layers: file.layers }, 'model', bad); // limits before any tensor is read
  const { loss, inputs, layers, layout } = architecture;
  const pytorchModule = recordedBlockPytorchModule(file, architecture, 'model.pytorchModule', bad); // before any tensor is read
  const given = file.tensors;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw bad('model.tensors', 'expected an object of tensors by name');
  const record = given as Record<string, unknown>;
  const known = new Set(layout.map((slot) => slot.name));
  const extra = Object.keys(record).find((name) => !known.has(name));
  if (extra !== undefined) throw bad(`model.tensors[${shown(extra)}]`, 'not a tensor of these layers');
  const tensors = layout.map((slot): BlockTensor => {
    const where = `model.tensors[${JSON.stringify(slot.name)}]`;
    const t = record[slot.name];
    if (typeof t !== 'object' || t === null) throw bad(where, `missing (the layers have a tensor of shape ${shapeText(slot.shape)} here)`);
    checkFileFields(t, keysOf<BlockModelFileTensor>({ shape: true, values: true }), where, bad);
    const { shape, values } = t as Record<string, unknown>;
    if (!Array.isArray(shape) || String(shape) !== String(slot.shape) || shape.length !== slot.shape.length) {
      throw bad(`${where}.shape`, `expected ${shapeText(slot.shape)}, got ${shownShape(shape)}`);
    }
    // The length before reading: a short array must not buy a large allocation, nor a long one be cut.
    const length = elementsOf(slot.shape);
    if (!Array.isArray(values) || values.length !== length) throw bad(`${where}.values`, `expected ${counted(length, 'number')}`);
    const copy = valuesReadOnce(values, length); // each value read once: what is checked is what is used
    checkFloat32Values(copy, `${where}.values`, bad);
    const tensor = { ...slot, values: Float32Array.from(copy as number[]) };
    checkTensorValues(tensor.values, slot, bad, (i) => `${where}.values[${i}]`); // the file's values are flat, row-major
    return tensor;
  });
  const recorded = { ...recordedInitialisation(file, 'model.initialisation', bad, namedDenseFanIns(layers, inputs, 'model.layers')), ...recordedTrainedOn(file, 'model.trainedOn', bad), ...pytorchModule };
  return { kind: 'blocks', loss, inputs, layers, tensors, ...recorded };
}

function bad(where: string, message: string): GradscopeError {
  return new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);
}
