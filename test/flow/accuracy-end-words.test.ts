/**
 * The share right at the end (TrainingProgress.accuracyEnd) said as what it was read from (review49b #7: the sentence on a
 * second-order optimiser that trained through a gap said 'N % of the training rows right' of any of them): every training row at
 * the last epochs' ends, a training subset, the last epochs' traced batches' rows (or their median where the trace does not
 * record their rows), or, read from the batches, the rows of the last window's records' batches.
 */
import { describe, expect, it } from 'vitest';
import { accuracyEndWords } from '../../src/flow/diagnosis/progress-sentences.js';
import type { TrainingProgress } from '../../src/flow/training-progress.js';

const progress = (p: Partial<TrainingProgress>) => ({ accuracyEnd: 0.87, read: 'epochs', window: 2, ...p }) as TrainingProgress;

describe('accuracyEndWords', () => {
  it('names the rows the share was read from, by where the trace measured them', () => {
    expect(accuracyEndWords(progress({ epochLoss: 'all rows at the end' }))).toBe('87 % of the training rows classified right');
    expect(accuracyEndWords(progress({ epochLoss: 'training subset at the end', subsetRows: 500 }))).toBe('87 % of a subset of 500 training rows classified right');
    // Beside the sentence that names the subset: as it names it.
    expect(accuracyEndWords(progress({ epochLoss: 'training subset at the end', subsetRows: 500 }), 'those training rows')).toBe('87 % of those training rows classified right');
    expect(accuracyEndWords(progress({ epochLoss: 'batch mean' }))).toBe("87 % of the last epochs' traced batches' rows classified right");
    expect(accuracyEndWords(progress({ epochLoss: 'batch mean', accuracyEndMedian: true }))).toBe(
      "a median of 87 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held)",
    );
    expect(accuracyEndWords(progress({ read: 'batches', window: 5 }))).toBe('87 % of the rows of the batches of the last 5 records classified right');
  });
});
