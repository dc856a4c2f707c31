/**
 * Renders a `gradscope study trainable-depth --json` result into the markdown tables README.md,
 * docs/studies.md and docs/trainable-depth.md show, with the study's own renderers (the ones its terminal output and HTML
 * report use), and replaces each documented table in place: one source of truth, no hand-typed cells.
 * A table is known by its header line; its alignment line and everything around it stay as written.
 * Likewise each paper's experiment under its `### title` heading: the set-up line and the list of
 * what it found and where it differs (the notes the study prints).
 *
 *   npx tsx scripts/trainable-depth-tables.ts docs/data/trainable-depth.json [README.md docs/studies.md docs/trainable-depth.md]
 *
 * Beside the committed run, SEED_RUNS' runs of other seeds give docs/trainable-depth.md's "Over seeds" table.
 *
 * Run by hand after a new full run (`gradscope study trainable-depth --json > docs/data/trainable-depth.json`),
 * and after a change to the renderers; test/docs/trainable-depth-tables.test.ts checks that the
 * documented tables are what this renders from docs/data/trainable-depth.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseJsonLine } from '../src/cli/command.js';
import { paperNotes } from '../src/studies/paper-experiments-report.js';
import type { PaperExperiment } from '../src/studies/paper-experiment.js';
import { BUDGET_ROWS_HEADER, boundaryTable, budgetMatrix, budgetRowCells, learningRateTable } from '../src/studies/trainable-depth-budget-report.js';
import { ROWS_HEADER, accuracyMatrix, deepestCell, deepestTable, rowCells } from '../src/studies/trainable-depth-report.js';
import type { BudgetSweepResult } from '../src/studies/trainable-depth-budget.js';
import { deepestTrainable, type TrainableDepthResult } from '../src/studies/trainable-depth.js';

/** The files whose tables the script refreshes when none are named. */
export const DOCUMENTED_FILES = ['README.md', 'docs/studies.md', 'docs/trainable-depth.md'];

/**
 * The runs of other seeds set beside the committed run in docs/trainable-depth.md's "Over seeds" table:
 * `--seed 2` and `--seed 3` of six of its remedies at 20, 50 and 100 hidden layers (`--budgets 0 --papers 0`),
 * each a `--json` result.
 */
export const SEED_RUNS = ['docs/data/trainable-depth-seed2.json', 'docs/data/trainable-depth-seed3.json'];

/** What a paper experiment's section shows: its heading, set-up and notes. */
type PaperSection = Pick<PaperExperiment, 'title' | 'setup' | 'findings' | 'differences'>;

/** What `--json` prints: the table's result, the budget sweep (null: not run) and the papers' experiments. */
export type StudyJson = TrainableDepthResult & { budgetSweep: BudgetSweepResult | null; papers: PaperSection[] };

/** A table as the renderers give it. */
interface Table {
  header: string[];
  rows: string[][];
}

/** One markdown table line. */
const markdownLine = (cells: string[]) => `| ${cells.join(' | ')} |`;
/** A markdown table's alignment line: `|---|---:|`. */
const ALIGNMENT = /^\|(\s*:?-+:?\s*\|)+$/;

/**
 * A `--json` result as the study returned it: `--json` writes ±Infinity as the strings "Infinity"
 * and "-Infinity" (src/cli/command.ts jsonLine), which this turns back into numbers.
 */
export function parseStudyJson(text: string): StudyJson {
  return parseJsonLine(text) as StudyJson;
}

/**
 * Every table the documents can show, in the order they show them: the accuracy matrix, the deepest
 * depths, every row, with `seeds` (runs of other seeds) the deepest depths by seed (seedsTable), then the
 * budget sweep's matrix, boundaries, learning-rate grid and every row.
 * Two tables share a header (the learning-rate grid and the sweep's rows): a file holding that header
 * holds both, in this order.
 */
export function studyTables(result: StudyJson, seeds: readonly TrainableDepthResult[] = []): Table[] {
  const tables: Table[] = [accuracyMatrix(result), deepestTable(result), { header: ROWS_HEADER, rows: result.rows.map(rowCells) }];
  if (seeds.length > 0) tables.push(seedsTable([result, ...seeds]));
  const sweep = result.budgetSweep;
  if (sweep) tables.push(budgetMatrix(sweep), boundaryTable(sweep), learningRateTable(sweep), { header: BUDGET_ROWS_HEADER, rows: sweep.rows.map(budgetRowCells) });
  return tables.map((t) => ({ header: t.header, rows: t.rows.map((r) => r.map(String)) }));
}

