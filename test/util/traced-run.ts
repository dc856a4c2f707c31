/**
 * A run of train() on a fresh network (seed 1 unless the options give one) and the trace it
 * recorded, the network disposed (also when train() throws): the set-up the diagnosis tests on real digit runs share, and the
 * one run two of them read (overfitting the first 100 digits while the test digits' loss rises).
 */
import { createNetwork } from '../../src/api/network.js';
import type { Trace } from '../../src/flow/trace.js';
import type { Rows as RowsOf } from '../../src/data/matrix.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { firstRows } from '../../src/studies/depth.js';
import type { TrainOptions, TrainResult } from '../../src/training/train-options.js';

/** Digits as firstRows gives them. */
export type Rows = ReturnType<typeof firstRows>;
/** Inputs and targets as train() takes them: digits, or rows written out. */
export type TrainingRows = { x: RowsOf; y: RowsOf };

export async function tracedRun(network: NetworkOptions, rows: TrainingRows, options: TrainOptions): Promise<{ trace: Trace; result: TrainResult }> {
  const net = await createNetwork({ seed: 1, ...network });
  try {
    const result = net.train(rows.x, rows.y, options);
    return { trace: net.trace!, result };
  } finally {
    // Also when train() throws: a refused run must not leave its network held for the rest of the test file.
    net.dispose();
  }
}

/** A big relu net fitting 100 digits for 30 epochs (Adam 0.01, batches of 10), validated on `heldOut`: its held-out loss rises from its lowest while its training loss does not. */
export const OVERFITTING_NETWORK: NetworkOptions = { sizes: [784, 100, 10], activation: 'relu', init: 'he-normal' };
export const overfittingTraining = (heldOut: Rows): TrainOptions => ({
  epochs: 30,
  batchSize: 10,
  learningRate: 0.01,
  optimizer: 'adam',
  trace: { every: 5 },
  validation: { x: heldOut.x, y: heldOut.y },
});
