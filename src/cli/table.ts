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

/** A ratio, 3 significant digits and ×: 82.2×, 1.58e+5× ('—' for NaN, not defined). */
export function ratioText(value: number): string {
  return Number.isNaN(value) ? '—' : `${value.toPrecision(3)}×`;
}
