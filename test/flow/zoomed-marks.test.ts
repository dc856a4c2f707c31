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
// A run's section as the report writes it, around one chart over steps: the script zooms charts of a run. The report's
// rules for the plot, so that its box is its viewport and its hit area, not an axis painted black over it, takes the drag.
const html = `<!doctype html><style>.plot{overflow:hidden}.grid,.axes{fill:none}.plot .hit{fill:transparent}</style><body><section class="run" id="run"><p class="tools"><span class="range" hidden><output></output><button type="button">all steps</button></span></p><div class="charts">${chart}</div></section><script>${REPORT_SCRIPT}</script></body>`;

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
    // A drag from the plot's left edge to past its right one: the whole range of steps (the script holds a range to the plot's).
    const box = (await page.locator('svg.plot[data-time] > rect.hit').boundingBox())!;
    const y = box.y + box.height / 2;
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('svg.plot') !== null, [box.x, y])).toBe(true);
    await page.mouse.move(box.x, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 20, y);
    await page.mouse.up();
    expect(await page.$eval('section.run .range', (r) => (r as HTMLElement).hidden)).toBe(false);
    expect(await marks()).toEqual(drawn);
    await page.close();
  });
});
