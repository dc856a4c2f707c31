/**
 * The safetensors container (https://github.com/huggingface/safetensors), bytes only, shared by the
 * readers and writers of dense and block models:
 *
 *   [u64 little-endian header length N][N bytes of JSON header][tensor bytes]
 *   header: { "__metadata__": { string: string }, "<name>": { "dtype": "F32", "shape": [...],
 *             "data_offsets": [begin, end] }, … }   (offsets relative to the tensor bytes)
 *
 * Writing pads the header with spaces so the tensor bytes start 8-byte aligned, and lays the
 * tensors out widest dtype first (as the reference writer does), so every tensor starts at a
 * multiple of its element size; the header lists them in the caller's order (PyTorch's state_dict
 * order), which readers may: the reference reader sorts the entries by data_offsets before it checks
 * them (safetensors/src/tensor.rs, Metadata's Deserialize, "any order"). Reading checks the layout the format requires: offsets inside the buffer, byte counts
 * that match shape × dtype, tensors that tile the buffer with no overlap and no hole.
 */
import { checkBytesArgument } from '../checks.js';
import { describeValue, quoted } from '../errors.js';
import { shapeText, shownShape } from '../shape-text.js';
import { checkStoredTensor, elementPath } from '../model-limits.js';
import { badModel } from './model-data.js';
import { overflowSaid, parsedJsonText } from '../json-syntax.js';
import { grouped } from '../counted.js';
import { bytesBeyond } from '../byte-text.js';

/** The safetensors reference implementation refuses larger headers; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of the dtypes gradscope reads (floats of every width PyTorch saves, and I64 for counters). */
export const DTYPE_BYTES = { F64: 8, I64: 8, F32: 4, F16: 2, BF16: 2 } as const;
/** A safetensors dtype gradscope reads. */
export type Dtype = keyof typeof DTYPE_BYTES;

/** A tensor to write: float32 values written as F32, or whole numbers written as I64. */
export interface TensorToWrite {
  name: string;
  dtype: 'F32' | 'I64';
  shape: readonly number[];
  values: ArrayLike<number>;
}

/** One tensor's header entry, checked against the buffer. */
export interface TensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte offsets in the data buffer. */
  begin: number;
  end: number;
}

/** A parsed file: its metadata, its tensors' entries in header order, and where the data buffer starts. */
export interface SafetensorsFile {
  metadata: Record<string, string>;
  entries: TensorEntry[];
  view: DataView;
  bufferStart: number;
}

/** safetensors bytes holding `tensors` (header in their order) and `metadata`. */
export function encodeSafetensors(metadata: Record<string, string>, tensors: readonly TensorToWrite[]): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const placed = tensors.map((t) => ({ tensor: t, begin: 0 }));
  let offset = 0;
  for (const p of [...placed].sort((a, b) => DTYPE_BYTES[b.tensor.dtype] - DTYPE_BYTES[a.tensor.dtype])) {
    p.begin = offset;
    offset += DTYPE_BYTES[p.tensor.dtype] * p.tensor.values.length;
  }
  for (const { tensor, begin } of placed) {
    header[tensor.name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [begin, begin + DTYPE_BYTES[tensor.dtype] * tensor.values.length] };
  }
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
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const start = 8 + json.length;
  for (const { tensor, begin } of placed) {
    const { values } = tensor;
    if (tensor.dtype === 'I64') for (let i = 0; i < values.length; i++) view.setBigInt64(start + begin + 8 * i, BigInt(values[i]), true);
    else for (let i = 0; i < values.length; i++) view.setFloat32(start + begin + 4 * i, values[i], true);
  }
  return out;
}

/** Reads and checks the container (see the module comment); the tensors' values are read by `decodeFloats` and `decodeCounts`. */
export function parseSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsFile {
  checkBytesArgument(bytes, 'safetensors');
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 8) throw badModel('safetensors', `file is ${grouped(data.length)} bytes, shorter than the 8-byte header length`);
  const headerLength = view.getBigUint64(0, true); // a BigInt prints every byte count as the integer it is
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw badModel('safetensors header length', bytesBeyond(headerLength, MAX_HEADER_BYTES));
  const headerBytes = Number(headerLength);
  if (8 + headerBytes > data.length) {
    throw badModel('safetensors header length', `says ${grouped(headerBytes)} bytes but only ${grouped(data.length - 8)} follow the length field`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(8, 8 + headerBytes));
  } catch {
    throw badModel('safetensors header', 'not valid UTF-8');
  }
  // Where in the header, as every JSON reader says it (it gave the engine's words alone: "Unexpected token …"); a tensor
  // named twice is refused as the format says (its README: "Duplicate keys are disallowed"), as every JSON reader refuses it.
  const header = parsedJsonText(text, 'safetensors header', badModel);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw badModel('safetensors header', 'expected a JSON object');

  const bufferStart = 8 + headerBytes;
  const bufferLength = data.length - bufferStart;
  const entries: TensorEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = readMetadata(value);
    else entries.push(readEntry(name, value, bufferLength, text));
  }
  checkLayout(entries, bufferLength);
  return { metadata, entries, view, bufferStart };
}

function readMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModel('__metadata__', 'expected an object of strings');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw badModel(`__metadata__.${key}`, `expected a string, got ${describeValue(entry)}`);
  }
  return value as Record<string, string>;
}

/** The tensor `name` of the header (its JSON `text`), refused where its entry is not one; an Infinity refused is quoted as the header writes it (overflowSaid). */
function readEntry(name: string, value: unknown, bufferLength: number, text: string): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModel(name, 'expected { dtype, shape, data_offsets }');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    throw badModel(`${name}.dtype`, `${quoted(dtype)} is not supported (use ${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw overflowSaid(badModel(`${name}.shape`, `expected an array of non-negative integers, got ${shownShape(shape)}`), text, [name, 'shape'], 'the header');
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    throw overflowSaid(badModel(`${name}.data_offsets`, `expected [begin, end] with 0 ≤ begin ≤ end, got ${describeValue(offsets)}`), text, [name, 'data_offsets'], 'the header');
  }
  const [begin, end] = offsets as number[];
  if (end > bufferLength) throw badModel(`${name}.data_offsets`, `[${begin}, ${end}] runs past the ${grouped(bufferLength)}-byte data buffer`);
  // BigInt: a hostile shape's product must neither round nor print as 4e+24.
  const bytes = BigInt(DTYPE_BYTES[dtype as Dtype]) * shape.reduce((n: bigint, d: number) => n * BigInt(d), 1n);
  if (bytes !== BigInt(end - begin)) {
    throw badModel(name, `shape ${shapeText(shape)} of ${dtype} needs ${grouped(bytes)} bytes but data_offsets span ${grouped(end - begin)}`);
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
  if (covered !== bufferLength) throw badModel('safetensors', `tensors cover ${grouped(covered)} of the ${grouped(bufferLength)} data bytes`);
}

/**
 * A float tensor's values as float32: F32 as stored, F16 and BF16 exactly (float32 holds every
 * value of both), F64 rounded to the nearest float32 (as PyTorch's `.float()` does; the readers note
 * it). Each value is checked as it is stored (checkStoredTensor: finite in float32, and within
 * RUNAWAY_PARAMETER for a `parameter`), the first bad one named `name[r, c]` by the tensor's shape.
 */
export function decodeFloats(file: SafetensorsFile, entry: TensorEntry, parameter: boolean): Float32Array {
  if (entry.dtype === 'I64') throw badModel(`${entry.name}.dtype`, 'I64 where a float tensor (F64, F32, F16, BF16) belongs');
  const { view } = file;
  const n = (entry.end - entry.begin) / DTYPE_BYTES[entry.dtype];
  // F64 is checked before rounding, so 1e39 is named as itself, not as the Infinity it would round to.
  const out = entry.dtype === 'F64' ? new Float64Array(n) : new Float32Array(n);
  const at = file.bufferStart + entry.begin;
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
  checkStoredTensor(out, elementPath(entry.name, entry.shape), parameter, badModel);
  return out instanceof Float32Array ? out : Float32Array.from(out);
}

/** The note a reader adds when it rounded F64 tensors to float32 (decodeFloats), or none. */
export function f64Note(entries: readonly TensorEntry[]): string[] {
  const f64 = entries.filter((entry) => entry.dtype === 'F64').map((entry) => entry.name);
  if (f64.length === 0) return [];
  return [`read the F64 tensors (${f64.join(', ')}) as float32, each value rounded to the nearest, as PyTorch's .float() does: gradscope computes in float32`];
}

/** The largest count a float32 holds exactly (2²⁴): num_batches_tracked is kept as a float. */
const MAX_EXACT_COUNT = 2 ** 24;

/** An I64 tensor of counts (num_batches_tracked), each a whole number from 0 to 2²⁴. */
export function decodeCounts(file: SafetensorsFile, entry: TensorEntry): Float32Array {
  if (entry.dtype !== 'I64') throw badModel(`${entry.name}.dtype`, `${entry.dtype} where PyTorch's I64 belongs`);
  const n = (entry.end - entry.begin) / 8;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const count = file.view.getBigInt64(file.bufferStart + entry.begin + 8 * i, true);
    if (count < 0n || count > BigInt(MAX_EXACT_COUNT)) throw badModel(`${entry.name}[${i}]`, `${count} is not a count from 0 to ${grouped(MAX_EXACT_COUNT)}`);
    out[i] = Number(count);
  }
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
