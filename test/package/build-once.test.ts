// scripts/build-once.mjs, the decision `npm run build`, `npm start`, `npm test` and `npm run demo`
// make first: run on a project of its own whose "compiler" is a small script, so that each way a
// build can be out of date is made on purpose and its rebuild (or its absence) seen.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BUILD_ONCE = pathToFileURL(resolve('scripts/build-once.mjs')).href;
const BUILD_PLAN = pathToFileURL(resolve('scripts/build-plan.mjs')).href;

/**
 * The compiler: writes `<out>/all.txt` (every source, joined), `<out>/sub/count.txt` (how many) and `<out>.map`,
 * logging each run in runs.log. COMPILER_KILLS_BUILD=<out> writes the first 6 characters of that all.txt and then
 * kills the build that ran it (as a closed terminal would); COMPILER_FAILS exits 1; COMPILER_SEES=<out>:<file> has the run writing
 * <out> log in seen.log what that file held when it started ('missing' where it did not exist).
 */
const COMPILER = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const out = process.argv[2];
appendFileSync('runs.log', out + '\\n');
const [seer, seen] = (process.env.COMPILER_SEES ?? '').split(':');
if (seer === out) appendFileSync('seen.log', existsSync(seen) ? readFileSync(seen, 'utf8') : 'missing');
const all = ['src/a.ts', 'src/deep/b.ts'].map((f) => readFileSync(f, 'utf8')).join('');
mkdirSync(out + '/sub', { recursive: true });
if (process.env.COMPILER_KILLS_BUILD === out) {
  writeFileSync(out + '/all.txt', all.slice(0, 6));
  process.kill(process.ppid, 'SIGKILL');
  process.exit(0);
}
if (process.env.COMPILER_FAILS) process.exit(1);
writeFileSync(out + '/all.txt', all);
writeFileSync(out + '/sub/count.txt', String(all.length));
writeFileSync(out + '.map', 'map');
`;

/**
 * The project's build, two steps at a time: step A reads src/ and flags.json, step B src/ only; both by the compiler above.
 * EXTRA_OUTPUT names A's .map as an output; B_AFTER_A has B wait for A (its `after`); STAGED has A write outA.partial,
 * staged for outA (as tsc writes dist.partial for dist/).
 */
const DRIVER = `
import { buildOnce } from ${JSON.stringify(BUILD_ONCE)};
const root = process.env.PROJECT;
const node = process.execPath;
const steps = [
  process.env.STAGED
    ? { name: 'A', inputs: ['src', 'flags.json'], tool: 'fakec', outputs: ['outA'], staged: 'outA.partial', command: [node, root + '/compile.mjs', 'outA.partial'] }
    : { name: 'A', inputs: ['src', 'flags.json'], tool: 'fakec', outputs: ['outA', ...(process.env.EXTRA_OUTPUT ? ['outA.map'] : [])], command: [node, root + '/compile.mjs', 'outA', ...(process.env.EXTRA_FLAG ? [process.env.EXTRA_FLAG] : [])] },
  { name: 'B', inputs: ['src'], tool: 'fakec', outputs: ['outB'], command: [node, root + '/compile.mjs', 'outB'], ...(process.env.B_AFTER_A ? { after: ['A'] } : {}) },
];
process.exitCode = await buildOnce({ root, steps, force: process.argv.includes('--force'), parallel: 2 });
`;

let project: string;

function write(file: string, text: string): void {
  mkdirSync(join(project, file, '..'), { recursive: true });
  writeFileSync(join(project, file), text);
}

/** Runs the build (from `cwd`, the project by default) and returns what it said and which steps compiled. */
function build(options: { env?: Record<string, string>; cwd?: string; force?: boolean } = {}) {
  rmSync(join(project, 'runs.log'), { force: true });
  const run = spawnSync(process.execPath, [join(project, 'driver.mjs'), ...(options.force ? ['--force'] : [])], {
    cwd: options.cwd ?? project,
    encoding: 'utf8',
    env: { ...process.env, PROJECT: project, ...options.env },
  });
  let compiled: string[] = [];
  try {
    compiled = readFileSync(join(project, 'runs.log'), 'utf8').trim().split('\n').sort();
  } catch {
    // nothing compiled
  }
  return { status: run.status, signal: run.signal, said: run.stderr, compiled };
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'gradscope-build-once-'));
  write('node_modules/fakec/package.json', JSON.stringify({ name: 'fakec', version: '1.0.0' }));
  write('compile.mjs', COMPILER);
  write('driver.mjs', DRIVER);
  write('flags.json', '{"optimize": 3}');
  write('src/a.ts', 'alpha\n');
  write('src/deep/b.ts', 'beta\n');
  const first = build();
  expect(first.compiled).toEqual(['outA', 'outB']);
  expect(first.said).toContain('building A, ');
  expect(first.said).toContain('(not built yet)');
  expect(first.said).toMatch(/built B in \d+\.\d s/);
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('a build run again', () => {
  it('with nothing changed compiles nothing and prints nothing, from the project or from any other folder', () => {
    expect(build()).toEqual({ status: 0, signal: null, said: '', compiled: [] });
    // The fingerprint named the compiler's arguments relative to the shell's folder: run from
    // elsewhere, every step rebuilt.
    expect(build({ cwd: tmpdir() })).toEqual({ status: 0, signal: null, said: '', compiled: [] });
  });

  it('rebuilds the steps that read a changed source, even one changed in place to the same size', () => {
    write('src/deep/b.ts', 'bet4\n');
    const run = build();
    expect(run.compiled).toEqual(['outA', 'outB']);
    expect(run.said).toContain('(sources changed)');
    expect(readFileSync(join(project, 'outB/all.txt'), 'utf8')).toBe('alpha\nbet4\n');
    expect(build().compiled).toEqual([]);
  });

  it('rebuilds only the step whose settings changed: a flags file it reads, or its command', () => {
    write('flags.json', '{"optimize": 2}');
    expect(build().compiled).toEqual(['outA']);
    const run = build({ env: { EXTRA_FLAG: '--debug' } });
    expect(run.compiled).toEqual(['outA']);
    expect(run.said).toContain('(command changed)');
  });

  it('rebuilds a step given a new output (a file its last run did not record), and not again', () => {
    rmSync(join(project, 'outA.map'));
    const run = build({ env: { EXTRA_OUTPUT: '1' } });
    expect(run.compiled).toEqual(['outA']);
    expect(run.said).toContain('(outA.map is a new output)');
    expect(readFileSync(join(project, 'outA.map'), 'utf8')).toBe('map');
    expect(build({ env: { EXTRA_OUTPUT: '1' } }).compiled).toEqual([]);
  });

  it('rebuilds everything when the compiler is another version, and says which', () => {
    write('node_modules/fakec/package.json', JSON.stringify({ name: 'fakec', version: '1.0.1' }));
    const run = build();
    expect(run.compiled).toEqual(['outA', 'outB']);
    expect(run.said).toContain('(compiler changed: fakec 1.0.0 → fakec 1.0.1)');
  });

  it('rebuilds a step one of whose outputs, anywhere in its output folder, was deleted or is not as it was written', () => {
    rmSync(join(project, 'outA/sub/count.txt'));
    let run = build();
    expect(run.compiled).toEqual(['outA']);
    expect(run.said).toContain('(outA/sub/count.txt is missing)');
    truncateSync(join(project, 'outB/all.txt'), 3);
    run = build();
    expect(run.compiled).toEqual(['outB']);
    expect(run.said).toContain('(outB/all.txt is not as built)');
    expect(readFileSync(join(project, 'outB/all.txt'), 'utf8')).toBe('alpha\nbeta\n');
  });

  it('after a build killed halfway through a step, rebuilds that step though its sources match and its outputs exist', () => {
    // A forced build (or one run because an output was deleted) starts from a record that still
    // matches the sources; the kill leaves the output half written beside it.
    const killed = build({ force: true, env: { COMPILER_KILLS_BUILD: 'outA' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(join(project, 'outA/all.txt'), 'utf8')).toBe('alpha\n');
    const run = build();
    expect(run.compiled).toContain('outA');
    expect(run.said).toContain('building A, ');
    expect(run.said).toContain('(no finished build recorded)');
    expect(readFileSync(join(project, 'outA/all.txt'), 'utf8')).toBe('alpha\nbeta\n');
    expect(build().compiled).toEqual([]);
  });

  it('after a failed step exits with an error naming it, and builds it again next time', () => {
    write('src/a.ts', 'alpha 2\n');
    const failed = build({ env: { COMPILER_FAILS: '1' } });
    expect(failed.status).not.toBe(0);
    expect(failed.said).toMatch(/building [AB] failed \(exit code 1\)/);
    const run = build();
    expect(run.compiled).toEqual(['outA', 'outB']);
    expect(build().compiled).toEqual([]);
  });

  it("with a staged output keeps the last build's output until the command succeeds, then puts the staged one in its place whole", () => {
    // tsc --noEmit reads dist/ through the package's own name: removed while tsc wrote it again, a type check beside the build failed.
    write('outA/left.txt', 'an output of an older build');
    write('src/a.ts', 'alpha 2\n');
    const run = build({ env: { STAGED: '1', COMPILER_SEES: 'outA.partial:outA/all.txt' } });
    expect(run.compiled).toEqual(['outA.partial', 'outB']);
    expect(readFileSync(join(project, 'seen.log'), 'utf8')).toBe('alpha\nbeta\n');
    expect(readFileSync(join(project, 'outA/all.txt'), 'utf8')).toBe('alpha 2\nbeta\n');
    expect(['outA/left.txt', 'outA.partial', 'outA.replaced'].filter((f) => existsSync(join(project, f)))).toEqual([]);
    expect(build({ env: { STAGED: '1' } }).compiled).toEqual([]);
    // A failed run leaves the last output and no staged folder, and is built again next time.
    write('src/a.ts', 'alpha 3\n');
    expect(build({ env: { STAGED: '1', COMPILER_FAILS: '1' } }).status).not.toBe(0);
    expect(readFileSync(join(project, 'outA/all.txt'), 'utf8')).toBe('alpha 2\nbeta\n');
    expect(existsSync(join(project, 'outA.partial'))).toBe(false);
    expect(build({ env: { STAGED: '1' } }).compiled).toEqual(['outA.partial', 'outB']);
    expect(readFileSync(join(project, 'outA/all.txt'), 'utf8')).toBe('alpha 3\nbeta\n');
  });

  it('with --force rebuilds everything', () => {
    const run = build({ force: true });
    expect(run.compiled).toEqual(['outA', 'outB']);
    expect(run.said).toContain('(forced)');
  });

  it("starts a step only once the steps it is after have finished (tsc reads the report's script's module); the others side by side", () => {
    const order = (run: { said: string }) => [...run.said.matchAll(/(building|built) ([AB])\b/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(order(build({ force: true })).slice(0, 2).sort()).toEqual(['building A', 'building B']);
    expect(order(build({ force: true, env: { B_AFTER_A: '1' } }))).toEqual(['building A', 'built A', 'building B', 'built B']);
  });
});

describe("npm run build's plan", () => {
  it('names as outputs every file asconfig.json has each asc target write, so that a deleted one is rebuilt', async () => {
    const { STEPS } = (await import(BUILD_PLAN)) as { STEPS: { tool: string; name: string; outputs: string[]; command: string[] }[] };
    const targets = (JSON.parse(readFileSync('asconfig.json', 'utf8')) as { targets: Record<string, { outFile?: string; textFile?: string }> }).targets;
    const asc = STEPS.filter((step) => step.tool === 'assemblyscript');
    expect(asc.length).toBeGreaterThan(0);
    for (const step of asc) {
      const target = targets[step.command[step.command.indexOf('--target') + 1]];
      expect(step.outputs.sort(), step.name).toEqual([target.outFile, target.textFile].filter(Boolean).sort());
    }
  });
});
