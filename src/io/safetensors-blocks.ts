/**
 * safetensors for block networks (BlockModelData): every tensor under its PyTorch state_dict name
 * (src/layers/block-layout.ts), float32 as F32 and num_batches_tracked as I64 of shape [], as
 * `nn.Sequential(…).state_dict()` holds them. `__metadata__` holds what gradscope needs to rebuild
 * the network and what PyTorch needs to rebuild the module:
 *
 *   format "gradscope.model", version "2", loss, inputs (a number), layers (the checked specs as
 *   JSON), pytorch (the expression of src/io/pytorch-module.ts), when a residual block is in
 *   it, pytorch_residual (the Residual class to exec first), and where the model records it,
 *   initialisation (the JSON text of `{ init, biasInit, lsuv? }`, src/init/initialisation.ts), and
 *   where it records them, trainedOn (the JSON text of `{ data, rows }`, src/trained-on.ts), and for a network read from a
 *   PyTorch module, pytorchModule (the JSON text of `{ tensorNames, logits }`, src/pytorch-record.ts): the tensors are then
 *   written under those names, and pytorch is the module they make (pytorchBlockExpression; left out where none does).
 *
 * Reading takes the specs from gradscope's `layers` and `inputs`, or, for a state_dict PyTorch saved
 * itself, from the expression of its module (pytorch-import.ts), whose module indices name the
 * tensors; either way every tensor the specs imply must be there with its shape and dtype, and
 * none left over.
 */
import { checkKnownKeys, checkObjectArgument, keysOf } from '../checks.js';
import { GradscopeError, shown } from '../errors.js';
import { shapeText } from '../shape-text.js';
import { MODEL_FILE_TAG, MODEL_VERSION } from '../network/model-file.js';
import type { BlockModelData, BlockTensor, ImportNotes } from '../layers/block-model.js';
import { namedDenseFanIns, type LayerSpec } from '../layers/spec.js';
import { LOSS_OUTPUT, type Activation, type Loss, type OutputActivation } from '../kernels.js';
import { checkBlockArchitecture, checkBlockModel, checkTensorValues, isParameter, recordedBlockPytorchModule, type BlockArchitecture } from '../network/block-model-check.js';
import { architectureOfPytorch, modulePrefixesOf } from './pytorch-import.js';
import { badModel } from './model-data.js';
import { PYTORCH_RESIDUAL_CLASS, pytorchBlockExpression, TORCH_MODULE, usesResidual } from './pytorch-module.js';
import { blockActivations, checkActivationOptions, checkAgrees, mistakenOption, UnreadImportOption, UnstatedImportOptions } from './import-options.js';
import type { Fail } from '../model-limits.js';
import { decodeCounts, decodeFloats, encodeSafetensors, f64Note, parseSafetensors, type TensorToWrite } from './safetensors-format.js';
import { initialisationText, recordedInitialisationText } from '../init/initialisation.js';
import { parsedJsonText } from '../json-syntax.js';
import { recordedTrainedOnText, trainedOnText } from '../trained-on.js';
import { LOGITS_LOSS, pytorchModuleText, type PytorchModule } from '../pytorch-record.js';

/** The `__metadata__.version` of a block network's file (a dense chain's is 1). */
export const BLOCK_FILE_VERSION = 2;

/** Whether safetensors metadata is gradscope's for a block network. */
export function isBlockFile(metadata: Record<string, string>): boolean {
  return metadata.format === MODEL_FILE_TAG && metadata.version === String(BLOCK_FILE_VERSION);
}

/** The file's __metadata__ as gradscope reads it: its own (format "gradscope.model", or none), none where it is another tool's (`{ "format": "pt" }`). */
export function gradscopeMetadata(metadata: Record<string, string>): Record<string, string> {
  return metadata.format !== undefined && metadata.format !== MODEL_FILE_TAG ? {} : metadata;
}

/**
 * The module expression gradscope's metadata records for a state_dict saved with gradscope's keys (`pytorch`, no format, no dense
 * chain's `activations`), which blockModelFromSafetensors reads the file by; undefined for any other file (a file gradscope wrote
 * records its layers otherwise: isBlockFile, or a dense chain's activations).
 */
export function recordedModule(metadata: Record<string, string>): string | undefined {
  return metadata.format === undefined && metadata.activations === undefined ? metadata.pytorch : undefined;
}

