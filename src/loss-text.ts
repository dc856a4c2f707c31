import { invalidOption, shown, shownArgument } from './errors.js';
import { apartIn } from './number-text.js';

/**
 * How gradscope prints a loss, wherever it does: the command line (train's epoch lines, study --model's
 * learning curve, gradients' mean loss, the worse-than-start warning), the diagnosis's sentences
 * (flow/diagnosis), the training faults' messages (training/) and the studies' reports and findings.
 * One form, so that a loss the CLI prints reads the same in the diagnosis beneath it: the diagnosis
 * said 2.31 (numberText's 3 digits) and the papers' findings 2.305 (toFixed(3)) where the epoch lines
 * said 2.305. It lives beside number-text.ts, not in cli/, so that the diagnosis and the studies can
 * import it without importing the command line.
 */

/**
 * Significant digits of a printed loss: one more than numberText's 3, so that the epochs' small
 * changes show (2.305 → 2.311).
 */
export const LOSS_DIGITS = 4;

/** The magnitude from which a loss prints in exponent form ('999.9', then '1.000e+3'), as numberText's numbers do. */
export const POSITIONAL_BELOW = 1e3;

/**
 * A loss (or an amount in the loss's units: a spread, a difference) as gradscope prints it: `digits`
 * significant digits (default 4, one more than gradscope's other numbers, so that an epoch's small change shows), positional from 1e-6 up to 10³ (2.350, 0.9108, 0.007370), as
 * toPrecision writes it, exponent form beyond (4.959e+3, 1.235e+4, 1.000e-7); 0 (and −0) is '0', as numberText prints it (a loss of exactly 0 is no
 * measurement to 4 digits), a loss beyond float64 'Infinity' (or '-Infinity'), and NaN '—', as percentText
 * prints no value ('NaN' is no loss).
 */
export function lossText(loss: number, digits = LOSS_DIGITS): string {
  if (typeof loss !== 'number') throw invalidOption(`lossText(loss): expected a number, got ${shownArgument(loss)}`);
  // toPrecision's own range; outside it a RangeError that names neither the call nor the value.
  if (!Number.isInteger(digits) || digits < 1 || digits > 100) throw invalidOption(`lossText(loss, digits): digits is a whole number from 1 to 100, got ${shown(digits)}`);
  if (loss === 0) return '0';
  if (Number.isNaN(loss)) return '—';
  // From 10³ in exponent form, as numberText prints: 4959 read as a count of something (a table's trainLoss of 4959.1).
  const text = loss.toPrecision(digits);
  return Math.abs(Number(text)) >= POSITIONAL_BELOW ? Number(text).toExponential(digits - 1) : text;
}

/** Losses a sentence compares ('loss A → B'), as lossText prints them, to LOSS_DIGITS or as many more as print every two that differ in their order. */
export function lossTexts(losses: readonly number[]): string[] {
  return apartIn(losses, LOSS_DIGITS, (loss, digits) => lossText(loss, digits));
}

/** A loss that went from `from` to `to`, 'A → B', the two told apart as lossTexts tells them (2.3051 → 2.3054, not 2.305 → 2.305). */
export function lossChangeText(from: number, to: number): string {
  const [a, b] = lossTexts([from, to]);
  return `${a} → ${b}`;
}
