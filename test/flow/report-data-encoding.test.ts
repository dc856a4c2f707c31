/**
 * The report's data block says what its bytes are (data-encoding, report-data.ts' DATA_ENCODING): the
 * delta-coded float32 planes e27ecffd made them, where the attribute had kept saying plain float32. The
 * independent reader (test/util/report-data) reads only a block that says the layout it documents, and
 * the page's own script, in headless Chromium, leaves a block that says anything else unread: no wrong
 * numbers downloaded, body[data-data="unreadable"] and one console error naming both encodings.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { DATA_ENCODING } from '../../src/flow/report-data.js';
import { renderReport } from '../../src/flow/report-html.js';
import { CHROMIUM_PATH, collectErrors, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { DOCUMENTED_ENCODING, reportPageData } from '../util/report-data.js';

const OLD_ENCODING = 'gzip+base85, json+float32';

async function page(): Promise<string> {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 1 });
  const x = [[0, 1, 0], [1, 0, 1], [1, 1, 0], [0, 0, 1]];
  net.train(x, x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1])), { epochs: 2, batchSize: 2, learningRate: 0.5, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  return renderReport({ runs: [{ id: 'one', label: 'one run', trace, diagnosis: diagnose(trace) }] });
}

describe('the data block says what its bytes are', () => {
  it('says the delta-coded planes the reader of the documented layout reads, and that reader refuses any other', async () => {
    const html = await page();
    expect(DATA_ENCODING).toBe(DOCUMENTED_ENCODING);
    expect(html).toContain(`id="report-data" data-encoding="${DOCUMENTED_ENCODING}">`);
    expect((reportPageData(html) as { runs: Record<string, { label: string }> }).runs.one.label).toBe('one run');
    expect(() => reportPageData(html.replace(DOCUMENTED_ENCODING, OLD_ENCODING))).toThrow(`says it is "${OLD_ENCODING}"`);
  });
});

describe.skipIf(!CHROMIUM_PATH)(`a block of another encoding in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const [name, encoding, state] of [['its own', DATA_ENCODING, 'ready'], ['an older', OLD_ENCODING, 'unreadable']] as const) {
    it(`a block that says ${name} encoding is ${state}`, async () => {
      const file = join(await mkdtemp(join(tmpdir(), 'gradscope-report-')), 'report.html');
      await writeFile(file, (await page()).replace(`data-encoding="${DATA_ENCODING}"`, `data-encoding="${encoding}"`));
      const tab = await browser.newPage({ acceptDownloads: true });
      const errors = collectErrors(tab);
      await tab.goto(pathToFileURL(file).href);
      await tab.waitForSelector(`body[data-data="${state}"]`, { timeout: 30_000 });
      if (state === 'ready') {
        expect(errors).toEqual([]);
        return tab.close();
      }
      expect(errors).toEqual([`console.error: gradscope report: the data block is encoded "${OLD_ENCODING}"; this page's script reads "${DATA_ENCODING}" only, so its downloads are off`]);
      // A download link does nothing: no file of wrong numbers.
      let downloaded = false;
      tab.on('download', () => (downloaded = true));
      await tab.click('a[data-download="one"][data-format="json"]');
      await tab.waitForTimeout(500);
      expect(downloaded).toBe(false);
      await tab.close();
    });
  }
});
