// The report's own text groups its counts by thousands through grouped() (src/counted.ts), as its
// tables and the terminal do: no count of four or more digits is printed bare in a rendered report,
// neither in a traced run's section (its traced steps, epochs, training rows, the steps its charts
// name) nor in the studies' sections rendered from the documented run (docs/data/trainable-depth.json:
// '9,000 training digits', 'the next 1,000', a steps column of '2,820', a first step at the goal of
// '80,088', 'at step 10,050').
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudyJson } from '../../scripts/trainable-depth-tables.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, REPORT_EPOCHS, REPORT_RECORDS } from '../../src/flow/report-html.js';
import { Rng } from '../../src/init/rng.js';
import { stabilityFinding } from '../../src/studies/paper-batch-norm.js';
import { paperNotes } from '../../src/studies/paper-experiments-report.js';
import { budgetSweepReportSection } from '../../src/studies/trainable-depth-budget-report.js';
import { trainableDepthReportSection } from '../../src/studies/trainable-depth-report.js';
import { bareCounts, pageText } from '../util/bare-counts.js';

describe('counts in the rendered report are grouped', () => {
  it('bareCounts finds a bare count and leaves what counted.ts leaves bare', () => {
    expect(bareCounts('2820 traced steps; at step 10050; 1,024 rows')).toEqual([expect.stringContaining('[2820]'), expect.stringContaining('[10050]')]);
    expect(bareCounts('row 12345, column 1024, seed 4096, --k 1000, Martens (2010), 2026-12-02T22:45:01, loss 105527.552, 1e+21, layers[1500]')).toEqual([]);
  });

  it("a traced run's section: its traced steps, its epochs and the training rows its learning curve names", async () => {
    const rows = 1100;
    const epochs = REPORT_EPOCHS + 501;
    const rng = new Rng(5);
    const x = Array.from({ length: rows }, () => [rng.uniform(), rng.uniform()]);
    const y = x.map(([a]) => (a > 0.5 ? [1, 0] : [0, 1]));
    const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 1 });
    net.train(x, y, { epochs, batchSize: rows, learningRate: 0.1, validation: { x, y: y.map(([a, b]) => [b, a]) }, trace: { every: 1, histogramSteps: [1000] } });
    const trace = net.trace!;
    net.dispose();
    expect([trace.length, trace.epochs.length]).toEqual([epochs, epochs]);
    expect(trace.length).toBeGreaterThan(REPORT_RECORDS);
    const text = pageText(await renderReport({ runs: [{ label: 'long run', trace, diagnosis: diagnose(trace) }] }));
    expect(text).toContain('1,001 traced steps: 50 of them');
    expect(text).toContain('of its 1,001 epochs, evenly spaced');
    expect(text).toContain('on 1,024 training rows at the same weights');
    expect(text).toContain('at step 1,000');
    expect(bareCounts(text)).toEqual([]);
  }, 60_000);

  it("the studies' sections from the documented run", async () => {
    const result = parseStudyJson(readFileSync(new URL('../../docs/data/trainable-depth.json', import.meta.url), 'utf8'));
    const papers = result.papers.flatMap((paper) => [paper.setup, ...paperNotes(paper)]);
    const text = [pageText(await renderReport({ sections: [trainableDepthReportSection(result), budgetSweepReportSection(result.budgetSweep!)] })), ...papers].join('\n');
    expect(text).toContain('held-out accuracy on the next 1,000.');
    expect(text).toContain('on the first 1,000 training digits');
    expect(text).toContain('seed 1, 9,000 training digits, held-out accuracy on the next 1,000 after every epoch');
    expect(text).toContain('92.7 % at step 1,050 and 95.5 % at step 10,050');
    expect(bareCounts(text)).toEqual([]);
  });

  it("the batch-norm paper's finding names its steps grouped, as the documented run's do", () => {
    const bands = [[0, 1, 2], [0, 1, 2], [0, 1, 2]];
    expect(stabilityFinding({ steps: [0, 1500, 3000], percentiles: bands }, { steps: [0, 1500, 3000], percentiles: bands })).toContain('from the end of the first epoch (step 1,500) to the last record');
  });
});
