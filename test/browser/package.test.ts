// The package itself in headless Chromium, two ways a user would load it: bundled by Vite, and as
// plain ES modules through an import map (the compiled dist/, no bundler). Each page trains XOR.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningCollector } from '../../demo/build.js';
import { NO_TIMING_WARNINGS } from '../../demo/vite.config.js';
import exampleConfig, { EXAMPLE_OUT } from '../../examples/browser-vite/vite.config.js';
import { filesReachingNode } from './bundle.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from './chromium.js';
import { serveStatic, type StaticServer } from './static-server.js';

const ROOT = resolve('.');

interface Report {
  backend?: string;
  before?: number;
  after?: number;
  accuracy?: number;
  verdict?: string;
  reportBytes?: number;
  error?: string;
}

describe.skipIf(!CHROMIUM_PATH)(`the package in Chromium${CHROMIUM_PATH ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let browser: Browser;
  let server: StaticServer;
  const warnings: string[] = [];

  beforeAll(async () => {
    await build({ ...exampleConfig, configFile: false, customLogger: warningCollector(warnings), build: { ...exampleConfig.build, rolldownOptions: NO_TIMING_WARNINGS } });
    // The import-map page loads dist/: compile it as `npm run build` does.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    server = await serveStatic({
      '/example-vite/': EXAMPLE_OUT,
      '/examples/': resolve('examples'),
      '/dist/': resolve('dist'),
      '/build/': resolve('build'),
      // The same binaries under another path, for setWasmLocation.
      '/elsewhere/': resolve('build'),
      '/node_modules/@assemblyscript/loader/': resolve('node_modules/@assemblyscript/loader'),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(path: string): Promise<{ report: Report; errors: string[] }> {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}${path}`);
    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '', null, { timeout: 30_000 });
    const report = JSON.parse(await page.locator('#result').innerText()) as Report;
    await page.close();
    return { report, errors };
  }

  function expectTrained({ report, errors }: { report: Report; errors: string[] }): void {
    expect(report.error, 'the page reported an error').toBeUndefined();
    expect(report.backend).toBe('wasm-simd');
    expect(report.after).toBeLessThan(report.before! / 2);
    expect(report.accuracy).toBe(1);
    expect(errors).toEqual([]);
  }

  it('bundles with Vite with no Node built-in reached and no warning', async () => {
    expect(warnings, warnings.join('\n')).toEqual([]);
    expect(existsSync(resolve(EXAMPLE_OUT, 'index.html'))).toBe(true);
    expect(await filesReachingNode(EXAMPLE_OUT)).toEqual([]);
  });

  it('trains in a Vite-built page and renders the HTML report there', async () => {
    const vite = await run('/example-vite/');
    expectTrained(vite);
    expect(['healthy', 'vanishing', 'exploding']).toContain(vite.report.verdict);
    expect(vite.report.reportBytes).toBeGreaterThan(10_000);
  }, 60_000);

  it('serves the Vite example with `npm run example:vite`, printing its URL', async () => {
    // One process (node with tsx's loader), so that killing it stops the server.
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/browser-vite/serve.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) resolve(found[0]);
        });
        child.on('exit', (code) => reject(new Error(`serve.ts exited (${code}) before printing a URL: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Training XOR with gradscope');
    } finally {
      child.kill();
    }
  }, 60_000);

  it('trains in a plain page that imports dist/ through an import map', async () => {
    expectTrained(await run('/examples/browser-importmap/'));
  }, 60_000);

  it('loads the .wasm from where setWasmLocation says, and names the problem when it is not there', async () => {
    expectTrained(await run('/examples/browser-importmap/?wasm=/elsewhere/'));
    const missing = await run('/examples/browser-importmap/?wasm=/nowhere/');
    expect(missing.report.error).toBe('WASM_UNAVAILABLE');
  }, 60_000);
});
