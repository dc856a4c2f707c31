// A study table's verdict cell pairs its severity only with the number it was drawn from (verdictCell).
// Study (b)'s rows show the first ÷ last gap at the first step; a verdict read over the records
// (evidence.gap.readAt 'median') printed 'vanishing (severe)' beside a start gap of 0.2, which alone
// reads mild: the cell now says the ratio it was drawn from and where. Study (a)'s training table shows
// ‖∂C/∂b‖, never the verdict's per-example δ: its cells always say theirs.
import { describe, expect, it } from 'vitest';
import { activationTable } from '../../src/cli/commands/study-activations.js';
import { diagnose, verdictCell, verdictLabel } from '../../src/flow/diagnose.js';
import type { Trace } from '../../src/flow/trace.js';
import { activationsReportSection } from '../../src/studies/activations-report.js';
import type { ActivationStudyResult } from '../../src/studies/activations.js';
import { gapTrace } from '../util/gap-trace.js';

const SGD = { optimizer: 'sgd', learningRate: 0.1 } as const;

/** Study (b)'s result holding one run of `trace`. */
function study(trace: Trace): ActivationStudyResult {
  const run = { activation: 'sigmoid' as const, init: 'standard' as const, label: 'sigmoid + standard', testError: 0.9, trainLoss: 2.3, seconds: 1, trace, diagnosis: diagnose(trace) };
  return { sizes: [4, 3, 3, 3, 2], epochs: 1, trainRows: 10, testRows: 10, batchSize: 2, learningRate: 0.1, runs: [run] };
}

describe('a study table\'s verdict cell', () => {
  it('mild at the first step, severe over the records: the cell beside the start gap says the ratio the severity was drawn from, and where', () => {
    const trace = gapTrace([0.2, ...Array(10).fill(0.01)], SGD);
    const d = diagnose(trace);
    expect([d.verdict, d.severity, d.evidence.gap]).toEqual(['vanishing', 'severe', { ratio: 0.01, readAt: 'median' }]);
    expect(verdictCell(d, 'first record')).toBe('vanishing (severe: 0.0100, median over 11 records)');
    const table = activationTable(study(trace));
    // The time column is headed as study (c)'s: it was 's' (newuser25).
    expect(table.split('\n')[0]).toMatch(/ verdict +wall-clock s$/);
    expect(table).toContain('0.20');
    expect(table).toContain('vanishing (severe: 0.0100, median over 11 records)');
    expect(activationsReportSection(study(trace)).tables![0].rows[0]).toContain('vanishing (severe: 0.0100, median over 11 records)');
  });

  it('read at the first step, the reading the row shows: the verdict and its severity alone', () => {
    const d = diagnose(gapTrace([1e-3, ...Array(10).fill(0.1)], SGD));
    expect(d.evidence.gap.readAt).toBe('first record');
    expect(verdictCell(d, 'first record')).toBe('vanishing (severe)');
    // Beside no per-example gap (study (a)'s ‖∂C/∂b‖ columns), its own number.
    expect(verdictCell(d)).toBe('vanishing (severe: 1.00e-3, at the first step)');
  });

  it('a verdict without a severity is its label', () => {
    const d = diagnose(gapTrace(Array(11).fill(1), SGD));
    expect([verdictCell(d), verdictCell(d, 'first record')]).toEqual([verdictLabel(d), verdictLabel(d)]);
  });
});
