// The trainable-depth report sections say what their tables hold: the full section defines the
// first ÷ last ratios its tables and charts show; the tables-only section (the main job's report)
// has no ratio column, so its text defines none and says where the ratios are (the command as code).
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/flow/report-html.js';
import { runTrainableDepthStudy, type TrainableDepthResult } from '../../src/studies/trainable-depth.js';
import { accuracyMatrix, budgetNote, deepestTable, ratio, rowCells, trainableDepthReportSection, trainableDepthTablesSection } from '../../src/studies/trainable-depth-report.js';

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

  it('the tables-only section defines no ratio its table lacks, and says where the ratios are', () => {
    const section = trainableDepthTablesSection(result, 'gradscope study trainable-depth --quick --html FILE');
    expect(headers(section)).not.toMatch(/÷/);
    expect(section.text).not.toMatch(/First ÷ last:/);
    expect(section.text).toContain('the first ÷ last gradient ratios of each run are not in this report');
    expect(section.text).toContain('`gradscope study trainable-depth --quick --html FILE` writes them');
  });

  it('the report shows that command as code, without its backticks', async () => {
    const html = await renderReport({ sections: [trainableDepthTablesSection(result, 'gradscope study trainable-depth --quick --html FILE')] });
    const page = html.slice(html.indexOf('<main>'), html.indexOf('<script'));
    expect(page).toContain('<code>gradscope study trainable-depth --quick --html FILE</code> writes them');
    expect(page).not.toContain('`');
  });

  it("a remedy that reached 90 % nowhere shows its best accuracy and where, and a shorter budget than the study's says what 'none' measures", () => {
    // One epoch of 96 digits: three steps, far from 90 % anywhere.
    const accuracies = result.rows.filter((r) => r.remedy === 'relu-he').map((r) => r.testAccuracy!);
    const best = Math.max(...accuracies);
    const at = result.rows.find((r) => r.remedy === 'relu-he' && r.testAccuracy === best)!.depth;
    const expected = `none (best ${(100 * best).toFixed(1)} % at ${at})`;
    expect(accuracyMatrix(result).rows.find((row) => row[0] === 'relu-he')!.at(-1)).toBe(expected);
    expect(deepestTable(result).rows.find((row) => row[0] === 'relu-he')![1]).toBe(expected);
    // No depth reached the goal, so there is no next depth: not the shallowest depth (1) and its numbers.
    expect(deepestTable(result).rows.find((row) => row[0] === 'relu-he')!.slice(2)).toEqual(['—', '—', '—', '—']);
    // Where a depth did, the next depth is the one after it.
    const reached = deepestTable({ ...result, deepest: result.deepest.map((d) => ({ ...d, depth: 1 })) }).rows.find((row) => row[0] === 'relu-he')!;
    const three = result.rows.find((r) => r.remedy === 'relu-he' && r.depth === 3)!;
    expect(reached.slice(3, 5)).toEqual(['3', `${(100 * three.testAccuracy!).toFixed(1)} %`]);
    const note = budgetNote(result);
    expect(note).toMatch(/^This run's budget is 1 epoch, not the study's 10, for which its learning rates are set \(one SGD recipe, lr 0\.001, .*plain-sigmoid lr 0\.5\)\. 'none' \(plain-sigmoid, relu-he\) says/);
    expect(trainableDepthTablesSection(result, 'x').text).toContain(note);
    expect(trainableDepthReportSection(result).text).toContain(note);
    // At the study's budget, or with every remedy over the line somewhere, there is nothing to say.
    expect(budgetNote({ ...result, epochs: 10 })).toBe('');
    expect(budgetNote({ ...result, deepest: result.deepest.map((d) => ({ ...d, depth: 1 })) })).toBe('');
  });

  it('prints a ratio that underflowed float32 as such, in the ‖∂C/∂b‖ and ‖δ‖ columns alike, not as a measured 0.0', () => {
    expect([ratio(0, 'underflow'), ratio(1.4e-42), ratio(0.00026), ratio(Infinity), ratio(null)]).toEqual(['0 (underflow)', '1.4e-42', '0.00026', '∞', '—']);
    // A plain sigmoid row: no relu layer, so its zeros can only be float32's (zero-causes.test.ts has the other causes).
    expect(result.rows[0].remedy).toBe('plain-sigmoid');
    const row = { ...result.rows[0], firstToLastAtInit: 0, firstToLastAtEnd: 0, deltaFirstToLastAtInit: 1.4e-42, deltaFirstToLastAtEnd: 0 };
    expect(rowCells(row).slice(4, 6)).toEqual(['0 (underflow) → 0 (underflow)', '1.4e-42 → 0 (underflow)']);
  });
});
