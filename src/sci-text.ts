/**
 * A measure in a table's column (the CLI's tables, the studies' tables the terminal and the HTML report
 * both print): scientific notation at 3 significant digits, one width down a column whatever the magnitude
 * (an exact 0 aside, which prints '0').
 */

/**
 * 3 significant digits in exponent form: 1.23e-4; an exact 0 (or −0) '0', as numberText and lossText print
 * it: '0.00e+0' claimed three digits of a measure that is nothing (a dead layer's gradient in the tables).
 */
export function sci(value: number): string {
  return value === 0 ? '0' : value.toExponential(2);
}
