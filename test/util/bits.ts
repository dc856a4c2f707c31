/** The first index where a and b differ bit for bit (Object.is: −0 ≠ 0, NaN = NaN), or −1. */
export function firstBitDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}
