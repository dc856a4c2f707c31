/**
 * How the HTML report embeds its data (the page's script, report-page.ts, unpacks it): one gzipped block in base 85
 * (BASE85_DIGITS; 5 characters per 4 bytes where base64 takes 5⅓: 9.8 KB less in npm start's report,
 * 2026-12-02), every number at float32 precision, the precision the WASM core computes in. Two rewrites of the
 * JSON make it smaller without changing a value, and unpack to the JSON they replace:
 * - a table, an array of records that all have the same keys in the same order (a trace's epochs:
 *   { epoch, step, loss, batches } each; a diagnosis' evidence per layer), is written by column:
 *   { "$table": { key: [its column], … } };
 * - a measured series (an array of numbers, or of equal rows of numbers, that holds a non-integer: a
 *   trace's metrics, losses, accuracy, histogram ranges, a table's column of losses) leaves the JSON
 *   as raw float32 values, which gzip packs about a third smaller than their decimal text, and is
 *   written { "$f32": offset, "shape": [rows] or [rows, cols] }, unpacking to the numbers the JSON
 *   would have held (NaN and ±Infinity as null).
 * Neither rewrite can be mistaken for the data's own: a key of the data that starts with '$' (a run id
 * is a user's string, and "$f32" is one) is written with one more '$' in front, which unescapedKeys
 * drops again after the rewrites are undone.
 *
 * Layout after gunzip: a little-endian u32 (the JSON's length in bytes), the JSON (UTF-8), then the
 * float32 values (float32Planes): each value's 32 bits less the previous value's (mod 2³², the first's
 * less 0) as a zigzag integer (0, −1, 1, −2 … written 0, 1, 2, 3 …), in four byte planes (every
 * difference's byte 0, then every byte 1, 2 and 3, each little-endian). Neighbouring values share their
 * sign and exponent and lie near, so their differences' high bytes are mostly 0 or 255 (zigzag makes
 * those 0), which gzip then finds: npm start's report's data block is 9,320 characters smaller than with
 * the values' own bits in planes (154,395 → 145,075, 2026-12-07), and they come back to the very bits
 * (planeFloat32s). A [rows, cols] series is stored column by column (values[offset +
 * c·rows + r] is row r, column c): a trace's metric is [records, layers], and one layer's values over
 * time are the neighbours that share their exponents (5.5 KB less gzip than row by row in npm start's
 * report, 2026-12-02).
 */
import { float32Text } from './svg.js';

/** A series moves out of the JSON only from this many values: a shorter one saves less than its `{ "$f32" }` costs. */
const SERIES_MIN_VALUES = 8;

/**
 * An array of records is written by column from two of them: npm start's report was 1.5 KB smaller
 * from 2 than from 8 (a diagnosis' per-layer evidence, 2–6 records, gains too; 2026-12-02).
 */
const TABLE_MIN_ROWS = 2;

/**
 * Whether JSON writes `value` as a record of its own keys: a plain object (an object literal's
 * prototype, or none) without a toJSON, which JSON would write instead (a class's instance, a Date).
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** Whether JSON writes `value` under its key in a record: it drops a key whose value is undefined, a function or a symbol (a column would write null for it). */
const writtenInRecord = (value: unknown) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';

/** `rows` by column ({ key: column }), when every row is a record of the same keys in the same order, each written by JSON (writtenInRecord); else undefined. */
function columnsOf(rows: unknown[]): Record<string, unknown[]> | undefined {
  if (rows.length < TABLE_MIN_ROWS || !rows.every(isRecord)) return undefined;
  const keys = Object.keys(rows[0]);
  const sameKeys = (row: Record<string, unknown>) => {
    const own = Object.keys(row);
    return own.length === keys.length && own.every((key, i) => key === keys[i] && writtenInRecord(row[key]));
  };
  if (keys.length === 0 || !rows.every(sameKeys)) return undefined;
  return Object.fromEntries(keys.map((key) => [key, rows.map((row) => row[key])]));
}

/** The number the report writes for `v`: the shortest decimal of the same float32 (JSON null for NaN and ±Infinity). */
const written = (v: number) => Number(float32Text(v));

/** Whether `v` (a number or null) is written the same from its float32 (an integer beyond 2²⁴ is not). */
const writtenSameFromFloat32 = (v: unknown) => v === null || (typeof v === 'number' && (!Number.isFinite(v) || written(Math.fround(v)) === written(v)));

/** The shape of an array of numbers or of equal rows of numbers worth moving out ([n] or [rows, cols]), else undefined. */
function seriesShape(value: unknown[]): number[] | undefined {
  const rows = value.every(Array.isArray) ? (value as unknown[][]) : undefined;
  const cells = rows ? rows.flat() : value;
  if (rows && rows.some((row) => row.length !== rows[0].length)) return undefined;
  if (cells.length < SERIES_MIN_VALUES || !cells.every(writtenSameFromFloat32)) return undefined;
  // Integer series (steps, counts) stay as they are: their decimal text is short and exact.
  if (!cells.some((v) => typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v))) return undefined;
  return rows ? [rows.length, rows[0].length] : [value.length];
}

/** The element id of the page's data block (report-html.ts writes it, the page's script reads it); no run's section may take it. */
export const DATA_ELEMENT_ID = 'report-data';

/**
 * What the data block's bytes are, in its data-encoding attribute (report-html.ts writes it; the page's script reads the
 * block only where the attribute says this): base 85 of gzip of the JSON and the float32 values as their bits' zigzagged
 * differences from the previous value's, in byte planes (float32Planes). It tells a reader of the page what the bytes are;
 * a block whose attribute says another layout (an older block spliced beside this script by hand) is left unread rather than
 * read as wrong numbers. An older page carries its own script, which reads its own layout.
 */
