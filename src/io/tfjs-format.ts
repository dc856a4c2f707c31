/**
 * The tfjs layers-model container shared by the readers and writers of dense chains and block
 * networks: model.json's types, the Sequential's layer list (as tfjs, Keras 2 and Keras' converter
 * wrap it), and the weights of a manifest read by name from the concatenated shards.
 */
import { checkBytesArgument } from '../checks.js';
import type { Loss } from '../kernels.js';
import type { CheckedSpec } from '../layers/spec.js';
import type { Initialisation } from '../init/initialisation.js';
import { trainedOnCopy, type TrainedOn } from '../trained-on.js';
import { describeValue, invalidOption, quoted } from '../errors.js';
import { shapeText, shownShape } from '../shape-text.js';
import { checkStoredTensor, elementPath } from '../model-limits.js';
import { badModel } from './model-data.js';
import { grouped } from '../counted.js';

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
  /** The Keras model: a Sequential of Dense, BatchNormalization, LayerNormalization, Activation and LeakyReLU layers. */
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
  /** gradscope's own metadata, so a round trip keeps the loss, the initialisation, the training rows (and a block network's specs). */
  userDefinedMetadata: {
    /** What gradscope records. */
    gradscope: {
      /** MODEL_FILE_TAG. */
      format: string;
      /** MODEL_VERSION for a dense chain, 2 for a block network. */
      version: number;
      /** The loss the model was trained on. */
      loss: Loss;
      /** A block network's features of input (absent for a dense chain). */
      inputs?: number;
      /** A block network's layer specs, checked (absent for a dense chain). */
      layers?: CheckedSpec[];
      /** A block network's batch norm counters, by state_dict name (`2.num_batches_tracked`), which Keras has no place for. */
      batchesTracked?: Record<string, number>;
      /** How the parameters were first drawn, where the model records it (src/init/initialisation.ts). */
      initialisation?: Initialisation;
      /** The rows that trained the model, where it records them (src/trained-on.ts). */
      trainedOn?: TrainedOn;
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

/** A model.json object, as its readers index it. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses toTfjsLayers' whole result given where its model.json goes (`fromTfjsLayers(toTfjsLayers(net))`): read as a
 * model.json it said "modelTopology: missing or not an object", which did not say that the two parts go in apart.
 */
export function checkNotWholeTfjsModel(modelJson: unknown, who: string): void {
  if (isObject(modelJson) && 'modelJson' in modelJson && 'weightData' in modelJson && !('modelTopology' in modelJson)) {
    throw invalidOption(`${who}: got toTfjsLayers' whole { modelJson, weightData }; pass its two parts apart: ${who}(t.modelJson, t.weightData)`);
  }
}

/** model.json's `userDefinedMetadata.gradscope`, or `{}` where it has none (a model another tool wrote). */
export function gradscopeMetadata(json: Record<string, unknown>): Record<string, unknown> {
  return isObject(json.userDefinedMetadata) && isObject(json.userDefinedMetadata.gradscope) ? json.userDefinedMetadata.gradscope : {};
}

/** What a model records beyond its layers, as `userDefinedMetadata.gradscope` holds it (copies): its initialisation and training rows, each where recorded. */
export function recordedMetadata(model: { initialisation?: Initialisation; trainedOn?: TrainedOn }): { initialisation?: Initialisation; trainedOn?: TrainedOn } {
  return {
    ...(model.initialisation && { initialisation: structuredClone(model.initialisation) }),
    ...(model.trainedOn && { trainedOn: trainedOnCopy(model.trainedOn) }),
  };
}

/** rows×cols row-major to cols×rows. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/**
 * The feature width of a layer config's batch_input_shape (tfjs, Keras 2) or batch_shape (Keras 3), `[null, features]`;
 * undefined where it has neither. `where`: the config's place (`modelTopology.config.layers[0] (dense_1).config`), the
 * field named after it as the file spells it (a Keras 3 file has no batch_input_shape to look for).
 */
export function batchInputWidth(c: Record<string, unknown>, where: string): number | undefined {
  const key = c.batch_input_shape !== undefined && c.batch_input_shape !== null ? 'batch_input_shape' : 'batch_shape';
  return c[key] === undefined ? undefined : inputWidth(c[key], `${where}.${key}`);
}

/** The feature width of an input shape `[null, features]` written at `where`, refused where it is not one. */
export function inputWidth(shape: unknown, where: string): number {
  if (!Array.isArray(shape) || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw badModel(where, `expected [null, features], got ${shownShape(shape)}`);
  }
  return shape[1];
}

/** A Sequential topology's layer configs and where the file holds them. */
export interface TopologyLayers {
  layers: unknown[];
  /**
   * The path to the list, as refusals name a layer in it (fileListItem): 'modelTopology.config.layers',
   * 'modelTopology.model_config.config.layers' (Keras' converter), '….config' (Keras 2's bare list).
   */
  list: string;
}

/** The layer configs of a Sequential topology (unwrapping Keras' converter's model_config, and Keras 2's bare list). */
export function topologyLayers(json: Record<string, unknown>): TopologyLayers {
  let topology = json.modelTopology;
  let path = 'modelTopology';
  // Keras' converter wraps the model as { model_config: { class_name, config } }.
  if (isObject(topology) && isObject(topology.model_config)) {
    topology = topology.model_config;
    path += '.model_config';
  }
  if (!isObject(topology)) throw badModel('modelTopology', 'missing or not an object');
  if (topology.class_name === undefined) throw badModel(`${path}.class_name`, 'missing; only Sequential models are supported (class_name "Sequential")');
  if (topology.class_name !== 'Sequential') throw badModel(`${path}.class_name`, `only Sequential models are supported, got ${describeValue(topology.class_name)}`);
  const config = topology.config;
  // Older Keras writes the layer list as the config itself.
  if (Array.isArray(config)) return { layers: config, list: `${path}.config` };
  const layers = isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw badModel(`${path}.config.layers`, 'expected an array of layers');
  return { layers, list: `${path}.config.layers` };
}

/**
 * Reads `<layer>/<kind>` (float32 of `shape`) from the manifest's weights, checked as stored
 * (checkStoredTensor: finite, and a `parameter` within RUNAWAY_PARAMETER); BAD_MODEL_FILE names the
 * weight and the element in the file's layout (`weights dense_1/kernel[2, 0]`: a kernel is [in, out]).
 */
export type WeightReader = (layer: string, kind: string, shape: readonly number[], parameter: boolean) => Float32Array;

/**
 * A reader of the weights of model.json's manifest (or tfjs ModelArtifacts' `weightSpecs`) in
 * `weightData`, every shard concatenated in manifest order; checks the byte count first.
 */
export function weightReader(json: Record<string, unknown>, weightData: Uint8Array | ArrayBuffer): WeightReader {
  checkBytesArgument(weightData, 'weightData');
  const specs = readWeightSpecs(json);
  const bytes = weightData instanceof Uint8Array ? weightData : new Uint8Array(weightData);
  if (byteSum(specs) !== BigInt(bytes.length)) {
    throw badModel('weights', `the manifest describes ${grouped(byteSum(specs))} bytes but ${grouped(bytes.length)} were given${byteCountMisfit(specs, BigInt(bytes.length))}`);
  }
  const offsets = new Map<string, { at: number; spec: WeightSpec }>();
  let at = 0;
  for (const spec of specs) {
    offsets.set(spec.name, { at, spec });
    at += Number(spec.bytes); // exact: the total matched the bytes given
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (layer, kind, shape, parameter) => {
    const found = findWeight(offsets, layer, kind);
    if (!found) throw badModel(`weights`, `no "${layer}/${kind}" in the manifest`);
    if (found.spec.dtype !== 'float32') throw badModel(`weights ${found.spec.name}`, `dtype ${found.spec.dtype} should be float32`);
    if (found.spec.shape.join() !== shape.join()) {
      throw badModel(`weights ${found.spec.name}`, `shape ${shapeText(found.spec.shape)} should be ${shapeText(shape)}`);
    }
    const values = new Float32Array(Number(found.spec.size));
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(found.at + 4 * i, true);
    checkStoredTensor(values, elementPath(`weights ${found.spec.name}`, shape), parameter, badModel);
    return values;
  };
}

const byteSum = (specs: readonly WeightSpec[]) => specs.reduce((n, spec) => n + spec.bytes, 0n);

/**
 * Where weight bytes of the wrong length part from the manifest, as far as the count tells: where bytes were lost or added is
 * unknown (a shard cut short, another model's, bytes shifted), so it says which weight the end falls in *if* they were cut or
 * added at the end, and blames no weight as the fault. `whose` ("the group's "): whose bytes the offsets count; `givenSaid`:
 * the message has just said the count, so the end is 'there'.
 */
function byteCountMisfit(specs: readonly WeightSpec[], given: bigint, whose = '', givenSaid = false): string {
  const range = (start: bigint, end: bigint) => `(${whose}bytes ${grouped(start)} to ${grouped(end)})`;
  let end = 0n;
  for (const spec of specs) {
    const start = end;
    end += spec.bytes;
    if (end <= given) continue;
    const where = start === given ? `where ${spec.name} ${range(start, end)} begins` : `inside ${spec.name} ${range(start, end)}`;
    return `: ${whose || 'the '}bytes end ${givenSaid ? 'there' : `at ${grouped(given)}`}, ${where}, if they were cut at the end`;
  }
  if (specs.length === 0) return ': the manifest lists no weights';
  const last = specs[specs.length - 1];
  return `: ${grouped(given - end)} bytes follow ${whose || 'the '}last weight, ${last.name} ${range(end - last.bytes, end)}, if they were added at the end`;
}

/** A shard file of a tfjs model folder: its name as the manifest's paths give it, and its size. */
export interface ShardFile {
  name: string;
  bytes: number;
}

/**
 * Checks that each manifest group's shard files (in its paths' order) hold the bytes its weights take: BAD_MODEL_FILE for
 * the first group that misfits, with its files' sizes. readTfjsLayersFile knows the files; fromTfjsLayers takes bytes
 * alone (as tfjs' ModelArtifacts give them), and checks only their sum, so a short group would be named by the weight its end falls in overall.
 */
export function checkShardGroups(json: Record<string, unknown>, shards: readonly (readonly ShardFile[])[]): void {
  for (const [g, group] of readWeightGroups(json).entries()) {
    const files = shards[g] ?? [];
    const needed = byteSum(group);
    const given = files.reduce((n, file) => n + BigInt(file.bytes), 0n);
    if (needed === given) continue;
    // One file's size is the group's: said once (it read 'weights.bin (20 bytes), hold 20: the group's bytes end at 20').
    const fromFiles =
      files.length === 0
        ? 'it names no shard files'
        : files.length === 1
          ? `its shard file, ${files[0].name}, holds ${grouped(given)}`
          : `its shard files, ${files.map((file) => `${file.name} (${grouped(file.bytes)} bytes)`).join(', ')}, hold ${grouped(given)}`;
    throw badModel(`weightsManifest[${g}]`, `its weights take ${grouped(needed)} bytes but ${fromFiles}${byteCountMisfit(group, given, "the group's ", files.length > 0)}`);
  }
}

/** Bytes per element of the dtypes a shard may hold; optimizer state (e.g. int32 `iter`) rides along with the weights. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** One weight of a manifest, checked: its name, shape and dtype, and the elements and bytes it takes. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  size: bigint;
  bytes: bigint;
}

function readWeightSpecs(json: Record<string, unknown>): WeightSpec[] {
  return readWeightGroups(json).flat();
}

/**
 * The weights of each of model.json's manifest groups (one group: tfjs ModelArtifacts' `weightSpecs`), checked: BAD_MODEL_FILE
 * for a manifest that is not an array of { paths, weights }, a weight of an unknown dtype or a shape not of whole numbers ≥ 0.
 */
export function readWeightGroups(json: Record<string, unknown>): WeightSpec[][] {
  let raw: unknown[][];
  if (json.weightsManifest !== undefined) {
    if (!Array.isArray(json.weightsManifest)) throw badModel('weightsManifest', 'expected an array of { paths, weights }');
    raw = json.weightsManifest.map((group: unknown, g) => {
      if (!isObject(group) || !Array.isArray(group.weights)) throw badModel(`weightsManifest[${g}]`, 'expected { paths, weights: [...] }');
      return group.weights as unknown[];
    });
  } else if (Array.isArray(json.weightSpecs)) raw = [json.weightSpecs];
  else throw badModel('weightsManifest', 'missing: expected an array of { paths, weights }');
  let i = 0; // counted over all groups, as the weights lie in the bytes
  return raw.map((group) => group.map((spec) => readWeightSpec(spec, i++)));
}

function readWeightSpec(spec: unknown, i: number): WeightSpec {
  const where = `weightsManifest weight ${i}`;
  if (!isObject(spec) || typeof spec.name !== 'string') throw badModel(where, 'expected { name, shape, dtype }');
  const bytes = typeof spec.dtype === 'string' ? DTYPE_BYTES[spec.dtype] : undefined;
  if (bytes === undefined || spec.quantization !== undefined) {
    throw badModel(`${where} (${spec.name})`, `dtype ${quoted(spec.dtype)}${spec.quantization ? ' (quantized)' : ''} is not supported (${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  const shape = spec.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw badModel(`${where} (${spec.name}).shape`, `expected non-negative integers, got ${shownShape(shape)}`);
  }
  // BigInt: a hostile shape's product must neither round nor print as 4e+24.
  const size = (shape as number[]).reduce((n, d) => n * BigInt(d), 1n);
  return { name: spec.name, shape: shape as number[], dtype: spec.dtype as string, size, bytes: BigInt(bytes) * size };
}

/** tfjs names weights `<layer>/kernel`; Keras' converter may add scopes in front (`sequential/<layer>/kernel`). */
function findWeight<V>(offsets: Map<string, V>, layer: string, kind: string): V | undefined {
  const exact = offsets.get(`${layer}/${kind}`);
  if (exact) return exact;
  for (const [name, value] of offsets) if (name.endsWith(`/${layer}/${kind}`)) return value;
  return undefined;
}
