// A table wider than the terminal fits it: its headers wrap onto more lines, then its columns wrap
// into tables one under the other, each repeating the first column; no cell is dropped. study --model's
// trace tables printed 144 and 182 columns, curvature's 141, on an 80-column terminal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { formatTable } from '../../src/cli/table.js';
import { displayWidth } from '../../src/display-width.js';
import { READING_WIDTH } from '../../src/cli/prose.js';
import { terminalColumns } from '../../src/cli/terminal.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-table-width-'));
const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('formatTable at a width', () => {
  const header = ['layer', '‖∂C/∂W‖', '‖∂C/∂b‖ ÷ last hidden', 'factor ‖δˡ‖/‖δˡ⁺¹‖ (step 1: the last with ‖W‖₂)', 'saturated', 'dead units'];
  const rows = [
    ['hidden 1 (sigmoid)', '3.48e-2', '0.161×', '1.36e-1', '0.0 %', '—'],
    ['output (softmax)', '4.25e-1', '', '—', '—', '—'],
  ];

  it('prints as before where it fits, and with no width', () => {
    const natural = formatTable(header, rows);
    expect(natural.split('\n')).toHaveLength(4);
    expect(formatTable(header, rows, widest(natural))).toBe(natural);
  });

  it.each([80, 60, 40])('fits %i columns: headers wrapped, then columns, every cell kept beside its row name', (width) => {
    const text = formatTable(header, rows, width);
    expect(widest(text)).toBeLessThanOrEqual(width);
    const words = text.split(/\s+/);
    for (const cell of rows.flat().filter((c) => c !== '')) expect(text).toContain(cell);
    for (const word of header.join(' ').split(' ')) expect(words).toContain(word);
    // Each table under the other names its rows: the first column in every part.
    const parts = text.split('\n\n');
    for (const part of parts) for (const [name] of rows) expect(part).toContain(name);
    expect(parts.length).toBe(width === 80 ? 1 : parts.length);
  });

  it('repeats every column of a row’s name in each part: a row named by its activation and init keeps both', () => {
    const named = ['activation', 'init', 'when', ...Array.from({ length: 6 }, (_, l) => `layer ${l + 1}: mean p98 sat`)];
    const cells = ['normal', 'glorot'].flatMap((init) => ['start', 'end'].map((when) => ['sigmoid', init, when, ...Array.from({ length: 6 }, () => '0.12 0.98 50 %')]));
    const parts = formatTable(named, cells, 60, 3).split('\n\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const body = part.split('\n').slice(-cells.length);
      expect(body.map((line) => line.split(/\s{2,}/).slice(0, 3).join(' '))).toEqual(cells.map((row) => row.slice(0, 3).join(' ')));
      expect(widest(part)).toBeLessThanOrEqual(60);
    }
  });

  it('keeps a row on one line: each part has a line per row under its rule', () => {
    for (const part of formatTable(header, rows, 40).split('\n\n')) {
      const lines = part.split('\n');
      const rule = lines.findIndex((line) => /^─+(  ─+)*$/.test(line));
      expect(lines.slice(rule + 1).map((line) => line.slice(0, 18).trim())).toEqual(rows.map(([name]) => name));
    }
  });
});

describe('formatTable in terminal columns', () => {
  it('pads a cell by the columns it takes: an emoji or a CJK name two a character, an accent none, an astral letter one', () => {
    // Padded by UTF-16 length, '🧠' (2 units, 2 columns) lined up by luck, '層' (1 unit, 2 columns) and 'é' written
    // as e + U+0301 (2 units, 1 column) did not, nor '𝑥' (2 units, 1 column).
    const text = formatTable(['module', 'ratio'], [['🧠 brain', '1.00×'], ['層 layer', '2.00×'], ['cafe\u0301', '3.00×'], ['𝑥 input', '4.00×'], ['plain', '5.00×']]);
    const widths = text.split('\n').map(displayWidth);
    expect(new Set(widths).size, text).toBe(1);
    expect(text.split('\n').slice(2).map((line) => line.endsWith('×'))).toEqual([true, true, true, true, true]);
  });
});

describe('the terminal width', () => {
  it.each([
    ['80', 200, 80],
    [undefined, 132, 132],
    ['', 132, 132],
    ['wide', 132, 132],
    ['0', undefined, undefined],
    [undefined, undefined, undefined],
  ] as const)('COLUMNS %j beside a terminal of %j: %j', (variable, tty, expected) => {
    expect(terminalColumns(variable, tty)).toBe(expected);
  });
});

describe('the commands at 80 and 100 columns', async () => {
  const net = await createNetwork({ sizes: [3, 4, 4, 2], activation: 'sigmoid', loss: 'cross-entropy', seed: 5, backend: 'ref' });
  const modelPath = join(folder, 'model.json');
  writeFileSync(modelPath, JSON.stringify(net.toJSON()));
  net.dispose();
  const dataPath = join(folder, 'data.json');
  writeFileSync(dataPath, JSON.stringify({ inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0.2, 0.4], [-1, 0, 1]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] }));
  /** The lines of the tables: their rules and what starts with a row's name or a header's first word. */
  const tableLines = (stdout: string) => stdout.split('\n').filter((line) => /^(─|layer |matrix |hidden|output|Hessian  |Gauss-Newton  |epoch |\d+ )/.test(line) || /^ {10,}\S/.test(line));

  it.each([80, 100])('study --model at %i: every table line fits', async (columns) => {
    const run = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '2', '--backend', 'ref'], columns);
    expect(run.code, run.stderr).toBe(0);
    const lines = tableLines(run.stdout);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
    // The columns past the first part are there, under the same row names.
    expect(run.stdout).toContain('saturated');
    expect(run.stdout.match(/^hidden 1 \(sigmoid\)/gm)!.length).toBeGreaterThanOrEqual(columns === 80 ? 4 : 2);
  });

  it.each([80, 100])('curvature at %i: every table line fits', async (columns) => {
    const run = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--k', '2', '--backend', 'ref'], columns);
    expect(run.code, run.stderr).toBe(0);
    const lines = tableLines(run.stdout);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
    expect(run.stdout).toContain('negative mass');
  });

  it('fits READING_WIDTH where no width is known (a file or a pipe), as on a terminal of that width: it printed 141 columns', async () => {
    const args = ['curvature', '--model', modelPath, '--data', dataPath, '--k', '2', '--backend', 'ref'];
    const [file, terminal] = [await runCliInProcess(args), await runCliInProcess(args, READING_WIDTH)];
    expect(file.code, file.stderr).toBe(0);
    expect(file.stdout).toBe(terminal.stdout);
    for (const line of tableLines(file.stdout)) expect(line.length, line).toBeLessThanOrEqual(READING_WIDTH);
    expect(file.stdout).toContain('negative mass');
  });
});
