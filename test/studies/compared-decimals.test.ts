/**
 * decimalsShowing, the papers' verdicts' one rule for the decimals of the numbers they compare: the fewest, at least the
 * least asked, at which every pair printed stands as it does unprinted.
 */
import { describe, expect, it } from 'vitest';
import { decimalsShowing, decimalsShowingGap, printedGap } from '../../src/studies/compared-decimals.js';

describe('decimalsShowing', () => {
  it('gives the fewest decimals at which each printed pair is ordered as its numbers are', () => {
    expect(decimalsShowing([[1.04, 1.06]])).toBe(1); // 1.0 against 1.1
    expect(decimalsShowing([[1.04, 1.01]])).toBe(2); // 1.0 against 1.0, then 1.04 against 1.01
    // Gaps like He et al.'s 80-epoch ends against their margin: 2.2 against 2.2, 2.18 against 2.18, then 2.180 against 2.175.
    expect(decimalsShowing([[2.1802, 2.1751]])).toBe(3);
    // Every pair is shown: the one needing most decides.
    expect(decimalsShowing([[1.04, 1.06], [2.1802, 2.1751]])).toBe(3);
  });

  it('starts at the least asked, keeps equal numbers equal, and reads the sign of a difference near 0', () => {
    expect(decimalsShowing([[0.94, 0.5]], 2)).toBe(2);
    expect(decimalsShowing([[0.5004, 0.5]], 2)).toBe(4);
    expect(decimalsShowing([[3, 3]])).toBe(1);
    // -0.0001 prints "-0.0" at one decimal, which reads as 0: four show it below 0.
    expect(decimalsShowing([[-0.0001, 0]])).toBe(4);
  });

  it('passes over a pair with a number that is not finite, and gives the least for no pair', () => {
    expect(decimalsShowing([[NaN, 1], [1.04, Infinity]])).toBe(1);
    expect(decimalsShowing([], 2)).toBe(2);
  });
});

describe('printedGap and decimalsShowingGap', () => {
  it("print a gap as the printed numbers' difference: 74.14 and 10.56 are 63.5 apart at one decimal, not the unprinted 63.58's 63.6", () => {
    expect(printedGap(74.14, 10.56, 1)).toBe('63.5');
    expect(printedGap(10.56, 74.14, 1)).toBe('63.5');
    expect(printedGap(74.14, 10.56, 2)).toBe('63.58');
    // 63.5 against a margin of 8.6 shows the gap above it at one decimal.
    expect(decimalsShowingGap(74.14, 10.56, 8.6)).toBe(1);
  });

  it('add decimals until the printed gap stands against the printed bound as the gap does', () => {
    // 7.04 − 4.96 = 2.08 against 2.1: at one decimal 7.0 − 5.0 = 2.0, below 2.1, as 2.08 is.
    expect(decimalsShowingGap(7.04, 4.96, 2.1)).toBe(1);
    // 7.04 − 4.96 = 2.08 against 2.06: at one decimal 2.0 against 2.1 (below), at two 2.08 against 2.06.
    expect(decimalsShowingGap(7.04, 4.96, 2.06)).toBe(2);
    // The unprinted gap would show at one decimal (2.16 → 2.2 against 2.1) where the printed means' does not (7.0 − 4.9 = 2.1).
    expect(decimalsShowing([[2.16, 2.1]])).toBe(1);
    expect(decimalsShowingGap(7.04, 4.88, 2.1)).toBe(2);
    expect(printedGap(7.04, 4.88, 2)).toBe('2.16');
  });
});
