/**
 * Small inline-SVG charts for the HTML report: no library, no network. The values themselves are in
 * the report's data (downloadable); a chart carries what it takes to read them back from the drawing,
 * heatmap cells excepted (below): a line's points (linePoints reads them from its paths) are (step or layer, y in pixels) in a plot whose y range is data-y0..data-y1 (log10
 * units with data-log; its x is log10 of the value when the plot has data-logx), a heatmap cell is its value's colour on
 * the scale of its data-lo and data-hi (its row's data-row, its column the box of its row over its step: cellRuns;
 * the exception: its value itself is in the report's data alone, since written on each cell too the main report's 700
 * cells took 16.6 KB), a histogram's bars are % of its tallest.
 *
 * Charts over training steps draw their plot in an inner <svg class="plot" data-time> whose x axis
 * is in steps (viewBox "firstStep 0 span height", stretched): the report's script selects a step
 * range by changing that viewBox alone (and redrawing the x ticks, up to the plot's data-last where it
 * has one: a heatmap's last traced step, short of its plot's right edge).
 */
import { invalidOption, shown } from '../errors.js';
import { cutToWidth, displayWidth } from '../display-width.js';
import { HEATMAP_NO_VALUE, HEATMAP_OFF_SCALE, HEATMAP_ZERO, heatmapColor, layerColor, SERIES_COLORS } from './chart-colors.js';
import { unbrokenPercents } from '../percent-text.js';
import { heatmapScale, type HeatmapScale } from './heatmap-scale.js';
import { layerRowFromTop } from './layer-rows.js';
import { COINCIDENT_PX, hiddenUnder, MARK_STROKE, MARK_VARIANTS, markFilled, markPath, MARKS_REPEAT_WORDS, markShape, MARKS_OVER_STEPS, OFF_AXIS_MARK, offAxisEdge, offAxisValue, offAxisWords, type OffAxisEdge, type PixelPoint } from './series-marks.js';

/** One line of a line chart. */
export interface Series {
  /** The line's name: its legend entry and its tooltip. */
  name: string;
  /** The x of each point. */
  xs: ArrayLike<number>;
  /** The y of each point, xs[i]'s at i. */
  ys: ArrayLike<number>;
}

/**
 * The charts' design box (they scale to their column's width) and the plot inside it (`left` widens
 * for y labels that need it: yLabelRoom): the drawing, then right of it the key (its legend).
 */
export const CHART = { width: 560, height: 300, left: 64, right: 180, top: 28, bottom: 40 } as const;
const PLOT_W = CHART.width - CHART.left - CHART.right;
/** Pixels between the plot's right edge and the drawing's: room for the last x tick label (a wider one is kept inside: keptInside). */
const PLOT_RIGHT_PAD = 10;
/**
 * The width of a chart's drawing (axes, plot, labels) in its pixels: the box but the key's column.
 * The key is an <svg class="key"> of its own, KEY_WIDTH wide, beside the drawing where the column
 * holds both and under it where not (a phone's), both at one scale: the drawing alone fits a phone's
 * 390 px at CHART_TEXT_MIN (drawingMinWidth(DRAWING_WIDTH) = 351 px), the two side by side did not (504 px).
 */
export const DRAWING_WIDTH = CHART.width - CHART.right + PLOT_RIGHT_PAD;
/** The width of a chart's key (legend), in the drawing's pixels: the box right of the drawing. */
export const KEY_WIDTH = CHART.width - DRAWING_WIDTH;
/**
 * A chart's key: its SVG content, in its own coordinates (y as the drawing's), how tall it is, and
 * whether it is a legend of lines (then its <svg> is the legend's group: class, font and swatch width
 * said once, x 0 where the names begin) whose swatches are marker shapes (drawn MARK_STROKE wide, as
 * the plot's marks) rather than strokes.
 */
interface Key {
  svg: string;
  height: number;
  legend?: boolean;
  shapes?: boolean;
}
const PLOT_H = CHART.height - CHART.top - CHART.bottom;
/** Where a chart's plot lies across its drawing: its left edge and width, in pixels. */
interface PlotBox {
  left: number;
  width: number;
}
/** Layers per row of a histograms chart: three fit one column of the report's grid. */
const HISTOGRAMS_PER_ROW = 3;
/** The width of one layer's histogram and its labels, in the drawing's pixels: a row of three as wide as a chart's drawing (a phone's 390 px holds it at CHART_TEXT_MIN; 140 each did not). */
const HISTOGRAM_CELL_WIDTH = DRAWING_WIDTH / HISTOGRAMS_PER_ROW;
/** The drawing width of a histograms chart: always a full row, so its text is the same size for 2 layers as for 6. */
const HISTOGRAMS_WIDTH = HISTOGRAMS_PER_ROW * HISTOGRAM_CELL_WIDTH;
/** The font size of the charts' smallest text (tick labels, legends), in the drawing's pixels: the report's CSS sets it. */
export const CHART_FONT = 10;
/**
 * The least size, in CSS pixels, a chart's smallest text (CHART_FONT) is shown at: a drawing scales
 * with its column, and at a phone's 390 px a 560-wide one showed it at 6.2 px (Chromium, 2026-12-02).
 */
export const CHART_TEXT_MIN = 9;

/**
 * The report column's padding each side in a narrow window, in CSS pixels: report-html's STYLE pads
 * main with it there (twice it elsewhere), and NARROWEST_COLUMN leaves it out.
 */
export const NARROW_SIDE_PADDING = 7;
/**
 * The narrowest column, in CSS pixels, a chart's drawing fits without scrolling sideways: a 320 px
 * window's (the narrowest phones in use: iPhone SE 1st gen, small Androids, half a split screen)
 * less the report's side padding there (NARROW_SIDE_PADDING each side).
 */
export const NARROWEST_COLUMN = 320 - 2 * NARROW_SIDE_PADDING;
/**
 * The size, in the drawing's pixels, of a drawing's text (tick labels, legends, axis titles) in a
 * column narrower than the drawing at CHART_TEXT_MIN (drawingMinWidth(DRAWING_WIDTH), 351 px): large
 * enough to be CHART_TEXT_MIN in NARROWEST_COLUMN (11.5 px; CHART_FONT was shown at 7.8 px there, so
 * the drawing was held at 351 px and scrolled sideways in its box). Where the drawing places a label
 * by its width, it takes its width at this size, the largest it is shown at (placedTicks).
 */
export const NARROW_CHART_FONT = Math.ceil((10 * CHART_TEXT_MIN * DRAWING_WIDTH) / NARROWEST_COLUMN) / 10;

/**
 * The most size, in CSS pixels, a chart's smallest text (CHART_FONT) is shown at: near its design
 * size. A drawing filled its column: where the report's grid has one column (a window 1000–1257 px
 * wide) a 560-wide chart was 1021 px wide, its tick labels 18.2 px, and a histograms chart (420 wide)
 * in a 575 px column at 1400 px showed them at 13.7 px (Chromium, 2026-12-02).
 */
export const CHART_TEXT_MAX = 12;

/**
 * The narrowest, in CSS pixels, a drawing `width` wide is shown: where its smallest text, `font`
 * pixels of the drawing (CHART_FONT unless a narrow column enlarges it), is CHART_TEXT_MIN (a
 * narrower column scrolls it sideways).
 */
export function drawingMinWidth(width: number, font: number = CHART_FONT): number {
  return Math.ceil((width * CHART_TEXT_MIN) / font);
}

/** The widest, in CSS pixels, a drawing `width` wide is shown: where its smallest text is CHART_TEXT_MAX (a wider column leaves room beside it). */
export function drawingMaxWidth(width: number): number {
  return Math.floor((width * CHART_TEXT_MAX) / CHART_FONT);
}
/**
 * Columns of a legend line (displayWidth: a CJK character or an emoji takes two): 22 of its 10 px font's widest
 * lower-case letters (6.35 px: TICK_CHAR_BOUNDS) take 140 px of the key's 156 right of its swatch; a longer name is
 * wrapped between words.
 */
const LEGEND_CHARS = 22;
/** Pixels between the lines of one wrapped legend name. */
const LEGEND_LINE = 11;
/**
 * A line with at most this many points has a mark at each: its marker shape (markShape), which a longer
 * line without a step range has at this many (markedIndexes); a lone line named by its axis, a dot.
 */
const DOTTED_POINTS = 12;

/**
 * `text` as HTML text or a double-quoted attribute's value: & < > and " as entities. An apostrophe is
 * written as is: the report quotes every attribute with ", where ' means itself (its 553 &#39; were
 * 2.2 KB of npm start's report, 2026-12-06).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * The shortest decimal that is the same float32 as `v` (at most 9 significant digits): the precision
 * the WASM core computes in, and what the report writes its values with.
 */
export function float32Text(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const single = Math.fround(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(+single.toPrecision(digits));
    if (Math.fround(+text) === single) return text;
  }
  return String(+single.toPrecision(9));
}

/** One float32's bits, to step to its neighbour (float32Outward). */
const F32_BITS = new Float32Array(1);
const I32_BITS = new Int32Array(F32_BITS.buffer);

/**
 * `v` rounded to a float32 away from the range's inside (down for its low end, `up` for its high end) and
 * written as float32Text writes it: a range whose two ends differ in float64 but not in float32 (1 and
 * 1 + 1e-9) rounded to nearest had y0 = y1, and its line's points NaN pixels.
 */
function float32Outward(v: number, up: boolean): number {
  let f = Math.fround(v);
  if (up ? f < v : f > v) {
    if (f === 0) f = up ? 2 ** -149 : -(2 ** -149);
    else {
      F32_BITS[0] = f;
      I32_BITS[0] += (f > 0) === up ? 1 : -1;
      f = F32_BITS[0];
    }
  }
  return Number(float32Text(f));
}

