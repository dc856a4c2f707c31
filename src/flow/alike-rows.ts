/**
 * Whether a run's input rows are alike (TraceRun.inputs): every input feature the same on every row, to within float32's rounding.
 * Through rows alike every layer gets the same input on every row, so nothing a network learns can tell them apart, and diagnose()
 * names the data as the cause of what it measures. Rows that vary only a little about a large offset are not alike: a dense
 * layer's weights see their spread whatever the offset (review39: 1000 + u read alike by a relative spread, beside 96 % accuracy).
 */

/** A feature's spread over the rows (its standard deviation) at or below this share of its largest |value| is float32's rounding: 4 units in its last place (2⁻²¹). */
export const ALIKE_SPREAD = 2 ** -21;

/**
 * Whether every one of the `cols` features of `rows` rows (`values`, row-major) is the same on every row: its standard deviation
 * over them at most ALIKE_SPREAD of its largest |value| (0 for a feature that is 0 throughout). A value that is not finite makes
 * its feature not alike; fewer than two rows are never alike.
 */
export function rowsAlike(values: ArrayLike<number>, rows: number, cols: number): boolean {
  if (rows < 2) return false;
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      sum += values[i * cols + j];
      largest = Math.max(largest, Math.abs(values[i * cols + j]));
    }
    const mean = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += (values[i * cols + j] - mean) ** 2;
    if (!(Math.sqrt(squares / rows) <= ALIKE_SPREAD * largest)) return false;
  }
  return true;
}
