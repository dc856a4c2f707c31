/**
 * The binomial statistics of a held-out accuracy, one rule for every study that compares one: an accuracy read on n
 * held-out digits counts how many of n independent tries came out right, so its variance is p(1 − p)/n, and a
 * difference counts beyond ACCURACY_STANDARD_ERRORS of its standard errors. Study (c)'s 90 % line (accuracy-line.ts),
 * the papers' verdicts (paper-batch-norm.ts, paper-he-init.ts) and their run ends (paper-run-end.ts) read them here.
 */

/**
 * Standard errors by which one held-out accuracy must differ from another (or from a line) to count as different: two,
 * as the diagnosis' plateau test uses (about 95 % two-sided). A difference within them is a tie on these held-out digits.
 */
export const ACCURACY_STANDARD_ERRORS = 2;

/** The binomial variance of an accuracy (or an error) `p` read on `rows` held-out digits: p(1 − p)/rows. */
export const binomialVariance = (p: number, rows: number) => (p * (1 - p)) / rows;
