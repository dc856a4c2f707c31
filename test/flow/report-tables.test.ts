/**
 * The report's tables fit the page in headless Chromium: at 1400 px every table fits its own box
 * (the main job's trainable-depth tables ran 11–25 px past theirs, their last column hidden
 * behind the box's edge), and at a phone's 390 px none pushes the page wider than the screen (a
 * table too wide for a phone scrolls inside its box). Waits on what the page shows (its data
 * unpacked, its fonts loaded), never on a time.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/flow/report-html.js';
import { ROWS_HEADER } from '../../src/studies/trainable-depth-report.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';

/**
 * Rows of the trainable-depth study's rows table as the main job (`npm start`, its default flags)
 * wrote them on 2026-12-01: its widest table, whose cells set how wide the table must be.
 */
const MAIN_JOB_ROWS = [
  ['plain-sigmoid', '2', '90.5 %', '0.327', '0.17 → 0.81', '0.14 → 0.85', '846', '2.3', ''],
  ['plain-sigmoid', '50', '11.0 %', '2.310', '0 (underflow) → 0 (underflow)', '1.4e-42 → 3.2e-42', '846', '18.3', ''],
  ['orthogonal-tanh', '50', '90.0 %', '0.392', '0.46 → 5.5', '0.33 → 5.1', '846', '21.1', ''],
  ['batch-norm-relu', '50', '13.2 %', '2.264', '1.4e+3 → 4.7', '— → —', '846', '27.4', ''],
  ['rezero', '50', '89.7 %', '0.320', '∞ → 1.6e+2', '∞ → 1.3e+2', '846', '51.3', ''],
];

/** Each table's box: its own width and its content's, and its right edge on the page. */
const tableBoxes = (page: Page) =>
  page.$$eval('div.table', (boxes) => boxes.map((box) => ({ client: box.clientWidth, scroll: box.scrollWidth, right: box.getBoundingClientRect().right })));
/** How far the page's content reaches past the screen's width (≤ 0: nothing sticks out sideways). */
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!CHROMIUM_PATH)(`report tables in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gradscope-report-tables-'));
    const file = join(folder, 'report.html');
    const percents = MAIN_JOB_ROWS.map((row) => row.map((cell) => cell.replace(' %', '\u00a0%')));
    await writeFile(file, await renderReport({ sections: [{ id: 'trainable-depth', heading: 'Trainable depth', tables: [{ header: ROWS_HEADER, rows: percents }] }] }));
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  async function open(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url);
    await page.waitForSelector('body[data-data="ready"]');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return page;
  }

  it('fits each table in its box at 1400 px: no column hidden past its edge', async () => {
    const page = await open(1400, 900);
    const boxes = await tableBoxes(page);
    expect(boxes.length).toBe(1);
    for (const box of boxes) expect(box.scroll, 'the table is wider than its box').toBeLessThanOrEqual(box.client);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("keeps the page within a phone's width, a table too wide for it scrolling in its own box", async () => {
    const page = await open(390, 844);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    for (const box of await tableBoxes(page)) expect(box.right).toBeLessThanOrEqual(390);
    // The box scrolls to its last column: nothing of the table is out of reach.
    const reach = await page.$eval('div.table', (box) => {
      box.scrollLeft = box.scrollWidth;
      const last = box.querySelector('tr > :last-child')!.getBoundingClientRect();
      return { last: last.right, box: box.getBoundingClientRect().right };
    });
    expect(reach.last).toBeLessThanOrEqual(reach.box + 0.5);
    await page.close();
  });
});
