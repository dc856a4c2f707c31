// src/optim/state-ranges.ts checkStateScalar: a range bounded by another setting (L-BFGS's pairs ≤ memory) is read
// against restore()'s settings when given, and against its own bounds when not (review37 finding 14: a default of {}
// read the named bound as NaN and refused every value).
import { describe, expect, it } from 'vitest';
import { checkStateScalar, STATE_RANGES } from '../../src/optim/state-ranges.js';

describe('checkStateScalar', () => {
  const pairs = STATE_RANGES.lbfgs.pairs;
  it('holds a value to the bound a setting sets when the settings are given', () => {
    expect(checkStateScalar(pairs, 2, 'scalars.pairs', 0, { memory: 2 })).toBe(2);
    expect(() => checkStateScalar(pairs, 3, 'scalars.pairs', 0, { memory: 2 })).toThrow(/scalars\.pairs.*got 3/);
  });
  it('holds it to the range\'s own bounds without settings, never to a NaN bound', () => {
    expect(checkStateScalar(pairs, 3, 'scalars.pairs', 0)).toBe(3);
    expect(() => checkStateScalar(pairs, -1, 'scalars.pairs', 0)).toThrow(/scalars\.pairs.*got -1/);
    expect(checkStateScalar(pairs, undefined, 'scalars.pairs', 7)).toBe(7);
  });

  it("refuses a required scalar missing by the table's word, and takes no fallback for it (review38 finding 2)", () => {
    const steps = STATE_RANGES.kfac.steps;
    expect(() => checkStateScalar(steps, undefined, 'kfac: restore: scalars.steps', 'kfac')).toThrow(/^kfac: restore: scalars\.steps: missing: every kfac state records it$/);
    // @ts-expect-error: a required range takes the optimiser's name, never a fallback that would stand in for it
    expect(() => checkStateScalar(steps, undefined, 'scalars.steps', 0)).toThrow(/scalars\.steps: missing/);
  });
});
