/**
 * A chart guide's label (the chain-rule chart's "σ' ≤ 1/4: the bound if ‖W‖₂ ≤ 1") at both sizes the report shows a chart's
 * text at, in headless Chromium: CHART_FONT in a desktop's column (1400 px) and NARROW_CHART_FONT in a phone's (320 px).
 * review50 #7: its box was placed at CHART_FONT alone, so in a narrow column the larger label below its line crossed the line.
 * Each label, above its line or below it, keeps clear of the line, within the plot, and clear of every point of the chart's lines,
 * measured as drawn (getBBox); the box it was placed by holds it at either font. In Chromium the old placement was measured clear at
 * 320 px too (tickTextWidth's bound, 202 px at 10 px, is wider than the label drawn at 11.5 px, 178 px): the gap was in the rule,
 * which a font at the bound would have shown; 'g-wider' pins the placement that now reserves the larger box.
 * Waits on what the page shows (its data unpacked, its fonts loaded).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/flow/report-html.js';
import { CHART_FONT, NARROW_CHART_FONT, tickTextWidth, type LineChartData } from '../../src/flow/svg.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';

const LABEL = "σ' ≤ 1/4: the bound if ‖W‖₂ ≤ 1";
/** A chart with the chain chart's guide at 1/4 on a log axis, over `series`. */
const chart = (id: string, series: LineChartData['series']): LineChartData => ({ id, title: 'guide', xLabel: 'layer', yLabel: 'factor', logY: true, series, guides: [{ y: 0.25, label: LABEL }] });
/** Lines over layers 1–3 ending at each of `ends`. */
const ending = (...ends: number[]) => ends.map((end, k) => ({ name: `s${k}`, xs: [1, 2, 3], ys: [0.11, 0.6, end] }));
/**
 * Where each chart's label goes: above the right end (nothing near it), below it (a point just above the guide there), at the left
 * end (points on both sides), and below the right end for a point left of the label's box at CHART_FONT but inside it at
 * NARROW_CHART_FONT (x 28 of 100, 6 px above the line), where the label placed at CHART_FONT alone stayed above, over the point.
 */
const CHARTS = [
  { data: chart('g-above', ending(0.6)), above: true, left: false },
  { data: chart('g-below', ending(0.27)), above: false, left: false },
  { data: chart('g-left', ending(0.27, 0.23)), above: true, left: true },
  { data: chart('g-wider', [{ name: 's0', xs: [0, 50, 100], ys: [0.11, 0.6, 0.6] }, { name: 's1', xs: [28, 28.5], ys: [0.265, 0.265] }]), above: false, left: false },
];

describe.skipIf(!CHROMIUM_PATH)(`a guide's label at a phone's and a desktop's font in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-guide-')), 'report.html');
    await writeFile(file, await renderReport({ sections: [{ id: 'guides', heading: 'Guides', charts: CHARTS.map((c) => c.data) }] }));
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  for (const [width, font] of [[320, NARROW_CHART_FONT], [1400, CHART_FONT]] as const) {
    it(`keeps each label clear of its line and of the lines' points at ${width} px (its text ${font} px in the drawing)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors = collectErrors(page);
      await page.goto(url);
      await page.waitForSelector('body[data-data="ready"]');
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      for (const { data, above: placedAbove, left: placedLeft } of CHARTS) {
        // Everything in the page's pixels (getScreenCTM): the label's box, its line's ends, and each line's points (its path's
        // vertices: 'M1 126l10 18 10 18' relative after the first, or 'M0.3 92L1 223' absolute).
        const drawn = await page.$eval(`#${data.id}`, (figure) => {
          const g = figure.querySelector('g.guide')!;
          const text = g.querySelector('text')!;
          const b = text.getBBox();
          const screen = (element: SVGGraphicsElement, x: number, y: number) => new DOMPoint(x, y).matrixTransform(element.getScreenCTM()!);
          const [x0, y0] = [screen(text, b.x, b.y), screen(text, b.x + b.width, b.y + b.height)];
          const line = g.querySelector('path')!;
          const [left, lineY, lineWidth] = /^M([\d.]+) ([\d.]+)h([\d.]+)$/.exec(line.getAttribute('d')!)!.slice(1).map(Number);
          const [from, to] = [screen(line, left, lineY), screen(line, left + lineWidth, lineY)];
          const points = Array.from(figure.querySelectorAll<SVGPathElement>('svg.plot .series > path:not([class])')).flatMap((path) => {
            const d = path.getAttribute('d')!;
            const numbers = d.match(/-?[\d.]+(?:e-?\d+)?/g)!.map(Number);
            const relative = d.includes('l');
            const vertices: [number, number][] = [];
            for (let i = 0; i + 1 < numbers.length; i += 2) {
              const [px, py] = i > 0 && relative ? vertices[vertices.length - 1] : [0, 0];
              vertices.push([px + numbers[i], py + numbers[i + 1]]);
            }
            return vertices.map(([x, y]) => screen(path, x, y)).map((p) => ({ x: p.x, y: p.y }));
          });
          // And in the drawing's own pixels: the text's height above its baseline and its width, as drawn at this width's font.
          const drawing = { ascent: Number(text.getAttribute('y')) - b.y, width: b.width };
          return { drawing, box: { x: x0.x, y: x0.y, width: y0.x - x0.x, height: y0.y - x0.y }, size: parseFloat(getComputedStyle(text).fontSize), left: from.x, lineY: from.y, lineWidth: to.x - from.x, points, scale: text.getScreenCTM()!.a };
        });
        const { box, left, lineY, lineWidth } = drawn;
        const where = `${data.id} at ${width} px: ${JSON.stringify(drawn)}`;
        // The drawing's font at this width (the CSS sets it in the drawing's pixels).
        expect(drawn.size, where).toBe(font);
        // The box the label was placed by (its width bound at NARROW_CHART_FONT, that font's height above the baseline) holds the text as drawn at either font.
        expect(drawn.drawing.ascent, where).toBeLessThanOrEqual(NARROW_CHART_FONT);
        expect(drawn.drawing.width, where).toBeLessThanOrEqual((tickTextWidth(LABEL) * NARROW_CHART_FONT) / CHART_FONT);
        // Off its line: wholly above or wholly below it, and on the side the placement chose.
        const above = box.y + box.height <= lineY;
        expect(above || box.y >= lineY, where).toBe(true);
        expect(above, where).toBe(placedAbove);
        // Within the line's length, at the end it was placed at.
        expect(box.x, where).toBeGreaterThanOrEqual(left);
        expect(box.x + box.width, where).toBeLessThanOrEqual(left + lineWidth);
        expect(box.x + box.width / 2 < left + lineWidth / 2, where).toBe(placedLeft);
        // Clear of every point of the lines.
        const inside = drawn.points.filter((p) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height);
        expect(inside, where).toEqual([]);
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
