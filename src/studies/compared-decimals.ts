/**
 * How many decimals a verdict prints the numbers it compares with: one rule for every paper's verdict, read from the numbers
 * compared rather than fixed, so that the printed numbers show why the verdict is what it is. At one decimal He et al.'s
 * 80-epoch ends, 2.180 points apart against 2 standard errors of 2.175, printed as "2.2" against "2.2" under "differ by more than".
 */

/** toFixed's most decimals: past them two numbers that still print alike are printed alike. */
const MOST_DECIMALS = 100;

/**
 * The fewest decimals, at least `least`, at which each pair of `pairs`, each number printed with them (toFixed), stands as it
 * does unprinted: the first above the second, below it, or equal to it. A pair with a number that is not finite compares nothing.
 */
export function decimalsShowing(pairs: readonly (readonly [number, number])[], least = 1): number {
  const compared = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const shows = (decimals: number) => compared.every(([a, b]) => Math.sign(Number(a.toFixed(decimals)) - Number(b.toFixed(decimals))) === Math.sign(a - b));
  let decimals = least;
  while (decimals < MOST_DECIMALS && !shows(decimals)) decimals++;
  return decimals;
}
