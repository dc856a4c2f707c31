// Counts in words (src/counted.ts): the one place gradscope turns a number of things, or of times, into words.
import { describe, expect, it } from 'vitest';
import { counted, times } from '../src/counted.js';

describe('counts in words', () => {
  it("counted: singular for exactly 1 ('1 epoch'), plural otherwise, an irregular plural when given", () => {
    expect([0, 1, 2].map((n) => counted(n, 'epoch'))).toEqual(['0 epochs', '1 epoch', '2 epochs']);
    expect(counted(3, 'batch', 'batches')).toBe('3 batches');
  });

  it("times: 'once' for 1 (never '1 time'), 'n times' otherwise", () => {
    expect([0, 1, 2, 10].map(times)).toEqual(['0 times', 'once', '2 times', '10 times']);
  });
});
