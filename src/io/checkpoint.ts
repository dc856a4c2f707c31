/**
 * Checkpoints: a model plus what training needs to continue bit for bit (the step count, the RNG
 * state behind shuffling, and any optimiser's state()), as JSON or as gradscope's binary format.
 * Bytes and objects in, bytes and objects out: this module works in browsers too (files.ts is the
 * Node-only part).
 *
 * Binary format, version 1, all integers little-endian:
 *   0   8 bytes  magic "GSCOPE\r\n" (the CR LF catches text-mode mangling, as PNG's magic does)
 *   8   u32      format version (1)
 *   12  u32      header length H (≤ CHECKPOINT_LIMITS.maxHeaderBytes)
 *   16  H bytes  UTF-8 JSON header: { loss, sizes, activations, step, rng, optimizer: null |
 *                { name, scalars, lengths }, initialisation? } (initialisation as the JSON model
 *                file's, src/init/initialisation.ts; absent when not recorded), trainedOn?
 *                ({ data, rows }: the rows that trained it, src/trained-on.ts, checkpointRecord: the
 *                checkpoint's, else its model's; absent when neither records them), pytorchModule?
 *                (what a model imported from PyTorch keeps of its module, src/pytorch-record.ts)
 *   …   0–3 zero bytes, so the payload starts at a multiple of 4
 *   …   f32 payload: per layer its weights ([units][inputs] row-major) then its biases; then each
 *                optimiser tensor, in order
 *   end−4 u32    CRC-32 of every byte before it
 * Version 2 holds a block network (built from layer specs), laid out the same way except: the
 * header's { inputs, loss, layers } replace { loss, sizes, activations }, and the payload holds
 * every parameter and state buffer in PyTorch's state_dict order (blockTensorLayout of the layers; batch
 * norm's running statistics and num_batches_tracked included) before the optimiser's tensors.
 * Networks of dense layers keep writing version 1.
 * Every size is checked against the file's length before anything is allocated.
 */
import { BACKEND_OPTIONS, type BackendOptions } from '../backend.js';
import { checkBoolean, checkBytesArgument, checkKnownKeys, checkObjectArgument, checkSeed } from '../checks.js';
import { describeValue, GradscopeError, invalidOption } from '../errors.js';
import { Rng, rngStateProblem } from '../init/rng.js';
import type { Loss, OutputActivation } from '../kernels.js';
import { checkedModelData, MODEL_VERSION, modelToJSON, readModelJSON, recordedFileModule, type ModelData, type ModelFile } from '../network/model-file.js';
import { biasFreeChainAsBlocks } from '../network/bias-free-chain.js';
import { blockModelToJSON, type BlockModelFile } from '../network/block-model-file.js';
import { copiedNumbers, type FileNumbers } from '../network/file-numbers.js';
import { checkBlockArchitecture, checkBlockModel, isParameter, recordedBlockPytorchModule } from '../network/block-model-check.js';
import { elementsOf } from '../layers/block-layout.js';
import { parameterCountOf } from '../network/memory-budget.js';
import type { BlockModelData } from '../layers/block-model.js';
import { checkFloat32Values, checkStepCount, checkStoredTensor, elementPath, optionFault, type ElementPath, type Fail } from '../model-limits.js';
import { lengthOf, valuesReadOnce } from '../array-reads.js';
import { checkNetwork, type Network } from '../api/network.js';
import { MODEL } from '../model.js';
import { checkOptimizer, checkOptimizerFor, checkStateKind, type Optimizer, type OptimizerState } from '../optim/optimizer.js';
import { OPTIMIZERS, optimizerNames } from '../optim/index.js';
import { savedRulesProblem, savedScalarsProblem, savedSettingProblem } from '../optim/recorded-settings.js';
import { crc32 } from './crc32.js';
import { OptimizerStateRefused, type InMemoryCheckpointReader } from './optimizer-state-refused.js';
import { chainFanIns, recordedInitialisation, type DenseFanIn } from '../init/initialisation.js';
import { namedDenseFanIns } from '../layers/spec.js';
import { badModel, blockModelOf, checkArchitecture, modelOf, networkFromModel, readActivation, readLoss } from './model-data.js';
import { notJsonMessage, parsedJsonText } from '../json-syntax.js';
import { grouped } from '../counted.js';
import { bytesBeyond } from '../byte-text.js';
import { fileLayer } from '../layer-names.js';
import { readTrainedOn, recordedTrainedOn, trainedOnCopy, type TrainedOn } from '../trained-on.js';

/** The first 8 bytes of a binary checkpoint. */
export const CHECKPOINT_BINARY_MAGIC = Uint8Array.from([0x47, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0d, 0x0a]); // "GSCOPE\r\n"
/** The binary checkpoint format version of a network of dense layers (a block network's is CHECKPOINT_BINARY_BLOCK_VERSION). */
export const CHECKPOINT_BINARY_VERSION = 1;
/** The binary checkpoint format version of a block network. */
export const CHECKPOINT_BINARY_BLOCK_VERSION = 2;
/** Limits enforced on load (the architecture's own limits are MODEL_LIMITS). */
export const CHECKPOINT_LIMITS = {
  /** Largest JSON header of a binary checkpoint, in bytes (1 MiB). */
  maxHeaderBytes: 1 << 20,
  /** Most optimiser state tensors. */
  maxOptimizerTensors: 1 << 14,
  /** Most optimiser state scalars. */
  maxOptimizerScalars: 256,
  /** Longest optimiser name, in characters. */
  maxNameLength: 64,
} as const;

