/**
 * decimalsShowing, the papers' verdicts' one rule for the decimals of the numbers they compare: the fewest, at least the
 * least asked, at which every pair printed stands as it does unprinted.
 */
import { describe, expect, it } from 'vitest';
import { decimalsShowing } from '../../src/studies/compared-decimals.js';

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
