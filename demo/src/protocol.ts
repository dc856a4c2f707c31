/** Messages between the page and the training worker. */
import type { LayerStats } from './layer-stats.js';
import type { Settings } from './settings.js';

export type ToWorker =
  /** Build a fresh network and data set (and stop any run). */
  | { type: 'configure'; settings: Settings; mnistUrl: string }
  | { type: 'run' }
  | { type: 'pause' };

/** One training step, as the heatmap and the loss chart need it. */
export interface StepRecord {
  step: number;
  loss: number;
  /** ‖∂C/∂W^l‖ per layer, before the step's update. */
  gradW: Float64Array;
}

/** The state after the latest step (or at initialisation, step 0). */
export interface Snapshot {
  step: number;
  loss: number;
  accuracy: number;
  stats: LayerStats;
  /** Units per layer, input first. */
  sizes: number[];
  /** P(class 1) on a BOUNDARY_GRID² grid over [−1, 1]², row by row from the top; empty for non-planar data. */
  boundary: Float32Array;
}

export type FromWorker =
  | { type: 'ready'; snapshot: Snapshot; points: { x: Float32Array; labels: Uint8Array } | null }
  | { type: 'progress'; steps: StepRecord[]; snapshot: Snapshot }
  | { type: 'stopped'; reason: string };

/** Cells per side of the decision-boundary grid. */
export const BOUNDARY_GRID = 48;
