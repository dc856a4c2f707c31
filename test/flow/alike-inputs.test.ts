/**
 * Input rows alike (every input feature the same on every row to within float32's rounding: TraceRun.inputs 'alike'): every layer
 * gets the same input on every row, so a relu unit is on or dead on every row and no layer can tell the rows apart. A plain relu
 * network over them read "dead 63 %" and was offered leaky-relu and batch norm (which would make every feature x̂ = 0); the
 * diagnosis now names the data as the cause and offers no remedy of the network or the run.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { rowsAlike } from '../../src/flow/alike-rows.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { GradscopeError } from '../../src/errors.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const [INPUTS, CLASSES, ROWS] = [8, 4, 256];

/** ROWS rows of INPUTS numbers made by `value` (row, feature, a seeded uniform draw in [0, 1)), with random one-hot classes. */
function rows(value: (i: number, j: number, u: number) => number): { x: number[][]; y: number[][] } {
  let s = 7;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const x = Array.from({ length: ROWS }, (_, i) => Array.from({ length: INPUTS }, (_, j) => value(i, j, next())));
  const y = x.map(() => {
    const c = Math.floor(next() * CLASSES);
    return Array.from({ length: CLASSES }, (_, k) => (k === c ? 1 : 0));
  });
  return { x, y };
}

/** [8, 5 × 16, 4] relu/he, softmax, 4 epochs of SGD at 0.1 in batches of 32, traced every 2 steps; the trace, saved and read back. */
async function traced(value: (i: number, j: number, u: number) => number) {
  const net = await createNetwork({ sizes: [INPUTS, 16, 16, 16, 16, 16, CLASSES], activation: 'relu', output: 'softmax', loss: 'cross-entropy', init: 'he-normal', seed: 1 });
  const { x, y } = rows(value);
  net.train(x, y, { epochs: 4, batchSize: 32, learningRate: 0.1, trace: { every: 2 } });
  const trace = net.trace!;
  net.dispose();
  return Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())));
}

