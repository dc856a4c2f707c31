// The trainable-depth report section says what its tables hold: it defines the first ÷ last ratios
// its tables and charts show, and each ratio chart carries the plain sigmoid network, the vanishing
// case it is read against.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrainableDepthStudy, type TrainableDepthResult } from '../../src/studies/trainable-depth.js';
import { trainableDepthText } from '../../src/cli/commands/study-trainable-depth.js';
import { LOCAL_COMMAND } from '../../src/cli/invocation.js';
import { renderReport } from '../../src/flow/report-html.js';
import { escapeHtml } from '../../src/flow/svg.js';
import { accuracyMatrix, budgetNote, deepestCell, deepestNote, deepestTable, infiniteRatioNote, ratio, remediesTable, rowCells, trainableDepthReportSection, unmeasuredDeltaNote, zeroRatioNote } from '../../src/studies/trainable-depth-report.js';

let result: TrainableDepthResult;
beforeAll(async () => {
  result = await runTrainableDepthStudy({ depths: [1, 3], width: 6, epochs: 1, trainRows: 96, testRows: 32, remedies: ['plain-sigmoid', 'relu-he'] });
});

const headers = (section: { tables?: { header: string[] }[] }) => (section.tables ?? []).flatMap((t) => t.header).join(' | ');

