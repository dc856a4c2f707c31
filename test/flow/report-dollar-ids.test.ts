/**
 * A report whose run ids are the packer's own words ($f32, $table: run ids are a user's strings and
 * key data.runs) opened in headless Chromium: its data unpacks (body[data-data="ready"]), with no
 * error, and each run's trace and all the data download under the ids as given.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import { Trace } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';

const IDS = ['$f32', '$table', '$$f32'];

async function tracedRun(id: string, seed: number): Promise<ReportRun> {
  const rng = new Rng(seed);
  const x = Array.from({ length: 20 }, () => Array.from({ length: 6 }, () => rng.uniform()));
  const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));
  const net = await createNetwork({ sizes: [6, 5, 5, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed });
  net.train(x, y, { epochs: 3, batchSize: 10, learningRate: 0.5, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  return { id, label: `run ${id}`, trace, diagnosis: diagnose(trace) };
}

const runs = await Promise.all(IDS.map((id, i) => tracedRun(id, i + 1)));

describe.skipIf(!CHROMIUM_PATH)(`HTML report with run ids $f32 and $table in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'gradscope-report-')), 'report.html');
    await writeFile(file, await renderReport({ runs }));
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true });
    errors = collectErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-data="ready"]', { timeout: 30_000 });
  });
  afterAll(async () => browser?.close());

  const download = async (selector: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return readFile((await file.path())!, 'utf8');
  };

  it("unpacks its data and downloads each run's trace under its id", async () => {
    for (const [i, id] of IDS.entries()) {
      const json = Trace.fromJSON(JSON.parse(await download(`a[data-download="${id}"][data-format="json"]`)));
      expect(Array.from(json.steps), id).toEqual(Array.from(runs[i].trace.steps));
      expect(json.losses.map(Math.fround), id).toEqual(runs[i].trace.losses.map(Math.fround));
      const csv = await download(`a[data-download="${id}"][data-format="csv"]`);
      expect(csv.trim().split('\n').length, id).toBe(runs[i].trace.toCSV().trim().split('\n').length);
    }
    expect(errors).toEqual([]);
  });

  it('downloads all the data with the run ids as given', async () => {
    const all = JSON.parse(await download('nav a[data-download="all"]'));
    expect(Object.keys(all.runs)).toEqual(IDS);
    for (const id of IDS) expect(all.runs[id].label).toBe(`run ${id}`);
    expect(all.sections[0].runs).toEqual(IDS);
    expect(errors).toEqual([]);
  });
});