describe('input rows alike', () => {
  it('rowsAlike: every feature the same on every row to within float32 rounding (2⁻²¹ of its largest |value|), finite, two rows or more', () => {
    const column = (values: number[]) => rowsAlike(values, values.length, 1);
    expect(column([0.5, 0.5, 0.5])).toBe(true);
    expect(column([0, 0, 0])).toBe(true);
    // 1 and 1 + 2⁻²³ (one float32 ulp) spread 2⁻²⁴ about their mean, within 2⁻²¹; 1 and 1 + 2⁻¹⁹ spread 2⁻²⁰, past it.
    expect(column([1, 1 + 2 ** -23])).toBe(true);
    expect(column([1, 1 + 2 ** -19])).toBe(false);
    // At the bound, one float32 ulp apart: 1 and 1 + 2⁻²⁰ spread 2⁻²¹ about their mean, within 2⁻²¹ of 1 + 2⁻²⁰; 1 and 1 + 2⁻²⁰ + 2⁻²³ do not.
    expect(column([1, 1 + 2 ** -20])).toBe(true);
    expect(column([1, 1 + 2 ** -20 + 2 ** -23])).toBe(false);
    // A large offset does not hide a spread a dense layer's weights see (review39: 1000 + u classified 96 % right).
    expect(column([1000, 1000.25, 1000.5])).toBe(false);
    expect(column([0.5, NaN, 0.5])).toBe(false);
    expect(column([0.5])).toBe(false);
    // Row-major, [rows][cols]: one feature that varies is enough for rows that are not alike.
    expect(rowsAlike([0.5, 1, 0.5, 2], 2, 2)).toBe(false);
    expect(rowsAlike([0.5, 2, 0.5, 2], 2, 2)).toBe(true);
  });

  it('rowsAlike over many rows: the same answer at the bound wherever in the rows and features the one differing value is', () => {
    // 1024 rows of 3 features, 1 throughout but for one value 1 + δ: the spread δ·√1023 / 1024 is within 2⁻²¹ · (1 + δ) for
    // δ = 2⁻¹⁶ (0.9995 of it) and past it one float32 ulp higher (1.0073 of it).
    const [ROWS, COLS] = [1024, 3];
    for (const [delta, alike] of [[2 ** -16, true], [2 ** -16 + 2 ** -23, false]] as const) {
      for (const row of [0, 63, 64, ROWS - 1]) {
        for (const col of [0, COLS - 1]) {
          const values = new Float32Array(ROWS * COLS).fill(1);
          values[row * COLS + col] = 1 + delta;
          expect(rowsAlike(values, ROWS, COLS), `1 + δ at row ${row}, feature ${col}`).toBe(alike);
        }
      }
    }
    // A feature twice as far out, in the last row only, is not alike; nor one infinite.
    const far = new Float32Array(ROWS * COLS).fill(1);
    far[ROWS * COLS - 1] = 1 + 2 ** -15;
    expect(rowsAlike(far, ROWS, COLS)).toBe(false);
    far[ROWS * COLS - 1] = Infinity;
    expect(rowsAlike(far, ROWS, COLS)).toBe(false);
    expect(rowsAlike(new Float32Array(ROWS * COLS).fill(Infinity), ROWS, COLS)).toBe(false);
  });

  it('a relu network over rows all 0.5: dead units caused by the data, and no remedy of the network or the run', async () => {
    const trace = await traced(() => 0.5);
    expect(trace.run.inputs).toBe('alike');
    const d = diagnose(trace);
    expectSummaryExplained(d, 'relu, rows alike');
    expect(d.verdict).toBe('dead');
    expect(d.summary).toMatch(/^Dead units: 63 % of the units in hidden layer 5 have z ≤ 0 on every row/);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Dead units: 63 %')));
    expect(d.summary).toMatch(/The input rows the run trained on are alike: every input feature is the same on every row, to within float32's rounding/);
    expect(d.summary).toMatch(/each relu unit is active on every row or dead on every row, a batch norm's x̂ is 0 in every feature, and no layer can tell the rows apart/);
    expect(d.summary).toMatch(/No remedy of the network or the run is offered: check the data/);
    // It was offered leaky-relu and batch norm (every feature of which would be flat over rows alike).
    expect(d.remedies).toEqual([]);
    // Where the run stands: a plateau of 4 epochs, which more epochs or the curvature would tell no more of (it said they would).
    expect(d.summary).toMatch(/A plateau: .* the plateau call rests on only 4 epochs \(fewer than 5: each window compared is one epoch\); /);
    expect(d.summary).toContain(
      'More epochs would not tell more, nor would the curvature: the network cannot tell rows alike apart (above), so they carry nothing to learn but how often each target occurs, however long it trains: the data is what to check.',
    );
    expect(d.summary).not.toMatch(/would tell|its curvature can/);
    expect(d.evidence.layerRates).toBeUndefined();
  });

  it('rows that differ in float32 rounding alone are alike too; rows about a large offset, or with one varied feature, are not', async () => {
    // float32 holds 1 + 10⁻⁸·u as 1 or its next value up: the rows differ in the last place at most.
    const rounding = await traced((_, __, u) => 1 + 1e-8 * u);
    expect(rounding.run.inputs).toBe('alike');
    expect(diagnose(rounding).remedies).toEqual([]);
    // 10 + 0.01·u spreads 0.29 % of its RMS, which a relative measure called alike; its spread is 10⁴ ulps.
    for (const value of [(_: number, __: number, u: number) => 10 + 0.01 * u, (_: number, j: number, u: number) => (j === 0 ? 2 * u - 1 : 0.5)]) {
      const varied = await traced(value);
      expect(varied.run.inputs).toBeUndefined();
      expect(diagnose(varied).summary).not.toMatch(/are alike/);
    }
    expect(diagnose(await traced((_, j, u) => (j === 0 ? 2 * u - 1 : 0.5))).remedies.length).toBeGreaterThan(0);
  });

  it('a trace file holds it as run.inputs, and one with another value is refused', async () => {
    const saved = (await traced(() => 0.5)).toJSON();
    expect(saved.run.inputs).toBe('alike');
    const other = { ...saved, run: { ...saved.run, inputs: 'same' } };
    expect(() => Trace.fromJSON(JSON.parse(JSON.stringify(other)))).toThrow(GradscopeError);
    expect(() => Trace.fromJSON(JSON.parse(JSON.stringify(other)))).toThrow(/run\.inputs/);
  });
});
