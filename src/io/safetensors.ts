/**
 * safetensors (https://github.com/huggingface/safetensors; the container is safetensors-format.ts)
 * with PyTorch nn.Sequential naming, so a PyTorch MLP's state_dict comes here for a gradient-flow
 * diagnosis and goes back unchanged. This module holds dense chains (ModelData); block networks
 * (BlockModelData) are safetensors-blocks.ts', which `toSafetensors` hands them to.
 *
 * Linear layers sit at Sequential indices 0, 2, 4, … with one activation module between each pair
 * (nn.Identity for 'linear'), so `nn.Sequential(...).load_state_dict(load_file(path))` works; a model
 * imported under other names (ModelData.pytorchModule: `hidden.0 … out`, `0, 3, 6`) is written under
 * them, with the module expression they make (pytorchDenseExpression). The
 * architecture gradscope needs (activations, loss) lives in `__metadata__`. Bytes in, bytes out:
 * this module works in browsers too.
 *
 * Reading takes any state dict of dense layers, `<layer>.weight` [out, in] and `<layer>.bias`,
 * ordered by the caller's `layers` option, else by the numbers in the layer names when the names
 * differ only in them (`fc1, fc2`, `layers.0, layers.2`, `0.0, 1.0`), else by the one order in
 * which the shapes chain (keeping names alike but for their numbers in their numbers' order,
 * `hidden.0 … hidden.10, out`, where one such order chains); an ambiguous file is refused, saying why. Metadata another tool wrote
 * (`{ "format": "pt" }`) is ignored; gradscope's own wins over the caller's options.
 */