/**
 * A legend number (a heatmap scale's, a histogram's range, a log axis' tick): up to 3 significant digits in
 * [0.01, 10⁴), trailing zeros dropped, else exponent form with 2 ('1.5e-5'). A row of axis ticks is written by
 * tickLabels. Not the prose's numberText (number-text.ts): a label sits in a chart's fixed slot beside its
 * neighbours, so it is kept short ('0.5', '2000', '1.5e-5' where prose says '0.500', '2.00e+3', '1.53e-5').
 */
export const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(1));

/**
 * The labels of one linear axis' ticks (ascending), each written as exactly as its neighbours need:
 * with the fewest decimals that write every tick exactly, but never fewer than tell two neighbours
 * apart nor more than two beyond that (a value between round ones is rounded there). Positional
 * where the largest is in [0.01, 10⁶), in groups of three digits from 10⁴ ('12,000 12,500'); else
 * one exponent, the mantissas' decimals alike ('1.20e6 1.25e6', '2.5e-3'); 0 is '0'; a lone tick
 * to at most 3 significant digits. fmt's three significant digits wrote every tick of a zoom into
 * steps 12,000–12,500 as '1.2e+4'. The report's script labels the step ticks it redraws with it
 * too. The neighbours' gap's power of ten is read with a little
 * slack: 2.3062 − 2.3061 is 9.99999999998e-5 in floats, which read exactly asked one decimal more ('2.30610').
 */
export function tickLabels(ticks: number[]): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  if (largest === 0) return ticks.map(() => '0');
  // The nearest two ticks.
  let gap = Infinity;
  for (let i = 1; i < ticks.length; i++) gap = Math.min(gap, Math.abs(ticks[i] - ticks[i - 1]));
  const positional = largest >= 0.01 && largest < 1e6;
  // Positional: decimals of the value; else of its mantissa, value ÷ 10^exponent.
  const exponent = positional ? 0 : Math.floor(Math.log10(largest));
  const scaled = ticks.map((t) => t / 10 ** exponent);
  // A lone tick has no neighbour to tell apart: at most 3 significant digits.
  const lone = !(gap > 0 && Number.isFinite(gap));
  const least = lone ? 0 : Math.max(0, exponent - Math.floor(Math.log10(gap) + 1e-9));
  const most = lone ? Math.max(0, exponent + 2 - Math.floor(Math.log10(largest))) : least + 2;
  const exact = (d: number) => scaled.every((v) => Math.abs(Math.round(v * 10 ** d) - v * 10 ** d) < 1e-6);
  let decimals = least;
  while (decimals < most && !exact(decimals)) decimals++;
  const grouped = (text: string) => {
    const [whole, fraction] = text.split('.');
    return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction === undefined ? '' : `.${fraction}`);
  };
  return scaled.map((v) => {
    if (v === 0) return '0';
    const text = v.toFixed(decimals);
    return positional ? (largest >= 1e4 ? grouped(text) : text) : `${text}e${exponent}`;
  });
}
/**
 * Decimals a coordinate of the drawing is written with: a tenth of a pixel, below what a screen shows at the drawing's
 * size. The one precision of the charts' coordinates (px), and of what is derived from it (scaleText).
 */
export const PIXEL_DECIMALS = 1;
/** A coordinate in the drawing's pixels, written to PIXEL_DECIMALS. */
const px = (v: number) => String(Math.round(v * 10 ** PIXEL_DECIMALS) / 10 ** PIXEL_DECIMALS);
/**
 * A scale factor of a transform, written with the fewest decimals that keep it within half of PIXEL_DECIMALS' step over
 * `span` units (the farthest any point it scales lies from its origin): 110 px over 41 bins is 2.683, not 2.68293.
 */
export function scaleText(scale: number, span: number): string {
  const within = (text: string) => Math.abs(Number(text) - scale) * span <= 10 ** -PIXEL_DECIMALS / 2;
  let decimals = 0;
  // toFixed takes up to 100 decimals; float64 holds 17 significant digits, so a scale past them is written as held.
  while (decimals < 17 && !within(scale.toFixed(decimals))) decimals++;
  return String(+scale.toFixed(decimals));
}

/**
 * The least and greatest finite values (with `log`, of log10 v over the v > 0), or undefined when
 * there are none. A loop, not Math.min(...values): a spread of ~125,000 values overflows the call stack.
 */
export function finiteRange(values: Iterable<number>, log = false): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && !(v > 0))) continue;
    const t = log ? Math.log10(v) : v;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  return lo > hi ? undefined : [lo, hi];
}

/** A chart axis' range: finiteRange widened to whole decades on a log axis, and never empty. */
function extent(values: number[], log: boolean): [number, number] {
  const range = finiteRange(values, log);
  if (range === undefined) return [0, 1];
  let [lo, hi] = range;
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  if (hi === lo) hi = lo + 1;
  return [lo, hi];
}

/**
 * A series name as legend lines of at most LEGEND_CHARS columns (displayWidth: a CJK character or an emoji two, a
 * combining mark none), broken between words; a word wider than a line is cut with "…" (the whole name is the legend's <title>).
 */
export function legendLines(name: string): string[] {
  const lines: string[] = [];
  for (const word of name.split(' ')) {
    // Measured and cut as a terminal shows the text, never inside a character: a cut inside an emoji drew half of it, a
    // line of CJK names counted by code point ran twice the key's width, and one of accents written as marks fitted fewer.
    const piece = cutToWidth(word, LEGEND_CHARS, '…');
    const last = lines.length - 1;
    if (last >= 0 && displayWidth(`${lines[last]} ${piece}`) <= LEGEND_CHARS) lines[last] += ` ${piece}`;
    else lines.push(piece);
  }
  return lines;
}

/**
 * The axis ticks of every linear chart axis (the report's script redraws zoomed step axes with it
 * too): the multiples within [lo, hi] of a round step, 1, 2, 2.5
 * or 5 × 10^k, chosen so there are about `count` of them; never a step below `minStep` (1 on a step
 * axis: no tick between two steps).
 */
