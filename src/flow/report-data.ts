/**
 * How the HTML report embeds its data (report-script.ts unpacks it): one gzipped block in base64,
 * every number at float32 precision, the precision the WASM core computes in. The measured series
 * (a trace's metrics, losses, accuracy, histogram ranges: arrays of numbers, or of rows of numbers,
 * that hold a non-integer) leave the JSON as raw float32 values, which gzip packs about a third
 * smaller than their decimal text; each becomes { "$f32": offset, "shape": [rows] or [rows, cols] }
 * in the JSON, and unpacks to the numbers the JSON would have held (NaN and ±Infinity as null).
 *
 * Layout after gunzip: a little-endian u32 (the JSON's length in bytes), the JSON (UTF-8), then the
 * float32 values as four byte planes (every value's byte 0, then every byte 1, 2 and 3, each value
 * little-endian): neighbouring values share their sign and exponent bytes, which gzip then finds.
 */
import { float32Text } from './svg.js';

/** A series moves out of the JSON only from this many values: a shorter one saves less than its `{ "$f32" }` costs. */
const SERIES_MIN_VALUES = 8;

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

/** `data` packed as the report embeds it (see the module comment). */
export async function packReportData(data: unknown): Promise<string> {
  const values: number[] = [];
  const json = JSON.stringify(data, (_, v: unknown) => {
    if (typeof v === 'number') return written(v);
    if (!Array.isArray(v)) return v;
    const shape = seriesShape(v);
    if (!shape) return v;
    const offset = values.length;
    for (const cell of v.flat()) values.push(cell === null ? NaN : (cell as number));
    return { $f32: offset, shape };
  });
  const text = new TextEncoder().encode(json);
  const bytes = new Uint8Array(4 + text.length + 4 * values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, text.length, true);
  bytes.set(text, 4);
  const single = new DataView(new ArrayBuffer(4));
  const planes = 4 + text.length;
  values.forEach((v, i) => {
    single.setFloat32(0, v, true);
    for (let b = 0; b < 4; b++) bytes[planes + b * values.length + i] = single.getUint8(b);
  });
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < packed.length; i += 0x8000) binary += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(binary);
}
