/** Evenly spaced picks: which records, epochs or blocks the report draws, and which points of a long line carry its marker shape. */

/** At most `most` of the indexes 0 … count − 1, evenly spaced, the first and the last included (all of them when count ≤ most). */
export function evenIndexes(count: number, most: number): number[] {
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  return [...new Set(Array.from({ length: most }, (_, i) => (most === 1 ? 0 : Math.round((i * (count - 1)) / (most - 1)))))];
}