/**
 * Why a module expression (the pytorch option) cannot read a file, or undefined where it can: the one rule of every reader. A file
 * whose gradscope metadata records its layers (a file gradscope wrote; `activations` or `pytorch` with no format, a state_dict saved
 * with gradscope's keys) would have them overridden by the expression, never checked against it; another tool's metadata records
 * nothing of them (gradscopeMetadata), so its file reads by the expression.
 */
export function pytorchRefusal(metadata: Record<string, string>): string | undefined {
  if (metadata.format === MODEL_FILE_TAG) return isBlockFile(metadata) ? BLOCK_FILE_RECORDS : 'a dense chain gradscope wrote records its layers and activations in __metadata__';
  const ours = gradscopeMetadata(metadata);
  if (ours.activations !== undefined) return "__metadata__.activations records what the layers compute (a dense chain's, one activation a layer)";
  if (ours.pytorch !== undefined) return '__metadata__.pytorch records the module the file holds';
  return undefined;
}

/** A block model as safetensors bytes (see the module comment). Refuses inconsistent data with INVALID_OPTION naming the tensor. */
export function blockModelToSafetensors(given: BlockModelData): Uint8Array {
  checkObjectArgument(given, 'blockModelToSafetensors', 'BlockModelData (from blockModelOf or a reader)');
  return checkedBlockModelToSafetensors(checkBlockModel(given).model);
}

/** blockModelToSafetensors of the copy checkBlockModel returned (toSafetensors' exportSource): written, not checked again. */
export function checkedBlockModelToSafetensors(model: BlockModelData): Uint8Array {
  const { loss, inputs, layers, pytorchModule } = model;
  const module = pytorchBlockExpression(layers, inputs, pytorchModule);
  const metadata: Record<string, string> = {
    format: MODEL_FILE_TAG,
    version: String(BLOCK_FILE_VERSION),
    loss,
    inputs: String(inputs),
    layers: JSON.stringify(layers),
    ...('expression' in module && { pytorch: module.expression }),
  };
  if (usesResidual(layers) && 'expression' in module) metadata.pytorch_residual = PYTORCH_RESIDUAL_CLASS;
  if (pytorchModule) metadata.pytorchModule = pytorchModuleText(pytorchModule);
  if (model.initialisation) metadata.initialisation = initialisationText(model.initialisation);
  if (model.trainedOn) metadata.trainedOn = trainedOnText(model.trainedOn);
  // Each tensor under its name in the module that saved it, where the model keeps one (net.pytorchModule).
  const names = pytorchModule?.tensorNames;
  return encodeSafetensors(metadata, tensorsToWrite(names ? model.tensors.map((t, i) => ({ ...t, name: names[i] })) : model.tensors));
}

/**
 * What `gradscope convert` says of a block network written to safetensors that the file does not: why it has no
 * `__metadata__.pytorch` (pytorchBlockExpression's why), and that the expression ends in the output module a PyTorch logits loss
 * applies itself (logitsExportNote), unless the model keeps that its module ends in logits.
 */
export function blockExportNotes(model: BlockModelData): string[] {
  const module = pytorchBlockExpression(model.layers, model.inputs, model.pytorchModule);
  if ('why' in module) return [`__metadata__ has no "pytorch" module expression: ${module.why}; the tensors keep the names of the module that saved them (${listNames(model.pytorchModule!.tensorNames!)}), which loads them`];
  const last = model.layers[model.layers.length - 1];
  const logits = model.pytorchModule?.logits || last.type !== 'dense' ? undefined : logitsExportNote(model.loss, last.activation);
  return logits === undefined ? [] : [logits];
}

/** Block tensors as the container writes them: floats as F32, counts as I64. */
export function tensorsToWrite(tensors: readonly BlockTensor[]): TensorToWrite[] {
  return tensors.map((t) => ({ name: t.name, dtype: t.dtype === 'i64' ? 'I64' : 'F32', shape: t.shape, values: t.values }));
}

/**
 * How to read a block network's state_dict that gradscope did not write (no gradscope "layers" in
 * `__metadata__`). Beside a file gradscope wrote, an option must agree with what its metadata
 * records (ContradictedImportOption otherwise) or is refused where the file records it
 * (UnreadImportOption): never silently overridden or ignored.
 */
