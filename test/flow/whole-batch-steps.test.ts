/**
 * Whether every step of a traced run saw all its rows (everyStepSawAllRows, RunAtEnd.wholeBatches): what routes the relu
 * switch's rate row (the full-batch row or the command's) and leaves Hessian-free's batch out of its switch. One batch an epoch
 * does not tell it (review48b #3): under dropLast a batch between half the rows and all of them is one batch an epoch that never
 * sees the rest, and maxSeconds can end a lone epoch after its first batch. The trace records the rows train() was given
 * (TraceRun.rows), which do; a trace saved before it did is read as before.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { everyStepSawAllRows, runAtEnd, Trace } from '../../src/flow/trace.js';
import { optimizerSwitch } from '../../src/flow/diagnosis/remedy-settings.js';
import { HESSIAN_FREE_BATCH } from '../../src/optimizer-defaults.js';
import { expectError } from '../util/expect-error.js';

/** 6 rows of 4 features, two classes. */
const X = [[0, 1, 0, 1], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 1, 0]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];

async function traced(options: Parameters<Network['train']>[2]): Promise<Trace> {
  const net = await createNetwork({ sizes: [4, 3, 2], activation: 'sigmoid', seed: 1 });
  try {
    net.train(X, Y, { learningRate: 0.5, trace: { every: 1 }, ...options });
    return net.trace!;
  } finally {
    net.dispose();
  }
}

/** `trace` as a file saved before gradscope recorded the rows reads it: run.rows left out. */
function withoutRows(trace: Trace): Trace {
  const json = trace.toJSON();
  delete json.run.rows;
  return Trace.fromJSON(json);
}

/** Whether a switch to Hessian-free offered to the run carries its batch. */
const carriesBatch = (trace: Trace) => optimizerSwitch(runAtEnd(trace), 'hessian-free').some((s) => s.option === 'batchSize' && s.setting === HESSIAN_FREE_BATCH);

describe('every step saw all its rows (TraceRun.rows)', () => {
  it('train() records the rows it was given, and a batch of all of them is whole', async () => {
    const trace = await traced({ epochs: 3, batchSize: 6 });
    expect([trace.run.rows, trace.run.batchSize]).toEqual([6, 6]);
    expect(everyStepSawAllRows(trace)).toBe(true);
    expect(runAtEnd(trace).wholeBatches).toBe(true);
    expect(carriesBatch(trace)).toBe(false);
    // Saved and read back, as it was.
    expect(Trace.fromJSON(JSON.stringify(trace.toJSON())).run.rows).toBe(6);
  });

  it('under dropLast a batch of 4 over 6 rows is one batch an epoch, and 2 rows no step saw: not whole', async () => {
    const trace = await traced({ epochs: 3, batchSize: 4, dropLast: true });
    expect(trace.epochs.map((e) => e.batches)).toEqual([1, 1, 1]);
    expect([trace.run.rows, trace.run.batchSize]).toEqual([6, 4]);
    expect(everyStepSawAllRows(trace)).toBe(false);
    expect(runAtEnd(trace).wholeBatches).toBeUndefined();
    expect(carriesBatch(trace)).toBe(true);
    // A trace saved before the rows were recorded cannot tell it: one batch an epoch is read as all the rows, as before.
    expect(runAtEnd(withoutRows(trace)).wholeBatches).toBe(true);
  });

  it('a lone epoch maxSeconds ended after its first batch of 2 (of 3) is not whole', async () => {
    const trace = await traced({ epochs: 1, batchSize: 2, maxSeconds: 1e-9 });
    expect(trace.epochs.map((e) => e.batches)).toEqual([1]);
    expect(everyStepSawAllRows(trace)).toBe(false);
    expect(carriesBatch(trace)).toBe(true);
    expect(runAtEnd(withoutRows(trace)).wholeBatches).toBe(true);
  });

  it('mini-batches of several an epoch are not whole, rows recorded or not', async () => {
    const trace = await traced({ epochs: 2, batchSize: 2 });
    expect(everyStepSawAllRows(trace)).toBe(false);
    expect(everyStepSawAllRows(withoutRows(trace))).toBe(false);
  });

  it('a trace file whose run holds rows no run writes is refused, naming the field', async () => {
    const json = (await traced({ epochs: 1, batchSize: 6 })).toJSON();
    for (const rows of [0, 2.5, -1, '6', null]) {
      await expectError(() => Trace.fromJSON({ ...json, run: { ...json.run, rows } }), 'INVALID_OPTION', /^trace JSON: run\.rows, the training rows, must be a whole number from 1 to /);
    }
    // train() caps a batch at its rows: a batch above them would read as steps that saw every row.
    await expectError(() => Trace.fromJSON({ ...json, run: { ...json.run, rows: 5 } }), 'INVALID_OPTION', /^trace JSON: run\.batchSize is 6, above run\.rows \(5\): train\(\) caps a batch at the rows it is given$/);
  });
});