export const DATA_ENCODING = 'gzip+base85, json+float32-delta-zigzag-planes';

/**
 * The 85 digits the data block is written in, 0 first: the printable ASCII characters but for
 * `"&'<>\\` `` ` `` `$%`, so the block holds no '<' (it sits inside a <script>: no "</script" can close it)
 * and nothing HTML or JavaScript quotes. Each 4 bytes (big-endian) are 5 digits, most significant
 * first; a last group of n < 4 bytes is its first n + 1 digits of the group padded with zero bytes
 * (Ascii85's rule: read back padded with the highest digit, its n bytes are exact).
 */
export const BASE85_DIGITS = '!#()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~';

/** `bytes` in base 85 (BASE85_DIGITS). */
export function base85(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += 4) {
    const n = Math.min(4, bytes.length - at);
    let value = 0;
    for (let b = 0; b < 4; b++) value = value * 256 + (b < n ? bytes[at + b] : 0);
    const digits: string[] = [];
    for (let d = 0; d < 5; d++, value = Math.floor(value / 85)) digits.unshift(BASE85_DIGITS[value % 85]);
    out.push(digits.slice(0, n + 1).join(''));
  }
  return out.join('');
}

/**
 * The bytes `text` stands for (base85's inverse): 5 digits to each 4 bytes, a last group of n bytes
 * in its n + 1 digits, read padded with the highest digit (BASE85_DIGITS). The page's
 * script runs this very function (report-page.ts imports it), so that what is tested here is what the
 * page reads with.
 */
export function base85Bytes(text: string): Uint8Array {
  const digit = new Map(Array.from(BASE85_DIGITS, (c, i) => [c, i] as [string, number]));
  const bytes = new Uint8Array(Math.floor(text.length / 5) * 4 + Math.max(0, (text.length % 5) - 1));
  for (let at = 0, out = 0; at < text.length; at += 5, out += 4) {
    let value = 0;
    for (let d = 0; d < 5; d++) value = value * 85 + (at + d < text.length ? digit.get(text[at + d])! : 84);
    for (let b = 0; b < 4 && out + b < bytes.length; b++) bytes[out + b] = Math.floor(value / 256 ** (3 - b)) % 256;
  }
  return bytes;
}

/**
 * `values` as float32s, stored as the data block stores them (see the module comment): each one's bits
 * less the previous one's, zigzagged, in four byte planes. planeFloat32s reads them back.
 */
export function float32Planes(values: readonly number[]): Uint8Array {
  const n = values.length;
  const bits = new Uint32Array(Float32Array.from(values).buffer);
  const planes = new Uint8Array(4 * n);
  for (let i = 0, previous = 0; i < n; previous = bits[i++]) {
    const difference = (bits[i] - previous) | 0;
    const zigzag = (difference << 1) ^ (difference >> 31);
    for (let b = 0; b < 4; b++) planes[b * n + i] = (zigzag >>> (8 * b)) & 255;
  }
  return planes;
}

/**
 * The float32 values `planes` (float32Planes') stand for, each with the very bits it was stored with.
 * The page's script runs this very function (report-page.ts imports it), so that what is tested here
 * is what the page reads with.
 */
export function planeFloat32s(planes: Uint8Array): Float32Array {
  const n = planes.length / 4;
  const bits = new Uint32Array(n);
  for (let i = 0, previous = 0; i < n; previous = bits[i++]) {
    const zigzag = (planes[i] | (planes[n + i] << 8) | (planes[2 * n + i] << 16) | (planes[3 * n + i] << 24)) >>> 0;
    bits[i] = previous + ((zigzag >>> 1) ^ -(zigzag & 1));
  }
  return new Float32Array(bits.buffer);
}

/** A key of the data is written with one more '$' in front when it starts with one, so that no record of the data reads as a `$f32` or `$table` of the packer's. */
const escapedKey = (key: string) => (key.startsWith('$') ? `$${key}` : key);

/**
 * `record` with its keys as the data held them: each key that starts with '$' loses the one the
 * packer put in front (escapedKey). The page's script runs this very function (report-page.ts imports
 * it) on every object that is neither a series nor a table.
 */
export function unescapedKeys(record: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(record).some((key) => key.startsWith('$'))) return record;
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key.startsWith('$') ? key.slice(1) : key, v]));
}

/** `data` packed as the report embeds it (see the module comment). */
export async function packReportData(data: unknown): Promise<string> {
  const values: number[] = [];
  const json = JSON.stringify(data, (_, v: unknown) => {
    if (typeof v === 'number') return written(v);
    // The object JSON writes (after any toJSON), its own keys escaped; its values come back through here.
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).some((key) => key.startsWith('$'))) {
      return Object.fromEntries(Object.entries(v).map(([key, value]) => [escapedKey(key), value]));
    }
    if (!Array.isArray(v)) return v;
    const shape = seriesShape(v);
    if (!shape) {
      // Its columns then come back through here: a column of measured numbers becomes a series.
      const columns = columnsOf(v);
      return columns ? { $table: columns } : v;
    }
    const offset = values.length;
    const [rows, cols] = shape;
    const cell = (r: number, c: number) => (cols === undefined ? v[r] : (v[r] as unknown[])[c]);
    for (let c = 0; c < (cols ?? 1); c++) for (let r = 0; r < rows; r++) values.push(cell(r, c) === null ? NaN : (cell(r, c) as number));
    return { $f32: offset, shape };
  });
  const text = new TextEncoder().encode(json);
  const bytes = new Uint8Array(4 + text.length + 4 * values.length);
  new DataView(bytes.buffer).setUint32(0, text.length, true);
  bytes.set(text, 4);
  bytes.set(float32Planes(values), 4 + text.length);
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return base85(new Uint8Array(await new Response(stream).arrayBuffer()));
}