const FIXED_HEADER = 16;
const TRAILER = 4;

/** A model plus what training needs to continue bit for bit. */
export interface Checkpoint {
  /** The architecture, loss and parameters (a block network's: BlockModelData, running statistics included). */
  model: ModelData | BlockModelData;
  /** Training steps taken. */
  step: number;
  /** The network RNG's four state words (shuffling continues where it stopped). */
  rng: number[];
  /** The optimiser's state(), when one was saved. */
  optimizer?: OptimizerState;
  /** The rows that trained the network, when recorded (saveModel's trainedOn). Where `model.trainedOn` says otherwise, this wins (checkpointRecord); the readers (checkpointFromJSON, decodeCheckpoint) put this one record on `model.trainedOn` too. */
  trainedOn?: TrainedOn;
}

/**
 * The one record of the rows that trained a checkpoint's network, where it may hold two: the
 * checkpoint's own (a JSON file's `training.trainedOn`), else its model's (a JSON file's top-level
 * `trainedOn`). The checkpoint's wins: saveModel writes it from what the run that saved the network
 * knew (train --out's rows, study --model's after training on more), while a model's record is
 * what it carried from the file it was read from (a Network that a run trained has dropped its own,
 * net.trainedOn); where the two differ, the model's is the older. The binary header, which has one place,
 * holds this; readCheckpoint and readModelFile of either encoding give it.
 */
export function checkpointRecord(checkpoint: { trainedOn?: TrainedOn; model: { trainedOn?: TrainedOn } }): TrainedOn | undefined {
  return checkpoint.trainedOn ?? checkpoint.model.trainedOn;
}

/**
 * A checkpoint of `net` (and `optimizer`'s state, if given): copies, so training may go on.
 * Refuses (INVALID_OPTION, naming the value) what the readers would refuse, so whatever saves, loads.
 */
export function checkpointOf(net: Network, optimizer?: Optimizer): Checkpoint {
  checkNetwork(net, 'checkpointOf');
  const model = net.kind === 'blocks' ? blockModelOf(net) : modelOf(net); // throws DISPOSED first
  const state = optimizer === undefined ? undefined : checkOptimizerFor(optimizer, net[MODEL]).state();
  const checkpoint = {
    model,
    step: net.step,
    rng: net.rng.getState(),
    optimizer: state && { name: state.name, scalars: { ...state.scalars }, tensors: state.tensors.map((t) => Float32Array.from(t)) },
  };
  return checkedCheckpoint(checkpoint, optionFault);
}

/**
 * A checkpoint passed to `who`: an object whose model is one (INVALID_OPTION naming `who` otherwise); the fields are checked where they are read.
 * Returns the model as it read it, the one read of `checkpoint.model`: the caller uses it, never `checkpoint.model` again (valuesReadOnce says why).
 */
function checkCheckpointArgument(checkpoint: unknown, who: string): Checkpoint['model'] {
  checkObjectArgument(checkpoint, who, 'a Checkpoint (from checkpointOf or readCheckpoint)');
  const model = (checkpoint as Partial<Checkpoint>).model;
  checkObjectArgument(model, `${who}: checkpoint.model`, 'ModelData or BlockModelData');
  return model as Checkpoint['model'];
}

/**
 * Every field of `checkpoint` by the rules the readers apply (the readers apply them as they parse),
 * its model named `model` (checkpointOf's 'net': the network it was made of); `given` is its model as
 * the caller read it (checkCheckpointArgument), else read here. Returns what it checked as a copy, each
 * field read once: callers use the copy, never `checkpoint` again (valuesReadOnce says why).
 */
export function checkedCheckpoint(checkpoint: Checkpoint, fail: Fail = badModel, model = 'net', given: Checkpoint['model'] = checkpoint.model): Checkpoint {
  const checked: Checkpoint = {
    model: 'kind' in given ? checkBlockModel(given, model, fail).model : checkedModelData(given, model, fail),
    step: checkStepCount(checkpoint.step, 'step', fail),
    rng: readRng(checkpoint.rng, 'rng', fail),
  };
  const trainedOn = checkpoint.trainedOn;
  if (trainedOn !== undefined) checked.trainedOn = readTrainedOn(trainedOn, 'trainedOn', fail);
  const o = checkpoint.optimizer;
  if (o === undefined || o === null) return checked;
  if (!isRecord(o)) throw fail('optimizer', `expected an optimiser's state() or nothing, got ${describeValue(o)}`);
  const name = readName(o.name, 'optimizer.name', fail);
  const scalars = readScalars(o.scalars, 'optimizer.scalars', name, fail);
  const tensors: unknown = o.tensors;
  if (!Array.isArray(tensors) || tensors.length > CHECKPOINT_LIMITS.maxOptimizerTensors) {
    throw fail('optimizer.tensors', `expected an array of at most ${grouped(CHECKPOINT_LIMITS.maxOptimizerTensors)} tensors`);
  }
  const longest = longestOptimizerTensor(checked.model);
  checked.optimizer = { name, scalars, tensors: Array.from(tensors as unknown[], (t, i) => checkedFloat32Tensor(t, longest, `optimizer.tensors[${i}]`, fail)) };
  return checked;
}

