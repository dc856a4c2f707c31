/**
 * Whether a run's input rows are alike (TraceRun.inputs): every input feature's spread over the rows below FLAT_SPREAD of its size,
 * as a flat batch-norm feature's x̂ (flatFraction) is. Through rows alike every layer gets the same input on every row, so nothing a
 * network learns can tell them apart, and diagnose() names the data as the cause of what it measures.
 */
import { FLAT_SPREAD } from './metrics.js';

/**
 * Whether every one of the `cols` features of `rows` rows (`values`, row-major) is flat over them: its spread √(σ²/(σ² + μ²)) (its
 * standard deviation over its RMS) below FLAT_SPREAD, or 0 throughout. A value that is not finite makes its feature not flat.
 */
export function rowsAlike(values: ArrayLike<number>, rows: number, cols: number): boolean {
  if (rows < 2) return false;
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += values[i * cols + j];
    const mean = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += (values[i * cols + j] - mean) ** 2;
    const variance = squares / rows;
    const size = variance + mean * mean;
    if (!(size === 0 || variance < FLAT_SPREAD ** 2 * size)) return false;
  }
  return true;
}
