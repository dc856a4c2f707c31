/** The median, the one formula every printed "median over …" of gradscope (diagnosis, studies) uses. */

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
