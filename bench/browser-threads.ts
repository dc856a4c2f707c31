/**
 * Two threads in headless Chromium: serves bench/browser/threads.html (the compiled dist/ through
 * an import map) with the cross-origin isolation headers and prints one step vs two threads.
 * Run `npm run build` first, then `tsx bench/browser-threads.ts`. Not part of `npm run bench`,
 * which runs in Node alone.
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../test/browser/chromium.js';
import { serveStatic } from '../test/browser/static-server.js';
import { spreadOf, spreadText } from './spread.js';
import { cpuText, thisCpu } from './cpu.js';

interface BrowserThreadsResult {
  isolated: boolean;
  cores: number;
  fallback: string | null;
  /** ratios: one thread's time over two threads' in each round. */
  rows: { name: string; oneMs: number; twoMs: number; ratios: number[]; splitProducts: number }[];
  error?: string;
}

if (!CHROMIUM_PATH) throw new Error(`bench/browser-threads.ts ${NO_CHROMIUM}`);
const server = await serveStatic(
  {
    '/bench/': resolve('bench/browser'),
    '/dist/': resolve('dist'),
    '/build/': resolve('build'),
    '/node_modules/@assemblyscript/loader/': resolve('node_modules/@assemblyscript/loader'),
  },
  { crossOriginIsolated: true },
);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const load0 = os.loadavg()[0];
  await page.goto(`${server.url}/bench/threads.html`);
  await page.waitForFunction(() => document.getElementById('result')!.textContent !== '', null, { timeout: 300_000 });
  const result = JSON.parse(await page.locator('#result').innerText()) as BrowserThreadsResult;
  if (result.error || errors.length) throw new Error(`the page failed: ${result.error ?? ''} ${errors.join('\n')}`);
  console.log(
    `${browser.version()}: crossOriginIsolated ${result.isolated}, ${result.cores} cores, load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}` +
      (result.fallback ? `; fallback: ${result.fallback}` : ''),
  );
  // A page cannot see the CPU (navigator names none); this driver runs Chromium on its own host and reads it there.
  console.log(`host CPU: ${cpuText(thisCpu(), os.cpus()[0]?.model)}`);
  for (const r of result.rows) {
    const speedUp = spreadText(spreadOf(r.ratios), (ratio) => `${ratio.toFixed(2)}×`);
    console.log(`${r.name.padEnd(36)} one ${r.oneMs.toFixed(2).padStart(7)} ms  two ${r.twoMs.toFixed(2).padStart(7)} ms  ${speedUp}  (${r.splitProducts} split products)`);
  }
} finally {
  await browser.close();
  await server.close();
}
