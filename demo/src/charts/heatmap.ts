/** Steps × layers over the whole run: the colour of each cell is log10 ‖∂C/∂b‖ of that layer at that step; the first layer at the bottom, as in the HTML report. */
import { beginPlot, COLORS, heatColor, labelMargin, layerBands, placeholder, rowLabel, xLabel } from './canvas.js';

export interface HeatmapData {
  /** The first and the last step of the run. */
  first: number;
  last: number;
  /** rows[i][l]: ‖∂C/∂b‖ of trace row l at the i-th of evenly spaced steps from first to last. */
  rows: ArrayLike<number>[];
  /** The trace rows drawn (those with a ‖∂C/∂b‖), first layer first. */
  layers: readonly number[];
  /** Every trace row's name (Trace.layerLabel). */
  labels: readonly string[];
}

export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData, legend: HTMLElement): void {
  const names = data.layers.map((l) => data.labels[l]);
  const plot = beginPlot(canvas, { left: labelMargin(canvas, names), right: 12, top: 10, bottom: 22 });
  const { ctx } = plot;
  canvas.dataset.rows = names.join('|');
  if (data.rows.length === 0) {
    placeholder(plot, 'Press Train or Step');
    legend.textContent = '';
    return;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of data.rows) {
    for (const l of data.layers) {
      const v = row[l];
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, Math.log10(v));
        hi = Math.max(hi, Math.log10(v));
      }
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  // One column per pixel at most: several steps in a column show the last of them.
  const columns = Math.min(data.rows.length, Math.floor(plot.width));
  const cw = plot.width / columns;
  const bands = layerBands(data.layers.length, plot);
  for (let c = 0; c < columns; c++) {
    const row = data.rows[Math.floor(((c + 1) * data.rows.length) / columns) - 1];
    data.layers.forEach((l, r) => {
      const v = row[l];
      ctx.fillStyle = v > 0 && Number.isFinite(v) ? heatColor((Math.log10(v) - lo) / (hi - lo)) : COLORS.grid;
      ctx.fillRect(plot.x + c * cw, bands[r].top, Math.ceil(cw), Math.ceil(bands[r].height));
    });
  }
  bands.forEach((band, r) => band.labelled && rowLabel(plot, band, names[r]));
  xLabel(plot, plot.x, String(data.first), 'left');
  xLabel(plot, plot.x + plot.width, `${data.last} steps`, 'right');
  legend.textContent = `colour: log₁₀ ‖∂C/∂b‖ from ${lo.toFixed(1)} (dark) to ${hi.toFixed(1)} (yellow), grey where 0 or not finite; first layer at the bottom`;
}
