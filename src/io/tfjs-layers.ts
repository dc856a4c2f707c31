/**
 * TensorFlow.js layers models (`model.json` + weight shards), Sequential stacks of Dense layers only.
 * tfjs (and Keras) store a Dense kernel as [in, out], gradscope as [out][in]: both directions
 * transpose. A hidden 'leaky-relu' is written as a linear Dense followed by a LeakyReLU layer
 * (alpha 0.01), since tfjs has no leaky-relu activation string; reading accepts that pair and a
 * linear Dense followed by an Activation layer. Bytes and parsed JSON in and out, so this works in
 * browsers (hand the pieces to tf.io.fromMemory, or fetch them yourself).
 */
import type { Loss, OutputActivation } from '../kernels.js';
import { LEAKY_RELU_SLOPE } from '../kernels.js';
import { MODEL_FORMAT, MODEL_VERSION, parseModelJson, type ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { asModelData, badModel, checkArchitecture, checkFinite, checkSizes, readActivation, readLoss } from './model-data.js';

/** The shard file name toTfjsLayers puts in the manifest. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The parts of a tfjs `model.json` this module reads and writes. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: 'Sequential'; config: { name: string; layers: unknown[] }; keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  userDefinedMetadata: { gradscope: { format: string; version: number; loss: Loss } };
}

export interface TfjsLayersModel {
  modelJson: TfjsModelJson;
  /** The bytes of the one shard, `weights.bin`, named in the manifest. */
  weightData: Uint8Array;
}

/** What to assume when model.json does not say which loss the model was trained with. */
export interface TfjsImportOptions {
  /** Default: the loss createNetwork would pick, 'cross-entropy' for a softmax output, else 'mse'. */
  loss?: Loss;
}

/** Activation strings tfjs and gradscope share; tfjs spells leaky-relu as a layer, not a string. */
const TFJS_ACTIVATIONS: readonly OutputActivation[] = ['sigmoid', 'tanh', 'relu', 'softsign', 'linear', 'selu', 'softmax'];

/** Keras/tfjs loss names, in both the Python (snake_case) and tfjs (camelCase) spellings. */
const TFJS_LOSSES: Record<string, Loss> = {
  mse: 'mse',
  mean_squared_error: 'mse',
  meanSquaredError: 'mse',
  categorical_crossentropy: 'cross-entropy',
  categoricalCrossentropy: 'cross-entropy',
  binary_crossentropy: 'binary-cross-entropy',
  binaryCrossentropy: 'binary-cross-entropy',
};

/** The model as a tfjs layers model: model.json (as an object) and the weights.bin bytes. */
export function toTfjsLayers(source: Network | ModelData): TfjsLayersModel {
  const model = asModelData(source);
  const layers: unknown[] = [];
  const weights: TfjsWeightSpec[] = [];
  const shards: Float32Array[] = [];
  model.activations.forEach((activation, l) => {
    const nIn = model.sizes[l];
    const nOut = model.sizes[l + 1];
    const name = `dense_${l + 1}`;
    layers.push({
      class_name: 'Dense',
      config: {
        name,
        units: nOut,
        activation: activation === 'leaky-relu' ? 'linear' : activation,
        use_bias: true,
        dtype: 'float32',
        trainable: true,
        ...(l === 0 ? { batch_input_shape: [null, nIn] } : {}),
      },
    });
    if (activation === 'leaky-relu') layers.push({ class_name: 'LeakyReLU', config: { name: `leaky_re_lu_${l + 1}`, alpha: LEAKY_RELU_SLOPE, trainable: true } });
    weights.push({ name: `${name}/kernel`, shape: [nIn, nOut], dtype: 'float32' }, { name: `${name}/bias`, shape: [nOut], dtype: 'float32' });
    shards.push(transpose(model.weights[l], nOut, nIn), model.biases[l]);
  });
  const total = shards.reduce((n, s) => n + s.length, 0);
  const weightData = new Uint8Array(4 * total);
  const view = new DataView(weightData.buffer);
  let at = 0;
  for (const shard of shards) for (let i = 0; i < shard.length; i++, at += 4) view.setFloat32(at, shard[i], true);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'gradscope',
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: 'tfjs-layers', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights }],
      userDefinedMetadata: { gradscope: { format: MODEL_FORMAT, version: MODEL_VERSION, loss: model.loss } },
    },
    weightData,
  };
}

/** rows×cols row-major to cols×rows. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

interface DenseLayer {
  name: string;
  units: number;
  activation: OutputActivation;
  useBias: boolean;
  /** Input width, when the layer (or an InputLayer before it) declares one. */
  inputs?: number;
}

