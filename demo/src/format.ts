/**
 * The loss card's epoch counter, saying what an epoch is here: passes over the training rows, with
 * the decimals that still move (2 below 10, 1 below 100, none from there: "epoch 11188.0" said
 * nothing its ".0" did not).
 */
export function epochText(epochs: number, trainRows: number): string {
  const digits = epochs < 10 ? 2 : epochs < 100 ? 1 : 0;
  const count = epochs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `epoch ${count} (passes over the ${trainRows.toLocaleString('en-US')} training rows)`;
}

/** A number for the status line and the chain-rule table: 3 significant digits, exponent form when very large or small. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-2 || a >= 1e4)) return x.toExponential(1);
  const text = x.toPrecision(3);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
