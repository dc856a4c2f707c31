/**
 * The HTML report rendered in headless Chromium: it opens offline (no request but the file itself,
 * no console error); its charts draw the trace's values, read back from the drawing: one heatmap
 * cell per (step, layer) with log10 ‖∂C/∂b‖, the per-layer norm lines, loss and accuracy on charts
 * of their own, each layer's histogram counted over its own range on the layers' one axis, every diagnosis; it uses a wide page (contents bar,
 * a grid of charts) and fits a phone; its data downloads as JSON and CSV; a step range can be selected
 * by dragging across a chart over steps, and a drag across any chart selects no text.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { biasesCancelledByBatchNorm, chartedBiasRows } from '../../src/flow/cancelled-biases.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { unitFailureMetric } from '../../src/flow/metrics.js';
import { renderReport, REPORT_RECORDS, REPORT_RESIDUAL_CHARTS, type ReportRun, type ReportSection } from '../../src/flow/report-html.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { DepthStudyResult } from '../../src/studies/depth.js';
import { depthReportSection } from '../../src/studies/depth-report.js';
import { markPathShape, MARKS_OVER_STEPS } from '../../src/flow/series-marks.js';
import { fmt, linePoints } from '../../src/flow/svg.js';
import { Trace } from '../../src/flow/trace.js';
import { HEATMAP_NO_VALUE, HEATMAP_ZERO, heatmapColor } from '../../src/flow/chart-colors.js';
import { reportPageData } from '../util/report-data.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM, pageTexts } from '../browser/chromium.js';
import { sidewaysOverflow } from '../browser/sideways.js';
import { codeWordsBroken } from '../browser/code-word-breaks.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { EPOCH_CELLS, expectCsvMatchesJson } from '../util/trace-csv.js';
import { cellRuns, columnColors } from '../util/heatmap-cells.js';

const rng = new Rng(41);
const x = Array.from({ length: 40 }, () => Array.from({ length: 10 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

async function run(label: string, activation: 'sigmoid' | 'tanh' | 'relu', depth: number, epochs = 4, every = 3): Promise<ReportRun> {
  const net = await createNetwork({ sizes: [10, ...Array(depth).fill(8), 2], activation, output: 'softmax', backend: 'ref', seed: 3 });
  net.train(x, y, { epochs, batchSize: 10, learningRate: 0.5, trace: { every, histogramSteps: [1, 13] } });
  const trace = net.trace!;
  net.dispose();
  expectTraceInvariants(trace, label);
  return { label, trace, diagnosis: diagnose(trace) };
}

const runs = [await run('deep sigmoid', 'sigmoid', 5), await run('shallow tanh', 'tanh', 2), await run('relu', 'relu', 3), await run('one hidden layer', 'sigmoid', 1)];
const depth: DepthStudyResult = {
  rows: 40,
  seeds: 2,
  epochs: 0,
  learningRate: 0.1,
  lambda: 5,
  networks: [
    { sizes: [10, 8, 2], biasGradNorms: [0.3], biasGradNormsStd: [0.01], perSeed: [[0.29], [0.31]], seedRatios: [1, 1] },
    { sizes: [10, 8, 8, 2], biasGradNorms: [0.05, 0.28], biasGradNormsStd: [0.01, 0.02], perSeed: [], seedRatios: [] },
  ],
};
/** A run longer than the report draws: 160 records. */
const long = await run('long', 'tanh', 2, 40, 1);
/** A study whose runs are shown in short ('summary'), as study (b)'s are. */
const study: ReportSection = {
  id: 'activations',
  heading: 'Study (b)',
  tables: [{ header: ['run', 'verdict'], rows: [['sigmoid + standard', runs[0].diagnosis.verdict]] }],
  runs: [{ ...runs[0], id: 'act-0', label: 'sigmoid + standard', detail: 'summary' }],
};

/** A block network of ten residual blocks (five ReZero), more than the report draws one by one, traced over 60 steps (more records than it draws). */
async function blockRun(): Promise<ReportRun> {
  const blocks: LayerSpec[] = Array.from({ length: 10 }, (_, b) => ({ type: 'residual', gate: b % 2 ? 'none' : 'rezero', layers: [{ type: 'dense', units: 8, activation: 'relu' }] }));
  const layers: LayerSpec[] = [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, ...blocks, { type: 'dense', units: 2, activation: 'softmax' }];
  const net = await createNetwork({ inputs: 10, layers, backend: 'ref', seed: 3 });
  net.train(x, y, { epochs: 15, batchSize: 10, learningRate: 0.1, trace: { every: 1, histogramSteps: [1] } });
  const trace = net.trace!;
  net.dispose();
  return { label: 'residual blocks', trace, diagnosis: diagnose(trace) };
}

/** What the report writes for a value: the same float32. */
const single = (values: ArrayLike<number>) => Array.from(values, (v) => Math.fround(v));
const attribute = (page: Page, selector: string, name: string) => page.$$eval(selector, (elements, a) => elements.map((e) => e.getAttribute(a)!), name);
const numbers = async (page: Page, selector: string, name = 'data-value') => (await attribute(page, selector, name)).map(Number);
const viewBoxX = (page: Page, selector: string) =>
  page.$$eval(selector, (plots) => plots.map((p) => [(p as SVGSVGElement).viewBox.baseVal.x, (p as SVGSVGElement).viewBox.baseVal.x + (p as SVGSVGElement).viewBox.baseVal.width]));

/**
 * Checks that a line chart draws `series`: per series, a point at each x with a drawable value, at
 * the height that value has on the chart's y axis (read from the plot: data-y0..data-y1, data-log),
 * to within half a pixel (the points are whole pixels).
 */