export interface BlockSafetensorsOptions {
  /**
   * The Python expression that builds the PyTorch module holding the file's tensors, over `nn` and
   * issue 13's `Residual` (`"nn.Sequential(nn.Linear(784, 100), nn.BatchNorm1d(100), nn.ReLU(),
   * nn.Linear(100, 10), nn.Softmax(dim=-1))"`): its modules give the specs and its module indices the
   * tensors' names. Default: gradscope's `__metadata__["pytorch"]`. Refused (UnreadImportOption) for a
   * file whose gradscope metadata records its layers: one gradscope wrote, or one with `activations` or
   * `pytorch` and no format (pytorchRefusal).
   */
  pytorch?: string;
  /**
   * The loss the model was trained on. Default: gradscope's `__metadata__["loss"]` (another tool's
   * metadata, `{ "format": "pt" }`, is not read). Beside a recorded loss it must be the one recorded
   * (ContradictedImportOption otherwise).
   */
  loss?: Loss;
  /**
   * The hidden layers' activation, as a check: a block network's layers give every activation, so
   * this only confirms them. Default: none (nothing to check). For a file gradscope wrote it must be
   * what `__metadata__.layers` records of the hidden layers (blockActivations; ContradictedImportOption
   * otherwise); refused beside a module expression, which gives the activations itself.
   */
  activation?: Activation;
  /** The output layer's activation, as a check: as `activation`, of the last layer. Default: none (nothing to check). */
  output?: OutputActivation;
}

/** Why a block network gradscope wrote takes no option that would describe its layers: its metadata records them. */
export const BLOCK_FILE_RECORDS = "a block network gradscope wrote records its layers, their activations and their tensors' names in __metadata__.layers";

/**
 * Reads a block network's safetensors file: one gradscope wrote (its `layers` and `inputs` in
 * `__metadata__`), or a state_dict PyTorch saved itself, read by the module expression in `options`
 * (pytorch-import.ts). BAD_MODEL_FILE names the metadata field, module or tensor at fault.
 */
export function blockModelFromSafetensors(bytes: Uint8Array | ArrayBuffer, options: BlockSafetensorsOptions = {}): BlockModelData {
  return readBlockSafetensors(bytes, options).model;
}

/** What readBlockSafetensors read: the block model, and for a state_dict read by a module expression, what it keeps of that module. */
export interface ReadBlockSafetensors {
  model: BlockModelData;
  /** Each tensor's name in the file, in the model's tensors' order (the module prefix included). */
  fileNames: string[];
  /** Whether the module ends in logits, read with the output its loss fuses (outputForLogits). */
  logits: boolean;
  /** For a state_dict read by a module expression: where its loss came from and the notes, even where there are none (model.imported is there only with notes). */
  imported?: ImportNotes;
}

