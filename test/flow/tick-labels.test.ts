// A linear axis' tick labels are distinct and each names its tick exactly, however far from 0 the
// ticks lie and however near each other: a zoom into steps 12,000–12,500 was labelled '1.2e+4' at
// every tick (fmt's three significant digits), and a loss axis over 2.3061–2.3064 '2.31' at every one.
import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks, tickLabels } from '../../src/flow/svg.js';
import { yLabelsOf } from '../util/svg-labels.js';

/** A label's value: its digit groups' commas dropped. */
const valueOf = (label: string) => Number(label.replace(/,/g, ''));

/** Step axes at 10⁴, 10⁵ and 10⁶, zoomed wide and narrow, as the report's script ticks them (niceTicks(a, b, 6, 1)). */
const STEP_RANGES: [number, number][] = [
  [12_000, 12_500],
  [10_000, 60_000],
  [123_456, 123_470],
  [100_000, 180_000],
  [1_200_000, 1_250_000],
  [1_234_560, 1_234_600],
  [0, 2_000_000],
];

describe('tickLabels', () => {
  for (const [a, b] of STEP_RANGES) {
    it(`writes each step tick between ${a} and ${b} distinctly and exactly`, () => {
      const ticks = niceTicks(a, b, 6, 1);
      expect(ticks.length).toBeGreaterThan(1);
      const labels = tickLabels(ticks);
      expect(new Set(labels).size).toBe(ticks.length);
      expect(labels.map(valueOf)).toEqual(ticks);
    });
  }

  it('writes steps to 10⁶ in full, in groups of three digits, and beyond in one exponent with the decimals the step needs', () => {
    expect(tickLabels(niceTicks(12_000, 12_500, 6, 1))).toEqual(['12,000', '12,100', '12,200', '12,300', '12,400', '12,500']);
    expect(tickLabels([9_000, 10_000, 11_000])).toEqual(['9,000', '10,000', '11,000']);
    expect(tickLabels([1_200_000, 1_225_000, 1_250_000])).toEqual(['1.200e6', '1.225e6', '1.250e6']);
    // One exponent for the axis, the largest tick's: its ticks compare at a glance.
    expect(tickLabels([0, 500_000, 1_000_000, 1_500_000])).toEqual(['0', '0.5e6', '1.0e6', '1.5e6']);
  });

  it('writes small and fractional ticks with the decimals they need, alike across the axis', () => {
    expect(tickLabels([0, 0.25, 0.5, 0.75, 1])).toEqual(['0', '0.25', '0.50', '0.75', '1.00']);
    expect(tickLabels([0.6, 0.7, 0.8, 0.9])).toEqual(['0.6', '0.7', '0.8', '0.9']);
    expect(tickLabels([100, 200, 300])).toEqual(['100', '200', '300']);
    expect(tickLabels([-2.5, 0, 2.5, 5])).toEqual(['-2.5', '0', '2.5', '5.0']);
    expect(tickLabels([0, 0.002, 0.004])).toEqual(['0', '2e-3', '4e-3']);
    const loss = niceTicks(2.3061, 2.3064, 5);
    expect(tickLabels(loss).map(Number)).toEqual(loss);
    // No decimal more than the ticks' spacing needs, though their differences are not exact in floats.
    expect(tickLabels(loss)).toEqual(['2.3061', '2.3062', '2.3063', '2.3064']);
    expect(tickLabels([0.1, 0.2, 0.3])).toEqual(['0.1', '0.2', '0.3']);
    // A lone tick: at most 3 significant digits.
    expect(tickLabels([2.30614])).toEqual(['2.31']);
    expect(tickLabels([12])).toEqual(['12']);
    expect(tickLabels([0])).toEqual(['0']);
  });

  it('labels a chart over steps 12,000–12,500 and a loss over 2.3061–2.3064 with distinct ticks on both axes', () => {
    const steps = Array.from({ length: 501 }, (_, i) => 12_000 + i);
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'step', yLabel: 'loss', time: true, series: [{ name: 'loss', xs: steps, ys: steps.map((s) => 2.3061 + (0.0003 * (s - 12_000)) / 500) }] });
    const xs = [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/>([^<]+)</g)].map((m) => m[1]);
    const ys = yLabelsOf(svg).map((l) => l.text);
    for (const labels of [xs, ys]) {
      expect(labels.length).toBeGreaterThan(1);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(xs.map(valueOf).every((s) => s >= 12_000 && s <= 12_500)).toBe(true);
  });
});
