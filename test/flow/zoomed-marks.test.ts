/**
 * A zoomed line's marks, in headless Chromium: the report's script picks them again among the line's
 * points in the range, reading its polylines back. A lone point between two gaps (NaN) is drawn as a
 * polyline of that point twice (its round caps show a dot); read back as two points, it shifted every
 * mark after it, so zoomed to the whole range the marks of [1, 2, NaN, 3, NaN, 4, …, 9] fell at x 96,
 * 159, 254, 317 where the drawing has them at 96, 222, 285, 348.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_SCRIPT } from '../../src/flow/report-script.js';
import { lineChart } from '../../src/flow/svg.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';

const xs = Array.from({ length: 11 }, (_, i) => 10 * (i + 1));
const chart = lineChart({
  id: 'gaps',
  title: 'lone points between gaps',
  xLabel: 'step',
  yLabel: 'loss',
  time: true,
  series: [
    { name: 'lone points', xs, ys: [1, 2, NaN, 3, NaN, 4, 5, 6, 7, 8, 9] },
    { name: 'whole', xs, ys: xs.map((x) => x / 10) },
  ],
});
// A run's section as the report writes it, around one chart over steps: the script zooms charts of a run.
const html = `<!doctype html><body><section class="run" id="run"><p class="tools"><span class="range" hidden><output></output><button type="button">all steps</button></span></p><div class="charts">${chart}</div></section><script>${REPORT_SCRIPT}</script></body>`;

describe.skipIf(!CHROMIUM_PATH)(`zoomed marks in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('zoomed to the whole range, marks each line at the very points the drawing marks, a lone point between gaps counted once', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(html);
    const marks = () => page.$$eval('svg.plot[data-time]', ([plot]) => Array.from(plot.parentNode!.querySelectorAll(':scope > path.mark'), (m) => m.getAttribute('d')));
    const drawn = await marks();
    expect(drawn).toHaveLength(2);
    expect(drawn[0]).toMatch(/^M96 /);
    await page.evaluate(() => {
      const plot = document.querySelector<SVGSVGElement>('svg.plot[data-time]')!;
      // showSteps is the script's own (a top-level function of the page's script).
      (window as unknown as { showSteps: (run: Element, range: number[]) => void }).showSteps(document.querySelector('section.run')!, [Number(plot.dataset.x0), Number(plot.dataset.x1)]);
    });
    expect(await page.$eval('section.run .range', (r) => (r as HTMLElement).hidden)).toBe(false);
    expect(await marks()).toEqual(drawn);
    await page.close();
  });
});
