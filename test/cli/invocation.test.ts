// The commands the CLI prints to run next start as the user can run gradscope where they are
// (src/cli/invocation.ts): `npx gradscope` when npm started it (npx, npm exec, npm start, npm run)
// or when it ran as a project's node_modules/.bin link, `gradscope` otherwise; a command line with
// npx stays whole on a line where the prose around it wraps (prose.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GLOBAL_COMMAND, gradscopeLine, invokedAs, LOCAL_COMMAND } from '../../src/cli/invocation.js';
import { fitLine } from '../../src/cli/prose.js';
import { runCliInProcess, userShellEnv } from '../util/cli.js';

const BIN = fileURLToPath(new URL('../../bin/gradscope.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'gradscope-invocation-'));

describe('invokedAs', () => {
  it.each([
    ['npx gradscope (npm exec)', { npm_command: 'exec' }, '/home/u/.npm/_npx/1/node_modules/.bin/gradscope', LOCAL_COMMAND],
    ['npm start in a checkout', { npm_command: 'start', npm_lifecycle_event: 'start' }, '/work/gradscope/scripts/start.mjs', LOCAL_COMMAND],
    ['npm run with a lifecycle event alone', { npm_lifecycle_event: 'study' }, '/p/node_modules/gradscope/bin/gradscope.js', LOCAL_COMMAND],
    ['./node_modules/.bin/gradscope from a shell', {}, '/home/u/project/node_modules/.bin/gradscope', LOCAL_COMMAND],
    ['node_modules\\.bin on Windows', {}, 'C:\\p\\node_modules\\.bin\\gradscope', LOCAL_COMMAND],
    ['a global install on PATH', {}, '/usr/local/bin/gradscope', GLOBAL_COMMAND],
    ['node bin/gradscope.js', { npm_command: '' }, '/work/gradscope/bin/gradscope.js', GLOBAL_COMMAND],
  ])('%s', (_, env, script, expected) => {
    expect(invokedAs(env, script)).toBe(expected);
  });

  it('gradscopeLine puts the prefix before the words, gradscope where none is given', () => {
    expect(gradscopeLine('npx gradscope', 'study depth')).toBe('npx gradscope study depth');
    expect(gradscopeLine(undefined, 'study depth')).toBe('gradscope study depth');
  });
});

describe('printed commands under each invocation', () => {
  it("train's closing study --model line: npx gradscope under npx, gradscope otherwise (the process's own terminal)", () => {
    const out = join(folder, 'm.json');
    const args = [BIN, 'train', '--train', '100', '--test', '20', '--depth', '1', '--width', '4', '--epochs', '0', '--out', out];
    const viaNpx = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, env: { ...userShellEnv(), npm_command: 'exec' } });
    expect(viaNpx.stderr).toBe('');
    expect(viaNpx.stdout).toContain(`(npx gradscope study --model ${out} `);
    const direct = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, env: userShellEnv() });
    expect(direct.stdout).toContain(`(gradscope study --model ${out} `);
    expect(direct.stdout).not.toContain('npx');
  }, 240_000);

  it('a terminal given invokedAs prints it in the command lines (in process)', async () => {
    const out = join(folder, 'n.json');
    const run = await runCliInProcess(['train', '--train', '100', '--test', '20', '--depth', '1', '--width', '4', '--epochs', '0', '--out', out], undefined, 'npx gradscope');
    expect(run.stdout).toContain(`(npx gradscope study --model ${out} `);
  }, 120_000);

  it('a command line after npx is never broken, npx and gradscope included', () => {
    const line = `Model: m.json (npx gradscope study --model m.json --train 100 trains it on from these weights with the same settings)`;
    for (let width = 20; width <= 60; width += 5) {
      expect(fitLine(line, width).split('\n').some((l) => l.includes('(npx gradscope study --model m.json --train 100')), `width ${width}`).toBe(true);
    }
  });
});
