// What onEpoch and TrainResult say of each epoch: its number counted from 1 (as DIVERGED messages and
// `gradscope train` count them), the batches applied, and the batches onNonFinite 'skip' left out.
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
});
