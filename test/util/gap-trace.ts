import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace, type TraceEpoch, type TraceRun } from '../../src/flow/trace.js';
import type { Activation } from '../../src/kernels.js';

/** The metrics every layer of gapTrace's network holds at every record, unless set: an even, healthy flow. */
const EVEN: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, biasGradNorm: 1, updateRatio: 1e-3, saturatedFraction: 0 };

/**
 * A [4, 3, 3, 3, 2] sigmoid network's trace of `run`: per record, the first hidden layer's per-example
 * ‖δ‖ over the last hidden layer's (1) is `ratios[record]`, the middle one's its square root;
 * everything else even, but the first and last hidden layers' steps taken, ‖ΔW‖/‖W‖, where `steps`
 * gives them; `epochs` its epochs, if any (where the run stands is read from two or more).
 */
export function gapTrace(ratios: number[], run: TraceRun, steps?: { first: number; last: number }, epochs: readonly TraceEpoch[] = []): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run });
  ratios.forEach((ratio, i) => {
    const r = trace.beginRecord(i + 1, 2, 0.5);
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, EVEN[name] ?? NaN);
      trace.set('deltaRms', r, l, l === 0 ? ratio : l === 1 ? Math.sqrt(ratio) : 1);
    }
    if (steps) {
      trace.set('updateRatio', r, 0, steps.first);
      trace.set('updateRatio', r, 2, steps.last);
    }
  });
  for (const epoch of epochs) trace.addEpoch(epoch);
  return trace;
}

/**
 * A [4, 3, 3, 3, 2] network of `hidden` units trained by SGD, a record per entry of `deltas`: its three hidden layers' per-example
 * ‖δ‖ and ‖∂C/∂b‖ (the output layer's 1) and the chain factors between them; its loss falling 0.1 a record from 2; the weights'
 * metrics even (as gapTrace's, but ‖∂C/∂b‖ follows δ, and no saturation).
 */
export function deltaTrace(hidden: Activation, deltas: readonly (readonly [number, number, number])[]): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: [hidden, hidden, hidden, 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' } });
  const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, saturatedFraction: 0 };
  deltas.forEach((delta, i) => {
    const r = trace.beginRecord(i + 1, 2 - i / 10, 0.5);
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      trace.set('deltaRms', r, l, l < 3 ? delta[l] : 1);
      trace.set('biasGradNorm', r, l, l < 3 ? delta[l] : 1);
      if (l < 2) trace.set('chainFactor', r, l, delta[l] / delta[l + 1]);
    }
  });
  return trace;
}