/**
 * Per remedy run in every one of `runs`, in the first run's order, its deepest depth above the line and the deeper
 * ones on it (deepestCell) on each run's seed, among the depths every run ran: the rule applied to each run's rows
 * (deepestTrainable), not a stored verdict.
 */
export function seedsTable(runs: readonly TrainableDepthResult[]): Table {
  const keys = runs[0].remedies.map((r) => r.key).filter((key) => runs.every((run) => run.remedies.some((r) => r.key === key)));
  const depths = runs[0].depths.filter((depth) => runs.every((run) => run.depths.includes(depth)));
  const cell = (run: TrainableDepthResult, remedy: string) => {
    const rows = run.rows.filter((row) => depths.includes(row.depth));
    return deepestCell({ ...run, rows }, { remedy, ...deepestTrainable(rows, remedy, run.testRows) });
  };
  return { header: ['remedy', ...runs.map((run) => `seed ${run.seed}`)], rows: keys.map((key) => [key, ...runs.map((run) => cell(run, key))]) };
}

/**
 * `markdown` with the body of every table whose header line is one of `tables`' replaced by that
 * table's rows, and how many it replaced. Tables with other headers stay as they are. A header that
 * occurs a different number of times in `markdown` than in `tables` is an error (which one is
 * which could not be told).
 */
export function replaceTables(markdown: string, tables: Table[]): { markdown: string; replaced: number } {
  const byHeader = new Map<string, Table[]>();
  for (const t of tables) byHeader.set(markdownLine(t.header), [...(byHeader.get(markdownLine(t.header)) ?? []), t]);
  const lines = markdown.split('\n');
  const seen = new Map<string, number>();
  const out: string[] = [];
  let replaced = 0;
  for (let i = 0; i < lines.length; i++) {
    const candidates = byHeader.get(lines[i]);
    if (!candidates || !ALIGNMENT.test(lines[i + 1] ?? '')) {
      out.push(lines[i]);
      continue;
    }
    const nth = seen.get(lines[i]) ?? 0;
    seen.set(lines[i], nth + 1);
    const table = candidates[nth];
    if (!table) throw new Error(`the table headed "${lines[i]}" occurs more often than the study renders it (${candidates.length})`);
    out.push(lines[i], lines[i + 1], ...table.rows.map(markdownLine));
    i += 2;
    while (i < lines.length && lines[i].startsWith('|')) i++;
    i--;
    replaced++;
  }
  for (const [header, n] of seen) {
    const expected = byHeader.get(header)!.length;
    if (n !== expected) throw new Error(`the table headed "${header}" occurs ${n} times; the study renders ${expected} tables with that header`);
  }
  return { markdown: out.join('\n'), replaced };
}

/**
 * `markdown` with the section of every paper experiment of `papers` whose `### title` heading it
 * holds rewritten from the run: the line after the heading is the set-up, then one `- ` line per
 * note (found, differs, not run). Headings of experiments not in `papers` stay as they are.
 */
export function replacePaperNotes(markdown: string, papers: readonly PaperSection[]): { markdown: string; replaced: number } {
  const lines = markdown.split('\n');
  let replaced = 0;
  for (const paper of papers) {
    const at = lines.indexOf(`### ${paper.title}`);
    if (at < 0) continue;
    let end = at + 2;
    while (end < lines.length && lines[end].startsWith('- ')) end++;
    lines.splice(at + 1, end - at - 1, paper.setup, ...paperNotes(paper).map((note) => `- ${note}`));
    replaced++;
  }
  return { markdown: lines.join('\n'), replaced };
}

function main(args: string[]): void {
  const [json, ...files] = args;
  if (!json) throw new Error('usage: npx tsx scripts/trainable-depth-tables.ts STUDY.json [FILE.md …]');
  const result = parseStudyJson(readFileSync(json, 'utf8'));
  const tables = studyTables(result, SEED_RUNS.map((file) => parseStudyJson(readFileSync(file, 'utf8'))));
  for (const file of files.length ? files : DOCUMENTED_FILES) {
    const { markdown, replaced } = replaceTables(readFileSync(file, 'utf8'), tables);
    if (replaced === 0) throw new Error(`${file} has no table of the trainable-depth study`);
    const papers = replacePaperNotes(markdown, result.papers);
    writeFileSync(file, papers.markdown);
    console.log(`${file}: ${replaced} tables and ${papers.replaced} paper experiments rendered from ${json}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
