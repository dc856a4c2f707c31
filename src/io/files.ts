/**
 * Saving and loading models and checkpoints in Node; browser bundles never pull it in (they use
 * checkpoint.ts on bytes). The files themselves go through file-access.ts: atomic writes, reads of
 * what was opened, IO_ERROR for file-system failures.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkBoolean, checkSeed, checkKnownKeys, keysOf } from '../checks.js';
import { describeValue, GradscopeError, invalidOption } from '../errors.js';
import { overflowSaid } from '../json-syntax.js';
import { FILE_LIMITS, optionFault } from '../model-limits.js';
import { checkedModelJsonText } from '../network/model-file.js';
import { uncopiedNumbers } from '../network/file-numbers.js';
import { checkLoadOptions, checkNetwork, type LoadOptions, type Network } from '../api/network.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { BackendOptions } from '../backend.js';
import {
  checkCheckpointLoadOptions,
  checkpointOf,
  checkpointFileOf,
  checkpointBytes,
  isBinaryCheckpoint,
  networkFromCheckpoint,
  readCheckpointBytes,
  readCheckpointJSON,
  refuseJsonString,
  type Checkpoint,
  type OptimizerReading,
} from './checkpoint.js';
import { checkPath, parseJsonBytes, readFileBytes, writeFileAtomic } from './file-access.js';
import { checkNameAgrees, contentFormatOf, formatNamedBy, interopFormatOf, isNamedBinary, isTfjsJson, onnxUnread, unrecognisedModel, type InteropFormat } from './model-formats.js';
import { bytesBeyond } from '../byte-text.js';
import { andList } from '../list-text.js';
import { shellWord } from '../shell-word.js';
import { OptimizerStateRefused } from './optimizer-state-refused.js';
import { grouped } from '../counted.js';
import { readTrainedOn, type TrainedOn } from '../trained-on.js';

/** How saveModel encodes a checkpoint: gradscope's JSON model file or its binary checkpoint format. */
export type CheckpointEncoding = 'json' | 'binary';

/** Options of saveModel. */
export interface SaveOptions {
  /** How the file is encoded: gradscope's JSON model or its binary checkpoint. Default: 'json' for a path ending in .json, 'binary' otherwise; one the name contradicts ('binary' for x.json, 'json' for x.bin) is refused. */
  format?: CheckpointEncoding;
  /** Also save this optimiser's state (a checkpoint to resume training from). Default: none, the network and its step and RNG state only. */
  optimizer?: Optimizer;
  /** Record these rows as the ones that trained the network (the first `rows` of `data`): a command that measures it on held-out rows checks them against it. Default: the network's own record (net.trainedOn: a loaded network's, until training or any other change of its weights drops it), else none. */
  trainedOn?: TrainedOn;
}

/**
 * How a refusal of a checkpoint's name says what writes the checkpoint and what writes the format the name says, in its
 * printer's words: the API's (saveModel, writeModelFile) by default, a command's (`train` and `gradscope convert …`) where
 * it saves (as OptionRefusal's terms say options as flags).
 */
export interface CheckpointNameWords {
  /** What writes the checkpoint, and how it takes a name: "saveModel writes gradscope's checkpoint (JSON, …)". */
  writes: string;
  /** What writes `named` at `path` from the checkpoint: "writeModelFile(net, path) (…) writes onnx". */
  converts: (path: string, named: InteropFormat) => string;
}

/** How saveModel, and the commands that save through it, encode a checkpoint by its name when no format is given (encodingNamedBy). */
export const CHECKPOINT_ENCODING_WORDS = 'JSON for a name ending in .json, else binary: .bin, .ckpt, any name that says no other format';

/** The API's words: saveModel writes the checkpoint, writeModelFile the other formats. */
const API_CHECKPOINT_WORDS: CheckpointNameWords = {
  writes: `saveModel writes gradscope's checkpoint (${CHECKPOINT_ENCODING_WORDS})`,
  converts: (_path, named) => `writeModelFile(net, path) (gradscope convert, from the checkpoint) writes ${named}`,
};

/**
 * Refuses (INVALID_OPTION) a checkpoint path whose name says another format (m.safetensors, m.onnx, out/): saveModel
 * wrote its binary there, which PyTorch, onnxruntime and tfjs then fail to read; that format's file is writeModelFile's.
 * The commands that save (train --out, study --save) ask it before they train, in their own `words`.
 */
export function checkCheckpointName(path: string, words: CheckpointNameWords = API_CHECKPOINT_WORDS): void {
  const named = formatNamedBy(path);
  if (named !== undefined && named !== 'gradscope') {
    throw invalidOption(`${shellWord(path)}: the name says ${named}, and ${words.writes}; ${words.converts(path, named)}, the model without the step, RNG or optimiser state; nothing was written`);
  }
}

