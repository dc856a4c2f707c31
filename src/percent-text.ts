/**
 * A fraction as gradscope prints a percentage, for everything it prints or writes (the CLI, the
 * studies, the reports), and percentages kept on one line where a browser lays the text out.
 */
import { invalidOption, shownArgument } from './errors.js';

/**
 * `fraction` (0.123) as a percentage with one decimal, "12.3 %"; "—" for null, NaN or ±Infinity (no
 * value to print: "NaN %" is no percentage); a fraction that rounds to zero prints "0.0 %" whatever
 * its sign (-0.0001 printed "-0.0 %").
 */
export function percentText(fraction: number | null): string {
  if (fraction !== null && typeof fraction !== 'number') throw invalidOption(`percentText(fraction): expected a number or null, got ${shownArgument(fraction)}`);
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  // A negative fraction that rounds to zero reads '-0.0': no sign to print.
  return `${(100 * fraction).toFixed(1).replace(/^-(?=0\.0$)/, '')} %`;
}

/** U+00A0 NO-BREAK SPACE: a space a browser never breaks a line at. */
const NO_BREAK_SPACE = '\u00a0';

/**
 * `text` with the space between each number and its '%' ("84 %", as percentText and the diagnoses
 * write them) a no-break space, for text a browser lays out (the HTML report, the visualizer): a
 * line never ends in "84" with its "%" on the next. The terminal's wrapper keeps them together itself.
 */
export function unbrokenPercents(text: string): string {
  if (typeof text !== 'string') throw invalidOption(`unbrokenPercents(text): expected a string, got ${shownArgument(text)}`);
  return text.replace(/(\d) %/g, `$1${NO_BREAK_SPACE}%`);
}