/** blockModelFromSafetensors, with the file's name of each tensor and whether the module ended in logits (a dense chain keeps them: readSafetensors). */
export function readBlockSafetensors(bytes: Uint8Array | ArrayBuffer, options: BlockSafetensorsOptions = {}): ReadBlockSafetensors {
  checkKnownKeys(options, keysOf<BlockSafetensorsOptions>({ pytorch: true, loss: true, activation: true, output: true }), 'blockModelFromSafetensors');
  const file = parseSafetensors(bytes);
  const { metadata } = file;
  if (metadata.format === MODEL_FILE_TAG && metadata.version !== String(MODEL_VERSION) && !isBlockFile(metadata)) {
    throw badModel('__metadata__.version', `this gradscope reads versions ${MODEL_VERSION} and ${BLOCK_FILE_VERSION}, got ${shown(metadata.version)}`);
  }
  const refusal = pytorchRefusal(metadata);
  if (options.pytorch !== undefined && refusal !== undefined) throw new UnreadImportOption('pytorch', refusal);
  // names: the file's name for each tensor, gradscope's own or the module expression's (whose indices may differ).
  const { architecture, names, imported, logits, pytorchModule: recordedModule } = isBlockFile(metadata) ? gradscopeArchitecture(metadata) : pytorchArchitecture(metadata, options);
  // The tensors the layers need are named by the expression: when the caller gave it, one the file lacks is the caller's mistake.
  const fail = options.pytorch !== undefined ? mistakenOption('pytorch') : badModel;
  const { loss, inputs, layers, layout } = architecture;
  if (!imported) {
    // Options beside gradscope's own metadata must agree with it, by the rule fromSafetensors' options follow.
    checkAgrees('loss', options.loss, '__metadata__.loss', loss);
    checkActivationOptions(options, blockActivations(layers), '__metadata__.layers');
  }
  const prefix = imported ? modulePrefix(file.entries.map((e) => e.name), names) : '';
  if (prefix !== '') imported!.notes.push(`read every tensor under the module prefix ${JSON.stringify(prefix)} (${prefix}${names[0]} as the expression's ${names[0]}), which the names written back keep`);
  const entries = new Map(file.entries.map((e) => [e.name.slice(prefix.length), e]));
  const tensors: BlockTensor[] = layout.map((slot, i) => {
    const name = names[i];
    const entry = entries.get(name);
    if (!entry) throw fail(name, `missing: the layers need it (shape ${shapeText(slot.shape)}); the file has ${listNames(file.entries.map((e) => e.name))}`);
    if (String(entry.shape) !== String(slot.shape)) throw fail(name, `shape ${shapeText(entry.shape)} should be ${shapeText(slot.shape)} for the layers`);
    entries.delete(name);
    const values = slot.dtype === 'i64' ? decodeCounts(file, entry) : decodeFloats(file, entry, isParameter(slot.name, slot.dtype));
    checkTensorValues(values, { ...slot, name }, badModel);
    return { ...slot, shape: [...slot.shape], values };
  });
  const extra = entries.keys().next();
  if (!extra.done) throw fail(`${prefix}${extra.value}`, 'is not a tensor of the layers');
  imported?.notes.push(...f64Note(file.entries));
  // gradscope's metadata records the initialisation and the training rows (a dense chain's too, read here by its module expression); another tool's says nothing of them.
  const recorded =
    metadata.format === MODEL_FILE_TAG
      ? {
          ...recordedInitialisationText(metadata, '__metadata__.initialisation', badModel, namedDenseFanIns(layers, inputs, isBlockFile(metadata) ? '__metadata__.layers' : 'layers')),
          ...recordedTrainedOnText(metadata.trainedOn, '__metadata__.trainedOn', badModel),
        }
      : {};
  const fileNames = names.map((name) => prefix + name);
  // What the module that saved the tensors names them, where not as gradscope does, and that it ends in logits: written back so (net.pytorchModule).
  const renamed = fileNames.some((name, i) => name !== layout[i].name);
  const kept = recordedModule ?? keptModule(renamed ? fileNames : undefined, logits === true, architecture, imported?.notes);
  const model: BlockModelData = { kind: 'blocks', loss, inputs, layers, tensors, ...recorded, ...(kept && { pytorchModule: kept }) };
  return { model: imported && imported.notes.length > 0 ? { ...model, imported } : model, fileNames, logits: logits === true, ...(imported && { imported }) };
}

/**
 * The record of what a state_dict read by a module expression keeps of its module (net.pytorchModule): the file's tensor names where
 * they are not gradscope's, and that it ends in logits; checked as every record is (recordedBlockPytorchModule). Names no PyTorch
 * module has (a prefix such as `my-net.`: a file may name its tensors anything) are not kept, and the note says how they are written back.
 */
function keptModule(names: string[] | undefined, logits: boolean, architecture: BlockArchitecture, notes: string[] | undefined): PytorchModule | undefined {
  const record = { ...(names && { tensorNames: names }), ...(logits && { logits: true as const }) };
  try {
    return recordedBlockPytorchModule({ pytorchModule: record }, architecture, 'pytorchModule', badModel).pytorchModule;
  } catch (error) {
    if (!(error instanceof GradscopeError) || names === undefined) throw error;
    notes?.push(`tensor names are not kept (${error.message.replace(/^pytorchModule\.tensorNames\[\d+\]: /, '')}): written back to safetensors, the tensors are named as gradscope's nn.Sequential names them (${architecture.layout[0].name}, …)`);
    return logits ? { logits: true } : undefined;
  }
}

/**
 * The module prefix a state_dict saved from a module attribute carries (`net.` of `net.0.weight`),
 * or '': the shortest `a.b.` that every one of `fileNames` starts with and under which every one of
 * the expression's `wanted` names is there, when none of them is there as it is.
 */
