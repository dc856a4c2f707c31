// The commands the CLI prints to run next start as the user can run gradscope where they are
// (src/cli/invocation.ts): `npx gradscope` when npm started it (npx, npm exec, npm start, npm run)
// or when it ran as a project's node_modules/.bin link, `node SCRIPT` when node ran the package's
// bin/gradscope.js (a checkout, where `gradscope` is not on PATH), `gradscope` otherwise; a command
// line with npx or node stays whole on a line where the prose around it wraps (prose.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    ['node bin/gradscope.js in a checkout: the path from the working directory', { npm_command: '' }, '/work/gradscope/bin/gradscope.js', 'node bin/gradscope.js'],
    ['node ../gradscope/bin/gradscope.js from beside it: the absolute path', {}, '/work/gradscope/bin/gradscope.js', 'node /work/gradscope/bin/gradscope.js', '/work/other'],
    ['node on a bin file under a path with a space: one shell word', {}, '/work/my gradscope/bin/gradscope.js', "node '/work/my gradscope/bin/gradscope.js'"],
    // An installed copy's bin file: `node '…'` was printed, a quoted path cmd.exe cannot run where the .cmd shim put gradscope on PATH.
    ['a global install\'s bin file, run by node', {}, '/usr/lib/node_modules/gradscope/bin/gradscope.js', GLOBAL_COMMAND],
    ['a Windows global install\'s .cmd shim', {}, 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\gradscope\\bin\\gradscope.js', GLOBAL_COMMAND, 'C:\\Users\\u\\work'],
    ['the working directory\'s project\'s installed copy', {}, '/home/u/project/node_modules/gradscope/bin/gradscope.js', LOCAL_COMMAND, '/home/u/project/src'],
    ['on Windows, the project\'s installed copy', {}, 'C:\\p\\node_modules\\gradscope\\bin\\gradscope.js', LOCAL_COMMAND, 'C:\\p'],
    // Windows' file systems ignore case: the working directory typed in another case is in the same project.
    ['on Windows, the working directory typed in another case', {}, 'C:\\Work\\P\\node_modules\\gradscope\\bin\\gradscope.js', LOCAL_COMMAND, 'c:\\work\\p\\src'],
    ['on Windows, a network share\'s project typed in another case', {}, '\\\\server\\Share\\p\\node_modules\\gradscope\\bin\\gradscope.js', LOCAL_COMMAND, '\\\\SERVER\\share\\P'],
    ['on POSIX, case tells folders apart', {}, '/home/u/Project/node_modules/gradscope/bin/gradscope.js', GLOBAL_COMMAND, '/home/u/project'],
    ['another project\'s installed copy', {}, '/home/u/other/node_modules/gradscope/bin/gradscope.js', GLOBAL_COMMAND, '/home/u/project'],
  ])('%s', (_, env, script, expected, cwd = '/work/gradscope') => {
    expect(invokedAs(env, script, cwd)).toBe(expected);
  });

  it('gradscopeLine puts the prefix before the words, gradscope where none is given', () => {
    expect(gradscopeLine('npx gradscope', 'study depth')).toBe('npx gradscope study depth');
    expect(gradscopeLine(undefined, 'study depth')).toBe('gradscope study depth');
  });
});

describe('printed commands under each invocation', () => {
  it("train's closing study --model line: npx gradscope under npx, node bin/gradscope.js run so, gradscope through a link on PATH (the process's own terminal)", () => {
    const out = join(folder, 'm.json');
    const words = ['train', '--train', '100', '--test', '20', '--depth', '1', '--width', '4', '--epochs', '0', '--out', out];
    const checkout = dirname(dirname(BIN));
    const run = (script: string, env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script, ...words], { cwd: checkout, encoding: 'utf8', timeout: 120_000, env });
    const viaNpx = run(BIN, { ...userShellEnv(), npm_command: 'exec' });
    expect(viaNpx.stderr).toBe('');
    expect(viaNpx.stdout).toContain(`\n  npx gradscope study --model ${out} `);
    const direct = run(BIN, userShellEnv());
    expect(direct.stdout).toContain(`\n  node bin/gradscope.js study --model ${out} `);
    expect(direct.stdout).not.toContain('npx');
    // A global install's link on PATH is named gradscope (npm links bin/gradscope.js so).
    const link = join(folder, 'gradscope');
    symlinkSync(BIN, link);
    const global = run(link, userShellEnv());
    expect(global.stdout).toContain(`\n  gradscope study --model ${out} `);
  }, 360_000);

  it('a terminal given invokedAs prints it in the command lines (in process)', async () => {
    const out = join(folder, 'n.json');
    const run = await runCliInProcess(['train', '--train', '100', '--test', '20', '--depth', '1', '--width', '4', '--epochs', '0', '--out', out], undefined, 'npx gradscope');
    expect(run.stdout).toContain(`\n  npx gradscope study --model ${out} `);
  }, 120_000);

  // The bin file's path as invokedAs prints it: one shell word, quoted where it holds a space or a control character.
  it.each(['npx gradscope', 'node bin/gradscope.js', 'node /work/gradscope/bin/gradscope.js', "node '/work/my gradscope/bin/gradscope.js'", "node $'/work/a\\x1bb c/bin/gradscope.js'"])('a command line after %s is never broken, its prefix included', (prefix) => {
    const line = `Model: m.json (${prefix} study --model m.json --train 100 trains it on from these weights with the same settings)`;
    for (let width = 20; width <= 60; width += 5) {
      expect(fitLine(line, width).split('\n').some((l) => l.includes(`(${prefix} study --model m.json --train 100`)), `width ${width}`).toBe(true);
    }
  });
});
