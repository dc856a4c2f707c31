// "Did you mean": the nearest known word within a third of the typed one's length, and a word that
// differs only in case before any other at the same distance (`Y` is `y`, not the first one-letter key).
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../src/suggest.js';

describe('closest', () => {
  it('takes the candidate that differs only in case over an earlier one at the same distance', () => {
    expect(closest('Y', ['x', 'y', 'labels'])).toBe('y');
    expect(closest('batchsize', ['batches', 'batchSize'])).toBe('batchSize');
  });

  it('finds a typo within a third of the word, and nothing beyond', () => {
    expect(closest('learningrat', ['learningRate', 'epochs'])).toBe('learningRate');
    expect(closest('zzz', ['epochs', 'x'])).toBeUndefined();
  });

  it('says nothing when no candidate is close', () => {
    expect(didYouMean('qqqqqq', ['epochs'])).toBe('');
    expect(didYouMean('epoch', ['epochs'], (c) => `'${c}'`)).toBe("; did you mean 'epochs'?");
  });
});
