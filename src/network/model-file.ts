/**
 * gradscope's JSON model format, version 1:
 * { "format": "gradscope.model", "version": 1, "loss": "...",
 *   "layers": [ { "inputs": n, "units": m, "activation": "...", "weights": [[m rows of n]], "biases": [m] } ],
 *   "initialisation": { "init": "...", "biasInit": "...", "lsuv": true },
 *   "trainedOn": { "data": "mnist", "rows": 600 },
 *   "pytorchModule": { "layerNames": ["hidden.0", "out"], "logits": true } }
 * The output activation is the last layer's. `initialisation` (optional, src/init/initialisation.ts)
 * says how the weights were first drawn, `trainedOn` (optional, src/trained-on.ts) which rows trained
 * them, `pytorchModule` (optional, src/pytorch-record.ts) what a model imported from PyTorch keeps of
 * the module that saved it. Reading checks every field and names the first bad one.
 */
import { describeValue, GradscopeError, invalidOption } from '../errors.js';
import type { FloatArray, Loss, OutputActivation } from '../kernels.js';
import { checkActivation, checkUnits, keysOf } from '../checks.js';
import { checkLoss, checkLossPairing, checkOutputUnits, HIDDEN_SOFTMAX, MISSING_LOSS } from './config.js';
import { CHECKPOINT_FIELD, checkFileFields, checkModelLimits, checkStoredTensor, optionFault, rethrowThrough, type Fail } from '../model-limits.js';
import { valuesReadOnce } from '../array-reads.js';
import type { BlockModelData, ImportNotes } from '../layers/block-model.js';
import { BLOCK_MODEL_VERSION, blockModelFromJSON } from './block-model-file.js';
import { chainFanIns, recordedInitialisation, type Initialisation } from '../init/initialisation.js';
import { recordedTrainedOn, trainedOnCopy, type TrainedOn } from '../trained-on.js';
import { copiedNumbers, type FileNumbers } from './file-numbers.js';
import { overflowSaid, parsedJsonText } from '../json-syntax.js';
import { fewestNumberBytes, LONGEST_NUMBER } from './json-number-bounds.js';
import { counted, grouped } from '../counted.js';
import { fileLayer } from '../layer-names.js';
import { readPytorchModule, withoutLegacyBiasFree, type PytorchModule } from '../pytorch-record.js';
import { biasFreeChainAsBlocks } from './bias-free-chain.js';

export { MODEL_LIMITS } from '../model-limits.js';

/** The `format` tag of gradscope's JSON model file: a reader checks it before anything else. */
export const MODEL_FILE_TAG = 'gradscope.model';
/** The version of the model file of a network of dense layers (what modelFromJSON reads); block networks' files are version 2 (BLOCK_MODEL_VERSION). */
export const MODEL_VERSION = 1;

/** One weight layer in the JSON model file. */
export interface ModelFileLayer {
  /** Inputs of the layer. */
  inputs: number;
  /** Units of the layer. */
  units: number;
  /** The layer's activation. */
  activation: OutputActivation;
  /** `[units][inputs]` rows of weights. */
  weights: number[][];
  /** One bias per unit. */
  biases: number[];
}

/** gradscope's JSON model file (Network.toJSON, saveModel with format 'json'). */
export interface ModelFile {
  /** Always MODEL_FILE_TAG. */
  format: typeof MODEL_FILE_TAG;
  /** Always MODEL_VERSION. */
  version: typeof MODEL_VERSION;
  /** The loss the model is trained on. */
  loss: Loss;
  /** The weight layers, first first. */
  layers: ModelFileLayer[];
  /** How the weights and biases were first drawn. Absent: not recorded (a file written before 2026-12-01, or from data without it). */
  initialisation?: Initialisation;
  /** The rows that trained the model (src/trained-on.ts). Absent: not recorded (a file written before 2026-12-04, or from data without it: a Network's toJSON where net.trainedOn is undefined). */
  trainedOn?: TrainedOn;
  /** What a model imported from a PyTorch state_dict keeps of the module that saved it (src/pytorch-record.ts): its dense layers' module names, whether it ends in logits. Absent: nothing kept (nn.Sequential's names, the output module written). */
  pytorchModule?: PytorchModule;
}

