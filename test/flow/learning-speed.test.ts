/**
 * "The first hidden layer learns N× slower than the last" is read from the measure that sets the
 * run's steps (speedMeasureOf): the batch gradient ‖∂C/∂b‖ for SGD, the steps taken, ‖ΔW‖/‖W‖, for
 * an optimiser that sets their size itself (Adam, AdamW, RMSProp, Adagrad, LARS, per-layer rates,
 * second-order methods), at the records the gap is read from; the sentence names its measure, and the
 * plateau's cause and the compensated sentence follow it. A real run (2026-12-02), [784, 30, 30, 30,
 * 10] sigmoid, Adam at 0.001 in batches of 32 on 700 digits, 5 epochs, seed 1: it read "learns 55.0×
 * slower" from ‖∂C/∂b‖ and "what is slow is the first hidden layer", while Adam's first step moved
 * the first hidden layer 3.88× as far as the last relative to its weights (5.13× over the records).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { speedMeasureOf } from '../../src/flow/diagnosis/learning-speed.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { tracedRun, type Rows } from '../util/traced-run.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';
import { OPTIMIZERS } from '../../src/optim/index.js';

let digits: Rows;
beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 700);
});

const run = (optimizer: 'adam' | 'sgd', learningRate: number) =>
  tracedRun({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 1 }, digits, { epochs: 5, batchSize: 32, learningRate, optimizer, trace: { every: 1 } });

/**
 * A [4, 3, 3, 3, 2] sigmoid trace on a plateau: the first hidden layer's δ, ‖∂C/∂b‖ and ‖∂C/∂W‖ are
 * `gradient` (1/20) of the others' in every record but the first (twice that), its steps ‖ΔW‖/‖W‖ `step` times the others'.
 */
function handTrace(run: TraceRun, step: number, gradient = 0.05): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run });
  for (let i = 0; i < 10; i++) {
    const r = trace.beginRecord(i + 1, 2.3, 0.1);
    const neutral: Partial<Record<LayerMetric, number>> = { weightNorm: 1, saturatedFraction: 0, activationStd: 1 };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      // 1/10 at the first record, so that the median's 1/20 decides (the one further from 1).
      const g = l === 0 ? (i === 0 ? 2 * gradient : gradient) : 1;
      for (const name of ['deltaRms', 'biasGradNorm', 'weightGradNorm'] as const) trace.set(name, r, l, g);
      trace.set('updateRatio', r, l, 1e-3 * (l === 0 ? step : 1));
    }
  }
  return trace;
}

