// A study table's verdict cell pairs its severity only with the number it was drawn from (verdictCell).
// Study (b)'s rows show the first ÷ last gap at the first step; a verdict read over the records
// (evidence.gap.readAt 'median') printed 'vanishing (severe)' beside a start gap of 0.2, which alone
// reads mild: the cell now says the ratio it was drawn from and where. Study (a)'s training table shows
// ‖∂C/∂b‖, never the verdict's per-example δ: its cells always say theirs. Every cell says what it was
// read from: a healthy verdict its gap too, where the row does not show it (newuser26: study (b) gave
// numbers for some rows only), and the column's heading says what a cell without a figure was read from.
import { describe, expect, it } from 'vitest';
import { activationTable } from '../../src/cli/commands/study-activations.js';
import { diagnose, EXPLODING_RATIO, VERDICT_CELL_HEADING, VERDICT_FIGURE_HEADING, verdictCell } from '../../src/flow/diagnose.js';
import type { Trace } from '../../src/flow/trace.js';
import { activationsReportSection } from '../../src/studies/activations-report.js';
import type { ActivationStudyResult } from '../../src/studies/activations.js';
import { gapTrace } from '../util/gap-trace.js';
import { quoteOn } from '../util/page-quotes.js';

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
    expect(table.split('\n')[0]).toMatch(/ verdict \(from first ÷ last RMS ‖δₓ‖ at start, unless it says what else\) +wall-clock s$/);
    expect(table.split('\n')[0]).toContain(` ${quoteOn('docs/gradient-flow.md', 'verdict (from first')} `);
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

  // A gap that closed during training printed 'vanishing (severe)' in the tables, under a headline saying it had closed (note50 left alone 7).
  it('a gap that closed during training: the cell says so as the headline does, beside the row\'s gap and beside none', () => {
    const trace = gapTrace([0.01, ...Array(9).fill(0.5)], { optimizer: 'adam', learningRate: 0.01 });
    const d = diagnose(trace);
    expect([d.verdict, d.severity, d.evidence.gap.readAt]).toEqual(['vanishing', 'severe', 'first record']);
    expect(d.headline).toMatch(/^Vanishing gradients \(severe at the first step, closed during training\): /);
    expect(verdictCell(d, 'first record')).toBe('vanishing (severe at the first step, closed during training)');
    expect(verdictCell(d)).toBe('vanishing (severe: 0.0100 at the first step, closed during training)');
    expect(activationTable(study(trace))).toContain('vanishing (severe at the first step, closed during training)');
    expect(activationsReportSection(study(trace)).tables![0].rows[0]).toContain('vanishing (severe at the first step, closed during training)');
    // A gap that held keeps its severity alone.
    const held = diagnose(gapTrace(Array(10).fill(0.01), { optimizer: 'adam', learningRate: 0.01 }));
    expect([verdictCell(held, 'first record'), verdictCell(held)]).toEqual(['vanishing (severe)', 'vanishing (severe: 0.0100, at the first step)']);
  });

  it('healthy gives the gap it was read from where the row does not show it (study (b) gave no figure for it, newuser26)', () => {
    const even = diagnose(gapTrace(Array(11).fill(1), SGD));
    expect(even.evidence.gap.readAt).toBe('first record');
    // gapTrace's runs end at chance (accuracy 0.5 of 2 classes): said after the flow's figure.
    expect([verdictCell(even, 'first record'), verdictCell(even)]).toEqual(['healthy flow, at chance', 'healthy flow (1.00, at the first step), at chance']);
    // 0.9 at the first step, 0.3 over the records: read at the median, within the thresholds, beside a start of 0.90.
    const trace = gapTrace([0.9, ...Array(10).fill(0.3)], SGD);
    const d = diagnose(trace);
    expect([d.verdict, d.evidence.gap]).toEqual(['healthy', { ratio: 0.3, readAt: 'median' }]);
    expect(verdictCell(d, 'first record')).toBe('healthy flow (0.300, median over 11 records), at chance');
    expect(activationTable(study(trace))).toContain('healthy flow (0.300, median over 11 records), at chance');
    expect(activationsReportSection(study(trace)).tables![0].rows[0].at(-1)).toBe('healthy flow (0.300, median over 11 records), at chance');
  });

  it('a healthy cell whose figure is past EXPLODING_RATIO says why it is healthy: the gap grew while the network learnt', () => {
    // Study (a)'s training table gave 'healthy (5.20, median over 11 records)' beside the exploding threshold (4×), unexplained.
    const d = diagnose(gapTrace([0.9, ...Array(10).fill(0.3)], SGD));
    const e = { ...d.evidence, training: undefined, gap: { ratio: 5.2, readAt: 'median' as const } };
    expect(5.2).toBeGreaterThanOrEqual(EXPLODING_RATIO);
    expect(verdictCell({ ...d, verdict: 'healthy', evidence: { ...e, grewWhileLearning: true } })).toBe('healthy (5.20, median over 11 records, grew while learning)');
    expect(verdictCell({ ...d, verdict: 'healthy', evidence: { ...e, grewWhileLearning: false } })).toBe('healthy (5.20, median over 11 records)');
    // Study (a)'s heading names the measure its cells' figures are of, beside its ‖∂C/∂b‖ columns.
    expect(VERDICT_FIGURE_HEADING).toBe("verdict (a gap's figure: first ÷ last RMS ‖δₓ‖)");
  });

  it('the column is headed by what a cell without a figure was read from, in the terminal and the report', () => {
    const trace = gapTrace([1e-3, ...Array(10).fill(0.1)], SGD);
    expect(VERDICT_CELL_HEADING).toBe('verdict (from first ÷ last RMS ‖δₓ‖ at start, unless it says what else)');
    expect(activationsReportSection(study(trace)).tables![0].header.at(-1)).toBe(VERDICT_CELL_HEADING);
    // The terminal wraps a long header between its words: each word is there, in order.
    const table = activationTable(study(trace), 120);
    const head = table.slice(0, table.indexOf('─'));
    expect(head).toMatch(/\bverdict\b/);
    expect(head).toContain('unless');
  });

  it('a verdict not read from the gap says what it was read from', () => {
    const d = diagnose(gapTrace(Array(11).fill(1), SGD));
    // Dead units decide before the gap: the largest share of a hidden layer's units dead over the records.
    const layers = d.evidence.layers.map((layer, l) => ({ ...layer, deadFraction: [0.55, 0.62, 0.3][l] ?? NaN }));
    const dead = { ...d, verdict: 'dead' as const, evidence: { ...d.evidence, layers, deadLayers: [0, 1] } };
    expect(verdictCell(dead, 'first record')).toBe("dead (62 % of a hidden layer's units, median over 11 records)");
    expect(verdictCell({ ...d, undecided: true }, 'first record')).toBe('no fault found in the flow (no gap read), at chance');
    const learnt = { ...d, evidence: { ...d.evidence, training: d.evidence.training && { ...d.evidence.training, accuracyEnd: 1 } } };
    expect(verdictCell({ ...learnt, undecided: true }, 'first record')).toBe('no fault found (no gap read)');
    expect(verdictCell(learnt)).toBe('healthy (1.00, at the first step)');
  });

  // A verdict on the loss gave no figure ('loss-rising (the training loss)'), nor a healthy one without a gap (study (a)'s
  // single hidden layer): each now gives the losses it was read from, as the summary does (session 27's reviewers).
  describe('a verdict read from the loss gives the losses', () => {
    /** gapTrace's even flow (11 records, batch loss 2) with an epoch after every third step: `training[e]` the epoch's training loss, `heldOut[e]` its held-out one. */
    function lossTrace(training: number[], heldOut?: number[]): Trace {
      const trace = gapTrace(Array(11).fill(1), heldOut ? { ...SGD, validation: 'other rows' } : SGD);
      training.forEach((loss, epoch) =>
        trace.addEpoch({
          epoch,
          step: 3 * epoch + 3,
          loss,
          ...(heldOut && { loss: 9, validation: { loss: heldOut[epoch], accuracy: 0.9 }, training: { loss, accuracy: 0.9, rows: 4 } }),
        }),
      );
      return trace;
    }

    it('loss-rising: the training loss from its lowest to the last epoch', () => {
      const d = diagnose(lossTrace([1, 0.8, 0.9, 1.2]));
      expect(d.verdict).toBe('loss-rising');
      expect(verdictCell(d, 'first record')).toBe('loss-rising (training loss 0.8000 after 2 epochs → 1.200 at the last of 4 epochs)');
      // The summary says the same figures.
      expect(d.summary).toContain('1.200 at the last of 4 epochs, 50 % above its lowest, 0.8000 after 2 epochs');
    });

    it('overfitting: the held-out loss from its lowest to the last epoch', () => {
      // Above its lowest for the last 3 epochs: early stopping's patience, which a run too short to read the epochs' noise asks (OVERFIT_PATIENCE).
      const d = diagnose(lossTrace([2, 1.8, 1.7, 1.6], [0.8, 0.9, 1, 1.2]));
      expect(d.verdict).toBe('overfitting');
      expect(verdictCell(d)).toBe('overfitting (held-out loss 0.8000 after 1 epoch → 1.200 at the last of 4 epochs)');
    });

    it('healthy without a gap (a single hidden layer): the training loss from the first step to the end', () => {
      const d = diagnose(lossTrace([1.5, 1.2, 1, 0.9]));
      const single = { gap: { ratio: NaN, readAt: 'first record' as const }, hiddenLayers: 1 };
      const learnt = { ...d, evidence: { ...d.evidence, ...single, training: { ...d.evidence.training!, accuracyEnd: 0.9 } } };
      expect([d.verdict, d.evidence.training?.state]).toEqual(['healthy', 'learning']);
      expect(verdictCell(learnt)).toBe('healthy (training loss 2.000 at the first step (its batch) → 0.9000 at the last of 4 epochs)');
      // At chance, said after the figure.
      expect(verdictCell({ ...learnt, evidence: { ...learnt.evidence, training: d.evidence.training } })).toBe('healthy flow (training loss 2.000 at the first step (its batch) → 0.9000 at the last of 4 epochs), at chance');
      // Without epochs, the batches' losses: gapTrace's are 2 throughout.
      const batches = diagnose(gapTrace(Array(11).fill(1), SGD));
      expect(verdictCell({ ...batches, evidence: { ...batches.evidence, ...single } })).toBe(
        'healthy flow (batch loss 2.000 at the first step → 2.000, median over the last 2 records), at chance',
      );
    });

    it('a deeper net without a gap figure (its flow unread across norm rows) is not credited to the loss: its label alone', () => {
      // gapTrace's three hidden layers, the second a norm row: flowUnread leaves it out, and no gap was read. The cell read
      // 'healthy flow (training loss 2.00 at the first step …), at chance', a flow never read presented as read from the loss.
      const d = diagnose(lossTrace([1.5, 1.2, 1, 0.9]));
      const unread = { ...d, evidence: { ...d.evidence, normalisedBy: [1], gap: { ratio: NaN, readAt: 'first record' as const } } };
      expect([d.verdict, d.evidence.hiddenLayers]).toEqual(['healthy', 3]);
      expect(verdictCell(unread)).toBe('healthy flow, at chance');
      expect(verdictCell(unread, 'first record')).toBe('healthy flow, at chance');
      const learnt = { ...unread, evidence: { ...unread.evidence, training: { ...d.evidence.training!, accuracyEnd: 0.9 } } };
      expect(verdictCell(learnt)).toBe('healthy');
    });
  });
});
