/**
 * How far a run's input features are from standardised (TraceRun.inputScale): each feature's mean and standard deviation over the
 * rows, each said as the root mean square over the features. Standardised features have mean 0 and spread 1; features far larger
 * (an offset such as 1000 + u, or raw units) put a first dense layer's z = W·x + b far from 0, where tanh and sigmoid units
 * saturate on every row alike, and diagnose() reads that beside the first hidden layer's saturation at the first record.
 */
import type { TraceRun } from './trace.js';

/** The input features' size (TraceRun.inputScale): each feature's mean and standard deviation over the rows, as root mean squares over the features. */
export type InputScale = NonNullable<TraceRun['inputScale']>;

/** Inputs whose root mean square, √(mean² + spread²), is at least this many times a standardised input's (1) are recorded as large. */
export const LARGE_INPUTS = 3;

/**
 * Inputs whose every |value| is below this are not large, and largeInputs says so without its pass: a feature's mean² + spread² is
 * the mean of its squares, at most its largest value², so √(mean² + spread²) over the features is below LARGE_INPUTS / 2, and
 * float64's rounding of the pass's sums over fewer than 2³² rows (a relative 2⁻²⁰ at most) could not have made it 2× that.
 */
export const SMALL_INPUTS = LARGE_INPUTS / 2;

/**
 * The input features' size over `rows` rows of `cols` features (`values`, row-major), where its root mean square √(mean² + spread²)
 * is at least LARGE_INPUTS; undefined for smaller inputs, fewer than two rows, or a value that is not finite. One pass over the rows
 * (Welford's update per feature: a spread of 1 about an offset of 10⁶ keeps its digits, which a sum of squares less the squared mean loses),
 * after a scan that stops at the first |value| not below SMALL_INPUTS: where there is none, as in pixels in [0, 1], the answer is
 * undefined without the pass (its division per value took 18.0 ms over 9,000 × 784 digit-like rows, the scan 5.6 ms: AMD EPYC Zen 5,
 * 2026-12-06).
 */
export function largeInputs(values: ArrayLike<number>, rows: number, cols: number): InputScale | undefined {
  if (rows < 2 || cols < 1 || allBelow(values, rows * cols, SMALL_INPUTS)) return undefined;
  const means = new Float64Array(cols);
  const squares = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j];
      const step = v - means[j];
      means[j] += step / (i + 1);
      squares[j] += step * (v - means[j]);
    }
  }
  let [meanSquare, varianceSum] = [0, 0];
  for (let j = 0; j < cols; j++) {
    meanSquare += means[j] * means[j];
    varianceSum += squares[j] / rows;
  }
  const scale = { mean: Math.sqrt(meanSquare / cols), spread: Math.sqrt(varianceSum / cols) };
  return Number.isFinite(scale.mean) && Number.isFinite(scale.spread) && Math.hypot(scale.mean, scale.spread) >= LARGE_INPUTS ? scale : undefined;
}

/** Whether |values[i]| < bound for every i < n (false at a NaN). */
function allBelow(values: ArrayLike<number>, n: number, bound: number): boolean {
  for (let i = 0; i < n; i++) if (!(Math.abs(values[i]) < bound)) return false;
  return true;
}
