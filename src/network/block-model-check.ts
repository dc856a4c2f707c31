/**
 * The checks every exporter and reader of block models runs (BlockModelData, src/layers/block-model.ts):
 * the architecture (loss, inputs, layer specs and the loss's output layer) within MODEL_LIMITS
 * before anything is allocated, then the tensors against the state_dict the specs imply. Each
 * check throws through `fail`: INVALID_OPTION for data handed to an exporter, BAD_MODEL_FILE for
 * a file.
 */
import { describeValue } from '../errors.js';
import { shapeText, shownShape } from '../shape-text.js';
import { checkUnits } from '../checks.js';
import type { Loss } from '../kernels.js';
import { blockTensorLayout, elementsOf, type TensorSlot } from '../layers/block-layout.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import { activationOf, checkLayerSpecs, namedDenseFanIns, specsBeyondLimit, widthAfter, type CheckedSpec } from '../layers/spec.js';
import { checkStoredTensor, elementPath, MODEL_LIMITS, optionFault, rethrowThrough, type ElementPath, type Fail, beyondModelLimit } from '../model-limits.js';
import { float32Copy, isFloat32Array } from '../array-reads.js';
import { checkLoss, checkLossPairing, checkOutputUnits } from './config.js';
import { recordedInitialisation } from '../init/initialisation.js';
import { recordedTrainedOn } from '../trained-on.js';
import { readBlockPytorchModule, type PytorchModule } from '../pytorch-record.js';
import { grouped } from '../counted.js';
import { fileLayer } from '../layer-names.js';

/** A block model's architecture, checked: its specs with defaults filled in, and the tensors they imply. */
export interface BlockArchitecture {
  loss: Loss;
  inputs: number;
  layers: CheckedSpec[];
  layout: TensorSlot[];
}

/**
 * Checks loss, inputs and layer specs (`where` prefixes each field's name), the specs' count and
 * their tensors' size within MODEL_LIMITS, and that the last layer is the output the loss needs.
 */
export function checkBlockArchitecture(model: { loss: unknown; inputs: unknown; layers: unknown }, where: string, fail: Fail = optionFault): BlockArchitecture {
  const loss = rethrowThrough(fail, `${where}.loss`, () => checkLoss(model.loss, 'loss'));
  const inputs = rethrowThrough(fail, `${where}.inputs`, () => checkUnits(model.inputs, 'inputs'));
  const beyond = specsBeyondLimit(model.layers);
  if (beyond !== undefined) throw fail(`${where}.layers${beyond.at}`, beyond.message);
  const layers = rethrowThrough(fail, `${where}.layers`, () => checkLayerSpecs(model.layers, inputs));
  const layout = blockTensorLayout(layers, inputs);
  const elements = layout.reduce((n, slot) => n + elementsOf(slot.shape), 0);
  if (elements > MODEL_LIMITS.maxParameters) {
    throw fail(`${where}.layers`, beyondModelLimit(elements, 'parameters and state values', MODEL_LIMITS.maxParameters));
  }
  const output = activationOf(layers[layers.length - 1]) ?? 'linear';
  checkOutputUnits(output, widthAfter(layers, inputs), fileLayer(layers.length - 1, `${where}.`), fail);
  rethrowThrough(fail, `${where}.loss`, () => checkLossPairing(loss, [output]));
  return { loss, inputs, layers, layout };
}

/**
 * Each tensor where the layout puts it: name, dtype, shape and length; floats finite in float32,
 * counts whole and non-negative. Names the tensor at fault. Returns copies of what it checked, each
 * field read once: the caller's tensors may change meanwhile (valuesReadOnce says why).
 */
export function checkedBlockTensors(tensors: readonly BlockTensor[], layout: readonly TensorSlot[], where: string, fail: Fail = optionFault): BlockTensor[] {
  if (!Array.isArray(tensors)) throw fail(`${where}.tensors`, `expected an array, got ${describeValue(tensors)}`);
  const count = tensors.length;
  const checked = layout.map((slot, i) => {
    const tensor = tensors[i];
    if (tensor === undefined) throw fail(`${where}.tensors[${i}]`, `missing: the layers need ${describeSlot(slot)} here`);
    const { name, dtype, shape, values } = tensor;
    if (name !== slot.name || dtype !== slot.dtype || String(shape) !== String(slot.shape)) {
      throw fail(`${where}.tensors[${i}] (${String(name)})`, `the layers need ${describeSlot(slot)} here, got ${dtype} ${shownShape(shape)}`);
    }
    const copy = float32Copy(values) ?? values; // what is not a real Float32Array, a Proxy of one too, checkTensorValues refuses
    checkTensorValues(copy, slot, fail);
    return { name: slot.name, shape: [...slot.shape], dtype: slot.dtype, values: copy as Float32Array };
  });
  if (count > layout.length) throw fail(`${where}.tensors[${layout.length}]`, `the layers hold ${grouped(layout.length)} tensors, got ${grouped(count)}`);
  return checked;
}

