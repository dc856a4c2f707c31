/**
 * The report's embedded data (report-data.ts): its layout read back here independently of the
 * page's script: every value is the one the JSON would have held at float32 precision, NaN and
 * ±Infinity as null, integer series and short ones left in the JSON, measured series moved out
 * (a [rows, cols] one column by column), and records of the same keys written by column.
 */
import { describe, expect, it } from 'vitest';
import { base85, base85Bytes, float32Planes, packReportData, planeFloat32s } from '../../src/flow/report-data.js';
import { float32Text } from '../../src/flow/svg.js';
import { unpack, unpackParts } from '../util/report-data.js';

/** A class's instance: JSON writes its toJSON, not its fields. */
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  toJSON() {
    return { point: [this.x, this.y] };
  }
}

/** What the report held before: JSON with every number at float32 precision. */
const asJson = (data: unknown) => JSON.parse(JSON.stringify(data, (_, v: unknown) => (typeof v === 'number' ? Number(float32Text(v)) : v)));

describe('the report data block', () => {
  const data = {
    title: 'π and friends',
    steps: Array.from({ length: 40 }, (_, i) => i + 1),
    losses: Array.from({ length: 40 }, (_, i) => Math.PI / (i + 1)),
    metrics: { norm: Array.from({ length: 10 }, (_, r) => [r / 3, NaN, Infinity, -1e-30 * r]), tiny: [[0.5, 1.5]] },
    beyond: [0.5, 0.25, 0.125, 16_777_217, 1, 2, 3, 4],
    counts: [[1, 2, 3, 4], [5, 6, 7, 8]],
  };

  it('unpacks to the JSON it replaces, value for value', async () => {
    expect(unpack(await packReportData(data))).toEqual(asJson(data));
  });

  it('moves the measured series out and leaves integers, short series and inexact ones in the JSON', async () => {
    const { json, values } = unpackParts(await packReportData(data));
    const kept = JSON.parse(json);
    expect(kept.losses).toEqual({ $f32: 0, shape: [40] });
    expect(kept.metrics.norm).toEqual({ $f32: 40, shape: [10, 4] });
    expect(values).toHaveLength(80);
    expect(kept.steps).toEqual(data.steps);
    expect(kept.counts).toEqual(data.counts);
    expect(kept.metrics.tiny).toEqual([[0.5, 1.5]]);
    // 2²⁴ + 1 has no float32 of its own: that series stays decimal.
    expect(kept.beyond).toEqual(data.beyond);
  });

  it('is written in base 85, every length of last group read back, with no "<" that could close its <script>', async () => {
    const tails = new Set<number>();
    for (let k = 0; k < 24; k++) {
      const small = { text: 'ab'.repeat(k), numbers: Array.from({ length: k }, (_, i) => i / 7) };
      const packed = await packReportData(small);
      expect(packed).toMatch(/^[!#()*+,\-./0-9:;=?@A-Z[\]^_a-z{|}~]*$/);
      expect(unpack(packed)).toEqual(asJson(small));
      tails.add(packed.length % 5);
    }
    // 0: whole groups of 4 bytes; 2, 3, 4: a last group of 1, 2 or 3 bytes (1 is none: a byte takes 2 digits).
    expect([...tails].sort()).toEqual([0, 2, 3, 4]);
  });

  it("is read back by the page's own reader (base85Bytes, the script's), every byte of every length of last group, the largest groups too", () => {
    for (let length = 0; length <= 13; length++) {
      // All 0xff: a group of 4 is 2³² − 1, a last group read padded with the highest digit the most it can be; all 0; and mixed bytes.
      for (const byte of [() => 0xff, () => 0, (i: number) => (i * 97 + 13) % 256]) {
        const bytes = Uint8Array.from({ length }, (_, i) => byte(i));
        expect(Array.from(base85Bytes(base85(bytes))), `${length} bytes`).toEqual(Array.from(bytes));
      }
    }
  });

  it("stores each float32 value as its bits' difference from the previous one's, which the page's own reader (planeFloat32s) reads back bit for bit", () => {
    const float32Bits = (values: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(values).buffer));
    // Every kind of float32: ±0, the least subnormals, the largest finite, ±Infinity, neighbours one bit apart; differences that wrap
    // past 2³² both ways (−max then +max, +max then −0); then 4,000 values of random bits, NaN's aside (its payload is no number's).
    const edges = [0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, -3.4028234663852886e38, 3.4028234663852886e38, -0, Infinity, -Infinity, 1, 1 + 2 ** -23, 1, -1, Math.PI, 0];
    const random = new Uint32Array(4000);
    let state = 12345;
    for (let i = 0; i < random.length; i++) random[i] = state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const randomValues = Array.from(new Float32Array(random.buffer)).filter((v) => !Number.isNaN(v));
    for (const values of [[], [Math.E], edges, randomValues, [...edges, ...randomValues, ...edges]]) {
      const planes = float32Planes(values);
      expect(planes).toHaveLength(4 * values.length);
      expect(float32Bits(planeFloat32s(planes)), `${values.length} values`).toEqual(float32Bits(values));
    }
    // NaN (the data's null) comes back NaN, its neighbours unchanged.
    expect(Array.from(planeFloat32s(float32Planes([0.5, NaN, -2])))).toEqual([0.5, NaN, -2]);
    // A series' neighbours share sign and exponent: their differences' high bytes are 0 (zigzag makes a small step down 0 too, not 255).
    const planes = float32Planes(Array.from({ length: 100 }, (_, i) => 0.25 + (i % 2 === 0 ? 1 : -1) * i * 1e-6));
    expect(planes.subarray(300).every((byte, i) => byte === (i === 0 ? 0x7d : 0))).toBe(true);
  });

  it('stores a [rows, cols] series column by column: one column (a layer over time) is a run of neighbours', async () => {
    const { values } = unpackParts(await packReportData(data));
    const column = (c: number) => values.slice(40 + 10 * c, 40 + 10 * (c + 1));
    expect(column(0)).toEqual(data.metrics.norm.map((row) => Math.fround(row[0])));
    expect(column(3)).toEqual(data.metrics.norm.map((row) => Math.fround(row[3])));
  });

  it('writes records of the same keys by column, a measured column as a series, and unpacks them to the records', async () => {
    const epochs = Array.from({ length: 12 }, (_, i) => ({ epoch: i, step: i + 1, loss: Math.E / (i + 1), validation: { loss: 1 / (i + 2), accuracy: i / 12 } }));
    const tables = {
      epochs,
      // Not tables: one record, keys in another order, a key missing, an undefined value (JSON drops the key), not records.
      few: epochs.slice(0, 1),
      reordered: epochs.map((e, i) => (i === 5 ? { step: e.step, epoch: e.epoch, loss: e.loss, validation: e.validation } : e)),
      missing: epochs.map((e, i) => (i === 5 ? { epoch: e.epoch, step: e.step, loss: e.loss } : e)),
      undefinedValue: epochs.map((e, i) => (i === 5 ? { ...e, validation: undefined } : e)),
      // Nor records JSON writes otherwise: a value it drops (a function, a symbol), an instance whose toJSON it writes instead, a class's instance.
      functionValue: epochs.map((e) => ({ ...e, format: () => 'text' })),
      symbolValue: epochs.map((e) => ({ ...e, tag: Symbol('epoch') })),
      withToJSON: epochs.map((e) => ({ ...e, toJSON: () => [e.epoch, e.loss] })),
      instances: epochs.map((e) => new Point(e.epoch, e.loss)),
      words: Array.from({ length: 10 }, (_, i) => `word ${i}`),
    };
    const packed = await packReportData(tables);
    expect(unpack(packed)).toEqual(asJson(tables));
    const kept = JSON.parse(unpackParts(packed).json);
    expect(Object.keys(kept.epochs.$table)).toEqual(['epoch', 'step', 'loss', 'validation']);
    expect(kept.epochs.$table.epoch).toEqual(epochs.map((e) => e.epoch));
    expect(kept.epochs.$table.loss).toEqual({ $f32: 0, shape: [12] });
    // A column of records of the same keys is itself a table.
    expect(Object.keys(kept.epochs.$table.validation.$table)).toEqual(['loss', 'accuracy']);
    for (const name of ['few', 'reordered', 'missing', 'undefinedValue', 'functionValue', 'symbolValue', 'withToJSON', 'instances', 'words'] as const) expect(Array.isArray(kept[name]), name).toBe(true);
  });

  it("keeps the data's own keys that start with '$' (a run id is a user's string) apart from the packer's $f32 and $table", async () => {
    const series = Array.from({ length: 10 }, (_, i) => i / 3);
    const dollars = {
      runs: { $f32: { label: 'a', shape: [2] }, $table: { label: 'b' }, $$f32: { label: 'c' }, $: 1, plain: { $f32: 0, shape: [1] } },
      rows: Array.from({ length: 4 }, (_, i) => ({ $f32: i, $table: i / 7, loss: i / 3 })),
      series: { $f32: series },
      instance: new (class {
        readonly $f32 = [1, 2];
      })(),
    };
    const packed = await packReportData(dollars);
    expect(unpack(packed)).toEqual(asJson(dollars));
    const kept = JSON.parse(unpackParts(packed).json);
    expect(Object.keys(kept.runs)).toEqual(['$$f32', '$$table', '$$$f32', '$$', 'plain']);
    expect(kept.runs.plain).toEqual({ $$f32: 0, shape: [1] });
    expect(Object.keys(kept.rows.$table)).toEqual(['$$f32', '$$table', 'loss']);
    expect(kept.series).toEqual({ $$f32: { $f32: 0, shape: [10] } });
    expect(kept.instance).toEqual({ $$f32: [1, 2] });
  });
});
