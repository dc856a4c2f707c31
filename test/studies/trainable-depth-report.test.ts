// The trainable-depth report sections say what their tables hold: the full section defines the
// first ÷ last ratios its tables and charts show; the tables-only section (the main job's report)
// has no ratio column, so its text defines none and says where the ratios are.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrainableDepthStudy, type TrainableDepthResult } from '../../src/studies/trainable-depth.js';
import { trainableDepthReportSection, trainableDepthTablesSection } from '../../src/studies/trainable-depth-report.js';

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
});
