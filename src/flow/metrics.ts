/**
 * What a gradient-flow trace records: the per-layer metrics, in one list that the trace, its CSV and
 * JSON, the diagnosis and the HTML report all read, and the constants behind their definitions.
 */
import { SELU_ALPHA, SELU_LAMBDA, type Activation, type OutputActivation } from '../kernels.js';
import { FLOAT32_MAX, FLOAT32_MAX_WORDS } from '../checks.js';

/**
 * The spread of x̂ (its RMS over the batch, √(σ²/(σ² + ε))) below which a batch-norm feature counts as flat (flatFraction): at
 * σ² below 10⁻⁴·ε its output is its shift β to within 1 % of what a varying feature's carries.
 */
export const FLAT_SPREAD = 0.01;

/** The per-layer metrics, each with its definition as reports print it: per layer l (weights[l], the units after it), at every traced step. */
export const LAYER_METRICS = {
  /** Size of the weight gradient. */
  weightGradNorm: '‖∂C/∂W‖ (Frobenius)',
  /** Size of the bias gradient: Nielsen's speed of learning. */
  biasGradNorm:
    "‖∂C/∂b‖ of the batch, the mean over its examples of δˡₓ: the layer's speed of learning (Nielsen); it falls when examples' gradients cancel",
  /** Mean absolute weight gradient. */
  weightGradMeanAbs: 'mean |∂C/∂W|',
  /** Largest absolute weight gradient. */
  weightGradMaxAbs: 'max |∂C/∂W|',
  /** Relative size of the optimiser's step (NaN where ‖W‖ = 0: see updateRatio). */
  updateRatio: '‖ΔW‖/‖W‖: the step the optimiser took, relative to the weights; NaN where ‖W‖ = 0 (a step relative to nothing has no size)',
  /** Mean activation. */
  activationMean: 'mean of the activations a over batch and units',
  /** Spread of the activations. */
  activationStd: 'standard deviation of a',
  /** 98th percentile of the activations. */
  activationP98: '98th percentile of a (from a 256-bin histogram between min and max; NaN between refreshes)',
  /** Share of saturated units (saturating activations). */
  saturatedFraction:
    'sigmoid, tanh, softsign: fraction of (row, unit) pairs whose activation is within 0.01 of one of its limits (Glorot & Bengio 2010), where σ\' ≈ 0; NaN for other activations',
  /** Share of inactive units (relu family). */
  inactiveFraction: 'relu, leaky-relu: fraction of (row, unit) pairs with z ≤ 0 (about half in a healthy layer); NaN for other activations',
  /** Share of dead units (relu family). */
  deadFraction: 'relu, leaky-relu: fraction of units with z ≤ 0 on every row of the batch (relu: zero output and zero gradient); NaN for other activations',
  /** Mean derivative of the activation. */
  meanPrime: "mean σ'(z)",
  /** Largest derivative of the activation over the record's batch. */
  maxPrime: "max σ'(z) over the batch's (row, unit) pairs",
  /** Size of the weights. */
  weightNorm: '‖W‖ (Frobenius)',
  /** Largest singular value of the weights. */
  spectralNorm: "‖W‖₂, the largest singular value of this record's weights (power iteration's estimate, from below); NaN between refreshes",
  /** Per-example size of the back-propagated gradient δ. */
  deltaRms:
    "per-example RMS ‖δˡₓ‖ = √(mean over the batch of ‖∂Cₓ/∂zˡ‖²): what the chain rule multiplies, which cancellation between examples cannot lower",
  /** How much δ shrinks or grows passing back into this layer. */
  chainFactor: "deltaRms of layer l over layer l+1's: how much one example's gradient shrinks (< 1) or grows passing back into layer l",
  /**
   * The chain rule's bound on chainFactor: maxPrime of layer l times a number proved at least ‖Wˡ⁺¹‖₂,
   * both of this record. Passing back into layer l multiplies each example's δ by
   * diag(σ'(zˡₓ))·(Wˡ⁺¹)ᵀ, whose norm is at most max σ' · ‖Wˡ⁺¹‖₂; this records that product, not the
   * norm of the matrix itself, with σ' maximised over the whole batch, so it bounds every example's
   * factor and their RMS. Its ‖W‖₂ is not spectralNorm, power iteration's estimate from below, but an
   * upper bound on it that a Cholesky factorisation of t·I − WᵀW proves, a little above spectralNorm.
   */
  chainBound:
    "max σ'(zˡ) · ‖Wˡ⁺¹‖₂, both of this record (σ' maximised over the batch's (row, unit) pairs; ‖W‖₂ from above: a number a Cholesky factorisation of t·I − WᵀW proves at least ‖W‖₂, a little above spectralNorm): " +
    "the product that bounds ‖diag(σ'(zˡₓ))·(Wˡ⁺¹)ᵀ‖₂ for every example x, and so chainFactor; NaN between refreshes",
  /** Mean per-example gradient norm (opt-in). */
  exampleGradNorm: 'mean per-example gradient norm ‖g_x‖ of the layer (trace option gradientNoise: the weight layers, or the dense rows of a block network; else NaN)',
  /** Gradient signal-to-noise ratio (opt-in). */
  gradientSNR: 'gradient signal-to-noise ratio ‖E g‖² / E‖g − E g‖² over the batch (trace option gradientNoise: the weight layers, or the dense rows of a block network; else NaN)',
  /** Share of a batch norm's features its batch hardly varied in. */
  flatFraction:
    `batch norm: fraction of features whose normalised x̂ spreads less than ${FLAT_SPREAD} over the batch (RMS √(σ²/(σ² + ε)): the input hardly varied over it), each such feature output as its shift β on every row; NaN for other rows`,
} as const;
/** A per-layer metric's name (a key of LAYER_METRICS). */
export type LayerMetric = keyof typeof LAYER_METRICS;
/** The metrics' names in LAYER_METRICS' order: the order of a trace's CSV columns and JSON keys. */
export const LAYER_METRIC_NAMES = Object.keys(LAYER_METRICS) as LayerMetric[];
/**
 * The values a metric can take (NaN, where it was not measured, aside): 'norm' a size or a ratio of
 * sizes, ≥ 0 (+Infinity where a gradient overflowed); 'fraction' a share in [0, 1]; 'real' any
 * number; 'loss' a loss, from 0 to FLOAT32_MAX (a run refuses a loss beyond float32's range: a
 * batch's as out of range, evaluate's and validation's as NON_FINITE_INPUT). Trace.fromJSON refuses
 * a saved value outside its metric's.
 */
