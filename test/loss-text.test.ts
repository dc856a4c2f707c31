// lossText: the one way gradscope prints a loss (src/loss-text.ts), in the command line, the diagnosis and the studies alike.
// The diagnosis printed 3 significant digits (numberText) beneath the CLI's 4, and the papers' findings toFixed(3).
import { describe, expect, it } from 'vitest';
import { LOSS_DIGITS, lossChangeText, lossText, lossTexts } from '../src/loss-text.js';

describe('lossText', () => {
  it.each([
    [2.302585, '2.303'],
    [0.9108, '0.9108'],
    [0.00737, '0.007370'],
    [999.94, '999.9'],
    [999.96, '1.000e+3'],
    // From 10³ in exponent form, as numberText: a table's 4959 read as a bare count.
    [4959.1, '4.959e+3'],
    [12345, '1.235e+4'],
    [1e-7, '1.000e-7'],
    [0, '0'],
    [-0, '0'],
    [Infinity, 'Infinity'],
    // No loss: '—', as percentText prints no value (it printed 'NaN', edges47 #17).
    [NaN, '—'],
  ])('%s → %s', (loss, text) => {
    expect(lossText(loss)).toBe(text);
  });

  it('compares losses at as many digits as tell them apart', () => {
    expect(LOSS_DIGITS).toBe(4);
    expect(lossTexts([2.30512, 2.30538])).toEqual(['2.3051', '2.3054']);
    expect(lossChangeText(2.30512, 2.30538)).toBe('2.3051 → 2.3054');
    expect(lossChangeText(2.31, 2.1)).toBe('2.310 → 2.100');
  });
});
