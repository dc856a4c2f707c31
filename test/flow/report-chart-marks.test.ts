/**
 * The report's series marks in headless Chromium at 1280, 390 and 320 px: study (c)'s ratio chart
 * (a 0 underflowed at 50 layers, ReZero's ∞ at every depth), its accuracy chart (the plain sigmoid
 * under Adam) and a deep network's layers (the first underflowing to 0) draw every series' shape,
 * every bar at an edge and every dashed drop to one inside the drawing and on screen,
 * the key's entries say what the bars are, and the page stays within its width.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/flow/report-html.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { sidewaysOverflow } from '../browser/sideways.js';
import { flat } from '../util/printed-text.js';

const depths = [2, 10, 50];
const steps = Array.from({ length: 25 }, (_, i) => 10 * (i + 1));
const page_ = renderReport({
  sections: [
    {
      id: 'c',
      heading: 'Study (c)',
      charts: [
        {
          id: 'ratio',
          title: 'First ÷ last at initialisation',
          xLabel: 'hidden layers (log scale)',
          yLabel: 'first ÷ last',
          logX: true,
          logY: true,
          series: [
            { name: 'plain-sigmoid', xs: depths, ys: [0.17, 3e-8, 0] },
            { name: 'batch-norm-relu', xs: depths, ys: [0.44, 1.1, 1400] },
            { name: 'rezero', xs: depths, ys: [Infinity, Infinity, Infinity] },
          ],
        },
        {
          id: 'accuracy',
          title: 'Held-out accuracy',
          xLabel: 'hidden layers (log scale)',
          yLabel: 'accuracy',
          logX: true,
          series: [
            { name: 'plain-sigmoid', xs: depths, ys: [0.905, 0.099, 0.11] },
            { name: 'adam', xs: depths, ys: [0.9, 0.105, 0.107] },
          ],
        },
        {
          // A deep network's layers, the first underflowing to 0 at its last 3 of 25 steps: each layer's shape, its drop to the floor.
          id: 'layers',
          title: '‖∂C/∂b‖ per layer',
          xLabel: 'step',
          yLabel: '‖∂C/∂b‖',
          logY: true,
          series: Array.from({ length: 6 }, (_, l) => ({ name: `hidden ${l + 1}`, xs: steps, ys: steps.map((s) => (l === 0 && s > 220 ? 0 : 10 ** (-l / 2 - s / 100))) })),
          layers: { index: [0, 1, 2, 3, 4, 5], count: 7 },
        },
      ],
    },
  ],
});

describe.skipIf(!CHROMIUM_PATH)(`report chart marks in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-marks-')), 'report.html');
    await writeFile(file, await page_);
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it.each([1280, 390, 320])('at %i px: every shape and bar inside its drawing and the window, the key saying what the bars are', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(url);
    await page.waitForSelector('body[data-data="ready"]');
    await page.evaluate(() => document.fonts.ready);
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll('figure.chart'), (figure) => {
        const drawing = figure.querySelector('svg:not(.key)')!.getBoundingClientRect();
        const inside = (e: Element) => {
          const r = e.getBoundingClientRect();
          // A lone bar is a vertical line: its box (without its stroke) has no width; a dashed run along an edge, no height.
          return (r.height > 0 || r.width > 0) && r.left >= drawing.left - 0.5 && r.right <= drawing.right + 0.5 && r.top >= drawing.top - 0.5 && r.bottom <= drawing.bottom + 0.5 && r.right <= document.documentElement.clientWidth;
        };
        const marks = Array.from(figure.querySelectorAll('svg:not(.key) path.mark'));
        const bars = Array.from(figure.querySelectorAll('path.off:not(.key path)'));
        const reaches = Array.from(figure.querySelectorAll('path.reach'));
        return {
          id: figure.id,
          marks: marks.length,
          marksInside: marks.filter(inside).length,
          bars: bars.length,
          barsInside: bars.filter(inside).length,
          reaches: reaches.length,
          reachesInside: reaches.filter(inside).length,
          keyMarks: figure.querySelectorAll('svg.key > path').length,
          offAxis: Array.from(figure.querySelectorAll('svg.key g.off-axis text'), (t) => t.textContent),
          key: Array.from(figure.querySelectorAll('svg.key > text'), (t) => t.textContent),
        };
      }),
    );
    // The plain sigmoid's ratio, and the first layer's norm, drop dashed from their last point to the floor where their 0 is marked
    // (the norm's along the floor through its 3 zeros); rezero's ∞ at each depth is dashed along the top.
    expect(drawn.map((d) => [d.id, d.marks, d.marksInside, d.bars, d.barsInside, d.reaches, d.reachesInside, d.keyMarks])).toEqual([
      ['ratio', 3, 3, 2, 2, 2, 2, 3],
      ['accuracy', 2, 2, 0, 0, 0, 0, 2],
      ['layers', 6, 6, 1, 1, 1, 1, 6],
    ]);
    expect(drawn[0].offAxis.map((t) => flat(t!))).toEqual([expect.stringMatching(/^0, below 1e-8: a bar/), expect.stringMatching(/^∞: a bar down from/)]);
    expect(drawn[1].key.join(' ')).toContain('plain-sigmoid (under');
    expect(await sidewaysOverflow(page, '.table, figure.chart')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
