/**
 * The report heatmap's row labels, measured in headless Chromium: each one whole, between the
 * rotated y-axis title and the plot, for the longest layer names gradscope gives there (the short
 * form, Trace.layerLabel's 'short', of a block network's nested residual branches past layers[10],
 * its norms, each with its full name as its <title>; a dense network's 'hidden 10'). Its left
 * margin is sized from the labels (tickTextWidth, an upper bound of their width), so it was cut
 * where the 64 px margin was too narrow ('2 batch-norm' began left of the drawing).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { chartedBiasRows } from '../../src/flow/cancelled-biases.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import { heatmap, tickTextWidth } from '../../src/flow/svg.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { Rng } from '../../src/init/rng.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { yLabelsOf } from '../util/svg-labels.js';

const rng = new Rng(7);
const x = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

async function traced(label: string, options: Parameters<typeof createNetwork>[0]): Promise<ReportRun> {
  const net = await createNetwork({ ...options, backend: 'ref', seed: 3 });
  net.train(x, y, { epochs: 3, batchSize: 10, learningRate: 0.05, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  return { label, trace, diagnosis: diagnose(trace) };
}

/** Modules 0–14: a dense layer, its batch norm and tanh, nine residual blocks, one whose branch holds a layer norm and a residual block with a batch norm, the output. */
function longNamedLayers(): LayerSpec[] {
  const inner: LayerSpec = { type: 'residual', layers: [{ type: 'dense', units: 6 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }] };
  const outer: LayerSpec = { type: 'residual', layers: [{ type: 'dense', units: 6 }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }, inner] };
  const plain = Array.from({ length: 9 }, (): LayerSpec => ({ type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'tanh' }] }));
  return [{ type: 'dense', units: 6 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, ...plain, outer, { type: 'dense', units: 2, activation: 'softmax' }];
}

/** Each row label's box, the y-axis title's and the plot's, in the chart's own pixels (its viewBox: 560 wide). */
async function heatmapBoxes(page: Page, id: string) {
  return page.$eval(`#${id}`, (figure) => {
    const svg = figure.querySelector('svg')!;
    const scale = svg.viewBox.baseVal.width / svg.getBoundingClientRect().width;
    const origin = svg.getBoundingClientRect();
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: (r.left - origin.left) * scale, right: (r.right - origin.left) * scale };
    };
    const plot = figure.querySelector('svg.plot')!;
    return {
      // A label's own text follows its <title>, where it has one.
      labels: Array.from(figure.querySelectorAll('.tick.y text'), (t) => ({ text: t.lastChild!.textContent!, title: t.querySelector('title')?.textContent, ...box(t) })),
      title: box(figure.querySelector('text.y-title')!),
      // The y-axis title turned to read upwards (the report's CSS, Y_TITLE_STYLE): taller than wide.
      titleTurned: ((r: DOMRect) => r.height > r.width)(figure.querySelector('text.y-title')!.getBoundingClientRect()),
      plotLeft: Number(plot.getAttribute('x')),
      plotRight: Number(plot.getAttribute('x')) + Number(plot.getAttribute('width')),
      ticks: Array.from(figure.querySelectorAll('g.xticks text'), (t) => Number(t.getAttribute('x'))),
    };
  });
}

describe.skipIf(!CHROMIUM_PATH)(`report heatmap row labels in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runs: ReportRun[];

  beforeAll(async () => {
    runs = [
      await traced('blocks', { inputs: 6, layers: longNamedLayers() }),
      await traced('dense', { sizes: [6, ...Array(10).fill(6), 2], activation: 'tanh', output: 'softmax' }),
    ];
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-row-labels-')), 'report.html');
    await writeFile(file, await renderReport({ runs: runs.map((run, i) => ({ ...run, id: `run-${i}` })) }));
    browser = await launchChromium();
    // A desktop's width and a phone's: the chart scales, its labels with it.
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-data="ready"]');
  }, 120_000);
  afterAll(async () => browser?.close());

  it('writes every row label whole, right of the y-axis title and left of the plot, for the longest names gradscope gives', async () => {
    const names = chartedBiasRows(runs[0].trace).map((l) => runs[0].trace.layerLabel(l, 'short'));
    // The longest: a batch norm in a residual block in module 13's (layers[12]'s) branch.
    expect(names).toContain('layers[12][3][1] batch-norm');
    expect(names).toContain('layers[12][1] layer-norm');
    expect(names).toContain('layers[1] batch-norm');
    const dense = runs[1].trace;
    expect(Array.from({ length: dense.layers }, (_, l) => dense.layerLabel(l, 'short'))).toContain('hidden 10');
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      for (const [i, run] of runs.entries()) {
        const { labels, title, titleTurned, plotLeft, plotRight, ticks } = await heatmapBoxes(page, `run-${i}-heatmap`);
        expect(titleTurned).toBe(true);
        const expected = chartedBiasRows(run.trace).map((l) => run.trace.layerLabel(l, 'short'));
        expect(labels.map((l) => l.text).sort()).toEqual([...expected].sort());
        // A short name carries the full one as its <title>; a dense network's names have one form, and no title.
        const full = new Map(chartedBiasRows(run.trace).map((l) => [run.trace.layerLabel(l, 'short'), run.trace.layerLabel(l)]));
        for (const label of labels) expect(label.title).toBe(run.trace.blocks ? full.get(label.text) : undefined);
        for (const label of labels) {
          expect(label.left, `${label.text} at ${width} px`).toBeGreaterThan(title.right);
          expect(label.right, `${label.text} at ${width} px`).toBeLessThan(plotLeft);
        }
        for (const t of ticks) expect(t >= plotLeft && t <= plotRight, `step tick at ${t}`).toBe(true);
      }
    }
    expect(errors).toEqual([]);
  });

  it('keeps the zoomed step ticks over the narrower plot', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const plot = page.locator('#run-0-heatmap svg.plot');
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + 0.2 * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.6 * box.width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('#run-0 .range:not([hidden])');
    const { plotLeft, plotRight, ticks } = await heatmapBoxes(page, 'run-0-heatmap');
    expect(plotLeft).toBeGreaterThan(64);
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t >= plotLeft - 0.5 && t <= plotRight + 0.5, `step tick at ${t}`).toBe(true);
    await page.click('#run-0 .range button');
  });

  it('cuts a label longer than half the plot with "…", its whole name in a <title>', () => {
    const long = 'a'.repeat(60);
    const svg = heatmap({ id: 'h', title: 't', yLabel: 'layer', rowLabels: ['output', long], steps: [1, 2], end: 3, values: [[0, 1], [1, 0]] });
    const written = yLabelsOf(svg).find((l) => l.title !== undefined);
    expect(written?.title).toBe(long);
    expect(written?.text).toMatch(/^a+…$/);
    const plotLeft = Number(/<svg class="plot"[^>]* x="([\d.]+)"/.exec(svg)![1]);
    // The plot keeps at least half its default width (560 − 64 − 150 = 346 px).
    expect(560 - 150 - plotLeft).toBeGreaterThanOrEqual(346 / 2);
    expect(tickTextWidth(written!.text)).toBeLessThanOrEqual(plotLeft - 6 - 28);
  });
});
