// docs/gradient-flow.md's "The relu remedy's learning rate" gives the set-ups, grids and bounds that
// RELU_REMEDY_RATES holds and diagnose() offers: each is read from the page (its two tables and the
// prose around them) and compared with the constants, so a new measurement written to one cannot leave
// the other behind (truth38's audit of the page: no test read them). The accuracies in the tables are
// the dated grid runs' (scripts/relu-remedy-rates.ts, relu-remedy-rates-page.ts: minutes of CPU each),
// not re-run here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGE_DATASETS, RELU_LATE_DROP_MARGIN, RELU_RATE_FULL_BATCH_SETUP, RELU_RATE_PAGE_SETUP, RELU_RATE_SETUP, RELU_REMEDY_RATES, pageRow } from '../../src/flow/relu-remedy-rates.js';
import { ACTIVATIONS_DEFAULTS } from '../../src/studies/study-defaults.js';
import { tableStarting } from '../util/markdown-tables.js';
import { quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/gradient-flow.md';
const DOC = { file: PAGE, text: readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8') };
const said = (pattern: RegExp) => quotedOn(PAGE, pattern);
const list = (text: string) => text.split(/, | and /).map(Number);
const count = (n: number) => n.toLocaleString('en-US');

/** Whether a width table's cell ('H of N, …', H of the N networks run held; or 'not run') says every network run held. */
const heldAll = (cell: string) => {
  const counts = /^(\d+) of (\d+),/.exec(cell);
  return counts !== null && counts[1] === counts[2];
};

describe("docs/gradient-flow.md's relu remedy rates are RELU_REMEDY_RATES'", () => {
  it("the command's set-up and rule", () => {
    const [depths, width, seeds] = said(/every relu \+ he-normal network of ([\d, and]+) hidden layers of (\d+) \(seeds (\d+–\d+)\)/);
    expect([list(depths), Number(width)]).toEqual([[...RELU_RATE_SETUP.depths], RELU_RATE_SETUP.width]);
    expect(seeds).toBe(`${RELU_RATE_SETUP.seeds[0]}–${RELU_RATE_SETUP.seeds.at(-1)}`);
    const [epochs, train, batch, test] = said(/\(train's default (\d+) epochs on the ([\d,]+) digits, batches of (\d+), the ([\d,]+) test digits read after each epoch\)/);
    expect([Number(epochs), train, Number(batch), test]).toEqual([RELU_RATE_SETUP.epochs, count(RELU_RATE_SETUP.trainRows), RELU_RATE_SETUP.batchSize, count(RELU_RATE_SETUP.testRows)]);
    expect(Number(said(/last epoch's test accuracy within (\d+) points of its best epoch's \(`RELU_LATE_DROP_MARGIN`\)/)[0]) / 100).toBe(RELU_LATE_DROP_MARGIN);
  });

  it("the command's table: each optimiser's grid and bound", () => {
    const table = tableStarting(DOC, '| optimiser | grid | bound |');
    const rows = Object.fromEntries(table.rows.map(([optimiser, grid, bound]) => [optimiser.split(' ')[0], { grid: grid.split(', ').map(Number), bound: Number(bound) }]));
    for (const optimiser of ['sgd', 'adam'] as const) {
      expect(rows[optimiser], optimiser).toEqual({ grid: [...RELU_RATE_SETUP.grids[optimiser]], bound: RELU_REMEDY_RATES.command.rates[optimiser] });
    }
    expect(Object.keys(rows)).toEqual(['sgd', 'adam']);
  });

  it("the command's SGD bound at the widths the remedy is printed for: the one rate of the width table every network held at every width", () => {
    const table = tableStarting(DOC, '| width | hidden layers × seeds |');
    const rates = table.header.slice(2).map(Number);
    for (const rate of rates) expect(RELU_RATE_SETUP.grids.sgd).toContain(rate);
    const everywhere = rates.filter((_, i) => table.rows.every((row) => heldAll(row[2 + i])));
    expect(Math.max(...everywhere)).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    // Wider rows than the row's own: its width 30, and study (b)'s, whose relu remedy npm start prints; the reason names them (otherWidths).
    const widths = table.rows.map((row) => Number(row[0]));
    expect(widths).toEqual([...RELU_RATE_SETUP.otherWidths.sgd, RELU_RATE_SETUP.width].sort((a, b) => a - b));
    expect(widths).toContain(ACTIVATIONS_DEFAULTS.width);
  });

  it("the command's Adam bound at other widths: where it held, and the one rate every network held at every width (rate50)", () => {
    const table = tableStarting(DOC, '| width (Adam) | hidden layers × seeds |');
    const rates = table.header.slice(2).map(Number);
    for (const rate of rates) expect(RELU_RATE_SETUP.grids.adam).toContain(rate);
    const widths = table.rows.map((row) => Number(row[0]));
    expect(widths).toEqual([...RELU_RATE_SETUP.otherWidths.adam, RELU_RATE_SETUP.width].sort((a, b) => a - b));
    expect(widths).toContain(ACTIVATIONS_DEFAULTS.width);
    const heldAt = (rate: number) => table.rows.filter((row) => heldAll(row[2 + rates.indexOf(rate)])).map((row) => Number(row[0]));
    const everywhere = rates.filter((rate) => heldAt(rate).length === table.rows.length);
    // The row's bound: the one rate every network held at every width (rate51; rate50 had kept width 30's larger one).
    const bound = RELU_REMEDY_RATES.command.rates.adam;
    expect(Number(said(/([\d.]+) is the one Adam rate at which every network held at every width/)[0])).toBe(Math.max(...everywhere));
    expect(Math.max(...everywhere)).toBe(bound);
    expect(Number(said(/the row's Adam bound is ([\d.]+) \(since/)[0])).toBe(bound);
    // Width 30's own bound, larger, and the widths it held at.
    const [thirty, heldWidths, notAt] = said(/So Adam's ([\d.]+), the largest rate at which every width-30 network held, held at widths ([\d, and]+) and not at (\d+),/);
    expect(Math.max(...rates.filter((rate) => heldAt(rate).includes(RELU_RATE_SETUP.width)))).toBe(Number(thirty));
    expect(Number(thirty)).toBeGreaterThan(bound);
    expect(list(heldWidths)).toEqual(heldAt(Number(thirty)));
    expect(widths.filter((w) => !heldAt(Number(thirty)).includes(w))).toEqual([Number(notAt)]);
  });

  it("the full-batch row's set-up and bounds", () => {
    const [depths, width, seeds, epochs, rows, lambda] = said(/\(`RELU_RATE_FULL_BATCH_SETUP`: ([\d, and]+) hidden layers of (\d+), seeds (\d+–\d+), (\d+) epochs of one batch of ([\d,]+) digits, his sigmoid outputs, cross-entropy, biases N\(0, 1\) and L2 λ = (\d+);/);
    const S = RELU_RATE_FULL_BATCH_SETUP;
    expect([list(depths), Number(width), Number(epochs), rows, Number(lambda)]).toEqual([[...S.depths], S.width, S.epochs, count(S.trainRows), S.lambda]);
    expect(seeds).toBe(`${S.seeds[0]}–${S.seeds.at(-1)}`);
    expect(S.batchSize).toBe(S.trainRows);
    const [sgd, adam] = said(/plain SGD ([\d.]+) \([\d.–]+ % at the end; .*?\) and Adam\s+([\d.]+) \(/).map(Number);
    expect({ sgd, adam }).toEqual(RELU_REMEDY_RATES['full-batch'].rates);
  });

  it("the page's set-up and table: each data set's bound and the rates that held", () => {
    const [depths, widths, seeds, epochs, batch] = said(/relu \+ he-normal networks of ([\d, and]+) hidden layers of (\d+ and of \d+) units \(the default 6 × 16 among them\), seeds (\d+–\d+) .*?, (\d+) epochs of the data set in batches of (\d+),/);
    expect([list(depths), widths.split(' and of ').map(Number), Number(epochs), Number(batch)]).toEqual([[...RELU_RATE_PAGE_SETUP.depths], [...RELU_RATE_PAGE_SETUP.widths], RELU_RATE_PAGE_SETUP.epochs, RELU_RATE_PAGE_SETUP.batchSize]);
    expect(seeds).toBe(`${RELU_RATE_PAGE_SETUP.seeds[0]}–${RELU_RATE_PAGE_SETUP.seeds.at(-1)}`);
    const [sgdFrom, sgdTo, adamFrom, adamTo] = said(/SGD at ([\d.]+)–([\d.]+) and Adam at ([\d.]+)–([\d.]+) of the grids/).map(Number);
    const { sgd, adam } = RELU_RATE_PAGE_SETUP.grids;
    expect([sgdFrom, sgdTo, adamFrom, adamTo]).toEqual([sgd[0], sgd.at(-1), adam[0], adam.at(-1)]);

    const table = tableStarting(DOC, '| data set | optimiser | bound |');
    const bounds = table.rows.map(([dataset, optimiser, bound]) => ({ dataset, optimiser: optimiser.split(' ')[0], bound: Number(/^[\d.]+/.exec(bound)![0]) }));
    expect(bounds).toEqual(PAGE_DATASETS.flatMap((dataset) => (['sgd', 'adam'] as const).map((optimiser) => ({ dataset, optimiser, bound: RELU_REMEDY_RATES[pageRow(dataset)].rates[optimiser] }))));
  });

  it("the page's rows' leaky-relu rates (SGD / Adam), the full-batch row's, and the command's none", () => {
    const [spirals, circles, xor, mnist] = said(/The page's rows hold them \(SGD \/ Adam\): spirals (\S+ \/ \S+) .*?, circles (\S+ \/ \S+), XOR points (\S+ \/ \S+) .*?, MNIST subset (\S+ \/ \S+) /);
    const leaky = (text: string) => text.split(' / ').map((rate) => (rate === 'none' ? null : Number(rate)));
    expect([spirals, circles, xor, mnist].map(leaky)).toEqual(PAGE_DATASETS.map((dataset) => {
      const rates = RELU_REMEDY_RATES[pageRow(dataset)].leakyRates!;
      return [rates.sgd, rates.adam];
    }));
    const [fullBatch] = said(/The full-batch row holds them \(.*?\), SGD \/ Adam (\S+ \/ \S+):/);
    const { sgd, adam } = RELU_REMEDY_RATES['full-batch'].leakyRates!;
    expect(leaky(fullBatch)).toEqual([sgd, adam]);
    expect(said(/The command's row has (none): on the digits leaky-relu networks held/)).toEqual(['none']);
    expect(RELU_REMEDY_RATES.command.leakyRates).toBeUndefined();
  });
});
