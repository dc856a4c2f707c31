/**
 * The report's chart text in headless Chromium at a phone's width (390 px) and a desktop's (1400 px):
 * every label of every chart is drawn at CHART_TEXT_MIN (9 px) or more (at 390 px the charts had
 * scaled their 10 px labels to 6.2 px), and no two neighbouring tick labels overlap (at 1400 px the
 * chain-rule chart of ten hidden layers wrote "hidden 5hidden 6"), also after a step range is
 * zoomed into; the page stays within the phone's width, a chart wider than it scrolling in its own
 * box. Waits on what the page shows (its data unpacked, its fonts loaded), never on a time.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import { CHART_TEXT_MIN } from '../../src/flow/svg.js';
import { Rng } from '../../src/init/rng.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';

const rng = new Rng(12);
const x = Array.from({ length: 60 }, () => Array.from({ length: 8 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

/** A run traced every 2nd step over 12 epochs, with 20 held-out rows: every kind of chart a run has, the learning curve included. */
async function traced(label: string, network: NetworkOptions): Promise<ReportRun> {
  const net = await createNetwork({ seed: 4, backend: 'ref', ...network });
  net.train(x.slice(0, 40), y.slice(0, 40), { epochs: 12, batchSize: 10, learningRate: 0.1, trace: { every: 2, histogramSteps: [1] }, validation: { x: x.slice(40), y: y.slice(40) } });
  const trace = net.trace!;
  net.dispose();
  return { label, trace, diagnosis: diagnose(trace) };
}

/**
 * Every chart's text as the page draws it: its rendered font size (the computed size times the
 * drawing's scale on screen) and, per row of x tick labels and per column of y tick labels, the
 * neighbours whose boxes overlap.
 */
function chartText(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    const overlaps: string[] = [];
    let texts = 0;
    for (const figure of Array.from(document.querySelectorAll('figure.chart'))) {
      for (const text of Array.from(figure.querySelectorAll('svg text'))) {
        const m = (text as SVGTextElement).getScreenCTM()!;
        const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
        texts++;
        if (size < 8.995) small.push(`${figure.id}: "${text.textContent}" at ${size.toFixed(2)} px`);
      }
      const boxes = (selector: string) => Array.from(figure.querySelectorAll(selector), (t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      for (const row of Array.from(figure.querySelectorAll('g.xticks'))) {
        const labels = Array.from(row.querySelectorAll('text'), (t) => ({ text: t.textContent, r: t.getBoundingClientRect() })).sort((a, b) => a.r.left - b.r.left);
        for (let i = 1; i < labels.length; i++) if (labels[i].r.left < labels[i - 1].r.right) overlaps.push(`${figure.id}: "${labels[i - 1].text}" and "${labels[i].text}"`);
      }
      const ys = boxes('text.tick.y').sort((a, b) => a.r.top - b.r.top);
      for (let i = 1; i < ys.length; i++) if (ys[i].r.top < ys[i - 1].r.bottom - 1) overlaps.push(`${figure.id}: y "${ys[i - 1].text}" and "${ys[i].text}"`);
    }
    return { texts, small, overlaps };
  });
}

describe.skipIf(!CHROMIUM_PATH)(`report chart text at a phone's and a desktop's width in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const runs = [
      await traced('ten relu layers', { sizes: [8, ...Array(10).fill(6), 2], activation: 'relu', output: 'softmax' }),
      await traced('two sigmoid layers', { sizes: [8, 6, 6, 2], activation: 'sigmoid', output: 'softmax' }),
    ];
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-chart-text-')), 'report.html');
    await writeFile(file, await renderReport({ runs: runs.map((run, i) => ({ ...run, id: `run-${i}`, detail: i === 0 ? 'full' : 'summary' })) }));
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => browser?.close());

  async function open(width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(url);
    await page.waitForSelector('body[data-data="ready"]');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return { page, errors };
  }

  /** Drags across the middle of `chart`'s plot over steps, then waits for the run to say it shows a range. */
  async function zoom(page: Page, chart: string): Promise<void> {
    const plot = page.locator(`#${chart} svg.plot`);
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + 0.2 * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.7 * box.width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('#run-0 .range:not([hidden])');
  }

  for (const width of [390, 1400]) {
    it(`draws every chart label at ${CHART_TEXT_MIN} px or more at ${width} px, no two tick labels overlapping, zoomed or not`, async () => {
      const { page, errors } = await open(width);
      // The chain-rule chart of ten hidden layers is there: its names do not all fit.
      expect(await page.locator('#run-0-chain g.xticks text').count()).toBeLessThan(10);
      const drawn = await chartText(page);
      expect(drawn.texts).toBeGreaterThan(100);
      expect(drawn.small).toEqual([]);
      expect(drawn.overlaps).toEqual([]);
      await zoom(page, 'run-0-heatmap');
      expect((await chartText(page)).overlaps).toEqual([]);
      // Nothing sticks out of the page sideways: a chart wider than the screen scrolls in its own box, all of it within reach.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      const reach = await page.$$eval('figure.chart', (figures) =>
        figures.map((figure) => {
          figure.scrollLeft = figure.scrollWidth;
          return { id: figure.id, svg: figure.querySelector(':scope > svg')!.getBoundingClientRect().right, box: figure.getBoundingClientRect().right };
        }),
      );
      for (const { id, svg, box } of reach) expect(svg, id).toBeLessThanOrEqual(box + 0.5);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
