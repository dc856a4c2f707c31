// `gradscope study trainable-depth` end to end on a tiny budget: --json prints { rows: [...] } with the
// issue's fields per (remedy, depth); --quick picks its preset, which explicit flags override; bad
// flags are refused with one line (exit 2 for the command line, 1 for an unknown remedy) before any work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICK_STUDY } from '../../src/studies/trainable-depth.js';
import { runCliInProcess } from '../util/cli.js';

const SMALL = ['--depths', '1,2', '--width', '4', '--epochs', '1', '--train', '64', '--test', '16'];
const TINY = [...SMALL, '--papers', '0'];
const FIELDS = ['remedy', 'depth', 'testAccuracy', 'trainLoss', 'steps', 'seconds', 'firstToLastAtInit', 'firstToLastAtEnd'];

describe('gradscope study trainable-depth', () => {
  it('--json: a row per (remedy, depth) with the issue fields, accuracy as a fraction', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...TINY, '--remedies', 'relu-he,adam', '--json']);
    expect(code, stderr).toBe(0);
    const { rows } = JSON.parse(stdout) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => [r.remedy, r.depth])).toEqual([['relu-he', 1], ['relu-he', 2], ['adam', 1], ['adam', 2]]);
    for (const row of rows) {
      for (const field of FIELDS) expect(row, field).toHaveProperty(field);
      for (const field of FIELDS.slice(2)) expect(typeof row[field], `${field} of ${JSON.stringify(row)}`).toBe('number');
      expect(row.testAccuracy as number).toBeLessThanOrEqual(1);
      expect(row.steps).toBe(2); // ⌈64 / 32⌉
    }
  });

  it('--quick runs its preset of remedies and depths; explicit flags override it', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--quick', '--depths', '1', '--width', '4', '--epochs', '1', '--train', '32', '--test', '8', '--json']);
    expect(code, stderr).toBe(0);
    const { rows, epochs, papers } = JSON.parse(stdout) as { rows: { remedy: string; depth: number }[]; epochs: number; papers: unknown[] };
    expect(rows.map((r) => r.remedy)).toEqual([...QUICK_STUDY.remedies]);
    expect(rows.every((r) => r.depth === 1)).toBe(true);
    expect(epochs).toBe(1);
    expect(papers).toEqual([]); // --quick leaves the papers' experiments out
  });

  it("prints the tables, the goal check and the papers' experiments, and writes the report with --html", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-trainable-depth-'));
    const report = join(folder, 'report.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...SMALL, '--papers', '0.01', '--remedies', 'plain-sigmoid', '--html', report]);
    expect(code, stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    for (const id of ['trainable-depth', 'trainable-depth-deepest', 'paper-batch-norm', 'paper-selu', 'paper-rezero']) expect(html).toContain(`id="${id}"`);
    expect(stdout).toMatch(/Ioffe & Szegedy/);
    expect(stdout).toMatch(/deepest ≥ 90 %/);
    expect(stdout).toMatch(/Goal: plain sigmoid stops training between 5 and 20 hidden layers .*: not measured/);
    expect(stdout).toMatch(/Goal: at least one remedy trains 100 hidden layers .*: not measured/);
    expect(stderr).toMatch(/trainable-depth: plain-sigmoid at 2 hidden layers done/);
  });

  it('refuses bad flags with one line: exit 2 for the command line, 1 for an unknown remedy', async () => {
    for (const [args, message] of [
      [['--depths', '2,x'], /--depths needs whole numbers ≥ 1/],
      [['--depths', '0'], /--depths needs whole numbers ≥ 1/],
      [['--width', '0'], /--width must be ≥ 1/],
      [['--epochs', '1.5'], /--epochs needs a whole number/],
      [['--quick', '--quick'], /--quick is given twice/],
      [['--papers', '-1'], /--papers must be ≥ 0/],
    ] as const) {
      const run = await runCliInProcess(['study', 'trainable-depth', ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const unknown = await runCliInProcess(['study', 'trainable-depth', '--remedies', 'newton', '--depths', '1']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/INVALID_OPTION.*unknown remedy 'newton'/);
  });
});
