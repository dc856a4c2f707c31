// A chart's y-axis title is placed and turned by one rule of the report's CSS (Y_TITLE_STYLE), not by a transform written
// on each title (81 of them in npm start's report). test/flow/heatmap-row-labels measures it turned in Chromium.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/flow/report-html.js';
import { CHART, heatmap, lineChart, Y_TITLE_CLASS, Y_TITLE_STYLE } from '../../src/flow/svg.js';

describe("a chart's y-axis title", () => {
  it('carries the class and no transform of its own, on a line chart and a heatmap', () => {
    const line = lineChart({ id: 'l', title: 't', xLabel: 'step', yLabel: 'loss', series: [{ name: 'loss', xs: [1, 2], ys: [1, 2] }] });
    const map = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: ['a'], steps: [1, 2], end: 3, values: [[1, 2]] });
    for (const [svg, label] of [[line, 'loss'], [map, 'layer']]) {
      expect(svg).toContain(`<text class="axis ${Y_TITLE_CLASS}">${label}</text>`);
      expect(svg).not.toMatch(/rotate\(/);
    }
  });

  it("is turned at the plot's middle by the report's CSS", async () => {
    // The plot spans CHART.top to CHART.height − CHART.bottom: its middle is 144 in the drawing's pixels.
    expect(Y_TITLE_STYLE).toBe(`.y-title{transform:translate(14px,${(CHART.top + CHART.height - CHART.bottom) / 2}px) rotate(-90deg)}`);
    const page = await renderReport({ sections: [{ id: 's', heading: 'S' }] });
    expect(/<style>([\s\S]*?)<\/style>/.exec(page)![1]).toContain(Y_TITLE_STYLE);
  });
});