async function expectLines(page: Page, chart: string, series: { xs: ArrayLike<number>; ys: ArrayLike<number> }[]): Promise<void> {
  const drawn = await page.$eval(`${chart} svg.plot`, (plot) => {
    const svg = plot as SVGSVGElement;
    // A series' lines (paths without a class: one per stretch between gaps and values at an edge), read below with linePoints.
    const lines = Array.from(svg.querySelectorAll('g.series'), (group) => Array.from(group.querySelectorAll(':scope > path:not([class])'), (line) => line.getAttribute('d')!));
    return { y0: Number(svg.dataset.y0), y1: Number(svg.dataset.y1), log: svg.hasAttribute('data-log'), height: svg.viewBox.baseVal.height, lines };
  });
  // Each series' points in order, in the plot's units (x at float32, as the page's SVG would read them).
  const points = drawn.lines.map((lines) => lines.flatMap((d) => linePoints(d).map(({ x, y }) => [Math.fround(x), y])));
  expect(points.length, `${chart}: series`).toBe(series.length);
  series.forEach(({ xs, ys }, k) => {
    const want = Array.from(xs, (x, i) => [x, ys[i]]).filter(([, v]) => Number.isFinite(v) && (!drawn.log || v > 0));
    expect(points[k].map(([x]) => x), `${chart} series ${k}: x`).toEqual(want.map(([x]) => Math.fround(x)));
    want.forEach(([, v], i) => {
      const y = drawn.height - (((drawn.log ? Math.log10(v) : v) - drawn.y0) / (drawn.y1 - drawn.y0)) * drawn.height;
      expect(Math.abs(points[k][i][1] - y), `${chart} series ${k} point ${i}: ${v}`).toBeLessThanOrEqual(0.5);
    });
  });
}

/**
 * A heatmap's cells as drawn, row by row (data-row), each row's columns in step order (col) at `steps` (each column's
 * left edge), each the colour of its row's box over its step (test/util/heatmap-cells: the boxes must start at
 * columns' steps and tile them), and the colour its scale (data-lo, data-hi) gives a value.
 */
async function heatmapCells(page: Page, chart: string, steps: number[]): Promise<{ cells: { row: number; col: number; step: number; fill: string }[]; colorOf: (v: number) => string }> {
  const rows = await page.$$eval(`${chart} g.row`, (groups) =>
    groups.map((g) => ({ row: Number(g.getAttribute('data-row')), paths: Array.from(g.querySelectorAll('path'), (p) => ({ fill: p.getAttribute('fill')!, d: p.getAttribute('d')! })) })),
  );
  const cells = rows.flatMap(({ row, paths }) => columnColors(cellRuns(paths), steps).map((fill, col) => ({ row, col, step: steps[col], fill })));
  const [lo, hi] = await page.$eval(`${chart} g.scale`, (g) => [Number(g.getAttribute('data-lo')), Number(g.getAttribute('data-hi'))]);
  return { cells, colorOf: (v) => (Number.isFinite(v) ? heatmapColor((v - lo) / (hi - lo)) : v === -Infinity ? HEATMAP_ZERO : HEATMAP_NO_VALUE) };
}

/** The bar heights (% of the tallest) of each layer's histogram, read back from its outline path (relative moves after "M0 0", then back to the axis). */
async function histogramBars(page: Page, chart: string): Promise<number[][]> {
  const paths = await attribute(page, `${chart} g.histogram path.bars`, 'd');
  return paths.map((d) => {
    expect(d).toMatch(/^M0 0(v-?\d+|h\d+)*V0Z$/);
    const heights: number[] = [];
    let h = 0;
    for (const [, command, value] of d.matchAll(/([vh])(-?\d+)/g)) {
      if (command === 'v') h -= Number(value);
      else heights.push(...Array<number>(Number(value)).fill(h));
    }
    return heights;
  });
}

