/**
 * The colours gradscope's charts draw with, one home for the HTML report (svg.ts) and the
 * visualizer (demo/), so a colour means the same on both: the palette of unordered series, the
 * sequential scale of a network's layers, and a heatmap's colour scale with the two colours off it
 * and what they mean.
 */
import { invalidOption, shown, shownArgument } from '../errors.js';

/** Colours of series that have no order (networks, remedies, 'skip' and 'branch'), the k-th series the k-th colour. */
export const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'] as const;

/**
 * The layer scale's stops, RGB: matplotlib's "plasma" from 0 to 0.8 of its range (dark blue,
 * purple, pink, orange; its last fifth, yellow, is too light for a line on white), resampled so each
 * step between stops spans the same CIELAB distance (ΔE76 21.3): neighbouring layers differ by about
 * as much anywhere along the scale. Computed 2026-12-01 from plasma's ten published samples.
 */
const LAYER_STOPS = [
  [13, 8, 135],
  [104, 1, 166],
  [153, 22, 159],
  [179, 45, 142],
  [199, 67, 124],
  [217, 88, 106],
  [232, 112, 89],
  [243, 138, 71],
  [251, 167, 54],
] as const;

/**
 * The colour of layer `layer` (0 the first, nearest the input) of a network's `layers`, as #rrggbb:
 * a sequential scale over depth, dark blue at the first layer to orange at the last, so the order of
 * the lines is the order of the colours and no two layers share one, however deep the network. Any
 * two layers of a network of up to 33 (the SELU study's deepest: 32 hidden and the output) differ by
 * ΔE76 ≥ 4.4 (4.49 at least, measured by test/flow/chart-colors.test.ts; 2.3 is just noticeable). A single layer is
 * the scale's start. INVALID_OPTION unless `layers` is a whole number ≥ 1 and `layer` one in [0, layers).
 */
export function layerColor(layer: number, layers: number): string {
  if (!Number.isInteger(layers) || layers < 1 || !Number.isInteger(layer) || layer < 0 || layer >= layers) {
    throw invalidOption(`layerColor(layer, layers): expected whole numbers with 0 ≤ layer < layers, got ${shown(layer)} and ${shown(layers)}`);
  }
  return scaleColor(LAYER_STOPS, layers === 1 ? 0 : layer / (layers - 1));
}

/**
 * The colour of a heatmap cell whose value is 0 (−∞ on a log scale): a measured value below every
 * colour of the scale, not a missing one. The report and the visualizer draw it alike.
 */
export const HEATMAP_ZERO = '#d64545';
/** The colour of a heatmap cell with no value to colour (NaN, or +∞: an overflow). */
export const HEATMAP_NO_VALUE = '#ccc';

/** A colour a heatmap draws off its scale, and what it means. */
export interface OffScaleColor {
  /** The cells' colour, #rrggbb or #rgb. */
  readonly color: string;
  /** What the legend says of it. */
  readonly label: string;
}

/**
 * What the two colours off a heatmap's scale mean, as the report's heatmaps and the visualizer's
 * flow maps (both of log10 ‖∂C/∂b‖) write it in their legends: one wording for both.
 */
export const HEATMAP_OFF_SCALE: readonly OffScaleColor[] = [
  { color: HEATMAP_ZERO, label: '−∞ (log of 0): no gradient reached the layer' },
  { color: HEATMAP_NO_VALUE, label: 'no value (NaN or +∞)' },
];

/** The heatmap scale's stops, RGB: dark blue (slow learning), teal, yellow (fast). */
const HEATMAP_STOPS = [
  [13, 8, 135],
  [33, 145, 140],
  [250, 230, 35],
] as const;

/**
 * A heatmap's colour scale at t in [0, 1] (clamped): dark blue (t = 0, slow learning) through teal to
 * yellow (t = 1, fast), as #rrggbb. The report's heatmaps and the visualizer's flow maps both use it.
 * NaN has no colour (HEATMAP_NO_VALUE is the caller's to draw) and is refused, as is a non-number.
 */
export function heatmapColor(t: number): string {
  if (typeof t !== 'number' || Number.isNaN(t)) throw invalidOption(`heatmapColor: expected a number t (clamped to [0, 1]), got ${shownArgument(t)}`);
  return scaleColor(HEATMAP_STOPS, t);
}

/** The colour at t in [0, 1] (clamped) of a scale linear in RGB between evenly spaced stops, as #rrggbb. */
function scaleColor(stops: readonly (readonly number[])[], t: number): string {
  const at = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(at), stops.length - 2);
  const f = at - i;
  return `#${stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)).toString(16).padStart(2, '0')).join('')}`;
}
