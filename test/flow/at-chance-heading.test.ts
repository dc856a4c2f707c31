/**
 * A healthy gradient flow beside a model that ended at chance: the verdict judges the flow, and a
 * heading or a table cell of 'HEALTHY' alone reads as "the model is fine". The same case as
 * test/flow/training-progress's plateau at chance: 10 × [dense 32, batch norm, sigmoid] on 256 digits,
 * SGD at 0.1 for 3 epochs, 1x % of its rows right on 10 classes. Its heading names what it judges and
 * says the model's state: 'HEALTHY GRADIENT FLOW, MODEL AT CHANCE' in the terminal and the HTML
 * report, 'healthy flow, at chance' in the studies' tables; a healthy run that is not at chance keeps
 * 'HEALTHY'.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { diagnose, verdictHeading, verdictLabel } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { API_REMEDY_TERMS } from '../../src/flow/remedy.js';
import type { Trace } from '../../src/flow/trace.js';
import { percent } from '../../src/flow/diagnosis/diagnosis-words.js';
import { accuracyEndWords } from '../../src/flow/diagnosis/progress-sentences.js';
import { expectHeadlineFromSummary } from '../util/summary-explained.js';

let rows: ReturnType<typeof firstRows>;
beforeAll(async () => {
  const { train } = await loadMnist({ train: 1000, test: 1 });
  rows = firstRows(train.x, train.y, 256);
});

async function traced(layers: 'batch-norm sigmoid' | 'relu'): Promise<Trace> {
  const block = [{ type: 'dense', units: 32, activation: 'linear' }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }] as const;
  const net =
    layers === 'relu'
      ? await createNetwork({ seed: 1, sizes: [784, 32, 32, 10], activation: 'relu', init: 'he-normal', output: 'softmax', loss: 'cross-entropy' })
      : await createNetwork({ seed: 1, inputs: 784, layers: [...Array.from({ length: 10 }, () => block).flat(), { type: 'dense', units: 10, activation: 'softmax' }], loss: 'cross-entropy' });
  try {
    net.train(rows.x, rows.y, { epochs: 3, batchSize: 32, learningRate: 0.1, validation: { x: rows.x, y: rows.y }, trace: { every: 1 } });
    return net.trace!;
  } finally {
    net.dispose();
  }
}

describe('a healthy gradient flow beside a model at chance', () => {
  it("is headed as the flow's verdict with the model at chance, in the terminal, the HTML report and the tables", async () => {
    const trace = await traced('batch-norm sigmoid');
    const d = diagnose(trace);
    expect([d.verdict, d.evidence.training?.state]).toEqual(['healthy', 'plateau']);
    expect(d.summary).toContain('at chance: no better than a guess that ignores the input (one class for every row: 5 % to 13 % of the rows right, 13 % always the most frequent)');
    expect(verdictHeading(d)).toBe('HEALTHY GRADIENT FLOW, MODEL AT CHANCE');
    expect(verdictLabel(d)).toBe('healthy flow, at chance');
    // The headline says it too, with the share right the summary states, in its words (expectHeadlineFromSummary holds its figures to the summary's).
    expect(d.headline).toContain(`; a plateau, at chance, with ${accuracyEndWords(d.evidence.training!)}.`);
    expect(d.summary).toContain(accuracyEndWords(d.evidence.training!));
    expectHeadlineFromSummary(d, 'at chance');
    expect(diagnosisText(d, API_REMEDY_TERMS).split('\n')[0]).toBe('Diagnosis: HEALTHY GRADIENT FLOW, MODEL AT CHANCE');
    const html = await renderReport({ runs: [{ id: 'r', label: 'at chance', trace, diagnosis: d }] });
    expect(html).toContain('<strong>HEALTHY GRADIENT FLOW, MODEL AT CHANCE</strong>');
  }, 60_000);

  it('a healthy run that learnt keeps HEALTHY', async () => {
    const d = diagnose(await traced('relu'));
    expect(d.verdict).toBe('healthy');
    expect([verdictHeading(d), verdictLabel(d)]).toEqual(['HEALTHY', 'healthy']);
    expect(d.headline).not.toContain('at chance');
    expect(d.headline).toContain(`, with ${percent(d.evidence.training!.accuracyEnd)} of `);
    expect(d.headline).toContain(`, with ${accuracyEndWords(d.evidence.training!)}.`);
  }, 60_000);
});
