/**
 * vitest's globalSetup: every temporary folder a test run makes goes under one folder of its own, removed when the
 * run ends. The suites make theirs with mkdtempSync(join(tmpdir(), …)) in ~50 files, and the CLI cases' child
 * processes make more; before this each run left about a hundred behind in the machine's temporary folder.
 * os.tmpdir() reads TMPDIR at each call, and vitest's workers and the processes the suites start inherit this
 * process's environment, so setting it here, before any worker starts, is enough.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The folder tsx keeps its compiled files in, under the temporary folder: `tsx-<uid>` (tsx 4's
 * dist/temporary-directory-*.mjs; it has no setting for the place, only TSX_DISABLE_CACHE).
 */
export function tsxCacheName(): string {
  return `tsx-${process.geteuid?.() ?? userInfo().username}`;
}

/** A run's folder: this prefix, the id of the process that owns it (vitest's), '-', then mkdtemp's random letters. */
const RUN_PREFIX = 'gradscope-tests-';
const RUN_FOLDER = new RegExp(`^${RUN_PREFIX}(\\d+)-`);

/** Whether process `pid` exists: signal 0 checks without sending; EPERM is a process of another user's. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * How long a run's folder must have gone unchanged before a run whose owner looks gone may remove it. The owner's pid
 * alone does not tell: a run in another PID namespace sharing this /tmp (a container) has a pid this process cannot
 * see, and the workers of a SIGKILLed vitest still write in its folder after it is gone.
 */
export const STALE_RUN_AGE_MS = 60 * 60 * 1000;

/**
 * Whether the folder `path` was last changed (an entry made or removed in it: each suite's mkdtemp) at least
 * STALE_RUN_AGE_MS before `now`; false if it is already gone.
 */
function untouchedSince(path: string, now: number): boolean {
  try {
    return now - statSync(path).mtimeMs >= STALE_RUN_AGE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the folders runs left under `temporary` when they were killed before their teardown: those whose owning
 * process is gone and that are unchanged for an hour (STALE_RUN_AGE_MS). A live run's is kept, and so is one whose
 * name carries no owner (made before owners were named), since nothing tells whether that run still goes. Returns the
 * names removed.
 */
export function removeStaleRuns(temporary: string, now = Date.now()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(temporary)) {
    const owner = RUN_FOLDER.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || isRunning(Number(owner))) continue;
    if (!untouchedSince(join(temporary, name), now)) continue;
    try {
      rmSync(join(temporary, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another user's folder, or one another starting run is removing: not this run's to clear.
    }
  }
  return removed;
}

export default function setup(): () => void {
  return makeRunFolder(tmpdir());
}

/**
 * Removes the folders of killed runs (removeStaleRuns), makes this run's under `temporary`, points TMPDIR at it, and returns the teardown that removes it. tsx's
 * cache inside it is a link to `temporary`'s, which outlives the run: with TMPDIR per run every CLI case's tsx
 * compiled src/ afresh (~0.6 s of CPU a child, cold), where runs before kept it warm.
 */
export function makeRunFolder(temporary: string): () => void {
  removeStaleRuns(temporary);
  const root = mkdtempSync(join(temporary, `${RUN_PREFIX}${process.pid}-`));
  const cache = join(temporary, tsxCacheName());
  mkdirSync(cache, { recursive: true });
  // A junction on Windows (no privilege needed); the type is ignored elsewhere.
  symlinkSync(cache, join(root, tsxCacheName()), 'junction');
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    // Retried: a browser the last suite closed may still be writing its profile there for a moment. The cache's
    // link goes, not what it points to (rmSync does not follow links).
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