describe('trainable-depth report sections', () => {
  it('the full section defines first ÷ last, and its tables have those columns', () => {
    const section = trainableDepthReportSection(result);
    expect(section.text).toContain('First ÷ last: ');
    expect(headers(section)).toMatch(/first ÷ last ‖∂C\/∂b‖/);
  });

  it('says why the ‖δ‖ column is "— → —" for batch norm, and only where a batch-norm remedy ran', async () => {
    expect(unmeasuredDeltaNote(result)).toBe('');
    const withNorm = await runTrainableDepthStudy({ depths: [1], width: 6, epochs: 1, trainRows: 64, testRows: 32, remedies: ['batch-norm-relu', 'relu-he'] });
    const row = withNorm.rows.find((r) => r.remedy === 'batch-norm-relu')!;
    expect(rowCells(row)[5]).toBe('— → —');
    expect(withNorm.rows.find((r) => r.remedy === 'relu-he')!.deltaFirstToLastAtInit).not.toBeNull();
    const note = unmeasuredDeltaNote(withNorm);
    expect(note).toBe('first ÷ last ‖δ‖ "— → —" (batch-norm-relu): not measured, as batch norm couples a batch\'s rows, so no example has a δ of its own.');
    expect(trainableDepthReportSection(withNorm).text).toContain(note);
  });

  it('says why a ratio reads "∞" (ReZero: α = 0 at initialisation), and only where one does', async () => {
    expect(infiniteRatioNote(result)).toBe('');
    const withGate = await runTrainableDepthStudy({ depths: [2], width: 6, epochs: 1, trainRows: 64, testRows: 32, remedies: ['rezero', 'relu-he'] });
    const row = withGate.rows.find((r) => r.remedy === 'rezero')!;
    expect(row.firstToLastAtInit).toBe(Infinity);
    expect(rowCells(row)[4]).toMatch(/^∞ → /);
    const note = infiniteRatioNote(withGate);
    expect(note).toBe(
      'first ÷ last "∞" (rezero): the last hidden layer\'s gradient was exactly 0: ReZero\'s blocks scale their branch by α, which is 0 at initialisation, so the branch (the last hidden layer) gets no gradient until α has moved.',
    );
    expect(trainableDepthReportSection(withGate).text).toContain(note);
    // Beside a remedy whose ∞ is no design of its own (relu-he's ratio set to ∞ here): each named with its reason.
    const relu = withGate.rows.find((r) => r.remedy === 'relu-he')!;
    const both = { ...withGate, rows: withGate.rows.map((r) => (r === relu ? { ...r, firstToLastAtEnd: Infinity } : r)) };
    expect(infiniteRatioNote(both)).toBe(
      'first ÷ last "∞" (rezero, relu-he): the last hidden layer\'s gradient was exactly 0: for rezero by design: ReZero\'s blocks scale their branch by α, which is 0 at initialisation, so the branch (the last hidden layer) gets no gradient until α has moved; for relu-he, no gradient reached it.',
    );
    const reluOnly = { ...both, rows: both.rows.filter((r) => r.remedy === 'relu-he') };
    expect(infiniteRatioNote(reluOnly)).toBe('first ÷ last "∞" (relu-he): the last hidden layer\'s gradient was exactly 0: no gradient reached it.');
  });

  // npm start's study (c) printed "0 (underflow) → 0 (underflow)" for plain-sigmoid and adam at 50 layers with a note for
  // "∞" and "— → —" and none for it: a student read the 0 as no gap (newuser40).
  it('says what a ratio of "0 (…)" means, by its cause, and only where one does', () => {
    expect(zeroRatioNote(result)).toBe('');
    const [first, second] = result.rows;
    const zeroed = {
      ...result,
      rows: result.rows.map((r) =>
        r === first
          ? { ...r, firstToLastAtInit: 0, zeroCauses: { firstToLastAtInit: 'underflow' as const } }
          : r === second
            ? { ...r, firstToLastAtEnd: 0, deltaFirstToLastAtEnd: 0, zeroCauses: { firstToLastAtEnd: 'inactive' as const } }
            : r,
      ),
    };
    expect(rowCells(zeroed.rows[0])[4]).toMatch(/^0 \(underflow\) → /);
    const note = zeroRatioNote(zeroed);
    expect(note).toBe(
      `first ÷ last "0 (underflow)" (${first.remedy}): the first hidden layer's gradient was exactly 0 though no unit was inactive: float32 rounded the chain rule's product to 0 (below its range, or through a saturated unit whose σ' rounded to 0), so the gap is too wide to measure, not closed. ` +
        `first ÷ last "0 (inactive relu units)" (${second.remedy}): the first hidden layer got no gradient at all: on every row some relu layer had every unit inactive (z ≤ 0, where σ' is exactly 0).`,
    );
    expect(trainableDepthReportSection(zeroed).text).toContain(note);
    expect(trainableDepthText(zeroed, undefined, LOCAL_COMMAND)).toContain(note);
  });

  it('each ratio chart draws the plain sigmoid network beside its remedies, and says so', () => {
    const charts = trainableDepthReportSection(result).charts!.filter((chart) => chart.id.startsWith('trainable-depth-ratio'));
    expect(charts.map((chart) => chart.id)).toEqual(['trainable-depth-ratio']);
    expect(charts[0].series.map((line) => line.name)).toEqual(['plain-sigmoid', 'relu-he']);
    expect(charts[0].title).toContain('beside the plain sigmoid network (the optimisers start from its weights)');
    const plain = result.rows.filter((r) => r.remedy === 'plain-sigmoid');
    expect(charts[0].series[0].ys).toEqual(plain.map((r) => r.firstToLastAtInit ?? NaN));
    // Without the plain sigmoid network run, no chart claims it.
    const alone = trainableDepthReportSection({ ...result, rows: result.rows.filter((r) => r.remedy !== 'plain-sigmoid') });
    expect(alone.charts!.every((chart) => !chart.title.includes('plain sigmoid network (the'))).toBe(true);
  });

  // The report named relu-he, rezero and the rest without saying what any was; the terminal's "Remedies:" list did (newuser40).
  it('says what each remedy is, in the report as in the terminal, from the one list of the run', async () => {
    const skipped = await runTrainableDepthStudy({ depths: [1, 11], width: 6, epochs: 1, trainRows: 64, testRows: 32, remedies: ['relu-he', 'hessian-free'] });
    for (const run of [result, skipped]) {
      const table = trainableDepthReportSection(run).tables!.find((t) => t.caption === 'Remedies')!;
      expect(table.header).toEqual(['remedy', 'settings']);
      expect(table.rows.map(([key]) => key)).toEqual(run.remedies.map((r) => r.key));
      for (const [[key, settings], remedy] of table.rows.map((row, i) => [row, run.remedies[i]] as const)) {
        expect(settings.startsWith(remedy.settings), key).toBe(true);
        // The terminal's list is the table's rows, line for line.
        expect(trainableDepthText(run, undefined, undefined)).toContain(`\nRemedies:\n`);
        expect(trainableDepthText(run, undefined, undefined)).toContain(`\n  ${key}: ${settings}`);
      }
      const page = await renderReport({ sections: [trainableDepthReportSection(run)] });
      expect(page).toContain(escapeHtml(table.rows[0][1]));
    }
    expect(remediesTable(result).rows.find(([key]) => key === 'relu-he')![1]).toMatch(/^relu, He normal init, /);
    // A remedy the study does not run deeper says why there, in both: the table's cells said 'not run above 10 hidden layers' alone.
    const hessianFree = remediesTable(skipped).rows.find(([key]) => key === 'hessian-free')![1];
    expect(hessianFree).toMatch(/; not run above 10 hidden layers: .+/);
  });

  it("heads each column of the section's tables with its own header (the deepest table's two ratio columns shared one)", () => {
    for (const table of trainableDepthReportSection(result).tables!) expect(new Set(table.header).size, table.header.join(' | ')).toBe(table.header.length);
    expect(deepestTable(result).header.slice(2)).toEqual(['first ÷ last ‖∂C/∂b‖ there, init → end', 'next depth run', 'accuracy at the next depth', 'first ÷ last ‖∂C/∂b‖ at the next depth, init → end']);
  });

  it("a remedy that reached 90 % nowhere shows its best accuracy and where, and a shorter budget than the study's says what 'none' measures", async () => {
    // One epoch of 96 digits: three steps, far from 90 % anywhere.
    const accuracies = result.rows.filter((r) => r.remedy === 'relu-he').map((r) => r.testAccuracy!);
    const best = Math.max(...accuracies);
    const at = result.rows.find((r) => r.remedy === 'relu-he' && r.testAccuracy === best)!.depth;
    const expected = `none (best ${(100 * best).toFixed(1)} % at ${at})`;
    expect(accuracyMatrix(result).rows.find((row) => row[0] === 'relu-he')!.at(-1)).toBe(expected);
    expect(deepestTable(result).rows.find((row) => row[0] === 'relu-he')![1]).toBe(expected);
    // … and so does the chart of the deepest depths, in place of its bar: a bare "none" beside plain sigmoid's bar read as
    // the remedy training less deep (newuser49 #1); in the page, where the bar would be.
    const section = trainableDepthReportSection(result);
    const chart = section.bars!.find((b) => b.id === 'trainable-depth-deepest')!;
    expect(chart.bars.find((b) => b.label === 'relu-he')).toEqual({ label: 'relu-he', value: null, none: expected });
    const page = await renderReport({ sections: [section] });
    const figure = /<figure class="chart" id="trainable-depth-deepest".*?<\/figure>/s.exec(page)![0];
    expect(figure).toContain(`class="legend">${escapeHtml(expected)}</text>`);
    // No depth reached the goal, so there is no next depth: not the shallowest depth (1) and its numbers.
    expect(deepestTable(result).rows.find((row) => row[0] === 'relu-he')!.slice(2)).toEqual(['—', '—', '—', '—']);
    // Where a depth did, the next depth is the one after it.
    const reached = deepestTable({ ...result, deepest: result.deepest.map((d) => ({ ...d, depth: 1 })) }).rows.find((row) => row[0] === 'relu-he')!;
    const three = result.rows.find((r) => r.remedy === 'relu-he' && r.depth === 3)!;
    expect(reached.slice(3, 5)).toEqual(['3', `${(100 * three.testAccuracy!).toFixed(1)} %`]);
    // Where it did at the deepest depth run, there is no deeper one, and the cells say so (they were left blank).
    const deepestRun = Math.max(...result.rows.filter((r) => r.remedy === 'relu-he' && r.notRun === undefined).map((r) => r.depth));
    const atDeepest = deepestTable({ ...result, deepest: result.deepest.map((d) => ({ ...d, depth: deepestRun })) }).rows.find((row) => row[0] === 'relu-he')!;
    expect(atDeepest.slice(3)).toEqual(['none deeper', '—', '—']);
    // A deeper depth the remedy did not run (above its cost limit, as hessian-free's and kfac's) is no 'none deeper': the cell says why.
    const capped = {
      ...result,
      rows: result.rows.map((r) => (r.remedy === 'relu-he' && r.depth === 3 ? { ...r, notRun: 'not run above 1 hidden layer: its cost' } : r)),
      deepest: result.deepest.map((d) => ({ ...d, depth: 1 })),
    };
    expect(deepestTable(capped).rows.find((row) => row[0] === 'relu-he')!.slice(3)).toEqual(['not run above 1 hidden layer', '—', '—']);
    const note = budgetNote(result);
    expect(note).toMatch(/^This run's budget is 1 epoch, not the study's 10, for which its learning rates are set \(one SGD recipe, lr 0\.001, .*plain-sigmoid lr 0\.5\)\. 'none' \(plain-sigmoid, relu-he\) says/);
    expect(trainableDepthReportSection(result).text).toContain(note);
    // The library knows no invocation: the command that runs the study's budget is the caller's to give, as its user runs gradscope (it said `gradscope …` under npx).
    expect(note).toMatch(/its best accuracy is beside it, and a run on the study's budget measures it\.$/);
    expect(note).not.toContain('gradscope');
    const npx = budgetNote(result, 'npx gradscope study trainable-depth');
    expect(npx).toBe(`${note.slice(0, -1)} (npx gradscope study trainable-depth).`);
    expect(trainableDepthReportSection(result, 'npx gradscope study trainable-depth').text).toContain(npx);
    expect(trainableDepthText(result, undefined, LOCAL_COMMAND)).toContain(`\n${npx}\n`);
    expect(trainableDepthText(result, undefined, undefined)).toContain(`\n${budgetNote(result, 'gradscope study trainable-depth')}\n`);
    // At the study's budget, or with every remedy over the line somewhere, there is nothing to say.
    expect(budgetNote({ ...result, epochs: 10 })).toBe('');
    expect(budgetNote({ ...result, deepest: result.deepest.map((d) => ({ ...d, depth: 1 })) })).toBe('');
  });

  it('names the depths on the line beside the deepest depth above it, and says the rule, its band on these digits and the seed under the table', () => {
    expect(deepestCell(result, { remedy: 'relu-he', depth: 1, onTheLine: [3] })).toBe('1; on the line at 3');
    expect(deepestCell(result, { remedy: 'relu-he', depth: null, onTheLine: [1, 3] })).toBe('none; on the line at 1, 3');
    expect(deepestCell(result, { remedy: 'relu-he', depth: 3, onTheLine: [] })).toBe('3');
    // A result written before onTheLine (docs/data of an older run) reads as having none.
    expect(deepestCell(result, { remedy: 'relu-he', depth: 3 })).toBe('3');
    const onTheLine = { ...result, deepest: result.deepest.map((d) => (d.remedy === 'relu-he' ? { ...d, depth: 1, onTheLine: [3] } : d)) };
    expect(accuracyMatrix(onTheLine).rows.find((row) => row[0] === 'relu-he')!.at(-1)).toBe('1; on the line at 3');
    expect(deepestTable(onTheLine).rows.find((row) => row[0] === 'relu-he')![1]).toBe('1; on the line at 3');
    // 32 held-out digits: 2 SE at 90 % is 10.6 points.
    const note = deepestNote(result);
    expect(note).toBe(
      'deepest above 90 %: the deepest depth whose held-out accuracy is above 90 % by more than 2 binomial standard errors; "on the line at" names the deeper depths ' +
        'whose accuracy lies within 2 standard errors (binomial, 32 held-out digits) of 90 %: 79.4 % to 100.0 %, where this one run (seed 1) decides neither way.',
    );
    expect(trainableDepthReportSection(result).text).toContain(note);
    expect(trainableDepthText(result, undefined, LOCAL_COMMAND)).toContain(`\n${note}\n`);
  });

  it('prints a ratio that underflowed float32 as such, in the ‖∂C/∂b‖ and ‖δ‖ columns alike, not as a measured 0.0', () => {
    expect([ratio(0, 'underflow'), ratio(1.4e-42), ratio(0.00026), ratio(Infinity), ratio(null)]).toEqual(['0 (underflow)', '1.4e-42', '0.00026', '∞', '—']);
    // A plain sigmoid row: no relu layer, so its zeros can only be float32's (zero-causes.test.ts has the other causes).
    expect(result.rows[0].remedy).toBe('plain-sigmoid');
    const row = { ...result.rows[0], firstToLastAtInit: 0, firstToLastAtEnd: 0, deltaFirstToLastAtInit: 1.4e-42, deltaFirstToLastAtEnd: 0 };
    expect(rowCells(row).slice(4, 6)).toEqual(['0 (underflow) → 0 (underflow)', '1.4e-42 → 0 (underflow)']);
  });
});

// Side by side, the accuracy panels each fitted their own data: floors near 0.48, 0.1 and 0, so relu-he's 48.6 % at 50 layers sat
// on the first one's floor and read as a failure (lecturer52 #10). They share one axis now, 0 to 1, with chance (1/10) a line.
describe("study (c)'s accuracy panels", () => {
  it('share one y axis, 0 to 1, with chance over the digits\' 10 classes marked, whatever each one\'s data', async () => {
    const three = await runTrainableDepthStudy({ depths: [1], width: 6, epochs: 1, trainRows: 64, testRows: 32, remedies: ['relu-he', 'batch-norm-relu', 'adam'] });
    const panels = trainableDepthReportSection(three).charts!.filter((c) => c.id.startsWith('trainable-depth-accuracy'));
    expect(panels.map((c) => c.id)).toEqual(['trainable-depth-accuracy', 'trainable-depth-accuracy-blocks', 'trainable-depth-accuracy-optimizers']);
    for (const panel of panels) {
      expect(panel.yRange).toEqual([0, 1]);
      expect(panel.guides).toEqual([{ y: 0.1, label: 'chance, 1/10' }]);
    }
    const html = await renderReport({ sections: [trainableDepthReportSection(three)] });
    for (const panel of panels) {
      const figure = html.slice(html.indexOf(`id="${panel.id}"`), html.indexOf('</figure>', html.indexOf(`id="${panel.id}"`)));
      expect(figure).toContain('data-y0="0" data-y1="1"');
      expect(figure).toContain('<g class="guide" data-value="0.1">');
    }
  });
});