/** A model's contents in memory: flat float32 weights `[units][inputs]` per layer. */
export interface ModelData {
  /** The loss the model is trained on. */
  loss: Loss;
  /** Units per layer, input first. */
  sizes: number[];
  /** activations[l] follows weights[l]; the last is the output activation. */
  activations: OutputActivation[];
  /** Per layer, `[units][inputs]` row-major. */
  weights: Float32Array[];
  /** Per layer, one bias per unit. */
  biases: Float32Array[];
  /** How the parameters were first drawn (Network.initialisation). Absent: not recorded, and a network built from the data has none. */
  initialisation?: Initialisation;
  /** The rows that trained the model, where its file records them (src/trained-on.ts): every writer writes it (gradscope's JSON model file at its top level). Absent: not recorded. */
  trainedOn?: TrainedOn;
  /**
   * What a model read from a PyTorch state_dict keeps of the module that saved it (src/pytorch-record.ts): its dense layers'
   * module names where they are not nn.Sequential's 0, 2, 4, …, and whether it ends in logits, so that toSafetensors writes
   * what that module loads. Every writer of a dense chain keeps it. Absent: nn.Sequential's names, the output module written.
   */
  pytorchModule?: PytorchModule;
  /** Set by the readers of foreign files (safetensors, tfjs): what they chose that the file did not spell out. */
  imported?: ImportNotes;
}

export type { ImportNotes };

/** The version 1 file of `model`, its tensors' values put in by `numbers` (copied, by default). */
export function modelToJSON(
  model: {
    loss: Loss;
    sizes: readonly number[];
    activations: readonly OutputActivation[];
    weights: FloatArray[];
    biases: FloatArray[];
    initialisation?: Initialisation;
    trainedOn?: TrainedOn;
    pytorchModule?: PytorchModule;
  },
  numbers: FileNumbers = copiedNumbers,
): ModelFile {
  return {
    format: MODEL_FILE_TAG,
    version: MODEL_VERSION,
    loss: model.loss,
    ...(model.initialisation && { initialisation: structuredClone(model.initialisation) }),
    ...(model.trainedOn && { trainedOn: trainedOnCopy(model.trainedOn) }),
    ...(model.pytorchModule && { pytorchModule: structuredClone(model.pytorchModule) }),
    layers: model.activations.map((activation, l) => {
      const inputs = model.sizes[l];
      const units = model.sizes[l + 1];
      const w = model.weights[l];
      return {
        inputs,
        units,
        activation,
        weights: Array.from({ length: units }, (_, j) => numbers(w.subarray(j * inputs, (j + 1) * inputs))),
        biases: numbers(model.biases[l]),
      };
    }),
  };
}

function bad(where: string, message: string): GradscopeError {
  return new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);
}

function rethrowAsBad<R>(where: string, check: () => R): R {
  return rethrowThrough(bad, where, check);
}

/** JSON text parsed, or parsed JSON taken as it is; a BAD_MODEL_FILE error at `where` unless it is an object. */
export function parseModelJson(json: unknown, where: string): Record<string, unknown> {
  if (typeof json === 'string') json = parsedJsonText(json, where, bad);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(where, 'expected a JSON object');
  return json as Record<string, unknown>;
}

/** The `format` tag first; a data file ({ inputs, targets }) given where a model belongs is named as one, any other JSON as not a model. */
function checkFormatTag(file: Record<string, unknown>): void {
  if (file.format === MODEL_FILE_TAG) return;
  const dataFile = file.format === undefined && 'inputs' in file && 'targets' in file;
  const found = file.format === undefined ? 'there is none' : `got ${describeValue(file.format)}`;
  const what = dataFile ? ': this is a data file ({ inputs, targets }), not a model' : file.format === undefined ? ': this JSON is not a gradscope model or checkpoint' : '';
  throw bad('format', `expected "${MODEL_FILE_TAG}", ${found}${what}`);
}

/** Reads and checks a model file of either version (parsed JSON or its text): ModelData from version 1 (BlockModelData where its layers have no bias: denseModelFromFile), BlockModelData from version 2. */
export function readModelJSON(json: unknown): ModelData | BlockModelData {
  try {
    const file = parseModelJson(json, 'model');
    checkFormatTag(file);
    const version = file.version; // read once: a getter answering 1 and then 2 read as a dense model refused as 'a network built from layer specs'
    return version === BLOCK_MODEL_VERSION ? blockModelFromJSON(file) : denseModelFromFile(file, version);
  } catch (error) {
    throw typeof json === 'string' ? overflowSaid(error, json) : error;
  }
}

