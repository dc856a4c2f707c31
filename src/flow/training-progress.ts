/**
 * Where a traced run stands, from the batch loss and accuracy its records hold: converged (the
 * errors are small, so the gradients are), on a plateau (the loss stopped falling short of that),
 * still learning, or unclear (each record is one batch, and their losses vary too much to tell).
 * diagnose() says which beside the gradient flow, so that gradients that shrank because the loss
 * neared its floor are not called a plateau.
 */
import { median } from '../median.js';
import type { Trace } from './trace.js';

/**
 * converged: fits its training batches; plateau: the loss stopped falling short of that; learning:
 * the loss is still falling; unclear: the batches' losses vary more than the fall to be read.
 */
export type TrainingState = 'converged' | 'plateau' | 'learning' | 'unclear';

/** What trainingProgress() read: the losses and accuracy it compared, and the state they give. */
export interface TrainingProgress {
  /** The state (see TrainingState). */
  state: TrainingState;
  /** Records in each of the two windows compared: a fifth of the trace's, at least PROGRESS_WINDOW_MIN. */
  window: number;
  /** Batch loss at the first record. */
  lossStart: number;
  /** Median batch loss over the window before the last. */
  lossBefore: number;
  /** Median batch loss over the last window. */
  lossEnd: number;
  /** Median batch accuracy over the last window (fraction of rows whose largest output is the target's). */
  accuracyEnd: number;
  /**
   * The smallest fall of the loss between the windows that its batch-to-batch noise does not hide:
   * two standard errors of the difference of the windows' medians, over lossBefore (0 for a
   * steady fall of a full-batch run). See noiseOf.
   */
  noise: number;
}

/** Converged: at most one row in a hundred of the last batches wrong (median over the last window)… */
export const CONVERGED_ACCURACY = 0.99;
/**
 * …and the loss at most this fraction of its start: near its floor of 0, so the output errors, and
 * with them every gradient, are small. Measured on the digits (test/flow/training-progress.test.ts):
 * runs that fit their 256 digits ended at 5e-5 and 2e-3 of their start, one still learning at 0.07.
 */
export const CONVERGED_LOSS_FRACTION = 0.01;
/**
 * Still learning: the last window's loss at least this fraction below the window's before (and by
 * more than the noise). Measured on the digits (test/flow/training-progress.test.ts and the runs
 * behind it, 2026-12-01): runs stuck at a loss (Nielsen's plateau, deep sigmoid networks at the
 * chance loss) fell 0–1.4 % between the windows, runs still learning 12–44 %.
 */
export const STILL_FALLING = 0.05;
/** The fewest records a window holds (a median over one batch would be that batch's noise). */
export const PROGRESS_WINDOW_MIN = 2;

/**
 * Two standard errors of the difference of two medians of `window` losses each, over `level`: the
 * batch-to-batch spread σ is read from the losses' residuals about their least-squares line (so a
 * steady fall is not counted as noise), as 1.4826 × their median absolute value (robust to an
 * outlier batch); a median's standard error is √(π/2)·σ/√window, and two independent windows'
 * difference √2 times that.
 */
function noiseOf(losses: number[], window: number, level: number): number {
  const n = losses.length;
  const meanX = (n - 1) / 2;
  const meanY = losses.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  losses.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxy / sxx;
  const sigma = 1.4826 * median(losses.map((y, x) => Math.abs(y - meanY - slope * (x - meanX))));
  return (2 * Math.SQRT2 * Math.sqrt(Math.PI / 2) * sigma) / Math.sqrt(window) / level;
}

/** Where the run stands (see the module comment); undefined with fewer than two windows of records or a loss or accuracy that is not a number (a trace saved without them). */
export function trainingProgress(trace: Trace): TrainingProgress | undefined {
  const records = trace.length;
  const window = Math.max(PROGRESS_WINDOW_MIN, Math.floor(records / 5));
  if (records < 2 * window) return undefined;
  const losses = Array.from(trace.losses);
  const accuracy = Array.from(trace.accuracy);
  const read = [losses[0], ...losses.slice(records - 2 * window), ...accuracy.slice(records - window)];
  if (!read.every(Number.isFinite)) return undefined;
  const lossStart = losses[0];
  const lossBefore = median(losses.slice(records - 2 * window, records - window));
  const lossEnd = median(losses.slice(records - window));
  const accuracyEnd = median(accuracy.slice(records - window));
  const noise = noiseOf(losses.slice(records - 2 * window), window, lossBefore);
  const fall = 1 - lossEnd / lossBefore;
  // A fall is read where the noise could not make it (learning), a standstill where a fall of STILL_FALLING would have shown through the noise (plateau).
  const state: TrainingState =
    accuracyEnd >= CONVERGED_ACCURACY && lossEnd <= CONVERGED_LOSS_FRACTION * lossStart
      ? 'converged'
      : fall >= Math.max(STILL_FALLING, noise)
        ? 'learning'
        : noise <= STILL_FALLING
          ? 'plateau'
          : 'unclear';
  return { state, window, lossStart, lossBefore, lossEnd, accuracyEnd, noise };
}
