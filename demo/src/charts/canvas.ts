/** Shared drawing setup: canvases drawn at device resolution, one palette, one font, one way to place layers. */
import { layerRowFromTop } from '../../../src/index.js';

/** Class 0 (orange) and class 1 (blue) of the 2-D data sets, as RGB. */
export const CLASS_RGB = [
  [242, 155, 56],
  [63, 110, 232],
] as const;

export const COLORS = {
  text: '#1f2933',
  muted: '#7b8794',
  grid: '#e4e7eb',
  loss: '#d64545',
  lossBand: 'rgba(214, 69, 69, 0.25)',
  right: '#2f9e44',
  wrong: '#d64545',
  accuracy: '#2186eb',
  bar: '#3f6ee8',
  saturation: '#e0a000',
  class0: `rgb(${CLASS_RGB[0].join(',')})`,
  class1: `rgb(${CLASS_RGB[1].join(',')})`,
} as const;

export const FONT = '11px system-ui, sans-serif';

/** Plot margins in CSS pixels: room for the axis labels. */
export const MARGIN = { left: 44, right: 12, top: 10, bottom: 22 } as const;

export interface Plot {
  ctx: CanvasRenderingContext2D;
  /** Drawing area in CSS pixels, inside the margins. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Sizes the canvas to its CSS box at the device's pixel ratio, clears it and returns the plot area. */
export function beginPlot(canvas: HTMLCanvasElement, margin: { left: number; right: number; top: number; bottom: number } = MARGIN): Plot {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = FONT;
  return {
    ctx,
    x: margin.left,
    y: margin.top,
    width: Math.max(1, width - margin.left - margin.right),
    height: Math.max(1, height - margin.top - margin.bottom),
  };
}

/** A horizontal grid line with its label on the left axis. */
export function yTick(plot: Plot, y: number, label: string): void {
  const { ctx } = plot;
  ctx.strokeStyle = COLORS.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(plot.x, Math.round(y) + 0.5);
  ctx.lineTo(plot.x + plot.width, Math.round(y) + 0.5);
  ctx.stroke();
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, plot.x - 6, y);
}

/** A label under the x axis. */
export function xLabel(plot: Plot, x: number, label: string, align: CanvasTextAlign = 'center'): void {
  const { ctx } = plot;
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = align;
  ctx.textBaseline = 'top';
  ctx.fillText(label, x, plot.y + plot.height + 6);
}

/**
 * Round steps strictly between `first` and `last` for a linear steps axis (1, 2 or 5 × a power of ten apart), at most `max` of
 * them: a run of 240,930 steps labelled only at its ends left the reader to guess where 10,000 steps were (newuser44 #4).
 */
export function stepTicks(first: number, last: number, max: number): number[] {
  const span = last - first;
  if (!(span > 0) || max < 1) return [];
  // Whole steps: a stride of at least 1.
  const power = 10 ** Math.max(0, Math.floor(Math.log10(span / max)));
  const stride = [1, 2, 5, 10].map((m) => m * power).find((s) => Math.floor(last / s) - Math.floor(first / s) <= max) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = (Math.floor(first / stride) + 1) * stride; t < last; t += stride) ticks.push(t);
  return ticks;
}

/** A step as a tick's label: 500, 2,000, 15k, 250k, 1.5M. */
export function stepLabel(step: number): string {
  if (step >= 1e6) return `${Number((step / 1e6).toPrecision(3))}M`;
  if (step >= 1e4) return `${Number((step / 1e3).toPrecision(3))}k`;
  return step.toLocaleString('en-US');
}

/**
 * The steps axis under a plot spanning `first`..`last` linearly: the ends labelled ('0', '240930 steps'), and round steps between them
 * (stepTicks) where their labels clear the ends' and each other's, each with a faint grid line. The ticks drawn are on the canvas
 * as data-x-ticks.
 */
