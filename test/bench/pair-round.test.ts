// bench/nothing-shared.ts pairRound: a nothing-shared ceiling's round counts its clean pairs only,
// and says when a round had none; here fake pairs, the disturbed ones slow, as a late worker makes them.
import { describe, expect, it } from 'vitest';
import { pairRound, type PairCounts } from '../../bench/nothing-shared.js';

/** A pair that takes `ms` of wall time and reports `clean`. */
const pair = (ms: number, clean: boolean) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return clean;
};

describe('pairRound', () => {
  it("times a round by its clean pairs only: a disturbed pair's wait is the host's, not the ceiling's", () => {
    let n = 0;
    const counts: PairCounts = { pairs: 0, clean: 0 };
    // Every other pair disturbed and 40 ms long; the clean ones return at once.
    const round = pairRound(() => (n++ % 2 ? pair(40, false) : pair(0, true)), { ms: 0, calls: 6 }, counts);
    const ms = round(1);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(20);
    expect(counts).toEqual({ pairs: 6, clean: 3 });
  });

  it('reads NaN for a round without a clean pair, and adds up the counts over rounds', () => {
    const counts: PairCounts = { pairs: 0, clean: 0 };
    const none = pairRound(() => pair(0, false), { ms: 0, calls: 4 }, counts);
    expect(none(1)).toBeNaN();
    expect(none(2)).toBeNaN();
    expect(counts).toEqual({ pairs: 8, clean: 0 });
  });

  it('makes untimed pairs first (4 in the first round, 1 later) and times at least `calls` pairs and for `ms`', () => {
    let made = 0;
    const counts: PairCounts = { pairs: 0, clean: 0 };
    const round = pairRound(() => (made++, true), { ms: 5, calls: 2 }, counts);
    round(0);
    expect(made - counts.pairs).toBe(4);
    expect(counts.pairs).toBeGreaterThan(2);
    const before = { made, pairs: counts.pairs };
    round(1);
    expect(made - before.made - (counts.pairs - before.pairs)).toBe(1);
  });
});
