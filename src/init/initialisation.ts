/**
 * How a network's parameters were first drawn, as its model files record it: the `initialisation`
 * of gradscope's JSON model and checkpoint files (an object), of a binary checkpoint's header and of
 * tfjs' `userDefinedMetadata.gradscope` (an object), and of safetensors' `__metadata__` and ONNX's
 * `metadata_props` (that object's JSON text: their values are strings). A network loaded from such
 * a file is traced as the one that was saved (TraceRun's init, biasInit, lsuv), so diagnose() knows
 * which initialiser it started from. A file without it (written before, or by another tool) loads
 * with none recorded.
 */
import { keysOf } from '../checks.js';
import { describeValue } from '../errors.js';
import { checkFileFields, rethrowThrough, type Fail } from '../model-limits.js';
import { checkBiasInit, checkWeightInit, layerTooNarrowFor, type BiasInit, type WeightInit } from './initializers.js';
import { parsedJsonText } from '../json-syntax.js';
import { counted } from '../counted.js';

/** The initialisers a network's weights and biases were drawn with. */
export interface Initialisers {
  /** The weights' initialiser, as createNetwork's `init` takes it (its 'lsuv' starts from 'orthogonal': Initialisation.lsuv records the rest). */
  init: WeightInit;
  /** The biases' initialiser, as createNetwork's `biasInit` takes it. */
  biasInit: BiasInit;
}

/** How a network's parameters were first drawn: its initialisers, and whether LSUV rescaled the weights after. */
export interface Initialisation extends Initialisers {
  /** true when LSUV rescaled the drawn weights (net.initLsuv, train's `lsuv`, createNetwork's init 'lsuv'); absent otherwise. */
  lsuv?: true;
}

/**
 * What a network knows of where its parameters came from: the initialisers that drew them (absent:
 * unknown), whether it waits for LSUV (created with init 'lsuv', not rescaled yet) and whether
 * LSUV rescaled them. The engines hold it; Network.initialisation reads it.
 */
export interface ParameterOrigin {
  initialisation: Initialisers | undefined;
  awaitingLsuv: boolean;
  lsuvApplied: boolean;
}

/** The origin of parameters a new network draws with `init` and `biasInit`; `lsuv`: it waits for LSUV to rescale them (createNetwork's init 'lsuv'). */
export function drawnParameters({ init, biasInit, lsuv }: Initialisers & { lsuv?: boolean }): ParameterOrigin {
  return { initialisation: { init, biasInit }, awaitingLsuv: lsuv === true, lsuvApplied: false };
}

/**
 * The origin of parameters given rather than drawn (a file's, loadState's): what `recorded` says
 * drew them, unknown where nothing records it (never the network's own init, which drew weights it
 * no longer holds), and no LSUV to wait for.
 */
export function givenParameters(recorded: Initialisation | undefined): ParameterOrigin {
  return { initialisation: recorded && { init: recorded.init, biasInit: recorded.biasInit }, awaitingLsuv: false, lsuvApplied: recorded?.lsuv === true };
}

/** A dense layer as a record is checked against: how the file names it, and its inputs (fan-in). */
export interface DenseFanIn {
  layer: string;
  inputs: number;
}

/** The dense layers of a chain of `sizes` (input first), as DenseFanIn, named as createNetwork names them. */
export function chainFanIns(sizes: readonly number[]): DenseFanIn[] {
  return sizes.slice(0, -1).map((inputs, l) => ({ layer: `layer ${l} (${inputs} → ${sizes[l + 1]})`, inputs }));
}

/** The fields of an Initialisation, as a file holds them. */
const FIELDS = keysOf<Initialisation>({ init: true, biasInit: true, lsuv: true });

/**
 * `value` read as the Initialisation of a network whose dense layers are `layers`; `fail`
 * (BAD_MODEL_FILE for a file) names the field at `where` that is not one: an initialiser this
 * gradscope does not know is refused, as an unknown activation or loss is, never dropped or guessed
 * (a loaded network would be diagnosed as drawn by another), and so is one that could not have drawn
 * these layers (a sparse init with more connections than a layer has inputs: createNetwork refuses it).
 */
export function readInitialisation(value: unknown, where: string, fail: Fail, layers: readonly DenseFanIn[]): Initialisation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(where, `expected { init, biasInit, lsuv? }, got ${describeValue(value)}`);
  checkFileFields(value, FIELDS, where, fail);
  const { init, biasInit, lsuv } = value as Record<string, unknown>;
  for (const [field, given] of [['init', init], ['biasInit', biasInit]] as const) if (given === undefined) throw fail(`${where}.${field}`, 'missing');
  const read: Initialisation = {
    init: rethrowThrough(fail, `${where}.init`, () => checkWeightInit(init)),
    biasInit: rethrowThrough(fail, `${where}.biasInit`, () => checkBiasInit(biasInit)),
  };
  const narrow = layers[layerTooNarrowFor(read.init, layers.map((l) => l.inputs))];
  if (narrow) {
    const { connections } = read.init as { connections: number };
    throw fail(`${where}.init.connections`, `${connections} connections per unit, but ${narrow.layer} has ${counted(narrow.inputs, 'input')}: a sparse init connects at most every input of each dense layer, so it drew no such network`);
  }
  if (lsuv === undefined) return read;
  if (lsuv !== true) throw fail(`${where}.lsuv`, `expected true (or no field), got ${describeValue(lsuv)}`);
  return { ...read, lsuv };
}

/** `{ initialisation }` of a file or data that records one for its dense `layers` (checked: `fail` names what is wrong at `where`), else `{}`. */
export function recordedInitialisation(holder: { initialisation?: unknown }, where: string, fail: Fail, layers: readonly DenseFanIn[]): { initialisation?: Initialisation } {
  return holder.initialisation === undefined ? {} : { initialisation: readInitialisation(holder.initialisation, where, fail, layers) };
}

/** An Initialisation as the JSON text a string-valued metadata map holds (safetensors, ONNX). */
export function initialisationText(initialisation: Initialisation): string {
  return JSON.stringify(initialisation);
}

/** `{ initialisation }` read back from a string-valued metadata map's `initialisation` JSON text (`where` names it) for the dense `layers`, else `{}`. */
export function recordedInitialisationText(metadata: Record<string, string>, where: string, fail: Fail, layers: readonly DenseFanIn[]): { initialisation?: Initialisation } {
  const text = metadata.initialisation;
  return text === undefined ? {} : { initialisation: readInitialisation(parsedJsonText(text, where, fail), where, fail, layers) };
}