/**
 * Reads and checks a version 1 model file, a network of dense layers (parsed JSON or its text); a version 2 file is refused (read it
 * with readModelJSON), as is an older one whose layers have no bias (pytorchModule.biasFree), now a block network.
 */
export function modelFromJSON(json: unknown): ModelData {
  const file = parseModelJson(json, 'model');
  checkFormatTag(file);
  const model = denseModelFromFile(file, file.version);
  if ('kind' in model) {
    const free = model.layers.flatMap((spec, l) => (spec.type === 'dense' && spec.bias === false ? [l] : []));
    const layers = free.length === 1 ? `layers[${free[0]}] has` : `layers ${free.join(', ')} have`;
    throw bad('pytorchModule.biasFree', `${layers} no bias (nn.Linear(bias=False)), which makes a network built from layer specs: read it with readModelJSON or Network.fromJSON`);
  }
  return model;
}

/**
 * modelFromJSON of a parsed file whose version the caller read, once: a getter answering 1 and then 2 was refused as 'reads versions 1 and 2, got 2'.
 * A file whose record lists layers without a bias (pytorchModule.biasFree, written before session 53) is the block network it is.
 */
function denseModelFromFile(file: Record<string, unknown>, version: unknown): ModelData | BlockModelData {
  if (version === BLOCK_MODEL_VERSION) throw bad('version', `2 is a network built from layer specs: read it with readModelJSON or Network.fromJSON`);
  if (version !== MODEL_VERSION) throw bad('version', `this gradscope reads versions ${MODEL_VERSION} and ${BLOCK_MODEL_VERSION}, got ${describeValue(version)}`);
  checkFileFields(file, [...keysOf<ModelFile>({ format: true, version: true, loss: true, layers: true, initialisation: true, trainedOn: true, pytorchModule: true }), CHECKPOINT_FIELD], 'model', bad);
  if (file.loss === undefined) throw bad('loss', MISSING_LOSS);
  const loss = rethrowAsBad('loss', () => checkLoss(file.loss));
  const layers: unknown = file.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw bad('layers', 'expected a non-empty array');
  checkModelLimits(Array<number>(layers.length + 1).fill(0), 'layers', bad); // the depth, before reading each layer

  // Index loops throughout: forEach and map skip the holes of sparse arrays, which would read as zeros.
  const sizes: number[] = [];
  const activations: OutputActivation[] = [];
  const fields: Record<string, unknown>[] = [];
  for (let l = 0; l < layers.length; l++) {
    const where = fileLayer(l);
    const layer: unknown = layers[l];
    if (typeof layer !== 'object' || layer === null) throw bad(where, 'expected an object');
    checkFileFields(layer, keysOf<ModelFileLayer>({ inputs: true, units: true, activation: true, weights: true, biases: true }), where, bad);
    const { inputs, units, activation } = layer as Record<string, unknown>;
    const nIn = rethrowAsBad(`${where}.inputs`, () => checkUnits(inputs, 'inputs'));
    const nOut = rethrowAsBad(`${where}.units`, () => checkUnits(units, 'units'));
    if (l === 0) sizes.push(nIn);
    else if (nIn !== sizes[l]) throw bad(`${where}.inputs`, `is ${nIn} but the previous layer has ${counted(sizes[l], 'unit')}`);
    sizes.push(nOut);
    activations.push(rethrowAsBad(`${where}.activation`, () => checkActivation(activation, 'activation')));
    if (activations[l] === 'softmax' && l < layers.length - 1) throw bad(`${where}.activation`, HIDDEN_SOFTMAX);
    fields.push(layer as Record<string, unknown>);
  }
  checkModelLimits(sizes, 'layers', bad);
  const last = layers.length - 1;
  checkOutputUnits(activations[last], sizes[last + 1], fileLayer(last), bad);
  rethrowAsBad('loss', () => checkLossPairing(loss, activations));

  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l < fields.length; l++) {
    const where = `${fileLayer(l)}.weights`;
    const rows = fields[l].weights;
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    if (!Array.isArray(rows) || rows.length !== nOut) {
      // Keras' layout, [inputs][units], is the transpose of this one (newuser43 #10 got the count alone).
      const transposed = Array.isArray(rows) && nIn !== nOut && rows.length === nIn && Array.isArray(rows[0]) && rows[0].length === nOut;
      throw bad(where, `expected ${counted(nOut, 'row')} (one per unit)${transposed ? `, got ${counted(nIn, 'row')} of ${nOut}: transposed? weights are [units][inputs], PyTorch's nn.Linear layout, not Keras' [inputs][units]` : ''}`);
    }
    // Every row's length before the allocation: a file of empty rows must not buy nIn·nOut floats. Each row read once (valuesReadOnce says why).
    const given: unknown[][] = [];
    for (let j = 0; j < nOut; j++) {
      const row: unknown = rows[j];
      if (!Array.isArray(row) || row.length !== nIn) throw bad(`${where}[${j}]`, `expected ${counted(nIn, 'number')} (one per input)`);
      given.push(row);
    }
    const flat = new Float32Array(nIn * nOut);
    for (let j = 0; j < nOut; j++) copyValues(flat, j * nIn, given[j], nIn, `${where}[${j}]`);
    weights.push(flat);
    const values = fields[l].biases;
    if (!Array.isArray(values) || values.length !== nOut) throw bad(`${fileLayer(l)}.biases`, `expected ${counted(nOut, 'number')}`);
    const b = new Float32Array(nOut);
    copyValues(b, 0, values, nOut, `${fileLayer(l)}.biases`);
    biases.push(b);
  }
  const { biasFree, ...record } = recordedFileModule(file, { loss, activations }, 'pytorchModule', bad);
  const model = { loss, sizes, activations, weights, biases, ...recordedInitialisation(file, 'initialisation', bad, chainFanIns(sizes)), ...recordedTrainedOn(file, 'trainedOn', bad), ...record };
  return biasFree.length === 0 ? model : biasFreeChainAsBlocks(model, biasFree, bad, (l) => `${fileLayer(l)}.biases`);
}

