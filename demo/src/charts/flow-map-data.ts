/**
 * What the steps × layers flow map draws, in its two views: the gradient of the batch each step trained on (the trace's
 * ‖∂C/∂b‖), or the gradient of the mean loss over the page's fixed probe rows, measured at each page update. Over depth both
 * show the gap; over training time, once the loss is flat, a small batch's ‖∂C/∂b‖ is mostly its sampling noise and stays
 * where that noise is, while the mean loss's gradient can fall a thousandfold below it (newuser44 #4: the page's defaults'
 * rows were "a flat, speckled band" in the batch view; the diagnosis says the same, evidence.endNoise).
 */
import { grouped } from '../../../src/index.js';
import { BUCKETS, type History } from '../history.js';
import type { LayerStats } from '../layer-stats.js';
import type { HeatmapData } from './heatmap.js';

/** The flow map's views, the select's values: the batch's ‖∂C/∂b‖ at every step, or the mean loss's on the probe rows at every page update. */
export const FLOW_MAP_VIEWS = ['batch', 'mean'] as const;
export type FlowMapView = (typeof FLOW_MAP_VIEWS)[number];

/** The map's data in `view`, in the rows of `stats` (chartedBiasRows); no rows before the first training step, as the batch view has none. */
export function flowMapData(history: History, stats: LayerStats, view: FlowMapView): HeatmapData {
  const rows = { layers: stats.chartedBiasRows, labels: stats.shortLabels, titles: stats.labels };
  if (view === 'batch') {
    const [first, last] = history.range;
    return { first, last, rows: history.buckets.map((b) => b.gradB.map((g) => g.last)), ...rows };
  }
  const points = history.buckets.length === 0 ? [] : history.snapshots.filter((p) => p.meanGradB !== undefined);
  return { first: points[0]?.step ?? 0, last: points.at(-1)?.step ?? 0, rows: points.map((p) => p.meanGradB!), steps: points.map((p) => p.step), ...rows };
}

/**
 * What the map shows in `view`, as its heading says it: the batch of `batchRows` rows (all `trainRows` where it holds them, with
 * no sampling noise then), or the mean loss over the first `probeRows` training rows.
 */
export function flowMapCaption(view: FlowMapView, batchRows: number, trainRows: number, probeRows: number): string {
  if (view === 'mean') {
    // Exactly what the columns are (review45 #10): the gradient over those rows, not over the training set, at page updates that a long run thins (History).
    return `‖∂C/∂b‖ of the mean loss over the first ${grouped(probeRows)} training rows, not a batch's, measured at page updates (at most ${grouped(BUCKETS)} kept, thinned evenly): how far the gradient over those rows fell over training time`;
  }
  if (batchRows >= trainRows) return `‖∂C/∂b‖ of each layer at each step, of its batch: all ${grouped(trainRows)} training rows`;
  return `‖∂C/∂b‖ of each layer at each step, of its batch of ${grouped(batchRows)} rows: over depth the gap; over training time, once the loss is flat, mostly that batch's sampling noise`;
}