export function niceTicks(lo: number, hi: number, count: number, minStep = 0): number[] {
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo] : [];
  const rough = (hi - lo) / Math.max(count - 1, 1);
  const decade = 10 ** Math.floor(Math.log10(rough));
  // Within rounding: (0.9 − 0.3) / 6 is a hair above 0.1, whose round step is 0.1 all the same;
  // a step that is no multiple of minStep (2.5 on a step axis) is passed over.
  const fits = (m: number) => m * decade >= rough * (1 - 1e-9) && (minStep === 0 || (m * decade) % minStep === 0);
  const step = Math.max(minStep, decade * ([1, 2, 2.5, 5, 10].find(fits) ?? 10));
  const ticks: number[] = [];
  // Rounded to 12 significant digits: 3 × 0.1 is 0.30000000000000004 in floating point.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/**
 * A log10 axis spanning at most this many decades is ticked at 2 and 5 × each power of ten too: one
 * decade labelled at its ends alone (0.1 and 1) left 0.178 and 0.48 unreadable (newuser49 #13). At 2
 * decades its ticks are 35 px apart at least; at 3 the grid crowds the lines (23 px).
 */
export const LOG_SUBTICK_DECADES = 2;

/**
 * The ticks of a log10 axis over the whole decades y0..y1 (log10 units): each power of ten, and where
 * it spans at most LOG_SUBTICK_DECADES, 2 and 5 × each between them (0.1, 0.2, 0.5, 1).
 */
export function logTicks(y0: number, y1: number): number[] {
  const ticks: number[] = [];
  const between = y1 - y0 <= LOG_SUBTICK_DECADES ? [1, 2, 5] : [1];
  for (let k = y0; k <= y1; k++) for (const m of k < y1 ? between : [1]) ticks.push(Number((m * 10 ** k).toPrecision(12)));
  return ticks;
}

/** A line chart as data (a report section's charts are these): one line per series. */
export interface LineChartData {
  /** Element id, unique in the page. */
  id: string;
  /** The chart's title. */
  title: string;
  /** Label of the x axis. */
  xLabel: string;
  /** Label of the y axis. */
  yLabel: string;
  /** A log10 y axis (non-positive values are left out of the line). Default false. */
  logY?: boolean;
  /** A log10 x axis, ticked at the data's x values (points with x ≤ 0 are left out). Default false. */
  logX?: boolean;
  /**
   * Names of the x positions 1, 2, …, n (the layers of a chart over layers, say): the x axis is
   * ticked with them instead of numbers, every name where they fit, else as many as fit, evenly
   * spaced, the first and the last included. Default: numbered ticks.
   */
  xNames?: string[];
  /** Each x name's whole name where the name is a short form of it (Trace.layerLabel's 'short'): the tick's <title>, as a heatmap's rowTitles. Default: none. */
  xTitles?: string[];
  /** x takes whole values only (epochs, steps): no tick between two. Default: true on a chart over steps (`time`), else false. */
  wholeX?: boolean;
  /**
   * A fixed range of a linear y axis, [low, high] (e.g. [0, 1] for a fraction): charts shown side by side read alike on it,
   * where each fitted to its own data put its floor elsewhere. Not with logY. Default: the data's range.
   */
  yRange?: [number, number];
  /** The lines, each a name and its points. */
  series: Series[];
  /**
   * Horizontal reference lines, each drawn dashed across the plot at its `y` with its `label` above
   * its right end (a bound the lines are read against: σ' ≤ 1/4 on the chain-rule chart); the y axis
   * spans them as it spans the lines (a fixed yRange does not: a guide outside it is not drawn). On a
   * log axis a guide's y is above 0. Default: none.
   */
  guides?: {
    /** Where the line is, in the y axis' units (above 0 on a log axis). */
    y: number;
    /** What it marks, written above its right end ("σ' ≤ 1/4"). */
    label: string;
  }[];
  /**
   * The series are layers (or residual blocks) of one network: series k is its layer `index[k]` (0
   * the first, nearest the input) of `count`, drawn in layerColor(index[k], count), so the colours run in the layers'
   * order and a layer has one colour in every chart of its run. When the legend's column cannot list
   * them all, it is a bar of their colours instead, first layer at the bottom, labelled with as many
   * names as fit (the first and the last among them; each band names its layer on hover). Default:
   * unordered series, coloured from SERIES_COLORS.
   */
  layers?: {
    /** Each series' layer, 0 the first (nearest the input), in series order. */
    index: number[];
    /** The network's layers (or blocks) in all, drawn or not: the scale spans them. */
    count: number;
  };
}

/** Options of lineChart: the chart's data, and how the report draws a trace's charts over training. */
export interface LineChartOptions extends LineChartData {
  /** x is the training step: the step range can be selected. Default false. */
  time?: boolean;
  /** How to read the chart, in plain words after its title (a run's own numbers: depthAndStepsNotes). Default: none. */
  note?: string;
}

/**
 * A line chart; points with a non-finite (or, on a log axis, non-positive) value are left out of its
 * line: ±∞ and a 0 on a log axis are marked by a bar at the plot's top or floor (offAxisEdge), the line
 * reaching to it and from it dashed (from one such value to the next too: a run of zeros is dashed
 * along the floor), the key saying what a bar stands for, and NaN is a gap (the line stops and starts again). A legend names the lines, except a lone line whose name is the y axis' label.
 * Each line the legend names is marked with a shape of its own (markShape: an unordered series' by its
 * order, a layer's by its layer), the key's swatch that shape: at each point of a line of up to
 * DOTTED_POINTS, else at DOTTED_POINTS of them, or on a chart over steps (`time`) at MARKS_OVER_STEPS,
 * spread out and staggered from line to line (markedIndexes); a line that lies within COINCIDENT_PX of
 * one drawn over it, which draws each bar it draws at an edge, is named in the key "(under <that one>)".
 */
export function lineChart(o: LineChartOptions): string {
  const log = o.logY ?? false;
  const logX = o.logX ?? false;
  const tx = (x: number) => (logX ? Math.log10(x) : x);
  const keptX = (x: number) => Number.isFinite(x) && (!logX || x > 0);
  const allX = o.series.flatMap((s) => Array.from(s.xs)).filter(keptX);
  const [x0, x1] = extent(allX.map(tx), false);
  // At the values' own precision (float32Text), as its data-y0 and data-y1 write it: a loss axis wrote '3.0166224520355462'.
  // Rounded outward, so the range still holds every value; a given yRange of one value is widened after rounding, as extent widens the data's.
  const [lo, hi] = o.yRange ?? extent([...o.series.flatMap((s) => Array.from(s.ys)), ...(o.guides ?? []).map((g) => g.y)], log);
  const y0 = float32Outward(lo, false);
  const top = float32Outward(hi, true);
  const y1 = top === y0 ? y0 + 1 : top;
  const py = (y: number) => PLOT_H - (((log ? Math.log10(y) : y) - y0) / (y1 - y0)) * PLOT_H;
  const outer: string[] = [];
  const grid: string[] = [];
  const candidates = log ? logTicks(y0, y1) : niceTicks(y0, y1, 5);
  // A log axis over many decades (1e-42 … 1 has 43) is labelled every second, third … decade, a line of the tick font apart at least.
  const ticks = thinnedTicks(candidates.map((t) => -py(t)), candidates.map(() => TICK_LINE), 0, false).map((i) => candidates[i]);
  // Powers of ten alone as such ('1e-3'); ticks between them as numbers ('0.2'), their decades' too.
  const labels = !log ? tickLabels(ticks) : y1 - y0 <= LOG_SUBTICK_DECADES ? ticks.map(fmt) : ticks.map((t) => `1e${Math.round(Math.log10(t))}`);
  // The plot starts right of the widest y label ('1,250,000' is wider than the 64 px margin leaves beside the y-axis title).
  const left = CHART.left + yLabelRoom(labels);
  const box: PlotBox = { left, width: CHART.width - CHART.right - left };
  const yLabels = ticks.map((t, i) => {
    const y = CHART.top + py(t);
    grid.push(`M${box.left} ${px(y)}h${box.width}`);
    return { y: px(y + 4), text: labels[i] };
  });
  outer.push(yTickColumn(box.left - TICK_LABEL_GAP, yLabels));
  outer.push(`<path class="grid" d="${grid.join('')}"/>`);
  const xs = [...new Set(allX)].sort((a, b) => a - b);
  if (o.xNames) outer.push(nameTicks(box, o.xNames, x0, x1, o.xTitles));
  else if (logX) outer.push(xTicks(box, xs.slice(0, 12), x0, x1, true, tx));
  else outer.push(xs.length <= 12 ? xTicks(box, xs, x0, x1, true) : xTicks(box, niceTicks(x0, x1, 6, (o.wholeX ?? o.time) ? 1 : 0), x0, x1, false));
  const colors = seriesColors(o);
  // A lone line named as its y axis (a run's loss, accuracy, learning rate) has no legend: the axis and the caption name it (32 such entries were ~3.7 KB of the main report).
  const namedByAxis = o.series.length === 1 && o.series[0].name === o.yLabel;
  // Every line a legend names takes a marker shape (markShape): the k-th unordered series the k-th, a network's layer its layer's, so a
  // layer has one shape in every chart of its run, as it has one colour. Drawn in the drawing's pixels over the plot; on a chart over
  // steps the report's script redraws them when a zoom stretches the plot's x (they are one path per line there, in line order).
  const markIndex = (k: number) => (o.layers ? o.layers.index[k] : k);
  const shapes = namedByAxis ? undefined : o.series.map((_, k) => markShape(markIndex(k)));
  // Past the ten shapes, the next ten are the same filled (markFilled): 20 layers in a row told apart by their marks.
  const filled = o.series.map((_, k) => markFilled(markIndex(k)));
  const marksPerLine = o.time ? MARKS_OVER_STEPS : DOTTED_POINTS;
  const pixelX = (x: number) => box.left + ((tx(x) - x0) / (x1 - x0 || 1)) * box.width;
  // Each line's points in the drawing's pixels: which line lies on which (hiddenUnder).
  const lines: PixelPoint[][] = [];
  // Each line's bars at an edge ('floor 50'): a line whose bar shows is not hidden under another's line (hiddenUnder).
  const edgeMarks: string[][] = [];
  const marks: string[] = [];
  // The edges where some value is marked (offAxisEdge), and whether one marked on the floor is below 0.
  const edges = new Set<OffAxisEdge>();
  let negative = false;
  const inner = o.series.map((s, k) => {
    const points: string[] = [];
    const pixels: PixelPoint[] = [];
    // The line's stretches between gaps (a NaN) and values at an edge, each a path (linePath): its points' x as written, y in pixels.
    const runs: [string, number][][] = [[]];
    // Dashed reaches wherever a step of the line has an end at an edge: from a drawn point down (or up) to a value marked
    // there (its bar), along the edge through a run of such values (a layer whose gradient stays 0 for 40 steps is 0
    // at each of them, not once), and back to the next drawn point; each continuing the one before where it starts at its end.
    const reaches: string[] = [];
    let reachEnd: string | undefined;
    const reach = (from: string, to: string) => {
      reaches.push(from === reachEnd ? `L${to}` : `M${from}L${to}`);
      reachEnd = to;
    };
    const offs: { edge: OffAxisEdge; x: number }[] = [];
    // Its drawn points and its values at an edge, x ascending, in the drawing's pixels: where its marks may go.
    const markable: PixelPoint[] = [];
    let below = false;
    // The point before, in the plot's units (on the edge where it is marked, if it is), undefined after a gap.
    let previous: { at: string; edge?: OffAxisEdge } | undefined;
    for (let i = 0; i < s.xs.length; i++) {
      const y = s.ys[i];
      if (!keptX(s.xs[i])) continue;
      const x = logX ? float32Text(tx(s.xs[i])) : String(s.xs[i]);
      const edge = offAxisEdge(y, log);
      if (edge) {
        offs.push({ edge, x: s.xs[i] });
        edges.add(edge);
        below ||= y < 0;
        markable.push({ x: pixelX(s.xs[i]), y: OFF_AXIS_Y[edge] });
        const onEdge = `${x},${OFF_AXIS_EDGE_Y[edge]}`;
        if (previous) reach(previous.at, onEdge);
        previous = { at: onEdge, edge };
        runs.push([]);
        continue;
      }
      if (!(Number.isFinite(y) && (!log || y > 0))) {
        // NaN: no value, a gap in the line.
        previous = undefined;
        runs.push([]);
        continue;
      }
      const at = `${x},${Math.round(py(y))}`;
      if (previous?.edge) reach(previous.at, at);
      previous = { at };
      points.push(at);
      runs.at(-1)!.push([x, Math.round(py(y))]);
      const pixel = { x: pixelX(s.xs[i]), y: CHART.top + Math.round(py(y)) };
      pixels.push(pixel);
      markable.push(pixel);
    }
    lines.push(pixels);
    edgeMarks.push(offs.map((p) => `${p.edge} ${p.x}`));
    negative ||= below;
    // Its shape at up to marksPerLine of its points (markedIndexes), its values at an edge among them, where their bars are: a reader who
    // cannot tell colours apart tells whose line and whose bar it is. On a chart over steps every line has a path (empty or not) for the script.
    if (shapes && (o.time || markable.length > 0)) marks.push(`<path class="mark" d="${markPath(markable, shapes[k], marksPerLine, k, o.series.length)}" ${markPaint(colors[k], filled[k])}/>`);
    const dots = points.length <= DOTTED_POINTS && !shapes ? `<path class="dots" d="${points.map((p) => `M${p}h0`).join('')}" stroke="${colors[k]}"/>` : '';
    const polylines = runs.filter((run) => run.length > 0).map((run) => `<path d="${linePath(run)}" stroke="${colors[k]}"/>`);
    const dashed = reaches.length === 0 ? '' : `<path class="reach" d="${reaches.join('')}" stroke="${colors[k]}"/>`;
    // Each value at an edge a bar from it inwards, in the plot (x in its units; y in pixels, so a zoom leaves the bar's length be).
    const bars = offs.length === 0 ? '' : `<path class="off" d="${offs.map((p) => `M${logX ? float32Text(tx(p.x)) : p.x},${OFF_AXIS_BAR[p.edge]}`).join('')}" stroke="${colors[k]}"/>`;
    const layer = o.layers ? ` data-layer="${o.layers.index[k]}"` : '';
    // Its name once, as its <title>: the line's accessible name and tooltip (a data-name beside it said it again, ~5 KB of the main report),
    // with where it has values at an edge ('plain-sigmoid: 0 at 50').
    const title = offs.length === 0 ? s.name : `${s.name}: ${offsText(offs, log, below)}`;
    return `<g class="series"${layer}><title>${escapeHtml(title)}</title>${polylines.join('')}${dashed}${dots}${bars}</g>`;
  });
  // A guide off the axis (outside a given yRange) is not drawn: at the plot's edge it would say a value it does not have. Its label
  // goes where no line's point is (guideLine).
  for (const g of o.guides ?? []) if (py(g.y) >= 0 && py(g.y) <= PLOT_H) outer.push(guideLine(box, CHART.top + py(g.y), g, lines.flat()));
  // A line drawn under another, within COINCIDENT_PX of it everywhere, is named in the key with the line that hides it.
  // On a chart over steps the report's zoom stretches x only: the lines' vertical distance at each step, what hiddenUnder
  // measures, stays as drawn here, but a stub of the hidden line past the other's ends grows with the zoom, so there it has none.
  const under = hiddenUnder(lines, edgeMarks, o.time ? 0 : COINCIDENT_PX);
  const names = o.series.map((s, k) => (under[k] < 0 ? s.name : `${s.name} (under ${o.series[under[k]].name})`));
  const seriesKey = namedByAxis ? undefined : o.layers && !legendFits(o.series) ? layerBar(o.series.map((s) => s.name), o.layers.index, colors, shapes!, filled) : legend(names, colors, shapes, filled);
  // Below the names, what the bars at an edge stand for.
  const key = edges.size === 0 ? seriesKey : withOffAxisKey(seriesKey, [...edges].map((edge) => offAxisWords(edge, log, y0, negative)));
  const axes = ` data-y0="${y0}" data-y1="${y1}"${log ? ' data-log' : ''}${logX ? ' data-logx' : ''}`;
  return frame(o, box, outer.join(''), plot(box, x0, x1, inner.join(''), o.time ?? false, axes) + marks.join(''), 'line', key);
}

/**
 * A guide (LineChartData.guides) at height `y` of the drawing across `box`: a dashed line, and its label in the y ticks'
 * font where guideLabelPlace puts it, clear of `points` (the lines' points, drawing pixels); the group's data-value is its
 * y, for whoever reads it back. The label is placed by its box at the largest size it is shown at (NARROW_CHART_FONT, as
 * placedTicks places the ticks), which holds its box at CHART_FONT too: both grow from the same anchor and baseline.
 */
function guideLine(box: PlotBox, y: number, g: { y: number; label: string }, points: readonly PixelPoint[]): string {
  const { x, baseline, end } = guideLabelPlace(box, y, (tickTextWidth(g.label) * NARROW_CHART_FONT) / CHART_FONT, NARROW_CHART_FONT, points);
  return `<g class="guide" data-value="${float32Text(g.y)}"><path d="M${box.left} ${px(y)}h${box.width}"/><text class="tick${end ? ' y' : ''}" x="${px(x)}" y="${px(baseline)}">${escapeHtml(g.label)}</text></g>`;
}

/** How far, in the drawing's pixels, a guide's label keeps from a line's point: a mark's reach (MARK_SHAPES draw 4 px about it) and its stroke. */
const GUIDE_LABEL_CLEARANCE = 5;
/** How far a guide's label stands off its line and off the plot's side, in the drawing's pixels. */
const GUIDE_LABEL_GAP = 3;

/**
 * Where a guide's label of `width` × `font` pixels goes beside its line at height `y` across `box`: above the line's right end
 * (right-aligned, `end`), else below it, else above, else below its left end, the first of these whose box keeps
 * GUIDE_LABEL_CLEARANCE from every one of `points`; where none does, the one with the fewest points in it (chart49: above the
 * right end alone, the label could sit on a series' point). `x` is the text's anchor, `baseline` its baseline. A box below the
 * line hangs `font` below it: placed at CHART_FONT, a narrow column's larger label crossed its line (review50 #7).
 */
function guideLabelPlace(box: PlotBox, y: number, width: number, font: number, points: readonly PixelPoint[]): { x: number; baseline: number; end: boolean } {
  const right = box.left + box.width - GUIDE_LABEL_GAP;
  const left = box.left + GUIDE_LABEL_GAP;
  const places = [
    { x: right, baseline: y - GUIDE_LABEL_GAP, end: true },
    { x: right, baseline: y + GUIDE_LABEL_GAP + font, end: true },
    { x: left, baseline: y - GUIDE_LABEL_GAP, end: false },
    { x: left, baseline: y + GUIDE_LABEL_GAP + font, end: false },
  ];
  const covered = ({ x, baseline, end }: (typeof places)[number]) => {
    const [x0, x1] = end ? [x - width, x] : [x, x + width];
    const reach = GUIDE_LABEL_CLEARANCE;
    return points.filter((p) => p.x >= x0 - reach && p.x <= x1 + reach && p.y >= baseline - font - reach && p.y <= baseline + reach).length;
  };
  const counts = places.map(covered);
  return places[counts.indexOf(Math.min(...counts))];
}

/** Numbers of a path, apart: a space between two, none before a minus sign ('10 18-3'). */
const pathNumbers = (values: (string | number)[]) => values.join(' ').replace(/ -/g, '-');

/**
 * The d of a line (a path without a class in a series' group) through `points` (x as written, in the plot's
 * units; y in whole pixels): where every x is whole (steps, epochs), its first point and then each step
 * from the point before ('M1 126l10 18 10 18 11 16', the main report's lines 30 % shorter than as
 * absolute points: 12 KB, 2026-12-03); else its points ('M0.30103 92L1 223', log10 x). A lone point
 * between gaps is a step of nothing ('M7 232l0 0'), which its round caps draw as a dot.
 */
function linePath(points: [string, number][]): string {
  const [first, ...rest] = points;
  const start = `M${pathNumbers(first)}`;
  if (rest.length === 0) return `${start}l0 0`;
  if (!points.every(([x]) => Number.isInteger(Number(x)))) return `${start}L${pathNumbers(rest.flat())}`;
  return `${start}l${pathNumbers(rest.flatMap(([x, y], i) => [Number(x) - Number(points[i][0]), y - points[i][1]]))}`;
}

/**
 * A line's points from the d linePath wrote: x in the plot's units, y in pixels, a lone point once (its
 * 'l0 0' a dot, no second point). The report's script reads a zoomed line back with it, and the tests
 * read the drawn lines with it.
 */
export function linePoints(d: string): { x: number; y: number }[] {
  const relative = d.includes('l');
  const values = (d.match(/-?[\d.]+(?:e[-+]?\d+)?/g) ?? []).map(Number);
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < values.length; i += 2) {
    const last = points[points.length - 1];
    points.push(relative && last ? { x: last.x + values[i], y: last.y + values[i + 1] } : { x: values[i], y: values[i + 1] });
  }
  return points.length === 2 && relative && values[2] === 0 && values[3] === 0 ? points.slice(0, 1) : points;
}

