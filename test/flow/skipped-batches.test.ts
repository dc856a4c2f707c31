/**
 * Under onNonFinite 'skip' an epoch's loss is the mean over its applied batches only: the trace
 * records how many it left out (TraceEpoch.skipped), so that a reader of the trace knows the mean
 * is over fewer batches. It round-trips through toJSON/fromJSON; traces saved before read as none;
 * a bad count is refused, naming where it is.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Trace } from '../../src/flow/trace.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { expectError } from '../util/expect-error.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

// Row 2's targets are beyond float32's squares (mse): its batch (batchSize 1) faults in every epoch, whatever the weights.
const x = [[0.5, -0.2], [0.1, 0.3], [0.2, 0.2], [-0.4, 0.2]];
const y = [[1, 0], [0, 1], [1e30, 1e30], [0, 1]];

async function skippedRun(): Promise<{ trace: Trace; skipped: number[] }> {
  const net = await createNetwork({ sizes: [2, 4, 2], output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
  const result = net.train(x, y, { epochs: 3, batchSize: 1, shuffle: false, onNonFinite: 'skip', trace: { every: 1 } });
  net.dispose();
  return { trace: result.trace, skipped: result.epochs.map((e) => e.skipped) };
}

describe("the trace's batches left out by 'skip'", () => {
  it('records each epoch\'s count as train() reports it, beside a loss over the applied batches', async () => {
    const { trace, skipped } = await skippedRun();
    expect(skipped).toEqual([1, 1, 1]);
    expect(trace.epochs.map((e) => e.skipped)).toEqual(skipped);
    // 3 batches applied per epoch: the epochs end at steps 3, 6 and 9.
    expect(trace.epochs.map((e) => e.step)).toEqual([3, 6, 9]);
  });

  it('records none where no batch was left out', async () => {
    const net = await createNetwork({ sizes: [2, 4, 2], output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
    const { trace } = net.train(x.slice(0, 2), y.slice(0, 2), { epochs: 2, batchSize: 1, onNonFinite: 'skip', trace: { every: 1 } });
    net.dispose();
    expect(trace.epochs.map((e) => 'skipped' in e)).toEqual([false, false]);
  });

  it('round-trips through toJSON and fromJSON; a trace saved before it was recorded reads as none', async () => {
    const { trace } = await skippedRun();
    const json = JSON.parse(JSON.stringify(trace.toJSON()));
    expect(json.epochs.map((e: { skipped?: number }) => e.skipped)).toEqual([1, 1, 1]);
    const read = Trace.fromJSON(json);
    expect(read.epochs).toEqual(trace.epochs);
    expect(JSON.parse(JSON.stringify(read.toJSON()))).toEqual(json);
    const older = Trace.fromJSON({ ...json, epochs: json.epochs.map(({ skipped: _, ...rest }: { skipped?: number }) => rest) });
    expect(older.epochs.map((e) => e.skipped)).toEqual([undefined, undefined, undefined]);
  });

  it('records the batches each epoch applied, round-tripped; a trace saved before they were reads them as unknown', async () => {
    const { trace } = await skippedRun();
    // 4 batches of one row, one left out: 3 applied per epoch.
    expect(trace.epochs.map((e) => e.batches)).toEqual([3, 3, 3]);
    const json = JSON.parse(JSON.stringify(trace.toJSON()));
    expect(Trace.fromJSON(json).epochs.map((e) => e.batches)).toEqual([3, 3, 3]);
    const older = Trace.fromJSON({ ...json, epochs: json.epochs.map(({ batches: _, ...rest }: { batches?: number }) => rest) });
    expect(older.epochs.map((e) => e.batches)).toEqual([undefined, undefined, undefined]);
  });

  it("diagnose says how many of how many batches 'skip' left out, and that the epochs' losses are over the rest; of an older trace, that the batches in all are unknown; none where none were", async () => {
    const { trace } = await skippedRun();
    const d = diagnose(trace);
    expect(d.evidence.skippedBatches).toEqual({ skipped: 3, batches: 12, epochs: 3, of: 3 });
    expect(d.summary).toContain(
      "Under onNonFinite 'skip' the run left out 3 of the 12 batches of the 3 traced epochs (in all 3 of them), each a batch whose loss, gradient or step was not finite or ran away: the training loss of those epochs is the mean over the batches applied alone.",
    );
    const json = JSON.parse(JSON.stringify(trace.toJSON()));
    const older = diagnose(Trace.fromJSON({ ...json, epochs: json.epochs.map(({ batches: _, ...rest }: { batches?: number }) => rest) }));
    expect(older.evidence.skippedBatches).toEqual({ skipped: 3, epochs: 3, of: 3 });
    expect(older.summary).toContain(
      "Under onNonFinite 'skip' the run left out 3 batches of the 3 traced epochs (in all 3 of them; of how many batches in all the trace does not say: it was saved before gradscope recorded the batches each epoch applied)",
    );
    expect(older.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'of how many … the trace')));
    const net = await createNetwork({ sizes: [2, 4, 2], output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
    const clean = net.train(x.slice(0, 2), y.slice(0, 2), { epochs: 2, batchSize: 1, onNonFinite: 'skip', trace: { every: 1 } }).trace;
    net.dispose();
    expect(diagnose(clean).evidence.skippedBatches).toBeUndefined();
    expect(diagnose(clean).summary).not.toContain("'skip'");
  });

  it('of a thinned trace (keepEpochs), says the counts are of the epochs it kept, of how many the run had', async () => {
    const { trace } = await skippedRun();
    trace.keepEpochs((e) => e.epoch !== 1);
    const d = diagnose(trace);
    expect(d.evidence.skippedBatches).toEqual({ skipped: 2, batches: 8, epochs: 2, of: 2, ofRun: 3 });
    expect(d.summary).toContain("Under onNonFinite 'skip' the run left out 2 of the 8 batches of the 2 epochs the trace kept of the run's 3 (in all 2 of them)");
  });

  it.each([0, -1, 1.5, '1', null])('refuses an applied count of %j, naming the epoch', async (count) => {
    const { trace } = await skippedRun();
    const json = trace.toJSON();
    const epochs = json.epochs!.map((e, i) => (i === 2 ? { ...e, batches: count } : e));
    await expectError(() => Trace.fromJSON({ ...json, epochs }), 'INVALID_OPTION', /^trace JSON: epochs\[2\]\.batches, the batches the epoch applied \(absent where not recorded\), must be a whole number from 1 to/);
  });

  it.each([0, -1, 1.5, '1', null])('refuses a count of %j, naming the epoch', async (count) => {
    const { trace } = await skippedRun();
    const json = trace.toJSON();
    const epochs = json.epochs!.map((e, i) => (i === 1 ? { ...e, skipped: count } : e));
    await expectError(() => Trace.fromJSON({ ...json, epochs }), 'INVALID_OPTION', /^trace JSON: epochs\[1\]\.skipped, the batches .skip. left out \(absent where none\), must be a whole number from 1 to/);
  });
});
