/**
 * The report's tables fit the page in headless Chromium: at 1400 px every table fits its own box
 * (the main job's trainable-depth tables ran 11–25 px past theirs, their last column hidden
 * behind the box's edge), and at a phone's 390 px and the narrowest phones' 320 px a table too wide
 * for the column is shown a row per card (table-cards.ts), each cell after its column's header:
 * nothing past the screen's edge and no box to scroll sideways (it scrolled in its box, 658–879 px
 * wide in 306). Waits on what the page shows (its data unpacked, its fonts loaded, its tables fitted
 * at its width), never on a time.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ReportSection } from '../../src/flow/report-html.js';
import { ROWS_HEADER } from '../../src/studies/trainable-depth-report.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM } from '../browser/chromium.js';
import { sidewaysOverflow } from '../browser/sideways.js';
import { labelTableCells, TABLE_CARDS_CLASS } from '../../src/flow/table-cards.js';

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

/** A row of study (b)'s table as the main job wrote it on 2026-12-03: a verdict of seven words, wider than a 320 px phone's card. */
const ACTIVATIONS_HEADER = ['activation', 'init', 'test error', 'first ÷ last hidden RMS ‖δₓ‖ at start', 'first ÷ last hidden ‖∂C/∂b‖ at start', 'verdict'];
const ACTIVATIONS_ROW = ['sigmoid', 'he-normal', '89.5\u00a0%', '0.0109', '0.0106', 'vanishing (severe: 0.0107, median over 20 records)'];

/**
 * Study (a)'s table over epochs as the main job writes it (depthEpochTable, its deepest network's values of a run of the
 * default flags, rounded): each row read across, layer by layer, which a card per row cannot be (newuser42).
 */
const EPOCHS_CAPTION = '[784, 30, 30, 30, 30, 10], ‖∂C/∂b‖ per hidden layer at the start of an epoch:';
const EPOCHS_HEADER = ['epoch', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'first ÷ last', 'cross-entropy'];
const EPOCHS_ROWS = [0, 1, 10, 50, 100, 250, 499].map((e, i) => [String(e), `${1.3 + i}e-3`, `${3.4 + i}e-3`, `${(1.1 + i / 10).toFixed(1)}e-2`, `${(4.7 + i / 10).toFixed(1)}e-2`, '0.0268', (3.3 - i / 3).toFixed(3)]);

/**
 * The trainable-depth budget sweep's accuracy matrix (budgetMatrix) as docs/trainable-depth.md quotes the study's run of
 * 2026-12-01, two of its rows: read across budget by budget, each row named by its first two cells, a remedy and a depth.
 */
