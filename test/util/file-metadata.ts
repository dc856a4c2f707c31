/**
 * The metadata of the foreign formats gradscope writes, read from the bytes by each format's
 * published layout rather than by gradscope's own readers: safetensors' header (u64 little-endian
 * length, then that many bytes of JSON whose `__metadata__` maps strings to strings) and ONNX's
 * ModelProto.metadata_props (field 14, StringStringEntryProto: key 1, value 2) on the protobuf wire.
 */

import { withSpecHeader } from './safetensors-spec.js';

/** The safetensors header as the spec lays it out: u64 little-endian length, then that many bytes of JSON. */
export function safetensorsHeader(bytes: Uint8Array): Record<string, unknown> & { __metadata__: Record<string, string> } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

/** The safetensors file `bytes` with `__metadata__[key]` set to `value` (a string, or any JSON value where a test writes what the spec forbids), the tensors as they were. */
export function withSafetensorsMetadata(bytes: Uint8Array, key: string, value: unknown): Uint8Array {
  const header = safetensorsHeader(bytes) as { __metadata__: Record<string, unknown> };
  header.__metadata__[key] = value;
  return withSpecHeader(bytes, header);
}

/** The fields of one protobuf message, in order: varints as bigint, length-delimited fields as their bytes (fixed32 skipped). */
function protobufFields(data: Uint8Array): { field: number; value: Uint8Array | bigint }[] {
  const found: { field: number; value: Uint8Array | bigint }[] = [];
  let at = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = data[at++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < data.length) {
    const key = Number(varint());
    const wire = key & 7;
    if (wire === 0) found.push({ field: key >> 3, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      found.push({ field: key >> 3, value: data.subarray(at, at + length) });
      at += length;
    } else if (wire === 5) at += 4;
    else throw new Error(`wire type ${wire}`);
  }
  return found;
}

/** The key-value pairs of an ONNX ModelProto's metadata_props (field 14: StringStringEntryProto, key 1, value 2), read from the wire format. */
export function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  const text = (v: Uint8Array | bigint) => new TextDecoder().decode(v as Uint8Array);
  const entries = protobufFields(bytes).filter((f) => f.field === 14).map((f) => protobufFields(f.value as Uint8Array));
  return Object.fromEntries(entries.map((e) => [text(e.find((f) => f.field === 1)!.value), text(e.find((f) => f.field === 2)!.value)]));
}
