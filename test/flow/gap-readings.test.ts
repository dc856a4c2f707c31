/**
 * The verdict's severity and the numbers said beside it are of one reading (evidence.gap): the gap
 * at the first record or its median over the records, whichever lies further from 1. Where the other
 * lies in another band, the summary says it as the other reading. fresh21's engineer's job (Adam at
 * 0.001 on [784, 6 × 32, 10] sigmoid, 3 epochs, 2026-12-02) read 'vanishing (severe)' from 1/1.75e+4
 * at the first step, while the evidence's median over the records, 0.131, lay in the mild band, and
 * nothing said which of the two the verdict was.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import type { TraceRun } from '../../src/flow/trace.js';
import { gapTrace } from '../util/gap-trace.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const ADAM: TraceRun = { optimizer: 'adam', learningRate: 0.001 };
const SGD: TraceRun = { optimizer: 'sgd', learningRate: 0.1 };

describe('the gap the verdict is read from, and the other reading where it lies in another band', () => {
  it('severe at the first step, mild over the records (an Adam run that narrowed it): vanishing (severe), the median said beside it as the other reading', () => {
    const d = diagnose(gapTrace([1e-4, ...Array(10).fill(0.125)], ADAM));
    expect([d.verdict, d.severity]).toEqual(['vanishing', 'severe']);
    expect(d.evidence.gap).toEqual({ ratio: 1e-4, readAt: 'first record' });
    expect(d.evidence.deltaFirstToLast.median).toBe(0.125);
    expect(d.summary).toContain("one example's gradient δ at the first hidden layer is 1/1.00e+4 of the last hidden layer's (RMS over the batch, at the first step;");
    expect(d.summary).toContain(
      " Over the records (median over 11 records) the first hidden layer's δ is 1/8.00 of the last hidden layer's, which alone would read vanishing (mild): the gap, and the severity of a verdict drawn from it, is read at the first step, the further from 1 of the two. ",
    );
    // docs/gradient-flow.md quotes the sentence of fresh21's run (its numbers that run's, not made again here), and says which record(s) each gap sentence reads.
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Over the records (median'), { anyNumbers: true }));
    expect(d.summary).toContain(`(RMS over the batch, ${quoteOn('docs/gradient-flow.md', 'at the first step')};`);
    expect(d.summary).toContain(`(${quoteOn('docs/gradient-flow.md', 'median over N records').replace('N', '11')})`);
  });

  it('mild at the first step, severe over the records: vanishing (severe) read over the records, the first step said as the other reading', () => {
    const d = diagnose(gapTrace([0.2, ...Array(10).fill(0.01)], SGD));
    expect([d.verdict, d.severity]).toEqual(['vanishing', 'severe']);
    expect(d.evidence.gap).toEqual({ ratio: 0.01, readAt: 'median' });
    expect(d.summary).toContain(
      " At the first step the first hidden layer's δ is 1/5.00 of the last hidden layer's, which alone would read vanishing (mild): the gap, and the severity of a verdict drawn from it, is read over the records, the further from 1 of the two. ",
    );
  });

  it('both readings in one band: no other reading said', () => {
    const d = diagnose(gapTrace([1e-4, ...Array(10).fill(0.02)], ADAM));
    expect([d.verdict, d.severity, d.evidence.gap.readAt]).toEqual(['vanishing', 'severe', 'first record']);
    expect(d.summary).not.toMatch(/which alone would read/);
  });

  it('a median within 1/4–4× (a gap that closed) is said by the closed-gap sentences, not as another band', () => {
    const d = diagnose(gapTrace([1e-4, ...Array(10).fill(0.5)], ADAM));
    expect(d.summary).toContain('The gap closed during training');
    expect(d.summary).not.toMatch(/which alone would read/);
  });

  // The reading is carried, not found by comparing the ratio with the first record's: where the two are equal (0 and 0, Inf and Inf) the
  // comparison said 'first record' of a gap read over the records (a ratio of 0 or Inf at the first record alone is one batch, not a gap).
  it('a gap of 0 or Inf at the first record and over the records is read over the records, and said so', () => {
    const noGradientAt = (end: 0 | 2) => {
      const trace = gapTrace(Array(11).fill(1), SGD);
      for (let r = 0; r < 11; r++) for (const l of end === 0 ? [0, 1] : [2]) trace.set('deltaRms', r, l, 0);
      return diagnose(trace);
    };
    const none = noGradientAt(0);
    expect([none.verdict, none.evidence.gap]).toEqual(['vanishing', { ratio: 0, readAt: 'median' }]);
    expect(none.summary).toContain('no gradient reached the first hidden layer');
    expect(none.summary).toContain('(RMS over the batch, median over 11 records of its ratio to the other\'s)');
    const lastNone = noGradientAt(2);
    expect([lastNone.verdict, lastNone.evidence.gap]).toEqual(['exploding', { ratio: Infinity, readAt: 'median' }]);
    expect(lastNone.summary).toContain('(RMS over the batch, median over 11 records of its ratio to the other\'s): no gradient reached the last hidden layer');
  });

  it('a tie between the first record and the median is read at the first record, and the speed beside it too', () => {
    const d = diagnose(gapTrace(Array(11).fill(0.01), SGD));
    expect(d.evidence.gap).toEqual({ ratio: 0.01, readAt: 'first record' });
    expect(d.summary).toContain('(RMS over the batch, at the first step;');
  });
});

