/**
 * The report's data block (report-data.ts) read back by its documented layout, independently of the
 * page's script: gzip of a little-endian u32 JSON length, the JSON, then the float32 values as four
 * byte planes; a `{ $f32: offset, shape }` in the JSON stands for values[offset …].
 */
import { gunzipSync } from 'node:zlib';
import { float32Text } from '../../src/flow/svg.js';

/** The block unpacked by its documented layout: the JSON, and its float32 values. */
export function unpackParts(packed: string): { json: string; values: number[] } {
  const bytes = gunzipSync(Buffer.from(packed, 'base64'));
  const length = bytes.readUInt32LE(0);
  const json = bytes.subarray(4, 4 + length).toString('utf8');
  const planes = bytes.subarray(4 + length);
  const count = planes.length / 4;
  const values = Array.from({ length: count }, (_, i) => Buffer.from([0, 1, 2, 3].map((b) => planes[b * count + i])).readFloatLE(0));
  return { json, values };
}

/** The block unpacked into the JSON it stands for, each float32 value back in place (NaN and ±Infinity as null). */
export function unpack(packed: string): unknown {
  const { json, values } = unpackParts(packed);
  const number = (v: number) => (Number.isFinite(v) ? Number(float32Text(v)) : null);
  return JSON.parse(json, (_, v) => {
    if (v === null || typeof v !== 'object' || !('$f32' in v)) return v;
    const { $f32: offset, shape } = v as { $f32: number; shape: number[] };
    const cells = values.slice(offset, offset + shape.reduce((a, b) => a * b, 1)).map(number);
    return shape.length === 1 ? cells : Array.from({ length: shape[0] }, (_, r) => cells.slice(r * shape[1], (r + 1) * shape[1]));
  });
}

/** The data block of a rendered report page, unpacked (ReportData). */
export function reportPageData(html: string): unknown {
  const block = /<script type="application\/octet-stream" id="report-data"[^>]*>([^<]*)<\/script>/.exec(html);
  if (!block) throw new Error('no report-data block in the page');
  return unpack(block[1]);
}
