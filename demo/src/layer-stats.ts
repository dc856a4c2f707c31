/**
 * What the visualizer shows per layer, read from one record of a gradient-flow trace
 * (src/flow), so the page and the library define every quantity the same way.
 */
import type { Trace } from '../../src/flow/trace.js';

export interface LayerStats {
  /** ‖∂C/∂W^l‖ (Frobenius) per weight layer. */
  gradW: Float64Array;
  /** ‖∂C/∂b^l‖ per weight layer: Nielsen's speed of learning. */
  gradB: Float64Array;
  /** Fraction of (row, unit) pairs with σ'(z) near 0, per layer (NaN for a softmax output). */
  saturation: Float64Array;
  /** ‖δ^l‖/‖δ^{l+1}‖: what passing back into layer l did to the gradient (NaN for the output layer). */
  chainFactor: Float64Array;
  /** ‖W^{l+1}‖₂ · max σ'(z^l): the chain rule's bound on chainFactor (NaN for the output layer). */
  chainBound: Float64Array;
}

export function statsFromTrace(trace: Trace, record: number): LayerStats {
  return {
    gradW: trace.row('weightGradNorm', record),
    gradB: trace.row('biasGradNorm', record),
    saturation: trace.row('saturatedFraction', record),
    chainFactor: trace.row('chainFactor', record),
    chainBound: trace.row('chainBound', record),
  };
}
