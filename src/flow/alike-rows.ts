/**
 * Whether a run's input rows are alike (TraceRun.inputs): every input feature the same on every row, to within float32's rounding.
 * Through rows alike every layer gets the same input on every row, so nothing a network learns can tell them apart, and diagnose()
 * names the data as the cause of what it measures. Rows that vary only a little about a large offset are not alike: a dense
 * layer's weights see their spread whatever the offset (review39: 1000 + u read alike by a relative spread, beside 96 % accuracy).
 */

/** A feature's spread over the rows (its standard deviation) at or below this share of its largest |value| is float32's rounding: 4 units in its last place (2⁻²¹). */
export const ALIKE_SPREAD = 2 ** -21;

/** Rows read between pass 1's checks for a feature that cannot be alike: the check costs 1/ROWS_PER_CHECK of the pass. */
const ROWS_PER_CHECK = 64;

/**
 * Whether every one of the `cols` features of `rows` rows (`values`, row-major) is the same on every row: its standard deviation
 * over them at most ALIKE_SPREAD of its largest |value| (0 for a feature that is 0 throughout). A value that is not finite makes
 * its feature not alike; fewer than two rows are never alike.
 *
 * Two passes over the rows in their order (feature by feature took 1.9× as long over 10,000 × 784 float32 rows alike:
 * AMD EPYC Zen 5, 2026-12-05, commit a975646a's message), each feature's sums taken in row order as before, so the answer
 * for float32 values (train()'s resident inputs) is the same to the bit. The first pass stops at a feature that
 * cannot be alike, as varied inputs show within a few rows: if its values span R (highest − lowest), each is within R of row 0's
 * x₀, so its largest |value| is at most |x₀| + R, and its spread is at least R / √(2·rows) (the two ends' share of the squares
 * alone); it is not alike wherever R / √(2·rows) > ALIKE_SPREAD · (|x₀| + R), which holds for every R above one that holds it.
 * Asked with a factor 2 for float64's rounding of the sums, the first pass stops only where the second would say no.
 */
export function rowsAlike(values: ArrayLike<number>, rows: number, cols: number): boolean {
  if (rows < 2) return false;
  const sums = new Float64Array(cols);
  // Each feature's lowest and highest value; a NaN, which neither takes, makes its sum NaN, and the feature not alike.
  const lowest = Float64Array.from({ length: cols }, (_, j) => values[j]);
  const highest = Float64Array.from(lowest);
  const cannot = 2 * ALIKE_SPREAD * Math.sqrt(2 * rows);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, at++) {
      const value = values[at];
      sums[j] += value;
      if (value < lowest[j]) lowest[j] = value;
      else if (value > highest[j]) highest[j] = value;
    }
    if ((i + 1) % ROWS_PER_CHECK === 0) {
      for (let j = 0; j < cols; j++) {
        const span = highest[j] - lowest[j];
        if (span > cannot * (Math.abs(values[j]) + span)) return false;
      }
    }
  }
  const means = sums.map((sum) => sum / rows);
  const squares = new Float64Array(cols);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, at++) squares[j] += (values[at] - means[j]) ** 2;
  }
  for (let j = 0; j < cols; j++) if (!(Math.sqrt(squares[j] / rows) <= ALIKE_SPREAD * Math.max(-lowest[j], highest[j]))) return false;
  return true;
}