/**
 * The most values an optimiser's state tensor of `model` may hold: one per parameter tensor (momentum,
 * Adam's moments, L-BFGS' pairs, conjugate gradients' warm start) is at most the model's count of
 * values, and K-FAC's factors of a layer are square in its inputs + 1 or its units.
 */
function longestOptimizerTensor(model: Checkpoint['model']): number {
  if (!('kind' in model)) return Math.max(parameterCountOf(model.sizes), (Math.max(...model.sizes) + 1) ** 2);
  let values = 0;
  let widest = 0;
  for (const t of model.tensors) {
    values += t.values.length;
    for (const n of t.shape) widest = Math.max(widest, n);
  }
  return Math.max(values, (widest + 1) ** 2);
}

/**
 * `values`, an array-like of a whole length within `longest` (checked first, read once: a length of
 * 1e10 is refused, not allocated), read once (valuesReadOnce), checked finite in float32 (checkFloat32Values), as float32.
 */
function checkedFloat32Tensor(values: unknown, longest: number, where: string, fail: Fail): Float32Array {
  const length = lengthOf(values);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > longest) {
    const got = typeof length === 'number' ? `a length of ${length}` : describeValue(values);
    throw fail(where, `expected an array of at most ${grouped(longest)} numbers (a Float32Array, as an optimiser's state() gives: the model's largest), got ${got}`);
  }
  const copy = valuesReadOnce(values as ArrayLike<unknown>, length);
  checkFloat32Values(copy, where, fail);
  return Float32Array.from(copy as ArrayLike<number>);
}

/**
 * A hand-built checkpoint given to the exported writer `who`, checked whole before anything is
 * written (checkedCheckpoint: the readers' rules), so that a writer never makes a file its reader
 * refuses: INVALID_OPTION naming the field (`who: checkpoint.model.weights[0]: …`). The writer writes the copy it returns.
 */
function checkedWrittenCheckpoint(checkpoint: unknown, who: string): Checkpoint {
  const model = checkCheckpointArgument(checkpoint, who);
  return checkedCheckpoint(checkpoint as Checkpoint, (where, message) => optionFault(`${who}: checkpoint.${where}`, message), 'model', model);
}

/**
 * A network on `backend` holding the checkpoint's parameters, step and RNG state, and the record of the rows
 * that trained it (net.trainedOn). Takes the backend's
 * options only: a seed is refused (checkCheckpointLoadOptions), as the network resumes from the RNG
 * state the checkpoint holds.
 */
export async function networkFromCheckpoint(checkpoint: Checkpoint, options: BackendOptions = {}): Promise<Network> {
  const model = checkCheckpointArgument(checkpoint, 'networkFromCheckpoint');
  checkCheckpointLoadOptions(options, 'networkFromCheckpoint');
  // The one record of its training rows the readers give (checkpointRecord: the checkpoint's, else its model's, which networkFromModel reads), a hand-built checkpoint's too, becomes net.trainedOn.
  const own = checkpoint.trainedOn;
  const trainedOn = own === undefined ? undefined : readTrainedOn(own, 'networkFromCheckpoint: checkpoint.trainedOn', optionFault);
  // Read and checked before the backend is awaited, as networkFromModel reads the model: the caller may change its checkpoint meanwhile.
  const rng = readRng(checkpoint.rng, 'networkFromCheckpoint: checkpoint.rng', optionFault);
  const step = checkStepCount(checkpoint.step, 'networkFromCheckpoint: checkpoint.step');
  const net = await networkFromModel(trainedOn === undefined ? model : { ...model, trainedOn }, options);
  net.rng.setState(rng);
  net.step = step;
  return net;
}

/**
 * The options of a network built from a checkpoint (networkFromCheckpoint, loadCheckpoint): the
 * backend's, nothing else. A seed is refused saying why (INVALID_OPTION), not taken and dropped: the
 * network resumes from the RNG state every checkpoint holds, so no seed could have an effect.
 */
export function checkCheckpointLoadOptions(options: BackendOptions, who: string): void {
  checkObjectArgument(options, who, 'an options object');
  if (Object.keys(options).includes('seed')) {
    throw invalidOption(`${who}: seed: a checkpoint holds its own RNG state, which the network resumes from, so a seed would have no effect (loadModel's seed seeds the network of a model file, which holds none)`);
  }
  checkKnownKeys(options, BACKEND_OPTIONS, who);
}

/**
 * Restores an optimiser from a checkpoint's state, refusing (INVALID_OPTION, naming both kinds) another
 * optimiser's state and a checkpoint that holds none, before anything changes. As PyTorch's
 * Optimizer.load_state_dict restores param groups' lr, an optimiser that takes a learning rate takes
 * the state's (its defaultLearningRate, what train() uses when given none), and refuses a state
 * saved under other hyperparameters (β, ε, momentum, weight decay, L-BFGS's memory, K-FAC's
 * damping, …) than its own: src/optim/recorded-settings.ts.
 */