import { checkKnownKeys, keysOf } from '../checks.js';
import { GradscopeError, shown } from '../errors.js';
import { shapeText } from '../shape-text.js';
import { checkActivationOptions, checkAgrees, ClashingImportOptions, MistakenImportOption, optionsToPass, refuseHiddenActivation, UnreadImportOption, UnstatedImportOptions, type ImportOptionName } from './import-options.js';
import type { Activation, Loss, OutputActivation } from '../kernels.js';
import { MODEL_FILE_TAG, MODEL_VERSION, type ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { badModel, exportSource, checkArchitecture, checkSizes, denseAsBlockModel, readActivation, readLoss } from './model-data.js';
import type { BlockModelData } from '../layers/block-model.js';
import type { DenseSpec, LayerSpec } from '../layers/spec.js';
import { pytorchBlockExpression, pytorchDenseExpression } from './pytorch-module.js';
import { architectureOfPytorch, isResidualTensor, someModuleNames } from './pytorch-import.js';
import {
  BLOCK_FILE_RECORDS,
  checkedBlockModelToSafetensors,
  gradscopeMetadata,
  isBlockFile,
  listNames,
  logitsExportNote,
  logitsReading,
  pytorchRefusal,
  readBlockSafetensors,
  recordedModule,
  tensorsToWrite,
  type BlockSafetensorsOptions,
  type ReadBlockSafetensors,
} from './safetensors-blocks.js';
import { isBlockModel } from '../network/block-model-check.js';
import { checkLossPairing } from '../network/config.js';
import { decodeFloats, encodeSafetensors, f64Note, parseSafetensors, type TensorEntry } from './safetensors-format.js';
import { chainFanIns, initialisationText, recordedInitialisationText, type Initialisation } from '../init/initialisation.js';
import { counted } from '../counted.js';
import { recordedTrainedOnText, trainedOnText, type TrainedOn } from '../trained-on.js';
import { fileLayer } from '../layer-names.js';
import { andList } from '../list-text.js';
import { denseTensorName } from '../model.js';
import { checkLayerNames, layerTensorName, pytorchModuleText, readPytorchModule, withoutLegacyBiasFree, type PytorchModule } from '../pytorch-record.js';
import { biasFreeChainAsBlocks } from '../network/bias-free-chain.js';
import { parsedJsonText } from '../json-syntax.js';

/**
 * Architecture to assume when a file has no gradscope metadata (e.g. a plain PyTorch state_dict).
 * Beside gradscope's own metadata an option must agree with what it records (ContradictedImportOption
 * otherwise): the metadata is the model's record, never overridden.
 */
export interface SafetensorsImportOptions {
  /**
   * Activation of every hidden layer. Default: what `__metadata__.activations` records; a file
   * without them needs it (with more than one layer). Refused for a one-layer model, which has no
   * hidden layer.
   */
  activation?: Activation;
  /** Activation of the output layer. Default: what `__metadata__.activations` records; a file without them needs it. */
  output?: OutputActivation;
  /** The loss the model was trained on. Default: `__metadata__.loss`; a file without it needs it. */
  loss?: Loss;
  /**
   * The dense layers' names in order, input first (`['fc1', 'fc2', 'head']`: the tensors
   * `fc1.weight`, `fc1.bias`, …). Default: the order their names' numbers or their shapes give.
   */
  layers?: readonly string[];
}

/**
 * A model as safetensors bytes. A dense chain: float32 tensors `<2l>.weight` `[out, in]` and
 * `<2l>.bias` `[out]`; `__metadata__` holds format, version, loss, activations (comma-separated),
 * the PyTorch Sequential that matches and, where the model records them, its initialisation (the
 * JSON text of `{ init, biasInit, lsuv? }`) and the rows that trained it (trainedOn, the JSON text of
 * `{ data, rows }`). A block model: its state_dict, as `blockModelToSafetensors`. The Sequential ends
 * in gradscope's output module: `nn.Softmax(dim=-1)` for a softmax output with cross-entropy, which a
 * module trained with nn.CrossEntropyLoss (logits) leaves out (convert says so). The tensors are
 * named by their Sequential indices, or by the names of the module an imported model was read from
 * (`pytorchModule.layerNames`: `hidden.0.weight`, …, `out.bias`; recorded in `__metadata__.pytorchModule`,
 * the JSON text of the record), and the Sequential is then the module they make (OrderedDict for named
 * modules; no `pytorch` key where no nn.Sequential makes them: safetensorsExportNotes says why). A
 * model that keeps that its module ends in logits (`pytorchModule.logits`) is written without the output module.
 * What the file does not say (no module expression, or one ending in an output module a logits loss applies): `exportNotes(source, 'safetensors')`.
 */
export function toSafetensors(source: Network | ModelData | BlockModelData): Uint8Array {
  const model = exportSource(source, 'toSafetensors');
  if (isBlockModel(model)) return checkedBlockModelToSafetensors(model);
  const { pytorchModule } = model;
  const module = pytorchDenseExpression(model.sizes, model.activations, pytorchModule);
  const metadata = {
    format: MODEL_FILE_TAG,
    version: String(MODEL_VERSION),
    loss: model.loss,
    activations: model.activations.join(','),
    ...('expression' in module && { pytorch: module.expression }),
    ...(pytorchModule && { pytorchModule: pytorchModuleText(pytorchModule) }),
    ...(model.initialisation && { initialisation: initialisationText(model.initialisation) }),
    ...(model.trainedOn && { trainedOn: trainedOnText(model.trainedOn) }),
  };
  // Each tensor under the name of the module that saved it, where the model keeps one (net.pytorchModule).
  const tensors = denseAsBlockModel(model).tensors.map((t, i) => ({ ...t, name: layerTensorName(pytorchModule, i >> 1, i % 2 === 0 ? 'weight' : 'bias') }));
  return encodeSafetensors(metadata, tensorsToWrite(tensors));
}

/**
 * What `gradscope convert` says of a dense chain written to safetensors (toSafetensors) that the file does not: why it has no
 * `__metadata__.pytorch` (pytorchDenseExpression's why), and that the expression ends in the output module a PyTorch logits loss
 * applies itself (logitsExportNote), unless the model keeps that its module ends in logits (then the expression leaves it out).
 */
export function safetensorsExportNotes(model: ModelData): string[] {
  const module = pytorchDenseExpression(model.sizes, model.activations, model.pytorchModule);
  if ('why' in module) {
    return [`__metadata__ has no "pytorch" module expression: ${module.why}; the tensors keep the names of the module that saved them (${model.pytorchModule!.layerNames!.join(', ')}), which loads them`];
  }
  const logits = model.pytorchModule?.logits ? undefined : logitsExportNote(model.loss, model.activations[model.activations.length - 1]);
  return logits === undefined ? [] : [logits];
}

/**
 * Reads and checks safetensors bytes (see the module comment); `options` fill in missing metadata. A layer saved without a bias
 * (its `.weight` and no `.bias`: nn.Linear(bias=False)) makes a block network, which this reader of dense chains refuses
 * (BAD_MODEL_FILE) giving the blockModelFromSafetensors call that reads it (readModelFile and convert read it as one).
 */
export function fromSafetensors(bytes: Uint8Array | ArrayBuffer, options: SafetensorsImportOptions = {}): ModelData {
  const model = readDenseSafetensors(bytes, options);
  if (!('kind' in model)) return model;
  const free = model.layers.flatMap((spec, l) => (spec.type === 'dense' && spec.bias === false ? [l] : []));
  const names = model.pytorchModule?.tensorNames;
  const named = andList(free.map((l) => fileLayer(l, '', names ? names[model.tensors.findIndex((t) => t.name === denseTensorName(l, 'weight'))] : denseTensorName(l, 'weight'))));
  const module = pytorchBlockExpression(model.layers, model.inputs, model.pytorchModule);
  const { metadata } = parseSafetensors(bytes);
  const call =
    'expression' in module && pytorchRefusal(metadata) === undefined
      ? `blockModelFromSafetensors(bytes, { pytorch: ${JSON.stringify(module.expression)}, loss: '${model.loss}' }) (--pytorch), or readModelFile`
      : 'readModelFile (gradscope/node) or gradscope convert';
  throw badModel('safetensors', `${named} ${free.length === 1 ? 'has' : 'have'} no .bias tensor (nn.Linear(bias=False)): a dense layer without a bias makes a block network, which this reader of dense chains does not return; ${call} reads it as one`);
}

/**
 * fromSafetensors' reading: a dense chain, or where a layer has a `.weight` and no `.bias` (nn.Linear(bias=False)), the block network
 * it is (dense layers, those with `bias: false`), noted: what readSafetensors (readModelFile, convert) gives.
 */
function readDenseSafetensors(bytes: Uint8Array | ArrayBuffer, options: SafetensorsImportOptions): ModelData | BlockModelData {
  checkKnownKeys(options, keysOf<SafetensorsImportOptions>({ activation: true, output: true, loss: true, layers: true }), 'fromSafetensors');
  const file = parseSafetensors(bytes);
  const { metadata, entries } = file;
  if (isBlockFile(metadata)) throw badModel('safetensors', 'holds a block network (__metadata__ with "layers"): read it with blockModelFromSafetensors');
  const module = recordedModule(metadata);
  if (module !== undefined) return recordedDenseChain(bytes, module, options);
  refuseResidual(entries, metadata, options);
  const notes: string[] = [];
  const grouped = groupLayers(entries);
  if (grouped.length === 0) throw badModel('safetensors', 'holds no tensors: expected dense layers ("0.weight", "0.bias", …)');
  // gradscope's record of the module (JSON text), parsed once: its layerNames order the layers, and it is checked whole once the model is read.
  const recordedText = gradscopeMetadata(metadata).pytorchModule;
  const written: unknown = recordedText === undefined ? undefined : parsedJsonText(recordedText, PYTORCH_MODULE_KEY, badModel);
  // A record written before session 53 lists the layers saved without a bias (biasFree), which the file's tensors must show.
  const { record, biasFree: recordedFree } = withoutLegacyBiasFree(written, grouped.length, PYTORCH_MODULE_KEY, badModel);
  const recordedNames = recordedLayerNames(record, grouped, options);
  const layers = recordedNames ?? orderLayers(grouped, options, metadata, notes);
  const sizes = [layers[0].weight.shape[1], ...layers.map((layer) => layer.weight.shape[0])];
  layers.forEach((layer, l) => {
    const [out, inputs] = layer.weight.shape;
    if (inputs !== sizes[l]) {
      throw badModel(layer.weight.name, `shape ${shapeText([out, inputs])} takes ${inputs} inputs but the previous layer has ${counted(sizes[l], 'output')}`);
    }
    if (layer.bias && (layer.bias.shape.length !== 1 || layer.bias.shape[0] !== out)) {
      throw badModel(layer.bias.name, `shape ${shapeText(layer.bias.shape)} should be ${shapeText([out])} to match ${layer.weight.name}`);
    }
  });
  // Each size is read from a weight tensor's shape: the first one's inputs, then each one's units.
  checkSizes(sizes, 'safetensors', (l) => (l === 0 ? `safetensors: ${fileLayer(0, '', layers[0].weight.name)}: inputs` : `safetensors: ${fileLayer(l - 1, '', layers[l - 1].weight.name)}: units`));

  const { lossFrom, ...architecture } = readArchitecture(metadata, layers, sizes, options, notes);
  const model: ModelData = { ...architecture, sizes, weights: [], biases: [], imported: { lossFrom, notes } };
  if (gradscopeMetadata(metadata).activations === undefined) checkOutputOption(model, lossFrom);
  checkArchitecture(model, 'safetensors __metadata__', (l) => `safetensors __metadata__: ${fileLayer(l, '', layers[l].weight.name)}`);
  // gradscope's record of the module, checked whole, else the file's own names where they are not nn.Sequential's.
  const kept = written !== undefined ? keptRecord(readPytorchModule(record ?? {}, model, PYTORCH_MODULE_KEY, badModel)) : keptLayerNames(layers.map((layer) => layer.name), notes);
  // The layers saved without a bias (nn.Linear(bias=False)), which an old record must name as the file holds them.
  const biasFree = layers.flatMap((layer, l) => (layer.bias ? [] : [l]));
  if (written !== undefined && recordedFree.join() !== biasFree.join()) {
    throw badModel(`${PYTORCH_MODULE_KEY}.biasFree`, `records the layers without a bias as [${recordedFree.join(', ')}], but the file holds no .bias tensor for [${biasFree.join(', ')}]`);
  }
  if (written === undefined && biasFree.length > 0) {
    const named = andList(biasFree.map((l) => fileLayer(l, '', layers[l].weight.name)));
    notes.push(`${named} ${biasFree.length === 1 ? 'has' : 'have'} no bias (nn.Linear(bias=False)): read as a dense layer without a bias, a block network, and written back to safetensors without a .bias tensor`);
  }
  layers.forEach((layer, l) => {
    model.weights.push(decodeFloats(file, layer.weight, true));
    model.biases.push(layer.bias ? decodeFloats(file, layer.bias, true) : new Float32Array(sizes[l + 1]));
  });
  notes.push(...f64Note(entries));
  const chain = { ...model, ...kept };
  return biasFree.length === 0 ? chain : biasFreeChainAsBlocks(chain, biasFree, badModel, (l) => `${fileLayer(l, '', layers[l].weight.name)} bias`);
}

/** Where a safetensors file gradscope wrote keeps its module record (pytorchModuleText's JSON text). */
const PYTORCH_MODULE_KEY = '__metadata__.pytorchModule';

/** `{ pytorchModule }` of a checked record, or `{}` where it keeps nothing. */
const keptRecord = (module: PytorchModule | undefined): { pytorchModule?: PytorchModule } => (module ? { pytorchModule: module } : {});

/**
 * The dense layers in the order `__metadata__.pytorchModule`'s layerNames (gradscope's record, `record`, parsed) gives, or undefined where the
 * file has no such record. Checked (checkLayerNames) against the file's layers, each named once; a layers option beside it is refused,
 * as the record orders the layers (a file gradscope wrote from `hidden.0 … out` or `fc1, fc2` reads back in its order, whatever the shapes).
 */
function recordedLayerNames(record: unknown, layers: readonly LayerEntries[], options: SafetensorsImportOptions): LayerEntries[] | undefined {
  const where = PYTORCH_MODULE_KEY;
  const names = typeof record === 'object' && record !== null ? (record as { layerNames?: unknown }).layerNames : undefined;
  if (names === undefined) return undefined; // the record's other faults are its reader's (readPytorchModule)
  if (options.layers !== undefined) throw new UnreadImportOption('layers', `${where}.layerNames records the dense layers' order`);
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  return checkLayerNames(names, layers.length, `${where}.layerNames`, badModel).map((name, l) => {
    const layer = byName.get(name);
    if (layer === undefined) throw badModel(`${where}.layerNames[${l}]`, `${shown(name)} is no dense layer of the file (it has ${listNames(layers.map((other) => other.name))})`);
    return layer;
  });
}

/**
 * `{ pytorchModule: { layerNames } }` of an import whose dense layers are not named as nn.Sequential's 0, 2, 4, …, so the file written
 * back names them as the module that saved them does (`hidden.0 … out`, or `0, 3, 6` with nn.Dropout between) and its strict
 * load_state_dict takes it (newuser45 #16); `{}` for nn.Sequential's own names. Names no PyTorch module has (checkLayerNames: a file
 * may name its tensors anything) are not kept, and the note says how they are written back.
 */
function keptLayerNames(names: readonly string[], notes: string[]): { pytorchModule?: PytorchModule } {
  if (names.every((name, l) => `${name}.weight` === denseTensorName(l, 'weight'))) return {};
  try {
    return { pytorchModule: { layerNames: checkLayerNames(names, names.length, 'layers', badModel) } };
  } catch (error) {
    if (!(error instanceof GradscopeError)) throw error;
    const renamed = names.map((name, l) => `${shown(name)} → ${denseTensorName(l, 'weight').replace(/\.weight$/, '')}`).join(', ');
    notes.push(`tensor names are not kept (${error.message.replace(/^layers\[\d+\]: /, '')}): written back to safetensors, the dense layers are named as an nn.Sequential's (${renamed}, each .weight and .bias)`);
    return {};
  }
}

/**
 * Reads either kind of safetensors file: a block network gradscope wrote, a state_dict whose metadata
 * records its module's expression (recordedModule), or any file read by a PyTorch module expression
 * (`options.pytorch`), as blockModelFromSafetensors, but for a module of nn.Linear layers and their activations alone,
 * returned as the dense chain it is, keeping its module's names and logits (ModelData.pytorchModule); else a dense chain (readDenseSafetensors, `options`
 * filling in what it lacks). `layers`, which orders a dense chain's tensors, is refused for the block
 * reader, whose layers name them (UnreadImportOption).
 */
export function readSafetensors(bytes: Uint8Array | ArrayBuffer, options: SafetensorsImportOptions & BlockSafetensorsOptions = {}): ModelData | BlockModelData {
  const { metadata } = parseSafetensors(bytes);
  const gradscopeBlocks = isBlockFile(metadata);
  const recorded = recordedModule(metadata) !== undefined;
  const { activation, output, loss, layers, pytorch } = options; // each reader takes its own and refuses what it gives no room for
  if (!gradscopeBlocks && !recorded && pytorch === undefined) return readDenseSafetensors(bytes, { activation, output, loss, layers });
  if (layers !== undefined) {
    throw new UnreadImportOption('layers', gradscopeBlocks ? BLOCK_FILE_RECORDS : recorded ? RECORDED_MODULE_NAMES : "the pytorch option's module expression names the tensors and gives their order");
  }
  const read = readBlockSafetensors(bytes, { pytorch, loss, activation, output });
  return denseChainOf(read) ?? read.model;
}

/**
 * A model a module expression read (readBlockSafetensors) as the dense chain it is, where its layers are nn.Linear layers with their
 * activations alone, keeping what the module says of itself (net.pytorchModule): its nn.Linear layers' names where they are not
 * nn.Sequential's 0, 2, 4, … (`0, 3, 6` with an nn.Dropout after each activation; `net.0, net.2` under a module prefix), and that it
 * ends in logits; undefined for any other module (a block network).
 */
function denseChainOf({ model: read, fileNames, logits, imported }: ReadBlockSafetensors): ModelData | undefined {
  const dense = denseLayers(read.layers);
  if (dense === undefined) return undefined;
  const sizes = [read.inputs, ...dense.map((layer) => layer.units)];
  const activations = dense.map((layer) => layer.activation ?? 'linear');
  const names = dense.map((_, l) => fileNames[2 * l].replace(/\.weight$/, ''));
  const renamed = names.some((name, l) => `${name}.weight` !== denseTensorName(l, 'weight'));
  const pytorchModule: PytorchModule = { ...(renamed && { layerNames: names }), ...(logits && { logits: true as const }) };
  // The layout of dense layers alone: each layer's weight, then its bias.
  return {
    loss: read.loss,
    sizes,
    activations,
    weights: dense.map((_, l) => read.tensors[2 * l].values),
    biases: dense.map((_, l) => read.tensors[2 * l + 1].values),
    ...(read.initialisation && { initialisation: read.initialisation }),
    ...(read.trainedOn && { trainedOn: read.trainedOn }),
    ...((renamed || logits) && { pytorchModule: readPytorchModule(pytorchModule, { loss: read.loss, activations }, 'pytorchModule', badModel) }),
    // A dense chain read from a state_dict always says where its loss came from.
    ...(imported && { imported: read.imported ?? imported }),
  };
}

/**
 * A state_dict whose metadata records its module (recordedModule) read by that expression, one rule with readSafetensors and the
 * CLI's convert: its tensors are named by the module, whatever their shapes suggest, so the dense reader never guesses at them. A
 * module of nn.Linear layers, each with its activation after it, is the dense chain returned; any other (a LayerNorm, a Residual)
 * is a block network, refused as a block file gradscope wrote is. `layers` is refused: the expression orders the tensors.
 */
function recordedDenseChain(bytes: Uint8Array | ArrayBuffer, module: string, options: SafetensorsImportOptions): ModelData {
  // What the file holds first, whatever the options: no option makes a block network a dense chain.
  if (denseLayers(architectureOfPytorch(module, '__metadata__.pytorch').layers) === undefined) {
    throw badModel('safetensors', `holds a block network (__metadata__.pytorch records its module, ${module}): read it with blockModelFromSafetensors`);
  }
  if (options.layers !== undefined) throw new UnreadImportOption('layers', RECORDED_MODULE_NAMES);
  const { activation, output, loss } = options;
  return denseChainOf(readBlockSafetensors(bytes, { activation, output, loss }))!;
}

/**
 * Refuses (ClashingImportOptions) an output option that does not go with the loss, the loss option's or the file's: the
 * caller's flags, not the file, are at fault (checkArchitecture would call it the file's __metadata__).
 */
function checkOutputOption(model: Pick<ModelData, 'loss' | 'activations'>, lossFrom: string): void {
  const output = model.activations[model.activations.length - 1];
  try {
    checkLossPairing(model.loss, [output]); // the output alone: a hidden layer's activation is the activation option's (checkArchitecture)
  } catch (error) {
    if (!(error instanceof GradscopeError)) throw error;
    throw new ClashingImportOptions(output, model.loss, lossFrom === 'the loss option', error.message, output === 'linear' ? logitsReading(model.loss) : undefined);
  }
}

/**
 * A module's layers as a dense chain's, or undefined where they are not one: its nn.Linear layers, less the nn.Identity() that
 * gradscope's writer puts after a linear layer (an activation layer of 'linear', which computes nothing). An nn.Linear(bias=False)
 * makes a block network (a dense chain's layers all have a bias).
 */
function denseLayers(layers: readonly LayerSpec[]): DenseSpec[] | undefined {
  const kept = layers.filter((layer) => !(layer.type === 'activation' && layer.activation === 'linear'));
  return kept.every((layer) => layer.type === 'dense' && layer.bias !== false) ? (kept as DenseSpec[]) : undefined;
}

/** Why a file whose metadata records its module takes no layers option. */
const RECORDED_MODULE_NAMES = "__metadata__.pytorch's module expression names the tensors and gives their order";

interface LayerEntries {
  name: string;
  weight: TensorEntry;
  bias?: TensorEntry;
}

/**
 * The import options a dense chain of `depth` layers needs that neither `ours` (gradscopeMetadata)
 * nor `options` give: where neither says what the layers compute, the hidden activation (with more
 * than one layer) and the output; the loss wherever neither gives it.
 */
function unstatedArchitecture(ours: Record<string, string>, depth: number, options: SafetensorsImportOptions): ImportOptionName[] {
  const computes = ours.activations !== undefined || (options.output !== undefined && (options.activation !== undefined || depth === 1));
  return [
    ...(!computes && depth > 1 && options.activation === undefined ? (['activation'] as const) : []),
    ...(!computes && options.output === undefined ? (['output'] as const) : []),
    ...(ours.loss === undefined && options.loss === undefined ? (['loss'] as const) : []),
  ];
}

/**
 * The other route for a file that does not say what it computes, blockModelFromSafetensors's `{ pytorch }` with the loss where
 * `unstated` lacks it: a caller who gave neither activation may hold a state_dict PyTorch saved, whose module's expression says every
 * layer and orders them (newuser29); not one who gave an activation or the layers' order (each refused beside pytorch), nor for a file
 * gradscope wrote (whose metadata the expression would override: refused), nor where no expression could name the layers (`encoder`,
 * `fc1`: a module class's attributes): a route offered must be one that can run (a layer without a bias reads as nn.Linear(bias=False)).
 */
function moduleRoute(metadata: Record<string, string>, options: SafetensorsImportOptions, layers: readonly LayerEntries[], unstated: readonly ImportOptionName[]): ImportOptionName[] | undefined {
  if (pytorchRefusal(metadata) !== undefined || options.activation !== undefined || options.output !== undefined || options.layers !== undefined) return undefined;
  if (!someModuleNames(layers.map((layer) => layer.name))) return undefined;
  return ['pytorch', ...(unstated.includes('loss') ? (['loss'] as const) : [])];
}

/**
 * Refuses a file that says nothing of its layers (no gradscope metadata recording them: pytorchRefusal) holding what look like a PyTorch
 * Residual's tensors (isResidualTensor: `2.branch.0.weight`, `2.alpha`) whose nn.Linear weights chain in some order: read as a dense
 * chain in the order its shapes gave, the block's x + branch(x) was dropped without a word and the network computed something else than
 * the module (io33). Its module expression reads it, block and all (blockModelFromSafetensors), which the refusal offers with the loss
 * where the file lacks it. The names are a guess, so the file's metadata comes first (one recording a dense chain's activations is read
 * as that chain), and a layers option, the caller naming every dense layer in order, says it is a dense chain whose names only look like
 * a Residual's (io34): the refusal says so. Weights that chain in no order are left to the dense reader's refusals (orderLayers, the
 * sizes' check), which no expression would pass either.
 */
function refuseResidual(entries: readonly TensorEntry[], metadata: Record<string, string>, options: SafetensorsImportOptions): void {
  if (pytorchRefusal(metadata) !== undefined || options.layers !== undefined) return;
  const residual = entries.map((entry) => entry.name).filter(isResidualTensor);
  if (residual.length === 0 || !branchesKeepWidth(entries.filter((entry) => isResidualTensor(entry.name)))) return;
  const linears = entries.filter((entry) => entry.name.endsWith('.weight') && entry.shape.length === 2).map((weight) => ({ name: weight.name, weight }));
  const orders = chainOrders(linears);
  if (orders !== 'too many' && orders.length === 0) return;
  const found = `${listNames(residual)} ${residual.length === 1 ? 'is a tensor' : 'are tensors'} of a PyTorch Residual block (its branch's modules k.branch.j, its ReZero gate k.alpha), which adds the block's input to its branch's output: read as a dense chain, that sum would be dropped and the network would compute something else than the module (a dense chain whose names only look like a Residual's reads as one with ${optionsToPass(['layers'])} naming its layers in order, input first)`;
  const loss = gradscopeMetadata(metadata).loss === undefined && options.loss === undefined ? (['loss'] as const) : [];
  throw new UnstatedImportOptions('safetensors', found, ['pytorch', ...loss], "to read it by the expression of the PyTorch module that saved it, which gives every layer (in place of the activation, output and layers options, a dense chain's)");
}

/**
 * Whether the nn.Linear weights under each `k.branch.` could be a Residual's branch, which ends at the width it starts from: a
 * chain in1 → out1 = in2 → … → outn = in1 takes in the widths it gives out, so its inputs and outputs are the same multiset.
 * Where one block's are not, the names only look like a Residual's: no refusal on their account (a dense chain, 4 → 5 → 3,
 * named 0.branch.0, 1.branch.0).
 */
function branchesKeepWidth(tensors: readonly TensorEntry[]): boolean {
  const widths = new Map<string, { ins: number[]; outs: number[] }>();
  for (const { name, shape } of tensors) {
    const block = /^(.*?\d+)\.branch\./.exec(name)?.[1];
    if (block === undefined || !name.endsWith('.weight') || shape.length !== 2) continue;
    const sides = widths.get(block) ?? { ins: [], outs: [] };
    sides.outs.push(shape[0]);
    sides.ins.push(shape[1]);
    widths.set(block, sides);
  }
  const sorted = (ns: number[]) => String([...ns].sort((a, b) => a - b));
  return [...widths.values()].every(({ ins, outs }) => sorted(ins) === sorted(outs));
}

/** A BatchNorm1d's running statistics, the tensors that tell its module from an nn.Linear (both have `.weight` and `.bias`). */
const BATCH_NORM_BUFFER = /^(.+)\.(running_mean|running_var|num_batches_tracked)$/;

/**
 * BAD_MODEL_FILE for a state_dict holding BatchNorm1d modules (BATCH_NORM_BUFFER), which a dense chain's reader cannot take, naming
 * their tensors and the ways on: the module expression (blockModelFromSafetensors's pytorch, convert's --pytorch), which reads batch
 * norm where the tensors are named as an nn.Sequential names them (else re-saved or renamed so), or a network made with batch norm
 * here. A PyTorch class model (`fc1, bn1, fc2`) was refused as 'bn1.running_mean: not a dense layer tensor' with no next step (newuser43 #15).
 */
function batchNormRefusal(entries: readonly TensorEntry[]): GradscopeError | undefined {
  const modules = [...new Set(entries.map((entry) => BATCH_NORM_BUFFER.exec(entry.name)?.[1]).filter((name) => name !== undefined))];
  if (modules.length === 0) return undefined;
  const tensors = entries.filter((entry) => modules.some((module) => entry.name.startsWith(`${module}.`))).map((entry) => entry.name);
  const byModule = `gradscope reads batch norm by the expression of the PyTorch module that saved it, blockModelFromSafetensors's ${optionsToPass(['pytorch'])}, such as nn.Sequential(nn.Linear(…), nn.BatchNorm1d(…), nn.ReLU(), …)`;
  const named = someModuleNames(modules)
    ? byModule
    : `${byModule}, whose tensors are named by the modules' indexes in the nn.Sequential (1.running_mean), not by a class's attributes (${modules[0]}): save the network as an nn.Sequential, or rename its keys so`;
  const first = entries.find((entry) => BATCH_NORM_BUFFER.test(entry.name))!.name;
  return badModel(
    first,
    `${modules.length === 1 ? "a BatchNorm1d module's" : "BatchNorm1d modules'"} tensors (${listNames(tensors)}), which a chain of dense layers does not hold (its reader takes nn.Linear's <layer>.weight and <layer>.bias only); ` +
      `${named}; or make such a network in gradscope: train --norm batch-norm, or createNetwork(applyLayersChange(options, { norm: 'batch-norm' }))`,
  );
}

/** Groups `<layer>.weight` and `<layer>.bias` by layer name; anything else is not a dense layer (a BatchNorm1d's tensors said as such: batchNormRefusal). */
function groupLayers(entries: TensorEntry[]): LayerEntries[] {
  const batchNorm = batchNormRefusal(entries);
  if (batchNorm) throw batchNorm;
  const byName = new Map<string, Partial<LayerEntries>>();
  for (const entry of entries) {
    const match = /^(.+)\.(weight|bias)$/.exec(entry.name);
    if (!match) throw badModel(entry.name, 'not a dense layer tensor: expected <layer>.weight and <layer>.bias (nn.Linear) only');
    const layer = byName.get(match[1]) ?? { name: match[1] };
    layer[match[2] as 'weight' | 'bias'] = entry;
    byName.set(match[1], layer);
  }
  return [...byName.values()].map((layer) => {
    if (!layer.weight) throw badModel(`${layer.name}.bias`, `has no matching ${layer.name}.weight`);
    if (layer.weight.shape.length !== 2) throw badModel(layer.weight.name, `expected a 2-D shape [out, in], got ${shapeText(layer.weight.shape)}`);
    return layer as LayerEntries;
  });
}

/** Shape orders tried before an order is called ambiguous (each a step of the search). */
const MAX_ORDER_SEARCH = 100_000;

/**
 * The dense layers in order: as `names` lists them; else by the numbers in their names when the
 * names are the same apart from their numbers (fc1, fc2; layers.0, layers.2; 0.0, 1.0); else the
 * one order in which every layer takes the previous one's outputs and the layers named alike keep
 * their numbers' order (hidden.0 … hidden.10, out); else the one order in which the shapes chain.
 * Refuses a file with none (which nothing reads), and one with several such orders (offering those
 * found, those that keep the numbers first) or too many to try.
 */
function orderLayers(layers: LayerEntries[], options: SafetensorsImportOptions, metadata: Record<string, string>, notes: string[]): LayerEntries[] {
  const names = options.layers;
  const listing = layers.map((l) => `${l.name} ${shapeText(l.weight.shape)}`).join(', ');
  if (names !== undefined) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new MistakenImportOption('layers', 'layers option', 'expected an array of layer names');
    const byName = new Map(layers.map((l) => [l.name, l]));
    const missing = names.find((n) => !byName.has(n));
    if (missing !== undefined) throw new MistakenImportOption('layers', 'layers option', `${JSON.stringify(missing)} is not a layer of the file (it has ${listing})`);
    const left = layers.find((l) => !names.includes(l.name));
    if (left) throw new MistakenImportOption('layers', 'layers option', `does not list the file's layer ${JSON.stringify(left.name)}`);
    if (new Set(names).size !== names.length) throw new MistakenImportOption('layers', 'layers option', 'lists a layer twice');
    return names.map((n) => byName.get(n)!);
  }
  if (layers.every((l) => nameTemplate(l.name) === nameTemplate(layers[0].name))) return [...layers].sort((a, b) => byNumbers(a.name, b.name));
  // Names in groups that differ only in their numbers (hidden.0 … hidden.10 beside out): each group's numbers order it, as
  // PyTorch's nn.Sequential and nn.ModuleList number their modules, and the shapes place the groups. It was refused as ambiguous,
  // offering orders taken in the file's string order (hidden.0 → hidden.10 → hidden.2 …) that read another network (newuser45 #1).
  const numbered = numberedGroups(layers) ? chainOrders(layers, true) : [];
  if (numbered !== 'too many' && numbered.length === 1) {
    notes.push(`ordered the dense layers by the numbers in their names and by their shapes: ${numbered[0].map((l) => l.name).join(' → ')}`);
    return numbered[0];
  }
  const keepsNumbers = numbered !== 'too many' && numbered.length > 1;
  const orders = keepsNumbers ? numbered : chainOrders(layers, false);
  const unstated = unstatedArchitecture(gradscopeMetadata(metadata), layers.length, options);
  // No order chains, and a PyTorch module gradscope reads chains its nn.Linear layers in the module's order (a Residual keeps its width):
  // nothing the caller could give reads them, so nothing is offered (review-b, session 31: it printed a --layers order that fails).
  if (orders !== 'too many' && orders.length === 0) {
    throw badModel('safetensors', `cannot read the dense layers (${listing}) as one network: their names carry no order and their shapes chain in none, so neither a layers order nor a PyTorch module expression reads them (each needs every layer to take as many inputs as the one before has outputs)`);
  }
  // The order is what the file does not record: each command asks for the layers option in its own words (cli/unstated-import-words.ts),
  // with every other option the import needs, so a convert command printed from them runs (review-b, session 30).
  const computes = unstated.some((option) => option !== 'loss') ? 'what they compute' : undefined;
  const trained = unstated.includes('loss') ? 'what the model was trained on' : undefined; // readArchitecture's words
  const says = [computes, trained].filter((words) => words !== undefined).join(' and ');
  const purpose = `to give their order (the layers' names, input first)${says && `${computes && trained ? ',' : ' and'} say ${says}`}`;
  const unordered = (lacks: string, values?: { layers: string[] }) =>
    new UnstatedImportOptions('safetensors', lacks, ['layers', ...unstated], purpose, moduleRoute(metadata, options, layers, unstated), undefined, values);
  // Too many to try: an order may still exist, which the caller may know; the file names none.
  if (orders === 'too many') throw unordered(`cannot order the dense layers (${listing}): too many orders to try`);
  if (orders.length > 1) {
    const show = (order: LayerEntries[]) => order.map((l) => l.name).join(' → ');
    // Both orders found are the file's to offer, neither its to choose. chainOrders stops at two: two layers have no other, more may.
    const more = layers.length > 2 ? '; there may be more' : '';
    // Where the names' numbers order some of the layers, an order offered either keeps them, or is said not to (no such order chains).
    const numbers = !numberedGroups(layers) ? '' : keepsNumbers ? ', each keeping the numbers in the names in order' : ', none keeping the numbers in the names in order';
    throw unordered(`the dense layers (${listing}) chain in more than one order (${show(orders[0])}; ${show(orders[1])}${more}${numbers}): ambiguous`, {
      layers: orders.map((order) => order.map((l) => l.name).join(',')),
    });
  }
  const numbers = numberedGroups(layers) ? ' (no order that keeps the numbers in their names in order chains)' : '';
  notes.push(`ordered the dense layers by their shapes${numbers}: ${orders[0].map((l) => l.name).join(' → ')}`);
  return orders[0];
}

