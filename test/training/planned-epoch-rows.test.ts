// plannedEpochRows is the rows an epoch trains on, the count train() gates its weight comparison by and `gradscope train` reads to
// know whether train() will compare: it must be the rows train()'s batches actually hold, with and without dropLast. batchesPerEpoch
// over those rows is the batches the loop walks, by which train() plans a schedule's steps (its T and a 'step' schedule's epochs).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { plannedEpochRows } from '../../src/training/batch-rows.js';
import { batchesPerEpoch } from '../../src/epoch-batches.js';

describe('plannedEpochRows and batchesPerEpoch', () => {
  it("are the rows one epoch's batches hold and the batches, for every row count and batch size up to 14 (rows < batch, rows = k·batch, a short last batch), dropLast or not", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    for (let rows = 1; rows <= 14; rows++) {
      const x = Array.from({ length: rows }, (_, i) => [i / rows, 1 - i / rows]);
      const y = Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? [1, 0] : [0, 1]));
      for (let batchSize = 1; batchSize <= 14; batchSize++) {
        for (const dropLast of [false, true]) {
          let trained = 0;
          let batches = 0;
          net.train(x, y, { batchSize, dropLast, onBatch: (info) => void ((trained += info.size), batches++) });
          const epochRows = plannedEpochRows(rows, batchSize, dropLast);
          expect(epochRows, `${rows} rows, batches of ${batchSize}, dropLast ${dropLast}`).toBe(trained);
          // Given the batch size asked for, as rowRegime and the studies give it, and capped at the rows, as readTrainingSettings does.
          expect([batchesPerEpoch(epochRows, batchSize), batchesPerEpoch(epochRows, Math.min(batchSize, rows))], `${rows} rows, batches of ${batchSize}, dropLast ${dropLast}`).toEqual([batches, batches]);
        }
      }
    }
    net.dispose();
  });
});