const BUDGET_HEADER = ['remedy', 'depth', 'accuracy 1× (2,820 steps)', 'accuracy 4× (11,280 steps)', 'accuracy 16× (45,120 steps)', 'accuracy 64× (180,480 steps)', 'first step ≥ 90 %', 'first ÷ last ‖∂C/∂b‖, init → 1× → 4× → 16× → 64×'];
const BUDGET_ROWS = [
  ['plain-sigmoid', '5', '10.5\u00a0%', '10.8\u00a0%', '9.9\u00a0%', '94.5\u00a0%', '80,088', '0.00047 → 0.00026 → 0.00056 → 0.0068 → 0.49'],
  ['plain-sigmoid', '10', '9.9\u00a0%', '8.8\u00a0%', '10.8\u00a0%', '10.5\u00a0%', 'never', '3.0e-8 → 4.1e-8 → 1.5e-7 → 1.1e-7 → 2.6e-7'],
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
    await writeFile(
      file,
      await renderReport({
        sections: [
          { id: 'trainable-depth', heading: 'Trainable depth', tables: [{ header: ROWS_HEADER, rows: percents }, { header: ACTIVATIONS_HEADER, rows: [ACTIVATIONS_ROW] }] },
          { id: 'depth', heading: 'Depth', tables: [{ caption: EPOCHS_CAPTION, header: EPOCHS_HEADER, rows: EPOCHS_ROWS, readAcross: true }] },
        ],
      }),
    );
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  async function open(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url);
    await page.waitForSelector('body[data-data="ready"]');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await fitted(page, width);
    return page;
  }

  /** Once the page has fitted its tables at `width` (after the fonts load and after each change of width). */
  const fitted = (page: Page, width: number) => page.waitForSelector(`body[data-tables-fitted-at="${width}"]`, { state: 'attached' });

  it('fits each table in its box at 1400 px: no column hidden past its edge', async () => {
    const page = await open(1400, 900);
    const boxes = await tableBoxes(page);
    expect(boxes.length).toBe(3);
    for (const box of boxes) expect(box.scroll, 'the table is wider than its box').toBeLessThanOrEqual(box.client);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('keeps a table that fits a table at 1400 px, its headers in one row above its rows', async () => {
    const page = await open(1400, 900);
    expect(await page.$eval('div.table', (box, cards) => box.classList.contains(cards), TABLE_CARDS_CLASS)).toBe(false);
    expect(await page.$eval('div.table table', (t) => getComputedStyle(t).display)).toBe('table');
    await page.close();
  });

  it('gives a header in a table\'s body the role of its row\'s header, one in its head its column\'s', async () => {
    const page = await browser.newPage();
    await page.setContent('<table><thead><tr><th>run</th><th>loss</th></tr></thead><tbody><tr><th>a</th><td>1</td></tr></tbody></table>');
    await page.evaluate(`(${labelTableCells.toString()})(document.querySelector('table'))`);
    expect(await page.$$eval('th', (ths) => ths.map((th) => th.getAttribute('role')))).toEqual(['columnheader', 'columnheader', 'rowheader']);
    await page.close();
  });

  for (const [width, height] of [[390, 844], [320, 640]]) {
    it(`shows a table too wide for a ${width} px phone a row per card, each cell after its header: nothing past the edge, no box to scroll sideways`, async () => {
      const page = await open(width, height);
      // Every element (each card's too) within the screen, and no box wider than it shows.
      expect(await sidewaysOverflow(page, 'figure.chart', 'div.table.across')).toEqual([]);
      for (const box of (await tableBoxes(page)).slice(0, 2)) expect(box.scroll, 'the table is wider than its box').toBeLessThanOrEqual(box.client);
      const cards = await page.$$eval('#trainable-depth div.table:first-child tbody tr', (rows) =>
        rows.map((row) =>
          Array.from(row.querySelectorAll('td'), (td) => ({ label: getComputedStyle(td, '::before').content.replace(/ \/ ""$/, ''), value: td.textContent, shown: td.getBoundingClientRect().height > 0 })),
        ),
      );
      expect(cards.length).toBe(MAIN_JOB_ROWS.length);
      // Each card says each of its cells after its column's header; an empty cell (the rows' note) is left out.
      cards.forEach((card, r) =>
        card.forEach((cell, c) => {
          expect(cell.label).toBe(JSON.stringify(ROWS_HEADER[c]));
          expect(cell.shown, `row ${r}, ${ROWS_HEADER[c]}`).toBe(MAIN_JOB_ROWS[r][c] !== '');
        }),
      );
      // A value wraps between its words, never inside one ('2.4e-8 → 6.7e-8' broke after its hyphen): each word on one line,
      // the cell's text as it was.
      const broken = await page.$$eval('div.table td > span > span', (words) => words.filter((w) => w.getClientRects().length !== 1).map((w) => w.textContent));
      expect(broken).toEqual([]);
      expect(await page.$$eval('#trainable-depth div.table:first-child tbody tr', (rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent)))).toEqual(MAIN_JOB_ROWS.map((row) => row.map((cell) => cell.replace(' %', '\u00a0%'))));
      // Still a table to a screen reader: the header's row and a row per card, with their column headers.
      expect(await tableRows(page)).toEqual({ rows: 1 + MAIN_JOB_ROWS.length, headers: ROWS_HEADER.length });
      // Each cell read as its value alone: the card's label (its column's header, which a screen reader says already) kept out.
      const shownCells = MAIN_JOB_ROWS.flat().filter((cell) => cell !== ''); // an empty cell is left out (display none)
      expect(await cellNames(page, shownCells.length)).toEqual(shownCells.map((cell) => cell.replace(' %', '\u00a0%')));
      await page.screenshot({ path: `test-artifacts/report-table-cards-${width}.png`, fullPage: true });
      // A resize of the height alone (a phone's address bar) lays no table out again: no box's class touched.
      expect(await classChangesOver(page, () => page.setViewportSize({ width, height: height - 100 }))).toBe(0);
      // Back to a table where the window is wide enough again.
      await page.setViewportSize({ width: 1400, height: 900 });
      await fitted(page, 1400);
      expect(await page.$$eval('div.table', (boxes, cards) => boxes.map((box) => box.classList.contains(cards)), TABLE_CARDS_CLASS)).toEqual([false, false, false]);
      await page.close();
    });
  }
});

