/** Steps × layers over the whole run: the colour of each cell is log10 ‖∂C/∂b‖ of that layer at that step. */
import { beginPlot, COLORS, heatColor, placeholder, xLabel } from './canvas.js';

export interface HeatmapData {
  /** The first and the last step of the run. */
  first: number;
  last: number;
  /** rows[i][l]: ‖∂C/∂b^l‖ at the i-th of evenly spaced steps from first to last. */
  rows: ArrayLike<number>[];
  layers: number;
}

export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData, legend: HTMLElement): void {
  const plot = beginPlot(canvas, { left: 44, right: 12, top: 10, bottom: 22 });
  const { ctx } = plot;
  if (data.rows.length === 0) {
    placeholder(plot, 'Press Train or Step');
    legend.textContent = '';
    return;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of data.rows) {
    for (let l = 0; l < data.layers; l++) {
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
  const ch = plot.height / data.layers;
  for (let c = 0; c < columns; c++) {
    const row = data.rows[Math.floor(((c + 1) * data.rows.length) / columns) - 1];
    for (let l = 0; l < data.layers; l++) {
      const v = row[l];
      ctx.fillStyle = v > 0 && Number.isFinite(v) ? heatColor((Math.log10(v) - lo) / (hi - lo)) : COLORS.grid;
      ctx.fillRect(plot.x + c * cw, plot.y + l * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const every = Math.ceil(data.layers / 8);
  for (let l = 0; l < data.layers; l += every) ctx.fillText(`L${l + 1}`, plot.x - 6, plot.y + (l + 0.5) * ch);
  xLabel(plot, plot.x, String(data.first), 'left');
  xLabel(plot, plot.x + plot.width, `${data.last} steps`, 'right');
  legend.textContent = `colour: log₁₀ ‖∂C/∂b‖ from ${lo.toFixed(1)} (dark) to ${hi.toFixed(1)} (yellow)`;
}
