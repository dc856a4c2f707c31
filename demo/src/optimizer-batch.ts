/**
 * The batch an optimiser chosen by hand brings with it. Hessian-free's steps fit the rows they are given: at the page's batch of
 * 32 it stayed at chance on the default run, on every training row it left the plateau (docs/second-order.md). The diagnosis's
 * switch to it carries its batch (wantedBatchSize, the library's one source); the Optimizer control does the same, says so beside
 * itself, and gives the user's own batch back when another optimiser is chosen while Batch still holds the one it set. Batch
 * stays the user's to change: a change of it ends the hand-over.
 */
import { batchRowsUsed, grouped, wantedBatchSize } from '../../src/index.js';
import { trainingRows } from './datasets.js';
import { conflictOf, type Settings } from './settings.js';

/** A batch the Optimizer control set: the user's before it (`from`), the optimiser's (`to`) and which optimiser wanted it. */
export interface CarriedBatch {
  from: number;
  to: number;
  optimizer: string;
}

/** The settings to hold after a change of the form, the batch an optimiser brought now (null: none), and what the page says of it ('' for nothing). */
export interface OptimizerBatch {
  settings: Settings;
  carried: CarriedBatch | null;
  note: string;
}

/**
 * The form's change from `held` to `next` (read and checked), with the batch the optimiser chosen wants: where the optimiser
 * changed to one that wants more rows a step than `next`'s batch trains on (both capped at the training rows, as train() caps
 * them), that batch; where it changed away from the one that set Batch and Batch still holds what it set, the user's own back.
 * `carried`: what the control set earlier in the run of changes (null: nothing). A batch the other settings cannot run with
 * (conflictOf) is not set.
 */
export function optimizerBatch(held: Settings, next: Settings, carried: CarriedBatch | null): OptimizerBatch {
  if (next.optimizer === held.optimizer) return { settings: next, carried: next.batchSize === held.batchSize ? carried : null, note: '' };
  const rows = trainingRows(next.dataset, next.trainPercent);
  const wanted = wantedBatchSize(next.optimizer);
  if (wanted !== undefined && batchRowsUsed(next.batchSize, rows) < batchRowsUsed(wanted, rows)) {
    const settings = { ...next, batchSize: wanted };
    if (conflictOf(settings)) return { settings: next, carried: null, note: '' };
    const all = wanted >= rows ? `; train() caps a batch at the rows: here all ${grouped(rows)} training rows` : '';
    return {
      settings,
      carried: { from: carried?.from ?? next.batchSize, to: wanted, optimizer: next.optimizer },
      note: `Batch set to ${grouped(wanted)} for ${next.optimizer} (it was ${next.batchSize}): its steps fit the rows they are given, so it takes ${grouped(wanted)} rows a step, as the diagnosis's switch to it does${all}. Batch can still be changed.`,
    };
  }
  if (carried && wanted === undefined && next.batchSize === carried.to) {
    const settings = { ...next, batchSize: carried.from };
    if (conflictOf(settings)) return { settings: next, carried: null, note: '' };
    return { settings, carried: null, note: `Batch back to ${carried.from}, as it was before ${carried.optimizer} set it to ${grouped(carried.to)}.` };
  }
  return { settings: next, carried: wanted === undefined ? null : carried, note: '' };
}
