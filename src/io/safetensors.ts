/**
 * safetensors (https://github.com/huggingface/safetensors) with PyTorch nn.Sequential naming, so a
 * PyTorch MLP's state_dict comes here for a gradient-flow diagnosis and goes back unchanged:
 *
 *   [u64 little-endian header length N][N bytes of JSON header][tensor bytes]
 *   header: { "__metadata__": { string: string }, "0.weight": { "dtype": "F32", "shape": [out, in],
 *             "data_offsets": [begin, end] }, "0.bias": …, "2.weight": … }
 *
 * Linear layers sit at Sequential indices 0, 2, 4, … with one activation module between each pair
 * (nn.Identity for 'linear'), so `nn.Sequential(...).load_state_dict(load_file(path))` works. The
 * architecture gradscope needs (activations, loss) lives in `__metadata__`. Bytes in, bytes out:
 * this module works in browsers too.
 */
import type { Activation, Loss, OutputActivation } from '../kernels.js';
import { MODEL_FORMAT, MODEL_VERSION, type ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { asModelData, badModel, checkArchitecture, checkFinite, checkSizes, readActivation, readLoss } from './model-data.js';

/** The safetensors reference implementation refuses larger headers; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES = { F64: 8, F32: 4, F16: 2, BF16: 2 } as const;
type Dtype = keyof typeof DTYPE_BYTES;

/** PyTorch modules matching each activation, for the human-readable `pytorch` metadata entry. */
const TORCH_MODULE: Record<OutputActivation, string> = {
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  relu: 'nn.ReLU()',
  'leaky-relu': 'nn.LeakyReLU(0.01)',
  softsign: 'nn.Softsign()',
  selu: 'nn.SELU()',
  linear: 'nn.Identity()',
  softmax: 'nn.Softmax(dim=-1)',
};

/** Architecture to assume when a file has no gradscope metadata (e.g. a plain PyTorch state_dict). */
export interface SafetensorsImportOptions {
  /** Activation of every hidden layer. */
  activation?: Activation;
  /** Activation of the output layer. */
  output?: OutputActivation;
  loss?: Loss;
}

/**
 * A model as safetensors bytes: float32 tensors `<2l>.weight` `[out, in]` and `<2l>.bias` `[out]`;
 * `__metadata__` holds format, version, loss, activations (comma-separated) and the PyTorch
 * Sequential that matches.
 */
export function toSafetensors(source: Network | ModelData): Uint8Array {
  const model = asModelData(source);
  const header: Record<string, unknown> = {
    __metadata__: {
      format: MODEL_FORMAT,
      version: String(MODEL_VERSION),
      loss: model.loss,
      activations: model.activations.join(','),
      pytorch: `nn.Sequential(${model.activations
        .map((f, l) => `nn.Linear(${model.sizes[l]}, ${model.sizes[l + 1]}), ${TORCH_MODULE[f]}`)
        .join(', ')})`,
    },
  };
  const tensors: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], values: Float32Array) => {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * values.length] };
    tensors.push(values);
    offset += 4 * values.length;
  };
  model.activations.forEach((_, l) => {
    add(`${2 * l}.weight`, [model.sizes[l + 1], model.sizes[l]], model.weights[l]);
    add(`${2 * l}.bias`, [model.sizes[l + 1]], model.biases[l]);
  });
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the tensor data starts 8-byte aligned, as the reference writer does.
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const values of tensors) {
    for (let i = 0; i < values.length; i++, at += 4) view.setFloat32(at, values[i], true);
  }
  return out;
}

interface TensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

