/**
 * Regenerates the pictures of README.md and docs/studies.md (docs/images/) with headless Chromium: the report's charts from
 * the report `npm start` writes (run first if it is not there), and the visualizer after 600 steps.
 * Run by hand (`npm run readme-images`, or `npm run readme-images -- report` / `-- visualizer` for
 * one set), never by the tests: the pictures change only when asked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildDemo } from '../demo/build.js';
import { MAIN_JOB_REPORT } from '../src/cli/commands/main-job.js';
import { launchChromium } from '../test/browser/chromium.js';
import { serveStatic } from '../test/browser/static-server.js';

const IMAGES = 'docs/images';
const VISUALIZER_STEPS = 600;

async function reportImages(browser: Browser): Promise<void> {
  if (!existsSync(MAIN_JOB_REPORT)) {
    console.log(`${MAIN_JOB_REPORT} is not there: running the main job (npm start) first.`);
    const job = spawnSync(process.execPath, ['bin/gradscope.js'], { stdio: 'inherit' });
    if (job.status !== 0) throw new Error(`the main job failed (exit ${job.status})`);
  }
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 2 });
  await page.goto(pathToFileURL(resolve(MAIN_JOB_REPORT)).href);
  await page.waitForSelector('body[data-data="ready"]');
  await page.screenshot({ path: `${IMAGES}/report.png`, scale: 'css' });
  await page.locator('#depth-init').screenshot({ path: `${IMAGES}/report-depth.png` });
  await page.locator('#depth-4-heatmap').screenshot({ path: `${IMAGES}/report-heatmap.png` });
  await page.close();
}

async function visualizerImage(browser: Browser): Promise<void> {
  const { outDir } = await buildDemo();
  const server = await serveStatic({ '/': outDir });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/?depth=6&lr=0.5`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    await page.click('#train');
    await page.waitForFunction((n) => Number(document.getElementById('step')!.textContent!.replace(/\D/g, '')) >= n, VISUALIZER_STEPS, { timeout: 60_000 });
    await page.click('#train');
    await page.waitForSelector('body[data-state="ready"]');
    await page.screenshot({ path: `${IMAGES}/visualizer.png`, fullPage: true });
    await page.close();
  } finally {
    await server.close();
  }
}

await mkdir(IMAGES, { recursive: true });
const browser = await launchChromium();
const only = process.argv[2];
if (only !== undefined && only !== 'report' && only !== 'visualizer') throw new Error(`expected 'report', 'visualizer' or nothing, got '${only}'`);
try {
  if (only !== 'visualizer') {
    await reportImages(browser);
    console.log(`Wrote ${IMAGES}/report.png, report-depth.png and report-heatmap.png.`);
  }
  if (only !== 'report') {
    await visualizerImage(browser);
    console.log(`Wrote ${IMAGES}/visualizer.png.`);
  }
} finally {
  await browser.close();
}