/** Each edge of a plot, in the plot's pixels: where a value at it is marked, its bar starting there and its line reaching to it dashed. */
const OFF_AXIS_EDGE_Y: Record<OffAxisEdge, number> = { floor: PLOT_H, top: 0 };
/** Where a bar at each edge of a plot starts and runs, in the plot's pixels (path commands after its x): OFF_AXIS_MARK inwards from the edge. */
const OFF_AXIS_BAR: Record<OffAxisEdge, string> = { floor: `${OFF_AXIS_EDGE_Y.floor}v-${OFF_AXIS_MARK}`, top: `${OFF_AXIS_EDGE_Y.top}v${OFF_AXIS_MARK}` };
/** Where a series' shape marks a value at each edge, in the drawing's pixels: on the edge. */
const OFF_AXIS_Y: Record<OffAxisEdge, number> = { floor: CHART.top + OFF_AXIS_EDGE_Y.floor, top: CHART.top + OFF_AXIS_EDGE_Y.top };
/** Values of a series at an edge, for its title: where each is, up to three ('0 at 50'), else how many ('0 at 40 points'). */
function offsText(offs: { edge: OffAxisEdge; x: number }[], log: boolean, negative: boolean): string {
  return [...new Set(offs.map((p) => p.edge))]
    .map((edge) => {
      const xs = offs.filter((p) => p.edge === edge).map((p) => p.x);
      return `${offAxisValue(edge, log, negative)} at ${xs.length <= 3 ? xs.map(float32Text).join(', ') : `${xs.length} points`}`;
    })
    .join('; ');
}

/**
 * A chart's key with an entry for each of `words` below it (a key of its own where the chart has
 * none): the bar's glyph in the swatch column, grey, and the words; in a group of their own
 * (class off-axis), apart from the series' names.
 */
function withOffAxisKey(key: Key | undefined, words: string[]): Key {
  let y = key?.height ?? CHART.top;
  const entries = words.map((w) => {
    const text = legendText(w, y + 9);
    const glyph = `<path class="off" d="M${LEGEND_ENTRY.swatch / 2 - LEGEND_TEXT_X} ${y}v${LEGEND_ENTRY.swatch}" stroke="#666"/>`;
    y += LEGEND_ENTRY.pitch + LEGEND_LINE * (text.lines - 1);
    return glyph + text.svg;
  });
  // A legend's x 0 is where names begin; another key's (a layer bar's) is its left edge.
  const shift = key === undefined || key.legend ? '' : ` transform="translate(${LEGEND_TEXT_X} 0)"`;
  return { svg: `${key?.svg ?? ''}<g class="off-axis legend"${shift}>${entries.join('')}</g>`, height: y, legend: key === undefined || key.legend, shapes: key?.shapes };
}

