/**
 * What the CLI printed, read back as written, whatever the width made of it: every command prints at READING_WIDTH
 * (in a file too), so a sentence may run over several lines (flat reads it across them) and a table's headers over
 * several lines and its columns over several parts one under the other, each part repeating the rows' names
 * (printedTable reads it as one table).
 */
import { expect } from 'vitest';

/** `text` with every run of white space one space: a wrapped sentence read across its lines (printed prose, or a Markdown paragraph). */
export const flat = (text: string): string => text.replace(/\s+/g, ' ');

/** A printed table: each column's header (its lines joined by a space) and each row's cells, trimmed. */
export interface PrintedTable {
  header: string[];
  rows: string[][];
  /** The parts it was printed in, one under the other. */
  parts: number;
}

/** The rule under a part's header: runs of ─ two spaces apart, one a column. */
const RULE = /^─+( {2}─+)*$/;

/** The columns of a part, as [start, end) in characters, from its rule's runs of ─. */
function columnSpans(rule: string): [number, number][] {
  return [...rule.matchAll(/─+/g)].map((m) => [m.index!, m.index! + m[0].length]);
}

/** `line`'s cells at `spans` (code points, as the rule's characters: no wide character in these tables), trimmed. */
function cellsOf(line: string, spans: [number, number][]): string[] {
  const characters = Array.from(line);
  return spans.map(([start, end]) => characters.slice(start, end).join('').trim());
}

/** Whether `line` writes nothing outside `spans` (a header line does; a caption, prose, runs across the gaps between columns). */
function withinColumns(line: string, spans: [number, number][]): boolean {
  return Array.from(line).every((character, i) => character === ' ' || spans.some(([start, end]) => i >= start && i < end));
}

/** Whether `lines` (a block between blank lines) are a part of a table alone: its header lines, its rule, its rows. */
function isPart(lines: string[]): boolean {
  const rule = lines.findIndex((line) => RULE.test(line));
  return rule >= 0 && lines.slice(0, rule).every((line) => withinColumns(line, columnSpans(lines[rule])));
}

/** One part of a table: the lines from its first header line to its last row. */
function readPart(lines: string[]): PrintedTable {
  const rule = lines.findIndex((line) => RULE.test(line));
  const spans = columnSpans(lines[rule]);
  const titles = lines.slice(0, rule).map((line) => cellsOf(line, spans));
  const header = spans.map((_, c) => titles.map((cells) => cells[c]).filter(Boolean).join(' '));
  return { header, rows: lines.slice(rule + 1).map((line) => cellsOf(line, spans)), parts: 1 };
}

/** Lines a caption may wrap over. */
const CAPTION_LINES = 4;

/**
 * The table printed right under `caption` in `stdout` (prose: it may wrap over a few lines; its table's first header line
 * follows it), every part of it joined: the first `keyColumns` columns (the rows' names, default 1) once, then each
 * part's other columns. A part is the next block (after a blank line) of header lines, a rule and rows alone (no
 * caption above them) whose rows have the first part's names, in order.
 */
export function printedTable(stdout: string, caption: string, keyColumns = 1): PrintedTable {
  const lines = stdout.split('\n');
  // The caption's last line: where it and up to CAPTION_LINES − 1 lines before it read as the caption.
  const at = lines.findIndex((_, end) => Array.from({ length: Math.min(end + 1, CAPTION_LINES) }, (_, k) => flat(lines.slice(end - k, end + 1).join(' ')).trim()).includes(caption));
  expect(at, `no caption '${caption}' in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const blockFrom = (start: number) => lines.slice(start, lines.indexOf('', start) < 0 ? lines.length : lines.indexOf('', start));
  let block = blockFrom(at + 1);
  const table = readPart(block);
  const names = (rows: string[][]) => rows.map((row) => row.slice(0, keyColumns).join(' ')).join('\n');
  for (let start = at + 1 + block.length + 1; start < lines.length; start += block.length + 1) {
    block = blockFrom(start);
    if (!isPart(block)) break;
    const part = readPart(block);
    if (names(part.rows) !== names(table.rows)) break;
    table.header.push(...part.header.slice(keyColumns));
    part.rows.forEach((row, r) => table.rows[r].push(...row.slice(keyColumns)));
    table.parts++;
  }
  return table;
}

/** `table` as lines of its cells two spaces apart, a line for the header, then one per row: what a test matches where it matched a whole printed table's lines. */
export function tableLines(table: PrintedTable): string[] {
  return [table.header, ...table.rows].map((cells) => cells.join('  '));
}