/**
 * recordedPytorchModule of a dense chain's file (a JSON model file or checkpoint, a binary checkpoint's header), whose record,
 * written before session 53, may list layers without a bias (withoutLegacyBiasFree): those as `biasFree`, empty where there are none.
 */
export function recordedFileModule(holder: { pytorchModule?: unknown }, model: { loss: Loss; activations: readonly OutputActivation[] }, where: string, fail: Fail): { pytorchModule?: PytorchModule; biasFree: number[] } {
  const { record, biasFree } = withoutLegacyBiasFree(holder.pytorchModule, model.activations.length, where, fail);
  return { ...recordedPytorchModule({ pytorchModule: record }, model, where, fail), biasFree };
}

/** `{ pytorchModule }` read from `holder.pytorchModule` (`where` names it) for a chain of `model`'s activations and loss, or `{}` where it records none. */
export function recordedPytorchModule(holder: { pytorchModule?: unknown }, model: { loss: Loss; activations: readonly OutputActivation[] }, where: string, fail: Fail): { pytorchModule?: PytorchModule } {
  const record = holder.pytorchModule === undefined ? undefined : readPytorchModule(holder.pytorchModule, model, where, fail);
  return record ? { pytorchModule: record } : {};
}

/** target[offset…] = the `length` values (a row of weights or the biases: parameters), each read once and checked with the rules every format shares. */
function copyValues(target: Float32Array, offset: number, values: unknown[], length: number, where: string): void {
  const copy = valuesReadOnce(values, length);
  checkStoredTensor(copy, (i) => `${where}[${i}]`, true, bad);
  target.set(copy as number[], offset);
}

/**
 * `model` holds what every model format stores and reads back: an architecture within
 * MODEL_LIMITS whose loss fits its output, and one tensor of finite float32 values of the right
 * length per weight and bias. Run on create, save and load, so whatever saves, loads. Returns what
 * it checked as a copy, each field read once (valuesReadOnce): callers use the copy, never `model`
 * again, which the caller may change meanwhile (while a load awaits its backend) or whose getters may
 * answer a second read otherwise.
 */