/** Reads and checks safetensors bytes (see the module comment); `options` fill in missing metadata. */
export function fromSafetensors(bytes: Uint8Array | ArrayBuffer, options: SafetensorsImportOptions = {}): ModelData {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 8) throw badModel('safetensors', `file is ${data.length} bytes, shorter than the 8-byte header length`);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerBytes = high * 2 ** 32 + low;
  if (headerBytes > MAX_HEADER_BYTES) throw badModel('safetensors header length', `${headerBytes} bytes exceeds the limit of ${MAX_HEADER_BYTES}`);
  if (8 + headerBytes > data.length) {
    throw badModel('safetensors header length', `says ${headerBytes} bytes but only ${data.length - 8} follow the length field`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(8, 8 + headerBytes)));
  } catch (error) {
    throw badModel('safetensors header', `not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw badModel('safetensors header', 'expected a JSON object');

  const bufferStart = 8 + headerBytes;
  const bufferLength = data.length - bufferStart;
  const entries: TensorEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = readMetadata(value);
    else entries.push(readEntry(name, value, bufferLength));
  }
  checkLayout(entries, bufferLength);

  const layers = groupLayers(entries);
  const sizes = [layers[0].weight.shape[1], ...layers.map((layer) => layer.weight.shape[0])];
  layers.forEach((layer, l) => {
    const [out, inputs] = layer.weight.shape;
    if (inputs !== sizes[l]) {
      throw badModel(layer.weight.name, `shape [${out}, ${inputs}] takes ${inputs} inputs but the previous layer has ${sizes[l]} outputs`);
    }
    if (layer.bias && (layer.bias.shape.length !== 1 || layer.bias.shape[0] !== out)) {
      throw badModel(layer.bias.name, `shape [${layer.bias.shape.join(', ')}] should be [${out}] to match ${layer.weight.name}`);
    }
  });
  checkSizes(sizes, 'safetensors');

  const architecture = readArchitecture(metadata, sizes.length - 1, options);
  const model: ModelData = { ...architecture, sizes, weights: [], biases: [] };
  checkArchitecture(model, 'safetensors __metadata__');
  layers.forEach((layer, l) => {
    model.weights.push(decode(view, bufferStart, layer.weight));
    model.biases.push(layer.bias ? decode(view, bufferStart, layer.bias) : new Float32Array(sizes[l + 1]));
  });
  return model;
}

function readMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModel('__metadata__', 'expected an object of strings');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw badModel(`__metadata__.${key}`, `expected a string, got ${JSON.stringify(entry)}`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, value: unknown, bufferLength: number): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModel(name, 'expected { dtype, shape, data_offsets }');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    throw badModel(`${name}.dtype`, `${JSON.stringify(dtype)} is not supported (use ${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw badModel(`${name}.shape`, `expected an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    throw badModel(`${name}.data_offsets`, `expected [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (end > bufferLength) throw badModel(`${name}.data_offsets`, `[${begin}, ${end}] runs past the ${bufferLength}-byte data buffer`);
  const bytes = DTYPE_BYTES[dtype as Dtype] * shape.reduce((n: number, d: number) => n * d, 1);
  if (bytes !== end - begin) {
    throw badModel(name, `shape [${shape.join(', ')}] of ${dtype} needs ${bytes} bytes but data_offsets span ${end - begin}`);
  }
  return { name, dtype: dtype as Dtype, shape, begin, end };
}

/** The format requires the tensors to tile the buffer exactly: no overlaps, no holes. */
function checkLayout(entries: TensorEntry[], bufferLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const entry of sorted) {
    if (entry.begin < covered) throw badModel(entry.name, `data_offsets [${entry.begin}, ${entry.end}] overlap ${previous} (which ends at ${covered})`);
    if (entry.begin > covered) throw badModel(entry.name, `data_offsets start at ${entry.begin}, leaving a hole after byte ${covered}`);
    covered = entry.end;
    previous = entry.name;
  }
  if (covered !== bufferLength) throw badModel('safetensors', `tensors cover ${covered} of the ${bufferLength} data bytes`);
}

interface LayerEntries {
  weight: TensorEntry;
  bias?: TensorEntry;
}

/** Groups `<prefix><index>.weight|bias` into layers ordered by index (Sequential order). */
function groupLayers(entries: TensorEntry[]): LayerEntries[] {
  const byIndex = new Map<number, Partial<LayerEntries>>();
  let prefix: string | undefined;
  for (const entry of entries) {
    const match = /^((?:[^.]+\.)*?)(\d+)\.(weight|bias)$/.exec(entry.name);
    if (!match) throw badModel(entry.name, 'not a dense layer tensor: expected names like "0.weight" and "0.bias" (PyTorch nn.Sequential of nn.Linear)');
    if (prefix !== undefined && match[1] !== prefix) throw badModel(entry.name, `prefix "${match[1]}" differs from "${prefix}" of the other tensors`);
    prefix = match[1];
    const index = Number(match[2]);
    const layer = byIndex.get(index) ?? {};
    layer[match[3] as 'weight' | 'bias'] = entry;
    byIndex.set(index, layer);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, layer]) => {
      if (!layer.weight) throw badModel(`${prefix}${index}.bias`, `has no matching ${prefix}${index}.weight`);
      if (layer.weight.shape.length !== 2) throw badModel(layer.weight.name, `expected a 2-D shape [out, in], got [${layer.weight.shape.join(', ')}]`);
      return layer as LayerEntries;
    });
}

function readArchitecture(metadata: Record<string, string>, depth: number, options: SafetensorsImportOptions): { loss: Loss; activations: OutputActivation[] } {
  if (metadata.format !== undefined && metadata.format !== MODEL_FORMAT) {
    throw badModel('__metadata__.format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(metadata.format)}`);
  }
  if (metadata.version !== undefined && metadata.version !== String(MODEL_VERSION)) {
    throw badModel('__metadata__.version', `this gradscope reads version ${MODEL_VERSION}, got ${JSON.stringify(metadata.version)}`);
  }
  let activations: OutputActivation[];
  if (metadata.activations !== undefined) {
    const names = metadata.activations.split(',');
    if (names.length !== depth) throw badModel('__metadata__.activations', `lists ${names.length} activations for ${depth} layers`);
    activations = names.map((name, l) => readActivation(name.trim(), `__metadata__.activations[${l}]`));
  } else if (options.activation !== undefined && options.output !== undefined) {
    activations = [...Array<OutputActivation>(depth - 1).fill(readActivation(options.activation, 'activation option')), readActivation(options.output, 'output option')];
  } else {
    throw badModel('__metadata__', 'has no "activations"; pass { activation, output, loss } to say what the layers compute');
  }
  const loss = metadata.loss ?? options.loss;
  if (loss === undefined) throw badModel('__metadata__', 'has no "loss"; pass { loss } to say what the model was trained on');
  return { loss: readLoss(loss, metadata.loss !== undefined ? '__metadata__.loss' : 'loss option'), activations };
}

function decode(view: DataView, bufferStart: number, entry: TensorEntry): Float32Array {
  const n = (entry.end - entry.begin) / DTYPE_BYTES[entry.dtype];
  const out = new Float32Array(n);
  const at = bufferStart + entry.begin;
  for (let i = 0; i < n; i++) {
    switch (entry.dtype) {
      case 'F64':
        out[i] = view.getFloat64(at + 8 * i, true);
        break;
      case 'F32':
        out[i] = view.getFloat32(at + 4 * i, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(at + 2 * i, true));
        break;
      case 'BF16':
        // bfloat16 is the top half of a float32.
        out[i] = bfloatScratch(view.getUint16(at + 2 * i, true));
        break;
    }
  }
  checkFinite(out, entry.name);
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));

function bfloatScratch(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
