/**
 * The report's data block (report-data.ts) read back by its documented layout, independently of the
 * page's script: base 85 of gzip of a little-endian u32 JSON length, the JSON, then the float32 values' bits, each less
 * the previous value's (mod 2³²) and zigzagged, as four byte planes; a `{ $f32: offset, shape }` in the JSON stands for values[offset …]; any other
 * object's key that starts with '$' was written with one more '$' in front.
 */
import { gunzipSync } from 'node:zlib';
import { BASE85_DIGITS } from '../../src/flow/report-data.js';
import { float32Text } from '../../src/flow/svg.js';

/** The block's bytes from its base-85 text (BASE85_DIGITS: 4 bytes to 5 digits, big-endian; a last group of n bytes in n + 1 digits). */
function base85Bytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at += 5) {
    const group = text.slice(at, at + 5);
    const value = [...group.padEnd(5, BASE85_DIGITS[84])].reduce((v, c) => {
      const digit = BASE85_DIGITS.indexOf(c);
      if (digit < 0) throw new Error(`not a base-85 digit: ${JSON.stringify(c)}`);
      return v * 85 + digit;
    }, 0);
    const four = Buffer.alloc(4);
    four.writeUInt32BE(value);
    bytes.push(...four.subarray(0, group.length - 1));
  }
  return Buffer.from(bytes);
}

/** The block unpacked by its documented layout: the JSON, and its float32 values. */
export function unpackParts(packed: string): { json: string; values: number[] } {
  const bytes = gunzipSync(base85Bytes(packed));
  const length = bytes.readUInt32LE(0);
  const json = bytes.subarray(4, 4 + length).toString('utf8');
  const planes = bytes.subarray(4 + length);
  const count = planes.length / 4;
  let bits = 0;
  const values = Array.from({ length: count }, (_, i) => {
    const zigzag = Buffer.from([0, 1, 2, 3].map((b) => planes[b * count + i])).readUInt32LE(0);
    // Zigzag: 0, 1, 2, 3 … stand for the differences 0, −1, 1, −2 …
    const difference = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    bits = (((bits + difference) % 2 ** 32) + 2 ** 32) % 2 ** 32;
    const four = Buffer.alloc(4);
    four.writeUInt32LE(bits);
    return four.readFloatLE(0);
  });
  return { json, values };
}

/**
 * The block unpacked into the JSON it stands for, each float32 value back in place (NaN and
 * ±Infinity as null; a [rows, cols] series stored column by column) and each `{ $table }` (records
 * by column) back to its records, and every other object's keys with the '$' the packer put in front
 * of a key that starts with one dropped.
 */
export function unpack(packed: string): unknown {
  const { json, values } = unpackParts(packed);
  const number = (v: number) => (Number.isFinite(v) ? Number(float32Text(v)) : null);
  return JSON.parse(json, (_, v) => {
    if (v === null || typeof v !== 'object') return v;
    if ('$table' in v) {
      const columns = (v as { $table: Record<string, unknown[]> }).$table;
      const keys = Object.keys(columns);
      return columns[keys[0]].map((_, r) => Object.fromEntries(keys.map((key) => [key, columns[key][r]])));
    }
    if (!('$f32' in v)) return Array.isArray(v) ? v : Object.fromEntries(Object.entries(v).map(([key, value]) => [key.replace(/^\$/, ''), value]));
    const { $f32: offset, shape } = v as { $f32: number; shape: number[] };
    const cells = values.slice(offset, offset + shape.reduce((a, b) => a * b, 1)).map(number);
    if (shape.length === 1) return cells;
    const [rows, cols] = shape;
    return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => cells[c * rows + r]));
  });
}

/** What a page's data block must say it is (its data-encoding attribute) for this reader to read it: the layout above. */
export const DOCUMENTED_ENCODING = 'gzip+base85, json+float32-delta-zigzag-planes';

/** The data block of a rendered report page, unpacked (ReportData); a block that says it is anything but the layout above is refused. */
export function reportPageData(html: string): unknown {
  const block = /<script type="application\/octet-stream" id="report-data" data-encoding="([^"]*)">([^<]*)<\/script>/.exec(html);
  if (!block) throw new Error('no report-data block in the page');
  if (block[1] !== DOCUMENTED_ENCODING) throw new Error(`the page's data block says it is "${block[1]}", not "${DOCUMENTED_ENCODING}"`);
  return unpack(block[2]);
}
