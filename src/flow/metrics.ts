/**
 * What a gradient-flow trace records: the per-layer metrics, in one list that the trace, its CSV and
 * JSON, the diagnosis and the HTML report all read, and the constants behind their definitions.
 */
import { SELU_ALPHA, SELU_LAMBDA, type Activation, type OutputActivation } from '../kernels.js';

/** Per layer l (weights[l], the units after it), at every traced step. */
export const LAYER_METRICS = {
  weightGradNorm: '‖∂C/∂W‖ (Frobenius)',
  biasGradNorm: "‖∂C/∂b‖: the layer's speed of learning",
  weightGradMeanAbs: 'mean |∂C/∂W|',
  weightGradMaxAbs: 'max |∂C/∂W|',
  updateRatio: '‖ΔW‖/‖W‖: the step the optimiser took, relative to the weights',
  activationMean: 'mean of the activations a over batch and units',
  activationStd: 'standard deviation of a',
  activationP98: '98th percentile of a (from a 256-bin histogram between min and max; NaN between refreshes)',
  saturatedFraction: "fraction of (row, unit) pairs with σ'(z) below 1 % of its maximum",
  deadFraction: "fraction of units with σ'(z) below 1 % of its maximum on every row of the batch",
  meanPrime: "mean σ'(z)",
  maxPrime: "max σ'(z)",
  weightNorm: '‖W‖ (Frobenius)',
  spectralNorm: '‖W‖₂, the largest singular value (power iteration, warm-started; kept between refreshes)',
  deltaNorm: '‖δ‖ = ‖∂C/∂z‖ over the batch',
  chainFactor: "‖δ^l‖/‖δ^{l+1}‖: how much the gradient shrinks (< 1) or grows passing back into layer l",
  chainBound: "‖W^{l+1}‖₂ · max σ'(z^l): the bound the chain rule puts on chainFactor",
  exampleGradNorm: 'mean per-example gradient norm ‖g_x‖ of the layer (trace option gradientNoise; else NaN)',
  gradientSNR: 'gradient signal-to-noise ratio ‖E g‖² / E‖g − E g‖² over the batch (trace option gradientNoise; else NaN)',
} as const;
export type LayerMetric = keyof typeof LAYER_METRICS;
export const LAYER_METRIC_NAMES = Object.keys(LAYER_METRICS) as LayerMetric[];
/** Metrics recorded only when a trace option asks for them: a trace file may lack them (NaN). */
export const OPT_IN_METRICS: readonly LayerMetric[] = ['exampleGradNorm', 'gradientSNR'];

/** A unit counts as saturated where σ'(z) is below this fraction of σ''s maximum. */
export const SATURATION_FRACTION = 0.01;

/** The maximum of σ' over all z: σ' ≤ 1/4 is the root of the vanishing gradient in sigmoid nets. */
export const PRIME_MAX: Record<Activation, number> = {
  sigmoid: 0.25,
  tanh: 1,
  relu: 1,
  'leaky-relu': 1,
  softsign: 1,
  linear: 1,
  selu: SELU_LAMBDA * SELU_ALPHA, // at z → 0⁻; λ above 0
};

/** Whether σ' is defined elementwise (softmax's Jacobian is not diagonal: no σ' statistics for it). */
export function isElementwise(f: OutputActivation): f is Activation {
  return f !== 'softmax';
}

/** Bins of the activation histogram behind activationP98 (its resolution is (max − min)/bins). */
export const PERCENTILE_BINS = 256;
export const PERCENTILE = 0.98;
/** Bins of the back-propagated gradient histograms kept at chosen steps. */
export const GRADIENT_BINS = 41;