/** Each series' colour: its layer's on the layer scale (LineChartData.layers), else the k-th of SERIES_COLORS, cycling. */
function seriesColors(o: LineChartData): string[] {
  if (!o.layers) return o.series.map((_, k) => SERIES_COLORS[k % SERIES_COLORS.length]);
  const { index, count } = o.layers;
  if (!Array.isArray(index) || index.length !== o.series.length) {
    throw invalidOption(`chart '${o.id}': layers.index must give a layer for each of its ${o.series.length} series, got ${shown(index)}`);
  }
  return index.map((layer) => layerColor(layer, count));
}

/** The legend's column: from the plot's top to just above the drawing's bottom edge, in pixels. */
const LEGEND_BOTTOM = CHART.height - 4;
/** Pixels from one legend entry to the next, and the height of its swatch. */
const LEGEND_ENTRY = { pitch: 16, swatch: 10 } as const;
/** Where a legend's names begin in its key, right of their swatches (at the key's left edge): its x 0, so that a name writes no x. */
const LEGEND_TEXT_X = 14;

/** Whether a swatch and a name for each series fit in the legend's column, wrapped names included. */
function legendFits(series: Series[]): boolean {
  let y = CHART.top;
  for (const s of series) y += LEGEND_ENTRY.pitch + LEGEND_LINE * (legendLines(s.name).length - 1);
  return y - LEGEND_ENTRY.pitch + LEGEND_ENTRY.swatch <= LEGEND_BOTTOM;
}

/**
 * A swatch and a name per series, top to bottom, each name wrapped as legendLines does. The key's
 * <svg class="key legend"> says the names' font, the swatches' stroke width and where the names begin
 * (x 0) once, so an entry writes only its y and its colour: a swatch is a stroke LEGEND_TEXT_X left of
 * its name (186 entries wrote x, size and class each, ~9 KB of the main report), or, for series
 * drawn with a marker shape (`shapes`), that shape in its colour, centred in the strokes' place.
 */
function legend(names: string[], colors: string[], shapes?: string[], filled: boolean[] = []): Key {
  let y = CHART.top;
  const entries = names.map((name, k) => {
    const text = legendText(name, y + 9);
    const middle = y + LEGEND_ENTRY.swatch / 2;
    const swatch = shapes
      ? `<path d="M${LEGEND_ENTRY.swatch / 2 - LEGEND_TEXT_X} ${middle}${shapes[k]}" ${markPaint(colors[k], filled[k] ?? false)}/>`
      : `<path d="M${-LEGEND_TEXT_X} ${middle}h${LEGEND_ENTRY.swatch}" stroke="${colors[k]}"/>`;
    y += LEGEND_ENTRY.pitch + LEGEND_LINE * (text.lines - 1);
    return swatch + text.svg;
  });
  return { svg: entries.join(''), height: y, legend: true, shapes: shapes !== undefined };
}

/**
 * A legend name as a <text> at y (x 0: its group places it) and how many lines it took: as is when
 * it fits one line, else wrapped by legendLines, its whole text the <title>. Its font is its group's
 * (class="legend").
 */
function legendText(name: string, y: number): { svg: string; lines: number } {
  const lines = legendLines(name);
  const label =
    lines.length === 1 && lines[0] === name
      ? escapeHtml(name)
      : `<title>${escapeHtml(name)}</title>${lines.map((line, i) => `<tspan x="0" dy="${i === 0 ? 0 : LEGEND_LINE}">${escapeHtml(line)}</tspan>`).join('')}`;
  return { svg: `<text y="${y}">${label}</text>`, lines: lines.length };
}

/** Pixels between the names on a layer bar: a line of the legend's 10 px font and a little room. */
const LAYER_BAR_PITCH = 12;

/**
 * The legend of more layers than its column lists: a band of each layer's colour, the first layer
 * at the bottom (as the heatmaps place it), over the plot's height; the name of every band, or of
 * every second, third … so they are LAYER_BAR_PITCH apart at least, the first and the last among them,
 * each cut to the key's edge (fittedText) after its line's marker shape (`shapes`), in the key's coordinates (the bands at its left edge).
 * Each band names its layer in its <title> and carries data-layer.
 */
function layerBar(names: string[], index: number[], colors: string[], shapes: string[], filled: boolean[]): Key {
  const order = index.map((layer, k) => ({ layer, k })).sort((a, b) => a.layer - b.layer);
  const n = order.length;
  const band = PLOT_H / n;
  const top = (i: number) => CHART.top + (n - 1 - i) * band;
  const bands = order.map(({ layer, k }, i) => `<rect y="${px(top(i))}" width="${SCALE_BAR.width}" height="${px(band)}" fill="${colors[k]}" data-layer="${layer}"><title>${escapeHtml(names[k])}</title></rect>`);
  // Every stride-th band named, the first among them, and the last, for which the one before it gives way when too near.
  const stride = Math.ceil(LAYER_BAR_PITCH / band);
  const named = order.map((_, i) => i).filter((i) => i % stride === 0);
  if (named.at(-1) !== n - 1) {
    if ((n - 1 - named.at(-1)!) * band < LAYER_BAR_PITCH && named.length > 1) named.pop();
    named.push(n - 1);
  }
  // Each named band's marker shape (its line's, in its colour) between the band and its name.
  const shapeX = SCALE_BAR.width + 10;
  const textX = shapeX + 8;
  const labels = named.map((i) => {
    const { k } = order[i];
    const text = fittedText(names[k], KEY_WIDTH - textX - 2);
    const middle = px(top(i) + band / 2);
    const shape = `<path class="mark" d="M${shapeX} ${middle}${shapes[k]}" ${markPaint(colors[k], filled[k])}/>`;
    return `${shape}<text x="${textX}" y="${px(top(i) + band / 2 + 3.5)}" class="legend">${text === names[k] ? '' : `<title>${escapeHtml(names[k])}</title>`}${escapeHtml(text)}</text>`;
  });
  // Where two of its lines share a mark (layers MARK_VARIANTS apart), the key says so under the bar.
  const shared = new Set(index.map((layer) => layer % MARK_VARIANTS)).size < new Set(index).size;
  const repeat = shared ? legendText(MARKS_REPEAT_WORDS, CHART.top + PLOT_H + 14) : undefined;
  const note = repeat ? `<g class="legend">${repeat.svg}</g>` : '';
  const height = CHART.top + PLOT_H + (repeat ? 18 + LEGEND_LINE * (repeat.lines - 1) : 0);
  return { svg: `<g class="layer-bar">${bands.join('')}${labels.join('')}</g>${note}`, height };
}

/** A marker shape's paint: its outline in `color`, filled with it too where `filled` (markFilled: the second ten of every twenty). */
const markPaint = (color: string, filled: boolean) => `stroke="${color}"${filled ? ` style="fill:${color}"` : ''}`;

/** Options of barChart: one horizontal bar per row, its length a value on a log10 axis. */
export interface BarChartOptions {
  id: string;
  title: string;
  /** Label of the value axis. */
  xLabel: string;
  /** The values the axis is ticked at (e.g. every depth run); the axis spans them. */
  ticks: number[];
  /** One bar per row, top to bottom: its label and value (null: no bar; its `none` text, default "none", is written instead). */
  bars: { label: string; value: number | null; none?: string }[];
}

/** Rows of a bar chart, in pixels. */
const BAR_ROW = 18;

/** Horizontal bars on a log10 axis, one per labelled row: how far each row reaches (e.g. the deepest trainable depth). */
export function barChart(o: BarChartOptions): string {
  const [x0, x1] = extent(o.ticks.map(Math.log10), false);
  // The bars start a quarter of the axis left of the first tick, so a bar that reaches only it still shows.
  const start = x0 - 0.25 * (x1 - x0 || 1);
  // Room for the longest label at the tick font, to the whole pixel (every x below is written from it: 96.20000000000002
  // was); no legend on the right.
  const left = Math.max(CHART.left, Math.ceil(12 + Math.max(0, ...o.bars.map((b) => tickTextWidth(b.label)))));
  const width = DRAWING_WIDTH - left - 24;
  const height = o.bars.length * BAR_ROW;
  const H = CHART.top + height + CHART.bottom;
  const at = (v: number) => left + ((Math.log10(v) - start) / (x1 - start || 1)) * width;
  const parts: string[] = [];
  const grid = o.ticks.map((t) => `M${px(at(t))} ${CHART.top}v${height}`).join('');
  parts.push(`<path class="grid" d="${grid}"/>`);
  o.bars.forEach((bar, i) => {
    const y = CHART.top + i * BAR_ROW;
    parts.push(`<text x="${left - 6}" y="${y + 13}" class="tick y">${escapeHtml(bar.label)}</text>`);
    if (bar.value === null || !(bar.value > 0)) parts.push(`<text x="${left + 4}" y="${y + 13}" class="legend">${escapeHtml(bar.none ?? 'none')}</text>`);
    else parts.push(`<rect class="bar" x="${left}" y="${y + 3}" width="${px(at(bar.value) - left)}" height="${BAR_ROW - 6}" fill="${SERIES_COLORS[0]}" data-value="${float32Text(bar.value)}"><title>${escapeHtml(`${bar.label}: ${bar.value}`)}</title></rect>`);
  });
  parts.push(xTickRow(o.ticks.map((t) => ({ x: at(t), label: fmt(t) })), CHART.top + height + 16, true));
  parts.push(`<path class="axes" d="M${left} ${CHART.top}V${CHART.top + height}h${width}"/>`);
  parts.push(`<text x="${left + width / 2}" y="${H - 6}" class="axis">${escapeHtml(o.xLabel)}</text>`);
  return `<figure class="chart" id="${escapeHtml(o.id)}" data-kind="bars"><figcaption>${escapeHtml(unbrokenPercents(o.title))}</figcaption><svg viewBox="0 0 ${DRAWING_WIDTH} ${H}">${parts.join('')}</svg></figure>`;
}

