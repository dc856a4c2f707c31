// README.md's, docs/studies.md's and docs/trainable-depth.md's trainable-depth tables are what the study's renderers make
// of docs/data/trainable-depth.json, the run the documents quote (scripts/trainable-depth-tables.ts
// renders them; after a renderer change or a new run, run it again).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_FILES, parseStudyJson, replacePaperNotes, replaceTables, SEED_RUNS, studyTables } from '../../scripts/trainable-depth-tables.js';
import { checkGoal, deepestTrainable } from '../../src/studies/trainable-depth.js';

const root = new URL('../../', import.meta.url);
const STUDY_JSON = 'docs/data/trainable-depth.json';
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const result = parseStudyJson(read(STUDY_JSON));
const seeds = SEED_RUNS.map((file) => parseStudyJson(read(file)));
const tables = studyTables(result, seeds);
const REFRESH = `npx tsx scripts/trainable-depth-tables.ts ${STUDY_JSON}`;

/** How many of the study's tables each document shows: the front page its accuracy per remedy and depth, docs/studies.md the deepest depths and the budget sweep's rows, docs/trainable-depth.md all eight (the deepest depths by seed among them). */
const TABLES_SHOWN: Record<string, number> = { 'README.md': 1, 'docs/studies.md': 2, 'docs/trainable-depth.md': 8 };

describe('the documented trainable-depth tables', () => {
  it('knows how many tables each documented file shows', () => expect(Object.keys(TABLES_SHOWN).sort()).toEqual([...DOCUMENTED_FILES].sort()));

  it.each(DOCUMENTED_FILES)('%s shows the tables the renderers make of the committed run', (file) => {
    const text = read(file);
    const { markdown, replaced } = replaceTables(text, tables);
    expect(replaced, `${file}: tables of the study`).toBe(TABLES_SHOWN[file]);
    expect(markdown === text, `${file}'s tables differ from the renderers' (run ${REFRESH})`).toBe(true);
    expect(replacePaperNotes(text, result.papers).markdown === text, `${file}'s paper experiments differ from the run's notes (run ${REFRESH})`).toBe(true);
  });

  it('every committed run (seed 1, and SEED_RUNS) holds the deepest depths and the goal the rule gives its rows', () => {
    for (const run of [result, ...seeds]) {
      expect(run.deepest, `seed ${run.seed}`).toEqual(run.remedies.map((r) => ({ remedy: r.key, ...deepestTrainable(run.rows, r.key, run.testRows) })));
      expect(run.goal, `seed ${run.seed}`).toEqual(checkGoal(run.rows, run.testRows, { epochs: run.epochs, trainRows: run.trainRows, width: run.width }));
    }
    // The seeds' runs are the committed run's set-up on other seeds.
    for (const run of seeds) {
      expect([run.epochs, run.width, run.trainRows, run.testRows]).toEqual([result.epochs, result.width, result.trainRows, result.testRows]);
      expect(run.seed).not.toBe(result.seed);
      for (const r of run.remedies) expect(r.settings).toBe(result.remedies.find((m) => m.key === r.key)!.settings);
    }
  });

  it("docs/trainable-depth.md lists every paper experiment's set-up and notes", () => {
    expect(result.papers.length).toBeGreaterThan(0);
    expect(replacePaperNotes(read('docs/trainable-depth.md'), result.papers).replaced).toBe(result.papers.length);
  });

  it('turns --json\'s "Infinity" back into a number (ReZero\'s ratio at initialisation)', () => {
    const rezero = result.rows.filter((r) => r.remedy === 'rezero' && r.notRun === undefined);
    expect(rezero.length).toBeGreaterThan(0);
    for (const r of rezero) expect(r.firstToLastAtInit).toBe(Infinity);
  });
});

describe('replaceTables', () => {
  const docs = read('docs/trainable-depth.md');
  const deepest = tables[1];
  const lsuvRow = `| ${deepest.rows.find((r) => r[0] === 'lsuv')!.join(' | ')} |`;

  it('puts the rendered rows back in place of stale ones and leaves the text around them', () => {
    const stale = docs.replace(lsuvRow, '| lsuv | 99 | hand-typed |  |  |  |');
    expect(stale).not.toBe(docs);
    expect(replaceTables(stale, tables)).toEqual({ markdown: docs, replaced: 8 });
  });

  it('takes a table with more or fewer rows than the rendered one', () => {
    const extra = docs.replace(lsuvRow, `${lsuvRow}\n| an extra row |`);
    expect(replaceTables(extra, tables).markdown).toBe(docs);
  });

  it('leaves a table with another header, and one whose header is not followed by an alignment line', () => {
    const other = '| remedy | 2 |\n|---|---:|\n| mine | 1 % |\n';
    const noAlignment = `${'| ' + deepest.header.join(' | ') + ' |'}\nnot a table\n`;
    expect(replaceTables(other + noAlignment, tables)).toEqual({ markdown: other + noAlignment, replaced: 0 });
  });

  it('refuses a file with only one of the two tables that share a header', () => {
    const header = tables[6].header;
    expect(tables[7].header).toEqual(header);
    const one = `| ${header.join(' | ')} |\n|---|\n| stale |\n`;
    expect(() => replaceTables(one, tables)).toThrow(/occurs 1 times; the study renders 2 tables/);
    expect(() => replaceTables(one + '\n' + one + '\n' + one, tables)).toThrow(/occurs more often than the study renders it/);
  });

  it("rewrites a paper experiment's set-up and notes under its heading, up to the first line that is not a note", () => {
    const paper = result.papers[0];
    const finding = `- Found: ${paper.findings[0]}`;
    const stale = docs.replace(finding, '- Found: a hand-typed finding\n- Found: another');
    expect(stale).not.toBe(docs);
    expect(replacePaperNotes(stale, result.papers)).toEqual({ markdown: docs, replaced: result.papers.length });
  });

  it('rewrites the files it is given from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-td-tables-'));
    const file = join(dir, 'trainable-depth.md');
    writeFileSync(file, docs.replace(lsuvRow, '| lsuv | 99 | hand-typed |  |  |  |'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/trainable-depth-tables.ts', STUDY_JSON, file], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('8 tables and 4 paper experiments rendered');
    expect(readFileSync(file, 'utf8')).toBe(docs);
  });
});

// Epochs and batches are counted from 1 in what the documents quote, as train(), `gradscope train`
// and DIVERGED count them (the committed run's notes said "epoch 0, batch 3 (step 4)"): each
// "epoch E, batch B (step S)" is the step S of a run from step 0 at that run's batches per epoch.
describe('epochs quoted in the trainable-depth documents', () => {
  const batchesPerEpoch = Math.ceil(result.trainRows / 32);
  it.each([...DOCUMENTED_FILES, STUDY_JSON])('%s counts them from 1', (file) => {
    const places = [...read(file).matchAll(/epoch (\d+), batch (\d+) \(step (\d+)\)/g)].map((m) => m.slice(1).map(Number));
    for (const [epoch, batch, step] of places) {
      expect(epoch, `epoch ${epoch}, batch ${batch} (step ${step})`).toBeGreaterThanOrEqual(1);
      expect(batch).toBeGreaterThanOrEqual(1);
      expect((epoch - 1) * batchesPerEpoch + batch, `epoch ${epoch}, batch ${batch} (step ${step})`).toBe(step);
    }
    if (file === STUDY_JSON) expect(places.length).toBeGreaterThan(0);
  });
});
