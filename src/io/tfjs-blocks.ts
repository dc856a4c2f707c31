/**
 * tfjs layers models of block networks: what a Keras/tfjs Sequential can express. A dense layer is
 * a Dense (kernel `[in, out]`, transposed from PyTorch's `[out, in]`; a 'leaky-relu' one is a linear
 * Dense followed by a LeakyReLU layer, alpha 0.01), batch norm a BatchNormalization (gamma, beta,
 * moving_mean, moving_variance = PyTorch's weight, bias, running_mean, running_var; Keras'
 * momentum is 1 − PyTorch's, 0.9 for the default 0.1; the spec's epsilon, default 1e-5), layer norm
 * a LayerNormalization (axis −1, the spec's epsilon), an activation layer an Activation (LeakyReLU for 'leaky-relu'). A residual block has no
 * Sequential form (a Sequential cannot add a layer's input to its output) and is refused with
 * INVALID_OPTION naming it. Layers are named as Keras names them, by class: dense_1, dense_2,
 * batch_normalization_1, …
 *
 * `userDefinedMetadata.gradscope` keeps what Keras has no place for: the loss, the checked specs
 * (version 2), the batch norm counters (num_batches_tracked), the initialisation and training rows where recorded,
 * so a block network read back has the very tensors that were written; the reader checks the
 * topology against those specs.
 */
import { checkObjectArgument } from '../checks.js';
import { LEAKY_RELU_SLOPE, type OutputActivation } from '../kernels.js';
import { MODEL_FILE_TAG } from '../network/model-file.js';
import { describeValue, invalidOption } from '../errors.js';
import { shapeText, shownShape } from '../shape-text.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import { BATCH_NORM_MOMENTUM, hasBias, NORM_EPSILON, namedDenseFanIns, widthAfter, type CheckedSpec } from '../layers/spec.js';
import { moduleIndices } from '../layers/block-layout.js';
import { rethrowThrough } from '../model-limits.js';
import { checkBlockArchitecture, checkBlockModel, checkTensorValues, isParameter } from '../network/block-model-check.js';
import { badModel } from './model-data.js';
import { checkAgrees } from './import-options.js';
import { BLOCK_FILE_VERSION } from './safetensors-blocks.js';
import { recordedInitialisation } from '../init/initialisation.js';
import { recordedTrainedOn } from '../trained-on.js';
import { fileListItem } from '../layer-names.js';
import { batchInputWidth, isObject, recordedMetadata, TFJS_WEIGHTS_FILE, topologyLayers, transpose, weightReader, type TfjsLayersModel, type TfjsModelJson, type TfjsWeightSpec } from './tfjs-format.js';

/** One weight of a planned layer: its tfjs name (`<layer>/<kind>`), the state_dict tensor it holds, and its tfjs shape. */
interface PlannedWeight {
  kind: string;
  tensor: string;
  shape: number[];
  /** A Dense kernel: `[in, out]` in tfjs, the transpose of PyTorch's `[out, in]`. */
  transposed: boolean;
}

/** A Keras layer of the Sequential, with the weights it holds. */
interface PlannedLayer {
  class_name: string;
  config: { name: string } & Record<string, unknown>;
  weights: PlannedWeight[];
}

