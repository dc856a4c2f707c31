/** The steps that end a train() call, for a trace to record them (TraceOptions.extraSteps) whatever the grid of `every`. */
import { cappedBatch } from './batch-rows.js';

/**
 * The network steps at which a train() call of `epochs` epochs over `rows` rows in batches of `batchSize` ends, from a network
 * at step `stepAtStart` (0: a fresh one): `last`, the call's last step, and `lastFull`, its last full batch's (`last` − 1 where
 * each epoch ends in a short batch, which is not left out by `dropLast`, and holds another batch besides; `last` otherwise),
 * the step a trace's reader takes as the end (Trace.lastFullBatchRecord). A grid of every k-th step from the call's first
 * misses them unless it lands there (900 steps traced every 45th end at step 856), so study (b) and `study --model` pass
 * both as TraceOptions.extraSteps (and study (b)'s reading names its end from `last`). The batches are counted as
 * readTrainingSettings cuts the rows (cappedBatch, dropLast); train() itself walks the rows, not this count. As planned: a batch that onNonFinite 'skip' leaves out takes no step and moves the end
 * earlier ('halve' takes back the steps it runs again, and ends here). null for 0 epochs, which take no step.
 */
export function callEndSteps(stepAtStart: number, epochs: number, rows: number, batchSize: number, dropLast = false): { last: number; lastFull: number } | null {
  const batch = cappedBatch(batchSize, rows);
  const full = Math.floor(rows / batch);
  const short = rows % batch !== 0 && !dropLast;
  const last = stepAtStart + epochs * (full + (short ? 1 : 0));
  if (epochs === 0) return null;
  return { last, lastFull: short && full > 0 ? last - 1 : last };
}