describe.skipIf(!CHROMIUM_PATH)(`a report table read across its rows in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  for (const [width, height] of [[390, 844], [320, 640]]) {
    it(`scrolls study (a)'s epochs × layers table sideways in its own box at ${width} px, a table still, its first column and caption in view`, async () => {
      const browser = await launchChromium();
      const page = await openFittedReport(browser, { id: 'depth', heading: 'Depth', tables: [{ caption: EPOCHS_CAPTION, header: EPOCHS_HEADER, rows: EPOCHS_ROWS, readAcross: true }] }, width, height);
      const box = page.locator('div.table');
      // Not cards: a table whose rows lie across, one row per epoch, its header above.
      expect(await box.evaluate((b, cards) => b.classList.contains(cards), TABLE_CARDS_CLASS)).toBe(false);
      expect(await box.locator('table').evaluate((t) => getComputedStyle(t).display)).toBe('table');
      const tops = await box.locator('tbody tr').evaluateAll((rows) => rows.map((row) => new Set(Array.from(row.querySelectorAll('td'), (td) => Math.round(td.getBoundingClientRect().top))).size));
      expect(tops).toEqual(EPOCHS_ROWS.map(() => 1));
      // Wider than the phone's column, it scrolls in its box; nothing else sticks out.
      const { client, scroll } = await box.evaluate((b) => ({ client: b.clientWidth, scroll: b.scrollWidth }));
      expect(scroll).toBeGreaterThan(client);
      expect(await box.evaluate((b) => getComputedStyle(b).overflowX)).toBe('auto');
      expect(await sidewaysOverflow(page, 'div.table', 'div.table.across')).toEqual([]);
      // Scrolled to its last column, the row's epoch and the caption still show at the box's left edge, within it.
      await box.evaluate((b) => (b.scrollLeft = b.scrollWidth));
      const edges = await box.evaluate((b) => {
        const left = b.getBoundingClientRect().left;
        const at = (e: Element) => ({ left: Math.round(e.getBoundingClientRect().left - left), right: Math.round(e.getBoundingClientRect().right - left) });
        return { epoch: at(b.querySelector('tbody tr td')!), caption: at(b.querySelector('caption')!), last: at(b.querySelector('tbody tr td:last-child')!), width: b.clientWidth };
      });
      // (At the box's left edge within a pixel: the caption's box may start half a pixel before it.)
      expect([Math.abs(edges.epoch.left), Math.abs(edges.caption.left)].map((d) => d <= 1)).toEqual([true, true]);
      expect(edges.caption.right).toBeLessThanOrEqual(edges.width);
      expect(edges.last.right).toBeLessThanOrEqual(edges.width);
      await page.screenshot({ path: `test-artifacts/report-table-across-${width}.png`, fullPage: true });
      await page.close();
      await browser.close();
    });
  }
});

