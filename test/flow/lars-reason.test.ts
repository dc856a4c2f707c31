/**
 * LARS is offered against a vanishing gradient and against an exploding one, with one reason in both: its trust ratio as
 * src/optim/lars.ts and the paper have it (LARS_WHY). The exploding verdict's remedy said "scales each layer's step by
 * ‖W‖/‖∇W‖" after 237e47da had corrected the vanishing one's to η‖W‖/(‖∇W‖ + λ‖W‖).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { LARS_WHY } from '../../src/flow/diagnosis/vanishing-optimizer-remedies.js';

/** A [4, 3, 3, 3, 2] sigmoid SGD trace whose first hidden layer's δ, ‖∂C/∂b‖, ‖∂C/∂W‖ and steps are `firstToLast` of the others' in every record, its loss falling. */
function gapTrace(firstToLast: number): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
  for (let i = 0; i < 10; i++) {
    const r = trace.beginRecord(i + 1, 2.3 - 0.12 * i, 0.6);
    const neutral: Partial<Record<LayerMetric, number>> = { weightNorm: 1, saturatedFraction: 0, activationStd: 1 };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      const g = l === 0 ? firstToLast : 1;
      for (const name of ['deltaRms', 'biasGradNorm', 'weightGradNorm'] as const) trace.set(name, r, l, g);
      trace.set('updateRatio', r, l, 1e-3 * g);
    }
  }
  return trace;
}

describe("LARS's reason", () => {
  it.each([
    ['vanishing', 1 / 20],
    ['exploding', 20],
  ] as const)('is its trust ratio in the %s verdict', (verdict, firstToLast) => {
    const d = diagnose(gapTrace(firstToLast));
    expect(d.verdict).toBe(verdict);
    const lars = d.remedies.filter((r) => r.option.startsWith("optimizer: 'lars'"));
    expect(lars, d.remedies.map((r) => r.option).join('\n')).toHaveLength(1);
    expect(lars[0].why).toContain(LARS_WHY);
    expect(lars[0].why).not.toContain('‖W‖/‖∇W‖');
  });
});
