/**
 * An epoch's short last batch (rows not a multiple of batchSize) is not "the last record": its
 * gradient is of its few rows alone. Found by edges32 (session 32): a sigmoid net traced every step
 * with 1 row left per epoch read "did not fade … 15.8× its start" (0 or 2 left: "fell 1.63×",
 * "2.75×"), and a 2-row last batch through batch norm read the gap "1/50.0 at the last record". The
 * trace records each record's batch rows; diagnose(), `study --model`'s tables and the report read the
 * last full batch's record (Trace.lastFullBatchRecord), and a trace saved without the rows reads as before.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { lastTableRecord, traceTableData } from '../../src/cli/trace-table.js';
import { numberText } from '../../src/number-text.js';
import { median } from '../../src/median.js';
import { medianOverRecords } from '../../src/flow/diagnosis/diagnosis-words.js';
import { renderReport, REPORT_RECORDS } from '../../src/flow/report-html.js';
import { expectError } from '../util/expect-error.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const sigmoid = (units: number): LayerSpec => ({ type: 'dense', units, activation: 'sigmoid' });
const PLAIN: LayerSpec[] = [sigmoid(16), sigmoid(16), sigmoid(16), { type: 'dense', units: 2, activation: 'softmax' }];
const BATCH_NORM: LayerSpec[] = [sigmoid(16), { type: 'batch-norm' }, sigmoid(16), { type: 'batch-norm' }, sigmoid(16), { type: 'dense', units: 2, activation: 'softmax' }];

/** 4 full batches of 64 and `left` rows more, 6 epochs in order, every step traced (edges32's lastbatch.mts, its rows drawn in the same order). */
async function run(layers: LayerSpec[], left: number, draws: number, options: { dropLast?: boolean; epochs?: number } = {}): Promise<Trace> {
  const rng = new Rng(1);
  // edges32's script drew every earlier run's rows from the same generator: the rows of the run it quotes are those after `draws` rows.
  for (let i = 0; i < draws * 8; i++) rng.normal();
  const x = Array.from({ length: 64 * 4 + left }, () => Array.from({ length: 8 }, () => rng.normal()));
  const y = x.map((r) => (r[0] + r[1] > 0 ? [1, 0] : [0, 1]));
  const net = await createNetwork({ inputs: 8, layers, seed: 2, backend: 'wasm' });
  try {
    net.train(x, y, { batchSize: 64, epochs: 6, trace: { every: 1 }, shuffle: false, ...options });
    return net.trace!;
  } finally {
    net.dispose();
  }
}

/** The same trace as a file written before gradscope recorded its batches' rows. */
function savedWithoutRows(trace: Trace): TraceJSON {
  const { batchRows, ...json } = JSON.parse(JSON.stringify(trace.toJSON())) as TraceJSON;
  expect(batchRows).toHaveLength(trace.length);
  return json as TraceJSON;
}

const NOTE_1_ROW = "the epoch's short last batch after it, of 1 row, holds a gradient of that row alone";