export interface HeatmapOptions {
  id: string;
  /** The element id of its colour scale's gradient, unique in the page as `id` is. Default `<id>-scale`. */
  scaleId?: string;
  title: string;
  yLabel: string;
  /** Each row's label, from the bottom row up; one wider than the margin is cut with "…". */
  rowLabels: string[];
  /** Each row's whole name where its label is a short form of it (Trace.layerLabel's 'short'): the label's <title>. Default: a label cut short carries its own whole text. */
  rowTitles?: string[];
  /** The training step of each column: its left edge, the column spanning the steps up to the next one's. */
  steps: ArrayLike<number>;
  /**
   * Where the last column ends: the step after the last one it stands for (the run's last step + 1, where the run ended
   * before the next record would have been taken). Drawn as wide as the one before it, a final record off the every-k grid
   * (study (b)'s step 900 after 856) spanned to step 944, 43 steps the run never took.
   */
  end: number;
  /**
   * values[row][col], coloured on heatmapScale of the finite values' range; −∞ (the log of a 0) in HEATMAP_ZERO's
   * colour, below the scale, and NaN or +∞ grey (HEATMAP_NO_VALUE): the legend names both.
   */
  values: number[][];
  /** How to read the chart, in plain words after its title. Default: none. */
  note?: string;
}

function* cellsOf(values: number[][]): Generator<number> {
  for (const row of values) yield* row;
}

/** A rows × steps heatmap (first row at the bottom: layerRowFromTop) with a colour scale; its step range can be selected. */
export function heatmap(o: HeatmapOptions): string {
  const rows = o.values.length;
  const cols = o.steps.length;
  const range = finiteRange(cellsOf(o.values));
  // No scale where no value is finite: then every cell is one of the two colours off it.
  const scale = range && heatmapScale(...range);
  const color = (v: number) => (Number.isFinite(v) && scale ? heatmapColor((v - scale.lo) / (scale.hi - scale.lo)) : v === -Infinity ? HEATMAP_ZERO : HEATMAP_NO_VALUE);
  // Column c spans [steps[c], steps[c + 1]); the last one up to o.end.
  const edge = (c: number) => (c < cols ? o.steps[c] : o.end);
  const x0 = cols > 0 ? o.steps[0] : 0;
  const x1 = cols > 0 ? edge(cols) : 1;
  const ch = PLOT_H / Math.max(rows, 1);
  const labels = o.rowLabels.map((label) => fittedText(label, ROW_LABEL_WIDTH_MAX));
  const left = CHART.left + yLabelRoom(labels);
  const box = { left, width: CHART.width - CHART.right - left };
  const outer: string[] = [];
  const inner: string[] = [];
  const key: string[] = [];
  const rowLabels = o.values.map((row, r) => {
    const y = layerRowFromTop(r, rows) * ch;
    // A row per layer (data-row), its group placed at the row's top and scaled to its height: its cells are 1 high.
    inner.push(`<g class="row" data-row="${r}" transform="translate(0 ${px(y)}) scale(1 ${px(ch)})">${cellRuns(row.map(color), edge)}</g>`);
    // A label cut short, or a short form of a longer name, carries the whole name as its <title>.
    return { y: px(CHART.top + y + ch / 2 + 4), text: `${wholeNameTitle(labels[r], o.rowTitles?.[r] ?? o.rowLabels[r])}${escapeHtml(labels[r])}` };
  });
  outer.push(yTickColumn(px(left - TICK_LABEL_GAP), rowLabels));
  // Ticks up to the last traced step (a column's left edge is its step): x1 is past it, where no step was.
  outer.push(xTicks(box, cols > 0 ? niceTicks(x0, o.steps[cols - 1], 6, 1) : [], x0, x1, false));
  // The key: the scale as a bar, its largest value on top; then what the two colours off the scale mean.
  if (scale) key.push(scaleBar(o.scaleId ?? `${o.id}-scale`, scale));
  let y = CHART.top + (scale ? SCALE_BAR.height + SCALE_BAR.gap : 0);
  const offScale: string[] = [];
  for (const { color, label } of HEATMAP_OFF_SCALE) {
    const text = legendText(label, y + 11);
    key.push(`<rect y="${y}" width="${SCALE_BAR.width}" height="14" fill="${color}"/>`);
    offScale.push(text.svg);
    y += 20 + LEGEND_LINE * (text.lines - 1);
  }
  key.push(`<g class="legend" transform="translate(${SCALE_BAR.width + 6} 0)">${offScale.join('')}</g>`);
  // Its last traced step, which the report's script ticks a zoom up to, as this draws them.
  const last = cols > 0 ? ` data-last="${o.steps[cols - 1]}"` : '';
  return frame({ ...o, xLabel: 'step' }, box, outer.join(''), plot(box, x0, x1, inner.join(''), true, last), 'heatmap', { svg: key.join(''), height: y });
}

/**
 * A heatmap row's cells, their colours `colors` in step order (column c spans edge(c) to edge(c + 1)), in the row's
 * group (scaled to the row's height, so a cell is 1 high): a path per colour, filled with it, each run of neighbouring
 * cells of that colour one box `M<its first step> 0h<its steps>v1H<its first step>`, so a column's colour is the box over
 * its step. Written a <rect> each, npm start's 716 cells were 38 KB of its report; as runs, 11 KB (2026-12-06). Filled,
 * not stroked: a stroke as wide as the row widened the plot's bounding box (getBoundingClientRect, which the report's
 * script reads a dragged step from) by half the row's height in steps each side.
 */
function cellRuns(colors: string[], edge: (c: number) => number): string {
  const runs = new Map<string, string>();
  for (let c = 0; c < colors.length; ) {
    let n = 1;
    while (c + n < colors.length && colors[c + n] === colors[c]) n++;
    runs.set(colors[c], `${runs.get(colors[c]) ?? ''}M${edge(c)} 0h${edge(c + n) - edge(c)}v1H${edge(c)}`);
    c += n;
  }
  return Array.from(runs, ([color, d]) => `<path fill="${color}" d="${d}"/>`).join('');
}

/**
 * A chart's y labels (tick values, a heatmap's row names), right-aligned at `x`: one group carries
 * their class and their x (translate), so each label writes only its y and its text (`text`: markup).
 */
function yTickColumn(x: number | string, labels: { y: number | string; text: string }[]): string {
  return `<g class="tick y" transform="translate(${x} 0)">${labels.map((l) => `<text y="${l.y}">${l.text}</text>`).join('')}</g>`;
}

/** Pixels between a y tick label's end and the plot. */
const TICK_LABEL_GAP = 6;
/** Where a chart's y-axis title is centred across the drawing, in pixels: it is turned to read upwards (Y_TITLE_STYLE). */
const Y_TITLE_X = 14;
/** The class of a chart's y-axis title (with `axis`): placed and turned by the report's CSS, Y_TITLE_STYLE. */
export const Y_TITLE_CLASS = 'y-title';
/**
 * The style rule of Y_TITLE_CLASS: a y-axis title at Y_TITLE_X, at the middle of the plot's height, turned to read
 * upwards; every chart with one is CHART.height high. Said once here, not as a transform on each of npm start's 81
 * titles (2.8 KB of its report, 2026-12-06).
 */
export const Y_TITLE_STYLE = `.${Y_TITLE_CLASS}{transform:translate(${Y_TITLE_X}px,${CHART.top + PLOT_H / 2}px) rotate(-90deg)}`;
/**
 * Where a y tick label may begin: right of the rotated y-axis title (at Y_TITLE_X, 11 px font:
 * its box spans x 12–25 in Chromium with DejaVu Sans, 2026-12-01), with 3 px between them.
 */
const Y_TITLE_END = 28;
/**
 * The widest a heatmap's row label is written (tickTextWidth), in pixels: its left margin grows by
 * at most half the default plot width, so the plot keeps at least half of it; a longer label is cut.
 */
const ROW_LABEL_WIDTH_MAX = CHART.left + PLOT_W / 2 - TICK_LABEL_GAP - Y_TITLE_END;

