/**
 * What onNonFinite 'skip' left out of the traced epochs (TraceEpoch.skipped), counted against the
 * batches those epochs had in all where the trace records what they applied (TraceEpoch.batches),
 * and said in the summary: each such epoch's loss is over its applied batches alone. Part of
 * diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { counted, grouped } from '../../counted.js';
import type { SkippedBatches } from './diagnosis-types.js';

/** The batches 'skip' left out of the trace's epochs, of how many, in how many epochs; undefined where it left none out. */
export function skippedBatches(trace: Trace): SkippedBatches | undefined {
  const epochs = trace.epochs;
  const skipped = epochs.reduce((sum, e) => sum + (e.skipped ?? 0), 0);
  if (skipped === 0) return undefined;
  // The batches in all are known only where every epoch records what it applied (traces saved before that was recorded do not).
  const known = epochs.every((e) => e.batches !== undefined);
  // A thinned trace (Trace.keepEpochs) holds fewer epochs than its numbers span: the counts are of the kept ones.
  const span = epochs[epochs.length - 1].epoch - epochs[0].epoch + 1;
  return {
    skipped,
    ...(known && { batches: epochs.reduce((sum, e) => sum + e.batches! + (e.skipped ?? 0), 0) }),
    epochs: epochs.filter((e) => e.skipped !== undefined).length,
    of: epochs.length,
    ...(epochs.length < span && { ofRun: span }),
  };
}

/** The summary's sentence on them: 'under onNonFinite 'skip' the run left out 3 of the 12 batches of the 3 traced epochs (in all 3 of them) …'. */
export function skippedSentence(s: SkippedBatches): string {
  const where = `in ${s.epochs === s.of ? (s.of === 1 ? 'it' : `all ${grouped(s.of)} of them`) : `${grouped(s.epochs)} of them`}`;
  const traced = s.ofRun === undefined ? counted(s.of, 'traced epoch') : `${grouped(s.of)} epochs the trace kept of the run's ${grouped(s.ofRun)}`;
  const left =
    s.batches === undefined
      ? `left out ${counted(s.skipped, 'batch', 'batches')} of the ${traced} (${where}; of how many batches in all the trace does not say: it was saved before gradscope recorded the batches each epoch applied)`
      : `left out ${grouped(s.skipped)} of the ${counted(s.batches, 'batch', 'batches')} of the ${traced} (${where})`;
  return `under onNonFinite 'skip' the run ${left}, each a batch whose loss, gradient or step was not finite or ran away: the training loss of ${s.epochs === 1 ? 'that epoch' : 'those epochs'} is the mean over the batches applied alone.`;
}
