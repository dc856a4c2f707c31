import { displayWidth, padTo } from '../display-width.js';
import { sci } from '../sci-text.js';

/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned,
 * two spaces between columns; widths in terminal columns (displayWidth: an emoji or a CJK character
 * takes two, a combining mark none), not UTF-16 units.
 *
 * A table wider than `width` (the terminal's: Terminal.columns) first wraps its headers onto more
 * lines, each column as narrow as its widest cell or its header's longest word allow, then, if it is
 * still too wide, wraps its columns: it prints as several tables one under the other, each repeating
 * the row's name (its first `keyColumns` columns, default 1: a row named by an activation and an init
 * takes 2) with as many of the next columns as fit, as R and pandas print a wide data frame. No
 * column is dropped, so the table says nothing of a lost one; a single column
 * wider than the terminal beside the first is printed whole (the terminal folds it).
 */
export function formatTable(header: string[], rows: (string | number)[][], width = Infinity, keyColumns = 1): string {
  const cells = rows.map((row) => header.map((_, c) => String(row[c] ?? '')));
  const cellWidths = header.map((_, c) => Math.max(0, ...cells.map((row) => displayWidth(row[c]))));
  const all = header.map((_, c) => c);
  const oneLine = header.map((title, c) => Math.max(displayWidth(title), cellWidths[c]));
  if (spanOf(oneLine) <= width) return layout(header.map((title) => [title]), oneLine, cells, all);
  // The narrowest each column can be: its widest cell, or its header's longest word.
  const least = header.map((title, c) => Math.max(cellWidths[c], ...title.split(' ').map(displayWidth)));
  return columnGroups(least, width, keyColumns)
    .map((columns) => {
      const widths = headerWidths(columns.map((c) => header[c]), columns.map((c) => least[c]), width);
      return layout(columns.map((c, i) => wrapWords(header[c], widths[i])), widths, cells, columns);
    })
    .join('\n\n');
}

/** Two spaces between columns. */
const GAP = 2;

/** The characters a row of columns `widths` wide spans. */
function spanOf(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1);
}

/** `columns` of the table laid out at `widths`, each header `titles[i]` on its own lines, bottom-aligned above the rule. */
function layout(titles: string[][], widths: number[], cells: string[][], columns: number[]): string {
  const line = (row: string[]) => row.map((cell, i) => padTo(cell, widths[i], columns[i] === 0 ? 'end' : 'start')).join(' '.repeat(GAP));
  const height = Math.max(...titles.map((lines) => lines.length));
  const headerLines = Array.from({ length: height }, (_, k) => line(titles.map((lines) => lines[k - (height - lines.length)] ?? '')));
  return [...headerLines, widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), ...cells.map((row) => line(columns.map((c) => row[c])))].join('\n');
}

/** The columns in groups that each fit `width` at their least widths: the row's name (the first `keyColumns`), then as many of the next as fit (one at least). */
function columnGroups(least: readonly number[], width: number, keyColumns: number): number[][] {
  const key = Array.from({ length: keyColumns }, (_, c) => c);
  const groups: number[][] = [];
  let group = [...key];
  for (let c = keyColumns; c < least.length; c++) {
    if (group.length > keyColumns && spanOf([...group, c].map((i) => least[i])) > width) {
      groups.push(group);
      group = [...key];
    }
    group.push(c);
  }
  return [...groups, group];
}

/** Widths for headers `titles` (at least `least`) that fit `width` with the fewest header lines, each column as narrow as that many lines allow. */
function headerWidths(titles: string[], least: number[], width: number): number[] {
  const tallest = Math.max(...titles.map((title, i) => wrapWords(title, least[i]).length));
  for (let height = 1; height < tallest; height++) {
    const widths = titles.map((title, i) => {
      let w = least[i];
      while (wrapWords(title, w).length > height) w++;
      return w;
    });
    if (spanOf(widths) <= width) return widths;
  }
  return least;
}

/** `text` in lines of at most `width` columns, broken at spaces (a word longer than `width` stands alone). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && displayWidth(lines[last]) + 1 + displayWidth(word) <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
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
  const cell = (v: number) => (!Number.isFinite(v) ? '—' : v === 0 ? '0×' : `${fixed ? v.toPrecision(3) : sci(v)}×`);
  return values.map((v) => (v === undefined ? '' : cell(v)));
}
