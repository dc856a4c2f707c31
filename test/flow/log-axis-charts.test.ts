// The report's log-x line chart and its bar chart: points sit at log10 of their x (the plot says so
// with data-logx), ticks are the data's x values; a bar per row whose length grows with its value on
// the log axis, and "none" where a row has no value; the heatmap's step ticks are round and end by the last step.
import { describe, expect, it } from 'vitest';
import { HEATMAP_NO_VALUE, HEATMAP_OFF_SCALE, HEATMAP_ZERO, heatmapColor } from '../../src/flow/chart-colors.js';
import { heatmapScale } from '../../src/flow/heatmap-scale.js';
import { barChart, heatmap, lineChart, linePoints } from '../../src/flow/svg.js';
import { heatmapFills, heatmapRows } from '../util/heatmap-cells.js';
import { offScaleOf } from '../util/chart-key.js';

describe('charts on a log axis', () => {
  it('lineChart with logX: points at log10 x, ticks at the data x values, non-positive x left out', () => {
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', logX: true, series: [{ name: 's', xs: [1, 10, 100, 0], ys: [0.1, 0.5, 0.9, 0.7] }] });
    expect(svg).toMatch(/data-logx/);
    const points = linePoints(/<g class="series"><title>[^<]*<\/title><path d="([^"]*)"/.exec(svg)![1]).map((p) => p.x);
    expect(points).toEqual([0, 1, 2]);
    const ticks = [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/>([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['1', '10', '100']);
  });

  it('barChart: a bar per valued row, longer for a larger value, "none" for a row without one', () => {
    const svg = barChart({ id: 'b', title: 't', xLabel: 'depth', ticks: [2, 5, 10, 100], bars: [{ label: 'a', value: 5 }, { label: 'b', value: null }, { label: 'c', value: 100 }, { label: 'd', value: 2 }] });
    const widths = [...svg.matchAll(/<rect class="bar"[^>]* width="([^"]+)"[^>]* data-value="([^"]+)"/g)].map((m) => [Number(m[2]), Number(m[1])]);
    expect(widths.map(([v]) => v)).toEqual([5, 100, 2]);
    const byValue = [...widths].sort((p, q) => p[0] - q[0]).map(([, w]) => w);
    expect(byValue).toEqual([...byValue].sort((p, q) => p - q));
    expect(byValue[0]).toBeGreaterThan(0);
    expect(svg).toMatch(/>none</);
    // A row may say what stands in for its bar (how near it came), escaped as text.
    const said = barChart({ id: 'b', title: 't', xLabel: 'depth', ticks: [2, 100], bars: [{ label: 'a', value: null, none: 'none (best 89.7 % at 50) <' }] });
    expect(said).toContain('class="legend">none (best 89.7 % at 50) &lt;</text>');
  });

  it('heatmap: a colour scale over more values than a call can spread (300 rows × 1,000 steps), from the finite ones only', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i);
    const values = Array.from({ length: 300 }, (_, r) => steps.map((s) => (r === 7 && s === 3 ? NaN : r * 1000 + s)));
    const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: values.map((_, r) => String(r)), steps, end: 1000, values });
    const legend = [...svg.matchAll(/class="legend" data-value="[^"]+">([^<]+)</g)].map((m) => Number(m[1]));
    // The finite range 0 … 299,999 on heatmapScale's round values, its ends labelled.
    expect(legend).toEqual([0, 100_000, 200_000, 300_000]);
    expect(legend).toEqual(heatmapScale(0, 299_999).ticks);
  });

  it('heatmap: −∞ (the log of a 0) in the zero colour below the scale, NaN and +∞ grey, and the legend says so', () => {
    const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: ['a'], steps: [1, 2, 3, 4, 5], end: 6, values: [[-3, -1.2, -Infinity, NaN, Infinity]] });
    const fills = heatmapFills(svg, [1, 2, 3, 4, 5])[0];
    expect(fills.slice(2)).toEqual([HEATMAP_ZERO, HEATMAP_NO_VALUE, HEATMAP_NO_VALUE]);
    expect(fills.slice(0, 2).every((f) => f !== HEATMAP_ZERO && f !== HEATMAP_NO_VALUE)).toBe(true);
    // A cell is its colour alone: its value is the report's data (written on each cell too, the main report's 700 took 16.6 KB).
    expect(fills.length).toBe(5);
    // NaN and +∞ side by side, one grey: one box over both (steps 4 and 5, the last column up to its end, 6).
    expect(heatmapRows(svg)[0].paths.at(-1)).toEqual({ fill: HEATMAP_NO_VALUE, d: 'M4 0h2v1H4' });
    expect(svg).not.toMatch(/<g class="row"[^>]*data-value=|<path fill="[^"]+" d="[^"]+" data-value=/);
    expect([...svg.matchAll(/class="legend" data-value="[^"]+">([^<]+)</g)].map((m) => m[1])).toEqual(['-3', '-2.5', '-2', '-1.5', '-1']);
    // Each entry's swatch and its words: a label too long for a line is wrapped, whole in its <title>.
    const offScale = offScaleOf(svg);
    expect(offScale).toEqual([[HEATMAP_ZERO, '−∞ (log of 0): no gradient reached the layer'], [HEATMAP_NO_VALUE, 'no value (NaN or +∞)']]);
    expect(offScale).toEqual(HEATMAP_OFF_SCALE.map((entry) => [entry.color, entry.label]));
    // A map of zeros only has no scale to show: the two entries off it remain.
    const zeros = heatmap({ id: 'z', title: 't', yLabel: 'layer', rowLabels: ['a'], steps: [1, 2], end: 3, values: [[-Infinity, -Infinity]] });
    expect(offScaleOf(zeros).map(([, label]) => label)).toEqual(HEATMAP_OFF_SCALE.map((entry) => entry.label));
  });

  it("heatmap: a row's cells are boxes 1 high in a group scaled to the row's height, a path per colour, a run of cells of one colour one box", () => {
    // Two rows over steps 1, 3, 5, 7, 9: the first row's colours a a b a a (the value 1 on both sides of a 2).
    const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: ['a', 'b'], steps: [1, 3, 5, 7, 9], end: 11, values: [[1, 1, 2, 1, 1], [3, 3, 3, 3, 3]] });
    const [first, second] = heatmapRows(svg);
    expect(first.paths.map((p) => p.d)).toEqual(['M1 0h4v1H1M7 0h4v1H7', 'M5 0h2v1H5']);
    expect(second.paths.map((p) => p.d)).toEqual(['M1 0h10v1H1']);
    // Each row's group at its top, scaled to the plot's 232 px over two rows: 116, the first row at the bottom.
    expect([first, second].map((r) => r.attributes)).toEqual([' transform="translate(0 116) scale(1 116)"', ' transform="translate(0 0) scale(1 116)"']);
    const [, lo, hi] = /<g class="scale" data-lo="([^"]+)" data-hi="([^"]+)"/.exec(svg)!.map(Number);
    expect(heatmapFills(svg, [1, 3, 5, 7, 9])).toEqual([[1, 1, 2, 1, 1], [3, 3, 3, 3, 3]].map((row) => row.map((v) => heatmapColor((v - lo) / (hi - lo)))));
  });

  it('heatmap: round step ticks between the first traced step and the last, none past it', () => {
    const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: ['a'], steps: [1, 3, 5, 7, 9], end: 11, values: [[1, 2, 3, 4, 5]] });
    const ticks = [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/>([^<]+)</g)].map((m) => Number(m[1]));
    expect(ticks).toEqual([2, 4, 6, 8]);
  });
});
