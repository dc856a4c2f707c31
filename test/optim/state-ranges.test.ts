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
});
