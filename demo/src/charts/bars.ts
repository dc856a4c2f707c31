/**
 * One bar per layer, named on the left, the first layer at the bottom (as the heatmap beside it and
 * the HTML report's heatmaps): gradient norms on a log axis, or fractions (saturation) on 0–100 %.
 */
import { beginPlot, COLORS, decades, labelMargin, layerBands, placeholder, powerLabel, rowLabel, titleRows, xLabel, type Plot } from './canvas.js';

export interface BarOptions {
  scale: 'log' | 'fraction';
  color: string;
  /** Each layer's full name (Trace.layerLabel's: LayerStats.labels), the title of its row under the pointer; `labels` are short. */
  titles: readonly string[];
  /** Said in the plot when no layer has a value to show. */
  empty?: string;
}

/**
 * `values[i]` for the layer named `labels[i]`, first layer first (both also on the canvas, as
 * data-values and data-labels); NaN entries (a quantity that does not apply) are left empty, and on
 * a log axis an exact 0 is written as '0'.
 */
export function drawLayerBars(canvas: HTMLCanvasElement, values: ArrayLike<number>, labels: readonly string[], options: BarOptions): void {
  const plot = beginPlot(canvas, { left: labelMargin(canvas, labels), right: 16, top: 8, bottom: 22 });
  const { ctx } = plot;
  const n = values.length;
  canvas.dataset.values = Array.from(values).join(',');
  canvas.dataset.labels = labels.join('|');
  const shown = Array.from(values).filter((v) => Number.isFinite(v) && (options.scale === 'fraction' || v > 0));
  const bands = layerBands(n, plot);
  titleRows(canvas, bands, options.titles);
  if (n === 0 || shown.length === 0) {
    placeholder(plot, options.empty ?? 'No data');
    return;
  }
  let x: (v: number) => number;
  if (options.scale === 'log') {
    const logs = shown.map(Math.log10);
    const lo = Math.floor(Math.min(...logs));
    const hi = Math.max(Math.ceil(Math.max(...logs)), lo + 1);
    x = (v) => plot.x + ((Math.log10(v) - lo) / (hi - lo)) * plot.width;
    for (const e of decades(lo, hi, 5)) xTick(plot, x(10 ** e), powerLabel(e));
  } else {
    x = (v) => plot.x + v * plot.width;
    for (const f of [0, 0.5, 1]) xTick(plot, x(f), `${f * 100}%`);
  }
  bands.forEach((band, l) => {
    const v = values[l];
    if (band.labelled) rowLabel(plot, band, labels[l]);
    // An exact 0 (a ReZero branch at α = 0) has no place on a log axis: said in words instead of an empty row.
    if (options.scale === 'log' && v === 0 && band.labelled) {
      ctx.fillStyle = COLORS.muted;
      ctx.textAlign = 'left';
      ctx.fillText('0', plot.x + 3, band.top + band.height / 2);
    }
    if (!Number.isFinite(v) || (options.scale === 'log' && !(v > 0))) return;
    const thickness = Math.max(1, band.height * 0.7);
    ctx.fillStyle = options.color;
    ctx.fillRect(plot.x, band.top + (band.height - thickness) / 2, Math.max(x(v) - plot.x, 1), thickness);
  });
}

/** A vertical grid line with its label under the axis. */
function xTick(plot: Plot, at: number, label: string): void {
  const { ctx } = plot;
  ctx.strokeStyle = COLORS.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(Math.round(at) + 0.5, plot.y);
  ctx.lineTo(Math.round(at) + 0.5, plot.y + plot.height);
  ctx.stroke();
  xLabel(plot, at, label);
}