/** `text` whole where it is at most `width` wide as a tick label (tickTextWidth), else cut to fit with '…'. */
function fittedText(text: string, width: number): string {
  if (tickTextWidth(text) <= width) return text;
  let cut = text;
  while (cut.length > 0 && tickTextWidth(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * How much wider than CHART.left a chart's left margin is for its y labels to fit between the y-axis
 * title and the plot, from their widths (tickTextWidth, an upper bound of what Chromium measures):
 * a line chart's tick labels, a heatmap's row labels (cut to ROW_LABEL_WIDTH_MAX by fittedText).
 */
function yLabelRoom(labels: string[]): number {
  const widest = Math.max(0, ...labels.map(tickTextWidth));
  return Math.max(0, Math.ceil(Y_TITLE_END + widest + TICK_LABEL_GAP - CHART.left));
}

/** The colour bar of a heatmap's legend, in pixels: its width and height, and the room below it before the colours off the scale. */
const SCALE_BAR = { width: 14, height: 150, gap: 16 } as const;
/** Colours of the bar's gradient: heatmapColor at 0, 1/8, …, 1 (it is linear between its own stops, which these include). */
const SCALE_BAR_STOPS = 9;

/**
 * A heatmap's colour scale as a vertical bar at its key's left edge from scale.lo (bottom) to scale.hi (top), a tick and its
 * value at each of scale.ticks (the ends among them). The group carries data-lo and data-hi, each
 * label its tick's data-value, for whoever reads the scale back.
 */
function scaleBar(id: string, scale: HeatmapScale): string {
  const stops = Array.from({ length: SCALE_BAR_STOPS }, (_, i) => `<stop offset="${i / (SCALE_BAR_STOPS - 1)}" stop-color="${heatmapColor(i / (SCALE_BAR_STOPS - 1))}"/>`);
  const at = (t: number) => CHART.top + (1 - (t - scale.lo) / (scale.hi - scale.lo)) * SCALE_BAR.height;
  const ticks = scale.ticks.map(
    (t) => `<path class="axes" d="M${SCALE_BAR.width} ${px(at(t))}h4"/><text x="${SCALE_BAR.width + 7}" y="${px(at(t) + 3.5)}" class="legend" data-value="${t}">${fmt(t)}</text>`,
  );
  return (
    `<g class="scale" data-lo="${scale.lo}" data-hi="${scale.hi}"><defs><linearGradient id="${escapeHtml(id)}" x1="0" y1="1" x2="0" y2="0">${stops.join('')}</linearGradient></defs>` +
    `<rect y="${CHART.top}" width="${SCALE_BAR.width}" height="${SCALE_BAR.height}" fill="url(#${escapeHtml(id)})"/>${ticks.join('')}</g>`
  );
}

export interface HistogramsOptions {
  id: string;
  title: string;
  /**
   * Per layer: its label, its range [lo, hi] and its counts over equal bins of that range; `title`,
   * its whole name where the label is a short form of it (Trace.layerLabel's 'short'): the label's <title>.
   */
  layers: { label: string; title?: string; lo: number; hi: number; counts: ArrayLike<number> }[];
}

/** Whether a histogram's range is ± its upper end at float32 precision, as a trace's are (± the layer's largest |δ|). */
const symmetric = ({ lo, hi }: { lo: number; hi: number }) => float32Text(lo) === float32Text(-hi);

/** The least width, in the drawing's pixels, of a layer's place on the histograms' shared axis (a magnified layer's beam's foot, or a one-value range's bars): a range far below the widest still shows where it lies. */
const HISTOGRAM_MIN_SPAN = 1;
/**
 * A layer whose range is under 1/HISTOGRAM_MAGNIFIED_BELOW of the shared axis is drawn magnified: on the axis a vanishing layer's
 * bars were a 1-pixel sliver whose shape no one could read (a deep sigmoid's first layer, 10⁻⁹ of the output's). Its place on the
 * axis is the foot of a shaded beam that widens to the whole axis at HISTOGRAM_BEAM pixels up, where its bars stand over its own
 * range, the magnification written in the beam; a layer within a quarter of the widest keeps its bars on the axis, their shape read there.
 */
const HISTOGRAM_MAGNIFIED_BELOW = 4;
/** How high above the axis a magnified layer's beam meets its bars, in the cell's pixels (the bars take the rest of its 80). */
const HISTOGRAM_BEAM = 34;

/**
 * One small histogram per layer, HISTOGRAMS_PER_ROW to a row, the layers on one axis: the reader compares the layers of a step side
 * by side, and over their own ranges every layer's bars were as wide, a vanishing layer's like the widest (page50's question). The
 * axis spans all the layers' ranges (± the largest |δ| of any, for a trace's); each layer's bars are counted over its own range and
 * drawn over that range's part of the axis (at least HISTOGRAM_MIN_SPAN wide), its bins kept; a layer under a quarter of the axis
 * (HISTOGRAM_MAGNIFIED_BELOW), whose bars there were a sliver, has its place there marked by a beam's foot and its bars drawn
 * magnified above it; its own range is written under it. The drawing is always a full row wide, so its text is
 * the same size for 2 layers as for 6. A layer's cell is a group placed by its transform (its axis' left end), its histogram the
 * l-th of the chart; its bars, axis line and two labels (the layer's name, its range) are written in the cell's own coordinates, the
 * labels' font and anchor said once by the report's CSS (`.histogram text`): written on each of npm start's 172 cells, the placing
 * and the classes were 9 KB (2026-12-06). Its range is data-hi, with data-lo only where it is not −data-hi (a trace's are: ± the
 * layer's largest |δ|), and is written '± hi', or 'lo to hi' where it is not.
 */
export function histograms(o: HistogramsOptions): string {
  const cellW = HISTOGRAM_CELL_WIDTH;
  const cellH = 90;
  const rowH = cellH + 34;
  // The axis line under the bars, and the middle of it, where the labels are centred.
  const axisW = cellW - 20;
  const [axisLo, axisHi] = [Math.min(...o.layers.map((l) => l.lo)), Math.max(...o.layers.map((l) => l.hi))];
  // Where a layer's range lies on the shared axis, in the cell's pixels: [start, width]; every layer over the whole axis where all the ranges are one value.
  const onAxis = (lo: number, hi: number): [number, number] => {
    if (!(axisHi > axisLo)) return [0, axisW];
    const [start, width] = [((lo - axisLo) / (axisHi - axisLo)) * axisW, ((hi - lo) / (axisHi - axisLo)) * axisW];
    return width >= HISTOGRAM_MIN_SPAN ? [start, width] : [Math.min(axisW - HISTOGRAM_MIN_SPAN, Math.max(0, start + width / 2 - HISTOGRAM_MIN_SPAN / 2)), HISTOGRAM_MIN_SPAN];
  };
  // How many times the axis is as wide as a layer's range, where that layer is drawn magnified (a range of one value has no shape to magnify).
  const magnification = (lo: number, hi: number): number | undefined => {
    const factor = (axisHi - axisLo) / (hi - lo);
    return factor > HISTOGRAM_MAGNIFIED_BELOW && Number.isFinite(factor) ? factor : undefined;
  };
  const parts = o.layers.map(({ label, title, lo, hi, counts }, l) => {
    const max = Math.max(1, ...Array.from(counts));
    const x0 = (l % HISTOGRAMS_PER_ROW) * cellW + 10;
    const base = Math.floor(l / HISTOGRAMS_PER_ROW) * rowH + cellH;
    // The bars as one filled outline in (bin, % of the tallest bin) units, stretched over the cell,
    // relative to the pen: "v-d" rises (or "vd" falls) by d to the next bars' height, "hn" runs
    // along n bars of that height.
    let outline = '';
    let last = 0;
    for (let b = 0; b < counts.length; ) {
      const h = Math.round((100 * counts[b]) / max);
      let n = 1;
      while (b + n < counts.length && Math.round((100 * counts[b + n]) / max) === h) n++;
      outline += `${h === last ? '' : `v${last - h}`}h${n}`;
      last = h;
      b += n;
    }
    // Stretched by a transform (a nested <svg> with its own viewBox drew the same at 2½ times the bytes): a bin 1 wide to its
    // range's width on the shared axis ÷ bins, 100 % to cellH − 10, up from the axis at the cell's origin, moved to where its range starts;
    // a magnified layer's over the whole axis, from its beam's top up to the same height.
    const [start, width] = onAxis(lo, hi);
    const factor = magnification(lo, hi);
    const [x, y, w, h] = factor ? [0, -HISTOGRAM_BEAM, axisW, cellH - 10 - HISTOGRAM_BEAM] : [start, 0, width, cellH - 10];
    const moved = x === 0 && y === 0 ? '' : `translate(${scaleText(x, 1)}${y === 0 ? '' : ` ${y}`}) `;
    const bars = `<path class="bars" transform="${moved}scale(${scaleText(w / counts.length, counts.length)} ${scaleText(h / 100, 100)})" d="M0 0${outline}V0Z"/>`;
    // The beam from the layer's place on the axis up to its magnified bars, its factor written in it (fmt: '6.4e+8').
    const beam = factor
      ? `<path class="beam" d="M${scaleText(start, 1)} 0h${scaleText(width, 1)}L${axisW}-${HISTOGRAM_BEAM}H0Z"/><text x="${axisW / 2}" y="${12 - HISTOGRAM_BEAM}">×${fmt(factor)}</text>`
      : '';
    const range = `${symmetric({ lo, hi }) ? '' : ` data-lo="${float32Text(lo)}"`} data-hi="${float32Text(hi)}"`;
    // What is plotted: a saved trace may hold a range that is not ± one bound (Trace.fromJSON takes any lo ≤ hi).
    const written = symmetric({ lo, hi }) ? `± ${fmt(hi)}` : `${fmt(lo)} to ${fmt(hi)}`;
    return `<g class="histogram"${range} transform="translate(${x0} ${base})">${beam}${bars}<path class="axes" d="M0 0h${axisW}"/><text x="${axisW / 2}" y="14">${wholeNameTitle(label, title)}${escapeHtml(label)}</text><text x="${axisW / 2}" y="27">${written}</text></g>`;
  });
  const height = Math.ceil(o.layers.length / HISTOGRAMS_PER_ROW) * rowH;
  const axis = symmetric({ lo: axisLo, hi: axisHi }) ? `± ${fmt(axisHi)}` : `${fmt(axisLo)} to ${fmt(axisHi)}`;
  const magnifiedWords = o.layers.some(({ lo, hi }) => magnification(lo, hi)) ? `; one under 1/${HISTOGRAM_MAGNIFIED_BELOW} of it magnified too, by the factor in its beam` : '';
  const note = axisHi > axisLo ? `the layers on one axis, ${axis}; each one's range written under it${magnifiedWords}` : 'each layer over its own range, written under it';
  return `<figure class="chart" id="${escapeHtml(o.id)}" data-kind="histograms"><figcaption>${escapeHtml(unbrokenPercents(o.title))} <span class="note">(${note})</span></figcaption><svg viewBox="0 0 ${HISTOGRAMS_WIDTH} ${height}">${parts.join('')}</svg></figure>`;
}

/** The least room between two x tick labels, in pixels. */
export const TICK_GAP = 10;
/** The height of a line of the tick labels' 10 px font, with a little room: how far apart two y tick labels are at least. */
const TICK_LINE = 12;

/**
 * Upper bounds of a character's width in a tick label (10 px, the report's system-ui font), in
 * pixels: measured in Chromium with DejaVu Sans, which is wider than the other common sans fonts
 * (2026-12-01: m 9.74, w 8.18, the digits 6.36, every other lower-case letter at most 6.35, f r t -
 * at most 3.96, i j l . and a space 3.18). A character not listed is bounded by 10 (upper case,
 * symbols: DejaVu Sans's widest, W, is 9.9).
 */
const TICK_CHAR_BOUNDS: [chars: string, width: number][] = [
  ['m', 9.8],
  ['w', 8.2],
  ['abcdeghknopqsuvxyz0123456789', 6.4],
  ['frt-', 4],
  ['ijl. ', 3.2],
];
/** The width bound of a character TICK_CHAR_BOUNDS does not list. */
const TICK_CHAR_MAX = 10;

/**
 * Which of a row of tick labels to write so that no two overlap: every one when they fit, else
 * every second, third … (the first among them), so the labels written stay evenly spaced. With
 * `keepLast` (labels of the data's own positions: layers, epochs measured) the last is written too,
 * the one before it giving way when too near. Each label is centred at centres[i] (ascending) and
 * widths[i] wide, at least `gap` from the next. The report's script thins the ticks it redraws with
 * it too (placedTicks).
 */
export function thinnedTicks(centres: number[], widths: number[], gap: number, keepLast: boolean): number[] {
  const n = centres.length;
  const apart = (i: number, j: number) => centres[j] - widths[j] / 2 - (centres[i] + widths[i] / 2) >= gap;
  for (let stride = 1; stride < n; stride++) {
    const kept: number[] = [];
    for (let i = 0; i < n; i += stride) kept.push(i);
    if (keepLast && kept[kept.length - 1] !== n - 1) {
      if (!apart(kept[kept.length - 1], n - 1)) kept.pop();
      kept.push(n - 1);
    }
    if (kept.every((k, j) => j === 0 || apart(kept[j - 1], k))) return kept;
  }
  // Not even two fit: the first alone (or the last beside it, where they do fit).
  return n === 0 ? [] : keepLast && n > 1 && apart(0, n - 1) ? [0, n - 1] : [0];
}

/**
 * Where a label `width` wide centred at `x` is drawn so that it stays within the drawing's [0, edge]:
 * at x, or moved in just as far as it must (the last x tick of a plot sits at its right edge, a
 * layer's name there ran past the drawing). The report's script places the ticks it redraws with it
 * too (placedTicks).
 */
export function keptInside(x: number, width: number, edge: number): number {
  return Math.max(width / 2, Math.min(x, edge - width / 2));
}

/**
 * Pixels (of the drawing) between two x tick labels at least where a narrow column enlarges them
 * (NARROW_CHART_FONT): TICK_GAP at their design size. Thinning by TICK_GAP at the larger size took
 * 'hidden 2' and 'hidden 4' out of a 6-layer chart's axis at every width.
 */
export const NARROW_TICK_GAP = 2;

/** Each character's width bound, from TICK_CHAR_BOUNDS (tickTextWidth reads it). */
const TICK_CHAR_WIDTH = new Map(TICK_CHAR_BOUNDS.flatMap(([chars, width]) => [...chars].map((c) => [c, width] as const)));

/** An upper bound of `text`'s width as a tick label, in pixels: the sum of its characters' (TICK_CHAR_BOUNDS). */
export function tickTextWidth(text: string): number {
  let width = 0;
  for (const c of text) width += TICK_CHAR_WIDTH.get(c) ?? TICK_CHAR_MAX;
  return width;
}

/**
 * Where each of a row of x tick labels is written, and which of them are: centred at centres[i], or
 * kept inside the drawing's [0, edge] (keptInside) at the largest size they are shown at (a narrow
 * column's NARROW_CHART_FONT), and thinned by thinnedTicks from their widths (tickTextWidth) so that
 * they are TICK_GAP apart at CHART_FONT and NARROW_TICK_GAP at NARROW_CHART_FONT: the one rule of the
 * drawn ticks and of those the report's script (report-page.ts) redraws on a zoom.
 */
export function placedTicks(centres: number[], labels: string[], edge: number, keepLast: boolean): { xs: number[]; kept: number[] } {
  const widths = labels.map((label) => tickTextWidth(label));
  const narrow = (width: number) => (width * NARROW_CHART_FONT) / CHART_FONT;
  // Kept inside at the largest size they are shown at (a narrow column's): 'output' ran 2.5 px past the drawing's edge at 320 px.
  const xs = centres.map((x, i) => keptInside(x, narrow(widths[i]), edge));
  // Apart by TICK_GAP at CHART_FONT and by NARROW_TICK_GAP at NARROW_CHART_FONT: each label's room, as thinnedTicks adds TICK_GAP to it.
  const rooms = widths.map((w) => Math.max(w, narrow(w) - (TICK_GAP - NARROW_TICK_GAP)));
  return { xs, kept: thinnedTicks(xs, rooms, TICK_GAP, keepLast) };
}

/** A row of x tick labels under the plot at height y, placed and thinned by placedTicks. */
function xTickRow(ticks: { x: number; label: string; title?: string }[], y: number, keepLast: boolean): string {
  const { xs, kept } = placedTicks(ticks.map((t) => t.x), ticks.map((t) => t.label), DRAWING_WIDTH, keepLast);
  return `<g class="xticks" transform="translate(0 ${y})">${kept.map((i) => `<text x="${px(xs[i])}">${wholeNameTitle(ticks[i].label, ticks[i].title)}${escapeHtml(ticks[i].label)}</text>`).join('')}</g>`;
}

/** A label's <title> where `whole`, its row's whole name, says more than the label shows (Trace.layerLabel's full form beside 'short'): its tooltip; else nothing. */
function wholeNameTitle(label: string, whole: string | undefined): string {
  return whole === undefined || whole === label ? '' : `<title>${escapeHtml(whole)}</title>`;
}

/** Where a chart's x tick labels sit: their baseline, 16 px below the plot. */
const X_TICKS_Y = CHART.height - CHART.bottom + 16;

/**
 * The x ticks of a chart whose positions 1, 2, …, n are named: every name when they fit, else every
 * second, third … name, the first and the last included (thinnedTicks).
 */
function nameTicks(box: PlotBox, names: string[], x0: number, x1: number, titles: string[] | undefined): string {
  const at = (i: number) => box.left + ((i + 1 - x0) / (x1 - x0 || 1)) * box.width;
  return xTickRow(names.map((label, i) => ({ x: at(i), label, title: titles?.[i] })), X_TICKS_Y, true);
}

/**
 * Labels of the x values `values`, each at position `at(value)` on an axis spanning x0..x1 across `box`,
 * thinned where they would overlap (thinnedTicks; the last kept with `keepLast`: the data's own x values, not round ones).
 * A linear axis' labels are tickLabels' (as exact as neighbours need); a log axis passes `at` (log10), its values a factor apart, each written by fmt.
 */
function xTicks(box: PlotBox, values: number[], x0: number, x1: number, keepLast: boolean, at?: (t: number) => number): string {
  const labels = at ? values.map(fmt) : tickLabels(values);
  return xTickRow(values.map((t, i) => ({ x: box.left + (((at ? at(t) : t) - x0) / (x1 - x0 || 1)) * box.width, label: labels[i] })), X_TICKS_Y, keepLast);
}

/** The inner plot, over `box`: x in data units over [x0, x1], y in pixels (0 at the top); a time plot's empty area takes the pointer too. */
function plot(box: PlotBox, x0: number, x1: number, body: string, time: boolean, attributes = ''): string {
  const span = x1 - x0 || 1;
  return `<svg class="plot"${attributes} x="${box.left}" y="${CHART.top}" width="${box.width}" height="${PLOT_H}" viewBox="${x0} 0 ${span} ${PLOT_H}" preserveAspectRatio="none"${time ? ` data-time data-x0="${x0}" data-x1="${x0 + span}"><rect class="hit" x="${x0}" width="${span}" height="${PLOT_H}"/` : ''}>${body}</svg>`;
}

/**
 * A chart's figure: its caption, its drawing (DRAWING_WIDTH wide) and its key when it has one (an
 * <svg class="key"> KEY_WIDTH wide, its height the key's; a legend's, see legend, starts LEGEND_TEXT_X left of its x 0).
 */
function frame(o: { id: string; title: string; xLabel: string; yLabel: string; note?: string }, box: PlotBox, outer: string, inner: string, kind: string, key?: Key): string {
  const { height: H, top, bottom } = CHART;
  const { left, width } = box;
  const keyBox = `${KEY_WIDTH} ${Math.ceil(key?.height ?? 0)}`;
  const keySvg = !key ? '' : key.legend ? `<svg class="key legend" viewBox="${-LEGEND_TEXT_X} 0 ${keyBox}" stroke-width="${key.shapes ? MARK_STROKE : LEGEND_ENTRY.swatch}">${key.svg}</svg>` : `<svg class="key" viewBox="0 0 ${keyBox}">${key.svg}</svg>`;
  return `<figure class="chart" id="${escapeHtml(o.id)}" data-kind="${kind}"><figcaption>${escapeHtml(unbrokenPercents(o.title))}${o.note ? ` <span class="note">${escapeHtml(unbrokenPercents(o.note))}</span>` : ''}</figcaption><svg viewBox="0 0 ${DRAWING_WIDTH} ${H}">${outer}${inner}<path class="axes" d="M${left} ${top}V${H - bottom}h${width}"/><text x="${left + width / 2}" y="${H - 6}" class="axis">${escapeHtml(o.xLabel)}</text><text class="axis ${Y_TITLE_CLASS}">${escapeHtml(o.yLabel)}</text></svg>${keySvg}</figure>`;
}
