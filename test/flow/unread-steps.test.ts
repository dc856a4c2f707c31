/**
 * Where the steps taken, ‖ΔW‖/‖W‖, give no first-to-last ratio, the summary says which end did not
 * move: the visualizer's per-layer-rates rerun (session 23's new-user pass) said "the first hidden
 * layer's or the last hidden layer's ‖ΔW‖/‖W‖ was 0 or not measured" of a run whose first layer
 * had moved hard.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace } from '../../src/flow/trace.js';

/** A [4, 3, 3, 3, 2] sigmoid network's trace of an Adam run (its speed is read from the steps), a severe δ gap, the first and last hidden layers' ‖ΔW‖/‖W‖ as given. */
function stepsTrace(firstStep: number, lastStep: number): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'adam', learningRate: 0.001 } });
  const even: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, biasGradNorm: 1, updateRatio: 1e-3, saturatedFraction: 0 };
  for (let i = 0; i < 5; i++) {
    const r = trace.beginRecord(i + 1, 2, 0.5);
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, even[name] ?? NaN);
      trace.set('deltaRms', r, l, l === 0 ? 1e-4 : l === 1 ? 1e-2 : 1);
    }
    trace.set('updateRatio', r, 0, firstStep);
    trace.set('updateRatio', r, 2, lastStep);
  }
  return trace;
}

describe('no gap in the steps taken: the summary says which end did not move', () => {
  it('the last hidden layer took no step, the first did', () => {
    const d = diagnose(stepsTrace(0.5, 0));
    expect(d.evidence.stepFirstToLast.median).toBe(Infinity);
    expect(d.summary).toContain("No gap in the steps taken is read: the last hidden layer's ‖ΔW‖/‖W‖ was 0 there while the first hidden layer's was not, which gives no ratio (");
  });

  it('the first hidden layer took no step, the last did', () => {
    const d = diagnose(stepsTrace(0, 1e-3));
    expect(d.summary).toContain("No gap in the steps taken is read: the first hidden layer's ‖ΔW‖/‖W‖ was 0 there while the last hidden layer's was not, which gives no ratio (");
  });

  it('neither moved, or one was not measured', () => {
    for (const [first, last] of [[0, 0], [NaN, 1e-3]]) {
      expect(diagnose(stepsTrace(first, last)).summary).toContain("No gap in the steps taken is read: the first hidden layer's and the last hidden layer's ‖ΔW‖/‖W‖ were both 0 there, or one was not measured (");
    }
  });
});
