/**
 * Where a held-out accuracy lies against a line such as study (c)'s ACCURACY_GOAL: above it, below it, or on it.
 *
 * The statistics: an accuracy read on n held-out digits counts how many of n independent tries came out right, so
 * if the network's true accuracy were the line g, the count would be binomial(n, g) and the accuracy would spread
 * around g with standard error √(g(1 − g)/n) (at 90 % on 1,000 digits 0.95 points). An accuracy within
 * ACCURACY_STANDARD_ERRORS (2, about 95 % two-sided) of those errors of the line, 88.1 % to 91.9 % there, is one a
 * network on the line gives about 19 times in 20: it decides neither "trained" nor "not trained", and another seed
 * can put it on the other side (lecturer53 #2: batch-norm-sigmoid at 100 hidden layers read 92.0, 90.1 and 89.7 %
 * on seeds 1, 2 and 3). The error is taken at the line, not at the accuracy read, as the one-sample test of a
 * proportion takes it: the band is the same for every row of a run.
 */
import { ACCURACY_STANDARD_ERRORS, binomialVariance } from './accuracy-errors.js';

/** Where an accuracy lies against a line (see lineSide). */
export type LineSide = 'above' | 'on the line' | 'below';

/** Half the width of the band around `line` that an accuracy read on `rows` held-out digits is on the line within: ACCURACY_STANDARD_ERRORS binomial standard errors at the line. */
export function lineMargin(line: number, rows: number): number {
  return ACCURACY_STANDARD_ERRORS * Math.sqrt(binomialVariance(line, rows));
}

/** Where `accuracy`, read on `rows` held-out digits, lies against `line`: on it within lineMargin, else above or below it. */
export function lineSide(accuracy: number, rows: number, line: number): LineSide {
  const margin = lineMargin(line, rows);
  return accuracy > line + margin ? 'above' : accuracy < line - margin ? 'below' : 'on the line';
}
