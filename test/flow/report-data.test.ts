/**
 * The report's embedded data (report-data.ts): its layout read back here independently of the
 * page's script: every value is the one the JSON would have held at float32 precision, NaN and
 * ±Infinity as null, integer series and short ones left in the JSON, and measured series moved out.
 */
import { describe, expect, it } from 'vitest';
import { packReportData } from '../../src/flow/report-data.js';
import { float32Text } from '../../src/flow/svg.js';
import { unpack, unpackParts } from '../util/report-data.js';

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
});