/** The encoding a checkpoint's name says: .json JSON, .bin binary; any other name says none (saveModel then writes binary). */
function encodingNamedBy(path: string): CheckpointEncoding | undefined {
  return path.toLowerCase().endsWith('.json') ? 'json' : isNamedBinary(path) ? 'binary' : undefined;
}

/**
 * `checkpoint` recording `trainedOn` where saveModel was given one: in place of the network's own record (net.trainedOn, on
 * its model), so the file holds the one record given, not a second one that says otherwise.
 */
function recordGiven(checkpoint: Checkpoint, trainedOn: TrainedOn | undefined): Checkpoint {
  if (trainedOn === undefined) return checkpoint;
  const model = { ...checkpoint.model };
  delete model.trainedOn;
  return { ...checkpoint, model, trainedOn };
}

/** Saves `net` (with its step, RNG state and, if given, the optimiser's state) to `path`; with the rows that trained it (net.trainedOn, or the `trainedOn` option). */
export async function saveModel(net: Network, path: string, options: SaveOptions = {}): Promise<void> {
  checkNetwork(net, 'saveModel');
  checkPath(path, 'saveModel');
  checkKnownKeys(options, keysOf<SaveOptions>({ format: true, optimizer: true, trainedOn: true }), 'saveModel');
  const named = encodingNamedBy(path);
  const format = options.format ?? named ?? 'binary';
  if (format !== 'json' && format !== 'binary') throw invalidOption(`format: expected 'json' or 'binary', got ${describeValue(format)}`);
  checkCheckpointName(path);
  // x.json holding the binary checkpoint (or x.bin JSON) misleads every reader that goes by the name.
  checkNameAgrees(path, { given: 'format', chosen: format, named, rename: format === 'json' ? '.json' : '.bin (or any name that says no other format)' });
  const trainedOn = options.trainedOn === undefined ? undefined : readTrainedOn(options.trainedOn, 'saveModel: trainedOn', optionFault);
  const checkpoint = recordGiven(checkpointOf(net, options.optimizer), trainedOn); // refuses what no reader would take back
  if (format === 'json') {
    const advice = "save it in the binary format (format: 'binary', or a path ending in .bin); nothing was written";
    // Built once, over the tensors themselves (no copies into number[]): a file the bounds prove too large is refused before
    // its text is built; one they cannot tell is refused by its text's own count, each number written once.
    const file = checkpointFileOf(checkpoint, uncopiedNumbers);
    await writeFileAtomic(path, checkedModelJsonText(file, FILE_LIMITS.maxJsonBytes, path, advice));
    return;
  }
  const bytes = checkpointBytes(checkpoint);
  if (bytes.length > FILE_LIMITS.maxBinaryBytes) {
    throw invalidOption(`${shellWord(path)}: a binary model of ${bytesBeyond(bytes.length, FILE_LIMITS.maxBinaryBytes)} that loadModel reads; nothing was written`);
  }
  await writeFileAtomic(path, bytes);
}

/**
 * Reads a checkpoint: a file saveModel wrote (JSON or binary, told apart by the magic bytes). A
 * model file (toJSON's, convert's JSON) is refused as loadCheckpoint refuses it (BAD_MODEL_FILE
 * naming the file and what it is): it holds no step, RNG or optimiser state; readModelFile or
 * loadModel reads it. Takes the path alone: every checkpoint holds its own RNG state, so the seed
 * a model file needed has nothing left to seed (a second argument is refused, INVALID_OPTION).
 */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  checkPath(path, 'readCheckpoint');
  // A JavaScript caller's options ({ seed } before model files were refused) must not be dropped unsaid.
  if (arguments.length > 1) throw invalidOption(`readCheckpoint: takes the path alone, got ${arguments.length} arguments (a checkpoint holds its own step and RNG state; a model file's seed is loadModel's option)`);
  return readCheckpointFile(path);
}

/**
 * Whether `path` is a checkpoint by its form alone: the binary magic, or JSON with a "training" key,
 * whether or not the section reads. convert and study --model took a checkpoint whose training
 * section readCheckpoint refuses for a model file (convert wrote over it). False for a file not read.
 */
export async function isCheckpointFile(path: string): Promise<boolean> {
  const bytes = await readFileBytes(path, { maxBytes: FILE_LIMITS.maxBinaryBytes }).catch(() => undefined);
  if (bytes === undefined) return false;
  if (isBinaryCheckpoint(bytes)) return true;
  if (bytes.length > FILE_LIMITS.maxJsonBytes) return false;
  try {
    const json = parseJsonBytes(bytes, 'BAD_MODEL_FILE');
    return typeof json === 'object' && json !== null && !Array.isArray(json) && 'training' in json;
  } catch {
    return false;
  }
}