/** A layer name with each run of digits as '#': names alike but for their numbers (fc1, fc2; hidden.0, hidden.10) share it. */
function nameTemplate(name: string): string {
  return name.replace(/\d+/g, '#');
}

/** Compares two names of one template by their numbers, as numbers (layer2 before layer10). */
function byNumbers(a: string, b: string): number {
  const numbers = (name: string) => (name.match(/\d+/g) ?? []).map(Number);
  const x = numbers(a);
  const y = numbers(b);
  const i = x.findIndex((n, k) => n !== y[k]);
  return i < 0 ? 0 : x[i] - y[i];
}

/** Whether two layers share a numbered template (hidden.0, hidden.2), whose numbers then order them. */
function numberedGroups(layers: readonly LayerEntries[]): boolean {
  const templates = layers.map((l) => nameTemplate(l.name)).filter((t) => t.includes('#'));
  return new Set(templates).size < templates.length;
}

/**
 * Up to two orders in which each layer takes as many inputs as the previous one has outputs; with `keepNumbers`, only those
 * that keep the layers of each template (nameTemplate) in the order of their numbers (hidden.2 after hidden.0, before hidden.10).
 */
function chainOrders(layers: LayerEntries[], keepNumbers = false): LayerEntries[][] | 'too many' {
  const found: LayerEntries[][] = [];
  const path: LayerEntries[] = [];
  const used = new Set<LayerEntries>();
  // The layers each must follow: those of its template with smaller numbers.
  const after = new Map(layers.map((layer) => [layer, keepNumbers ? layers.filter((other) => nameTemplate(other.name) === nameTemplate(layer.name) && byNumbers(other.name, layer.name) < 0) : []]));
  let steps = 0;
  const extend = (): boolean => {
    if (++steps > MAX_ORDER_SEARCH) return false;
    if (path.length === layers.length) {
      found.push([...path]);
      return found.length < 2;
    }
    const previous = path[path.length - 1];
    for (const layer of layers) {
      if (used.has(layer) || (previous && layer.weight.shape[1] !== previous.weight.shape[0])) continue;
      if (!after.get(layer)!.every((before) => used.has(before))) continue;
      path.push(layer);
      used.add(layer);
      const goOn = extend();
      path.pop();
      used.delete(layer);
      if (!goOn) return false;
    }
    return true;
  };
  extend();
  return steps > MAX_ORDER_SEARCH ? 'too many' : found;
}

