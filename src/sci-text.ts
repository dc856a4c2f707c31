/**
 * A measure in a table's column (the CLI's tables, the studies' tables the terminal and the HTML report
 * both print): scientific notation at 3 significant digits, one width down a column whatever the magnitude.
 */

/** 3 significant digits in exponent form: 1.23e-4. */
export function sci(value: number): string {
  return value.toExponential(2);
}
