/** Order statistics: the median every printed "median over …" of gradscope (diagnosis, studies, bench) uses, and quantiles. */

/**
 * The median of `values`, NaN entries left out (a record that could not be measured does not count
 * as a value): the middle value, or the mean of the two middle values of an even count; NaN if no
 * value is left.
 */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The q-quantile (0..1) of `values`, linearly interpolated between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
}
