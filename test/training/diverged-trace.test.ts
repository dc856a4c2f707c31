// What net.trace holds after a traced train() call throws DIVERGED: the records of every step applied
// up to the fault, kept where the network goes back to an earlier state ('throw': the last state
// judged good; 'halve' out of halvings: an epoch's start), the last one's update measured on the
// weights its step made; and the error says where training stopped (DivergedError.stoppedAt).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { DivergedError } from '../../src/training/advice.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import type { Trace } from '../../src/flow/trace.js';
import { expectError } from '../util/expect-error.js';

/** Least squares on x = +1, −1, … (100 rows): at learningRate 1.1, one row a batch, in order, the loss passes 10⁶× the first at epoch 2, batch 13 (step 113). */
const alternating = Array.from({ length: 100 }, (_, r) => [r % 2 ? -1 : 1]);
const halfOf = alternating.map(([v]) => [v / 2]);
const lineNet = () => createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', seed: 3 });
const RUNAWAY = { epoch: 2, batch: 13, step: 113 };
const APPLIED = RUNAWAY.step - 1;

/** Every metric of `trace`'s record `r`, by name (NaN where not measured). */
const recordOf = (trace: Trace, r: number) => Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, trace.at(name, r, 0)]));

/** The same 112 steps run without a fault (one epoch of the 100 rows, then the first 12 again), traced: what the DIVERGED run's records must equal. */
async function stepsBeforeRunaway(): Promise<Trace> {
  const net = await lineNet();
  const [x, y] = [alternating, halfOf].map((rows) => [...rows, ...rows.slice(0, APPLIED - rows.length)]);
  const { trace } = net.train(x, y, { epochs: 1, batchSize: 1, shuffle: false, learningRate: 1.1, trace: { every: 1 } });
  net.dispose();
  return trace;
}

describe('net.trace after a DIVERGED', () => {
  it("'throw': the 112 steps before the runaway are kept though the network goes back to epoch 2's start, each record as a run that stopped there recorded it", async () => {
    const net = await lineNet();
    const error = await expectError(
      () => net.train(alternating, halfOf, { epochs: 2, batchSize: 1, shuffle: false, learningRate: 1.1, trace: { every: 1 } }),
      'DIVERGED',
      /^epoch 2, batch 13 \(step 113\): .*back as it was after step 100/,
    );
    expect(error).toBeInstanceOf(DivergedError);
    expect((error as DivergedError).stoppedAt).toEqual(RUNAWAY);
    expect(net.step).toBe(100);
    const trace = net.trace!;
    expect(Array.from(trace.steps)).toEqual(Array.from({ length: APPLIED }, (_, i) => i + 1));
    expect(trace.epochs.map((e) => e.step)).toEqual([100]);
    const reference = await stepsBeforeRunaway();
    for (let r = 0; r < APPLIED; r++) expect(recordOf(trace, r)).toEqual(recordOf(reference, r));
    // The last step's update, measured before the weights went back (against them it would be another number).
    expect(trace.at('updateRatio', APPLIED - 1, 0)).toBeGreaterThan(0);
    net.dispose();
  });

  it("'halve' with no halving left keeps the last attempt's steps; with one left, the attempt it takes back is not kept", async () => {
    const net = await lineNet();
    const error = await expectError(
      () => net.train(alternating, halfOf, { epochs: 2, batchSize: 1, shuffle: false, learningRate: 1.1, onNonFinite: 'halve', maxHalvings: 0, trace: { every: 1 } }),
      'DIVERGED',
      /^epoch 2, batch 13 \(step 113\): .*maxHalvings is 0; the network is back at the start of epoch 2/,
    );
    expect((error as DivergedError).stoppedAt).toEqual(RUNAWAY);
    expect(net.step).toBe(100);
    expect(net.trace!.length).toBe(APPLIED);
    const reference = await stepsBeforeRunaway();
    for (let r = 0; r < APPLIED; r++) expect(recordOf(net.trace!, r)).toEqual(recordOf(reference, r));

    // One halving: epoch 2 runs again at 0.55; the records of the attempt taken back go, so each step is recorded once.
    const halved = await lineNet();
    const { trace } = halved.train(alternating, halfOf, { epochs: 2, batchSize: 1, shuffle: false, learningRate: 1.1, onNonFinite: 'halve', maxHalvings: 1, trace: { every: 1 } });
    expect(Array.from(trace.steps)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    net.dispose();
    halved.dispose();
  });

  it("'skip' leaving out every batch of an epoch: stopped at that epoch, no batch named, the applied steps' records kept", async () => {
    const net = await lineNet();
    const error = await expectError(
      () => net.train(alternating, halfOf, { epochs: 3, batchSize: 1, shuffle: false, learningRate: 1.1, onNonFinite: 'skip', trace: { every: 1 } }),
      'DIVERGED',
      /^epoch \d+: every batch/,
    );
    const { stoppedAt } = error as DivergedError;
    expect(stoppedAt.batch).toBeUndefined();
    expect(error.message.startsWith(`epoch ${stoppedAt.epoch}:`)).toBe(true);
    expect(net.trace!.length).toBe(net.step);
    net.dispose();
  });
});