describe.skipIf(!CHROMIUM_PATH)(`a report table whose rows two columns name, read across in headless Chromium ${CHROMIUM_PATH ? '' : NO_CHROMIUM}`, () => {
  for (const [width, height] of [[390, 844], [320, 640]]) {
    it(`keeps the budget matrix's remedy and depth in view as it scrolls to its last column at ${width} px (ReportTable.keyColumns)`, async () => {
      const browser = await launchChromium();
      const page = await openFittedReport(browser, { id: 'budget', heading: 'Budget', tables: [{ header: BUDGET_HEADER, rows: BUDGET_ROWS, readAcross: true, keyColumns: 2 }] }, width, height);
      const box = page.locator('div.table');
      expect(await box.evaluate((b, cards) => b.classList.contains(cards), TABLE_CARDS_CLASS)).toBe(false);
      expect(await box.evaluate((b) => b.scrollWidth > b.clientWidth)).toBe(true);
      expect(await sidewaysOverflow(page, 'div.table', 'div.table.across')).toEqual([]);
      await box.evaluate((b) => (b.scrollLeft = b.scrollWidth));
      const rows = await box.evaluate((b) => {
        const left = b.getBoundingClientRect().left;
        return Array.from(b.querySelectorAll('tr'), (tr) =>
          Array.from(tr.querySelectorAll('th, td'), (cell) => {
            const r = cell.getBoundingClientRect();
            return { text: cell.textContent, left: Math.round(r.left - left), right: Math.round(r.right - left) };
          }),
        ).map((cells) => ({ key: cells.slice(0, 2), last: cells.at(-1)!, third: cells[2] }));
      });
      for (const { key, last, third } of rows) {
        // The remedy at the box's left edge, the depth right after it, both over the scrolled cells; the last column in view.
        expect(Math.abs(key[0].left)).toBeLessThanOrEqual(1);
        expect(Math.abs(key[1].left - key[0].right)).toBeLessThanOrEqual(1);
        expect(third.left).toBeLessThan(key[1].right);
        expect(last.right).toBeLessThanOrEqual(await box.evaluate((b) => b.clientWidth));
      }
      expect(rows.slice(1).map((r) => r.key.map((c) => c.text))).toEqual(BUDGET_ROWS.map((row) => row.slice(0, 2)));
      await page.screenshot({ path: `test-artifacts/report-table-keys-${width}.png`, fullPage: true });
      await page.close();
      await browser.close();
    });
  }
});

/** How many times a table box's class is set while `resize` changes the window (counted once the page has had the resize). */
/** A report of one section, written to a temporary file and opened at width × height once its tables are fitted. */
async function openFittedReport(browser: Browser, section: ReportSection, width: number, height: number): Promise<Page> {
  const file = join(await mkdtemp(join(tmpdir(), 'gradscope-report-across-')), 'report.html');
  await writeFile(file, await renderReport({ sections: [section] }));
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-data="ready"]');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForSelector(`body[data-tables-fitted-at="${width}"]`, { state: 'attached' });
  return page;
}

async function classChangesOver(page: Page, resize: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const changes = { count: 0 };
    new MutationObserver((records) => (changes.count += records.length)).observe(document.body, { subtree: true, attributeFilter: ['class'] });
    // Listened to after the page's own listener, so it resolves once the page has answered the resize.
    (window as unknown as { resized: Promise<typeof changes> }).resized = new Promise((done) => window.addEventListener('resize', () => setTimeout(() => done(changes)), { once: true }));
  });
  await resize();
  return page.evaluate(() => (window as unknown as { resized: Promise<{ count: number }> }).resized.then((changes) => changes.count));
}

/** The names the accessibility tree gives the first `count` cells of the page (what a screen reader reads for each), in order. */
async function cellNames(page: Page, count: number): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
  await cdp.detach();
  const names = nodes.filter((n) => n.role?.value === 'cell').map((n) => n.name?.value ?? '');
  return names.slice(0, count);
}

/** The report's table in the page's accessibility tree: its rows and its column headers. */
async function tableRows(page: Page): Promise<{ rows: number; headers: number }> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { nodeId: string; role?: { value: string }; childIds?: string[] }[] };
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const count = (id: string, role: string): number => {
    const node = byId.get(id)!;
    return (node.role?.value === role ? 1 : 0) + (node.childIds ?? []).reduce((sum, child) => sum + (byId.has(child) ? count(child, role) : 0), 0);
  };
  const table = nodes.find((n) => n.role?.value === 'table');
  return table ? { rows: count(table.nodeId, 'row'), headers: count(table.nodeId, 'columnheader') } : { rows: 0, headers: 0 };
}
