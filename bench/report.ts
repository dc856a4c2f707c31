/**
 * Formatting for `npm run bench`: one row type for every suite, printed as one aligned table on
 * the console and as Markdown tables in bench/RESULTS.md.
 */

export interface ReportRow {
  suite: string;
  task: string;
  medianMs: number;
  gflops?: number;
  /** Fraction of the in-run f32x4 mul+add peak. */
  ofPeak?: number;
  /** What the ratio means is said in the suite's heading. */
  ratio?: number;
  /** Samples per second, for training steps. */
  samplesPerSecond?: number;
}

const COLUMNS: { head: string; width: number; cell: (r: ReportRow) => string }[] = [
  { head: 'suite', width: 11, cell: (r) => r.suite },
  { head: 'task', width: 46, cell: (r) => r.task },
  { head: 'median ms', width: 10, cell: (r) => ms(r.medianMs) },
  { head: 'GFLOP/s', width: 8, cell: (r) => (r.gflops === undefined ? '' : r.gflops.toFixed(1)) },
  { head: 'of peak', width: 8, cell: (r) => (r.ofPeak === undefined ? '' : percent(r.ofPeak)) },
  { head: 'samples/s', width: 10, cell: (r) => (r.samplesPerSecond === undefined ? '' : Math.round(r.samplesPerSecond).toLocaleString('en')) },
  { head: 'ratio', width: 8, cell: (r) => (r.ratio === undefined ? '' : times(r.ratio)) },
];

export function ms(value: number): string {
  return value >= 100 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(0)} %`;
}
export function times(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** The console table: every suite's rows, aligned. */
export function consoleTable(rows: readonly ReportRow[]): string {
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(COLUMNS[i].width) : c.padStart(COLUMNS[i].width))).join(' ');
  return [line(COLUMNS.map((c) => c.head)), ...rows.map((r) => line(COLUMNS.map((c) => c.cell(r))))].join('\n');
}

/** A Markdown table of the columns some row of `rows` fills (suite left out: it is the heading). */
export function markdownTable(rows: readonly ReportRow[]): string {
  const used = COLUMNS.slice(1).filter((c) => rows.some((r) => c.cell(r) !== ''));
  const header = `| ${used.map((c) => c.head).join(' | ')} |`;
  const rule = `|${used.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [header, rule, ...rows.map((r) => `| ${used.map((c) => c.cell(r)).join(' | ')} |`)].join('\n');
}

/** A Markdown table from a header and rows of cells (first column left-aligned). */
export function simpleTable(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
