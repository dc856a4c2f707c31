// numberText: the one way gradscope's prose prints a number it measured or computed (src/number-text.ts).
import { describe, expect, it } from 'vitest';
import { apart, boundText, float32Text, multipleText, numberText, roundedDown, shareText } from '../src/number-text.js';

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

describe('boundText and apart', () => {
  it.each([
    [(2 * 1.9) / 2.8, '1.35'], // Nesterov momentum 0.9's bound 1.3571…: to nearest '1.36', which the check refuses
    [3.998, '3.99'],
    [9.996, '9.99'], // one unit of the 3rd digit of 9.996, not of 10.0
    [2, '2.00'],
    [Math.sqrt(3.4028234663852886e38), '1.84e+19'],
    [0.0099996, '9.99e-3'],
  ])('the bound %s prints rounded down, as %s, and reads back at most itself', (bound, text) => {
    expect(boundText(bound)).toBe(text);
    expect(Number(text)).toBeLessThanOrEqual(bound);
  });

  it.each([
    [[0.1 * 13.59, (2 * 1.9) / 2.8], { bound: 1 }, ['1.36', '1.35']],
    [[3.9912, 3.9905], { bound: 1 }, ['3.991', '3.990']],
    [[1.3569, 1.3571], { bound: 1 }, ['1.3569', '1.3571']], // below its bound: never printed on its far side
    [[0.25, 0.2500001], { from: 4 }, ['0.2500000', '0.2500001']],
    [[2.285, NaN], { from: 4 }, ['2.285', 'NaN']],
    [[1.845e19, Math.sqrt(3.4028234663852886e38)], { bound: 1 }, ['1.85e+19', '1.84e+19']],
  ] as const)('%j (%j) print as %j: apart, in their order', (values, options, texts) => {
    expect(apart(values, options)).toEqual(texts);
  });
});

describe('roundedDown', () => {
  it.each([
    [(2 * 1.9) / 2.8, 1.35],
    [9.996, 9.99], // one unit of 9.996's 3rd digit below, not of 10.0's (9.9)
    [9.999995, 9.99],
    [0.0099996, 0.00999],
    [-1.0004, -1.01], // towards −∞: a bound on a negative value is kept too
    [20, 20],
    [1.8446744073709552e19, 1.84e19],
  ])('%s rounds down to %s, the largest 3-digit number not above it', (value, down) => {
    expect(roundedDown(value)).toBe(down);
    expect(roundedDown(value)).toBeLessThanOrEqual(value);
  });
});

describe('float32Text', () => {
  it.each([
    [2 ** -126, 1, '1.1754944e-38'],
    [3.4028234663852886e38, 1, '3.4028235e+38'],
    [1 - 2 ** -24, 1, '0.99999994'],
    [2 ** -126 * 1000, 1000, '1.1754944e-35'],
    [3.4028234663852886e38 * 100, 100, '3.4028235e+40'],
    [1, 1, '1'],
    [0.1, 1, '0.1'],
  ])('%s (÷ %s) prints as %s, which float32 holds as it holds the value', (value, per, text) => {
    expect(float32Text(value, per)).toBe(text);
    expect(Math.fround(Number(text) / per)).toBe(Math.fround(value / per));
  });
});

describe('shareText and multipleText: ratios float64 holds as Infinity said as the bound they lie beyond', () => {
  it.each([
    [0.0625, '1/16.0'],
    [1e-300, '1/1.00e+300'],
    [4.25e-319, 'less than 1/1e300'],
    [5e-324, 'less than 1/1e300'],
    // NaN (0 over 0) is no ratio beyond float64: it prints as numberText prints it.
    [NaN, 'NaN'],
  ])('shareText(%s) is %s', (ratio, text) => expect(shareText(ratio)).toBe(text));

  it.each([
    [6.47, '6.47'],
    [1e300, '1.00e+300'],
    [Infinity, 'more than 1e300'],
    [NaN, 'NaN'],
  ])('multipleText(%s) is %s', (ratio, text) => expect(multipleText(ratio)).toBe(text));
});