/**
 * A model or checkpoint file as a Checkpoint, and whether it is a checkpoint: what saveModel writes
 * (the binary format, or JSON with a "training" section: the step and RNG state training continues
 * from, and the optimiser's state when saved with one), not a model file (toJSON, convert's JSON),
 * which holds the network alone. Every refusal names the file. The optimiser state is read as
 * `optimizer` says; one read and refused while the rest of the file reads whole without it is
 * refused as OptimizerStateRefused, which says so and how to load the network alone.
 */
async function readSavedFile(path: string, seed = 1, optimizer: OptimizerReading = 'read'): Promise<{ checkpoint: Checkpoint; isCheckpoint: boolean }> {
  await refuseFolder(path);
  const bytes = await readFileBytes(path, { maxBytes: FILE_LIMITS.maxBinaryBytes });
  try {
    return await readSavedBytes(path, bytes, seed, optimizer);
  } catch (error) {
    if (!(error instanceof GradscopeError)) throw error;
    const said = isBinaryCheckpoint(bytes) ? error : (overflowSaid(error, new TextDecoder().decode(bytes)) as GradscopeError);
    const named = said.message.startsWith(`${shellWord(path)}: `) ? said : new GradscopeError(said.code, `${shellWord(path)}: ${said.message}`);
    // Read again without the optimiser state: where that reads, the refusal was the state's alone, and the network is intact.
    const intact = optimizer === 'read' && error.code === 'BAD_MODEL_FILE' && (await readSavedBytes(path, bytes, seed, 'skip').then(() => true, () => false));
    throw intact ? new OptimizerStateRefused(path, named.message) : named;
  }
}

/** readSavedFile's read of the file's `bytes` (see it), its refusals not yet naming the file. */
async function readSavedBytes(path: string, bytes: Uint8Array, seed: number, optimizer: OptimizerReading): Promise<{ checkpoint: Checkpoint; isCheckpoint: boolean }> {
  if (isBinaryCheckpoint(bytes)) return { checkpoint: readCheckpointBytes(bytes, optimizer), isCheckpoint: true };
  // readModelFile's rule: the content decides, then the name. Bytes no model format starts with are said as such (it said
  // 'not valid JSON (…)' of a README), unless the name says JSON: then they are the JSON file that is not JSON, said as every reader says it.
  // A .bin is read as binary (its reader says what is wrong with it), an .onnx refused as readModelFile refuses it.
  const named = await interopFormatOf(path);
  if (contentFormatOf(bytes) === undefined && isNamedBinary(path)) return { checkpoint: readCheckpointBytes(bytes, optimizer), isCheckpoint: true };
  const format = contentFormatOf(bytes) ?? (named === 'gradscope' ? 'json' : named === 'onnx' ? 'onnx' : undefined);
  if (format === undefined) throw new GradscopeError('BAD_MODEL_FILE', unrecognisedModel(path, bytes));
  if (format === 'onnx') throw onnxUnread(path);
  if (format === 'safetensors') throw notLoaded('a safetensors file', 'fromSafetensors');
  if (bytes.length > FILE_LIMITS.maxJsonBytes) throw new GradscopeError('BAD_MODEL_FILE', `a JSON model of ${bytesBeyond(bytes.length, FILE_LIMITS.maxJsonBytes)}`);
  const json = parseJsonBytes(bytes, 'BAD_MODEL_FILE');
  if (isTfjsJson(json)) throw notLoaded('a tfjs layers model', 'readTfjsLayersFile');
  refuseJsonString(json);
  const checkpoint = readCheckpointJSON(json, seed, optimizer);
  return { checkpoint, isCheckpoint: (json as Record<string, unknown>).training !== undefined };
}

/** A model format loadModel does not read (it reads gradscope's own), and what does: one wording for each. */
function notLoaded(what: string, reader: string): GradscopeError {
  return new GradscopeError('BAD_MODEL_FILE', `${what}, which loadModel does not read: readModelFile or ${reader} does, and networkFromModel makes a network of what they give (gradscope convert IN OUT.json makes a gradscope model of it)`);
}

/** How many of a folder's model files a refusal names. */
const FILES_NAMED = 4;

/**
 * A folder given where loadModel, loadCheckpoint and readCheckpoint read one file, refused saying what
 * it holds and what to pass: a tfjs model folder (its model.json a tfjs layers model) as loadModel
 * refuses that model.json; else the .json and .bin files inside it (what saveModel, toJSON and convert
 * write), the first of them as the path to give. It said "cannot read (it is a folder, not a file)"
 * alone, of a tfjs folder too.
 */