export function restoreOptimizer(optimizer: Optimizer, state: OptimizerState | undefined): void {
  checkOptimizer(optimizer, 'a network: restoreOptimizer takes the optimiser first, made by createOptimizer(network, spec), then checkpoint.optimizer');
  const where = `${String(optimizer.name)}: restore`;
  if (state === undefined || state === null) {
    throw invalidOption(`${where}: the checkpoint holds no optimiser state (saveModel saves one only when given { optimizer }); there is nothing to restore, and this optimiser starts afresh as it is`);
  }
  // A whole Checkpoint for its optimiser state was said as a state 'whose name is undefined'.
  if (typeof state === 'object' && 'model' in state && 'step' in state) {
    throw invalidOption(`${where}: got a whole checkpoint; pass its optimiser state, checkpoint.optimizer`);
  }
  // The rule every built-in restore() applies too: a plugin's optimiser is held to it here.
  optimizer.restore(checkStateKind(state, where, optimizer.name, restoredBy(state.name)));
}

/**
 * Who restores a state saved under `name` (quoted as `kind`), as the registry has it now: the call
 * that makes its optimiser when `name` is registered; else that none is (a plugin's state before
 * its registerOptimizer, or a corrupt name), so that no createOptimizer call is offered that fails.
 */
function restoredBy(name: unknown): (kind: string) => string {
  return (kind) =>
    OPTIMIZERS.some((d) => d.name === name)
      ? `createOptimizer(network, ${kind}) makes the optimiser that restores it`
      : `no optimiser named ${kind} is registered (registered: ${optimizerNames().join(', ')}); only one registered under that name (registerOptimizer) restores it`;
}

// ---- JSON ----

/** The training section of a JSON checkpoint. */
export interface CheckpointTraining {
  /** What training needs to continue. */
  training: {
    /** Training steps taken. */
    step: number;
    /** The RNG's four state words. */
    rng: number[];
    /** The optimiser's state, or null when none was saved. */
    optimizer: null | {
      /** The optimiser's registry name. */
      name: string;
      /** Its scalars (step count, hyperparameters). */
      scalars: Record<string, number>;
      /** Its buffers, as plain number arrays. */
      tensors: number[][];
    };
    /** The rows that trained the network (src/trained-on.ts), when recorded. */
    trainedOn?: TrainedOn;
  };
}

/** A checkpoint as JSON: the model file (version 1, or 2 for a block network) plus a `training` section. */
export type CheckpointFile = (ModelFile | BlockModelFile) & CheckpointTraining;

/** A checkpoint as JSON data (JSON.stringify it to write the text). */
export function checkpointToJSON(checkpoint: Checkpoint): CheckpointFile {
  return checkpointFileOf(checkedWrittenCheckpoint(checkpoint, 'checkpointToJSON'), copiedNumbers);
}

/**
 * checkpointToJSON's data, its tensors' values put in by `numbers` (uncopiedNumbers: written as text
 * without copies). The checkpoint is checked by the caller (checkpointOf's checkCheckpoint, or checkpointToJSON's).
 */
export function checkpointFileOf(checkpoint: Checkpoint, numbers: FileNumbers): CheckpointFile {
  const { model, optimizer } = checkpoint;
  return {
    ...('kind' in model ? blockModelToJSON(model, numbers) : modelToJSON(model, numbers)),
    training: {
      step: checkpoint.step,
      rng: [...checkpoint.rng],
      optimizer: optimizer ? { name: optimizer.name, scalars: { ...optimizer.scalars }, tensors: optimizer.tensors.map(numbers) } : null,
      ...(checkpoint.trainedOn && { trainedOn: trainedOnCopy(checkpoint.trainedOn) }),
    },
  };
}

/**
 * How a reader takes a checkpoint's optimiser state: 'read', checked whole (a damaged one refuses the file), or 'skip',
 * left unread where the network alone is wanted (loadModel's skipOptimizer, readModelFile): a JSON file's
 * `training.optimizer` is not looked at; a binary file's tensor lengths still are, as they lay out its payload.
 */
export type OptimizerReading = 'read' | 'skip';

/** Options of decodeCheckpoint (and of checkpointFromJSON, beside its seed). */
export interface ReadCheckpointOptions {
  /**
   * Leave the optimiser state unread: the checkpoint returned holds the network, its step and RNG state, without
   * `optimizer`, so a damaged optimiser state no longer refuses it, as loadModel's skipOptimizer loads a file's network.
   * Default false: the whole checkpoint is read, and one whose optimiser state is damaged is refused (BAD_MODEL_FILE; an
   * OptimizerStateRefused where the rest reads whole without it).
   */
  skipOptimizer?: boolean;
}

/** Options of checkpointFromJSON. */
export interface CheckpointFromJSONOptions extends ReadCheckpointOptions {
  /** The seed of the RNG state a plain model file (no "training" section, so no RNG state) starts from. Default 1. */
  seed?: number;
}

/**
 * A checkpoint from JSON (object or text); a plain model file (no "training") starts at step 0 with the RNG seeded by
 * `options.seed`. A damaged optimiser state refuses it, as an OptimizerStateRefused where the rest reads whole.
 */
