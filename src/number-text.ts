/**
 * How gradscope's prose prints a number it measured or computed (a loss, a gradient, a bound, a value
 * it offers), in refusals, advice, diagnoses and legends alike. A number the caller gave and a message
 * echoes back ("learning rate 1e-19 × weightDecay 1e+20") keeps the caller's own form, String(value),
 * so that it reads as what was passed; everything else gradscope says goes through numberText.
 */

/** Significant digits of a printed number. */
const NUMBER_TEXT_DIGITS = 3;
/** The smallest magnitude printed positionally: below it, exponent form ('0.0100', then '9.99e-3'). */
const POSITIONAL_FROM = 0.01;
/**
 * The magnitude from which exponent form is printed ('999', then '1.00e+3'): from 10³ a positional
 * number of 3 significant digits ends in zeros that are not significant ('1230'), where the exponent
 * form shows which are ('1.23e+3').
 */
const POSITIONAL_BELOW = 1e3;

/**
 * `value` to NUMBER_TEXT_DIGITS significant digits, trailing zeros kept (a measured number says how
 * precisely it is given): positional where its magnitude, once rounded, is in [POSITIONAL_FROM,
 * POSITIONAL_BELOW) ('0.0123', '2.30', '999', '-41.5'), else exponent form ('3.41e+19', '1.00e+3',
 * '-2.50e-7'); 0 (and −0) is '0', and the values that are no number as JavaScript names them, the names
 * a caller writes and `shown` prints: 'Infinity', '-Infinity', 'NaN'. String() would write 3.41e19 as
 * '34100000000000000000' (it switches to exponent form only from 1e21), and toPrecision(3) 0.00123
 * as '0.00123' but 1.23e-7 as '1.23e-7'. A value already at 3 significant digits (an offer, as
 * largestWithin rounds it) reads back as itself: Number(numberText(v)) === v.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  // Rounded first, so that 999.7 (→ 1.00e+3) and 0.0099996 (→ 0.0100) are put on the side they print as.
  const rounded = Number(value.toPrecision(NUMBER_TEXT_DIGITS));
  const magnitude = Math.abs(rounded);
  return magnitude >= POSITIONAL_FROM && magnitude < POSITIONAL_BELOW ? rounded.toPrecision(NUMBER_TEXT_DIGITS) : rounded.toExponential(NUMBER_TEXT_DIGITS - 1);
}
