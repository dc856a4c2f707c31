// README's "In ten lines" says how to run its example, and each way it names runs here as a reader would run it:
// a `.mjs` file by node and a `.mts` file by tsx in a CommonJS project that installed gradscope, a `.ts` file only
// where package.json says "type": "module" (in a CommonJS project tsx refuses its top-level await: README said
// "`.ts` with `npx tsx`", which a newcomer's `npm init` project could not run), and a file in the checkout that
// imports gradscope by its own name, no install, once dist/ is built.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptBlocks } from '../util/markdown-examples.js';
import { flat } from '../util/printed-text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * What `npx tsx FILE` runs: the tsx command itself (its bin, as npx finds it in an install), from this checkout by path:
 * the project folders have none. The timeout's SIGTERM reaches the example's node too (tsx relays SIGTERM to it; only a
 * SIGKILL would leave it running).
 */
const TSX_BIN = join(ROOT, 'node_modules/.bin/tsx');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## In ten lines'), README.indexOf('\n## ', README.indexOf('## In ten lines') + 1));
const EXAMPLE = typescriptBlocks(SECTION)[0].code;
const RUN_MS = 120_000;

/** A project folder as `npm install /path/to/gradscope-<version>.tgz` leaves it: gradscope in node_modules (here, this checkout). */
function project(type: 'commonjs' | 'module'): string {
  const folder = mkdtempSync(join(tmpdir(), `gradscope-ten-lines-${type}-`));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type }));
  mkdirSync(join(folder, 'node_modules'));
  symlinkSync(ROOT, join(folder, 'node_modules/gradscope'), 'dir');
  folders.push(folder);
  return folder;
}
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** Writes the example as `name` in `folder` and runs it with `runner` (node or tsx), as README says. */
function run(folder: string, name: string, runner: 'node' | 'npx tsx'): { status: number | null; stdout: string; stderr: string } {
  const file = join(folder, name);
  writeFileSync(file, EXAMPLE + '\n');
  const [command, args] = runner === 'node' ? [process.execPath, [file]] : [TSX_BIN, [file]];
  const result = spawnSync(command, args, { cwd: folder, encoding: 'utf8', timeout: RUN_MS, killSignal: 'SIGTERM' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectRan(result: { status: number | null; stdout: string; stderr: string }, how: string): void {
  expect(result.status, `${how}: ${result.stderr.trim().split('\n').slice(-8).join('\n')}`).toBe(0);
  expect(result.stdout).toMatch(/^‖∂C\/∂b‖ per layer after: .*accuracy: 0\.\d+/m);
}

describe("README's ten lines run as it says to run them", () => {
  const ways = [...SECTION.matchAll(/a `(\.\w+)` file run by `(node|npx tsx)`/g)].map((m) => [m[1], m[2] as 'node' | 'npx tsx'] as const);

  it('names its ways: a .mjs file by node, a .mts file by npx tsx', () => {
    expect(ways).toEqual([['.mjs', 'node'], ['.mts', 'npx tsx']]);
  });

  it.each(ways)('a %s file run by %s in a CommonJS project', (extension, runner) => {
    expectRan(run(project('commonjs'), `ten-lines${extension}`, runner), `${extension} by ${runner}`);
  }, RUN_MS + 10_000);

  it('a .ts file only where package.json says "type": "module": in a CommonJS project tsx refuses its await', () => {
    expect(flat(SECTION)).toContain('a `.ts` file only where the nearest package.json says `"type": "module"`');
    expectRan(run(project('module'), 'ten-lines.ts', 'npx tsx'), '.ts by npx tsx, "type": "module"');
    const refused = run(project('commonjs'), 'ten-lines.ts', 'npx tsx');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/Top-level await is currently not supported with the "cjs" output format/);
  }, 2 * RUN_MS + 10_000);

  it('in the checkout, a file imports gradscope by its own name, no install (dist/ built)', () => {
    expect(flat(SECTION)).toContain('a file anywhere in the checkout (outside `node_modules/`) imports gradscope by its own name');
    // test-artifacts/ is in the checkout and ignored by git.
    const folder = join(ROOT, 'test-artifacts', `ten-lines-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    folders.push(folder);
    expectRan(run(folder, 'ten-lines.mjs', 'node'), '.mjs by node in the checkout');
  }, RUN_MS + 10_000);
});