async function refuseFolder(path: string): Promise<void> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return; // not a folder: readFileBytes reads it, or says why it cannot
  const files = entries.filter((e) => e.isFile() && /\.(json|bin)$/i.test(e.name)).map((e) => e.name).sort();
  if (files.includes('model.json')) {
    const json = await readFileBytes(join(path, 'model.json'), { maxBytes: FILE_LIMITS.maxJsonBytes }).then((bytes) => parseJsonBytes(bytes, 'BAD_MODEL_FILE')).catch(() => undefined);
    if (isTfjsJson(json)) throw notLoaded(`${shellWord(path)}: a folder holding a tfjs layers model (model.json and its weight files)`, 'readTfjsLayersFile');
  }
  if (files.length === 0) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot read (it is a folder, not a file, and holds no .json or .bin file): pass the file saveModel, toJSON or convert wrote`);
  const named = [...files.slice(0, FILES_NAMED).map(shellWord), ...(files.length > FILES_NAMED ? [`${grouped(files.length - FILES_NAMED)} more`] : [])];
  throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot read (it is a folder, not a file; it holds ${andList(named)}): pass the file itself, e.g. ${shellWord(join(path, files[0]))}`);
}

/** Options of loadModel: LoadOptions, and whether a checkpoint's optimiser state is read. */
export interface LoadModelOptions extends LoadOptions {
  /**
   * Leave a checkpoint's optimiser state unread: loadModel returns the network alone (loadCheckpoint gives the state),
   * so a damaged state no longer refuses the file, as Keras' load_model(path, compile=False) loads a model without its
   * optimiser. Default false: the whole file is read, and a checkpoint whose optimiser state is damaged is refused
   * (BAD_MODEL_FILE), saying so where the network's weights, step and RNG state read whole without it.
   */
  skipOptimizer?: boolean;
}

/** A network from a model or checkpoint file, with its step and RNG state (a model file's: step 0, the RNG seeded by `options.seed`). */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Network> {
  checkPath(path, 'loadModel');
  checkLoadOptions(options, 'loadModel', ['skipOptimizer']);
  // The seed is spent here, on the RNG state of a file that holds none; the network takes the file's state.
  const { seed = 1, skipOptimizer = false, ...backend } = options;
  const optimizer = checkBoolean(skipOptimizer, 'loadModel: skipOptimizer') ? 'skip' : 'read';
  const { checkpoint } = await readSavedFile(path, checkSeed(seed, 'seed'), optimizer);
  return networkOfFile(path, checkpoint, backend);
}

/**
 * A network and the optimiser state saved with it (restore it with restoreOptimizer), from a
 * checkpoint: a file saveModel wrote. A model file (toJSON's, convert's JSON) holds no step, RNG or
 * optimiser state to resume from, so it is refused (BAD_MODEL_FILE naming the file and what it is):
 * loadModel reads it. A checkpoint saved without an optimiser loads, with `checkpoint.optimizer` undefined.
 * Takes the backend's options only: a seed is refused (INVALID_OPTION) before the file is read, as the
 * network resumes from the checkpoint's own RNG state.
 */
export async function loadCheckpoint(
  path: string,
  options: BackendOptions = {},
): Promise<{
  /** The network, on the backend asked for. */
  network: Network;
  /** The whole checkpoint, its optimiser state included. */
  checkpoint: Checkpoint;
}> {
  checkPath(path, 'loadCheckpoint');
  checkCheckpointLoadOptions(options, 'loadCheckpoint');
  const checkpoint = await readCheckpointFile(path);
  return { network: await networkOfFile(path, checkpoint, options), checkpoint };
}

/**
 * The checkpoint `path` holds; a model file is refused (BAD_MODEL_FILE naming the file and what it
 * is): loadCheckpoint's and readCheckpoint's one rule.
 */
async function readCheckpointFile(path: string): Promise<Checkpoint> {
  const { checkpoint, isCheckpoint } = await readSavedFile(path);
  if (!isCheckpoint) {
    throw new GradscopeError(
      'BAD_MODEL_FILE',
      `${shellWord(path)}: a model file, not a checkpoint: it has no "training" section (the step, RNG state and optimiser state a run resumes from); loadModel reads it, and saveModel(net, path, { optimizer }) writes a checkpoint`,
    );
  }
  return checkpoint;
}

/** The network of a file's checkpoint: what the network refuses to hold (a parameter beyond RUNAWAY_PARAMETER) is the file's fault, named by it as the readers' refusals are. */
async function networkOfFile(path: string, checkpoint: Checkpoint, options: BackendOptions): Promise<Network> {
  try {
    return await networkFromCheckpoint(checkpoint, options);
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'BAD_MODEL_FILE') throw new GradscopeError(error.code, `${shellWord(path)}: ${error.message}`);
    throw error;
  }
}
