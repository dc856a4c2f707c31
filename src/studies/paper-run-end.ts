/**
 * Where a run ended, read from the mean of its last epochs' held-out errors rather than its last one:
 * He et al.'s Figure 2 verdict compares two networks' ends so, since one epoch's error swings (their
 * 22-layer Xavier network's moved by up to 12 points from one epoch to the next over 80 epochs).
 */
import { binomialVariance } from './accuracy-errors.js';

/** The epochs a run's end is the mean of: its last five, or every epoch of a shorter run. */
export const END_EPOCHS = 5;

/** A run's end: the mean of its last epochs' held-out errors, and that mean's standard error. */
export interface RunEnd {
  /** The first and the last epoch averaged, counted as the curves count them (epoch 1 ends the first pass). */
  first: number;
  last: number;
  /** The mean held-out error over those epochs. */
  mean: number;
  /**
   * The mean's standard error, two parts in quadrature: the binomial one of an error `mean` on the held-out digits
   * (every epoch reads the same digits, so averaging does not shrink it), and the epochs' spread, their sample
   * standard deviation over √epochs (where in its swings training stopped); 0 for the spread of one epoch.
   */
  standardError: number;
}

/**
 * The end of a run whose held-out errors are `errors` (the record before training first, then one after each epoch:
 * at least one epoch), each on `rows` held-out digits.
 */
export function runEnd(errors: readonly number[], rows: number): RunEnd {
  const last = errors.length - 1;
  const epochs = Math.min(END_EPOCHS, last);
  const ends = errors.slice(errors.length - epochs);
  const mean = ends.reduce((sum, e) => sum + e, 0) / epochs;
  const spread = epochs > 1 ? ends.reduce((sum, e) => sum + (e - mean) ** 2, 0) / (epochs - 1) : 0;
  return { first: last - epochs + 1, last, mean, standardError: Math.sqrt(binomialVariance(mean, rows) + spread / epochs) };
}

/** The standard error of the difference of two runs' ends (independent runs: their variances add). */
export const endsDifferenceError = (a: RunEnd, b: RunEnd) => Math.hypot(a.standardError, b.standardError);

/** "epochs 6–10", "epoch 1": the epochs an end averages. */
export const endEpochsText = (end: RunEnd) => (end.first === end.last ? `epoch ${end.first}` : `epochs ${end.first}–${end.last}`);
