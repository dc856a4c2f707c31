/**
 * Where the batch gradient's first-to-last speed is read at the first step and closed by the last record, the summary says so
 * (newuser49 #15: study depth at λ = 0 read "learns 193× slower than the last (at the first step)" while its table's batch
 * first ÷ last went 0.0052 → 0.82 by epoch 499): beside the speed, or, where the per-example gap closed too, once, in the sentence
 * that says so (lows51: the two said it twice).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { SPEED_EVEN_RANGE } from '../../src/flow/diagnosis/learning-speed.js';
import { deltaTrace } from '../util/gap-trace.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

/** A [4, 3, 3, 3, 2] sigmoid network whose first hidden layer's δ and ‖∂C/∂b‖, over the last's, are `gaps` record by record. */
const closing = (gaps: number[]) => deltaTrace('sigmoid', gaps.map((gap) => [gap, Math.sqrt(gap), 1] as const));

describe('a batch-gradient speed read at the first step that closed by the end', () => {
  it('says by the last record it learns about as fast, and that the gap closed over training time', () => {
    // δ's median over the records, 0.1, stays past 1/4: the per-example gap held, so the speed's end is said beside the speed.
    const d = diagnose(closing([1e-4, 1e-3, 1e-2, 0.1, 0.1, 0.1, 0.1, 0.9]));
    expect(d.evidence.firstToLast.first).toBeCloseTo(1e-4);
    expect(d.summary).not.toContain('The gap closed during training');
    expect(d.paragraphs[0]).toContain(
      `the first hidden layer learns 1.00e+4× slower than the last (at the first step); by the last record it learns at 0.900× the speed of the last, within the ${SPEED_EVEN_RANGE} this diagnosis calls about even: that gap closed over training time.`,
    );
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'by the last record it learns at'), { anyNumbers: true }));
    // … and the headline, which quoted the first step's gap alone.
    expect(d.headline).toContain('learns 1.00e+4× slower than the last (at the first step), about even by the last record');
  });

  it('says it once, in the sentence saying the gap closed, where the per-example gap closed too (lows51)', () => {
    // δ's median, 0.3, lies within 1/4–4×: the gap closed, and where the run stands says so.
    const d = diagnose(closing([1e-4, 1e-3, 1e-2, 0.1, 0.5, 0.8, 0.9, 0.9]));
    // The weights' speed may follow the first step's reading; where it ended is said with the gap's closing.
    expect(d.paragraphs[0]).toMatch(/the first hidden layer learns 1\.00e\+4× slower than the last \(at the first step\)(, its weights [^.]*)?\./);
    expect(d.summary).toContain(
      `The gap closed during training: the first hidden layer's per-example δ is 1/3.33 of the last hidden layer's (median over 8 records), within 1/4–4×, and by the last record it learns at 0.900× the speed of the last, within the ${SPEED_EVEN_RANGE} this diagnosis calls about even, so the first hidden layer learns too;`,
    );
    expect(d.summary.split('by the last record it learns')).toHaveLength(2);
    expect(d.summary).not.toContain('that gap closed over training time');
    expect(d.headline).toContain('learns 1.00e+4× slower than the last (at the first step), about even by the last record');
  });

  it('says nothing of it where the gap held to the end', () => {
    const d = diagnose(closing([1e-4, 1e-3, 1e-2, 0.1, 0.1, 0.1, 0.1, 0.1]));
    expect(d.summary).not.toContain('that gap closed over training time');
    expect(d.summary).not.toContain('by the last record it learns');
    expect(d.headline).not.toContain('about even by');
  });
});