describe('the speed of learning by the measure that sets the steps', () => {
  it('is the batch gradient for SGD without per-layer rates (or a trace that names no optimiser), the steps taken for every other', () => {
    expect(speedMeasureOf({ optimizer: 'sgd', momentum: 0.9, weightDecay: 0.1 })).toBe('batch gradient');
    expect(speedMeasureOf({})).toBe('batch gradient');
    expect(speedMeasureOf({ optimizer: 'sgd', layerRates: [10, 1, 1, 1] })).toBe('step');
    for (const { name } of OPTIMIZERS.filter((d) => d.name !== 'sgd')) expect(speedMeasureOf({ optimizer: name }), name).toBe('step');
    // An optimiser gradscope does not know (a plugin): its steps, which were measured, not a guess that they follow the gradient.
    expect(speedMeasureOf({ optimizer: 'sgd-plugin' })).toBe('step');
  });

  it("an Adam run: the first hidden layer's steps, not its batch gradient, at the gap's record, and no plateau blamed on its slowness", async () => {
    const { trace } = await run('adam', 0.001);
    const d = diagnose(trace);
    const e = d.evidence;
    expect([d.verdict, d.severity, e.speedMeasure, e.training?.state]).toEqual(['vanishing', 'severe', 'step', 'plateau']);
    // The gap is read at the first record; so is the speed, from the steps Adam took there.
    expect(e.deltaFirstToLast.first).toBeLessThan(e.deltaFirstToLast.median);
    expect(e.stepFirstToLast.first).toBeCloseTo(3.88, 2);
    expect(e.stepFirstToLast.median).toBe(e.updateFirstToLast);
    expect(1 / e.firstToLast.first).toBeCloseTo(55.0, 1);
    expect(d.summary).toContain(
      "The steps taken, ‖ΔW‖/‖W‖ (adam: it sizes each weight's step itself, so the gradient's size does not say how far a layer moves), " +
        `say the first hidden layer learns ${e.stepFirstToLast.first.toPrecision(3)}× faster than the last (at the first step); ` +
        `its batch gradient ‖∂C/∂b‖ alone would say ${(1 / e.firstToLast.first).toPrecision(3)}× slower than the last.`,
    );
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The steps taken, ‖ΔW‖/‖W‖')));
    expect(d.summary).not.toContain('which the update uses');
    expect(d.summary).not.toContain('what is slow is the first hidden layer');
    expect(d.summary).toContain('the gap over depth above does not make the first hidden layer the slow one, as the steps taken say (above).');
  }, 120_000);

  it('the same network under SGD reads its batch gradient, as before', async () => {
    const { trace } = await run('sgd', 0.5);
    const d = diagnose(trace);
    const e = d.evidence;
    expect([d.verdict, e.speedMeasure, e.training?.state]).toEqual(['vanishing', 'batch gradient', 'plateau']);
    // Beside Nielsen's measure, a bias gradient, the weights' own: ‖∂C/∂W‖/‖W‖ of the first hidden layer over the last's at the same
    // record, read from the trace here (lecturer52 #5: the headline's 'N× slower' was a bias gradient's alone).
    const hidden = trace.layers - 2;
    const relative = (l: number) => trace.at('weightGradNorm', 0, l) / trace.at('weightNorm', 0, l);
    const weights = relative(0) / relative(hidden);
    expect(weights).toBeLessThan(0.5);
    expect(d.summary).toContain(
      `By the batch gradient ‖∂C/∂b‖ (Nielsen's speed of learning), the first hidden layer learns ${(1 / e.firstToLast.first).toPrecision(3)}× slower than the last (at the first step), ` +
        `its weights ${(1 / weights).toPrecision(3)}× slower than the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖).`,
    );
    expect(d.headline).toContain(`learns ${(1 / e.firstToLast.first).toPrecision(3)}× slower than the last (at the first step), its weights ${(1 / weights).toPrecision(3)}× slower than the last's`);
    expect(d.summary).toContain('what is slow is the first hidden layer, by the gap over depth above');
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'the first hidden layer learns N× slower').replace('N', (1 / e.firstToLast.first).toPrecision(3)));
  }, 120_000);

  it('steps that follow the gap: the first hidden layer is the slow one, by its steps', () => {
    const d = diagnose(handTrace({ optimizer: 'adam', learningRate: 0.001 }, 1 / 20));
    expect([d.verdict, d.evidence.speedMeasure, d.evidence.compensated, d.evidence.training?.state]).toEqual(['vanishing', 'step', false, 'plateau']);
    expect(d.summary).toContain('say the first hidden layer learns 20.0× slower than the last; its batch gradient ‖∂C/∂b‖ alone would say 20.0× slower than the last.');
    expect(d.summary).toContain('what is slow is the first hidden layer, by the gap over depth above');
  });

  it('compensated steps read over the records are said once: the compensated sentence refers to them', () => {
    const d = diagnose(handTrace({ optimizer: 'adam', learningRate: 0.001 }, 1));
    expect([d.verdict, d.evidence.compensated]).toEqual(['vanishing', true]);
    expect(d.summary).toContain('say the first hidden layer learns at 1.00× the speed of the last;');
    expect(d.summary).toContain('The optimiser (adam) compensates: those steps lie within 1/2–2× of each other, about even, so every layer still takes steps of a similar size despite the gap in its gradient.');
    expect(d.headline).toContain("; the optimiser compensates (its steps' median over 10 records)");
    expect(d.summary).not.toContain('what is slow is the first hidden layer');
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'about even'));
  });

  it("steps 0.3× the last's, within the gap's 1/4–4× but not about even (within 2×): 'compensates in part', never 'about even' beside '3.33× slower'", () => {
    const d = diagnose(handTrace({ optimizer: 'adam', learningRate: 0.001 }, 0.3));
    expect([d.verdict, d.evidence.compensated, d.evidence.updateFirstToLast]).toEqual(['vanishing', true, 0.3]);
    expect(d.summary).toContain('say the first hidden layer learns 3.33× slower than the last;');
    expect(d.summary).toContain(
      "The optimiser (adam) compensates in part: its steps (above), where steps that followed the gradient would be 0.0500× the last hidden layer's (‖∂C/∂W‖/‖W‖, median): " +
        'the gap in its steps is narrower than in its gradient, within the 1/4–4× past which this diagnosis reads a gap but beyond the 1/2–2× it calls about even: the first hidden layer learns 3.33× slower than the last (above).',
    );
    expect(d.summary).not.toMatch(/, about even|similar size|not even/);
    expect(d.headline).toContain("; the optimiser compensates in part (its steps' median over 10 records)");
    expect(d.summary).toContain('what is slow is the first hidden layer, by the gap over depth above');
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'compensates in part')));
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', '3.33× slower'));
  });

  it("steps 3.95× the last's where the gradient's were 1/20: 'over-compensates', the first layer the faster, one band per word (newuser45 #15: LARS read 'in part … within 1/4–4× … but not even')", () => {
    const d = diagnose(handTrace({ optimizer: 'lars', learningRate: 1 }, 3.95));
    expect([d.evidence.compensated, d.evidence.updateFirstToLast]).toEqual([true, 3.95]);
    expect(d.summary).toContain(
      "The optimiser (lars) over-compensates: its steps (above), where steps that followed the gradient would be 0.0500× the last hidden layer's (‖∂C/∂W‖/‖W‖, median): " +
        'the gap in its steps is the other way round from the gradient\'s, within the 1/4–4× past which this diagnosis reads a gap but beyond the 1/2–2× it calls about even: the first hidden layer learns 3.95× faster than the last (above).',
    );
    expect(d.summary).not.toMatch(/in part|not even/);
    expect(d.headline).toContain("; the optimiser over-compensates (its steps' median over 10 records)");
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'over-compensates')));
  });

  it("a batch gradient within 2× of the last's is said as its ratio: 'would say 1.60× the speed of the last', not 'would say at …'", () => {
    const d = diagnose(handTrace({ optimizer: 'adam', learningRate: 0.001 }, 3, 0.8));
    expect(d.verdict).toBe('healthy');
    // The gap is read at the first record (1.60×, further from 1 than the median's 0.800×), and so are both speeds.
    expect(d.summary).toContain('say the first hidden layer learns 3.00× faster than the last (at the first step); its batch gradient ‖∂C/∂b‖ alone would say 1.60× the speed of the last.');
    expect(d.summary).not.toContain('would say at ');
  });

  it('the bounds of about even are the speed words\' own: 0.5× reads "at 0.500× the speed of" and about even, 0.49× "slower" and in part', () => {
    for (const [step, words, even] of [
      [0.5, 'at 0.500× the speed of the last', true],
      [0.49, '2.04× slower than the last', false],
    ] as const) {
      const d = diagnose(handTrace({ optimizer: 'adam', learningRate: 0.001 }, step));
      expect(d.summary, String(step)).toContain(`say the first hidden layer learns ${words}`);
      expect(d.summary.includes(', about even'), String(step)).toBe(even);
      expect(d.summary.includes('compensates in part'), String(step)).toBe(!even);
      // docs/gradient-flow.md's example of the words (at 0.800×).
      if (even) expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'at 0.800× the speed of'), { anyNumbers: true }));
    }
  });
});