function modulePrefix(fileNames: readonly string[], wanted: readonly string[]): string {
  const present = new Set(fileNames);
  if (wanted.some((name) => present.has(name)) || fileNames.length === 0) return '';
  const fits = (prefix: string) => fileNames.every((name) => name.startsWith(prefix)) && wanted.every((name) => present.has(prefix + name));
  return modulePrefixesOf(fileNames[0]).find(fits) ?? '';
}

/** The most tensor names a message lists. */
const LISTED_NAMES = 6;

/** Tensor names as a message lists them: the first LISTED_NAMES, then how many more. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES ? `${shown}, … (${names.length} tensors)` : shown || 'no tensors';
}

/** An architecture read from a file, and the file's name of each of its tensors (in state_dict order). */
interface ReadArchitecture {
  architecture: BlockArchitecture;
  names: string[];
  /** For a foreign file: where the loss came from and what was read by a rule of gradscope's. */
  imported?: ImportNotes;
  /** For a foreign file: whether its module ends in logits, read with the output its loss fuses (outputForLogits). */
  logits?: boolean;
  /** For a file gradscope wrote: the record of the module it was read from (`__metadata__.pytorchModule`). */
  pytorchModule?: PytorchModule;
}

/** The architecture in gradscope's own metadata; the tensors carry gradscope's names, or those of the module its record keeps (`__metadata__.pytorchModule`). */
function gradscopeArchitecture(metadata: Record<string, string>): ReadArchitecture {
  for (const key of ['loss', 'inputs', 'layers']) if (metadata[key] === undefined) throw badModel(`__metadata__.${key}`, 'missing');
  const specs = parsedJsonText(metadata.layers, '__metadata__.layers', badModel);
  const written = /^\d+$/.test(metadata.inputs) ? Number(metadata.inputs) : metadata.inputs;
  const architecture = checkBlockArchitecture({ loss: metadata.loss, inputs: written, layers: specs }, '__metadata__', badModel);
  const text = metadata.pytorchModule;
  const { pytorchModule } = text === undefined ? {} : recordedBlockPytorchModule({ pytorchModule: parsedJsonText(text, '__metadata__.pytorchModule', badModel) }, architecture, '__metadata__.pytorchModule', badModel);
  return { architecture, names: pytorchModule?.tensorNames ?? architecture.layout.map((slot) => slot.name), ...(pytorchModule && { pytorchModule }) };
}

/** The module expression to read a foreign file by, and where it came from. */
function pytorchOf(metadata: Record<string, string>, options: BlockSafetensorsOptions): { expression: string; where: string; fail: Fail } {
  if (options.pytorch !== undefined) return { expression: String(options.pytorch), where: 'pytorch option', fail: mistakenOption('pytorch') };
  const recorded = gradscopeMetadata(metadata).pytorch;
  if (recorded !== undefined) return { expression: recorded, where: '__metadata__.pytorch', fail: badModel };
  throw badModel('__metadata__', `not gradscope's for a block network (format "${MODEL_FILE_TAG}", version "${BLOCK_FILE_VERSION}" with "layers"), and no { pytorch } module expression (--pytorch) to read it by; a dense chain reads with fromSafetensors`);
}

/** The architecture of a foreign state_dict, from its module expression and the loss; the tensors carry the module's names. */
function pytorchArchitecture(metadata: Record<string, string>, options: BlockSafetensorsOptions): ReadArchitecture {
  const { expression, where, fail } = pytorchOf(metadata, options);
  for (const option of ['activation', 'output'] as const) {
    if (options[option] !== undefined) throw new UnreadImportOption(option, `the module expression (${where}) gives every layer's activation`);
  }
  const { inputs, layers, names, notes } = architectureOfPytorch(expression, where, fail);
  // The loss by the dense reader's rule: gradscope's metadata is the model's record (an option must agree), another tool's says nothing.
  const recorded = gradscopeMetadata(metadata).loss;
  if (recorded !== undefined) checkAgrees('loss', options.loss, '__metadata__.loss', recorded);
  const loss = recorded ?? options.loss;
  if (loss === undefined) throw new UnstatedImportOptions('__metadata__', 'has no "loss"', ['loss'], 'to say what the model was trained on');
  const imported: ImportNotes = { lossFrom: recorded !== undefined ? '__metadata__.loss' : 'the loss option', notes: [...notes] };
  const read = outputForLogits(layers, loss, imported.notes);
  // The layers and inputs are the expression's (its giver's mistakes); the loss is the option's or the metadata's, as before.
  const specFail: Fail = (at, message) => (at.endsWith('.loss') ? badModel : fail)(at, message);
  return { architecture: checkBlockArchitecture({ loss, inputs, layers: read }, options.loss !== undefined ? 'options' : '__metadata__', specFail), names, imported, logits: read !== layers };
}

