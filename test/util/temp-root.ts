/**
 * vitest's globalSetup: every temporary folder a test run makes goes under one folder of its own, removed when the
 * run ends. The suites make theirs with mkdtempSync(join(tmpdir(), …)) in ~50 files, and the CLI cases' child
 * processes make more; before this each run left about a hundred behind in the machine's temporary folder.
 * os.tmpdir() reads TMPDIR at each call, and vitest's workers and the processes the suites start inherit this
 * process's environment, so setting it here, before any worker starts, is enough.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'gradscope-tests-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    // Retried: a browser the last suite closed may still be writing its profile there for a moment.
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
