// What onEpoch and TrainResult say of each epoch: its number counted from 1 (as DIVERGED messages and
// `gradscope train` count them), the batches applied, the batches onNonFinite 'skip' left out, and,
// where a traced run measured it beside held-out rows, the training subset's loss at the same weights.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { BatchInfo, EpochInfo } from '../../src/training/train-options.js';

// Row 2's targets are beyond float32's squares (mse): its batch (batchSize 1) faults in every epoch, whatever the weights.
const x = [[0.5, -0.2], [0.1, 0.3], [0.2, 0.2], [-0.4, 0.2]];
const y = [[1, 0], [0, 1], [1e30, 1e30], [0, 1]];
const make = () => createNetwork({ sizes: [2, 4, 2], output: 'linear', loss: 'mse', seed: 1 });

describe('EpochInfo', () => {
  it("numbers epochs and batches from 1 and counts each epoch's batches applied and left out by 'skip'", async () => {
    const net = await make();
    const epochs: EpochInfo[] = [];
    const batches: BatchInfo[] = [];
    const result = net.train(x, y, { epochs: 2, batchSize: 1, shuffle: false, onNonFinite: 'skip', onEpoch: (e) => epochs.push(e), onBatch: (b) => batches.push(b) });
    expect(epochs.map((e) => [e.epoch, e.batches, e.skipped])).toEqual([[1, 3, 1], [2, 3, 1]]);
    expect(result.epochs).toEqual(epochs);
    expect(result.skipped).toBe(2);
    // The batch left out (the third) is not reported; the others keep their numbers in the epoch.
    expect(batches.map((b) => `${b.epoch}.${b.batch}`)).toEqual(['1.1', '1.2', '1.4', '2.1', '2.2', '2.4']);
    net.dispose();
  });

  it("counts no batch left out under 'throw'", async () => {
    const net = await make();
    const result = net.train(x.slice(0, 2), y.slice(0, 2), { epochs: 2, batchSize: 1 });
    expect(result.epochs.map((e) => [e.epoch, e.batches, e.skipped])).toEqual([[1, 2, 0], [2, 2, 0]]);
    net.dispose();
  });

  it('carries the training subset the trace measured at the held-out loss\'s weights, and none where it was not measured', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const targets = rows.map((r) => (r[0] > r[1] ? [1, 0] : [0, 1]));
    const held = { x: rows.slice(0, 4).map((r) => [r[1], r[0]]), y: targets.slice(0, 4) };
    const traced = await createNetwork({ sizes: [2, 4, 2], seed: 2, backend: 'ref' });
    const reported: EpochInfo[] = [];
    // The subset's loss, measured from the epoch's weights inside onEpoch, is the one reported.
    const measured: number[] = [];
    const result = traced.train(rows, targets, {
      epochs: 3,
      batchSize: 4,
      validation: held,
      trace: {},
      onEpoch: (e) => {
        reported.push(e);
        measured.push(traced.evaluate(evenlySpaced(rows, e.training!.rows), evenlySpaced(targets, e.training!.rows)).loss);
      },
    });
    expect(result.epochs).toEqual(reported);
    expect(reported.map((e) => e.training!.rows)).toEqual([4, 4, 4]);
    expect(reported.map((e) => e.training!.loss)).toEqual(measured);
    // The trace records the same numbers.
    expect(traced.trace!.epochs.map((e) => e.training)).toEqual(reported.map((e) => e.training));
    traced.dispose();
    // Not measured without a trace, without validation, or with validation on the training rows themselves.
    for (const options of [{ validation: held }, { trace: {} }, { validation: { x: rows, y: targets }, trace: {} }]) {
      const net = await createNetwork({ sizes: [2, 4, 2], seed: 2, backend: 'ref' });
      const epochs = net.train(rows, targets, { epochs: 2, batchSize: 4, ...options }).epochs;
      expect(epochs.map((e) => 'training' in e), JSON.stringify(Object.keys(options))).toEqual([false, false]);
      net.dispose();
    }
  });
});

/** Rows ⌊i·n/count⌋ of `rows`, i < count: the training subset trainingCheckRows picks. */
const evenlySpaced = <T>(rows: T[], count: number) => Array.from({ length: count }, (_, i) => rows[Math.floor((i * rows.length) / count)]);
