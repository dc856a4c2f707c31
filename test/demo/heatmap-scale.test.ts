// The visualizer's flow maps: one colour scale for the 'before' map and the live one (a colour is one
// ‖∂C/∂b‖ in both), an exact 0 in the zero colour below the scale and grey only for no number, as
// the HTML report draws its heatmaps.
import { describe, expect, it } from 'vitest';
import { cellColor, heatScale, type HeatmapData } from '../../demo/src/charts/heatmap.js';
import { HEATMAP_NO_VALUE, HEATMAP_ZERO, heatmapColor } from '../../src/flow/chart-colors.js';
import { heatmapScale } from '../../src/flow/heatmap-scale.js';

const map = (rows: number[][]): HeatmapData => ({ first: 1, last: rows.length, rows, layers: [0, 1], labels: ['hidden 1', 'output'], titles: ['hidden 1', 'output'] });

describe('the visualizer’s flow-map colours', () => {
  it("spans the positive, finite values of every map drawn side by side, on the report's scale (heatmapScale)", () => {
    const before = map([[1e-6, 1e-2], [0, NaN]]);
    const live = map([[1e-3, 10], [Infinity, 0]]);
    expect(heatScale([live])).toEqual({ lo: -3, hi: 1, ticks: [-3, -2, -1, 0, 1] });
    // −6 … 1 is scaled from −6 to 2, ticked every 2: round ends, both labelled.
    expect(heatScale([before, live])).toEqual(heatmapScale(-6, 1));
    expect(heatScale([before, live])).toEqual({ lo: -6, hi: 2, ticks: [-6, -4, -2, 0, 2] });
    // The same value, the same colour in both maps: the shared scale's.
    const shared = heatScale([before, live]);
    expect(cellColor(1e-2, shared)).toBe(heatmapColor((-2 + 6) / 8));
  });

  it('draws 0 in the zero colour and NaN or ∞ grey; a map of zeros has no scale but still its zeros', () => {
    const scale = heatScale([map([[1e-3, 1e-1]])]);
    expect(cellColor(0, scale)).toBe(HEATMAP_ZERO);
    expect([NaN, Infinity, -1].map((v) => cellColor(v, scale))).toEqual([HEATMAP_NO_VALUE, HEATMAP_NO_VALUE, HEATMAP_NO_VALUE]);
    // −3 … −1: the scale's own ends, its darkest and brightest colours.
    expect(scale).toEqual({ lo: -3, hi: -1, ticks: [-3, -2.5, -2, -1.5, -1] });
    expect(cellColor(1e-3, scale)).toBe(heatmapColor(0));
    expect(cellColor(1e-1, scale)).toBe(heatmapColor(1));
    const zeros = heatScale([map([[0, 0], [0, NaN]])]);
    expect(zeros).toBeNull();
    expect(cellColor(0, zeros)).toBe(HEATMAP_ZERO);
    // One value only: a scale around it, not an empty range.
    expect(heatScale([map([[0.01, 0.01]])])).toEqual(heatmapScale(-2, -2));
  });
});
