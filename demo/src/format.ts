import { grouped, lossText, percentText } from '../../src/index.js';
import { numberText, printedRate } from '../../src/number-text.js';
import { sci } from '../../src/sci-text.js';
import type { Snapshot } from './protocol.js';

/**
 * The loss card's epoch counter, saying what an epoch is here: passes over the training rows, with
 * the decimals that still move (2 below 10, 1 below 100, none from there: "epoch 11188.0" said
 * nothing its ".0" did not).
 */
export function epochText(epochs: number, trainRows: number): string {
  const digits = epochs < 10 ? 2 : epochs < 100 ? 1 : 0;
  return `epoch ${groupedFixed(epochs, digits)} (passes over the ${grouped(trainRows)} training rows)`;
}

/** `n` with `digits` decimals, its whole part grouped as grouped() groups it: 11188.04 → "11,188", 0.3 → "0.30". */
function groupedFixed(n: number, digits: number): string {
  const [whole, decimals] = n.toFixed(digits).split('.');
  return grouped(Number(whole)) + (decimals === undefined ? '' : `.${decimals}`);
}

/**
 * The step counter as the status line, the step card and the 'before' caption say it: a count of the
 * steps taken, read beside the epoch counter, so grouped as it is ("step 120,438", not "step 120438").
 */
export function stepText(step: number): string {
  return `step ${grouped(step)}`;
}

/**
 * The status line while a run goes on or is paused: the step, and the losses as gradscope prints a loss
 * everywhere (lossText: 4 significant digits, the CLI's epoch lines' and the diagnosis's 2.305, where
 * fmt's 3 wrote 2.31 beside a diagnosis panel saying 2.305), with the accuracies. `paused`: how a paused run's line
 * begins (a run early stopping paused says so).
 */
export function progressStatus(running: boolean, s: Pick<Snapshot, 'step' | 'loss' | 'accuracy' | 'testLoss' | 'testAccuracy'>, paused = 'Paused'): string {
  const now = `${stepText(s.step)}, loss ${lossText(s.loss)}, accuracy ${percentText(s.accuracy)}`;
  return `${running ? 'Training' : paused}: ${now} (test: loss ${lossText(s.testLoss)}, accuracy ${percentText(s.testAccuracy)})`;
}

/**
 * The chain table's columns (and the residual blocks' beside it), each at one rule of 3 significant digits, as gradscope prints
 * each kind of number elsewhere, where fmt's dropped zeros and 2-digit exponent form set '0.1' above '0.0717' and '3.9e-7' in one
 * column: a gradient's norm as the CLI's and the HTML report's tables print it (sci: exponent form at any magnitude, so the
 * column, which spans decades, reads at one width: '3.90e-7', '7.17e-2'); a chain factor or its bound as the diagnosis quotes it
 * ("the measured factor here is 0.138": numberText, trailing zeros kept, '1.00'); a per-layer rate as the remedy's layerRates and
 * the option hold it (printedRate: '2780', '7.5').
 */
export const CHAIN_CELL = {
  norm: sci,
  factor: numberText,
  rate: (rate: number) => String(printedRate(rate)),
} as const;

/**
 * A number of the page's charts (the diagram's scale, the heatmap's ticks; a loss prints through lossText, the chain table through CHAIN_CELL): 3 significant digits (2 in exponent form), exponent form only
 * when very large or small (from 10⁴, below 10⁻²), no trailing zeros (a tick reads '0.1'). A number from 1,000 to 9,999 is written whole
 * ('2780'), not '2.78e+3'.
 */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  // Rounded first, so 9999.6 is written as the 10⁴ it rounds to ('1.0e+4'); through Number, no trailing zeros ('0.1', not '0.100').
  const rounded = Number(x.toPrecision(3));
  const a = Math.abs(rounded);
  return a !== 0 && (a < 1e-2 || a >= 1e4) ? x.toExponential(1) : String(rounded);
}