export function checkpointFromJSON(json: unknown, options: CheckpointFromJSONOptions = {}): Checkpoint {
  checkKnownKeys(options, ['seed', 'skipOptimizer'], 'checkpointFromJSON');
  const { seed = 1, skipOptimizer = false } = options;
  checkSeed(seed, 'checkpointFromJSON: seed');
  return readApart((optimizer) => readCheckpointJSON(json, seed, optimizer), skipOptimizer, 'checkpointFromJSON');
}

/**
 * The rule every checkpoint reader keeps (readSavedFile's for a file, this for bytes or JSON): the checkpoint `read`,
 * reading its optimiser state unless `skipOptimizer` (checked here, as `reader`'s option); where that is refused as
 * BAD_MODEL_FILE and reading it again without the state reads whole, the refusal was the state's alone, thrown as an
 * OptimizerStateRefused naming `reader`'s skipOptimizer.
 */
function readApart(read: (optimizer: OptimizerReading) => Checkpoint, skipOptimizer: unknown, reader: InMemoryCheckpointReader): Checkpoint {
  if (checkBoolean(skipOptimizer, `${reader}: skipOptimizer`)) return read('skip');
  try {
    return read('read');
  } catch (error) {
    if (!(error instanceof GradscopeError) || error.code !== 'BAD_MODEL_FILE') throw error;
    throw readsWhole(() => read('skip')) ? new OptimizerStateRefused(undefined, error.message, reader) : error;
  }
}

/** Whether `read` returns, refusing nothing. */
function readsWhole(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}

/** checkpointFromJSON, reading the optimiser state as `optimizer` says (without it where 'skip'). */
export function readCheckpointJSON(json: unknown, seed: number, optimizer: OptimizerReading): Checkpoint {
  if (typeof json === 'string') json = parsedJsonText(json, 'model', badModel);
  const modelRead = readModelJSON(json);
  const training = (json as Record<string, unknown>).training;
  if (training === undefined) return { model: modelRead, step: 0, rng: freshRng(seed), ...(modelRead.trainedOn && { trainedOn: modelRead.trainedOn }) };
  if (!isRecord(training)) throw badModel('training', 'expected an object');
  const step = checkStepCount(training.step, 'training.step', badModel);
  const rng = readRng(training.rng, 'training.rng');
  const recorded = checkpointRecord({ model: modelRead, ...recordedTrainedOn(training, 'training.trainedOn', badModel) });
  const trainedOn = recorded ? { trainedOn: recorded } : {};
  // The one record on the model too, as decodeCheckpoint gives it (its header has one place): one shape for one content.
  const model = { ...modelRead, ...trainedOn };
  const o = training.optimizer;
  if (o === null || o === undefined || optimizer === 'skip') return { model, step, rng, ...trainedOn };
  if (!isRecord(o)) throw badModel('training.optimizer', 'expected an object or null');
  const name = readName(o.name, 'training.optimizer.name');
  const scalars = readScalars(o.scalars, 'training.optimizer.scalars', name);
  if (!Array.isArray(o.tensors) || o.tensors.length > CHECKPOINT_LIMITS.maxOptimizerTensors) {
    throw badModel('training.optimizer.tensors', `expected an array of at most ${grouped(CHECKPOINT_LIMITS.maxOptimizerTensors)} arrays`);
  }
  // Array.from, not map: a hole of a sparse array must be refused, not skipped.
  const tensors = Array.from(o.tensors as unknown[], (values, i) => {
    const where = `training.optimizer.tensors[${i}]`;
    if (!Array.isArray(values)) throw badModel(where, 'expected an array of numbers');
    checkFloat32Values(values, where, badModel);
    const t = Float32Array.from(values as number[]);
    return t;
  });
  return { model, step, rng, optimizer: { name, scalars, tensors: legacyChainTensors(model, (json as Record<string, unknown>).version === MODEL_VERSION, name, tensors, 'training.optimizer.tensors') }, ...trainedOn };
}

/**
 * An optimiser's state `tensors` as the network `model` takes them: where a dense chain's file (`denseFile`) read as a block network
 * (its layers without a bias, an old pytorchModule.biasFree record: denseModelFromFile), the state was saved for the chain's
 * parameters (each layer's weight, then its bias), so the buffers of the biases the layers lack are dropped; the weights' buffers
 * are those of the same steps. Only a first-order optimiser keeps buffers per parameter (the old route trained such a chain with
 * no other); another's is refused (BAD_MODEL_FILE at `where`: read the checkpoint without its optimiser state).
 */
function legacyChainTensors(model: Checkpoint['model'], denseFile: boolean, name: string, tensors: Float32Array[], where: string): Float32Array[] {
  if (!denseFile || !('kind' in model) || tensors.length === 0) return tensors;
  const parameters = 2 * model.layers.length;
  const perParameter = tensors.length / parameters;
  if (OPTIMIZERS.find((o) => o.name === name)?.kind !== 'first-order' || !Number.isInteger(perParameter)) {
    throw badModel(where, `${name}'s state was saved for the zero biases an old file held for its layers without a bias (pytorchModule.biasFree), which the network read has no more; only a first-order optimiser's buffers per parameter are carried over`);
  }
  const free = (layer: number) => model.layers[layer].type === 'dense' && model.layers[layer].bias === false;
  return tensors.filter((_, j) => {
    const parameter = Math.floor(j / perParameter);
    return parameter % 2 === 0 || !free(parameter >> 1);
  });
}

