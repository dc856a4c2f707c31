/**
 * "Minimum, saddle or slope?" measured on the page (newuser44 #3): what the training worker hands the curvature worker
 * (the network as it stands and its probe rows), what measureCurvature is asked for, and what comes back. The curvature
 * worker measures a copy, so Cancel ends it at once (the worker is terminated) and the training worker's network,
 * optimiser and RNG are never touched.
 */
import type { CurvatureEvidence, CurvatureMeasured, CurvatureOptions, Matrix } from '../../src/index.js';

/**
 * measureCurvature's options on the page. The page shows the point's reading (pointText: the gradient, the loss along
 * ±v and down the gradient, the verdict), which rests on the whole network's Hessian alone: its Lanczos run and v are
 * the same as `gradscope curvature`'s on the same rows, whatever these options. Each layer's blocks (`layers`) and the
 * exact traces (up to 2,000 parameters, n products each), which its table gives and the page does not show, are left
 * out, or cut to the least (a trace of 2 probes): on the page's default network at a plateau that leaves a tenth of the
 * products or fewer, for the same words (test/demo/curvature-measure.test.ts).
 */
export const PAGE_CURVATURE_OPTIONS = { layers: false, exactTraceLimit: 0, probes: 2 } as const satisfies CurvatureOptions;

/** How the point's rule names the study that reads its points by it (pointRule's `studyPlateau`). */
export const STUDY_PLATEAU_COMMAND = 'gradscope study plateau';

/** The network and rows to measure, as the training worker sends them; `refused`: why it cannot (toJSON's refusal). */
export type CurvatureRows =
  | {
      /** The training worker's session (a configure makes a new one) and the step its network stands at: the reading is of these. */
      session: number;
      step: number;
      /** net.toJSON(), as text. */
      model: string;
      /** The probe rows: the first PROBE_ROWS training rows, which the diagram's edges are measured on. */
      x: Matrix;
      y: Matrix;
      /** What the loss measureCurvature measures is of the run: its objective (no L2 term), or the data loss alone beside an L2 term. */
      measured: CurvatureMeasured;
    }
  | { refused: string };

/** To the curvature worker: measure `model` on (x, y). */
export type ToCurvatureWorker = Extract<CurvatureRows, { model: string }>;

export type FromCurvatureWorker =
  /** CurvatureProgress.fraction: the share of the time done, posted at most every PROGRESS_MS. */
  | { type: 'progress'; fraction: number }
  /**
   * The reading: `reading` its one line (pointReadingText), `lines` what `gradscope curvature` prints under its table
   * (pointText, the reading among them), and what diagnose() takes (curvatureEvidenceOf).
   */
  | { type: 'measured'; reading: string; lines: string[]; evidence: CurvatureEvidence; rows: number; seconds: number }
  | { type: 'failed'; reason: string };

/** Least time between two progress messages: the bar moves ~10×/s without messages flooding the page. */
export const PROGRESS_MS = 100;
