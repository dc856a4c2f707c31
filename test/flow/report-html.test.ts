/**
 * The HTML report rendered in headless Chromium: it opens offline (no request but the file itself,
 * no console error), and its charts hold the trace's values: one heatmap cell per (step, layer)
 * with log10 ‖∂C/∂b‖, the per-layer norm lines, every histogram count, every diagnosis.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { diagnose } from '../../src/flow/diagnose.js';
import { unitFailureMetric } from '../../src/flow/metrics.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import type { DepthStudyResult } from '../../src/studies/depth.js';
import { depthReportSection } from '../../src/studies/depth-report.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';

const rng = new Rng(41);
const x = Array.from({ length: 40 }, () => Array.from({ length: 10 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

async function run(label: string, activation: 'sigmoid' | 'tanh' | 'relu', depth: number): Promise<ReportRun> {
  const net = await createNetwork({ sizes: [10, ...Array(depth).fill(8), 2], activation, output: 'softmax', backend: 'ref', seed: 3 });
  net.train(x, y, { epochs: 4, batchSize: 10, learningRate: 0.5, trace: { every: 3, histogramSteps: [1, 13] } });
  const trace = net.trace!;
  net.dispose();
  expectTraceInvariants(trace, label);
  return { label, trace, diagnosis: diagnose(trace) };
}

const runs = [await run('deep sigmoid', 'sigmoid', 5), await run('shallow tanh', 'tanh', 2), await run('relu', 'relu', 3)];
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

const numbers = (page: Page, selector: string, attribute = 'data-value') =>
  page.$$eval(selector, (elements, a) => elements.map((e) => Number(e.getAttribute(a))), attribute);

describe.skipIf(!CHROMIUM_PATH)(`HTML report in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const requests: string[] = [];

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gradscope-report-'));
    const file = join(folder, 'report.html');
    await writeFile(file, renderReport({ sections: [depthReportSection(depth)], runs }));
    browser = await launchChromium();
    page = await browser.newPage();
    errors = collectErrors(page);
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
  });
  afterAll(async () => browser?.close());

  it('opens offline: no request but the file, no error', () => {
    expect(requests.length).toBe(1);
    expect(requests[0]).toMatch(/^file:.*report\.html$/);
    expect(errors).toEqual([]);
  });

  it('holds a heatmap cell of log10 ‖∂C/∂b‖ for every traced step and layer', async () => {
    for (const [i, { trace }] of runs.entries()) {
      const cells = await page.$$eval(`#run-${i}-heatmap rect.cell`, (rects) =>
        rects.map((r) => ({ row: Number(r.getAttribute('data-row')), col: Number(r.getAttribute('data-col')), value: Number(r.getAttribute('data-value')) })),
      );
      expect(cells.length).toBe(trace.length * trace.layers);
      for (const cell of cells) expect(cell.value).toBe(Math.log10(trace.at('biasGradNorm', cell.col, cell.row)));
      // The cells are drawn: a real box in the laid-out page.
      const box = await page.locator(`#run-${i}-heatmap rect.cell`).first().boundingBox();
      expect(box!.width).toBeGreaterThan(0);
    }
  });

  it('draws ‖∂C/∂b‖ vs layer at the first and last traced step, and each layer over time', async () => {
    for (const [i, { trace }] of runs.entries()) {
      const first = await numbers(page, `#run-${i}-norm-vs-layer g.series:nth-of-type(1) circle.point`);
      const last = await numbers(page, `#run-${i}-norm-vs-layer g.series:nth-of-type(2) circle.point`);
      expect(first).toEqual(Array.from(trace.row('biasGradNorm', 0)));
      expect(last).toEqual(Array.from(trace.row('biasGradNorm', trace.length - 1)));
      const overTime = await numbers(page, `#run-${i}-norm-over-time circle.point`);
      expect(overTime).toEqual(Array.from({ length: trace.layers }, (_, l) => Array.from(trace.series('biasGradNorm', l))).flat());
      const saturation = await numbers(page, `#run-${i}-saturation circle.point`);
      // Saturation for saturating units, dead units for relu: never one for the other.
      const metric = unitFailureMetric(trace.activations[0])!;
      expect(metric).toBe(trace.activations[0] === 'relu' ? 'deadFraction' : 'saturatedFraction');
      expect(saturation).toEqual(Array.from({ length: trace.layers - 1 }, (_, l) => Array.from(trace.series(metric, l))).flat());
      const loss = await numbers(page, `#run-${i}-loss g.series:nth-of-type(1) circle.point`);
      expect(loss).toEqual(Array.from(trace.losses));
    }
  });

  it('holds every count of the gradient histograms, per layer, at each chosen step', async () => {
    for (const [i, { trace }] of runs.entries()) {
      expect(trace.histograms.map((h) => h.step)).toEqual([1, 13]);
      for (const h of trace.histograms) {
        const bars = await numbers(page, `#run-${i}-hist-${h.step} rect.bar`);
        expect(bars).toEqual(h.counts.flatMap((c) => Array.from(c)));
      }
    }
  });

  it('shows the depth study lines and every diagnosis', async () => {
    const init = await numbers(page, '#depth-init circle.point');
    expect(init).toEqual(depth.networks.flatMap((n) => n.biasGradNorms));
    const verdicts = await page.$$eval('section.run .diagnosis', (ds) => ds.map((d) => d.getAttribute('data-verdict')));
    expect(verdicts).toEqual(runs.map((r) => r.diagnosis.verdict));
    const text = await page.locator('#run-0 .diagnosis').innerText();
    expect(text).toContain(runs[0].diagnosis.summary.slice(0, 40));
  });
});
