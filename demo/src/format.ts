/** A number for the status line and the chain-rule table: 3 significant digits, exponent form when very large or small. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-2 || a >= 1e4)) return x.toExponential(1);
  const text = x.toPrecision(3);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
