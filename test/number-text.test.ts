// numberText: the one way gradscope's prose prints a number it measured or computed (src/number-text.ts).
import { describe, expect, it } from 'vitest';
import { numberText } from '../src/number-text.js';

describe('numberText', () => {
  it.each([
    [2.302585, '2.30'],
    [0.5, '0.500'],
    [123.45, '123'],
    [-41.53, '-41.5'],
    // The boundaries: positional from 0.01 up to below 10³, each side as it prints once rounded.
    [0.01, '0.0100'],
    [0.00999, '9.99e-3'],
    [0.0099996, '0.0100'],
    [999, '999'],
    [999.4, '999'],
    [999.5, '1.00e+3'],
    [1000, '1.00e+3'],
    [1234.5, '1.23e+3'],
    [-1000, '-1.00e+3'],
    [-0.00999, '-9.99e-3'],
    // Where String() writes every digit (up to 1e21) or toPrecision switches form at 1e-7 rather than at 0.01.
    [34100000000000000000, '3.41e+19'],
    [3.4028234663852886e38, '3.40e+38'],
    [1e21, '1.00e+21'],
    [9.5367431640625e-7, '9.54e-7'],
    [0.00123, '1.23e-3'],
    [-2.5e-7, '-2.50e-7'],
    [5e-324, '4.94e-324'],
  ])('%s prints as %s', (value, text) => {
    expect(numberText(value)).toBe(text);
  });

  it("says 0, −0 and the values that are no number as JavaScript names them (as a caller writes them and `shown` prints them)", () => {
    expect([0, -0, Infinity, -Infinity, NaN].map(numberText)).toEqual(['0', '0', 'Infinity', '-Infinity', 'NaN']);
  });

  it('prints a value already at 3 significant digits exactly, so an offer read back from a message is the value offered', () => {
    for (const value of [3.41e19, 0.0135, 4.52, 9.99e-3, 1.23e-30, 1230]) expect(Number(numberText(value))).toBe(value);
  });
});