/**
 * The model a gradscope file holds as readModelFile (and convert) take it: the network, with the rows
 * that trained it where the file records them (a JSON file's `training.trainedOn`, else its top-level
 * `trainedOn`: checkpointRecord; a binary one's header `trainedOn`), so that a format converted to keeps the record; the step, RNG and optimiser state a
 * run resumes from are left out, and the optimiser state unread (OptimizerReading 'skip'), in either encoding. `file` is the parsed JSON of a JSON file, or the bytes of a binary one.
 */
export function modelOfGradscopeFile(file: unknown): ModelData | BlockModelData {
  if (file instanceof Uint8Array) return readCheckpointBytes(file, 'skip').model;
  refuseJsonString(file);
  const model = readModelJSON(file);
  const training = isRecord(file) ? file.training : undefined;
  if (!isRecord(training)) return model;
  const trainedOn = checkpointRecord({ model, ...recordedTrainedOn(training, 'training.trainedOn', badModel) });
  return trainedOn ? { ...model, trainedOn } : model;
}

/**
 * Refuses a file whose JSON value is a string: readModelJSON and checkpointFromJSON parse a string as the file's text
 * (they take JSON text from callers), so a model encoded twice (its text saved as a JSON string) read as the model.
 */
export function refuseJsonString(file: unknown): void {
  if (typeof file === 'string') throw badModel('model', 'expected a JSON object, got a JSON string');
}

// ---- binary ----

/** Whether `bytes` start with the binary checkpoint's magic. */
export function isBinaryCheckpoint(bytes: Uint8Array): boolean {
  return bytes.length >= CHECKPOINT_BINARY_MAGIC.length && CHECKPOINT_BINARY_MAGIC.every((b, i) => bytes[i] === b);
}

/** A checkpoint in gradscope's binary format (see the module comment for the layout), checked whole first. */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  return checkpointBytes(checkedWrittenCheckpoint(checkpoint, 'encodeCheckpoint'));
}

/**
 * encodeCheckpoint's bytes of a checkpoint the caller has checked (saveModel's, from checkpointOf); unchecked, it is
 * also how the tests write the damaged files a reader must refuse.
 */
export function checkpointBytes(checkpoint: Checkpoint): Uint8Array {
  const { model, optimizer } = checkpoint;
  const blocks = 'kind' in model;
  const architecture = blocks ? { inputs: model.inputs, loss: model.loss, layers: model.layers } : { loss: model.loss, sizes: model.sizes, activations: model.activations };
  const header = new TextEncoder().encode(
    JSON.stringify({
      ...architecture,
      step: checkpoint.step,
      rng: checkpoint.rng,
      optimizer: optimizer ? { name: optimizer.name, scalars: optimizer.scalars, lengths: optimizer.tensors.map((t) => t.length) } : null,
      initialisation: model.initialisation,
      trainedOn: checkpointRecord(checkpoint),
      ...(model.pytorchModule && { pytorchModule: model.pytorchModule }),
    }),
  );
  const modelTensors = blocks ? model.tensors.map((t) => t.values) : model.weights.flatMap((w, l) => [w, model.biases[l]]);
  const tensors = [...modelTensors, ...(optimizer?.tensors ?? [])];
  const payloadStart = alignTo4(FIXED_HEADER + header.length);
  const floats = tensors.reduce((sum, t) => sum + t.length, 0);
  const bytes = new Uint8Array(payloadStart + 4 * floats + TRAILER);
  const view = new DataView(bytes.buffer);
  bytes.set(CHECKPOINT_BINARY_MAGIC, 0);
  view.setUint32(8, blocks ? CHECKPOINT_BINARY_BLOCK_VERSION : CHECKPOINT_BINARY_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, FIXED_HEADER);
  let at = payloadStart;
  for (const t of tensors) {
    for (let i = 0; i < t.length; i++, at += 4) view.setFloat32(at, t[i], true);
  }
  view.setUint32(at, crc32(bytes, 0, at), true);
  return bytes;
}

/**
 * Reads a binary checkpoint, checking its magic, version, sizes (before allocating) and CRC-32; BAD_MODEL_FILE otherwise,
 * an OptimizerStateRefused where its optimiser state alone is damaged (`options.skipOptimizer` reads the rest).
 */
export function decodeCheckpoint(bytes: Uint8Array, options: ReadCheckpointOptions = {}): Checkpoint {
  checkKnownKeys(options, ['skipOptimizer'], 'decodeCheckpoint');
  return readApart((optimizer) => readCheckpointBytes(bytes, optimizer, 'decodeCheckpoint'), options.skipOptimizer ?? false, 'decodeCheckpoint');
}

/**
 * decodeCheckpoint, reading the optimiser state as `optimizer` says (its name, scalars and tensors unread where 'skip'); a fault
 * of the file as a whole is said after `named` ('decodeCheckpoint: checksum mismatch …'), or alone where the reader of a file
 * names the file in its place (readSavedFile: 'm.bin: checksum mismatch …').
 */
