// The `gradscope` command in a checkout that has not built dist/ yet (a fresh clone after npm install,
// where `npx gradscope` finds the package's own bin): one line saying what to run, exit 1, where
// Node printed ERR_MODULE_NOT_FOUND with its stack trace.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('says in one line to build first where dist/ is missing, with no stack trace', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'gradscope-unbuilt-'));
  mkdirSync(join(checkout, 'bin'));
  copyFileSync(fileURLToPath(new URL('../../bin/gradscope.js', import.meta.url)), join(checkout, 'bin', 'gradscope.js'));
  writeFileSync(join(checkout, 'package.json'), JSON.stringify({ type: 'module' }));
  const run = spawnSync(process.execPath, [join(checkout, 'bin', 'gradscope.js'), '--version'], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(`gradscope: ${join(checkout, 'dist', 'cli', 'main.js')} is not built: run npm run build (npm start builds it too) in the gradscope checkout, then run gradscope again\n`);
});
