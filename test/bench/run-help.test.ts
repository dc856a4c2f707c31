// bench/run.ts takes no options: --help prints its usage and exits, and any other argument is
// refused before a suite starts (`npm run bench -- --help` started the whole bench, minutes long).
// It runs bench/run.ts itself, what `npm run bench` runs after its build check (scripts/build.mjs,
// tested on its own in test/package/build-once), so a stale build here costs no minutes.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

/**
 * bench/run.ts with `args`, killed after 60 s: the whole bench takes minutes, so a run that started it fails. Node
 * itself with tsx as its loader, so any kill stops the bench: the tsx command is a second process, which relays
 * SIGTERM (the timeout's) to its node but not SIGKILL.
 */
const bench = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('bench/run.ts --help (what npm run bench -- --help runs after the build check)', () => {
  it('prints the usage and exits 0 with --help or -h, running no suite and writing no results', () => {
    const written = statSync(RESULTS).mtimeMs;
    for (const flag of ['--help', '-h']) {
      const run = bench([flag]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^usage: npm run bench/);
      expect(run.stdout).toContain('bench/RESULTS.md');
      expect(run.stderr).not.toContain('[bench');
    }
    expect(statSync(RESULTS).mtimeMs).toBe(written);
  });

  it('refuses any other argument with exit code 2, naming it, before any suite starts', () => {
    const run = bench(['--rounds', '3']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('bench/run.ts takes no arguments, got --rounds 3');
    expect(run.stderr).toContain('usage: npm run bench');
    expect(run.stderr).not.toContain('[bench');
  });
});