/** Whether a block tensor named `name` of `dtype` is a trained parameter (batch norm's running statistics and count are not). */
export const isParameter = (name: string, dtype: string): boolean => dtype !== 'i64' && !name.includes('running_');

/**
 * Values of the slot's length: floats finite in float32, parameters within RUNAWAY_PARAMETER
 * (checkStoredTensor); counts (i64) whole and non-negative; running variances non-negative (their
 * square root normalises). `at` names an element (default `name[r, c]` by the slot's shape).
 */
export function checkTensorValues(values: unknown, slot: TensorSlot, fail: Fail, at: ElementPath = elementPath(slot.name, slot.shape)): void {
  const length = elementsOf(slot.shape);
  if (!isFloat32Array(values) || values.length !== length) {
    throw fail(slot.name, `expected a Float32Array of ${grouped(length)} values, got ${isFloat32Array(values) ? `${grouped(values.length)} values` : describeValue(values)}`);
  }
  checkStoredTensor(values, at, isParameter(slot.name, slot.dtype), fail);
  checkStateValues(values, slot, fail, at);
}

/**
 * What only batch norm's state can get wrong among finite float32 values: counts (i64) whole and
 * non-negative; running variances non-negative (their square root normalises: a negative one makes
 * every prediction NaN). Run by every reader (checkTensorValues) and by Network.loadState.
 */
export function checkStateValues(values: ArrayLike<number>, slot: TensorSlot, fail: Fail, at: ElementPath): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (slot.dtype === 'i64' && !(Number.isInteger(v) && v >= 0)) throw fail(at(i), `${v} is not a count (a whole number ≥ 0)`);
    if (slot.name.endsWith('running_var') && v < 0) throw fail(at(i), `${v} is negative: a variance is ≥ 0`);
  }
}

/** The whole model: architecture, then tensors. */
export function checkBlockModel(model: BlockModelData, where = 'model', fail: Fail = optionFault): BlockArchitecture & { model: BlockModelData } {
  if (typeof model !== 'object' || model === null || model.kind !== 'blocks') throw fail(`${where}.kind`, `expected 'blocks', got ${describeValue(model?.kind)}`);
  const architecture = checkBlockArchitecture(model, where, fail);
  const { loss, inputs, layers } = architecture;
  const tensors = checkedBlockTensors(model.tensors, architecture.layout, where, fail);
  const recorded = {
    ...recordedInitialisation(model, `${where}.initialisation`, fail, namedDenseFanIns(layers, inputs, `${where}.layers`)),
    ...recordedTrainedOn(model, `${where}.trainedOn`, fail),
    ...recordedBlockPytorchModule(model, architecture, `${where}.pytorchModule`, fail),
  };
  return { ...architecture, model: { kind: 'blocks', loss, inputs, layers, tensors, ...recorded } };
}

/** `{ pytorchModule }` read from `holder.pytorchModule` (`where` names it) for a block network of `architecture`, or `{}` where it records none. */
export function recordedBlockPytorchModule(holder: { pytorchModule?: unknown }, architecture: BlockArchitecture, where: string, fail: Fail): { pytorchModule?: PytorchModule } {
  if (holder.pytorchModule === undefined) return {};
  // Logits are a last nn.Linear's: a network ending in another layer has no logits output to keep.
  const last = architecture.layers[architecture.layers.length - 1];
  const activations = [last.type === 'dense' ? last.activation : 'linear'] as const;
  const record = readBlockPytorchModule(holder.pytorchModule, { loss: architecture.loss, activations }, architecture.layout, where, fail);
  return record ? { pytorchModule: record } : {};
}

function describeSlot(slot: TensorSlot): string {
  return `${slot.name} (${slot.dtype} ${shapeText(slot.shape)})`;
}

/** Whether an exporter's source is a block model (BlockModelData) rather than a Network or dense ModelData. */
export function isBlockModel(source: unknown): source is BlockModelData {
  return typeof source === 'object' && source !== null && (source as { kind?: unknown }).kind === 'blocks';
}
