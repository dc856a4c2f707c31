import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';

// The suites' temporary folders live in the run's own folder, which test/util/temp-root.ts removes at the end.
describe('a test run’s temporary folders', () => {
  it('are made in one folder of the run, in the tests and in the processes they start', () => {
    const root = tmpdir();
    expect(basename(root)).toMatch(/^gradscope-tests-/);
    expect(existsSync(root)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    expect(child.stdout).toBe(root);
    expect(basename(dirname(root))).not.toMatch(/^gradscope-tests-/);
  });
});