export function stepAxis(canvas: HTMLCanvasElement, plot: Plot, first: number, last: number): void {
  const { ctx } = plot;
  const ends = [String(first), `${last} steps`];
  xLabel(plot, plot.x, ends[0], 'left');
  xLabel(plot, plot.x + plot.width, ends[1], 'right');
  const [left, right] = ends.map((label) => plot.x + ctx.measureText(label).width + 8);
  const x = (step: number) => plot.x + ((step - first) / (last - first)) * plot.width;
  const drawn: number[] = [];
  let clear = left;
  for (const t of stepTicks(first, last, Math.floor(plot.width / 60))) {
    const half = ctx.measureText(stepLabel(t)).width / 2;
    if (x(t) - half < clear || x(t) + half > plot.x + plot.width - (right - plot.x)) continue;
    ctx.strokeStyle = COLORS.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(x(t)) + 0.5, plot.y + plot.height);
    ctx.lineTo(Math.round(x(t)) + 0.5, plot.y + plot.height + 4);
    ctx.stroke();
    xLabel(plot, x(t), stepLabel(t));
    drawn.push(t);
    clear = x(t) + half + 8;
  }
  canvas.dataset.xTicks = drawn.join(',');
}

/** Text centred in the plot, for "no data yet" states. */
export function placeholder(plot: Plot, text: string): void {
  plot.ctx.fillStyle = COLORS.muted;
  plot.ctx.textAlign = 'center';
  plot.ctx.textBaseline = 'middle';
  plot.ctx.fillText(text, plot.x + plot.width / 2, plot.y + plot.height / 2);
}

/** Powers of ten spanning [lo, hi] (log10 values), at most `max` of them. */
export function decades(lo: number, hi: number, max = 6): number[] {
  const first = Math.ceil(lo);
  const last = Math.floor(hi);
  const stride = Math.max(1, Math.ceil((last - first + 1) / max));
  const out: number[] = [];
  for (let e = first; e <= last; e += stride) out.push(e);
  return out;
}

/** 10^e as a short label: 1e-3, 0.1, 1, 10, 1e3. */
export function powerLabel(e: number): string {
  return e >= -1 && e <= 2 ? String(10 ** e) : `1e${e}`;
}

/** Pixels a row label needs at least (FONT's line), below which only every few rows are labelled. */
const LABEL_PITCH = 13;

/**
 * Bands for `rows` layers (first layer first) over a plot's height, as the HTML report places the
 * rows of its heatmaps (layerRowFromTop: the first layer at the bottom), and which of them get a label.
 */
export function layerBands(rows: number, plot: { y: number; height: number }): { top: number; height: number; labelled: boolean }[] {
  const height = plot.height / Math.max(rows, 1);
  const every = Math.max(1, Math.ceil(LABEL_PITCH / height));
  return Array.from({ length: rows }, (_, r) => ({ top: plot.y + layerRowFromTop(r, rows) * height, height, labelled: r % every === 0 }));
}

/** A left margin wide enough for the longest of `labels` (at most `share` of the canvas), for charts with a row per layer. */
export function labelMargin(canvas: HTMLCanvasElement, labels: readonly string[], share = 0.4): number {
  const ctx = canvas.getContext('2d')!;
  ctx.font = FONT;
  const widest = Math.max(0, ...labels.map((label) => ctx.measureText(label).width));
  return Math.min(Math.ceil(widest) + 12, Math.floor(canvas.clientWidth * share));
}

/** A row's label on the left axis, centred on its band. */
export function rowLabel(plot: Plot, band: { top: number; height: number }, label: string): void {
  const { ctx } = plot;
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, plot.x - 6, band.top + band.height / 2);
}

/** Each canvas's rows as drawn last (layerBands' bands and their full names), read by its pointer handler. */
const drawnRows = new WeakMap<HTMLCanvasElement, { bands: { top: number; height: number }[]; titles: readonly string[] }>();

/**
 * Gives a chart with a row per layer the full name of the row under the pointer as its title (a
 * canvas has no elements to hover, and its margin holds the short names, some not drawn at all:
 * layerBands labels every few rows of a deep network). `titles[i]` names `bands[i]`; the canvas's
 * data-titles holds them all.
 */
export function titleRows(canvas: HTMLCanvasElement, bands: { top: number; height: number }[], titles: readonly string[]): void {
  canvas.dataset.titles = titles.join('|');
  if (!drawnRows.has(canvas)) {
    canvas.addEventListener('pointermove', (event) => {
      const { bands: rows, titles: names } = drawnRows.get(canvas)!;
      const y = event.clientY - canvas.getBoundingClientRect().top;
      const r = rows.findIndex((band) => y >= band.top && y < band.top + band.height);
      canvas.title = r === -1 ? '' : names[r];
    });
  }
  drawnRows.set(canvas, { bands, titles });
}
