// `gradscope study trainable-depth --json-file F` writes what it measured as it goes (verdicts54: two seed runs stopped by
// a 40-minute limit at 71 % left nothing, --json being printed only at the end): a run stopped partway leaves a file that
// reads, says it is partial and holds the rows measured; the same command given that file measures only the rest, and its
// file equals an uninterrupted run's (all but seconds); a file of another set-up is refused, unchanged. The stop is a test
// hook: the study's runNetwork throws from the chosen network on, as a kill there would end the run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseJsonLine } from '../../src/cli/command.js';
import { runCliInProcess } from '../util/cli.js';

const stop = vi.hoisted(() => ({ atNetwork: Infinity, trained: 0 }));
vi.mock('../../src/studies/trainable-depth-run.js', async (original) => {
  const actual = await original<typeof import('../../src/studies/trainable-depth-run.js')>();
  return {
    ...actual,
    runNetwork: (...args: Parameters<typeof actual.runNetwork>) => {
      if (stop.trained++ >= stop.atNetwork) throw new Error('stopped by the test');
      return actual.runNetwork(...args);
    },
  };
});

const STUDY = ['study', 'trainable-depth', '--depths', '1,2', '--width', '4', '--epochs', '1', '--train', '64', '--test', '16', '--remedies', 'plain-sigmoid,relu-he'];
/** The table's 4 networks, then the budget sweep's: plain-sigmoid and adam at 1 hidden layer, and the grid's two other rates. */
const WITH_SWEEP = [...STUDY, '--papers', '0', '--budgets', '1', '--budget-depths', '1'];
const TABLE_NETWORKS = 4;

const folder = mkdtempSync(join(tmpdir(), 'gradscope-json-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => {
  stop.atNetwork = Infinity;
  stop.trained = 0;
});

const read = (file: string) => parseJsonLine(readFileSync(file, 'utf8')) as Record<string, unknown> & { rows: { remedy: string; depth: number }[] };
/** A study's file less every wall-clock `seconds`, the one number a rerun may change. */
const withoutSeconds = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutSeconds)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'seconds').map(([key, v]) => [key, withoutSeconds(v)]))
      : value;

let whole: Record<string, unknown>;

describe('study trainable-depth --json-file', () => {
  it("an uninterrupted run's file is --json's object with its set-up, and says nothing partial", async () => {
    const file = join(folder, 'whole.json');
    const { code, stdout, stderr } = await runCliInProcess([...WITH_SWEEP, '--json', '--json-file', file]);
    expect(code, stderr).toBe(0);
    whole = read(file);
    expect(whole).not.toHaveProperty('partial');
    const { setup, ...rest } = whole;
    expect(rest).toEqual(parseJsonLine(stdout));
    expect(setup).toMatchObject({ study: 'trainable-depth', depths: [1, 2], width: 4, epochs: 1, trainRows: 64, testRows: 16, seed: 1, backend: 'wasm', budgets: [1], budgetDepths: [1], papers: null });
    expect(whole.rows).toHaveLength(TABLE_NETWORKS);
  });

  it('a run stopped in the table leaves its rows, marked partial; the same command measures only the rest, to the same file', async () => {
    const file = join(folder, 'stopped-in-table.json');
    stop.atNetwork = 2;
    const stopped = await runCliInProcess([...WITH_SWEEP, '--json-file', file]);
    expect(stopped.code).not.toBe(0);
    const partial = read(file);
    expect(partial.partial).toBe(
      'a run stopped before its end leaves this: 2 of 4 networks of the table measured; the budget sweep not yet; the same command with this --json-file measures only the rest',
    );
    expect(partial.rows.map((r) => [r.remedy, r.depth])).toEqual([['plain-sigmoid', 1], ['plain-sigmoid', 2]]);
    expect(partial.setup).toEqual(whole.setup);

    stop.atNetwork = Infinity;
    stop.trained = 0;
    const resumed = await runCliInProcess([...WITH_SWEEP, '--json-file', file]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^trainable depth: 2 of 4 networks of the table measured before, taken from \S+stopped-in-table\.json: done$/m);
    // Only the table's other 2 networks and the budget sweep's 4 trained.
    expect(stop.trained).toBe(2 + 4);
    expect(withoutSeconds(read(file))).toEqual(withoutSeconds(whole));
  });

  it('a run stopped in the budget sweep keeps the whole table; the rerun trains only the sweep', async () => {
    const file = join(folder, 'stopped-in-sweep.json');
    stop.atNetwork = TABLE_NETWORKS + 1;
    expect((await runCliInProcess([...WITH_SWEEP, '--json-file', file])).code).not.toBe(0);
    const partial = read(file);
    expect(partial.partial).toMatch(/^a run stopped before its end leaves this: the table measured; the budget sweep not yet;/);
    expect(partial.rows).toHaveLength(TABLE_NETWORKS);
    expect(partial).toHaveProperty('goal');
    expect(partial).not.toHaveProperty('budgetSweep');
    stop.atNetwork = Infinity;
    stop.trained = 0;
    const resumed = await runCliInProcess([...WITH_SWEEP, '--json-file', file]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stop.trained).toBe(4);
    expect(resumed.stderr).toMatch(/^trainable depth: 4 of 4 networks of the table measured before, taken from /m);
    expect(withoutSeconds(read(file))).toEqual(withoutSeconds(whole));
  });

  it('a file of another set-up, or no study file, is refused before any work and left as it was', async () => {
    const file = join(folder, 'other.json');
    stop.atNetwork = 1;
    await runCliInProcess([...WITH_SWEEP, '--json-file', file]);
    const before = readFileSync(file, 'utf8');
    stop.trained = 0;
    const widthFive = WITH_SWEEP.map((word, i) => (WITH_SWEEP[i - 1] === '--width' ? '5' : word));
    const other = await runCliInProcess([...widthFive, '--json-file', file]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--json-file \S+other\.json holds a run of another set-up \(width 4 there, 5 here\): give another file, or remove it to measure anew/);
    const seed = await runCliInProcess([...WITH_SWEEP, '--seed', '2', '--json-file', file]);
    expect(seed.stderr).toMatch(/\(seed 1 there, 2 here\)/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const notStudy = join(folder, 'not-a-study.json');
    writeFileSync(notStudy, '{"rows": 3}\n');
    const refused = await runCliInProcess([...WITH_SWEEP, '--json-file', notStudy]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/holds no study --json-file wrote \(no "setup" and "rows"\)/)]);
    expect(stop.trained).toBe(0);
  });

  it('--papers only refuses it: it writes the table as it goes', async () => {
    const refused = await runCliInProcess(['study', 'trainable-depth', '--papers', 'only', '--json-file', join(folder, 'papers.json')]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining("--json-file writes the study's table as it goes, which --papers only does not run: give --json instead")]);
  });
});
