/**
 * Steps × layers over the whole run: the colour of each cell is log10 ‖∂C/∂b‖ of that layer at that
 * step; the first layer at the bottom, as in the HTML report. An exact 0 (no gradient reached the
 * layer: every unit above it dead, say) is a value below the scale, drawn in its own colour as the
 * report draws it; grey is only for a cell with no number (NaN, or an overflow to ∞). The colours
 * are the report's (heatmapColor), so a map reads the same on the page and in the report.
 */
import { HEATMAP_NO_VALUE, HEATMAP_OFF_SCALE, HEATMAP_ZERO, heatmapColor, heatmapScale, type HeatmapScale } from '../../../src/index.js';
import { fmt } from '../format.js';
import { beginPlot, labelMargin, layerBands, placeholder, rowLabel, stepAxis, titleRows } from './canvas.js';

export interface HeatmapData {
  /** The first and the last step of the run. */
  first: number;
  last: number;
  /** rows[i][l]: ‖∂C/∂b‖ of trace row l at the i-th of evenly spaced steps from first to last, or at steps[i] where given. */
  rows: ArrayLike<number>[];
  /** The step of each row, ascending, where the rows are not evenly spaced (the mean-loss view's, one per page update); absent: evenly spaced. */
  steps?: ArrayLike<number>;
  /** The trace rows drawn (those with a ‖∂C/∂b‖), first layer first. */
  layers: readonly number[];
  /** Every trace row's name in short (Trace.layerLabel's 'short', LayerStats.shortLabels): a row gets one label's margin. */
  labels: readonly string[];
  /** Every trace row's full name (Trace.layerLabel's, LayerStats.labels): the title of its row under the pointer. */
  titles: readonly string[];
}

/**
 * The scale of the maps drawn side by side (a remedy's 'before' and the live one), so one colour is
 * one value in both: the report's heatmapScale over log10 of their positive, finite ‖∂C/∂b‖; null
 * when no cell has one (every drawn gradient 0 or not finite).
 */
export function heatScale(maps: readonly HeatmapData[]): HeatmapScale | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { rows, layers } of maps) {
    for (const row of rows) {
      for (const l of layers) {
        const v = row[l];
        if (v > 0 && Number.isFinite(v)) {
          lo = Math.min(lo, Math.log10(v));
          hi = Math.max(hi, Math.log10(v));
        }
      }
    }
  }
  return lo > hi ? null : heatmapScale(lo, hi);
}

/** A cell's colour: on the scale for a positive ‖∂C/∂b‖, HEATMAP_ZERO for an exact 0, HEATMAP_NO_VALUE for anything else (NaN, ∞). */
export function cellColor(v: number, scale: HeatmapScale | null): string {
  if (v === 0) return HEATMAP_ZERO;
  if (!(v > 0 && Number.isFinite(v)) || !scale) return HEATMAP_NO_VALUE;
  return heatmapColor((Math.log10(v) - scale.lo) / (scale.hi - scale.lo));
}

export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData, scale: HeatmapScale | null): void {
  const names = data.layers.map((l) => data.labels[l]);
  const plot = beginPlot(canvas, { left: labelMargin(canvas, names), right: 12, top: 10, bottom: 22 });
  const { ctx } = plot;
  canvas.dataset.rows = names.join('|');
  const bands = layerBands(data.layers.length, plot);
  titleRows(canvas, bands, data.layers.map((l) => data.titles[l]));
  if (data.rows.length === 0) {
    canvas.dataset.lastValues = canvas.dataset.xTicks = '';
    placeholder(plot, 'Press Train or Step');
    return;
  }
  // One column per pixel at most: several steps in a column show the last of them.
  const columns = Math.min(data.steps ? Infinity : data.rows.length, Math.floor(plot.width));
  const cw = plot.width / columns;
  let row = data.rows[0];
  for (let c = 0, i = 0; c < columns; c++) {
    if (data.steps) {
      // Rows at their own steps: a column shows the last row at or before its last step.
      const end = data.first + ((c + 1) / columns) * (data.last - data.first);
      while (i + 1 < data.rows.length && data.steps[i + 1] <= end) i++;
      row = data.rows[i];
    } else row = data.rows[Math.floor(((c + 1) * data.rows.length) / columns) - 1];
    data.layers.forEach((l, r) => {
      ctx.fillStyle = cellColor(row[l], scale);
      ctx.fillRect(plot.x + c * cw, bands[r].top, Math.ceil(cw), Math.ceil(bands[r].height));
    });
  }
  // The last column's values, first layer first, for whoever reads the page back.
  canvas.dataset.lastValues = data.layers.map((l) => row[l]).join(',');
  bands.forEach((band, r) => band.labelled && rowLabel(plot, band, names[r]));
  stepAxis(canvas, plot, data.first, data.last);
}

/**
 * The legend of the maps: the colour scale as a bar labelled at its ticks (heatmapScale's, the ends
 * among them), then the two colours off the scale and what they mean, worded as the report's. `shown`: whether a map is
 * drawn (before the first step there is nothing to explain). The ticks are also on the element, as
 * data-ticks (log10 values), for whoever reads the page back.
 */
export function drawHeatmapLegend(legend: HTMLElement, scale: HeatmapScale | null, shown: boolean): void {
  legend.hidden = !shown;
  const ticks = scale?.ticks ?? [];
  legend.dataset.ticks = ticks.join(',');
  const entries: HTMLSpanElement[] = [];
  if (scale) {
    const bar = span('scale');
    bar.style.background = `linear-gradient(to right, ${Array.from({ length: 9 }, (_, i) => heatmapColor(i / 8)).join(', ')})`;
    for (const t of ticks) {
      const tick = span('tick', fmt(t));
      tick.style.left = `${(((t - scale.lo) / (scale.hi - scale.lo)) * 100).toFixed(2)}%`;
      bar.append(tick);
    }
    entries.push(entry('log₁₀ ‖∂C/∂b‖', bar));
  }
  // The colours off the scale in the report's words (HEATMAP_OFF_SCALE): both legends are of log10 ‖∂C/∂b‖.
  entries.push(...HEATMAP_OFF_SCALE.map(({ color, label }) => entry('', swatch(color), label)), entry('first layer at the bottom'));
  legend.replaceChildren(...entries);
}

/** One item of the legend: on one line where the card is wide enough (style.css). */
function entry(...parts: (string | Node)[]): HTMLSpanElement {
  const element = span('entry');
  element.append(...parts.filter((p) => p !== ''));
  return element;
}

function span(className: string, text = ''): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function swatch(color: string): HTMLSpanElement {
  const element = span('swatch');
  element.style.background = color;
  return element;
}