export type MetricRange = 'norm' | 'fraction' | 'real' | 'loss';
/** Each per-layer metric's range (see MetricRange). */
export const LAYER_METRIC_RANGES: Readonly<Record<LayerMetric, MetricRange>> = {
  weightGradNorm: 'norm',
  biasGradNorm: 'norm',
  weightGradMeanAbs: 'norm',
  weightGradMaxAbs: 'norm',
  updateRatio: 'norm',
  activationMean: 'real',
  activationStd: 'norm',
  activationP98: 'real',
  saturatedFraction: 'fraction',
  inactiveFraction: 'fraction',
  deadFraction: 'fraction',
  // Every activation's σ' is ≥ 0 (relu's 0 or 1, leaky relu's its leak or 1, the others' positive).
  meanPrime: 'norm',
  maxPrime: 'norm',
  weightNorm: 'norm',
  spectralNorm: 'norm',
  deltaRms: 'norm',
  chainFactor: 'norm',
  chainBound: 'norm',
  exampleGradNorm: 'norm',
  gradientSNR: 'norm',
  flatFraction: 'fraction',
};
/** Whether `v` (a number) lies in `range`; NaN, a value not measured, lies in every range. */
export function inMetricRange(v: number, range: MetricRange): boolean {
  if (Number.isNaN(v) || range === 'real') return true;
  return v >= 0 && v <= RANGE_TOP[range];
}
/** The largest value of each range that has one above 0. */
const RANGE_TOP = { norm: Infinity, fraction: 1, loss: FLOAT32_MAX } as const;
/** How a message names a range: 'a number ≥ 0'. */
export const METRIC_RANGE_WORDS: Readonly<Record<MetricRange, string>> = {
  norm: 'a number ≥ 0',
  fraction: 'a fraction in [0, 1]',
  real: 'a number',
  loss: `a number from 0 to ${FLOAT32_MAX_WORDS}, as a float32 run's losses are`,
};

/** Metrics recorded only when a trace option asks for them: a trace file may lack them (NaN). */
export const OPT_IN_METRICS: readonly LayerMetric[] = ['exampleGradNorm', 'gradientSNR'];

/**
 * Metrics recorded since a later session than the trace format's version 3: a file saved before them lacks them (read as NaN, not
 * measured), and toJSON leaves one out where no record of the trace holds a value of it (a network without the rows it is of), so
 * such a trace saves as before.
 */
export const LATER_METRICS = ['flatFraction'] as const satisfies readonly LayerMetric[];
/** One of LATER_METRICS. */
export type LaterMetric = (typeof LATER_METRICS)[number];

/**
 * The metrics of each residual block of a block network's trace, at every traced step. The skip
 * passes ∂C/∂y on unchanged, so how much of ∂C/∂x comes through the skip and how much through the
 * branch says whether the block's input still gets the gradient when the branch's vanishes.
 */