describe.skipIf(!CHROMIUM_PATH)(`HTML report in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let url: string;
  let html: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gradscope-report-'));
    const file = join(folder, 'report.html');
    html = await renderReport({ sections: [depthReportSection(depth), study, { id: 'long', heading: 'Long', runs: [{ ...long, id: 'long-0' }] }], runs });
    await writeFile(file, html);
    url = pathToFileURL(file).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    errors = collectErrors(page);
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(url);
    await page.waitForSelector('body[data-data="ready"]');
  });
  afterAll(async () => browser?.close());

  it('never lets a percentage wrap away from its number: a no-break space before each %', async () => {
    // Every text node of the page but the script's: the diagnoses, notes, tables and captions.
    const texts = await pageTexts(page);
    expect(texts.filter((t) => /\d\s%/.test(t.replace(/\u00a0%/g, '')))).toEqual([]);
    // There are percentages to keep whole: the test would fail on a breaking space.
    expect(texts.filter((t) => /\d\u00a0%/.test(t)).length).toBeGreaterThan(0);
  });

  // Each width puts some line end inside a word (codeWordsBroken).
  it('never breaks a command or an option inside a word (after a hyphen): only between its words', async () => {
    const phone = await browser.newPage({ viewport: { width: 700, height: 800 } });
    await phone.goto(url);
    const { words, broken } = await codeWordsBroken(phone, '.diagnosis');
    await phone.close();
    expect(words).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  it('opens offline: no request but the file, no error', () => {
    expect(requests.filter((r) => !r.startsWith('blob:'))).toEqual([url]);
    expect(errors).toEqual([]);
  });

  // Each cell is checked by the step it is drawn at, not by its index: an index shared by the drawing, the page's data and the
  // trace passed whatever records the drawing and the data held (a thinned run's are 50 of its records, session 27's reviewers).
  it("draws a heatmap cell of log10 ‖∂C/∂b‖ for every traced step and layer, its value in the page's data", async () => {
    const data = reportPageData(html) as { runs: Record<string, { trace: { steps: number[]; metrics: { biasGradNorm: number[][] } } }> };
    const picked = Array.from({ length: REPORT_RECORDS }, (_, i) => Math.round((i * (long.trace.length - 1)) / (REPORT_RECORDS - 1)));
    const drawnRuns = [...runs.map((r, i) => ({ id: `run-${i}`, trace: r.trace, records: Array.from({ length: r.trace.length }, (_, k) => k) })), { id: 'long-0', trace: long.trace, records: picked }];
    for (const { id, trace, records } of drawnRuns) {
      const held = data.runs[id].trace;
      const { cells, colorOf } = await heatmapCells(page, `#${id}-heatmap`, held.steps);
      expect(cells.length, id).toBe(records.length * trace.layers);
      // The page's data holds the records drawn, in their order: a cell's step is its column's in the data.
      expect(held.steps, id).toEqual(records.map((r) => trace.steps[r]));
      for (const cell of cells) {
        // The trace's record at the step the cell is drawn at: its colour is that record's value's, and the data's value there is it (at float32).
        const record = trace.steps.indexOf(cell.step);
        expect(record, `${id}: a cell at step ${cell.step}`).toBe(records[cell.col]);
        const value = trace.at('biasGradNorm', record, cell.row);
        expect(cell.fill, `${id}: step ${cell.step}, row ${cell.row}`).toBe(colorOf(Math.log10(value)));
        expect(Math.fround(held.metrics.biasGradNorm[cell.col][cell.row]), `${id}: the data at step ${cell.step}, row ${cell.row}`).toBe(Math.fround(value));
      }
      // The values vary, so a colour or a value read at another record or row would differ: the check can fail.
      expect(new Set(cells.map((c) => c.fill)).size, id).toBeGreaterThan(records.length);
      // The cells are drawn: a real box in the laid-out page.
      const box = await page.locator(`#${id}-heatmap g.row path`).first().boundingBox();
      expect(box!.width).toBeGreaterThan(0);
    }
  });

  it('draws ‖∂C/∂b‖ vs layer at the first and last traced step, each layer over time, loss and accuracy apart', async () => {
    for (const [i, { trace }] of runs.entries()) {
      const layers = Array.from({ length: trace.layers }, (_, l) => l + 1);
      await expectLines(page, `#run-${i}-norm-vs-layer`, [0, trace.length - 1].map((r) => ({ xs: layers, ys: trace.row('biasGradNorm', r) })));
      // Its x axis names the layers ('hidden 1' … 'output'), not positions; the legend names the steps.
      expect(await page.$$eval(`#run-${i}-norm-vs-layer g.xticks text`, (t) => t.map((e) => e.textContent))).toEqual(layers.map((l) => trace.layerLabel(l - 1)));
      expect(await page.locator(`#run-${i}-norm-vs-layer text.axis`).first().textContent()).toBe('layer (input side at the left)');
      expect(await page.$$eval(`#run-${i}-norm-vs-layer svg.key text`, (t) => t.map((e) => e.textContent))).toEqual([0, trace.length - 1].map((r) => `step ${trace.steps[r]}`));
      const byLayer = (metric: 'biasGradNorm' | 'saturatedFraction' | 'deadFraction', count: number) =>
        Array.from({ length: count }, (_, l) => ({ xs: trace.steps, ys: trace.series(metric, l) }));
      await expectLines(page, `#run-${i}-norm-over-time`, byLayer('biasGradNorm', trace.layers));
      // Saturation for saturating units, dead units for relu: never one for the other.
      const metric = unitFailureMetric(trace.activations[0])!;
      expect(metric).toBe(trace.activations[0] === 'relu' ? 'deadFraction' : 'saturatedFraction');
      await expectLines(page, `#run-${i}-saturation`, byLayer(metric, trace.layers - 1));
      // One quantity per axis: the loss chart holds the loss alone, the accuracy chart the accuracy.
      await expectLines(page, `#run-${i}-loss`, [{ xs: trace.steps, ys: trace.losses }]);
      await expectLines(page, `#run-${i}-accuracy`, [{ xs: trace.steps, ys: trace.accuracy }]);
      expect(await numbers(page, `#run-${i}-accuracy svg.plot`, 'data-y1')).toEqual([1]);
    }
  });

  it("draws each layer's gradient histogram counted over its own range, the layers on one axis", async () => {
    for (const [i, { trace }] of runs.entries()) {
      expect(trace.histograms.map((h) => h.step)).toEqual([1, 13]);
      for (const h of trace.histograms) {
        const want = h.counts.map((c) => Array.from(c, (n) => Math.round((100 * n) / Math.max(1, ...c))));
        expect(await histogramBars(page, `#run-${i}-hist-${h.step}`)).toEqual(want);
        expect(single(await numbers(page, `#run-${i}-hist-${h.step} g.histogram`, 'data-hi'))).toEqual(single(h.hi));
        // Each layer's place is its range's part of the layers' one axis (± the largest of their ranges: a trace's are ± each layer's
        // largest |δ|), at least a drawing pixel wide: its bars stand there on the axis line, no taller than its cell (their transform
        // places them), or, for a range under a quarter of the axis, a beam's foot is there and the bars stand over the whole axis on
        // the beam's top, 34 up, magnified by the factor written in the beam.
        const placed = await page.$$eval(`#run-${i}-hist-${h.step} g.histogram`, (cells) =>
          cells.map((cell) => {
            const [bars, axis] = [cell.querySelector('path.bars')!.getBoundingClientRect(), cell.querySelector('path.axes')!.getBoundingClientRect()];
            const scale = axis.width / 110; // the axis line is 110 units of the drawing long (a cell of 130, 10 each side)
            const beam = cell.querySelector('path.beam');
            return {
              bars: { left: (bars.left - axis.left) / scale, width: bars.width / scale, bottom: (bars.bottom - axis.top) / scale, height: bars.height / scale },
              foot: beam && /^M([^ ]+) 0h([^L]+)L/.exec(beam.getAttribute('d')!)!.slice(1).map(Number),
              factor: beam && beam.nextElementSibling!.textContent,
            };
          }),
        );
        const widest = Math.max(...h.hi);
        placed.forEach((p, l) => {
          const width = Math.max(1, (110 * h.hi[l]) / widest);
          const magnified = h.hi[l] > 0 && widest / h.hi[l] > 4;
          expect(p.factor, `layer ${l}`).toBe(magnified ? `×${fmt(widest / h.hi[l])}` : null);
          if (magnified) {
            expect(Math.abs(p.foot![1] - width), `layer ${l}`).toBeLessThanOrEqual(0.5);
            expect(Math.abs(p.foot![0] - (110 - width) / 2), `layer ${l}`).toBeLessThanOrEqual(0.5);
          }
          const bars = magnified ? { width: 110, left: 0, bottom: -34, height: 46 } : { width, left: (110 - width) / 2, bottom: 0, height: 80 };
          expect(Math.abs(p.bars.width - bars.width), `layer ${l}`).toBeLessThanOrEqual(0.5);
          expect(Math.abs(p.bars.left - bars.left), `layer ${l}`).toBeLessThanOrEqual(0.5);
          expect(Math.abs(p.bars.bottom - bars.bottom)).toBeLessThanOrEqual(0.5);
          expect(p.bars.height).toBeLessThanOrEqual(bars.height + 0.5);
        });
      }
    }
    // In the deep sigmoid net the first hidden layer's δ are far smaller than the output's, yet its histogram spreads over several
    // bins (counted over one range for all layers it was a single bar): drawn on the shared axis and magnified, they keep them.
    const [first] = runs[0].trace.histograms;
    expect(first.hi[0]).toBeLessThan(first.hi[first.hi.length - 1] / 10);
    expect((await histogramBars(page, '#run-0-hist-1'))[0].filter((h) => h > 0).length).toBeGreaterThan(3);
  });

  it('shows the depth study lines, the per-layer gradient chart of study (b), and every diagnosis', async () => {
    await expectLines(page, '#depth-init', depth.networks.map((n) => ({ xs: n.biasGradNorms.map((_, l) => l + 1), ys: n.biasGradNorms })));
    const { trace } = runs[0];
    await expectLines(page, '#act-0-norm-over-time', Array.from({ length: trace.layers }, (_, l) => ({ xs: trace.steps, ys: trace.series('biasGradNorm', l) })));
    const verdicts = await page.$$eval('#runs section.run .diagnosis', (ds) => ds.map((d) => d.getAttribute('data-verdict')));
    expect(verdicts).toEqual(runs.map((r) => r.diagnosis.verdict));
    const text = await page.locator('#run-0 .diagnosis').innerText();
    expect(text).toContain(runs[0].diagnosis.summary.slice(0, 40));
  });

  it('uses a wide page: a contents bar beside the sections, charts in a grid, nothing sticking out', async () => {
    const nav = (await page.locator('nav.contents').boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    expect(nav.x).toBe(0);
    expect(main.x).toBeGreaterThanOrEqual(nav.x + nav.width);
    expect(await page.locator('nav.contents a[href="#run-1"]').count()).toBe(1);
    const lefts = await page.$$eval('#run-0 figure.chart', (figures) => figures.map((f) => Math.round(f.getBoundingClientRect().left)));
    // Two columns at 1600 px: three would show the charts' text below CHART_TEXT_MIN (report-chart-text.test.ts).
    expect(new Set(lefts).size).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(url);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const chart = (await phone.locator('#run-0-loss svg').first().boundingBox())!;
    expect(chart.width).toBeGreaterThan(300);
    await phone.screenshot({ path: 'test-artifacts/report-390.png' });
    // The narrowest phones' 320 px: no chart wider than its box (each drawing scrolled 45 px sideways), nothing past the
    // edge, no table either (the depth table here scrolled in its box, 333 px in 306: a row per card, table-cards.ts),
    // but one read across its rows (ReportTable.readAcross: the depth study's ‖∂C/∂b‖ per layer), which scrolls in its box.
    await phone.setViewportSize({ width: 320, height: 640 });
    await phone.waitForSelector('body[data-tables-fitted-at="320"]', { state: 'attached' });
    expect(await phone.locator('.table.across').count()).toBeGreaterThan(0);
    expect(await sidewaysOverflow(phone, 'figure.chart, .table', '.table.across')).toEqual([]);
    await phone.screenshot({ path: 'test-artifacts/report-320.png' });
    await phone.close();
  });

  // A phone's touch drag was the browser's to pan (touch-action auto): Chromium cancelled the pointer at its first move and
  // the range stayed hidden, at 390 px and at 320 px, where every chart fits its box. Now a sideways touch drags and a
  // vertical one still scrolls the page.
  it.each([390, 320])('selects a step range by a sideways touch drag on a %i px phone, and scrolls the page by a vertical one', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 700 }, hasTouch: true, isMobile: true });
    const phone = await context.newPage();
    await phone.goto(url);
    await phone.waitForSelector('body[data-data="ready"]');
    const plot = phone.locator('#run-0-loss svg.plot[data-time]').first();
    await plot.scrollIntoViewIfNeeded();
    const cdp = await context.newCDPSession(phone);
    const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
      for (let i = 1; i <= 8; i++) {
        const f = i / 8;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + f * (to.x - from.x), y: from.y + f * (to.y - from.y) }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    // scrollIntoViewIfNeeded's own scroll fires its scrollend a frame later: in the CI of 5ead90f2 (2026-12-06 08:36–08:55) it
    // came after the listener below was set, which took it for the drag's and read the page unmoved (16944 px both).
    // So two frames pass before the page's position is read, and only a scrollend after the drag's touchstart counts.
    await phone.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    let box = (await plot.boundingBox())!;
    const scrolled = await phone.evaluate(() => window.scrollY);
    // The vertical drag flings the page on after the touch ends, by as much as the moves' timing makes it: under load
    // (14, 2026-12-05) 190 px on, the chart's middle above the window's top, where the sideways drag landed on nothing.
    // So the drag waits for the page to stop (scrollend, fired once the fling ends), and the chart is brought back into view.
    await phone.evaluate(() => {
      (window as unknown as { scrollEnded: Promise<number> }).scrollEnded = new Promise((done) =>
        document.addEventListener('touchstart', () => document.addEventListener('scrollend', () => done(window.scrollY), { once: true }), { once: true, capture: true }),
      );
    });
    await drag({ x: box.x + box.width / 2, y: box.y + 0.8 * box.height }, { x: box.x + box.width / 2, y: box.y + 0.1 * box.height });
    expect(await phone.evaluate(() => (window as unknown as { scrollEnded: Promise<number> }).scrollEnded)).toBeGreaterThan(scrolled);
    expect(await phone.locator('#run-0 .range').isHidden()).toBe(true);
    await plot.scrollIntoViewIfNeeded();
    box = (await plot.boundingBox())!;
    const from = { x: box.x + 0.3 * box.width, y: box.y + box.height / 2 };
    expect(await plot.evaluate((svg, { x, y }) => svg.contains(document.elementFromPoint(x, y)), from)).toBe(true);
    await drag(from, { x: box.x + 0.7 * box.width, y: from.y });
    // Shown at the drag's pointerup, which a loaded page may handle after the touch's dispatch has returned: waited for
    // (expect.poll's 1 s default: one call into the page took 1.6 s under load 14).
    await phone.locator('#run-0 .range').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await phone.locator('#run-0 .range output').innerText()).toMatch(/^\d+–\d+$/);
    await context.close();
  });

  it('makes every link and button a target of at least 24×24 px, at 1600 px and at a 320 px phone (the contents links were 15 px tall)', async () => {
    // WCAG 2.5.8's least target: the contents' links and each run's trace links and 'all steps' button, shown.
    const small = (p: Page) =>
      p.$$eval('a, button', (targets) =>
        targets
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.width < 24 || r.height < 24))
          .map(({ e, r }) => `${e.textContent} (${e.getAttribute('href') ?? 'button'}): ${r.width.toFixed(0)}×${r.height.toFixed(0)}`),
      );
    const phone = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await phone.goto(url);
    await phone.waitForSelector('body[data-data="ready"]');
    for (const p of [page, phone]) {
      await p.$$eval('section.run .range', (ranges) => ranges.forEach((r) => ((r as HTMLElement).hidden = false)));
      expect(await p.locator('nav.contents a').count()).toBeGreaterThan(5);
      expect(await small(p)).toEqual([]);
      await p.$$eval('section.run .range', (ranges) => ranges.forEach((r) => ((r as HTMLElement).hidden = true)));
    }
    await phone.close();
  });

  it('downloads each trace as JSON and CSV, and all the data as JSON', async () => {
    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return readFile((await file.path())!, 'utf8');
    };
    const { trace } = runs[0];
    const json = Trace.fromJSON(JSON.parse(await download('#run-0 a[data-format="json"]')));
    expect(single(json.metric('biasGradNorm'))).toEqual(single(trace.metric('biasGradNorm')));
    expect(json.histograms.map((h) => h.counts)).toEqual(trace.histograms.map((h) => h.counts));
    // The CSV is Trace.toCSV()'s, value for value at float32 precision, its epoch rows included.
    expect(trace.epochs.length).toBeGreaterThan(0);
    const csv = (await download('#run-0 a[data-format="csv"]')).trim().split('\n');
    const want = trace.toCSV().trim().split('\n');
    expect(csv[0]).toBe(want[0]);
    expect(csv.length).toBe(want.length);
    const cells = (line: string) => line.split(',').map((c) => (c === '' ? NaN : Math.fround(Number(c))));
    for (let i = 1; i < want.length; i++) expect(cells(csv[i]), `CSV line ${i}`).toEqual(cells(want[i]));
    const all = JSON.parse(await download('nav a[data-download="all"]'));
    expect(all.format).toBe('gradscope.report');
    expect(Object.keys(all.runs)).toEqual(['act-0', 'long-0', 'run-0', 'run-1', 'run-2', 'run-3']);
    expect(all.sections.map((s: { id: string }) => s.id)).toEqual(['depth', 'activations', 'long', 'runs']);
    expect(all.sections[0].charts[0].series.map((s: { ys: number[] }) => s.ys)).toEqual(depth.networks.map((n) => n.biasGradNorms));
  });

  it(`draws and holds at most ${REPORT_RECORDS} evenly spaced records of a longer trace, and says so`, async () => {
    const { trace } = long;
    expect(trace.length).toBe(160);
    const picked = Array.from({ length: REPORT_RECORDS }, (_, i) => Math.round((i * (trace.length - 1)) / (REPORT_RECORDS - 1)));
    await expectLines(page, '#long-0-loss', [{ xs: picked.map((r) => trace.steps[r]), ys: picked.map((r) => trace.losses[r]) }]);
    expect(await page.locator('#long-0 .thinned').innerText()).toContain(`160 traced steps: ${REPORT_RECORDS} of them`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#long-0 a[data-format="json"]')]);
    const held = Trace.fromJSON(JSON.parse(await readFile((await download.path())!, 'utf8')));
    expect(Array.from(held.steps)).toEqual(picked.map((r) => trace.steps[r]));
    // Every epoch stays, at float32 precision.
    expect(held.epochs.map((e) => [e.epoch, e.step, Math.fround(e.loss)])).toEqual(trace.epochs.map((e) => [e.epoch, e.step, Math.fround(e.loss)]));
    expect(held.epochs.length).toBeGreaterThan(1);
    // The diagnosis is of the whole trace.
    expect(await page.locator('#long-0 .diagnosis').getAttribute('data-verdict')).toBe(long.diagnosis.verdict);
  });

  it('draws the chain-rule factors of two or more hidden layers, and none for one, whose diagnosis says there is no chain', async () => {
    for (const id of ['run-0', 'run-1', 'run-2']) expect(await page.locator(`#${id}-chain`).count(), id).toBe(1);
    // Over the hidden layers, named.
    const hidden = Array.from({ length: runs[0].trace.layers - 1 }, (_, l) => runs[0].trace.layerLabel(l));
    expect(await page.$$eval('#run-0-chain g.xticks text', (t) => t.map((e) => e.textContent))).toEqual(hidden);
    expect(runs[3].diagnosis.summary).toContain('there is no chain of hidden layers');
    expect(await page.locator('#run-3-chain').count()).toBe(0);
    expect(await page.locator('#run-3-norm-vs-layer').count()).toBe(1);
  });

  it('a drag across a chart over layers selects no text and zooms nothing (only charts over steps take a drag)', async () => {
    for (const chart of ['#run-0-norm-vs-layer', '#run-0-chain', '#depth figure.chart']) {
      const svg = page.locator(`${chart} > svg`).first();
      await svg.scrollIntoViewIfNeeded();
      const box = (await svg.boundingBox())!;
      const before = await page.$$eval(`${chart} svg`, (all) => all.map((e) => e.getAttribute('viewBox')));
      await page.evaluate(() => window.getSelection()!.removeAllRanges());
      await page.mouse.move(box.x + 0.05 * box.width, box.y + 0.1 * box.height);
      await page.mouse.down();
      await page.mouse.move(box.x + 0.95 * box.width, box.y + 0.95 * box.height, { steps: 8 });
      await page.mouse.up();
      expect(await page.evaluate(() => window.getSelection()!.toString()), chart).toBe('');
      expect(await page.$$eval(`${chart} svg`, (all) => all.map((e) => e.getAttribute('viewBox'))), chart).toEqual(before);
    }
    expect(await page.locator('#run-0 .range').isHidden()).toBe(true);
  });

  it('zooms every chart over steps of a run to a dragged step range, and back', async () => {
    const plots = '#run-0 svg.plot[data-time]';
    const whole = await viewBoxX(page, plots);
    expect(whole.length).toBe(5); // heatmap, norms over time, saturation, loss, accuracy
    const plot = page.locator('#run-0-norm-over-time svg.plot');
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    const [x0, x1] = whole[1];
    // Each layer's marks (its shape at up to MARKS_OVER_STEPS points): as drawn, and where they lie in the drawing against its plot.
    const marksOf = () =>
      page.$eval('#run-0-norm-over-time', (figure) => {
        const inner = figure.querySelector('svg.plot')!;
        const [left, width] = ['x', 'width'].map((a) => Number(inner.getAttribute(a)));
        return Array.from(figure.querySelectorAll('svg:not(.key) > path.mark'), (mark) => {
          const d = mark.getAttribute('d')!;
          const xs = Array.from(d.matchAll(/M([\d.]+) /g), (m) => Number(m[1]));
          return { d, xs, inside: xs.every((x) => x >= left - 0.05 && x <= left + width + 0.05) };
        });
      });
    const drawnMarks = await marksOf();
    expect(drawnMarks.length).toBe(runs[0].trace.layers);
    for (const m of drawnMarks) expect(m.xs.length).toBe(MARKS_OVER_STEPS);
    const stepAt = (f: number) => x0 + f * (x1 - x0);
    await page.mouse.move(box.x + 0.3 * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.5 * box.width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + 0.7 * box.width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()!.toString())).toBe('');
    const zoomed = await viewBoxX(page, plots);
    for (const [a, b] of zoomed) {
      expect(a).toBeCloseTo(stepAt(0.3), 0);
      expect(b).toBeCloseTo(stepAt(0.7), 0);
    }
    expect(await page.locator('#run-0 .range output').innerText()).toBe(`${Math.round(zoomed[0][0])}–${Math.round(zoomed[0][1])}`);
    // The marks picked again among the points in the range (drawn in the drawing's pixels, the zoom does not move them): each line
    // still marked, each mark inside the plot, each line's shape its own.
    const zoomedMarks = await marksOf();
    zoomedMarks.forEach((m, l) => {
      expect(m.xs.length, `layer ${l}`).toBeGreaterThan(0);
      expect(m.xs.length, `layer ${l}`).toBeLessThanOrEqual(MARKS_OVER_STEPS);
      expect(m.inside, `layer ${l}: ${m.d}`).toBe(true);
      expect(markPathShape(m.d)).toBe(markPathShape(drawnMarks[l].d));
    });
    expect(zoomedMarks.map((m) => m.d)).not.toEqual(drawnMarks.map((m) => m.d));
    const ticks = (await page.$$eval('#run-0-loss g.xticks text', (t) => t.map((e) => Number(e.textContent)))) as number[];
    for (const t of ticks) expect(t).toBeGreaterThanOrEqual(Math.floor(stepAt(0.3)));
    // The redrawn ticks are whole steps, a round step apart (niceTicks, the charts' own).
    for (const t of ticks) expect(Number.isInteger(t)).toBe(true);
    expect(new Set(ticks.slice(1).map((t, i) => t - ticks[i])).size).toBeLessThanOrEqual(1);
    // The other run keeps all its steps.
    const domains = await page.$$eval('#run-1 svg.plot[data-time]', (ps) => ps.map((p) => [Number((p as SVGSVGElement).dataset.x0), Number((p as SVGSVGElement).dataset.x1)]));
    expect(await viewBoxX(page, '#run-1 svg.plot[data-time]')).toEqual(domains);
    expect(domains[1][0]).toBe(runs[1].trace.steps[0]);
    await page.click('#run-0 .range button');
    expect(await viewBoxX(page, plots)).toEqual(whole);
    expect(await marksOf()).toEqual(drawnMarks);
    expect(await page.locator('#run-0 .range').isHidden()).toBe(true);
  });

  it("ticks a zoom up to the heatmap's last traced step, and an undone zoom as drawn (the heatmap's ran to its last column's edge)", async () => {
    const charts = '#run-0 figure:has(svg.plot[data-time])';
    const ticksOf = () => page.$$eval(`${charts} g.xticks`, (rows) => rows.map((row) => Array.from(row.querySelectorAll('text'), (t) => [t.textContent, Number(t.getAttribute('x')).toFixed(1)])));
    const drawn = await ticksOf();
    const plot = page.locator('#run-0-heatmap svg.plot');
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    // From half a step before the step 2 before the last traced step (the mouse's whole pixels fall either side of a step) to the
    // right edge, across the last column (1 step wide: traced every 3, the run's last step, 16, is the last record), ticked every step.
    const [[x0, x1]] = await viewBoxX(page, '#run-0-heatmap svg.plot');
    const last = runs[0].trace.steps.at(-1)!;
    expect([last, x1 - last]).toEqual([16, 1]);
    await page.mouse.move(box.x + ((last - 2.5 - x0) / (x1 - x0)) * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const heatmapTicks = await page.$$eval('#run-0-heatmap g.xticks text', (t) => t.map((e) => Number(e.textContent)));
    expect(heatmapTicks).toEqual([last - 2, last - 1, last]);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    expect(await ticksOf()).toEqual(drawn);
  });
});