export function checkedModelData(model: ModelData, where = 'model', fail: Fail = optionFault): ModelData {
  const { sizes: givenSizes, activations: givenActivations, weights, biases } = model;
  if (!Array.isArray(givenSizes) || givenSizes.length < 2) throw fail(`${where}.sizes`, 'expected at least an input and an output size');
  const depth = givenSizes.length - 1;
  checkModelLimits(Array<number>(depth + 1).fill(0), `${where}.sizes`, fail); // the depth, before reading each size
  const sizes: number[] = [];
  for (let l = 0; l <= depth; l++) sizes.push(rethrowThrough(fail, `${where}.sizes[${l}]`, () => checkUnits(givenSizes[l], 'units')));
  checkModelLimits(sizes, `${where}.sizes`, fail);
  if (!Array.isArray(givenActivations) || givenActivations.length !== depth) throw fail(`${where}.activations`, `expected ${depth}, one per layer`);
  const activations: OutputActivation[] = [];
  for (let l = 0; l < depth; l++) activations.push(rethrowThrough(fail, `${where}.activations[${l}]`, () => checkActivation(givenActivations[l], 'activation')));
  checkOutputUnits(activations[depth - 1], sizes[depth], `${where}.activations[${depth - 1}]`, fail);
  const loss = rethrowThrough(fail, `${where}.loss`, () => checkLoss(model.loss));
  rethrowThrough(fail, `${where}.loss`, () => checkLossPairing(loss, activations));
  const recorded = {
    ...recordedInitialisation(model, `${where}.initialisation`, fail, chainFanIns(sizes)),
    ...recordedTrainedOn(model, `${where}.trainedOn`, fail),
    ...recordedPytorchModule(model, { loss, activations }, `${where}.pytorchModule`, fail),
  };
  if (!Array.isArray(weights) || weights.length !== depth) throw fail(`${where}.weights`, `expected ${depth} tensors, one per layer`);
  if (!Array.isArray(biases) || biases.length !== depth) throw fail(`${where}.biases`, `expected ${depth} tensors, one per layer`);
  const tensor = (values: ArrayLike<number> | undefined, length: number, at: string): Float32Array => {
    if (values?.length !== length) throw fail(at, `expected ${grouped(length)} values, got ${describeLength(values)}`);
    const copy = valuesReadOnce(values, length);
    checkStoredTensor(copy, (i) => `${at}[${i}]`, true, fail);
    return Float32Array.from(copy as ArrayLike<number>);
  };
  const checkedWeights: Float32Array[] = [];
  const checkedBiases: Float32Array[] = [];
  for (let l = 0; l < depth; l++) {
    checkedWeights.push(tensor(weights[l], sizes[l] * sizes[l + 1], `${where}.weights[${l}]`));
    checkedBiases.push(tensor(biases[l], sizes[l + 1], `${where}.biases[${l}]`));
  }
  return { loss, sizes, activations, weights: checkedWeights, biases: checkedBiases, ...recorded };
}

function describeLength(values: { length?: unknown } | undefined): string {
  return typeof values?.length === 'number' ? grouped(values.length) : 'none';
}

/**
 * The JSON text of a model or checkpoint file. As JSON.stringify, except that −0 is written as
 * `-0` (JSON.stringify writes 0; JSON.parse reads `-0` back as −0), so a JSON round trip is bit-exact.
 * Counts the UTF-8 bytes as it goes and refuses (INVALID_OPTION, `where: …` and `advice`) as soon as
 * they pass `maxBytes`: a large network's text would otherwise outgrow the longest string V8 builds
 * (~2²⁹ characters) and end in a raw RangeError, after seconds of work.
 */
export function modelJsonText(value: unknown, maxBytes: number, where: string, advice: string): string {
  return writeJson(value, budget(maxBytes, where, advice), { text: modelNumberText });
}

/**
 * Refuses, as modelJsonText would (same count, same message), a `value` whose JSON text passes
 * `maxBytes`, without building the text (toJSON's check: it returns the data, not the text):
 * the bounds first (checkModelJsonBounds), and only where they cannot tell, the numbers written
 * and counted. JSON.stringify's text is never longer than the one counted (it writes −0 as 0).
 */
export function checkModelJsonSize(value: unknown, maxBytes: number, where: string, advice: string): void {
  if (checkModelJsonBounds(value, maxBytes, where, advice)) return;
  writeJson(value, budget(maxBytes, where, advice), { bytes: (v) => modelNumberText(v).length });
}

/**
 * The JSON text of a model or checkpoint file as modelJsonText writes it, refused as
 * checkModelJsonSize refuses it, with each number written once (the writers' path: saveModel,
 * writeModelFile). The bounds decide before any text is built; where they cannot tell, the text's
 * own count refuses it as soon as it passes `maxBytes`, having built no more than that.
 */
export function checkedModelJsonText(value: unknown, maxBytes: number, where: string, advice: string): string {
  checkModelJsonBounds(value, maxBytes, where, advice);
  return modelJsonText(value, maxBytes, where, advice);
}