/**
 * Activations, loss, and the initialisation and training rows where recorded: from gradscope's own `__metadata__` (format "gradscope.model", or no format
 * at all), else from the options; an option beside that metadata must agree with it
 * (ContradictedImportOption otherwise). Metadata another tool wrote (`{ "format": "pt" }`) says nothing
 * about the architecture and is ignored, with a note.
 */
function readArchitecture(
  metadata: Record<string, string>,
  layers: readonly LayerEntries[],
  sizes: readonly number[],
  options: SafetensorsImportOptions,
  notes: string[],
): { loss: Loss; lossFrom: string; activations: OutputActivation[]; initialisation?: Initialisation; trainedOn?: TrainedOn } {
  const depth = sizes.length - 1;
  const ours = gradscopeMetadata(metadata);
  if (ours !== metadata) {
    notes.push(`ignored __metadata__ of format ${JSON.stringify(metadata.format)} (not gradscope's)`);
  } else if (metadata.format === MODEL_FILE_TAG && metadata.version !== String(MODEL_VERSION)) {
    throw badModel('__metadata__.version', `this gradscope reads version ${MODEL_VERSION}, got ${shown(metadata.version)}`);
  }
  if (depth === 1) refuseHiddenActivation(options.activation); // metadata or not: one layer has no hidden activation to give
  let activations: OutputActivation[];
  if (ours.activations !== undefined) {
    const names = ours.activations.split(',');
    if (names.length !== depth) {
      // newuser45 #11: a list with the hidden and the output activation once each, for a deeper network; the file's
      // words are quoted by shown (escaped, cut), and the example is not spelt out, whatever the depth
      const [hidden, output] = [shown(names[0].trim()), shown(names[names.length - 1].trim())];
      const example = depth === 1 ? output : `${hidden} for ${depth === 2 ? 'the hidden layer' : `each of the ${depth - 1} hidden layers`}, then ${output}`;
      throw badModel('__metadata__.activations', `lists ${names.length} activations for ${depth} layers: one per dense layer, in order, the output's last (e.g. ${example})`);
    }
    activations = names.map((name, l) => readActivation(name.trim(), `__metadata__.activations[${l}]`));
    checkActivationOptions(options, { hidden: [...new Set(activations.slice(0, -1))], output: activations[depth - 1] }, '__metadata__.activations');
  } else if (options.output !== undefined && (options.activation !== undefined || depth === 1)) {
    const hidden = depth > 1 ? readActivation(options.activation, 'activation option') : undefined;
    activations = [...Array<OutputActivation>(depth - 1).fill(hidden!), readActivation(options.output, 'output option')];
  } else {
    const missing = unstatedArchitecture(ours, depth, options);
    throw new UnstatedImportOptions('__metadata__', 'has no gradscope "activations"', missing, 'to say what the layers compute', moduleRoute(metadata, options, layers, missing));
  }
  const recorded = { ...recordedInitialisationText(ours, '__metadata__.initialisation', badModel, chainFanIns(sizes)), ...recordedTrainedOnText(ours.trainedOn, '__metadata__.trainedOn', badModel) };
  if (ours.loss !== undefined) {
    const loss = readLoss(ours.loss, '__metadata__.loss');
    checkAgrees('loss', options.loss, '__metadata__.loss', loss);
    return { loss, lossFrom: '__metadata__.loss', activations, ...recorded };
  }
  if (options.loss === undefined) throw new UnstatedImportOptions('__metadata__', 'has no gradscope "loss"', ['loss'], 'to say what the model was trained on');
  return { loss: readLoss(options.loss, 'loss option'), lossFrom: 'the loss option', activations, ...recorded };
}
