import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeRunFolder, STALE_RUN_AGE_MS, tsxCacheName } from '../util/temp-root.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

  it('leave tsx’s compiled files in the machine’s cache, where the next run finds them', () => {
    const machineCache = join(dirname(tmpdir()), tsxCacheName());
    const script = join(tmpdir(), `cache-${process.pid}-${Date.now()}.ts`);
    // Contents no earlier run compiled, so that tsx writes a new entry.
    writeFileSync(script, `const made: string = '${script} ${Math.random()}';\nprocess.stdout.write(made.length > 0 ? 'ran' : '');\n`);
    const before = new Set(readdirSync(machineCache));
    // node with tsx as its loader (found from ROOT), as every test's child runs TypeScript: the loader writes the cache.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(child.stdout).toBe('ran');
    expect(readdirSync(machineCache).filter((entry) => !before.has(entry)).length).toBeGreaterThan(0);
  });

  it('keep tsx’s cache when the run’s folder goes', () => {
    const temporary = mkdtempSync(join(tmpdir(), 'machine-'));
    const outer = process.env.TMPDIR;
    const teardown = makeRunFolder(temporary);
    const root = tmpdir();
    try {
      expect(dirname(root)).toBe(temporary);
      expect(readlinkSync(join(root, tsxCacheName()))).toBe(join(temporary, tsxCacheName()));
      writeFileSync(join(root, tsxCacheName(), 'entry'), 'compiled');
    } finally {
      teardown();
    }
    expect(process.env.TMPDIR).toBe(outer);
    expect(existsSync(root)).toBe(false);
    expect(readdirSync(join(temporary, tsxCacheName()))).toEqual(['entry']);
    rmSync(temporary, { recursive: true, force: true });
  });

  it('left by a killed run are removed by the next once unchanged for an hour, never a live run’s', () => {
    const temporary = mkdtempSync(join(tmpdir(), 'machine-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600_000)']);
    try {
      const killed = `gradscope-tests-${gone}-aB3dE9`;
      // Its owner's pid unseen but changed a minute ago: a run in another PID namespace, or a killed vitest's workers still writing.
      const killedRecently = `gradscope-tests-${gone}-nO4pQ8`;
      const running = `gradscope-tests-${alive.pid}-fG5hI7`;
      const ownerUnknown = 'gradscope-tests-jK1lM2'; // named before runs named their owner
      for (const name of [killed, killedRecently, running, ownerUnknown]) mkdirSync(join(temporary, name, 'suite-x'), { recursive: true });
      const at = (ago: number) => (Date.now() - ago) / 1000;
      for (const name of [killed, running, ownerUnknown]) utimesSync(join(temporary, name), at(STALE_RUN_AGE_MS + 60_000), at(STALE_RUN_AGE_MS + 60_000));
      utimesSync(join(temporary, killedRecently), at(60_000), at(60_000));
      const teardown = makeRunFolder(temporary);
      const root = basename(tmpdir());
      teardown();
      expect(root).toMatch(new RegExp(`^gradscope-tests-${process.pid}-`));
      expect(readdirSync(temporary).sort()).toEqual([killedRecently, ownerUnknown, running, tsxCacheName()].sort());
    } finally {
      alive.kill();
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
