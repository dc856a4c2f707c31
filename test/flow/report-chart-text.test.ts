/**
 * The report's chart text in headless Chromium at phones' widths (320 and 390 px) and desktops' (1257,
 * 1400 and 1920 px): every label of every chart is drawn at CHART_TEXT_MIN (9 px) or more (at 390 px
 * the charts had scaled their 10 px labels to 6.2 px; at 320 px they scrolled sideways in their boxes, 351 px in 306) and at most CHART_TEXT_MAX ÷ CHART_FONT (1.2×)
 * its design size (in the one wide column of a 1257 px window the 10 px labels were 18.2 px, and a
 * histograms chart's 13.7 px at 1400 px); no two neighbouring tick labels overlap (at 1400 px the
 * chain-rule chart of ten hidden layers wrote "hidden 5hidden 6"), also after a step range is zoomed
 * into, and each y label lies between the y-axis title and the plot (a y axis labelled 12,000 …
 * 12,500 ran into its title); the page stays within the phone's width, a chart wider than it
 * scrolling in its own box. Waits on what the page shows (its data unpacked, its fonts loaded), never on a time.
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
import { CHART_FONT, CHART_TEXT_MAX, CHART_TEXT_MIN, NARROW_SIDE_PADDING, NARROWEST_COLUMN } from '../../src/flow/svg.js';
import { Trace } from '../../src/flow/trace.js';
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
 * The run of traced() with each step `by` later: at 12,000, a chart over steps past 10⁴, whose zoomed ticks fmt wrote
 * '1.2e+4' each; at 1,250,000, one whose four ticks ('1.25001e6' …) are written all at 320 px by the drawing's rule (NARROW_TICK_GAP
 * apart at the narrow column's larger text), where a zoom undone thinned them TICK_GAP apart at that size: every second.
 */
function later(run: ReportRun, by: number): ReportRun {
  const json = run.trace.toJSON();
  const trace = Trace.fromJSON({ ...json, steps: json.steps.map((s) => s + by), histograms: json.histograms.map((h) => ({ ...h, step: h.step + by })), epochs: json.epochs?.map((e) => ({ ...e, step: e.step + by })) });
  return { ...run, label: `${run.label}, ${by.toLocaleString('en')} steps later`, trace };
}

/**
 * Every chart's text as the page draws it: its rendered font size (the computed size times the
 * drawing's scale on screen) and, per row of x tick labels and per column of y tick labels, the
 * neighbours whose boxes overlap, and the y labels that reach the y-axis title or the plot.
 */
