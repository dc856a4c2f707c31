/** A safetensors file read by its published spec, not by gradscope's reader: the tests' check on what gradscope writes. */
import { expect } from 'vitest';
import { architectureOfPytorch } from '../../src/io/pytorch-import.js';

/** One tensor's dtype, shape and raw bytes as the file holds them. */
export interface SpecTensor {
  dtype: string;
  shape: number[];
  bytes: number[];
}

/**
 * The header (8-byte LE length, a multiple of 8, then JSON) and each tensor's dtype, shape and bytes by name, in the
 * header's order; fails the test unless the tensors' bytes are contiguous from 0 to the file's end, with no holes.
 */
export function readSpec(bytes: Uint8Array): { metadata: Record<string, string>; names: string[]; tensors: Map<string, SpecTensor> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  expect(length % 8).toBe(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__: Record<string, string> };
  const { __metadata__: metadata, ...entries } = header;
  const tensors = new Map(Object.entries(entries).map(([name, t]) => [name, { dtype: t.dtype, shape: t.shape, bytes: [...bytes.subarray(8 + length + t.data_offsets[0], 8 + length + t.data_offsets[1])] }]));
  const spans = Object.values(entries).map((t) => t.data_offsets).sort((a, b) => a[0] - b[0]);
  spans.forEach((span, i) => expect(span[0]).toBe(i === 0 ? 0 : spans[i - 1][1]));
  expect(8 + length + spans[spans.length - 1][1]).toBe(bytes.length);
  return { metadata, names: Object.keys(entries), tensors };
}

/**
 * The same header names, dtypes, shapes and bytes in `written` as in `source`; where `written` holds a module expression
 * (__metadata__.pytorch), the module it builds has exactly the file's tensor names, in the file's order, as PyTorch's strict
 * load_state_dict asks. With `expression: true` the test fails where `written` holds none. Returns `written`'s metadata.
 */
export function expectSameTensors(written: Uint8Array, source: Uint8Array, { expression = false } = {}): Record<string, string> {
  const out = readSpec(written);
  const given = readSpec(source);
  expect([...out.tensors.keys()].sort()).toEqual([...given.tensors.keys()].sort());
  for (const [name, tensor] of given.tensors) expect(out.tensors.get(name), name).toEqual(tensor);
  if (expression) expect(out.metadata.pytorch).toBeDefined();
  if (out.metadata.pytorch !== undefined) expect(architectureOfPytorch(out.metadata.pytorch, 'pytorch').names).toEqual(out.names);
  return out.metadata;
}

/** The bytes of a safetensors file by its spec: an 8-byte little-endian header length, the JSON header, then each tensor's bytes (F32, or I64 for the batch counter). */
export function writeSpec(tensors: { name: string; shape: number[]; values: number[]; dtype?: 'I64' }[]): Uint8Array {
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const width = (t: { dtype?: 'I64' }) => (t.dtype === 'I64' ? 8 : 4);
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype ?? 'F32', shape: t.shape, data_offsets: [offset, offset + width(t) * t.values.length] };
    offset += width(t) * t.values.length;
  }
  let text = JSON.stringify(header);
  while ((8 + text.length) % 8 !== 0) text += ' ';
  const bytes = new Uint8Array(8 + text.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(text.length), true);
  bytes.set(new TextEncoder().encode(text), 8);
  let at = 8 + text.length;
  for (const t of tensors) {
    for (const v of t.values) {
      if (t.dtype === 'I64') view.setBigInt64(at, BigInt(v), true);
      else view.setFloat32(at, v, true);
      at += width(t);
    }
  }
  return bytes;
}

/**
 * The safetensors file `bytes` with its header replaced by `header`'s JSON (unpadded), the tensors' bytes as they were: a
 * test's edit of a header gradscope wrote, down to what the spec forbids (a non-string metadata value, an absurd shape).
 */
export function withSpecHeader(bytes: Uint8Array, header: unknown): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}