export const RESIDUAL_METRICS = {
  /** Per-example size of the skip's share of ∂C/∂x. */
  skipGradRms: "per-example RMS ‖∂Cₓ/∂x‖ through the skip: the block's ∂C/∂y, passed on unchanged",
  /** Per-example size of the branch's share of ∂C/∂x. */
  branchGradRms: 'per-example RMS ‖∂Cₓ/∂x‖ through the branch (its Jacobian applied to ∂C/∂y, times α with ReZero)',
  /** ReZero's gate. */
  alpha: "ReZero's α (y = x + α·branch(x)); NaN with gate 'none'",
  /** ReZero's gate gradient. */
  alphaGrad: "∂C/∂α of the batch; NaN with gate 'none'",
} as const;
/** A residual block's metric (a key of RESIDUAL_METRICS). */
export type ResidualMetric = keyof typeof RESIDUAL_METRICS;
/** Each residual metric's range (see MetricRange): the two RMS sizes ≥ 0; α and its gradient any number. */
export const RESIDUAL_METRIC_RANGES: Readonly<Record<ResidualMetric, MetricRange>> = { skipGradRms: 'norm', branchGradRms: 'norm', alpha: 'real', alphaGrad: 'real' };
/** The residual metrics' names in RESIDUAL_METRICS' order. */
export const RESIDUAL_METRIC_NAMES = Object.keys(RESIDUAL_METRICS) as ResidualMetric[];

/**
 * A saturating unit is saturated where its activation is within this distance of one of its limits
 * (sigmoid 0 and 1; tanh and softsign −1 and 1): Glorot & Bengio's (2010) measure.
 */
export const SATURATION_MARGIN = 0.01;

/** Activations that saturate: σ' → 0 as |z| grows, on both sides. */
export const SATURATING = ['sigmoid', 'tanh', 'softsign'] as const satisfies readonly Activation[];
export type SaturatingActivation = (typeof SATURATING)[number];
/** Activations of the relu family: σ' is its maximum 1 where z > 0 and 0 (relu) or the leak (leaky-relu) where z ≤ 0. */
export const RELU_FAMILY: readonly Activation[] = ['relu', 'leaky-relu'];

export const isSaturating = (f: OutputActivation): f is SaturatingActivation => (SATURATING as readonly string[]).includes(f);
export const isReluFamily = (f: OutputActivation): f is Activation => (RELU_FAMILY as readonly string[]).includes(f);

/**
 * σ' at an activation `margin` from its limit, as a function of the margin m: the threshold on σ'
 * equivalent to "within m of a limit", since σ' falls monotonically towards both limits.
 * sigmoid: a(1 − a) at a = m; tanh: 1 − a² at |a| = 1 − m; softsign: (1 − |a|)² at |a| = 1 − m.
 */
export const PRIME_AT_MARGIN: Record<SaturatingActivation, (m: number) => number> = {
  sigmoid: (m) => m * (1 - m),
  tanh: (m) => 1 - (1 - m) ** 2,
  softsign: (m) => m * m,
};

/**
 * The σ' threshold the activation-statistics kernel counts below, per activation: saturation for
 * the saturating ones, inactivity (σ' below its maximum 1, i.e. z ≤ 0) for the relu family, and
 * none (0) for linear units.
 */
export function primeThreshold(f: Activation): number {
  if (isSaturating(f)) return PRIME_AT_MARGIN[f](SATURATION_MARGIN);
  if (isReluFamily(f)) return PRIME_MAX[f];
  return 0;
}

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

/**
 * The metric that says whether a hidden layer's units pass gradient at all: the saturated fraction
 * for saturating activations, the dead fraction for the relu family, none for linear units.
 */
export function unitFailureMetric(f: OutputActivation): 'saturatedFraction' | 'deadFraction' | undefined {
  return isSaturating(f) ? 'saturatedFraction' : isReluFamily(f) ? 'deadFraction' : undefined;
}

/**
 * The updateRatio metric, ‖ΔW‖/‖W‖ from ‖ΔW‖ (`change`) and the ‖W‖ the step started from, by one
 * rule for every recorder. Where ‖W‖ = 0 (a zero-initialised layer; ReZero's α at its start) it is
 * NaN, whether or not the layer moved: the ratio says how far a step moves the weights relative to
 * where they are, and relative to nothing a step has no size (∞ would read as a diverging step,
 * 0 as a frozen layer; neither is what happened). The next record's weightNorm shows whether the
 * layer left 0; diagnose's medians skip the NaN.
 */
export function updateRatio(change: number, weightNorm: number): number {
  return weightNorm === 0 ? NaN : change / weightNorm;
}

/** Bins of the activation histogram behind activationP98 (its resolution is (max − min)/bins). */
export const PERCENTILE_BINS = 256;
export const PERCENTILE = 0.98;
/** Bins of the back-propagated gradient histograms kept at chosen steps. */
export const GRADIENT_BINS = 41;
/** ‖W‖₂ (and with it chainBound and activationP98) is recomputed about every this many steps by default. */
export const REFRESH_STEPS = 10;