describe('an epoch\'s short last batch is not read as "the last record"', () => {
  it('sigmoid, 1 row left: the fade is read over the full batches (1.53×), not at the 1-row batch (15.8×), and the summary says which', async () => {
    // Rows drawn after 0 + 256 rows (edges32's 0-left run came first).
    const trace = await run(PLAIN, 1, 256);
    const records = trace.length;
    expect(records).toBe(30);
    expect(Array.from(trace.batchRows.slice(0, 5))).toEqual([64, 64, 64, 64, 1]);
    expect(trace.lastFullBatchRecord()).toBe(records - 2);
    const d = diagnose(trace);
    const lastHidden = 2;
    // Over training time: medians over the first and the last 4 of the 24 full batches' records (a fifth), the 1-row batches left out.
    const full = trace.fullBatchRecords();
    expect([full.length, d.evidence.changeWindow]).toEqual([24, 4]);
    const over = (records: number[]) => median(records.map((r) => trace.at('biasGradNorm', r, lastHidden)));
    expect(d.evidence.lastHiddenChange).toBe(over(full.slice(-4)) / over(full.slice(0, 4)));
    expect(d.evidence.shortLastBatch).toEqual({ step: 30, rows: 1, readStep: 29 });
    const change = numberText(d.evidence.lastHiddenChange);
    expect(change).toBe('1.53'); // as docs/gradient-flow.md quotes it (4.03 at the last full batch's record alone)
    expect(d.summary).toContain(`the gradients did not fade over training time: the last hidden layer's ‖∂C/∂b‖ ended at ${change}× its start (medians over the first and the last 4 full batches' records)`);
    expect(d.summary).toContain(`at the last full batch's record (vanishing; step 29: ${NOTE_1_ROW})`);
    // `study --model`'s last table is the same record's, and its heading says so.
    expect(lastTableRecord(trace)).toEqual({ record: records - 2, words: "the last full batch's traced step" });
    expect(traceTableData(trace)).toEqual(traceTableData(trace, records - 2));
    // The report's "first and last traced step" chart draws the same record, its key naming it.
    const html = await renderReport({ runs: [{ id: 'r', label: 'one row left', trace, diagnosis: d }] });
    const chart = html.slice(html.indexOf('<figure class="chart" id="r-norm-vs-layer"'));
    const key = chart.slice(0, chart.indexOf('</figure>'));
    expect(key).toContain('>step 29 (last full batch)<');
    expect(key).toContain(`step 29 ${quoteOn('docs/gradient-flow.md', '(last full batch)')}`);
    expect(html).toContain(quoteOn('docs/gradient-flow.md', 'at the first and the last traced step'));
    expect(key).not.toContain('>step 30<');

    // Saved and read back: the rows go with it, and it reads the same.
    const again = Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())));
    expect(Array.from(again.batchRows)).toEqual(Array.from(trace.batchRows));
    expect(diagnose(again).summary).toBe(d.summary);

    // Saved before gradscope recorded the rows: every record read as a full batch's, the last record as before (edges32's 15.8×).
    const old = Trace.fromJSON(savedWithoutRows(trace));
    expect(Array.from(old.batchRows).every(Number.isNaN)).toBe(true);
    expect(old.lastFullBatchRecord()).toBe(records - 1);
    const before = diagnose(old);
    expect(before.evidence.shortLastBatch).toBeUndefined();
    // One record at each end read edges32's 15.8× (the 1-row batch over the first); the medians over 6 records at each end (a fifth
    // of the 30, a 1-row batch among each 5) read 2.24×, near the full batches' 1.53×: the median keeps one batch from deciding.
    expect(numberText(old.at('biasGradNorm', records - 1, lastHidden) / old.at('biasGradNorm', 0, lastHidden))).toBe('15.8');
    expect(before.evidence.changeWindow).toBe(6);
    expect(numberText(before.evidence.lastHiddenChange)).toBe('2.24');
    expect(before.summary).toContain("the last hidden layer's ‖∂C/∂b‖ ended at 2.24× its start (medians over the first and the last 6 records):");
    expect(before.summary).not.toContain('full batch');
    // Saved again, it is written as it was: without batchRows.
    expect('batchRows' in old.toJSON()).toBe(false);
    expect(lastTableRecord(old)).toEqual({ record: records - 1, words: 'the last traced step' });
  }, 60_000);

  it("sigmoid, 1 row left: every median over the records reads the full batches' records alone, and the summary counts those", async () => {
    const trace = await run(PLAIN, 1, 256);
    const full = trace.fullBatchRecords();
    // 6 epochs of 4 full batches and a 1-row one: 24 of the 30 records.
    expect(full).toEqual(Array.from({ length: 30 }, (_, r) => r).filter((r) => r % 5 !== 4));
    const d = diagnose(trace);
    const e = d.evidence;
    expect([e.records, e.fullBatchRecords]).toEqual([30, 24]);
    expect(trace.lastFullBatchRecord()).toBe(full.at(-1));
    // The per-layer rates' window: the last 20 full batches' records, up to the last full batch's step (29), not the 20 records before it.
    const rates = d.remedies.find((r) => r.option.includes('layerRates'));
    expect(rates?.why).toContain(`over the last 20 full batches' records (the median over steps ${trace.steps[full.at(-20)!]}–29, so no one batch sets it)`);
    const over = (records: readonly number[], value: (r: number) => number) => median(records.map(value));
    const all = Array.from({ length: trace.length }, (_, r) => r);
    const metrics = ['biasGradNorm', 'deltaRms', 'saturatedFraction', 'updateRatio'] as const;
    for (let l = 0; l < trace.layers; l++) {
      for (const metric of metrics) expect(e.layers[l][metric], `${metric} ${l}`).toBe(over(full, (r) => trace.at(metric, r, l)));
    }
    const ratio = (metric: 'deltaRms' | 'biasGradNorm') => (r: number) => trace.at(metric, r, 0) / trace.at(metric, r, 2);
    expect(e.deltaFirstToLast.median).toBe(over(full, ratio('deltaRms')));
    expect(e.firstToLast.median).toBe(over(full, ratio('biasGradNorm')));
    // Over every record the 1-row batches moved them (what the test would not see otherwise).
    expect(over(all, ratio('biasGradNorm'))).not.toBe(e.firstToLast.median);
    expect(over(all, (r) => trace.at('biasGradNorm', r, 0))).not.toBe(e.layers[0].biasGradNorm);
    // A median the summary names is over the 24 full batches' records, not the 30 records.
    expect(d.summary).not.toContain('median over 30 records');
    // Its summary reads the gap at the first step and quotes no median; the words every median's sentence uses count the 24.
    expect(medianOverRecords(e)).toBe("median over 24 full batches' records");
    expect(medianOverRecords(e)).toBe(quoteOn('docs/gradient-flow.md', 'median over 24'));
    // Saved without its batches' rows: every record is read, as before.
    const old = diagnose(Trace.fromJSON(savedWithoutRows(trace)));
    expect(old.evidence.fullBatchRecords).toBeUndefined();
    expect(old.evidence.firstToLast.median).toBe(over(all, ratio('biasGradNorm')));
  });

  it('one rule for a full batch: not fewer rows than the records beside it, a record without rows counted full; the last found without listing them', () => {
    const trace = new Trace({ sizes: [2, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
    expect([trace.lastFullBatchRecord(), trace.fullBatchRecords()]).toEqual([undefined, []]);
    trace.beginRecord(1, 1, 0.5, 64);
    trace.beginRecord(2, 1, 0.5, 1);
    expect([trace.lastFullBatchRecord(), trace.fullBatchRecords()]).toEqual([0, [0]]);
    trace.beginRecord(3, 1, 0.5, NaN);
    expect([trace.lastFullBatchRecord(), trace.fullBatchRecords()]).toEqual([2, [0, 2]]);
    trace.beginRecord(4, 1, 0.5, 32);
    expect([trace.lastFullBatchRecord(), trace.fullBatchRecords()]).toEqual([3, [0, 2, 3]]);
    // Neighbours are the nearest records with rows, across those without: 16 between 64 and 32 (past the NaN) is short.
    trace.beginRecord(5, 1, 0.5, NaN);
    trace.beginRecord(6, 1, 0.5, 16);
    trace.beginRecord(7, 1, 0.5, 64);
    expect(trace.fullBatchRecords()).toEqual([0, 2, 3, 4, 6]);
    // A record with rows beside records without any has no neighbour to be short of: full.
    const lone = new Trace({ sizes: [2, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
    lone.beginRecord(1, 1, 0.5, NaN);
    lone.beginRecord(2, 1, 0.5, 5);
    expect(lone.fullBatchRecords()).toEqual([0, 1]);
  });

  it('a run continued at a smaller batch size (the visualizer keeps its run): the new size\'s batches are full, its short ones are not', () => {
    const trace = new Trace({ sizes: [2, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
    // 72 rows: batches of 32 (two full, one of 8), then of 16 (four full, one of 8), twice.
    for (const rows of [32, 32, 8, 16, 16, 16, 16, 8, 16, 16, 16, 16, 8]) trace.beginRecord(trace.length + 1, 1, 0.5, rows);
    expect(trace.fullBatchRecords()).toEqual([0, 1, 3, 4, 5, 6, 8, 9, 10, 11]);
    expect(trace.lastFullBatchRecord()).toBe(11);
    // Larger again: the batches of 32 after the 16s are full, and so is the last 16 before them.
    for (const rows of [16, 32, 32, 8]) trace.beginRecord(trace.length + 1, 1, 0.5, rows);
    expect(trace.fullBatchRecords().slice(9)).toEqual([11, 13, 14, 15]);
    expect(trace.lastFullBatchRecord()).toBe(15);
  });

  it('sigmoid, 1 row left, thinned to REPORT_RECORDS: the report keeps the last full batch, its chart naming the step the diagnosis reads', async () => {
    // 20 epochs of 5 batches, every step traced: 100 records. Evenly thinned to 50, the last full batch (record 98, step 99) was
    // left out and the chart named record 97's step 98 '(last full batch)' beside a diagnosis of step 99 (review33).
    const trace = await run(PLAIN, 1, 256, { epochs: 20 });
    expect(trace.length).toBeGreaterThan(REPORT_RECORDS);
    const d = diagnose(trace);
    expect(d.evidence.shortLastBatch).toEqual({ step: 100, rows: 1, readStep: 99 });
    const html = await renderReport({ runs: [{ id: 'r', label: 'one row left', trace, diagnosis: d }] });
    const chart = html.slice(html.indexOf('<figure class="chart" id="r-norm-vs-layer"'));
    const key = chart.slice(0, chart.indexOf('</figure>'));
    expect(key).toContain('>step 99 (last full batch)<');
    expect(key).not.toContain('>step 98 (last full batch)<');
    expect(html).toContain(`100 traced steps: ${REPORT_RECORDS} of them, evenly spaced (the first and the last included, and the last full batch's in place of its neighbour), are drawn`);
  }, 60_000);

  it('sigmoid, no row left: every batch full, the last record read, nothing said of short batches', async () => {
    const trace = await run(PLAIN, 0, 0);
    expect(new Set(trace.batchRows)).toEqual(new Set([64]));
    expect(trace.lastFullBatchRecord()).toBe(trace.length - 1);
    const d = diagnose(trace);
    expect(d.evidence.shortLastBatch).toBeUndefined();
    // Its last full batch's record over its first read a fall of 1.63× (edges32); the medians over the first and the last 4 records, a rise.
    const lastHidden = 2;
    expect(numberText(trace.at('biasGradNorm', trace.length - 1, lastHidden) / trace.at('biasGradNorm', 0, lastHidden))).toBe('0.613');
    const change = numberText(d.evidence.lastHiddenChange);
    expect(change).toBe('1.04');
    // Its batch of 64 is mostly sampling noise at the end (R 1.00): the batch's gradient did not fall, which says nothing of the mean loss's (review45 #13).
    expect(d.summary).toContain(`the last hidden layer's batch ‖∂C/∂b‖ did not fall over training time: it ended at ${change}× its start (medians over the first and the last 4 records)`);
    expect(d.summary).toContain("The last hidden layer's ‖∂C/∂b‖ is taken over a batch of 64 rows, and at the end it is mostly sampling noise");
    expect(d.summary).not.toContain('full batch');
  }, 60_000);

  it('batch norm, 2 rows left: the gap is read at the last full batch (2.66×), not the 2-row batch that passes almost no gradient back (1/50.0)', async () => {
    // Rows drawn after edges32's three plain runs, its batch-norm runs with 0 and 1 left (256 + 257 + 258 + 256 + 257 rows).
    const trace = await run(BATCH_NORM, 2, 256 + 257 + 258 + 256 + 257);
    expect(trace.batchRows[4]).toBe(2);
    const d = diagnose(trace);
    const { first, last } = d.evidence.deltaFirstToLast;
    expect(d.evidence.shortLastBatch).toEqual({ step: 30, rows: 2, readStep: 29 });
    expect(numberText(last)).toBe('2.66'); // as docs/gradient-flow.md quotes it
    expect(d.summary).not.toContain('crossed over');
    expect(d.summary).toContain(`during training: ${numberText(first)}× at the first step and 2.66× at the last full batch's record (step 29: the epoch's short last batch after it, of 2 rows, holds a gradient of those rows alone)`);
    // Read as a file without the rows, the 2-row batch is the last record, as it was.
    const old = diagnose(Trace.fromJSON(savedWithoutRows(trace)));
    expect(old.summary).toContain('crossed over');
    expect(numberText(1 / old.evidence.deltaFirstToLast.last)).toBe('50.0');
    expect(old.summary).toContain(quoteOn('docs/gradient-flow.md', '1/50.0'));
  }, 60_000);

  it('batch norm, 1 row left: train() refuses it before any step, so no trace holds a 1-row batch through batch norm; dropLast trains it', async () => {
    const rng = new Rng(3);
    const x = Array.from({ length: 65 }, () => Array.from({ length: 8 }, () => rng.normal()));
    const y = x.map((r) => (r[0] > 0 ? [1, 0] : [0, 1]));
    const net = await createNetwork({ inputs: 8, layers: BATCH_NORM, seed: 2, backend: 'wasm' });
    try {
      await expectError(() => net.train(x, y, { batchSize: 64, trace: { every: 1 } }), 'INVALID_OPTION', /one row's variance is 0/);
      expect([net.step, net.trace]).toEqual([0, undefined]);
      net.train(x, y, { batchSize: 64, epochs: 2, trace: { every: 1 }, dropLast: true });
      expect(Array.from(net.trace!.batchRows)).toEqual([64, 64]);
    } finally {
      net.dispose();
    }
  }, 60_000);

  it('refuses saved batchRows that no run writes, naming the entry', async () => {
    const trace = await run(PLAIN, 1, 256);
    const json = trace.toJSON();
    const bad = (batchRows: unknown) => () => Trace.fromJSON({ ...json, batchRows });
    await expectError(bad([64]), 'INVALID_OPTION', /^trace JSON: batchRows must hold 30 entries \(one per record: its batch's rows, or null\), got \[64\]$/);
    await expectError(bad('64'), 'INVALID_OPTION', /^trace JSON: batchRows must hold 30 entries/);
    for (const v of [0, 1.5, -1, '64', NaN]) {
      const rows = Array.from(trace.batchRows);
      (rows as unknown[])[3] = v;
      const refused = await expectError(bad(rows), 'INVALID_OPTION', /^trace JSON: batchRows\[3\], the rows of record 3's batch, must be a whole number from 1 to .* or null, got /);
      if (v === 0) expect(refused.message).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'trace JSON: batchRows[3]')));
    }
    // null: that record's rows not known (read as a full batch's).
    const some = Array.from(trace.batchRows, (n, r) => (r === 29 ? null : n));
    const read = Trace.fromJSON({ ...json, batchRows: some });
    expect(read.lastFullBatchRecord()).toBe(29);
    expect(read.toJSON().batchRows).toEqual(some);
  }, 60_000);
});
