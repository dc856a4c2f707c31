/**
 * TensorFlow.js layers models (`model.json` + weight shards) of dense chains: Sequential stacks of
 * Dense layers (block networks are tfjs-blocks.ts'; the container is tfjs-format.ts).
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
import { checkKnownKeys, keysOf } from '../checks.js';
import { describeValue, quoted } from '../errors.js';
import { badModel, exportSource, checkArchitecture, checkSizes, denseAsBlockModel, readActivation, readLoss } from './model-data.js';
import type { BlockModelData } from '../layers/block-model.js';
import { isBlockModel } from '../network/block-model-check.js';
import { checkedBlockModelToTfjsLayers, isBlockTfjsModel, writeTfjsLayers } from './tfjs-blocks.js';
import { fileListItem } from '../layer-names.js';
import { checkAgrees, UnstatedImportOptions } from './import-options.js';
import { batchInputWidth, checkNotWholeTfjsModel, gradscopeMetadata, inputWidth, isObject, recordedMetadata, topologyLayers, transpose, weightReader, type TfjsLayersModel } from './tfjs-format.js';
import { chainFanIns, recordedInitialisation } from '../init/initialisation.js';
import { kerasInitialisation } from './keras-initializers.js';
import { counted } from '../counted.js';
import { andList } from '../list-text.js';
import { biasFreeChainAsBlocks } from '../network/bias-free-chain.js';
import { recordedTrainedOn } from '../trained-on.js';

export { TFJS_WEIGHTS_FILE, type TfjsLayersModel, type TfjsModelJson, type TfjsWeightSpec } from './tfjs-format.js';

/** What to assume when model.json does not say which loss the model was trained with. */
export interface TfjsImportOptions {
  /**
   * The loss the model was trained with. Wins over a Keras training config. Beside gradscope's own
   * metadata, which records the loss, it must be the one recorded (INVALID_OPTION naming both
   * otherwise). Default: gradscope's metadata's loss, else the training config's, else the loss createNetwork would
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

/**
 * The model as a tfjs layers model: model.json (as an object) and the weights.bin bytes; a block model as `blockModelToTfjsLayers`.
 * A model's PyTorch module record (`pytorchModule`: its tensors' names, logits, bias-free layers) is not written, tfjs naming
 * its weights its own way: `exportNotes(source, 'tfjs')` says so.
 */
export function toTfjsLayers(source: Network | ModelData | BlockModelData): TfjsLayersModel {
  const model = exportSource(source, 'toTfjsLayers');
  if (isBlockModel(model)) return checkedBlockModelToTfjsLayers(model);
  return writeTfjsLayers(denseAsBlockModel(model), { format: MODEL_FILE_TAG, version: MODEL_VERSION, loss: model.loss, ...recordedMetadata(model) });
}

interface DenseLayer {
  name: string;
  units: number;
  activation: OutputActivation;
  useBias: boolean;
  /** How refusals name it: its index in the file's layer list (Activation, InputLayer and skipped layers count too), its name. */
  where: string;
  /** Input width, when the layer (or an InputLayer before it) declares one. */
  inputs?: number;
  /** Its config's kernel_initializer and bias_initializer, as written (kerasInitialisation reads them). */
  kernelInitializer: unknown;
  biasInitializer: unknown;
}

/**
 * Reads a tfjs layers model: `modelJson` is model.json (object or text); `weightData` is every
 * shard of its weightsManifest, concatenated in manifest order (for one shard: weights.bin).
 * Also takes tfjs ModelArtifacts' `weightSpecs` in place of `weightsManifest`. A Dense layer with
 * `use_bias: false` makes a block network, which this reader of dense chains refuses (BAD_MODEL_FILE)
 * before reading the weights, naming blockModelFromTfjsLayers, which reads it (as readModelFile does).
 */
export function fromTfjsLayers(modelJson: unknown, weightData: Uint8Array | ArrayBuffer, options: TfjsImportOptions = {}): ModelData {
  const read = tfjsLayersReader(modelJson, options);
  if (read.biasFree.length > 0) {
    const named = andList(read.biasFree.map((layer) => `Dense layer ${quoted(layer)}`));
    throw badModel('modelTopology', `${named} ${read.biasFree.length === 1 ? 'has' : 'have'} no bias (use_bias: false): a dense layer without a bias makes a block network, which this reader of dense chains does not return; blockModelFromTfjsLayers(modelJson, weightData) reads it as one, as readModelFile does`);
  }
  return read(weightData) as ModelData;
}

/** tfjsLayersReader's reading: the weights' reader, and the names of the Dense layers without a bias (use_bias: false), none for a dense chain. */
export type TfjsChainReader = ((weightData: Uint8Array | ArrayBuffer) => ModelData | BlockModelData) & { biasFree: readonly string[] };

/**
 * fromTfjsLayers in two steps: model.json checked now (every refusal of its topology, loss and
 * metadata), the weights read when given: a dense chain, or where a Dense layer has no bias
 * (use_bias: false) the block network it is (dense layers, those with `bias: false`), noted.
 * readTfjsLayersFile checks the shard files between the two, so a file refused for both still
 * names its topology first, as fromTfjsLayers does.
 */
export function tfjsLayersReader(modelJson: unknown, options: TfjsImportOptions = {}): TfjsChainReader {
  checkKnownKeys(options, keysOf<TfjsImportOptions>({ loss: true }), 'fromTfjsLayers');
  checkNotWholeTfjsModel(modelJson, 'fromTfjsLayers');
  const json = parseModelJson(modelJson, 'model.json');
  if (isBlockTfjsModel(json)) throw badModel('userDefinedMetadata.gradscope', 'a block network (version 2, with "layers"): read it with blockModelFromTfjsLayers');
  if (json.format === 'graph-model' || (isObject(json.modelTopology) && Array.isArray(json.modelTopology.node))) {
    throw badModel('format', 'this is a tfjs graph model (a converted TensorFlow graph); gradscope reads tfjs layers models (tensorflowjs_converter --output_format tfjs_layers_model)');
  }
  const notes: string[] = [];
  const dense = readTopology(json, notes);
  const inputs = dense[0].inputs;
  if (inputs === undefined) throw badModel('modelTopology', 'the first layer declares no input shape (batch_input_shape)');
  const sizes = [inputs, ...dense.map((layer) => layer.units)];
  // Each layer's units from its own field; the inputs from the first Dense layer's input shape (its own, an InputLayer's or build_config's).
  checkSizes(sizes, 'modelTopology', (l) => (l === 0 ? `${dense[0].where}: inputs` : `${dense[l - 1].where}.config.units`));
  dense.forEach((layer, l) => {
    if (layer.inputs !== undefined && layer.inputs !== sizes[l]) {
      throw badModel(layer.where, `declares ${layer.inputs} inputs but the previous layer has ${counted(sizes[l], 'unit')}`);
    }
  });
  const activations = dense.map((layer) => layer.activation);
  const { loss, lossFrom } = readModelLoss(json, options, activations, notes);
  const imported: ImportNotes = { lossFrom, notes };
  const gradscope = gradscopeMetadata(json);
  // A file gradscope wrote: its own record (or none). Another's: what its layers' initialisers say, where gradscope has theirs.
  const initialisation =
    Object.keys(gradscope).length > 0
      ? recordedInitialisation(gradscope, 'userDefinedMetadata.gradscope.initialisation', badModel, chainFanIns(sizes))
      : kerasInitialisation(dense.map((layer) => ({ name: layer.name, kernel: layer.kernelInitializer, bias: layer.biasInitializer })), json.generatedBy, notes);
  const recorded = { ...initialisation, ...recordedTrainedOn(gradscope, 'userDefinedMetadata.gradscope.trainedOn', badModel) };
  const model: ModelData = { loss, sizes, activations, weights: [], biases: [], imported, ...recorded }; // the weights: read below, once given
  checkArchitecture(model, 'modelTopology', (l) => dense[l].where);

  const biasFree = dense.flatMap((layer, l) => (layer.useBias ? [] : [l]));
  const reader = (weightData: Uint8Array | ArrayBuffer) => {
    const read = weightReader(json, weightData);
    const weights: Float32Array[] = [];
    const biases: Float32Array[] = [];
    dense.forEach((layer, l) => {
      weights.push(transpose(read(layer.name, 'kernel', [sizes[l], sizes[l + 1]], true), sizes[l], sizes[l + 1]));
      // A layer without a bias: zeros, which biasFreeChainAsBlocks takes as no bias tensor at all.
      biases.push(layer.useBias ? read(layer.name, 'bias', [sizes[l + 1]], true) : new Float32Array(sizes[l + 1]));
    });
    const chain = { ...model, weights, biases };
    return biasFree.length === 0 ? chain : biasFreeChainAsBlocks(chain, biasFree, badModel, (l) => `${dense[l].where}.bias`);
  };
  return Object.assign(reader, { biasFree: biasFree.map((l) => dense[l].name) });
}

/**
 * The Dense layers of a Sequential topology, with Activation/LeakyReLU layers folded into them;
 * layers that are the identity at inference are skipped, with a line in `notes`.
 */
function readTopology(json: Record<string, unknown>, notes: string[]): DenseLayer[] {
  const { layers, list } = topologyLayers(json);

  const dense: DenseLayer[] = [];
  let declaredInputs: number | undefined;
  layers.forEach((layer: unknown, i) => {
    if (!isObject(layer) || !isObject(layer.config)) throw badModel(fileListItem(list, i), 'expected { class_name, config }');
    const c = layer.config;
    const where = fileListItem(list, i, typeof c.name === 'string' ? c.name : undefined);
    // A field of the layer's, named where model.json keeps it: under its config (edges52 named them after the layer).
    const field = (name: string) => `${where}.config.${name}`;
    const name = typeof c.name === 'string' ? c.name : `#${i}`;
    const previous = dense[dense.length - 1];
    switch (layer.class_name) {
      case 'InputLayer':
        declaredInputs = batchInputWidth(c, `${where}.config`);
        break;
      case 'Dense': {
        if (typeof c.units !== 'number') throw badModel(field('units'), `expected a number, got ${describeValue(c.units)}`);
        const activation = c.activation ?? 'linear';
        if (!TFJS_ACTIVATIONS.includes(activation as OutputActivation)) {
          throw badModel(field('activation'), `${quoted(activation)} is not one of ${TFJS_ACTIVATIONS.join(', ')}`);
        }
        dense.push({
          name,
          where,
          units: c.units,
          activation: activation as OutputActivation,
          useBias: c.use_bias !== false,
          kernelInitializer: c.kernel_initializer,
          biasInitializer: c.bias_initializer,
          inputs: batchInputWidth(c, `${where}.config`) ?? (dense.length === 0 ? (declaredInputs ?? builtWidth(layer, where)) : undefined),
        });
        if (c.use_bias === false) {
          notes.push(`Dense layer '${name}' (layers[${dense.length - 1}]) has no bias (use_bias: false): read as a dense layer without a bias, a block network, and written back to tfjs with use_bias: false`);
        }
        break;
      }
      case 'Activation':
      case 'LeakyReLU': {
        if (!previous || previous.activation !== 'linear') throw badModel(where, `${layer.class_name} must follow a Dense layer with activation 'linear'`);
        if (layer.class_name === 'LeakyReLU') {
          // Keras 2 and tfjs call the slope alpha, Keras 3 negative_slope; both default to 0.3.
          const key = c.negative_slope !== undefined ? 'negative_slope' : 'alpha';
          const slope = c[key] ?? 0.3;
          if (typeof slope !== 'number' || Math.abs(slope - LEAKY_RELU_SLOPE) > 1e-6) {
            throw badModel(field(key), `gradscope's leaky-relu has slope ${LEAKY_RELU_SLOPE}, got ${describeValue(slope)}`);
          }
          previous.activation = 'leaky-relu';
        } else {
          previous.activation = readActivation(c.activation, field('activation'));
        }
        break;
      }
      default:
        if (INFERENCE_IDENTITY_LAYERS.includes(layer.class_name as string)) {
          notes.push(`skipped ${layer.class_name} layer '${name}': the identity at inference, so gradients are those of the network without it`);
          break;
        }
        throw badModel(where, `layer class ${quoted(layer.class_name)} is not supported (Dense, Activation, LeakyReLU, InputLayer, ${INFERENCE_IDENTITY_LAYERS.join(', ')})`);
    }
  });
  if (dense.length === 0) throw badModel('modelTopology', 'no Dense layers');
  return dense;
}

/** Keras 3's first Dense may record its input only in build_config.input_shape. */
function builtWidth(layer: Record<string, unknown>, where: string): number | undefined {
  const shape = isObject(layer.build_config) ? layer.build_config.input_shape : undefined;
  return shape === undefined ? undefined : inputWidth(shape, `${where}.build_config.input_shape`);
}

/**
 * The loss and where it came from: gradscope's own metadata, else the caller's option, else the
 * Keras/tfjs training config (tfjs writes trainingConfig at the top level, Keras' converter
 * training_config inside modelTopology), else the default for the output, said in a note. A
 * training-config loss computed from logits (from_logits) moves the output's sigmoid or softmax
 * into the model: the gradients are the same, the outputs become probabilities.
 */
function readModelLoss(json: Record<string, unknown>, options: TfjsImportOptions, activations: OutputActivation[], notes: string[]): { loss: Loss; lossFrom: string } {
  const ours = gradscopeMetadata(json).loss;
  if (ours !== undefined) {
    const loss = readLoss(ours, 'userDefinedMetadata.gradscope.loss');
    // Taken where it agrees, refused where it contradicts the file's own record: never ignored unsaid (import-options.ts).
    checkAgrees('loss', options.loss, 'userDefinedMetadata.gradscope.loss', loss);
    return { loss, lossFrom: 'userDefinedMetadata.gradscope.loss' };
  }
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
    const known = Object.keys(KERAS_LOSSES).filter((k) => k.includes('_') || k === 'mse');
    throw new UnstatedImportOptions(where, `${quoted(name ?? value)} has no gradscope equivalent (${known.join(', ')})`, ['loss'], 'to choose one');
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

