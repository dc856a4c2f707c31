/**
 * The bridge between a Network and its in-memory ModelData, and the checks every converter runs on
 * an architecture it read from a foreign file, so all formats report errors the same way.
 */
import { GradscopeError, invalidOption } from '../errors.js';
import type { Loss, OutputActivation } from '../kernels.js';
import { checkActivation, checkObjectArgument, checkUnits } from '../checks.js';
import { checkLoss, checkLossPairing, checkOutputUnits, HIDDEN_SOFTMAX } from '../network/config.js';
import { fileLayer } from '../layer-names.js';
import { checkedModelData, type ModelData } from '../network/model-file.js';
import { checkModelLimits } from '../model-limits.js';
import { checkLoadOptions, checkNetwork, Network, networkOfData, type LoadOptions } from '../api/network.js';
import type { BlockModelData } from '../layers/block-model.js';
import { checkBlockModel, isBlockModel } from '../network/block-model-check.js';
import { denseTensorName, MODEL } from '../model.js';
import type { Initialisation } from '../init/initialisation.js';
import type { TrainedOn } from '../trained-on.js';

/** A BAD_MODEL_FILE error: `where` names the file part (tensor, field, layer) at fault. */
export function badModel(where: string, message: string): GradscopeError {
  return new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);
}

/** Runs a config check and turns its INVALID_OPTION into BAD_MODEL_FILE at `where`. */
export function asModelError<R>(where: string, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError && error.code !== 'BAD_MODEL_FILE') throw badModel(where, error.message);
    throw error;
  }
}

export function readLoss(value: unknown, where: string): Loss {
  return asModelError(where, () => checkLoss(value, 'loss'));
}

export function readActivation(value: unknown, where: string): OutputActivation {
  return asModelError(where, () => checkActivation(value, 'activation'));
}

/**
 * Checks layer sizes against the limits before any weights are allocated, so a hostile header
 * cannot ask for unbounded memory. `sizes` is input first; `sizeAt` names sizes[l] where the file
 * holds it (default: the file's own sizes list, 'header.sizes[1]'; a reader whose file has no such
 * list names the layer and field it read the size from, 'modelTopology.config.layers[2] (dense_2).config.units').
 */
export function checkSizes(sizes: readonly number[], where: string, sizeAt = (l: number) => `${where}.sizes[${l}]`): void {
  if (sizes.length < 2) throw badModel(where, 'no dense layers found');
  checkModelLimits(Array<number>(sizes.length).fill(0), where, badModel); // the depth, before reading each size
  for (let l = 0; l < sizes.length; l++) {
    try {
      checkUnits(sizes[l], sizeAt(l));
    } catch (error) {
      if (error instanceof GradscopeError) throw new GradscopeError('BAD_MODEL_FILE', error.message);
      throw error;
    }
  }
  checkModelLimits(sizes, where, badModel);
}

/**
 * The whole architecture: sizes, one activation per layer, and the loss that fits the output.
 * `layerAt` names dense layer l as the file holds it (default: `where: layers[l]`, fileLayer).
 */
export function checkArchitecture(model: Pick<ModelData, 'loss' | 'sizes' | 'activations'>, where: string, layerAt = (l: number) => `${where}: ${fileLayer(l)}`): void {
  checkSizes(model.sizes, where);
  if (model.activations.length !== model.sizes.length - 1) {
    throw badModel(where, `${model.activations.length} activations for ${model.sizes.length - 1} layers`);
  }
  const last = model.activations.length - 1;
  for (let l = 0; l < last; l++) if (model.activations[l] === 'softmax') throw badModel(layerAt(l), HIDDEN_SOFTMAX);
  checkOutputUnits(model.activations[last], model.sizes[last + 1], layerAt(last), badModel);
  asModelError(where, () => checkLossPairing(model.loss, model.activations));
}

/** A copy of a network's architecture, parameters (float32, weights `[units][inputs]`), initialisation, training rows and PyTorch module record (net.pytorchModule; each where it knows it); a block network is refused (INVALID_OPTION: use blockModelOf). */
export function modelOf(net: Network): ModelData {
  checkNetwork(net, 'modelOf');
  net.assertSaveable('save or export');
  if (net.kind === 'blocks') throw invalidOption('modelOf: a network built from layer specs is not a chain of dense layers; use blockModelOf(net)');
  // The engine's kernels, unchecked, as the network's own reads: net.kernels checks every call for users.
  const k = net[MODEL].kernels;
  return {
    loss: net.loss,
    sizes: [...net.sizes],
    activations: [...net.activationFunctions],
    weights: net.weights.map((w) => Float32Array.from(k.view(w))),
    biases: net.biases.map((b) => Float32Array.from(k.view(b))),
    ...recorded(net),
    ...(net.pytorchModule && { pytorchModule: net.pytorchModule }),
  };
}