/**
 * What the bounds on each number's characters prove of `value`'s JSON text, without writing a
 * number: true where every number at its longest (LONGEST_NUMBER) fits `maxBytes`; a refusal
 * (INVALID_OPTION, modelJsonText's message) as soon as the count with every number at its fewest
 * characters (fewestNumberBytes) passes it; false in between, where only the numbers themselves tell.
 */
function checkModelJsonBounds(value: unknown, maxBytes: number, where: string, advice: string): boolean {
  let longest = 0;
  writeJson(value, (bytes) => (longest += bytes), { bytes: () => LONGEST_NUMBER.length });
  if (longest <= maxBytes) return true;
  writeJson(value, budget(maxBytes, where, advice), { bytes: fewestNumberBytes });
  return false;
}

/** A number as model files write it: JSON's, but −0 as `-0`. */
function modelNumberText(v: number): string {
  return Object.is(v, -0) ? '-0' : JSON.stringify(v);
}

/** How writeJson takes a number: its text, where it builds the text; its bytes alone, where it only counts them. */
type NumberForm = { text: (v: number) => string } | { bytes: (v: number) => number };

/** Numbers of a tensor counted before their bytes are spent: a refusal comes at most this many numbers after the count passes. */
const SPENT_AT_ONCE = 4096;

/** Spends bytes of a budget of `maxBytes`, refusing (INVALID_OPTION naming `where`, then `advice`) once it passes. */
function budget(maxBytes: number, where: string, advice: string): (bytes: number) => void {
  let left = maxBytes;
  return (bytes) => {
    left -= bytes;
    if (left < 0) throw invalidOption(`${where}: its JSON text passes ${grouped(maxBytes)} bytes, the most a JSON model file may hold; ${advice}`);
  };
}

/**
 * Walks `value` as JSON text, handing `spend` the UTF-8 bytes of every piece (numbers as `number`
 * writes or counts them), and returns the text, or '' without building it where `number` only counts.
 */
function writeJson(value: unknown, spend: (bytes: number) => void, number: NumberForm): string {
  const build = 'text' in number;
  const counted = (piece: string): string => {
    spend(utf8Bytes(piece));
    return piece;
  };
  const text = (v: unknown): string => {
    if (typeof v === 'number') {
      if (!build) {
        spend(number.bytes(v)); // ASCII
        return '';
      }
      const digits = number.text(v);
      spend(digits.length); // ASCII
      return digits;
    }
    if (!build && (v instanceof Float32Array || v instanceof Float64Array)) {
      // A tensor standing for its copy (uncopiedNumbers), counted in a plain loop and spent a chunk at a time.
      spend(Math.max(2, v.length + 1)); // brackets and commas
      for (let start = 0; start < v.length; start += SPENT_AT_ONCE) {
        let bytes = 0;
        for (let i = start; i < Math.min(v.length, start + SPENT_AT_ONCE); i++) bytes += number.bytes(v[i]);
        spend(bytes);
      }
      return '';
    }
    if (Array.isArray(v) || isTypedArray(v)) {
      // A typed array is a tensor standing for its copy (uncopiedNumbers), read as that array.
      const items = v as ArrayLike<unknown>;
      spend(Math.max(2, items.length + 1)); // brackets and commas
      if (build) return `[${Array.from(items, text).join(',')}]`;
      for (let i = 0; i < items.length; i++) text(items[i]);
      return '';
    }
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).filter(([, item]) => item !== undefined);
      spend(Math.max(2, 2 * entries.length + 1)); // braces, colons and commas
      const member = ([key, item]: [string, unknown]) => `${counted(JSON.stringify(key))}:${text(item)}`;
      if (build) return `{${entries.map(member).join(',')}}`;
      for (const entry of entries) member(entry);
      return '';
    }
    return counted(JSON.stringify(v) ?? 'null');
  };
  return text(value);
}

/** Whether `v` is a typed array (any kind: a JavaScript caller's ModelData may hold an Int32Array), not a DataView. */
function isTypedArray(v: unknown): boolean {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** UTF-8 length of a piece of JSON text (numbers and names are printable ASCII, a byte per character: no encoder needed). */
function utf8Bytes(text: string): number {
  return /^[ -~]*$/.test(text) ? text.length : new TextEncoder().encode(text).length;
}
