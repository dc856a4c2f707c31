/**
 * How a line chart names its lines, once each: a line's name is its group's <title> (its tooltip),
 * with no data-name beside it saying it again (~5 KB of the main report); the legend names the lines
 * for the eye, but not a lone line named as its y axis (a run's loss); it is the legend's text, not the <title>s inside the drawing (an img to Chromium),
 * that a screen reader is given with the chart's caption and axis labels.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { lineChart } from '../../src/flow/svg.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { keyOf, legendOf } from '../util/chart-key.js';

const net = await createNetwork({ sizes: [2, 3, 3, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
net.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
const trace = net.trace!;
const page = await renderReport({ runs: [{ label: 'xor', trace, diagnosis: diagnose(trace) }] });
const LAYERS = ['hidden 1', 'hidden 2', 'output'];

describe("line charts' names", () => {
  it('names each line once, as its <title>', () => {
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a & b', xs: [1, 2], ys: [1, 2] }, { name: 'c', xs: [1, 2], ys: [2, 1] }] });
    expect([...svg.matchAll(/<g class="series"[^>]*>/g)].map((m) => m[0])).toEqual(['<g class="series">', '<g class="series">']);
    expect([...svg.matchAll(/<g class="series"><title>([^<]*)<\/title>/g)].map((m) => m[1])).toEqual(['a &amp; b', 'c']);
    expect(page).not.toContain('data-name=');
  });

  it("gives a lone line named as its y axis no legend (a run's loss and accuracy), and any other chart one", () => {
    const names = (id: string) => legendOf(new RegExp(`<figure class="chart" id="${id}"[\\s\\S]*?</figure>`).exec(page)![0]).map((entry) => entry.name);
    expect(names('run-0-loss')).toEqual([]);
    expect(names('run-0-accuracy')).toEqual([]);
    expect(names('run-0-norm-over-time')).toEqual(LAYERS);
    const lone = (name: string) => lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'loss', series: [{ name, xs: [1, 2], ys: [1, 2] }] });
    expect(keyOf(lone('loss'))).toBeUndefined();
    expect(legendOf(lone('held-out rows')).map((entry) => entry.name)).toEqual(['held-out rows']);
  });

  describe.skipIf(!CHROMIUM_PATH)(`in Chromium${CHROMIUM_PATH ? '' : ` (${NO_CHROMIUM})`}`, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    it("gives a screen reader each chart's caption, its lines' names and its axes", async () => {
      const tab = await browser.newPage();
      await tab.setContent(page);
      const read = (id: string) => tab.locator(`#${id}`).ariaSnapshot();
      const lines = await read('run-0-norm-over-time');
      // Its caption, then how to read it (depthAndStepsNotes), both the figure's name.
      expect(lines).toContain('figure "‖∂C/∂b‖ of each layer over training (log scale) Across the lines at one step, the gap over depth (the heatmap');
      // The key is a drawing of its own (svg.key), read by its names.
      expect(lines).toContain(`img: ${LAYERS.join(' ')}`);
      expect(lines).toContain('text: step ‖∂C/∂b‖');
      const loss = await read('run-0-loss');
      expect(loss).toContain('figure "Loss of the batch at each traced step"');
      expect(loss).toContain('text: step loss');
      await tab.close();
    });
  });
});
