/** Messages between the page and the training worker. */
import type { CurvatureEvidence, Diagnosis, MeanLossGradient } from '../../src/index.js';
import type { CurvatureRows } from './curvature-measure.js';
import type { DiagramSnapshot } from './diagram-data.js';
import type { LayerStats } from './layer-stats.js';
import type { Settings } from './settings.js';
import type { DownloadKind } from './downloads.js';

export type ToWorker =
  /**
   * Build a fresh network and data set (and stop any run). `layerRates`: the per-layer rates to run
   * (a remedy's, as the page shows them) instead of measuring them on the new network; `stopAfterEpoch`: early
   * stopping's epochs (a remedy's rerun), after which the new network's run pauses ('paused' says so).
   */
  | { type: 'configure'; settings: Settings; mnistUrl: string; layerRates?: number[]; stopAfterEpoch?: number }
  /** Continue the run with new step settings (CONTINUING in settings.ts): same network, same history. */
  | { type: 'update'; settings: Settings }
  | { type: 'run' }
  | { type: 'pause' }
  /** Train exactly one batch step (pausing a run). */
  | { type: 'step' }
  /** Steps per second while running; null: as fast as the core goes. */
  | { type: 'speed'; stepsPerSecond: number | null }
  /**
   * Send a file to download, as JSON: 'trace' the trace the panel's diagnosis was made from, 'model' the network as it
   * stands (net.toJSON()), 'data' its training rows (dataFileJson).
   */
  | { type: 'download'; kind: DownloadKind }
  /** Send the network as it stands and its probe rows, for the curvature worker to measure (curvature-action.ts). */
  | { type: 'curvature-rows' }
  /**
   * The curvature measured on the network of session `session` at `step` (what 'curvature-rows' gave): diagnose() takes it
   * while the network stands at that step, and 'diagnosed' answers with the diagnosis that does.
   */
  | { type: 'curvature'; session: number; step: number; evidence: CurvatureEvidence };

/** One training step, as the heatmap and the loss chart need it. */
export interface StepRecord {
  step: number;
  loss: number;
  /** ‖∂C/∂b^l‖ per layer, before the step's update: the quantity diagnose() compares. */
  gradB: Float64Array;
}

/** What the run's trace says of the latest step: what the page can show even where the network's outputs cannot be computed. */
export interface TracedState {
  step: number;
  /** Passes over the training rows so far (fractional). */
  epoch: number;
  /** The latest step's batch loss (the trace's). */
  loss: number;
  /** The latest record's per-layer statistics, for the chain-rule table. */
  stats: LayerStats;
  /** diagnose() of the run's trace (see run-trace.ts). */
  diagnosis: Diagnosis;
  /**
   * Whether the diagnosis asks "minimum, saddle or slope?" ('asked': a plateau, whose paragraph says the gradient
   * alone cannot tell), or answers it with the curvature measured on the page at this step ('answered'); null otherwise.
   */
  curvature: 'asked' | 'answered' | null;
  /** The mean loss's ‖∂C/∂b‖ over the probe rows at the run's start and now, which the diagnosis took (its over-time reading); undefined at step 0. */
  meanLossGradient: MeanLossGradient | undefined;
}

/** The state after the latest step (or at initialisation, step 0). */
export interface Snapshot extends TracedState {
  /** The training rows an epoch passes over. */
  trainRows: number;
  /** On the training rows. */
  accuracy: number;
  /** Loss and accuracy on the held-out test rows. */
  testLoss: number;
  testAccuracy: number;
  /** The test rows' loss before the run's first step, which the page's diagnosis takes (pageDiagnosis); undefined where it overflowed. */
  heldOutAtStart: number | undefined;
  /** The per-layer learning-rate multipliers of the 'per-layer rates' choice; null for the other optimisers. */
  layerRates: number[] | null;
  /** Where layerRates came from, as the page says it ('at initialisation', 'at step 40', or a remedy's); '' without them. */
  layerRatesFrom: string;
  /** Where the per-layer rates run with the page's L2 lowered (run-optimizer.ts), what it is lowered to and why, as the page says it; '' where it is not. */
  weightDecayLowered: string;
  /** The optimiser sets its own step sizes (Optimizer.choosesOwnSteps: Hessian-free): the learning rate is not used. */
  ownSteps: boolean;
  /** The settings the worker's network and run follow (those of the latest 'configure' or 'update' it accepted). */
  settings: Settings;
  /** P(class 1) on a BOUNDARY_GRID² grid over [−1, 1]², row by row from the top; empty for non-planar data. */
  boundary: Float32Array;
  /** MNIST: the class predicted for each of the DIGITS_SHOWN test digits of 'ready'; empty for 2-D data. */
  predictions: Uint8Array;
  /** The network diagram: each drawn unit's output and each drawn edge's |∂C/∂w| over the probe rows. */
  diagram: DiagramSnapshot;
  /** ‖∂C/∂b‖ of the mean loss over the probe rows (diagram.gradientRows of them) per trace row, from the diagram's gradients (biasNormsPerRow): the flow map's mean-loss view. */
  meanGradB: Float64Array;
}

export type FromWorker =
  /** points: the 2-D rows (training rows first, then `trainRows`… the test rows); null for MNIST. */
  | {
      type: 'ready';
      snapshot: Snapshot;
      points: { x: Float32Array; labels: Uint8Array; trainRows: number } | null;
      /** MNIST: the first DIGITS_SHOWN test digits (pixels 0..1) and their labels; null for 2-D data. */
      digits: { pixels: Float32Array; labels: Uint8Array } | null;
    }
  | { type: 'progress'; steps: StepRecord[]; snapshot: Snapshot }
  /**
   * Answers a 'pause', or pauses a run as the epoch its 'configure' asked it to stop after ends (`stoppedAfterEpoch`,
   * once): the worker is between slices and posts no progress until it is asked to run or step, so every
   * snapshot of the run came before this.
   */
  | { type: 'paused'; stoppedAfterEpoch?: number }
  /**
   * Training failed (the run stops). `unshown`: steps were applied whose network the page cannot show
   * (its outputs overflow): their records and the trace's state after them, so the page's step, charts
   * of the trace and diagnosis are the trace's, while what needs the network's outputs stays as last shown.
   */
  | { type: 'stopped'; reason: string; unshown?: { steps: StepRecord[]; state: TracedState } }
  /**
   * An 'update' whose settings are held although the network cannot be shown with them (reason:
   * unshownReason's, at those settings): the page keeps them; what it shows of the network stays as last shown.
   */
  | { type: 'taken'; settings: Settings; reason: string }
  /** A 'configure' or 'update' the library refused (reason: its GradscopeError): the network, run and settings held are as before. */
  | { type: 'refused'; reason: string }
  /** The file a 'download' asked for, as JSON text, and its name (downloadName of the settings of the session it is from). */
  | { type: 'download'; kind: DownloadKind; json: string; name: string }
  /** What a 'curvature-rows' asked for (or why the network cannot be sent: `refused`). */
  | { type: 'curvature-rows'; rows: CurvatureRows }
  /** The run's state with the diagnosis that took the curvature a 'curvature' message gave (no network output changed). */
  | { type: 'diagnosed'; state: TracedState };

/** Test digits shown with their predictions in MNIST mode. */
export const DIGITS_SHOWN = 24;

/** Cells per side of the decision-boundary grid. */
export const BOUNDARY_GRID = 48;
