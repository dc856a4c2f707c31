/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** 3 significant digits in exponent form: 1.23e-4. */
export function sci(value: number): string {
  return value.toExponential(2);
}

/** The range a column of ratios prints in fixed point: [0.01, 1000), where 3 significant digits read as plain decimals. */
const FIXED_RATIOS = { low: 0.01, high: 1000 };

/**
 * A column of ratios in one format, 3 significant digits and ×: fixed point (0.0171×, 82.2×) where
 * every number lies in [0.01, 1000), exponent form for all (1.71e-2×, 1.22e-6×) where any does not,
 * so that one column never mixes 0.00000122× with 3.01e-8× (toPrecision's switch at 1e-7). NaN
 * (0 ÷ 0) and Inf (x ÷ 0: a gradient of 0 gives no ratio) are '—', 0 is '0×', undefined '' (no ratio
 * in that row); none of them decides the format.
 */
export function ratioColumn(values: readonly (number | undefined)[]): string[] {
  const numbers = values.filter((v): v is number => v !== undefined && Number.isFinite(v) && v !== 0);
  const fixed = numbers.every((v) => Math.abs(v) >= FIXED_RATIOS.low && Math.abs(v) < FIXED_RATIOS.high);
  const cell = (v: number) => (!Number.isFinite(v) ? '—' : v === 0 ? '0×' : `${fixed ? v.toPrecision(3) : v.toExponential(2)}×`);
  return values.map((v) => (v === undefined ? '' : cell(v)));
}
