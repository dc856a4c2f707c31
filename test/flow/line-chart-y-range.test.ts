// A line chart's y range is written at float32 precision (data-y0, data-y1); values that differ in float64
// but are one float32 (1 and 1 + 1e-9) were rounded to one y0 = y1 and drew '<path d="M1 NaNl1 NaN 1 NaN"'.
// The range is rounded outward, so it holds every value and its two ends differ.
import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/flow/svg.js';

const chartOf = (ys: number[]) => lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'y', xs: [1, 2, 3], ys }] });
const rangeOf = (svg: string) => {
  const m = svg.match(/data-y0="([^"]+)" data-y1="([^"]+)"/)!;
  return [Number(m[1]), Number(m[2])];
};

describe('lineChart y range at float32 precision', () => {
  it.each([
    [[1, 1 + 1e-9, 1]],
    [[0.105, 0.10500000000000001, 0.105]],
    [[-2.5, -2.5 - 1e-12, -2.5]],
  ])('%j: the range holds every value, its ends differ, and no pixel is NaN', (ys) => {
    const svg = chartOf(ys);
    expect(svg).not.toContain('NaN');
    const [y0, y1] = rangeOf(svg);
    expect(y0).toBeLessThan(y1);
    // Within a float32 of the values: rounded outward, not widened to a range of 1.
    expect(y1 - y0).toBeLessThan(1e-5 * Math.max(1, Math.abs(y0)));
    for (const y of ys) expect(Math.fround(y0) <= Math.fround(y) && Math.fround(y) <= Math.fround(y1)).toBe(true);
  });

  it('one value throughout is widened to a range of 1, which rounding keeps', () => {
    expect(rangeOf(chartOf([0.5, 0.5, 0.5]))).toEqual([0.5, 1.5]);
    // 0.3 is no float32: the range is rounded out to the float32s around 0.3 and 1.3.
    expect(rangeOf(chartOf([0.3, 0.3, 0.3]))).toEqual([Number('0.29999998'), Number('1.3000001')]);
  });
});
