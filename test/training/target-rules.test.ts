// The one rule of what each loss takes as targets (src/training/target-rules.ts), at its edges:
// a cross-entropy row's sum may stray from 1 by n·2⁻²³ and no more, a value outside [0, 1] is named
// before its row's sum, and the first faulty row is the one named.
import { describe, expect, it } from 'vitest';
import { firstTargetFault, TARGET_SUM_TOLERANCE } from '../../src/training/target-rules.js';

describe('firstTargetFault', () => {
  const n = 4;
  const edge = n * TARGET_SUM_TOLERANCE;

  it('cross-entropy: a row summing to 1 ± n·2⁻²³ passes; beyond, the row is named with its sum', () => {
    expect(firstTargetFault('cross-entropy', [0.25, 0.25, 0.25, 0.25 + edge], 1, n)).toBe(null);
    expect(firstTargetFault('cross-entropy', [0.25, 0.25, 0.25, 0.25 - edge], 1, n)).toBe(null);
    const over = [1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25 + 2 * edge];
    expect(firstTargetFault('cross-entropy', over, 2, n)).toEqual({ kind: 'row-sum', row: 1, sum: 1 + 2 * edge, values: over.slice(4) });
  });

  it('a value outside [0, 1] is named before its row sum, and rows are taken in order', () => {
    expect(firstTargetFault('cross-entropy', [0, 0, 0, 0, 1.5, -0.5, 0, 0], 2, n)).toEqual({ kind: 'row-sum', row: 0, sum: 0, values: [0, 0, 0, 0] });
    expect(firstTargetFault('cross-entropy', [1, 0, 0, 0, 1.5, -0.5, 0, 0], 2, n)).toEqual({ kind: 'outside-unit', row: 1, col: 0, value: 1.5 });
  });

  it('binary cross-entropy takes any row of probabilities; mse anything', () => {
    expect(firstTargetFault('binary-cross-entropy', [1, 1, 1, 1, 0, 0, 0, 0], 2, n)).toBe(null);
    expect(firstTargetFault('binary-cross-entropy', [1, 1, 1, 1, 0, 0, 2, 0], 2, n)).toEqual({ kind: 'outside-unit', row: 1, col: 2, value: 2 });
    expect(firstTargetFault('mse', [5, -5, 0, 0], 1, n)).toBe(null);
  });
});
