// vitest's first globalSetup (test/util/current-build.ts) refuses a build/ or a dist/ that is not what its sources
// build (review45 #7): the loader catches a kernel whose parameters changed, not one that computes something else at
// the same arity, and the tests of the built command run dist/ whatever src/ says. Run on a copy of the checkout's
// sources, build records and binaries (node_modules and dist/ linked), never on the tree itself: the copy as built
// passes, and each way of going stale is made in it on purpose.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REBUILD, staleBuildRefusal } from '../util/current-build.js';

/** What the copy holds of the checkout: what decides the core, the report's script and dist/, the build's scripts, records and script, vitest's setup. */
const COPIED = ['assembly', 'asconfig.json', 'src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-once.mjs', 'scripts/build-plan.mjs', 'scripts/report-script.mjs', 'build/fingerprints.json', 'build/report-script.js', 'build/report-script.d.ts', 'package.json', 'vitest.config.ts', 'test/util/current-build.ts', 'test/util/temp-root.ts'];

/** A kernel's body changed in place, to the same size and the same parameters: the stale build the loader cannot see. */
const KERNEL = 'assembly/activation.scalar.ts';
const SIGMOID_DERIVATIVE = 'ai * (1 - ai)';

let copy: string;

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'gradscope-current-build-'));
  const records = JSON.parse(readFileSync('build/fingerprints.json', 'utf8')) as Record<string, { outputs?: Record<string, number> }>;
  const binaries = Object.entries(records)
    .filter(([step]) => step.startsWith('WASM core'))
    .flatMap(([, record]) => Object.keys(record.outputs ?? {}));
  expect(binaries.length).toBeGreaterThan(5);
  for (const file of [...COPIED, ...binaries]) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(resolve(file), join(copy, file), { recursive: true });
  }
  symlinkSync(resolve('node_modules'), join(copy, 'node_modules'), 'junction');
  symlinkSync(resolve('dist'), join(copy, 'dist'), 'junction');
});

afterEach(() => rmSync(copy, { recursive: true, force: true }));

/** vitest run in the copy on one test that leaves a mark: what it printed on stderr, its exit code, and whether the test ran. */
function vitestInCopy(): { code: number | null; stderr: string; ran: boolean } {
  writeFileSync(join(copy, 'test/ran.test.ts'), "import { writeFileSync } from 'node:fs';\nimport { it } from 'vitest';\nit('runs', () => writeFileSync('ran', ''));\n");
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/ran.test.ts'], { cwd: copy, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stderr: run.stderr, ran: existsSync(join(copy, 'ran')) };
}

describe("a test run's build/", () => {
  it('as built from its sources is taken, and the tests run', async () => {
    expect(await staleBuildRefusal(copy)).toBeUndefined();
    const run = vitestInCopy();
    expect(run.stderr).not.toContain(REBUILD);
    expect(run).toMatchObject({ code: 0, ran: true });
  });

  it('is refused in one line, before any test runs, once a kernel computes something else with the same parameters', async () => {
    const source = readFileSync(join(copy, KERNEL), 'utf8');
    expect(source).toContain(SIGMOID_DERIVATIVE);
    writeFileSync(join(copy, KERNEL), source.replace(SIGMOID_DERIVATIVE, 'ai * (2 - ai)'));
    const refusal = 'gradscope: the tests will not run on this build/ (WASM core (release): sources changed; and 5 more steps); rebuild: node scripts/build.mjs';
    expect(await staleBuildRefusal(copy)).toBe(refusal);
    const run = vitestInCopy();
    expect(run.stderr.trim().split('\n').filter((line) => line.includes('gradscope'))).toEqual([refusal]);
    expect(run).toMatchObject({ code: 1, ran: false });
  });

  it("is refused in one line when src/ changed since dist/ was built: the built command's tests would run the old code", async () => {
    const file = join(copy, 'src/list-text.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}// edited\n`);
    // The report's script is built from src/ too.
    const refusal = `gradscope: the tests will not run on this dist/ (TypeScript (dist/): sources changed; and 1 more step); ${REBUILD}`;
    expect(await staleBuildRefusal(copy)).toBe(refusal);
    const run = vitestInCopy();
    expect(run.stderr.trim().split('\n').filter((line) => line.includes('gradscope'))).toEqual([refusal]);
    expect(run).toMatchObject({ code: 1, ran: false });
  });

  it('is refused when the settings asc builds with changed, a binary is missing or cut short, or no finished build is recorded', async () => {
    const settings = readFileSync(join(copy, 'asconfig.json'), 'utf8');
    writeFileSync(join(copy, 'asconfig.json'), settings.replace('"optimizeLevel": 3', '"optimizeLevel": 2'));
    expect(await staleBuildRefusal(copy)).toContain('(WASM core (release): sources changed; and 5 more steps)');
    writeFileSync(join(copy, 'asconfig.json'), settings);
    expect(await staleBuildRefusal(copy)).toBeUndefined();

    rmSync(join(copy, 'build/gradscope.scalar.wasm'));
    expect(await staleBuildRefusal(copy)).toBe(`gradscope: the tests will not run on this build/ (WASM core (scalar): build/gradscope.scalar.wasm is missing); ${REBUILD}`);
    writeFileSync(join(copy, 'build/gradscope.scalar.wasm'), readFileSync('build/gradscope.scalar.wasm').subarray(0, 100));
    expect(await staleBuildRefusal(copy)).toContain('(WASM core (scalar): build/gradscope.scalar.wasm is not as built)');

    rmSync(join(copy, 'build/fingerprints.json'));
    expect(await staleBuildRefusal(copy)).toContain('(WASM core (release): no finished build recorded; and 7 more steps)');
  });

  it("is refused when the report's script is not what src/ builds: every report would inline another script than its sources'", async () => {
    const script = readFileSync(join(copy, 'build/report-script.js'), 'utf8');
    writeFileSync(join(copy, 'build/report-script.js'), script.replace('REPORT_SCRIPT_TEXT = "', 'REPORT_SCRIPT_TEXT = "0;'));
    const refusal = `gradscope: the tests will not run on this build/ (the report's script (build/report-script.js): build/report-script.js is not as built); ${REBUILD}`;
    expect(await staleBuildRefusal(copy)).toBe(refusal);
    const run = vitestInCopy();
    expect(run.stderr.trim().split('\n').filter((line) => line.includes('gradscope'))).toEqual([refusal]);
    expect(run).toMatchObject({ code: 1, ran: false });
    writeFileSync(join(copy, 'build/report-script.js'), script);
    writeFileSync(join(copy, 'src/flow/report-page.ts'), `${readFileSync(join(copy, 'src/flow/report-page.ts'), 'utf8')}// edited\n`);
    expect(await staleBuildRefusal(copy)).toContain("(TypeScript (dist/): sources changed; and 1 more step)");
  });
});