function chartText(page: Page, most: number) {
  return page.evaluate((most) => {
    const small: string[] = [];
    const large: string[] = [];
    const overlaps: string[] = [];
    let texts = 0;
    for (const figure of Array.from(document.querySelectorAll('figure.chart'))) {
      for (const text of Array.from(figure.querySelectorAll('svg text'))) {
        const m = (text as SVGTextElement).getScreenCTM()!;
        const scale = Math.hypot(m.a, m.b);
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        texts++;
        if (size < 8.995) small.push(`${figure.id}: "${text.textContent}" at ${size.toFixed(2)} px`);
        if (scale > most + 0.0005) large.push(`${figure.id}: "${text.textContent}" at ${size.toFixed(2)} px, ${scale.toFixed(3)}× its design size`);
      }
      const title = figure.querySelector('text.y-title')?.getBoundingClientRect();
      // The plot's left edge on screen, from its x in the drawing (a nested <svg>'s box is its drawn content's).
      const plot = figure.querySelector('svg.plot');
      const drawing = (figure.querySelector(':scope > svg') as SVGSVGElement).getScreenCTM()!;
      const plotLeft = plot && drawing.e + drawing.a * Number(plot.getAttribute('x'));
      for (const label of Array.from(figure.querySelectorAll('.tick.y text'))) {
        const r = label.getBoundingClientRect();
        if (title && r.left < title.right) overlaps.push(`${figure.id}: y "${label.textContent}" over the y-axis title`);
        if (plotLeft && r.right > plotLeft) overlaps.push(`${figure.id}: y "${label.textContent}" over the plot`);
      }
      const boxes = (selector: string) => Array.from(figure.querySelectorAll(selector), (t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      for (const row of Array.from(figure.querySelectorAll('g.xticks'))) {
        const labels = Array.from(row.querySelectorAll('text'), (t) => ({ text: t.textContent, r: t.getBoundingClientRect() })).sort((a, b) => a.r.left - b.r.left);
        for (let i = 1; i < labels.length; i++) if (labels[i].r.left < labels[i - 1].r.right) overlaps.push(`${figure.id}: "${labels[i - 1].text}" and "${labels[i].text}"`);
      }
      const ys = boxes('.tick.y text').sort((a, b) => a.r.top - b.r.top);
      for (let i = 1; i < ys.length; i++) if (ys[i].r.top < ys[i - 1].r.bottom - 1) overlaps.push(`${figure.id}: y "${ys[i - 1].text}" and "${ys[i].text}"`);
    }
    return { texts, small, large, overlaps };
  }, most);
}

/** The most a chart's text is scaled on screen: CHART_TEXT_MAX over the design's CHART_FONT. */
const MOST_SCALE = CHART_TEXT_MAX / CHART_FONT;

describe.skipIf(!CHROMIUM_PATH)(`report chart text at a phone's and a desktop's width in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const runs = [
      await traced('ten relu layers', { sizes: [8, ...Array(10).fill(6), 2], activation: 'relu', output: 'softmax' }),
      await traced('two sigmoid layers', { sizes: [8, 6, 6, 2], activation: 'sigmoid', output: 'softmax' }),
    ];
    runs.push(later(runs[1], 12_000), later(runs[1], 1_250_000));
    // Linear y axes whose labels are wider than the 64 px margin leaves beside the y-axis title.
    const steps = Array.from({ length: 50 }, (_, i) => i + 1);
    const wide = { id: 'wide', heading: 'Wide y labels', charts: [12_000, -1_250_000].map((top, k) => ({ id: `wide-${k}`, title: 'wide y labels', xLabel: 'step', yLabel: 'value', series: [{ name: 'value', xs: steps, ys: steps.map((s) => top * (1 - s / 1000)) }] })) };
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-chart-text-')), 'report.html');
    await writeFile(file, await renderReport({ sections: [wide], runs: runs.map((run, i) => ({ ...run, id: `run-${i}`, detail: i === 0 ? 'full' : 'summary' })) }));
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

  /** Drags across the middle of `chart`'s plot over steps, then waits for its run to say it shows a range. */
  async function zoom(page: Page, chart: string): Promise<void> {
    const plot = page.locator(`#${chart} svg.plot`);
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + 0.2 * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.7 * box.width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector(`#${chart.replace(/-[a-z-]+$/, '')} .range:not([hidden])`);
  }

  /** The x tick labels of each chart over steps of `run` as drawn now: text and x, by chart id. */
  const stepTicks = (page: Page, run: string) =>
    page.$$eval(`#${run} figure.chart:has(svg.plot[data-time])`, (figures) =>
      Object.fromEntries(figures.map((f) => [f.id, Array.from(f.querySelectorAll('g.xticks text'), (t) => `${t.textContent} at ${Number(t.getAttribute('x')).toFixed(1)}`)])),
    );

  for (const width of [320, 390, 1400]) {
    it(`redraws, when a zoom is undone, the very step ticks the chart was drawn with at ${width} px: one rule places and thins both`, async () => {
      // The script thinned its ticks TICK_GAP apart at the size they were shown, where the drawing held them NARROW_TICK_GAP apart
      // at a narrow column's larger text, and from widths measured in the page, not tickTextWidth's bounds (placedTicks).
      const { page, errors } = await open(width);
      for (const run of ['run-0', 'run-2', 'run-3']) {
        const drawn = await stepTicks(page, run);
        expect(Object.keys(drawn).length, run).toBeGreaterThan(2);
        await zoom(page, `${run}-loss`);
        await page.click(`#${run} .range button`);
        await page.waitForSelector(`#${run} .range[hidden]`, { state: 'attached' });
        // The heatmap's script ticks span its last column's right edge, the drawing's its last step: not the same axis.
        const { [`${run}-heatmap`]: _, ...redrawn } = await stepTicks(page, run);
        const { [`${run}-heatmap`]: __, ...drawnLines } = drawn;
        expect(redrawn, run).toEqual(drawnLines);
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it(`pads the report's column NARROW_SIDE_PADDING (${NARROW_SIDE_PADDING} px) each side at 320 px, twice it at 1400 px: at 320 px the NARROWEST_COLUMN the charts' narrow text is sized for`, async () => {
    const padding = (page: Page) =>
      page.$eval('main', (m) => {
        const style = getComputedStyle(m);
        return { left: style.paddingLeft, right: style.paddingRight, content: m.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
      });
    const phone = await open(320);
    expect(await padding(phone.page)).toEqual({ left: `${NARROW_SIDE_PADDING}px`, right: `${NARROW_SIDE_PADDING}px`, content: NARROWEST_COLUMN });
    await phone.page.close();
    const desktop = await open(1400);
    expect(await padding(desktop.page)).toMatchObject({ left: `${2 * NARROW_SIDE_PADDING}px`, right: `${2 * NARROW_SIDE_PADDING}px` });
    await desktop.page.close();
  });

  for (const width of [320, 390, 1257, 1400, 1920]) {
    it(`draws every chart label at ${CHART_TEXT_MIN} px or more and at most ${CHART_TEXT_MAX} ÷ ${CHART_FONT} its design size at ${width} px, no two labels overlapping, zoomed or not`, async () => {
      const { page, errors } = await open(width);
      // The chain-rule chart of ten hidden layers is there: its names do not all fit.
      expect(await page.locator('#run-0-chain g.xticks text').count()).toBeLessThan(10);
      const drawn = await chartText(page, MOST_SCALE);
      expect(drawn.texts).toBeGreaterThan(100);
      expect(drawn.small).toEqual([]);
      expect(drawn.large).toEqual([]);
      expect(drawn.overlaps).toEqual([]);
      await zoom(page, 'run-0-heatmap');
      await zoom(page, 'run-2-loss');
      expect((await chartText(page, MOST_SCALE)).overlaps).toEqual([]);
      // The zoomed steps past 12,000 are labelled each as itself, no two alike.
      const zoomed = await page.$$eval('#run-2-loss g.xticks text', (ts) => ts.map((t) => t.textContent!));
      expect(zoomed.length).toBeGreaterThan(1);
      expect(new Set(zoomed).size).toBe(zoomed.length);
      for (const label of zoomed) expect(label).toMatch(/^12,0\d\d$/);
      // Nothing sticks out of the page sideways: a chart wider than the screen scrolls in its own box, all of it within reach.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      // Every chart fits its box, a phone's too (at 390 px each scrolled sideways in its box, its key out of sight; at 320 px
      // each drawing by 45 px): its key (the legend, svg.key) beside its drawing where the column holds both, under it on a
      // phone, its text the drawing's size.
      const layout = await page.$$eval('figure.chart', (figures) => {
        const shownSize = (text: Element) => parseFloat(getComputedStyle(text).fontSize) * (text as SVGTextElement).getScreenCTM()!.a;
        return figures.map((figure) => {
          const drawing = figure.querySelector(':scope > svg:not(.key)') as SVGSVGElement;
          const key = figure.querySelector(':scope > svg.key') as SVGSVGElement | null;
          const [d, k] = [drawing.getBoundingClientRect(), key?.getBoundingClientRect()];
          return {
            id: figure.id,
            past: figure.scrollWidth - figure.clientWidth,
            key: k && (k.top >= d.bottom - 0.5 ? 'under' : k.left >= d.right - 0.5 && Math.abs(k.top - d.top) < 0.5 ? 'beside' : 'elsewhere'),
            // The key's text the size of the drawing's tick labels (a narrow column enlarges both: NARROW_CHART_FONT).
            scales: key ? Math.abs(shownSize(key.querySelector('text')!) - shownSize(drawing.querySelector(':is(.tick, .xticks) text')!)) < 1e-2 : true,
            // x tick labels cut by the drawing's edge (the last one of a plot sits at its right edge).
            cut: Array.from(drawing.querySelectorAll('g.xticks text'), (t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))
              .filter(({ r }) => r.left < d.left - 0.5 || r.right > d.right + 0.5)
              .map(({ text }) => text),
          };
        });
      });
      expect(layout.filter((chart) => chart.past > 0).map((chart) => `${chart.id}: ${chart.past} px`)).toEqual([]);
      expect(layout.filter((chart) => !chart.scales).map((chart) => chart.id)).toEqual([]);
      expect(layout.filter((chart) => chart.cut.length > 0).map((chart) => `${chart.id}: ${chart.cut.join(', ')}`)).toEqual([]);
      const keyed = layout.filter((chart) => chart.key !== undefined);
      expect(keyed.length).toBeGreaterThan(10);
      for (const chart of keyed) expect(chart.key, chart.id).toBe(width < 500 ? 'under' : 'beside');
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
