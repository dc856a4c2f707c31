// The visualizer's number formats: the epoch counter says what an epoch is and keeps only the decimals that move;
// fmt (the heatmap's ticks, the diagram's scale) writes 3 significant digits, in exponent form only from 10⁴ and below 10⁻²;
// the chain table's columns each follow one rule (CHAIN_CELL: its norms always in exponent form).
import { describe, expect, it } from 'vitest';
import { CHAIN_CELL, epochText, fmt, progressStatus, stepText } from '../../demo/src/format.js';
import { lossText, percentText } from '../../src/index.js';

describe('epochText', () => {
  it('names the rows an epoch passes over, with 2, 1 or no decimals as the count grows', () => {
    expect(epochText(0.3, 280)).toBe('epoch 0.30 (passes over the 280 training rows)');
    expect(epochText(42.25, 280)).toBe('epoch 42.3 (passes over the 280 training rows)');
    expect(epochText(11188.04, 2800)).toBe('epoch 11,188 (passes over the 2,800 training rows)');
  });
});

describe('stepText', () => {
  it('groups the step counter as the epoch counter beside it is grouped (it read "step 120438" beside "epoch 13,382")', () => {
    expect([0, 999, 1000, 120438].map(stepText)).toEqual(['step 0', 'step 999', 'step 1,000', 'step 120,438']);
    expect(epochText(13382.4, 9000)).toBe('epoch 13,382 (passes over the 9,000 training rows)');
    expect(epochText(1999.96, 9000)).toBe('epoch 2,000 (passes over the 9,000 training rows)');
  });
});

describe('fmt', () => {
  it('writes 3 significant digits, a number from 1,000 to 9,999 whole (it wrote 2780 as 2.78e+3), the exponent form only from 10⁴ and below 10⁻²', () => {
    expect([2780, -1234, 999.94, 48.9, 0.275, 0.1, 1, 0, 0.0717].map(fmt)).toEqual(['2780', '-1230', '1000', '48.9', '0.275', '0.1', '1', '0', '0.0717']);
    // Rounded first: what rounds to 10⁴ (or to 10⁻²) is written as that.
    expect([9999.6, 1.9e5, 0.00999, 0.009999, 3.9e-7, NaN].map(fmt)).toEqual(['1.0e+4', '1.9e+5', '1.0e-2', '0.01', '3.9e-7', 'NaN']);
  });
});

describe('CHAIN_CELL', () => {
  it("writes each chain-table column at one rule of 3 significant digits (fmt set '0.1' above '0.0717' and '3.9e-7' in one column)", () => {
    // Norms as the CLI's and the report's tables print them: exponent form whatever the magnitude, one width down the column.
    expect([0.0717, 0.1, 3.9e-7, 48.9, 0].map(CHAIN_CELL.norm)).toEqual(['7.17e-2', '1.00e-1', '3.90e-7', '4.89e+1', '0']);
    // Factors and bounds as the diagnosis quotes them: trailing zeros kept, so 0.9996 reads 1.00 and 0.1 reads 0.100.
    expect([0.138, 0.1, 0.9996, 0.25, 2.5e-3, NaN].map(CHAIN_CELL.factor)).toEqual(['0.138', '0.100', '1.00', '0.250', '2.50e-3', 'NaN']);
    // Rates as the per-layer-rates remedy's layerRates print them (and the option holds them).
    expect([2780.4, 35412, 7.5, 1, 41.23].map(CHAIN_CELL.rate)).toEqual(['2780', '35400', '7.5', '1', '41.2']);
  });
});

describe('progressStatus', () => {
  it("prints the losses as gradscope prints a loss (lossText's 4 digits, as the diagnosis beside it: fmt wrote 2.31 for 2.305)", () => {
    const s = { step: 1234, loss: 2.30512, accuracy: 0.5, testLoss: 0.000123456, testAccuracy: 0.25 };
    expect(progressStatus(true, s)).toBe(`Training: step 1,234, loss ${lossText(2.30512)}, accuracy ${percentText(0.5)} (test: loss ${lossText(0.000123456)}, accuracy ${percentText(0.25)})`);
    expect(progressStatus(true, s)).toContain('loss 2.305, ');
    expect(progressStatus(false, s)).toMatch(/^Paused: step 1,234, /);
  });
});
