// What docs/cli.md promises of a message on stderr, checked on the CLI as a real process (the in-process runs give main()
// a Terminal, never the process's own): in a file or a pipe it is one line, COLUMNS set or not; on a terminal it wraps at
// its words to COLUMNS, each line after the first indented by two, a command line to copy ('gradscope train') kept whole.
// The terminal is a pseudo-terminal made by util-linux's script (stdout and stderr both on it, lines ended by CR LF).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/display-width.js';
import { CLI, ROOT, userShellEnv } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-stderr-width-'));
/** A user's shell with a terminal 60 columns wide said by COLUMNS. */
const env = { ...userShellEnv(), COLUMNS: '60' };
/** The message of a mistyped command, read as one line. */
const MESSAGE = "gradscope: unknown command 'trian'; did you mean 'gradscope train'? (a command is one of train, gradients, curvature, convert, study; see gradscope --help)";
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('a message on stderr, the CLI run as a process', () => {
  it('is one line in a file, COLUMNS=60 set', () => {
    const path = join(folder, 'err.txt');
    const fd = openSync(path, 'w');
    const run = spawnSync(CLI[0], [...CLI.slice(1), 'trian'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', fd], encoding: 'utf8', timeout: 120_000 });
    closeSync(fd);
    expect([run.status, run.stdout, readFileSync(path, 'utf8')]).toEqual([2, '', `${MESSAGE}\n`]);
  });

  it('is one line in a pipe, COLUMNS=60 set', () => {
    const run = spawnSync(CLI[0], [...CLI.slice(1), 'trian'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `${MESSAGE}\n`]);
  });

  // util-linux is in every Debian (and CI's) image; elsewhere there is no pseudo-terminal to run it on.
  it.skipIf(!hasScript)('wraps at its words on a terminal of COLUMNS=60, each line after the first indented, the command lines whole', () => {
    const command = [...CLI, 'trian'].map((word) => `'${word}'`).join(' ');
    const run = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(2);
    const lines = run.stdout.replace(/\r\n$/, '').split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^gradscope: /);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}\S/);
    // Read back across its lines it is the message, and each command line to copy sits on one line.
    expect(lines.map((line) => line.trim()).join(' ')).toBe(MESSAGE);
    expect(lines.some((line) => line.includes("'gradscope train'"))).toBe(true);
    expect(lines.some((line) => line.includes('gradscope --help'))).toBe(true);
  });
});