/**
 * Reads a tfjs layers model: `modelJson` is model.json (object or text); `weightData` is every
 * shard of its weightsManifest, concatenated in manifest order (for one shard: weights.bin).
 * Also takes tfjs ModelArtifacts' `weightSpecs` in place of `weightsManifest`.
 */
export function fromTfjsLayers(modelJson: unknown, weightData: Uint8Array | ArrayBuffer, options: TfjsImportOptions = {}): ModelData {
  const json = parseModelJson(modelJson, 'model.json');
  const dense = readTopology(json);
  const inputs = dense[0].inputs;
  if (inputs === undefined) throw badModel('modelTopology', 'the first layer declares no input shape (batch_input_shape)');
  const sizes = [inputs, ...dense.map((layer) => layer.units)];
  checkSizes(sizes, 'modelTopology');
  dense.forEach((layer, l) => {
    if (layer.inputs !== undefined && layer.inputs !== sizes[l]) {
      throw badModel(`layer ${layer.name}`, `declares ${layer.inputs} inputs but the previous layer has ${sizes[l]} units`);
    }
  });
  const activations = dense.map((layer) => layer.activation);
  const loss = readModelLoss(json, options, activations[activations.length - 1]);
  const model: ModelData = { loss, sizes, activations, weights: [], biases: [] };
  checkArchitecture(model, 'model.json');

  const specs = readWeightSpecs(json);
  const bytes = weightData instanceof Uint8Array ? weightData : new Uint8Array(weightData);
  const needed = specs.reduce((n, spec) => n + spec.bytes, 0);
  if (needed !== bytes.length) throw badModel('weights', `the manifest describes ${needed} bytes but ${bytes.length} were given`);
  const offsets = new Map<string, { at: number; spec: WeightSpec }>();
  let at = 0;
  for (const spec of specs) {
    offsets.set(spec.name, { at, spec });
    at += spec.bytes;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (layer: DenseLayer, kind: 'kernel' | 'bias', shape: number[]): Float32Array => {
    const found = findWeight(offsets, layer.name, kind);
    if (!found) throw badModel(`weights`, `no "${layer.name}/${kind}" in the manifest`);
    if (found.spec.dtype !== 'float32') throw badModel(`weights ${found.spec.name}`, `dtype ${found.spec.dtype} should be float32`);
    if (found.spec.shape.join() !== shape.join()) {
      throw badModel(`weights ${found.spec.name}`, `shape [${found.spec.shape.join(', ')}] should be [${shape.join(', ')}]`);
    }
    const values = new Float32Array(found.spec.size);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(found.at + 4 * i, true);
    checkFinite(values, `weights ${found.spec.name}`);
    return values;
  };
  dense.forEach((layer, l) => {
    model.weights.push(transpose(read(layer, 'kernel', [sizes[l], sizes[l + 1]]), sizes[l], sizes[l + 1]));
    model.biases.push(layer.useBias ? read(layer, 'bias', [sizes[l + 1]]) : new Float32Array(sizes[l + 1]));
  });
  return model;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Dense layers of a Sequential topology, with Activation/LeakyReLU layers folded into them. */
function readTopology(json: Record<string, unknown>): DenseLayer[] {
  let topology = json.modelTopology;
  // Keras' converter wraps the model as { model_config: { class_name, config } }.
  if (isObject(topology) && isObject(topology.model_config)) topology = topology.model_config;
  if (!isObject(topology)) throw badModel('modelTopology', 'missing or not an object');
  if (topology.class_name !== 'Sequential') throw badModel('modelTopology.class_name', `only Sequential models are supported, got ${JSON.stringify(topology.class_name)}`);
  const config = topology.config;
  // Older Keras writes the layer list as the config itself.
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw badModel('modelTopology.config.layers', 'expected an array of layers');

  const dense: DenseLayer[] = [];
  let declaredInputs: number | undefined;
  layers.forEach((layer: unknown, i) => {
    const where = `modelTopology layer ${i}`;
    if (!isObject(layer) || !isObject(layer.config)) throw badModel(where, 'expected { class_name, config }');
    const c = layer.config;
    const name = typeof c.name === 'string' ? c.name : `#${i}`;
    const previous = dense[dense.length - 1];
    switch (layer.class_name) {
      case 'InputLayer':
        declaredInputs = inputWidth(c, `${where} (${name})`);
        break;
      case 'Dense': {
        if (typeof c.units !== 'number') throw badModel(`${where} (${name}).units`, `expected a number, got ${JSON.stringify(c.units)}`);
        const activation = c.activation ?? 'linear';
        if (!TFJS_ACTIVATIONS.includes(activation as OutputActivation)) {
          throw badModel(`${where} (${name}).activation`, `${JSON.stringify(activation)} is not one of ${TFJS_ACTIVATIONS.join(', ')}`);
        }
        dense.push({
          name,
          units: c.units,
          activation: activation as OutputActivation,
          useBias: c.use_bias !== false,
          inputs: inputWidth(c, `${where} (${name})`) ?? (dense.length === 0 ? declaredInputs : undefined),
        });
        break;
      }
      case 'Activation':
      case 'LeakyReLU': {
        if (!previous || previous.activation !== 'linear') throw badModel(`${where} (${name})`, `${layer.class_name} must follow a Dense layer with activation 'linear'`);
        if (layer.class_name === 'LeakyReLU') {
          if (typeof c.alpha !== 'number' || Math.abs(c.alpha - LEAKY_RELU_SLOPE) > 1e-6) {
            throw badModel(`${where} (${name}).alpha`, `gradscope's leaky-relu has slope ${LEAKY_RELU_SLOPE}, got ${JSON.stringify(c.alpha)}`);
          }
          previous.activation = 'leaky-relu';
        } else {
          previous.activation = readActivation(c.activation, `${where} (${name}).activation`);
        }
        break;
      }
      default:
        throw badModel(`${where} (${name})`, `layer class ${JSON.stringify(layer.class_name)} is not supported (Dense, Activation, LeakyReLU, InputLayer)`);
    }
  });
  if (dense.length === 0) throw badModel('modelTopology', 'no Dense layers');
  return dense;
}

/** The feature width of batch_input_shape (tfjs, Keras 2) or batch_shape (Keras 3). */
function inputWidth(c: Record<string, unknown>, where: string): number | undefined {
  const shape = c.batch_input_shape ?? c.batch_shape;
  if (shape === undefined) return undefined;
  if (!Array.isArray(shape) || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw badModel(`${where}.batch_input_shape`, `expected [null, features], got ${JSON.stringify(shape)}`);
  }
  return shape[1];
}

function readModelLoss(json: Record<string, unknown>, options: TfjsImportOptions, output: OutputActivation): Loss {
  const ours = isObject(json.userDefinedMetadata) && isObject(json.userDefinedMetadata.gradscope) ? json.userDefinedMetadata.gradscope.loss : undefined;
  if (ours !== undefined) return readLoss(ours, 'userDefinedMetadata.gradscope.loss');
  const training = json.trainingConfig ?? json.training_config;
  if (isObject(training) && typeof training.loss === 'string' && training.loss in TFJS_LOSSES) return TFJS_LOSSES[training.loss];
  if (options.loss !== undefined) return readLoss(options.loss, 'loss option');
  return output === 'softmax' ? 'cross-entropy' : 'mse';
}

/** Bytes per element of the dtypes a shard may hold; optimizer state (e.g. int32 `iter`) rides along with the weights. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  size: number;
  bytes: number;
}

function readWeightSpecs(json: Record<string, unknown>): WeightSpec[] {
  let raw: unknown[];
  if (json.weightsManifest !== undefined) {
    if (!Array.isArray(json.weightsManifest)) throw badModel('weightsManifest', 'expected an array of { paths, weights }');
    raw = json.weightsManifest.flatMap((group: unknown, g) => {
      if (!isObject(group) || !Array.isArray(group.weights)) throw badModel(`weightsManifest[${g}]`, 'expected { paths, weights: [...] }');
      return group.weights;
    });
  } else if (Array.isArray(json.weightSpecs)) raw = json.weightSpecs;
  else throw badModel('model.json', 'has no weightsManifest');
  return raw.map((spec, i) => {
    const where = `weightsManifest weight ${i}`;
    if (!isObject(spec) || typeof spec.name !== 'string') throw badModel(where, 'expected { name, shape, dtype }');
    const bytes = typeof spec.dtype === 'string' ? DTYPE_BYTES[spec.dtype] : undefined;
    if (bytes === undefined || spec.quantization !== undefined) {
      throw badModel(`${where} (${spec.name})`, `dtype ${JSON.stringify(spec.dtype)}${spec.quantization ? ' (quantized)' : ''} is not supported (${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw badModel(`${where} (${spec.name}).shape`, `expected non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const size = (shape as number[]).reduce((n, d) => n * d, 1);
    return { name: spec.name, shape: shape as number[], dtype: spec.dtype as string, size, bytes: bytes * size };
  });
}

/** tfjs names weights `<layer>/kernel`; Keras' converter may add scopes in front (`sequential/<layer>/kernel`). */
function findWeight<V>(offsets: Map<string, V>, layer: string, kind: string): V | undefined {
  const exact = offsets.get(`${layer}/${kind}`);
  if (exact) return exact;
  for (const [name, value] of offsets) if (name.endsWith(`/${layer}/${kind}`)) return value;
  return undefined;
}