/** What a PyTorch loss that takes logits applies itself, by gradscope's loss (LOGITS_LOSS's). */
function appliedByLoss(loss: Loss): string {
  return LOSS_OUTPUT[loss] === 'softmax' ? 'log-softmax' : 'the sigmoid';
}

/**
 * How a PyTorch module that ends in logits (its last nn.Linear, no activation after it) trained with the PyTorch loss that
 * takes logits for `loss` (LOGITS_LOSS) is read, or undefined for another loss: with the output gradscope fuses with that loss.
 * The sentence a refused `output: 'linear'` beside such a loss gives (ClashingImportOptions), as outputForLogits's note says it.
 */
export function logitsReading(loss: Loss): string | undefined {
  const torchLoss = LOGITS_LOSS[loss];
  if (torchLoss === undefined) return undefined;
  const output = LOSS_OUTPUT[loss]!;
  return `a PyTorch module ending in logits (its last nn.Linear, no activation after it) trained with ${torchLoss} is read with output '${output}' (--output ${output}) and loss '${loss}': ${torchLoss} applies ${appliedByLoss(loss)} itself (the same loss and gradients)`;
}

/**
 * The note of a safetensors export whose module expression (__metadata__["pytorch"]) ends in the output module gradscope fuses with
 * `loss` where a PyTorch loss applies it itself from logits (nn.Softmax(dim=-1) before nn.CrossEntropyLoss, nn.Sigmoid() before
 * nn.BCEWithLogitsLoss), or undefined for any other output and loss. A module built from that expression and trained on with that
 * PyTorch loss applies the activation twice: it trains, with wrong gradients, without an error (newuser45 #3).
 */
export function logitsExportNote(loss: Loss, output: OutputActivation): string | undefined {
  const torchLoss = LOGITS_LOSS[loss];
  if (torchLoss === undefined || LOSS_OUTPUT[loss] !== output) return undefined;
  const module = TORCH_MODULE[output];
  return `__metadata__.pytorch ends in ${module}, gradscope's ${output} output, which its ${loss} loss takes: ${torchLoss} applies ${appliedByLoss(loss)} itself, so a module built from it and trained with ${torchLoss} applies it twice (wrong gradients, no error): build it without that last ${module} (it holds no tensors, so the state_dict loads either way)`;
}

/**
 * A module ending in logits (a dense layer with no activation after it) trained with a loss that
 * applies its own softmax or sigmoid (nn.CrossEntropyLoss: log-softmax; nn.BCEWithLogitsLoss:
 * sigmoid) is read with that activation as its output layer: gradscope fuses it with its loss
 * (LOSS_OUTPUT), and softmax + cross-entropy of the logits is nn.CrossEntropyLoss's function, with
 * the same gradients (sigmoid + binary cross-entropy likewise). Noted: predict then gives the
 * probabilities where the module gives logits.
 */
function outputForLogits(layers: LayerSpec[], loss: string, notes: string[]): LayerSpec[] {
  const last = layers[layers.length - 1];
  const torchLoss = LOGITS_LOSS[loss as Loss];
  if (torchLoss === undefined || last?.type !== 'dense' || (last.activation ?? 'linear') !== 'linear') return layers;
  const output = LOSS_OUTPUT[loss as Loss]!;
  notes.push(
    `the module ends in logits (its last nn.Linear has no activation) and the loss is ${loss}: read with a ${output} output layer, as ${torchLoss} applies ${appliedByLoss(loss as Loss)} itself (the same loss and gradients); predict gives probabilities where the module gives logits`,
  );
  return [...layers.slice(0, -1), { ...last, activation: output }];
}
