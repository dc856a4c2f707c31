/**
 * A run that converged (its batches' loss near the floor, every row right: training-progress.ts) is
 * offered no remedy that changes only how it steps (optimiser, learning rate, per-layer rates,
 * clipping), and a vanishing or exploding gap only the network changes it points to where the gap
 * held over training: where it closed, the first hidden layers learnt too, and nothing is offered.
 * The same gaps in a run still learning keep every remedy.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace } from '../../src/flow/trace.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const RECORDS = 10;
/** Batch losses of a run that converged (2.3 → 0.005, every row right at the end), and of one still learning (2.3 → 1.2, still falling). */
const CONVERGED = { loss: (r: number) => 2.3 * 0.45 ** r, accuracy: () => 1 };
const LEARNING = { loss: (r: number) => 2.3 - 0.12 * r, accuracy: () => 0.6 };

/**
 * A hand-built trace of three tanh hidden layers whose first hidden layer's δ, ‖∂C/∂b‖ and ‖∂C/∂W‖
 * are `gap(r)` of the others' at record r, with plain gradient steps (‖ΔW‖/‖W‖ in proportion).
 */
function gapTrace(gap: (r: number) => number, progress: typeof CONVERGED): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['tanh', 'tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1, init: 'standard' } });
  for (let i = 0; i < RECORDS; i++) {
    const r = trace.beginRecord(i + 1, progress.loss(i), progress.accuracy());
    const neutral: Partial<Record<LayerMetric, number>> = { weightNorm: 1, saturatedFraction: 0, activationStd: 1 };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      const g = l === 0 ? gap(i) : 1;
      for (const name of ['deltaRms', 'biasGradNorm', 'weightGradNorm'] as const) trace.set(name, r, l, g);
      trace.set('updateRatio', r, l, 1e-3 * g);
    }
  }
  return trace;
}
/** Remedies that change only how the run steps. */
const stepping = (d: ReturnType<typeof diagnose>) => d.remedies.filter((r) => r.settings.every((s) => ['optimizer', 'learningRate', 'clipNorm'].includes(s.option))).map((r) => r.option);

describe('remedies for a converged run', () => {
  it('a vanishing gap that closed during training: converged, nothing offered, and the summary says why', () => {
    // 1/20 at the first record, even after: the verdict reads the first record's gap.
    const d = diagnose(gapTrace((r) => (r === 0 ? 0.05 : 1), CONVERGED));
    expect([d.verdict, d.severity, d.evidence.training?.state]).toEqual(['vanishing', 'severe', 'converged']);
    expect(d.remedies).toEqual([]);
    expect(d.summary).toContain('No remedy that changes only how the run steps (optimiser, learning rate, per-layer rates, clipping) is offered: the steps reached the floor.');
    expect(d.summary).toContain("The gap closed during training: the first hidden layer's per-example δ is 1.00× the last hidden layer's (median over 10 records), within 1/4–4×, and by the last record it learns at 1.00× the speed of the last, within the 1/2–2× this diagnosis calls about even, so the first hidden layer learnt too, and no remedy for the gap is offered either.");
    expectSummaryExplained(d, 'converged, gap closed');
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The gap closed during training')));
    // The same gaps still learning: closed too, so no remedy for the gap (test/flow/closed-gap.test.ts: a real run), only time.
    const learning = diagnose(gapTrace((r) => (r === 0 ? 0.05 : 1), LEARNING));
    expect([learning.verdict, learning.evidence.training?.state]).toEqual(['vanishing', 'learning']);
    expect(learning.remedies.map((r) => r.option)).toEqual(['epochs: more']);
    // A gap that held while the run learns keeps every remedy, the optimisers among them.
    const held = diagnose(gapTrace(() => 0.05, LEARNING));
    expect([held.verdict, held.evidence.training?.state]).toEqual(['vanishing', 'learning']);
    expect(stepping(held)).toEqual(expect.arrayContaining(["optimizer: 'lars', learningRate: 1", "optimizer: 'adam', learningRate: 0.001"]));
  });

  it('a vanishing gap that held: the network changes stay, no optimiser or per-layer rates', () => {
    const d = diagnose(gapTrace(() => 0.05, CONVERGED));
    expect([d.verdict, d.evidence.training?.state]).toEqual(['vanishing', 'converged']);
    expect(stepping(d)).toEqual([]);
    expect(d.remedies.map((r) => r.option)).toContain("init: 'glorot-uniform'");
    expect(d.remedies.some((r) => r.option.startsWith('layers:'))).toBe(true);
    expect(d.evidence.layerRates).toBeUndefined();
    expect(d.summary).toContain("The gap held during training: the first hidden layer's per-example δ is 1/20.0 of the last hidden layer's (median over 10 records), so the changes to the network it points to are still offered.");
    // Still learning, the same gap gets the optimisers and the per-layer rates as well.
    const learning = diagnose(gapTrace(() => 0.05, LEARNING));
    expect(stepping(learning)).toEqual(expect.arrayContaining(["optimizer: 'lars', learningRate: 1", "optimizer: 'adam', learningRate: 0.001", "optimizer: { name: 'sgd', layerRates: [20, 1, 1, 1] }"]));
  });

  it('an exploding gap that held: no clipping or LARS, the init stays', () => {
    const d = diagnose(gapTrace(() => 20, CONVERGED));
    expect([d.verdict, d.evidence.training?.state]).toEqual(['exploding', 'converged']);
    expect(stepping(d)).toEqual([]);
    expect(d.remedies.map((r) => r.option)).toContain("init: 'glorot-uniform'");
    const learning = diagnose(gapTrace(() => 20, LEARNING));
    expect(stepping(learning)).toEqual(expect.arrayContaining(['clipNorm: 1', "optimizer: 'lars', learningRate: 1"]));
  });
});

describe('what a remedy is read from (Remedy.readFrom)', () => {
  it("where the run stands: its losses'; a gap's: the gradient flow's (absent)", () => {
    const readFrom = (d: ReturnType<typeof diagnose>) => d.remedies.map((r) => [r.option, r.readFrom]);
    // More epochs for a loss still falling, beside a gap that closed and beside a healthy flow.
    expect(readFrom(diagnose(gapTrace((r) => (r === 0 ? 0.05 : 1), LEARNING)))).toEqual([['epochs: more', 'losses']]);
    const healthy = diagnose(gapTrace(() => 1, LEARNING));
    expect(healthy.verdict).toBe('healthy');
    expect(readFrom(healthy)).toEqual([['epochs: more', 'losses']]);
    // A smaller rate for a rising loss is the losses'; the gap's remedies, the optimisers' among them, are the flow's.
    const rising = diagnose(gapTrace(() => 1, { loss: (r) => 1 + 0.2 * r, accuracy: () => 0.5 }));
    expect(rising.verdict).toBe('loss-rising');
    expect(readFrom(rising)).toEqual([[expect.stringMatching(/^learningRate: below 0\.1/), 'losses']]);
    const held = diagnose(gapTrace(() => 0.05, LEARNING));
    expect(held.remedies.length).toBeGreaterThan(3);
    expect(held.remedies.filter((r) => 'readFrom' in r)).toEqual([]);
  });
});
