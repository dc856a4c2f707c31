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
 *
 * Reading takes any state dict of dense layers, `<layer>.weight` [out, in] and `<layer>.bias`,
 * ordered by the caller's `layers` option, else by the numbers in the layer names when the names
 * differ only in them (`fc1, fc2`, `layers.0, layers.2`, `0.0, 1.0`), else by the one order in
 * which the shapes chain; an ambiguous file is refused, saying why. Metadata another tool wrote
 * (`{ "format": "pt" }`) is ignored; gradscope's own wins over the caller's options.
 */
import type { Activation, Loss, OutputActivation } from '../kernels.js';
import { MODEL_FILE_TAG, MODEL_VERSION, type ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { describeValue, quoted } from '../errors.js';
import { asModelData, badModel, checkArchitecture, checkFinite, checkSizes, readActivation, readLoss } from './model-data.js';
import { denseTensorName } from '../model.js';

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
  /** The loss the model was trained on (needed when the file does not record it). */
  loss?: Loss;
  /**
   * The dense layers' names in order, input first (`['fc1', 'fc2', 'head']`: the tensors
   * `fc1.weight`, `fc1.bias`, …). Default: the order their names' numbers or their shapes give.
   */
  layers?: readonly string[];
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
      format: MODEL_FILE_TAG,
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
    add(denseTensorName(l, 'weight'), [model.sizes[l + 1], model.sizes[l]], model.weights[l]);
    add(denseTensorName(l, 'bias'), [model.sizes[l + 1]], model.biases[l]);
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
  const headerLength = view.getBigUint64(0, true); // a BigInt prints every byte count as the integer it is
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw badModel('safetensors header length', `${headerLength} bytes exceeds the limit of ${MAX_HEADER_BYTES}`);
  const headerBytes = Number(headerLength);
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

  const notes: string[] = [];
  const grouped = groupLayers(entries);
  if (grouped.length === 0) throw badModel('safetensors', 'holds no tensors: expected dense layers ("0.weight", "0.bias", …)');
  const layers = orderLayers(grouped, options.layers, notes);
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

  const { lossFrom, ...architecture } = readArchitecture(metadata, sizes.length - 1, options, notes);
  const model: ModelData = { ...architecture, sizes, weights: [], biases: [], imported: { lossFrom, notes } };
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
    if (typeof entry !== 'string') throw badModel(`__metadata__.${key}`, `expected a string, got ${describeValue(entry)}`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, value: unknown, bufferLength: number): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModel(name, 'expected { dtype, shape, data_offsets }');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    throw badModel(`${name}.dtype`, `${quoted(dtype)} is not supported (use ${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw badModel(`${name}.shape`, `expected an array of non-negative integers, got ${describeValue(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    throw badModel(`${name}.data_offsets`, `expected [begin, end] with 0 ≤ begin ≤ end, got ${describeValue(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (end > bufferLength) throw badModel(`${name}.data_offsets`, `[${begin}, ${end}] runs past the ${bufferLength}-byte data buffer`);
  // BigInt: a hostile shape's product must neither round nor print as 4e+24.
  const bytes = BigInt(DTYPE_BYTES[dtype as Dtype]) * shape.reduce((n: bigint, d: number) => n * BigInt(d), 1n);
  if (bytes !== BigInt(end - begin)) {
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
  name: string;
  weight: TensorEntry;
  bias?: TensorEntry;
}

/** Groups `<layer>.weight` and `<layer>.bias` by layer name; anything else is not a dense layer. */
function groupLayers(entries: TensorEntry[]): LayerEntries[] {
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
    if (layer.weight.shape.length !== 2) throw badModel(layer.weight.name, `expected a 2-D shape [out, in], got [${layer.weight.shape.join(', ')}]`);
    return layer as LayerEntries;
  });
}

/** Shape orders tried before an order is called ambiguous (each a step of the search). */
const MAX_ORDER_SEARCH = 100_000;

/**
 * The dense layers in order: as `names` lists them; else by the numbers in their names when the
 * names are the same apart from their numbers (fc1, fc2; layers.0, layers.2; 0.0, 1.0); else the
 * one order in which every layer takes the previous one's outputs. Refuses a file with none or
 * with several such orders, saying why and how to give the order.
 */
function orderLayers(layers: LayerEntries[], names: readonly string[] | undefined, notes: string[]): LayerEntries[] {
  const listing = layers.map((l) => `${l.name} [${l.weight.shape.join(', ')}]`).join(', ');
  if (names !== undefined) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw badModel('layers option', 'expected an array of layer names');
    const byName = new Map(layers.map((l) => [l.name, l]));
    const missing = names.find((n) => !byName.has(n));
    if (missing !== undefined) throw badModel('layers option', `${JSON.stringify(missing)} is not a layer of the file (it has ${listing})`);
    const left = layers.find((l) => !names.includes(l.name));
    if (left) throw badModel('layers option', `does not list the file's layer ${JSON.stringify(left.name)}`);
    if (new Set(names).size !== names.length) throw badModel('layers option', 'lists a layer twice');
    return names.map((n) => byName.get(n)!);
  }
  const template = (name: string) => name.replace(/\d+/g, '#');
  if (layers.every((l) => template(l.name) === template(layers[0].name))) {
    const numbers = (name: string) => (name.match(/\d+/g) ?? []).map(Number);
    return [...layers].sort((a, b) => {
      const x = numbers(a.name);
      const y = numbers(b.name);
      const i = x.findIndex((n, k) => n !== y[k]);
      return i < 0 ? 0 : x[i] - y[i];
    });
  }
  const orders = chainOrders(layers);
  const how = `pass { layers: [names in order] } (--layers a,b,c) to give it`;
  if (orders === 'too many') throw badModel('safetensors', `cannot order the dense layers (${listing}): too many orders to try; ${how}`);
  if (orders.length === 0) throw badModel('safetensors', `cannot order the dense layers (${listing}): their names carry no order and their shapes chain in none; ${how}`);
  if (orders.length > 1) {
    const show = (order: LayerEntries[]) => order.map((l) => l.name).join(' → ');
    throw badModel('safetensors', `the dense layers (${listing}) chain in more than one order (${show(orders[0])}; ${show(orders[1])}): ambiguous; ${how}`);
  }
  notes.push(`ordered the dense layers by their shapes: ${orders[0].map((l) => l.name).join(' → ')}`);
  return orders[0];
}

/** Up to two orders in which each layer takes as many inputs as the previous one has outputs. */
function chainOrders(layers: LayerEntries[]): LayerEntries[][] | 'too many' {
  const found: LayerEntries[][] = [];
  const path: LayerEntries[] = [];
  const used = new Set<LayerEntries>();
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
 * Activations and loss: from gradscope's own `__metadata__` (format "gradscope.model", or no format
 * at all), else from the options. Metadata another tool wrote (`{ "format": "pt" }`) says nothing
 * about the architecture and is ignored, with a note.
 */
function readArchitecture(
  metadata: Record<string, string>,
  depth: number,
  options: SafetensorsImportOptions,
  notes: string[],
): { loss: Loss; lossFrom: string; activations: OutputActivation[] } {
  let ours = metadata;
  if (metadata.format !== undefined && metadata.format !== MODEL_FILE_TAG) {
    notes.push(`ignored __metadata__ of format ${JSON.stringify(metadata.format)} (not gradscope's)`);
    ours = {};
  } else if (metadata.format === MODEL_FILE_TAG && metadata.version !== String(MODEL_VERSION)) {
    throw badModel('__metadata__.version', `this gradscope reads version ${MODEL_VERSION}, got ${JSON.stringify(metadata.version)}`);
  }
  let activations: OutputActivation[];
  if (ours.activations !== undefined) {
    const names = ours.activations.split(',');
    if (names.length !== depth) throw badModel('__metadata__.activations', `lists ${names.length} activations for ${depth} layers`);
    activations = names.map((name, l) => readActivation(name.trim(), `__metadata__.activations[${l}]`));
  } else if (options.output !== undefined && (options.activation !== undefined || depth === 1)) {
    const hidden = depth > 1 ? readActivation(options.activation, 'activation option') : undefined;
    activations = [...Array<OutputActivation>(depth - 1).fill(hidden!), readActivation(options.output, 'output option')];
  } else {
    throw badModel('__metadata__', 'has no gradscope "activations"; pass { activation, output, loss } to say what the layers compute');
  }
  if (ours.loss !== undefined) return { loss: readLoss(ours.loss, '__metadata__.loss'), lossFrom: '__metadata__.loss', activations };
  if (options.loss === undefined) throw badModel('__metadata__', 'has no gradscope "loss"; pass { loss } to say what the model was trained on');
  return { loss: readLoss(options.loss, 'loss option'), lossFrom: 'the loss option', activations };
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
