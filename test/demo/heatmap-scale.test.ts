// The visualizer's flow maps: one colour scale for the 'before' map and the live one (a colour is one
// ‖∂C/∂b‖ in both), an exact 0 in the zero colour below the scale and grey only for no number, as
// the HTML report draws its heatmaps.
import { describe, expect, it } from 'vitest';
import { cellColor, heatScale, type HeatmapData } from '../../demo/src/charts/heatmap.js';
import { HEATMAP_NO_VALUE, HEATMAP_ZERO, heatmapColor } from '../../src/flow/svg.js';

const map = (rows: number[][]): HeatmapData => ({ first: 1, last: rows.length, rows, layers: [0, 1], labels: ['hidden 1', 'output'] });

describe('the visualizer’s flow-map colours', () => {
  it('spans the positive, finite values of every map drawn side by side', () => {
    const before = map([[1e-6, 1e-2], [0, NaN]]);
    const live = map([[1e-3, 10], [Infinity, 0]]);
    expect(heatScale([live])).toEqual({ lo: -3, hi: 1 });
    expect(heatScale([before, live])).toEqual({ lo: -6, hi: 1 });
    // The same value, the same colour in both maps: the shared scale's.
    const shared = heatScale([before, live]);
    expect(cellColor(1e-2, shared)).toBe(heatmapColor((-2 + 6) / 7));
  });

  it('draws 0 in the zero colour and NaN or ∞ grey; a map of zeros has no scale but still its zeros', () => {
    const scale = heatScale([map([[1e-3, 1e-1]])]);
    expect(cellColor(0, scale)).toBe(HEATMAP_ZERO);
    expect([NaN, Infinity, -1].map((v) => cellColor(v, scale))).toEqual([HEATMAP_NO_VALUE, HEATMAP_NO_VALUE, HEATMAP_NO_VALUE]);
    expect(cellColor(1e-3, scale)).toBe(heatmapColor(0));
    expect(cellColor(1e-1, scale)).toBe(heatmapColor(1));
    const zeros = heatScale([map([[0, 0], [0, NaN]])]);
    expect(zeros).toBeNull();
    expect(cellColor(0, zeros)).toBe(HEATMAP_ZERO);
    // One value only: a scale one decade wide from it, not an empty range.
    expect(heatScale([map([[0.01, 0.01]])])).toEqual({ lo: -2, hi: -1 });
  });
});
