/**
 * The accuracy "at the end of the run" is the share of the last batches' rows classified right, as the
 * summary says ("… of their rows classified right"): each batch counts by its rows, so an epoch's
 * 1-row short last batch counts as one row, not as much as a 64-row batch (it was the median of the
 * batches' accuracies). A trace saved without its batches' rows reads the median, as before, and the
 * summary says that it is the median batch's share, not the rows'.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { trainingProgress } from '../../src/flow/training-progress.js';
import { Trace } from '../../src/flow/trace.js';
import { quoteOn } from '../util/page-quotes.js';

const info = { sizes: [4, 3, 2], activations: ['tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } } as const;
const newTrace = () => new Trace({ ...info, activations: [...info.activations], run: { ...info.run } });

/** 65 rows in batches of 64: each epoch a full batch (90 % right) and a 1-row batch (wrong); `rowsKnown` false: saved without them. */
function shortLastBatches(epochs: number, rowsKnown: boolean): Trace {
  const trace = newTrace();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const loss = 2 - epoch / epochs;
    trace.beginRecord(2 * epoch + 1, loss, 0.9, rowsKnown ? 64 : NaN);
    trace.beginRecord(2 * epoch + 2, loss, 0, rowsKnown ? 1 : NaN);
    if (epochs > 1) trace.addEpoch({ epoch, step: 2 * epoch + 2, loss });
  }
  return trace;
}

const rowsShare = (0.9 * 64) / 65;

describe("the accuracy at the end of a run, of the last batches' rows", () => {
  it("read by epochs: a 1-row last batch per epoch counts as one row of 65, and the summary prints that share", () => {
    const trace = shortLastBatches(10, true);
    const p = trainingProgress(trace)!;
    expect([p.read, p.epochLoss]).toEqual(['epochs', 'batch mean']);
    // The median of the batches' accuracies (0.9 and 0, one each) read 0.45.
    expect(p.accuracyEnd).toBeCloseTo(rowsShare, 12);
    expect(diagnose(trace).summary).toContain("with 89 % of the last epochs' traced batches' rows classified right");
  });

  it('read by batches (one epoch): the same, over the last window of records', () => {
    const trace = shortLastBatches(1, true);
    for (let step = 3; step <= 12; step++) trace.beginRecord(step, 2 - step / 20, step % 2 ? 0.9 : 0, step % 2 ? 64 : 1);
    const p = trainingProgress(trace)!;
    expect(p.read).toBe('batches');
    expect(p.window % 2).toBe(0);
    expect(p.accuracyEnd).toBeCloseTo(rowsShare, 12);
  });

  it("a trace saved without its batches' rows reads the median batch accuracy, as before, and the summary says it is that median", () => {
    const trace = Trace.fromJSON(JSON.parse(JSON.stringify(shortLastBatches(10, false).toJSON())));
    const p = trainingProgress(trace)!;
    expect([p.accuracyEnd, p.accuracyEndMedian]).toEqual([0.45, true]);
    const summary = diagnose(trace).summary;
    // It said '45 % of the last epochs' traced batches' rows classified right': 45 % is no share of their rows (those were 89 % right).
    expect(summary).not.toContain("45 % of the last epochs' traced batches' rows");
    expect(summary).toContain("with a median of 45 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held)");
    expect(trainingProgress(shortLastBatches(10, true))!.accuracyEndMedian).toBeUndefined();
  });

  it("read by batches, saved without its batches' rows: the same words, of their batches", () => {
    const trace = shortLastBatches(1, false);
    for (let step = 3; step <= 12; step++) trace.beginRecord(step, 2 - step / 20, step % 2 ? 0.9 : 0);
    const p = trainingProgress(trace)!;
    expect([p.read, p.accuracyEnd, p.accuracyEndMedian]).toEqual(['batches', 0.45, true]);
    expect(diagnose(trace).summary).toContain('a median of 45 % of each of their batches\' rows classified right (the trace does not record how many rows each batch held)');
    expect(diagnose(trace).summary).toContain(quoteOn('docs/gradient-flow.md', 'a median of 45 %'));
  });
});
