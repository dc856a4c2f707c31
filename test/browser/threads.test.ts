// Threads in headless Chromium: the package (dist/ through an import map) on a page served with the
// cross-origin isolation headers runs split products on two Web Workers, bit for bit as one thread,
// trains a network created with `threads: 2` as on one thread and closes every worker; the
// same page served without the headers falls back to one thread and says why.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from './chromium.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const ROOT = resolve('.');

interface Report {
  isolated: boolean;
  sharedArrayBuffer: boolean;
  threads: number;
  fallback: string | null;
  products?: { shape: number[]; zSame: boolean; daSame: boolean; dwSame: boolean }[];
  splitProducts?: number;
  train: { threads: number; fallback: string | null; splitProducts: number; before: number; after: number; lossDifference: number };
  threadsAfterClose: number;
  error?: string;
}

describe.skipIf(!CHROMIUM_PATH)(`threads in Chromium${CHROMIUM_PATH ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let browser: Browser;
  let isolated: StaticServer;
  let plain: StaticServer;
  let dist: string;

  beforeAll(async () => {
    // The page loads dist/, compiled as `npm run build` does, into a folder of its own: the package
    // suite compiles dist/ at the same time, and a page must not load a half-written file.
    dist = await mkdtemp(join(tmpdir(), 'gradscope-dist-'));
    const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', dist], { cwd: ROOT, stdio: 'inherit' });
    expect(tsc.status, 'tsc -p tsconfig.build.json').toBe(0);
    const mounts = {
      '/pages/': resolve('test/browser/pages'),
      '/dist/': dist,
      // dist/wasm/loader.js finds the core at ../../build/, i.e. /build/.
      '/build/': resolve('build'),
      '/node_modules/@assemblyscript/loader/': resolve('node_modules/@assemblyscript/loader'),
    };
    isolated = await serveStatic(mounts, { crossOriginIsolated: true });
    plain = await serveStatic(mounts);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  async function run(server: StaticServer): Promise<{ report: Report; errors: string[]; workersStarted: number; page: Page }> {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    let workersStarted = 0;
    page.on('worker', () => workersStarted++);
    await page.goto(`${server.url}/pages/threads.html`);
    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '', null, { timeout: 60_000 });
    const report = JSON.parse(await page.locator('#result').innerText()) as Report;
    return { report, errors, workersStarted, page };
  }

  it('runs on two Web Workers in a cross-origin isolated page, as one thread does, and closes them', async () => {
    const { report, errors, workersStarted, page } = await run(isolated);
    expect(report.error, 'the page reported an error').toBeUndefined();
    expect(report.isolated).toBe(true);
    expect(report.fallback).toBeNull();
    expect(report.threads).toBe(2);

    expect(report.products).toHaveLength(4);
    for (const p of report.products!) {
      const shape = p.shape.join('×');
      expect(p.zSame, `${shape}: z bit for bit`).toBe(true);
      expect(p.daSame, `${shape}: ∂input bit for bit`).toBe(true);
      expect(p.dwSame, `${shape}: ∂W bit for bit`).toBe(true);
    }
    // 8×3→5's ∂W stays on the main thread: it is split by columns, 8 at least per thread.
    expect(report.splitProducts).toBe(3 * 4 - 1);

    expect(report.train.threads).toBe(2);
    expect(report.train.fallback).toBeNull();
    expect(report.train.splitProducts).toBeGreaterThan(0);
    expect(report.train.after).toBeLessThan(report.train.before);
    expect(report.train.lossDifference, 'epoch losses on two threads vs one').toBe(0);
    expect(report.threadsAfterClose).toBe(1);

    // One worker for the kernels, one for the network's pool; both gone after close and dispose.
    expect(workersStarted).toBe(2);
    await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('falls back to one thread without the headers, and says which headers are missing', async () => {
    const { report, errors, workersStarted, page } = await run(plain);
    expect(report.error, 'the page reported an error').toBeUndefined();
    expect(report.isolated).toBe(false);
    expect(report.sharedArrayBuffer).toBe(false);
    expect(report.threads).toBe(1);
    expect(report.fallback).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
    expect(report.fallback).toBe(codeQuoteOn('docs/browser.md', 'this page is not cross-origin isolated'));
    // A network asked for two threads trains on one, with the same reason.
    expect(report.train.threads).toBe(1);
    expect(report.train.fallback).toBe(report.fallback);
    expect(report.train.after).toBeLessThan(report.train.before);
    expect(workersStarted).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
