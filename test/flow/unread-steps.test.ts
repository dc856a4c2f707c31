/**
 * Where the steps taken, ‖ΔW‖/‖W‖, give no first-to-last ratio, the summary says which end did not
 * move: the visualizer's per-layer-rates rerun (session 23's new-user pass) said "the first hidden
 * layer's or the last hidden layer's ‖ΔW‖/‖W‖ was 0 or not measured" of a run whose first layer
 * had moved hard.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { gapTrace } from '../util/gap-trace.js';

/** An Adam run's trace (its speed is read from the steps) with a severe δ gap, the first and last hidden layers' ‖ΔW‖/‖W‖ as given. */
const stepsTrace = (first: number, last: number) => gapTrace(Array(5).fill(1e-4), { optimizer: 'adam', learningRate: 0.001 }, { first, last });

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
