// The visualizer's heatmap and bars place layers as the HTML report's heatmap does: the first layer
// at the bottom. Both are read back here from what they draw (the report's SVG rows, the page's
// bands), so the test fails if either one's orientation changes alone.
import { describe, expect, it } from 'vitest';
import { layerBands } from '../../demo/src/charts/canvas.js';
import { layerRowFromTop } from '../../src/flow/layer-rows.js';
import { heatmap } from '../../src/flow/svg.js';

/** The report's heatmap: each data-row's top (its group's translate: its cells share it, 0c8fff8), first layer first. */
function reportRowTops(rows: number): number[] {
  const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: Array.from({ length: rows }, (_, r) => `row ${r}`), steps: [1, 2, 3], end: 4, values: Array.from({ length: rows }, () => [1, 2, 3]) });
  return Array.from({ length: rows }, (_, r) => {
    const row = new RegExp(`<g class="row" data-row="${r}" transform="translate\\(0 ([^)]+)\\) scale\\(1 [^)]+\\)"><path `).exec(svg);
    expect(row, `data-row ${r}`).not.toBeNull();
    return Number(row![1]);
  });
}

/** Ranks of `tops` from the top of the plot (0 = highest on the page). */
const fromTop = (tops: number[]) => tops.map((t) => tops.filter((u) => u < t).length);

describe('layer rows, in the report and in the visualizer', () => {
  it.each([1, 2, 5, 13])('%i layers: the same row order, the first layer at the bottom', (rows) => {
    const report = fromTop(reportRowTops(rows));
    const page = fromTop(layerBands(rows, { y: 10, height: 200 }).map((b) => b.top));
    expect(page).toEqual(report);
    expect(report[0]).toBe(rows - 1);
  });

  it('labels every row when there is room, else every few rows from the first', () => {
    expect(layerBands(6, { y: 0, height: 150 }).every((b) => b.labelled)).toBe(true);
    const crowded = layerBands(37, { y: 0, height: 150 });
    expect(crowded[0].labelled).toBe(true);
    const every = crowded.findIndex((b, r) => r > 0 && b.labelled);
    expect(every * crowded[0].height).toBeGreaterThanOrEqual(13);
    expect(crowded.filter((b) => b.labelled).length).toBe(Math.ceil(37 / every));
  });

  it('refuses a row outside the layers, naming it', () => {
    expect(layerRowFromTop(0, 3)).toBe(2);
    expect(() => layerRowFromTop(3, 3)).toThrow('layerRowFromTop: row: at most 2 (rows are counted from 0), got 3');
    expect(() => layerRowFromTop(0, 0)).toThrow(/layerRowFromTop: rows: expected a whole number ≥ 1, got 0/);
  });
});