/** The Keras layers of `specs` taking `inputs` features; INVALID_OPTION at a residual block (`where` names the list). */
function tfjsPlan(specs: readonly CheckedSpec[], inputs: number, where = 'layers'): PlannedLayer[] {
  const counts = new Map<string, number>();
  const named = (prefix: string) => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    return `${prefix}_${n}`;
  };
  const index = moduleIndices(specs);
  const plan: PlannedLayer[] = [];
  const activationLayer = (activation: OutputActivation): PlannedLayer =>
    activation === 'leaky-relu'
      ? { class_name: 'LeakyReLU', config: { name: named('leaky_re_lu'), alpha: LEAKY_RELU_SLOPE, trainable: true }, weights: [] }
      : { class_name: 'Activation', config: { name: named('activation'), activation, trainable: true }, weights: [] };
  let width = inputs;
  specs.forEach((spec, i) => {
    const k = index[i];
    const vector = (kind: string, tensor: string): PlannedWeight => ({ kind, tensor: `${k}.${tensor}`, shape: [width], transposed: false });
    switch (spec.type) {
      case 'dense': {
        const name = named('dense');
        plan.push({
          class_name: 'Dense',
          config: { name, units: spec.units, activation: spec.activation === 'leaky-relu' ? 'linear' : spec.activation, use_bias: hasBias(spec), dtype: 'float32', trainable: true },
          // A layer without a bias is Keras' Dense(use_bias=False): its kernel alone.
          weights: [
            { kind: 'kernel', tensor: `${k}.weight`, shape: [width, spec.units], transposed: true },
            ...(hasBias(spec) ? [{ kind: 'bias', tensor: `${k}.bias`, shape: [spec.units], transposed: false }] : []),
          ],
        });
        if (spec.activation === 'leaky-relu') plan.push(activationLayer('leaky-relu'));
        break;
      }
      case 'batch-norm':
        plan.push({
          class_name: 'BatchNormalization',
          config: {
            name: named('batch_normalization'),
            axis: -1,
            momentum: 1 - (spec.momentum ?? BATCH_NORM_MOMENTUM),
            epsilon: spec.epsilon ?? NORM_EPSILON,
            center: true,
            scale: true,
            trainable: true,
          },
          weights: [vector('gamma', 'weight'), vector('beta', 'bias'), vector('moving_mean', 'running_mean'), vector('moving_variance', 'running_var')],
        });
        break;
      case 'layer-norm':
        plan.push({
          class_name: 'LayerNormalization',
          config: { name: named('layer_normalization'), axis: -1, epsilon: spec.epsilon ?? NORM_EPSILON, center: true, scale: true, trainable: true },
          weights: [vector('gamma', 'weight'), vector('beta', 'bias')],
        });
        break;
      case 'activation':
        plan.push(activationLayer(spec.activation));
        break;
      case 'residual':
        throw invalidOption(`${where}[${i}]: a residual block cannot be written as a tfjs Sequential (it has no way to add a block's input to its output); use safetensors or ONNX`);
    }
    width = widthAfter([spec], width);
  });
  plan[0].config.batch_input_shape = [null, inputs];
  return plan;
}

/** A block model as a tfjs layers model (see the module comment); INVALID_OPTION for a residual block or inconsistent data. */
export function blockModelToTfjsLayers(given: BlockModelData): TfjsLayersModel {
  checkObjectArgument(given, 'blockModelToTfjsLayers', 'BlockModelData (from blockModelOf or a reader)');
  return checkedBlockModelToTfjsLayers(checkBlockModel(given).model);
}

/** blockModelToTfjsLayers of the copy checkBlockModel returned (toTfjsLayers' exportSource): written, not checked again. */
export function checkedBlockModelToTfjsLayers(model: BlockModelData): TfjsLayersModel {
  const { loss, inputs, layers } = model;
  const counters = model.tensors.filter((t) => t.dtype === 'i64');
  return writeTfjsLayers(model, {
    format: MODEL_FILE_TAG,
    version: BLOCK_FILE_VERSION,
    loss,
    inputs,
    layers,
    batchesTracked: Object.fromEntries(counters.map((t) => [t.name, t.values[0]])),
    ...recordedMetadata(model),
  });
}

/** model.json and weights.bin for `model`'s layers and tensors, with `gradscope` as its metadata. */
export function writeTfjsLayers(model: BlockModelData, gradscope: TfjsModelJson['userDefinedMetadata']['gradscope']): TfjsLayersModel {
  const plan = tfjsPlan(model.layers, model.inputs);
  const values = new Map(model.tensors.map((t) => [t.name, t.values]));
  const weights: TfjsWeightSpec[] = [];
  const shards: Float32Array[] = [];
  for (const layer of plan) {
    for (const w of layer.weights) {
      weights.push({ name: `${layer.config.name}/${w.kind}`, shape: w.shape, dtype: 'float32' });
      const v = values.get(w.tensor)!;
      shards.push(w.transposed ? transpose(v, w.shape[1], w.shape[0]) : v);
    }
  }
  const total = shards.reduce((n, s) => n + s.length, 0);
  const weightData = new Uint8Array(4 * total);
  const view = new DataView(weightData.buffer);
  let at = 0;
  for (const shard of shards) for (let i = 0; i < shard.length; i++, at += 4) view.setFloat32(at, shard[i], true);
  const topology = plan.map(({ class_name, config }) => ({ class_name, config }));
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'gradscope',
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers: topology }, keras_version: 'tfjs-layers', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights }],
      userDefinedMetadata: { gradscope },
    },
    weightData,
  };
}

/** Whether model.json's gradscope metadata is a block network's (version 2). */
export function isBlockTfjsModel(json: Record<string, unknown>): boolean {
  const ours = isObject(json.userDefinedMetadata) ? json.userDefinedMetadata.gradscope : undefined;
  return isObject(ours) && ours.format === MODEL_FILE_TAG && ours.version === BLOCK_FILE_VERSION;
}

