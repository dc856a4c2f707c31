/**
 * study trainable-depth's --json-file: --json's object written to a file as the study goes, so a run stopped partway (a
 * machine's time limit, Ctrl-C, a crash) leaves what it measured, and read back, so the same command measures only what
 * the file lacks. A full study is 25 minutes and more of training; two runs stopped at 71 % by a 40-minute limit left
 * nothing when --json was printed only at the end (verdicts54).
 *
 * After each network of the table the file holds the rows so far; after the table, the budget sweep once it is done, then
 * the papers' experiments once they are done; until the end a "partial" field first says what is missing. The last write
 * is --json's whole object, with no "partial". Each write is whole or not at all (writeFileAtomic: a temporary file renamed
 * into place), so a kill mid-write leaves the version before it. "setup" records everything the numbers depend on but the
 * machine; a file of another set-up is refused before any work, never mixed in.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/file-access.js';
import { shellWord } from '../shell-word.js';
import { jsonLine, parseJsonLine, UsageError } from './command.js';
import type { TrainableDepthRow } from '../studies/trainable-depth.js';

/** What the study's numbers depend on (every option, defaults filled in), as --json-file records it under "setup". */
export type StudyFileSetup = Record<string, unknown>;

/** What a file --json-file wrote holds, read back: its set-up, its rows, and the budget sweep and papers once they were done. */
export interface SavedStudy {
  /** The set-up it was measured with. */
  setup: StudyFileSetup;
  /** The table's rows measured so far (all of them once the table is done). */
  rows: TrainableDepthRow[];
  /** The budget sweep (null: not asked for); absent: not done yet. */
  budgetSweep?: unknown;
  /** The papers' experiments ([]: not asked for); absent: not done yet. */
  papers?: unknown[];
}

/** The set-up's first entry whose value differs between the two, said as "key: there → here"; undefined when none does. */
function setupDifference(saved: StudyFileSetup, setup: StudyFileSetup): string | undefined {
  const keys = [...new Set([...Object.keys(setup), ...Object.keys(saved)])];
  const key = keys.find((k) => JSON.stringify(saved[k]) !== JSON.stringify(setup[k]));
  return key === undefined ? undefined : `${key} ${JSON.stringify(saved[key]) ?? 'absent'} there, ${JSON.stringify(setup[key]) ?? 'absent'} here`;
}

/**
 * The study `path` holds (undefined when there is no such file yet), checked to be one --json-file wrote for this very
 * set-up: UsageError otherwise, naming the file and the first entry of the set-up that differs.
 */
export async function readSavedStudy(path: string, setup: StudyFileSetup): Promise<SavedStudy | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--json-file ${shellWord(path)}: cannot read it (${(error as Error).message})`);
  }
  const refused = (why: string) => new UsageError(`--json-file ${shellWord(path)} ${why}: give another file, or remove it to measure anew`);
  let saved: Partial<SavedStudy>;
  try {
    saved = parseJsonLine(text) as Partial<SavedStudy>;
  } catch {
    throw refused('holds no JSON');
  }
  if (typeof saved !== 'object' || saved === null || typeof saved.setup !== 'object' || saved.setup === null || !Array.isArray(saved.rows)) {
    throw refused('holds no study --json-file wrote (no "setup" and "rows")');
  }
  const difference = setupDifference(saved.setup, setup);
  if (difference !== undefined) throw refused(`holds a run of another set-up (${difference})`);
  return saved as SavedStudy;
}

/** Writes `value` to `path` whole or not at all, as --json prints it, with "partial" first saying what is not yet in it (none at the end). */
export async function writeStudyFile(path: string, value: object, partial?: string): Promise<void> {
  await writeFileAtomic(path, jsonLine(partial === undefined ? value : { partial, ...value }));
}

/** The "partial" of a file written before the end: what is in it and what not yet, and how to measure the rest. */
export function partialText(what: string): string {
  return `a run stopped before its end leaves this: ${what}; the same command with this --json-file measures only the rest`;
}
