// The CLI tests run src/cli through tsx (test/util/cli.ts); the installed `gradscope` command runs
// the compiled dist/cli (bin/gradscope.js). `npm test` builds dist/ first (scripts/build.mjs), so
// here both print the same bytes for cheap commands: a build that dropped or changed what src says
// (a stale dist/, a file tsc left out) shows up here rather than only to users of the package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, userShellEnv } from '../util/cli.js';

const BIN = fileURLToPath(new URL('../../bin/gradscope.js', import.meta.url));
/** The link a global install puts on PATH, named gradscope: run as bin/gradscope.js, the CLI would print its commands as `node bin/gradscope.js …` (invocation.ts), src's as `gradscope …`. */
const LINK = join(mkdtempSync(join(tmpdir(), 'gradscope-bin-')), 'gradscope');
symlinkSync(BIN, LINK);

/** bin/gradscope.js run as the installed command is, through its link, in a user's shell's environment (userShellEnv, as runCli). */
function runBin(args: string[]): { code: number; stdout: string; stderr: string } {
  const env = userShellEnv();
  const result = spawnSync(process.execPath, [LINK, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("the built command (bin/gradscope.js → dist/) against src's, byte for byte (after npm run build)", () => {
  it.each([[['--version']], [['--help']], [['study', 'remedies', '--help']], [['study', 'remedies', '--seconds', '0']]])('gradscope %j', (args) => {
    const built = runBin(args);
    expect(built, 'dist/ differs from src/: run npm run build').toEqual(runCli(args));
  });
});
