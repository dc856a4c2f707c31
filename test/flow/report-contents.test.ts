/**
 * The contents bar lists what each section holds: its runs, or, in a section without runs (study (c),
 * whose results are charts and tables), its charts, bar charts and captioned tables, each name (up to
 * its first colon) once, linked to the first figure of that name. Study (c) was listed by its heading
 * alone, with nothing under it (newuser26).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportChart, type ReportSection } from '../../src/flow/report-html.js';
import { runTrainableDepthStudy, type TrainableDepthResult } from '../../src/studies/trainable-depth.js';
import { trainableDepthReportSection } from '../../src/studies/trainable-depth-report.js';

const chart = (id: string, title: string): ReportChart => ({ id, title, xLabel: 'x', yLabel: 'y', series: [{ name: 's', xs: [1, 2], ys: [1, 2] }] });

/** The contents bar's entries under the section `id`: [link target, text] each. */
function entriesUnder(page: string, id: string): [string, string][] {
  const nav = /<nav class="contents"[\s\S]*?<\/nav>/.exec(page)![0];
  const item = new RegExp(`<li><a href="#${id}">[^<]*</a>(?:<ul>((?:<li>.*?</li>)*)</ul>)?</li>`).exec(nav);
  expect(item, `section ${id} in the contents`).not.toBeNull();
  return [...(item![1] ?? '').matchAll(/<li><a href="#([^"]+)">([^<]*)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
}

/** The start tag of the first element with id `id`, outside the scripts. */
const target = (page: string, id: string) => new RegExp(`<[^<>]*\\sid="${id}"[^<>]*>`).exec(page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ''))?.[0];

describe('the contents bar', () => {
  it("lists a section's charts, bar charts and captioned tables where it has no runs, each name once", async () => {
    const figures: ReportSection = {
      id: 'figures',
      heading: 'Figures',
      charts: [chart('acc-a', 'Accuracy by depth: first group'), chart('acc-b', 'Accuracy by depth: second group'), chart('ratio', 'Ratio by depth (log scale)')],
      bars: [{ id: 'deepest', title: 'Deepest per remedy', xLabel: 'layers', ticks: [1, 10], bars: [{ label: 'a', value: 2 }] }],
      tables: [{ caption: 'Accuracy table', header: ['h'], rows: [['1']] }, { header: ['no caption'], rows: [['2']] }, { caption: 'Each run: a remedy at a depth', header: ['h'], rows: [['3']] }],
    };
    const page = await renderReport({ sections: [figures] });
    expect(entriesUnder(page, 'figures')).toEqual([
      ['acc-a', 'Accuracy by depth'],
      ['ratio', 'Ratio by depth (log scale)'],
      ['deepest', 'Deepest per remedy'],
      ['figures-table', 'Accuracy table'],
      ['figures-table-3', 'Each run'],
    ]);
    // Each link goes to its figure: the tables take the ids the page made for them.
    expect(target(page, 'figures-table')).toBe('<div class="table" id="figures-table">');
    expect(target(page, 'figures-table-2')).toBe('<div class="table" id="figures-table-2">');
    expect(target(page, 'acc-a')).toMatch(/^<figure class="chart" id="acc-a" /);
  });

  it('lists the runs of a section that has them, not its figures', async () => {
    const net = await createNetwork({ sizes: [2, 3, 3, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
    net.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
    const run = { id: 'r', label: '[2,3,3,1]: tanh', trace: net.trace!, diagnosis: diagnose(net.trace!) };
    net.dispose();
    const page = await renderReport({ sections: [{ id: 'with-runs', heading: 'With runs', charts: [chart('c', 'A chart')], tables: [{ caption: 'A table', header: ['h'], rows: [['1']] }], runs: [run] }] });
    expect(entriesUnder(page, 'with-runs')).toEqual([['r', '[2,3,3,1]']]);
  });

  describe("study (c)'s section", () => {
    let result: TrainableDepthResult;
    beforeAll(async () => {
      result = await runTrainableDepthStudy({ depths: [1, 3], width: 6, epochs: 1, trainRows: 96, testRows: 32, remedies: ['plain-sigmoid', 'relu-he', 'adam'] });
    });

    it('is listed by its charts, its bar chart and its four tables', async () => {
      const page = await renderReport({ sections: [trainableDepthReportSection(result)] });
      expect(entriesUnder(page, 'trainable-depth')).toEqual([
        ['trainable-depth-accuracy', 'Held-out accuracy by depth'],
        ['trainable-depth-ratio', 'First ÷ last hidden ‖∂C/∂b‖ at initialisation by depth (log scale)'],
        ['trainable-depth-deepest', 'Deepest network above 90 % held-out accuracy by more than 2 standard errors, per remedy (hidden layers, log scale)'],
        ['trainable-depth-table', 'Remedies'],
        ['trainable-depth-table-2', 'Held-out accuracy by hidden layers'],
        ['trainable-depth-table-3', 'Deepest depth above 90 % per remedy, and the next depth run'],
        ['trainable-depth-table-4', 'Each run'],
      ]);
    });
  });
});