describe.skipIf(!CHROMIUM_PATH)(`HTML report of a block network's trace in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let html: string;
  let blocks: ReportRun;
  /** The records the report draws: every ⌈length/REPORT_RECORDS⌉-th, as it thins them. */
  let drawn: number[];

  beforeAll(async () => {
    blocks = await blockRun();
    const folder = await mkdtemp(join(tmpdir(), 'gradscope-report-blocks-'));
    const file = join(folder, 'report.html');
    html = await renderReport({ runs: [{ ...blocks, id: 'blocks' }] });
    await writeFile(file, html);
    const T = blocks.trace.length;
    drawn = Array.from({ length: Math.min(T, REPORT_RECORDS) }, (_, i) => (T <= REPORT_RECORDS ? i : Math.round((i * (T - 1)) / (REPORT_RECORDS - 1))));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    errors = collectErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-data="ready"]');
  });
  afterAll(async () => browser?.close());

  it('opens with no error, within the size of a dense run\'s report', async () => {
    expect(errors).toEqual([]);
    expect(blocks.trace.length).toBeGreaterThan(REPORT_RECORDS);
    // The main job's budget is 600 KB for its whole report; one block run takes a small part of it.
    expect(html.length).toBeLessThan(300 * 1024);
  });

  it('labels the heatmap rows by their short names, the full one in each <title>, one per layer with a bias gradient that a batch norm does not cancel', async () => {
    const { trace } = blocks;
    // '0' (dense, linear) feeds the batch norm '1': its bias is cancelled, and said so instead of drawn.
    expect(biasesCancelledByBatchNorm(trace)).toEqual([0]);
    const rows = trace.blocks!.layers.flatMap((l, i) => (['dense', 'batch-norm', 'layer-norm'].includes(l.type) && i !== 0 ? [i] : []));
    // A label's own text follows its <title>.
    const labels = await page.$$eval('#blocks-heatmap .tick.y text', (t) => t.map((e) => [e.lastChild!.textContent, e.querySelector('title')?.textContent]));
    expect(labels).toEqual(rows.map((l) => [trace.layerLabel(l, 'short'), trace.layerLabel(l)]));
    expect(labels.map(([text]) => text)).not.toContain('layers[0] dense');
    expect(labels).toContainEqual(['layers[3][0] dense', "layers[3].layers[0] ('4.branch.0', dense)"]);
    expect(labels.map(([text]) => text)).not.toContain('layers[2] activation');
    const { cells, colorOf } = await heatmapCells(page, '#blocks-heatmap', drawn.map((r) => trace.steps[r]));
    expect(cells.length).toBe(rows.length * drawn.length);
    for (const cell of cells) expect(cell.fill).toBe(colorOf(Math.log10(trace.at('biasGradNorm', drawn[cell.col], rows[cell.row]))));
  });

  it('names the layers of its ‖∂C/∂b‖-per-layer chart, as the heatmap names its rows (no "row of the trace")', async () => {
    const rows = chartedBiasRows(blocks.trace);
    const names = rows.map((l) => blocks.trace.layerLabel(l, 'short'));
    // A tick's own text follows its <title> (the row's full name: test/flow/chart-row-titles).
    const ticks = await page.$$eval('#blocks-norm-vs-layer g.xticks text', (t) => t.map((e) => e.lastChild!.textContent!));
    // As many as fit, the first and the last included, in order.
    expect(ticks[0]).toBe(names[0]);
    expect(ticks.at(-1)).toBe(names.at(-1));
    expect(ticks.map((t) => names.indexOf(t))).toEqual([...ticks.map((t) => names.indexOf(t))].sort((a, b) => a - b));
    expect(ticks.every((t) => names.includes(t))).toBe(true);
    expect(await page.locator('#blocks-norm-vs-layer').innerHTML()).not.toContain('row of the trace');
    // The residual blocks' share over depth: each block by its name.
    const blockTicks = await page.$$eval('#blocks-residual-depth g.xticks text', (t) => t.map((e) => e.lastChild!.textContent!));
    // The blocks are layers[3] … layers[12] (modules 4 … 13), by their short names.
    expect(blockTicks[0]).toBe('layers[3] residual');
    expect(blockTicks.at(-1)).toBe('layers[12] residual');
  });

  it("says why the dense layer before the batch norm has no ‖∂C/∂b‖ row, with the largest value measured there against the norm's β", async () => {
    const { trace } = blocks;
    const note = await page.$eval('#blocks p.note.cancelled-bias', (p) => p.textContent!);
    const cancelled = drawn.map((r) => trace.at('biasGradNorm', r, 0));
    const shift = drawn.map((r) => trace.at('biasGradNorm', r, 1));
    // The bias is cancelled up to rounding: far below the β beside it.
    expect(Math.max(...cancelled)).toBeLessThan(1e-6 * Math.min(...shift));
    expect(note).toBe(
      "The ‖∂C/∂b‖ charts leave out the bias of dense layer layers[0] ('0', dense): each feeds a batch norm, whose subtraction of the batch mean cancels the bias, so its gradient is 0 up to rounding " +
        `(largest here ${Math.max(...cancelled).toExponential(1)}, against at least ${Math.min(...shift).toExponential(1)} for the batch norms' shift β, which the charts show instead).`,
    );
    // The diagnosis reads no speed of learning from it either.
    expect(blocks.diagnosis.evidence.firstToLast.median).toBeNaN();
  });

  it(`draws skip and branch per residual block (at most ${REPORT_RESIDUAL_CHARTS}), the branch's share over depth, and ReZero's α`, async () => {
    const { trace } = blocks;
    const B = trace.residualBlocks;
    const charts = await attribute(page, '#blocks figure[id^="blocks-residual-"]', 'id');
    const perBlock = charts.filter((id) => /-\d+$/.test(id));
    expect(perBlock.length).toBe(REPORT_RESIDUAL_CHARTS);
    expect(perBlock[0]).toBe('blocks-residual-0');
    expect(perBlock.at(-1)).toBe(`blocks-residual-${B - 1}`);
    const steps = drawn.map((r) => trace.steps[r]);
    for (const id of perBlock) {
      const b = Number(id.split('-').at(-1));
      const series = (name: 'skipGradRms' | 'branchGradRms') => ({ xs: steps, ys: drawn.map((r) => trace.residualSeries(name, b)[r]) });
      await expectLines(page, `#${id}`, [series('skipGradRms'), series('branchGradRms')]);
      expect(await page.locator(`#${id} figcaption`).innerText()).toContain(`Block layers[${3 + b}] ('${4 + b}', residual)`);
    }
    const share = (r: number) => Array.from({ length: B }, (_, b) => trace.residualSeries('branchGradRms', b)[r] / trace.residualSeries('skipGradRms', b)[r]);
    const blocksAxis = Array.from({ length: B }, (_, b) => b + 1);
    await expectLines(page, '#blocks-residual-depth', [{ xs: blocksAxis, ys: share(drawn[0]) }, { xs: blocksAxis, ys: share(drawn.at(-1)!) }]);
    const rezero = trace.blocks!.residuals.flatMap((block, b) => (block.gate === 'rezero' ? [b] : []));
    await expectLines(page, '#blocks-alpha', rezero.map((b) => ({ xs: steps, ys: drawn.map((r) => trace.residualSeries('alpha', b)[r]) })));
    // No chain-rule chart: its bound is not measured through blocks.
    expect(await page.locator('#blocks-chain').count()).toBe(0);
  });

  it('downloads the block trace with its names and residual metrics, and its CSV with the names', async () => {
    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return readFile((await file.path())!, 'utf8');
    };
    const { trace } = blocks;
    const jsonText = await download('#blocks a[data-format="json"]');
    const json = Trace.fromJSON(JSON.parse(jsonText));
    expect(json.blocks).toEqual(trace.blocks);
    expect(single(json.residualSeries('branchGradRms', 3))).toEqual(single(drawn.map((r) => trace.residualSeries('branchGradRms', 3)[r])));
    const csvText = await download('#blocks a[data-format="csv"]');
    const csv = csvText.trim().split('\n');
    expect(csv[0]).toBe(trace.toCSV().split('\n')[0]);
    // Its name's three parts (path, module name, type), then the epoch cells, empty on a step row; a branch's row by its block's path.
    expect(csv[1].endsWith(`,layers[0],0,dense${','.repeat(EPOCH_CELLS.length)}`)).toBe(true);
    expect(csv[5].endsWith(`,layers[3].layers[0],4.branch.0,dense${','.repeat(EPOCH_CELLS.length)}`)).toBe(true);
    // A line per drawn record and layer, and one per epoch (all of them: thinning keeps every epoch), as the JSON download holds them.
    expect(trace.epochs.length).toBeGreaterThan(0);
    expect(csv.length).toBe(1 + drawn.length * trace.layers + trace.epochs.length);
    expectCsvMatchesJson(csvText, JSON.parse(jsonText));
  });
});
