/**
 * TensorFlow.js layers models (`model.json` + weight shards), Sequential stacks of Dense layers only.
 * tfjs (and Keras) store a Dense kernel as [in, out], gradscope as [out][in]: both directions
 * transpose. A hidden 'leaky-relu' is written as a linear Dense followed by a LeakyReLU layer
 * (alpha 0.01), since tfjs has no leaky-relu activation string; reading accepts that pair (Keras 3
 * names the slope negative_slope) and a linear Dense followed by an Activation layer, and skips
 * the layers that are the identity at inference (Dropout and its kin), saying so. The loss comes
 * from gradscope's own metadata, the caller's option, or the Keras training config (Keras names
 * mapped), in that order, and `imported.lossFrom` says which; a default is taken only when none of
 * them has one, and said. Bytes and parsed JSON in and out, so this works in browsers (hand the
 * pieces to tf.io.fromMemory, or fetch them yourself).
 */
import type { Loss, OutputActivation } from '../kernels.js';
import { LEAKY_RELU_SLOPE, LOSS_OUTPUT } from '../kernels.js';
import { MODEL_FILE_TAG, MODEL_VERSION, parseModelJson, type ImportNotes, type ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { describeValue, quoted } from '../errors.js';
import { asModelData, badModel, checkArchitecture, checkFinite, checkSizes, readActivation, readLoss } from './model-data.js';

/** The shard file name toTfjsLayers puts in the manifest. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/** One tensor's entry in a tfjs weights manifest. */
export interface TfjsWeightSpec {
  /** The tensor's name, e.g. `dense_1/kernel`. */
  name: string;
  /** Its shape (a Dense kernel is `[in, out]`). */
  shape: number[];
  /** Its element type. */
  dtype: 'float32';
}

/** The parts of a tfjs `model.json` this module reads and writes. */
export interface TfjsModelJson {
  /** Always 'layers-model'. */
  format: 'layers-model';
  /** The writer ('gradscope' when gradscope wrote it). */
  generatedBy: string;
  /** null: written directly, not by a converter. */
  convertedBy: null;
  /** The Keras model: a Sequential of Dense layers. */
  modelTopology: {
    /** Always 'Sequential'. */
    class_name: 'Sequential';
    /** The model's name and its layers' Keras configs. */
    config: {
      /** The model's name. */
      name: string;
      /** Keras layer configs, in order. */
      layers: unknown[];
    };
    /** The Keras version the topology follows ('tfjs-layers' as gradscope writes it). */
    keras_version: string;
    /** The backend named in the topology ('tensor_flow.js' as gradscope writes it). */
    backend: string;
  };
  /** Weight groups: the shard files and the tensors they hold, in order. */
  weightsManifest: {
    /** Shard file names, relative to model.json. */
    paths: string[];
    /** The tensors in the shards, in order. */
    weights: TfjsWeightSpec[];
  }[];
  /** gradscope's own metadata, so a round trip keeps the loss. */
  userDefinedMetadata: {
    /** What gradscope records. */
    gradscope: {
      /** MODEL_FILE_TAG. */
      format: string;
      /** MODEL_VERSION. */
      version: number;
      /** The loss the model was trained on. */
      loss: Loss;
    };
  };
}

/** A tfjs layers model in memory: model.json as an object and its one weight shard. */
export interface TfjsLayersModel {
  /** model.json, as an object. */
  modelJson: TfjsModelJson;
  /** The bytes of the one shard, `weights.bin`, named in the manifest. */
  weightData: Uint8Array;
}

/** What to assume when model.json does not say which loss the model was trained with. */
export interface TfjsImportOptions {
  /**
   * The loss the model was trained with. Wins over a Keras training config (gradscope's own
   * metadata wins over it). Default: the training config's loss, else the loss createNetwork would
   * pick ('cross-entropy' for a softmax output, else 'mse'), noted in `imported.lossFrom`.
   */
  loss?: Loss;
}

/** Activation strings tfjs and gradscope share; tfjs spells leaky-relu as a layer, not a string. */
const TFJS_ACTIVATIONS: readonly OutputActivation[] = ['sigmoid', 'tanh', 'relu', 'softsign', 'linear', 'selu', 'softmax'];

/**
 * Keras and tfjs loss names, in Python's snake_case, tfjs' camelCase and Keras' class names.
 * Sparse categorical cross-entropy is cross-entropy on class indices; gradscope takes one-hot targets.
 */
const KERAS_LOSSES: Record<string, Loss> = {
  mse: 'mse',
  mean_squared_error: 'mse',
  meanSquaredError: 'mse',
  MeanSquaredError: 'mse',
  binary_crossentropy: 'binary-cross-entropy',
  binaryCrossentropy: 'binary-cross-entropy',
  BinaryCrossentropy: 'binary-cross-entropy',
  categorical_crossentropy: 'cross-entropy',
  categoricalCrossentropy: 'cross-entropy',
  CategoricalCrossentropy: 'cross-entropy',
  sparse_categorical_crossentropy: 'cross-entropy',
  sparseCategoricalCrossentropy: 'cross-entropy',
  SparseCategoricalCrossentropy: 'cross-entropy',
};

/** Keras layers that are the identity at inference: skipped on import, with a note. */
const INFERENCE_IDENTITY_LAYERS = ['Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise'];

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
      userDefinedMetadata: { gradscope: { format: MODEL_FILE_TAG, version: MODEL_VERSION, loss: model.loss } },
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
  if (json.format === 'graph-model' || (isObject(json.modelTopology) && Array.isArray(json.modelTopology.node))) {
    throw badModel('format', 'this is a tfjs graph model (a converted TensorFlow graph); gradscope reads tfjs layers models (tensorflowjs_converter --output_format tfjs_layers_model)');
  }
  const notes: string[] = [];
  const dense = readTopology(json, notes);
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
  const { loss, lossFrom } = readModelLoss(json, options, activations, notes);
  const imported: ImportNotes = { lossFrom, notes };
  const model: ModelData = { loss, sizes, activations, weights: [], biases: [], imported };
  checkArchitecture(model, 'modelTopology');

  const specs = readWeightSpecs(json);
  const bytes = weightData instanceof Uint8Array ? weightData : new Uint8Array(weightData);
  const needed = specs.reduce((n, spec) => n + spec.bytes, 0n);
  if (needed !== BigInt(bytes.length)) throw badModel('weights', `the manifest describes ${needed} bytes but ${bytes.length} were given`);
  const offsets = new Map<string, { at: number; spec: WeightSpec }>();
  let at = 0;
  for (const spec of specs) {
    offsets.set(spec.name, { at, spec });
    at += Number(spec.bytes); // exact: the total matched the bytes given
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (layer: DenseLayer, kind: 'kernel' | 'bias', shape: number[]): Float32Array => {
    const found = findWeight(offsets, layer.name, kind);
    if (!found) throw badModel(`weights`, `no "${layer.name}/${kind}" in the manifest`);
    if (found.spec.dtype !== 'float32') throw badModel(`weights ${found.spec.name}`, `dtype ${found.spec.dtype} should be float32`);
    if (found.spec.shape.join() !== shape.join()) {
      throw badModel(`weights ${found.spec.name}`, `shape [${found.spec.shape.join(', ')}] should be [${shape.join(', ')}]`);
    }
    const values = new Float32Array(Number(found.spec.size));
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

/**
 * The Dense layers of a Sequential topology, with Activation/LeakyReLU layers folded into them;
 * layers that are the identity at inference are skipped, with a line in `notes`.
 */
function readTopology(json: Record<string, unknown>, notes: string[]): DenseLayer[] {
  let topology = json.modelTopology;
  // Keras' converter wraps the model as { model_config: { class_name, config } }.
  if (isObject(topology) && isObject(topology.model_config)) topology = topology.model_config;
  if (!isObject(topology)) throw badModel('modelTopology', 'missing or not an object');
  if (topology.class_name !== 'Sequential') throw badModel('modelTopology.class_name', `only Sequential models are supported, got ${describeValue(topology.class_name)}`);
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
        if (typeof c.units !== 'number') throw badModel(`${where} (${name}).units`, `expected a number, got ${describeValue(c.units)}`);
        const activation = c.activation ?? 'linear';
        if (!TFJS_ACTIVATIONS.includes(activation as OutputActivation)) {
          throw badModel(`${where} (${name}).activation`, `${quoted(activation)} is not one of ${TFJS_ACTIVATIONS.join(', ')}`);
        }
        dense.push({
          name,
          units: c.units,
          activation: activation as OutputActivation,
          useBias: c.use_bias !== false,
          inputs: inputWidth(c, `${where} (${name})`) ?? (dense.length === 0 ? (declaredInputs ?? builtWidth(layer, `${where} (${name})`)) : undefined),
        });
        break;
      }
      case 'Activation':
      case 'LeakyReLU': {
        if (!previous || previous.activation !== 'linear') throw badModel(`${where} (${name})`, `${layer.class_name} must follow a Dense layer with activation 'linear'`);
        if (layer.class_name === 'LeakyReLU') {
          // Keras 2 and tfjs call the slope alpha, Keras 3 negative_slope; both default to 0.3.
          const field = c.negative_slope !== undefined ? 'negative_slope' : 'alpha';
          const slope = c[field] ?? 0.3;
          if (typeof slope !== 'number' || Math.abs(slope - LEAKY_RELU_SLOPE) > 1e-6) {
            throw badModel(`${where} (${name}).${field}`, `gradscope's leaky-relu has slope ${LEAKY_RELU_SLOPE}, got ${describeValue(slope)}`);
          }
          previous.activation = 'leaky-relu';
        } else {
          previous.activation = readActivation(c.activation, `${where} (${name}).activation`);
        }
        break;
      }
      default:
        if (INFERENCE_IDENTITY_LAYERS.includes(layer.class_name as string)) {
          notes.push(`skipped ${layer.class_name} layer '${name}': the identity at inference, so gradients are those of the network without it`);
          break;
        }
        throw badModel(`${where} (${name})`, `layer class ${quoted(layer.class_name)} is not supported (Dense, Activation, LeakyReLU, InputLayer, ${INFERENCE_IDENTITY_LAYERS.join(', ')})`);
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
    throw badModel(`${where}.batch_input_shape`, `expected [null, features], got ${describeValue(shape)}`);
  }
  return shape[1];
}

/** Keras 3's first Dense may record its input only in build_config.input_shape. */
function builtWidth(layer: Record<string, unknown>, where: string): number | undefined {
  const shape = isObject(layer.build_config) ? layer.build_config.input_shape : undefined;
  return shape === undefined ? undefined : inputWidth({ batch_input_shape: shape }, where);
}

/**
 * The loss and where it came from: gradscope's own metadata, else the caller's option, else the
 * Keras/tfjs training config (tfjs writes trainingConfig at the top level, Keras' converter
 * training_config inside modelTopology), else the default for the output, said in a note. A
 * training-config loss computed from logits (from_logits) moves the output's sigmoid or softmax
 * into the model: the gradients are the same, the outputs become probabilities.
 */
function readModelLoss(json: Record<string, unknown>, options: TfjsImportOptions, activations: OutputActivation[], notes: string[]): { loss: Loss; lossFrom: string } {
  const ours = isObject(json.userDefinedMetadata) && isObject(json.userDefinedMetadata.gradscope) ? json.userDefinedMetadata.gradscope.loss : undefined;
  if (ours !== undefined) return { loss: readLoss(ours, 'userDefinedMetadata.gradscope.loss'), lossFrom: 'userDefinedMetadata.gradscope.loss' };
  const topology = isObject(json.modelTopology) ? json.modelTopology : {};
  const [field, training] = (
    [
      ['trainingConfig', json.trainingConfig],
      ['training_config', json.training_config],
      ['modelTopology.training_config', topology.training_config],
    ] as const
  ).find(([, value]) => value !== undefined && value !== null) ?? ['', undefined];
  if (options.loss !== undefined) {
    const loss = readLoss(options.loss, 'loss option');
    if (training !== undefined) notes.push(`the loss option overrides ${field}.loss`);
    return { loss, lossFrom: 'the loss option' };
  }
  if (training !== undefined) return kerasLoss(training, `${field}.loss`, activations, notes);
  const output = activations[activations.length - 1];
  const loss: Loss = output === 'softmax' ? 'cross-entropy' : 'mse';
  return { loss, lossFrom: `no loss in the file: '${loss}', the default for a '${output}' output (pass { loss } if the model was trained with another)` };
}

/** A Keras loss (a name, or a serialised loss object with from_logits) as gradscope's. */
function kerasLoss(training: unknown, where: string, activations: OutputActivation[], notes: string[]): { loss: Loss; lossFrom: string } {
  let value = isObject(training) ? training.loss : undefined;
  // A model with one output may key its loss by the output's name.
  if (isObject(value) && value.class_name === undefined && Object.keys(value).length === 1) value = Object.values(value)[0];
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.class_name === 'string' ? value.class_name : undefined;
  const fromLogits = isObject(value) && isObject(value.config) && value.config.from_logits === true;
  const loss = name === undefined ? undefined : KERAS_LOSSES[name];
  if (loss === undefined) {
    throw badModel(where, `${quoted(name ?? value)} has no gradscope equivalent (${Object.keys(KERAS_LOSSES).filter((k) => k.includes('_') || k === 'mse').join(', ')}); pass { loss } (--loss) to choose one`);
  }
  if (name!.startsWith('sparse') || name!.startsWith('Sparse')) notes.push(`${name} is cross-entropy on class indices: give gradscope one-hot targets`);
  if (fromLogits) {
    const last = activations.length - 1;
    const output = LOSS_OUTPUT[loss];
    if (activations[last] !== 'linear' || output === null) throw badModel(where, `from_logits with a '${activations[last]}' output layer: expected 'linear' and a cross-entropy loss`);
    activations[last] = output;
    notes.push(`from_logits: the output layer's ${output} moved into the model (the same gradients; outputs are now probabilities)`);
  }
  return { loss, lossFrom: `${where} '${name}'` };
}

/** Bytes per element of the dtypes a shard may hold; optimizer state (e.g. int32 `iter`) rides along with the weights. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  size: bigint;
  bytes: bigint;
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
  else throw badModel('weightsManifest', 'missing: expected an array of { paths, weights }');
  return raw.map((spec, i) => {
    const where = `weightsManifest weight ${i}`;
    if (!isObject(spec) || typeof spec.name !== 'string') throw badModel(where, 'expected { name, shape, dtype }');
    const bytes = typeof spec.dtype === 'string' ? DTYPE_BYTES[spec.dtype] : undefined;
    if (bytes === undefined || spec.quantization !== undefined) {
      throw badModel(`${where} (${spec.name})`, `dtype ${quoted(spec.dtype)}${spec.quantization ? ' (quantized)' : ''} is not supported (${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw badModel(`${where} (${spec.name}).shape`, `expected non-negative integers, got ${describeValue(shape)}`);
    }
    // BigInt: a hostile shape's product must neither round nor print as 4e+24.
    const size = (shape as number[]).reduce((n, d) => n * BigInt(d), 1n);
    return { name: spec.name, shape: shape as number[], dtype: spec.dtype as string, size, bytes: BigInt(bytes) * size };
  });
}

/** tfjs names weights `<layer>/kernel`; Keras' converter may add scopes in front (`sequential/<layer>/kernel`). */
function findWeight<V>(offsets: Map<string, V>, layer: string, kind: string): V | undefined {
  const exact = offsets.get(`${layer}/${kind}`);
  if (exact) return exact;
  for (const [name, value] of offsets) if (name.endsWith(`/${layer}/${kind}`)) return value;
  return undefined;
}