/**
 * A copy of any network as BlockModelData: its layer specs (a dense network's as dense specs),
 * every parameter and state buffer by PyTorch state_dict name, in that order (float32 copies), and
 * its initialisation and training rows (net.trainedOn) where it knows them.
 * What the exporters, model files and checkpoints of block networks take.
 */
export function blockModelOf(net: Network): BlockModelData {
  checkNetwork(net, 'blockModelOf');
  net.assertSaveable('save or export');
  return { kind: 'blocks', loss: net.loss, inputs: net.inputSize, layers: structuredClone([...net.layers]), tensors: net.state(), ...recorded(net), ...(net.pytorchModule && { pytorchModule: net.pytorchModule }) };
}

/**
 * `{ initialisation, trainedOn }` of what a network records (how it was initialised, the rows that trained it), each field
 * only where it knows it (no field: a model that records none).
 */
function recorded(net: Network): { initialisation?: Initialisation; trainedOn?: TrainedOn } {
  const { initialisation, trainedOn } = net;
  return { ...(initialisation && { initialisation }), ...(trainedOn && { trainedOn }) };
}

/**
 * Refuses a Network where its data goes (INVALID_OPTION): a dense one's `kind` ('dense') was read as a block model's and
 * said "BAD_MODEL_FILE: model.kind: expected 'blocks'".
 */
function refuseNetwork(model: unknown, who: string): void {
  if (model instanceof Network) {
    throw invalidOption(`${who}: expected ModelData or BlockModelData, got a Network: modelOf(net) (blockModelOf for a block network) gives its data, and Network.fromJSON(net.toJSON()) copies it`);
  }
}

/** A network holding `model`'s layers, parameters and state buffers on the chosen backend (default 'wasm'); BAD_MODEL_FILE naming the first bad field. */
export async function networkFromBlockModel(model: BlockModelData, options: LoadOptions = {}): Promise<Network> {
  checkObjectArgument(model, 'networkFromBlockModel', 'BlockModelData (from blockModelOf or a reader)');
  refuseNetwork(model, 'networkFromBlockModel');
  checkLoadOptions(options, 'networkFromBlockModel');
  return networkOfData(checkBlockModel(model, 'model', badModel).model, options);
}

/** A network holding `model`'s parameters (and a block model's state buffers) on the chosen backend (default 'wasm'); BAD_MODEL_FILE naming the first bad field. */
export async function networkFromModel(model: ModelData | BlockModelData, options: LoadOptions = {}): Promise<Network> {
  checkObjectArgument(model, 'networkFromModel', 'ModelData or BlockModelData (from modelOf, blockModelOf or a reader)');
  refuseNetwork(model, 'networkFromModel');
  checkLoadOptions(options, 'networkFromModel');
  if ('kind' in model) return networkFromBlockModel(model, options);
  return networkOfData(checkedModelData(model, 'model', badModel), options);
}

/** The model of either a Network or ModelData, checked and copied (checkedModelData), so every exporter takes both; refuses (INVALID_OPTION) what no format could read back. */
export function asModelData(source: Network | ModelData): ModelData {
  return source instanceof Network ? checkedModelData(modelOf(source), 'net') : checkedModelData(source, 'model');
}

/**
 * What an exporter writes: the checked copy (checkBlockModel, checkedModelData) of a network's
 * BlockModelData or ModelData, or of the data given.
 */
export function exportSource(source: Network | ModelData | BlockModelData, who: string): ModelData | BlockModelData {
  checkObjectArgument(source, who, 'a network, ModelData or BlockModelData');
  // A Network has a `kind` too: ask it first.
  if (source instanceof Network) return source.kind === 'blocks' ? checkBlockModel(blockModelOf(source)).model : asModelData(source);
  return isBlockModel(source) ? checkBlockModel(source).model : asModelData(source);
}

/** A dense chain as a block model: one dense spec per layer, its tensors under their PyTorch names (the values shared, not copied), its initialisation and training rows as recorded. */
export function denseAsBlockModel(model: ModelData): BlockModelData {
  return {
    kind: 'blocks',
    loss: model.loss,
    inputs: model.sizes[0],
    layers: model.activations.map((activation, l) => ({ type: 'dense', units: model.sizes[l + 1], activation })),
    tensors: model.activations.flatMap((_, l) => [
      { name: denseTensorName(l, 'weight'), shape: [model.sizes[l + 1], model.sizes[l]], dtype: 'float', values: model.weights[l] },
      { name: denseTensorName(l, 'bias'), shape: [model.sizes[l + 1]], dtype: 'float', values: model.biases[l] },
    ]),
    ...(model.initialisation && { initialisation: model.initialisation }),
    ...(model.trainedOn && { trainedOn: model.trainedOn }),
  };
}
