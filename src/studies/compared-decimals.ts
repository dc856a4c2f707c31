/**
 * How many decimals a verdict prints the numbers it compares with: one rule for every paper's verdict, read from the numbers
 * compared rather than fixed, so that the printed numbers show why the verdict is what it is. At one decimal He et al.'s
 * 80-epoch ends, 2.180 points apart against 2 standard errors of 2.175, printed as "2.2" against "2.2" under "differ by more than";
 * and a gap printed beside the numbers it is between is theirs as printed (printedGap).
 */

/** toFixed's most decimals: past them two numbers that still print alike are printed alike. */
const MOST_DECIMALS = 100;

/** The fewest decimals, at least `least`, at which `shows` holds (MOST_DECIMALS at most). */
function fewestDecimals(shows: (decimals: number) => boolean, least: number): number {
  let decimals = least;
  while (decimals < MOST_DECIMALS && !shows(decimals)) decimals++;
  return decimals;
}

/** A number as a reader takes it back from its print with `decimals` (toFixed). */
const printed = (value: number, decimals: number) => Number(value.toFixed(decimals));

/**
 * The fewest decimals, at least `least`, at which each pair of `pairs`, each number printed with them (toFixed), stands as it
 * does unprinted: the first above the second, below it, or equal to it. A pair with a number that is not finite compares nothing.
 */
export function decimalsShowing(pairs: readonly (readonly [number, number])[], least = 1): number {
  const compared = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  return fewestDecimals((decimals) => compared.every(([a, b]) => Math.sign(printed(a, decimals) - printed(b, decimals)) === Math.sign(a - b)), least);
}

/**
 * The gap between `a` and `b` as a reader takes it from their prints with `decimals`: the difference of the printed numbers,
 * printed with them. A verdict that prints two means and their gap prints this gap, so that the three agree: 74.14 % and
 * 10.56 % print as 74.1 and 10.6, 63.5 apart, where the unprinted gap, 63.58, printed 63.6 beside them.
 */
export function printedGap(a: number, b: number, decimals: number): string {
  return Math.abs(printed(a, decimals) - printed(b, decimals)).toFixed(decimals);
}

/**
 * The fewest decimals, at least `least`, at which `a` and `b` printed with them are a gap apart (printedGap) that stands against
 * `bound` printed with them as |a − b| does unprinted: above it, below it or equal to it. Finite numbers only.
 */
export function decimalsShowingGap(a: number, b: number, bound: number, least = 1): number {
  const order = Math.sign(Math.abs(a - b) - bound);
  return fewestDecimals((decimals) => Math.sign(Number(printedGap(a, b, decimals)) - printed(bound, decimals)) === order, least);
}