export function readCheckpointBytes(bytes: Uint8Array, optimizer: OptimizerReading, named?: string): Checkpoint {
  const wholeFileFault = (message: string) => new GradscopeError('BAD_MODEL_FILE', named === undefined ? message : `${named}: ${message}`);
  checkBytesArgument(bytes, 'decodeCheckpoint');
  if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
  if (bytes.length < FIXED_HEADER + TRAILER) throw wholeFileFault(`truncated: ${grouped(bytes.length)} bytes is shorter than any model`);
  if (!isBinaryCheckpoint(bytes)) throw wholeFileFault('not a gradscope binary model (wrong magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_BINARY_VERSION && version !== CHECKPOINT_BINARY_BLOCK_VERSION) {
    throw badModel('version', `this gradscope reads binary versions ${CHECKPOINT_BINARY_VERSION} and ${CHECKPOINT_BINARY_BLOCK_VERSION}, got ${version}`);
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength > CHECKPOINT_LIMITS.maxHeaderBytes) throw badModel('header', bytesBeyond(headerLength, CHECKPOINT_LIMITS.maxHeaderBytes));
  const payloadStart = alignTo4(FIXED_HEADER + headerLength);
  if (payloadStart + TRAILER > bytes.length) throw wholeFileFault(`truncated: the header alone needs ${grouped(payloadStart + TRAILER)} bytes, the file has ${grouped(bytes.length)}`);
  const stored = view.getUint32(bytes.length - TRAILER, true);
  const actual = crc32(bytes, 0, bytes.length - TRAILER);
  if (stored !== actual) throw wholeFileFault(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): the file is corrupted or truncated`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_HEADER, FIXED_HEADER + headerLength));
  } catch {
    throw badModel('header', notJsonMessage(undefined));
  }
  const header = parsedJsonText(text, 'header', badModel);
  if (!isRecord(header)) throw badModel('header', 'expected a JSON object');
  const loss: Loss = readLoss(header.loss, 'header.loss');
  const architecture = version === CHECKPOINT_BINARY_BLOCK_VERSION ? readBlockArchitecture(header, loss) : readDenseArchitecture(header, loss);
  const recorded = recordedInitialisation(header, 'header.initialisation', badModel, architecture.fanIns);
  const step = checkStepCount(header.step, 'header.step', badModel);
  const rng = readRng(header.rng, 'header.rng');
  const trainedOn = header.trainedOn === undefined ? {} : { trainedOn: readTrainedOn(header.trainedOn, 'header.trainedOn', badModel) };
  let optimizerHeader: { lengths: number[]; read?: { name: string; scalars: Record<string, number> } } | undefined;
  const o = header.optimizer;
  if (o !== null && o !== undefined) {
    if (!isRecord(o)) throw badModel('header.optimizer', 'expected an object or null');
    if (!Array.isArray(o.lengths) || o.lengths.length > CHECKPOINT_LIMITS.maxOptimizerTensors) {
      throw badModel('header.optimizer.lengths', `expected an array of at most ${grouped(CHECKPOINT_LIMITS.maxOptimizerTensors)} lengths`);
    }
    const lengths = (o.lengths as unknown[]).map((n, i) => {
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw badModel(`header.optimizer.lengths[${i}]`, `expected a whole number ≥ 0, got ${describeValue(n)}`);
      return n;
    });
    if (optimizer === 'skip') optimizerHeader = { lengths };
    else {
      const name = readName(o.name, 'header.optimizer.name');
      optimizerHeader = { lengths, read: { name, scalars: readScalars(o.scalars, 'header.optimizer.scalars', name) } };
    }
  }

  // The payload must hold exactly what the header describes: checked before allocating it.
  const lengths = [...architecture.lengths, ...(optimizerHeader?.lengths ?? [])];
  const floats = lengths.reduce((sum, n) => sum + n, 0);
  const payloadBytes = bytes.length - TRAILER - payloadStart;
  if (payloadBytes !== 4 * floats) throw badModel('payload', `${grouped(payloadBytes)} bytes, but the header describes ${grouped(4 * floats)} (${grouped(floats)} float32 values)`);

  let at = payloadStart;
  const read: ReadTensor = (n, element, parameter) => {
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) t[i] = view.getFloat32(at, true);
    checkStoredTensor(t, element, parameter, badModel);
    return t;
  };
  const model = { ...architecture.read(read), ...recorded, ...trainedOn }; // the record on the model too, as checkpointFromJSON gives it
  if (optimizerHeader?.read === undefined) return { model, step, rng, ...trainedOn };
  const tensors = optimizerHeader.lengths.map((n, i) => read(n, elementPath(`optimizer.tensors[${i}]`, [n]), false));
  const kept = legacyChainTensors(model, version === CHECKPOINT_BINARY_VERSION, optimizerHeader.read.name, tensors, 'optimizer.tensors');
  return { model, step, rng, optimizer: { ...optimizerHeader.read, tensors: kept }, ...trainedOn };
}

/** Reads the payload's next `n` float32 values, checked (checkStoredTensor; a parameter within RUNAWAY_PARAMETER), naming an element by `element`. */
type ReadTensor = (n: number, element: ElementPath, parameter: boolean) => Float32Array;

/** The tensors' lengths a version 1 header describes, and how to read them into ModelData (BlockModelData where its record lists layers without a bias: denseModelFromFile). */
function readDenseArchitecture(header: Record<string, unknown>, loss: Loss): { lengths: number[]; fanIns: DenseFanIn[]; read: (read: ReadTensor) => ModelData | BlockModelData } {
  if (!Array.isArray(header.sizes) || !Array.isArray(header.activations)) throw badModel('header', 'expected "sizes" and "activations" arrays');
  const sizes = header.sizes as number[];
  const activations: OutputActivation[] = (header.activations as unknown[]).map((a, l) => readActivation(a, `header.activations[${l}]`));
  checkArchitecture({ loss, sizes, activations }, 'header'); // limits on sizes before any allocation
  const { biasFree, ...pytorchModule } = recordedFileModule(header, { loss, activations }, 'header.pytorchModule', badModel);
  return {
    lengths: sizes.slice(1).flatMap((units, l) => [units * sizes[l], units]),
    fanIns: chainFanIns(sizes),
    read(read) {
      const weights: Float32Array[] = [];
      const biases: Float32Array[] = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        weights.push(read(sizes[l] * sizes[l + 1], elementPath(`${fileLayer(l)}.weights`, [sizes[l + 1], sizes[l]]), true));
        biases.push(read(sizes[l + 1], elementPath(`${fileLayer(l)}.biases`, [sizes[l + 1]]), true));
      }
      const model = { loss, sizes, activations, weights, biases, ...pytorchModule };
      return biasFree.length === 0 ? model : biasFreeChainAsBlocks(model, biasFree, badModel, (l) => `${fileLayer(l)}.biases`);
    },
  };
}

/** The tensors' lengths a version 2 header describes (its layers' blockTensorLayout), and how to read them into BlockModelData (checked whole). */
function readBlockArchitecture(header: Record<string, unknown>, loss: Loss): { lengths: number[]; fanIns: DenseFanIn[]; read: (read: ReadTensor) => BlockModelData } {
  const architecture = checkBlockArchitecture({ loss, inputs: header.inputs, layers: header.layers }, 'header', badModel); // limits before the payload
  const { inputs, layers, layout } = architecture;
  const pytorchModule = recordedBlockPytorchModule(header, architecture, 'header.pytorchModule', badModel);
  return {
    lengths: layout.map((slot) => elementsOf(slot.shape)),
    fanIns: namedDenseFanIns(layers, inputs, 'header.layers'),
    read(read) {
      const tensors = layout.map((slot) => ({ ...slot, values: read(elementsOf(slot.shape), elementPath(`tensors[${JSON.stringify(slot.name)}]`, slot.shape), isParameter(slot.name, slot.dtype)) }));
      const model: BlockModelData = { kind: 'blocks', loss, inputs, layers, tensors, ...pytorchModule };
      checkBlockModel(model, 'model', badModel);
      return model;
    },
  };
}

// ---- field readers ----

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRng(value: unknown, where: string, fail: Fail = badModel): number[] {
  const problem = rngStateProblem(value);
  if (problem !== undefined) throw fail(where, problem);
  return Array.from(value as ArrayLike<number>);
}

function readName(value: unknown, where: string, fail: Fail = badModel): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > CHECKPOINT_LIMITS.maxNameLength) {
    throw fail(where, `expected a name of 1 to ${grouped(CHECKPOINT_LIMITS.maxNameLength)} characters`);
  }
  return value;
}

/**
 * The scalars of a state saved by optimiser `name`: finite numbers, each within its own range
 * (savedSettingProblem), then together (savedScalarsProblem: a required one present, a state scalar within
 * the bound a recorded setting sets; savedRulesProblem: the rules across settings restore() reads, L-BFGS's
 * c1 < c2 …), refused here, where the file is read, rather than by restoreOptimizer after a network was built from it.
 */
function readScalars(value: unknown, where: string, name: string, fail: Fail = badModel): Record<string, number> {
  if (!isRecord(value)) throw fail(where, 'expected an object of numbers');
  const entries = Object.entries(value);
  if (entries.length > CHECKPOINT_LIMITS.maxOptimizerScalars) throw fail(where, `more than ${grouped(CHECKPOINT_LIMITS.maxOptimizerScalars)} entries`);
  const scalars: Record<string, number> = {};
  for (const [key, v] of entries) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`${where}.${key}`, `${describeValue(v)} is not a finite number`);
    const problem = savedSettingProblem(name, key, v);
    if (problem !== undefined) throw fail(`${where}.${key}`, problem);
    scalars[key] = v;
  }
  const together = savedScalarsProblem(name, scalars);
  if (together !== undefined) throw fail(`${where}.${together.key}`, together.problem);
  const across = savedRulesProblem(name, scalars);
  if (across !== undefined) throw fail(where, across);
  return scalars;
}

/** The state a network seeded with `seed` starts from (what fromJSON gives a plain model file). */
function freshRng(seed: number): number[] {
  return new Rng(seed).getState();
}

function alignTo4(n: number): number {
  return (n + 3) & ~3;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