/** The config fields that say what a layer computes: the topology must agree with the specs on them. */
const MEANINGFUL = ['units', 'activation', 'alpha', 'axis', 'epsilon', 'momentum', 'center', 'scale', 'use_bias'];

/**
 * Reads a block network gradscope wrote as a tfjs layers model, parsed model.json whose metadata is a block network's
 * (isBlockTfjsModel), in two steps as tfjsLayersReader: the specs from the metadata, checked against the topology layer by
 * layer, now; the tensors from the weights when given. BAD_MODEL_FILE names the layer, weight or field at fault; a `givenLoss`
 * (the loss option) other than the one the metadata records, INVALID_OPTION (ContradictedImportOption).
 */
export function blockTfjsLayersReader(json: Record<string, unknown>, givenLoss?: string): (weightData: Uint8Array | ArrayBuffer) => BlockModelData {
  const meta = (json.userDefinedMetadata as { gradscope: { loss: unknown; inputs: unknown; layers: unknown; batchesTracked?: unknown; initialisation?: unknown; trainedOn?: unknown } }).gradscope;
  const where = 'userDefinedMetadata.gradscope';
  const { loss, inputs, layers, layout } = checkBlockArchitecture(meta, where, badModel);
  // The file records its loss: a loss option that agrees is taken, one that contradicts it refused (import-options.ts' rule).
  checkAgrees('loss', givenLoss, `${where}.loss`, loss);
  const plan = rethrowThrough(badModel, `${where}.layers`, () => tfjsPlan(layers, inputs));
  const { layers: topology, list } = topologyLayers(json);
  if (topology.length !== plan.length) throw badModel(list, `${topology.length} layers, but the specs in ${where}.layers make ${plan.length}`);
  plan.forEach((planned, i) => {
    const found = topology[i];
    const name = planned.config.name;
    if (!isObject(found) || !isObject(found.config)) throw badModel(fileListItem(list, i), 'expected { class_name, config }');
    const config = found.config;
    const here = fileListItem(list, i, String(config.name));
    if (found.class_name !== planned.class_name || config.name !== name) {
      throw badModel(here, `the specs in ${where}.layers make a ${planned.class_name} named ${name} here, got ${describeValue(found.class_name)}`);
    }
    for (const field of MEANINGFUL) {
      if (field in planned.config && config[field] !== planned.config[field]) {
        throw badModel(`${here}.config.${field}`, `the specs make ${JSON.stringify(planned.config[field])}, got ${describeValue(config[field])}`);
      }
    }
    // The input width tfjs builds the model from (any was taken): another than the specs' is a model.json that tfjs reads
    // as another network, or refuses, where gradscope read the specs' own.
    if (i === 0 && batchInputWidth(config, `${here}.config`) !== inputs) {
      throw badModel(`${here}.config.${config.batch_input_shape === undefined && config.batch_shape !== undefined ? 'batch_shape' : 'batch_input_shape'}`, `the specs make ${shapeText([null, inputs])} (${where}.inputs), got ${shownShape(config.batch_input_shape ?? config.batch_shape)}`);
    }
  });
  return (weightData) => {
    const read = weightReader(json, weightData);
    const values = new Map<string, Float32Array>();
    for (const layer of plan) {
      for (const w of layer.weights) {
        const v = read(layer.config.name, w.kind, w.shape, isParameter(w.tensor, 'float'));
        values.set(w.tensor, w.transposed ? transpose(v, w.shape[0], w.shape[1]) : v);
      }
    }
    const counts = isObject(meta.batchesTracked) ? meta.batchesTracked : {};
    const tensors: BlockTensor[] = layout.map((slot) => {
      if (slot.dtype === 'i64' && typeof counts[slot.name] !== 'number') throw badModel(`${where}.batchesTracked`, `no count for ${slot.name}`);
      const v = slot.dtype === 'i64' ? Float32Array.of(counts[slot.name] as number) : values.get(slot.name)!;
      checkTensorValues(v, slot, (at, message) => badModel(slot.dtype === 'i64' ? `${where}.batchesTracked.${at}` : at, message));
      return { ...slot, shape: [...slot.shape], values: v };
    });
    const recorded = { ...recordedInitialisation(meta, `${where}.initialisation`, badModel, namedDenseFanIns(layers, inputs, `${where}.layers`)), ...recordedTrainedOn(meta, `${where}.trainedOn`, badModel) };
    return { kind: 'blocks', loss, inputs, layers, tensors, ...recorded };
  };
}
