/**
 * K-FAC for dense layers (Martens & Grosse 2015, "Optimizing neural networks with Kronecker-factored
 * approximate curvature"). The Fisher block of layer l is approximated by A ⊗ G with
 *   A = E[ā āᵀ]  (ā = the layer's input activations with a trailing 1 for the bias),
 *   G = E[g gᵀ]  (g = ∂L/∂z of the layer for targets drawn from the model's own predictive
 *                 distribution: the true Fisher, not the empirical one of the data's targets),
 * so the natural-gradient step of W̄ = [W | b] is G⁻¹·∇W̄·A⁻¹: two small inverses instead of one
 * of the whole layer. As with Hessian-free, a layer whose gradient vanished has small G too, and the
 * step divides one by the other.
 *
 * Each step: A and G of the batch (one extra backward pass with sampled targets), averaged with
 * ε = min(1 − 1/k, decay) at step k (M&G §5), every `inverseEvery` steps the inverses of the
 * factored-Tikhonov-damped factors
 *   A + π·γ·I,  G + (γ/π)·I,  π = √((tr A / dim A) / (tr G / dim G)),  γ = √(λ + η),
 * then the proposal Δ = −G⁻¹·∇W̄·A⁻¹ per layer (∇ of h = loss + ½η‖θ‖²).
 *
 * With `rescale` (the default) the step is what M&G take, not Δ itself:
 * - §6.4: the proposal's length comes from the quadratic model M(δ) = ½δᵀ(F + (λ+η)I)δ + ∇hᵀδ
 *   with the exact Fisher/GGN F (Gauss-Newton products by the R-operator on a prefix of the
 *   batch, gauss-newton.ts), α* = −∇hᵀΔ / Δᵀ(F + (λ+η)I)Δ. This matters on a deep sigmoid
 *   network: π spans seven decades across layers, so the damped Kronecker inverse is far from F⁻¹
 *   in scale and no fixed learning rate suits it; the exact F measures what the step will do.
 * - §7 (`quadraticMomentum`, default on): δ = αΔ + μδ₀ with δ₀ the previous step and (α, μ) the
 *   minimiser of M over that plane: one more F product.
 * - §6.5 (`adaptDamping`, default on): every T₁ = `adaptEvery` steps, ρ = (h(θ+δ) − h(θ)) /
 *   (M(δ) − M(0)) on the batch; ρ > ¾ → λ ← ω·λ, ρ < ¼ → λ ← λ/ω, ω = (19/20)^T₁. λ is what lets
 *   the first layers' tiny curvature be seen: it falls while the model predicts well. Where the
 *   predicted change is below the loss's rounding (damping.ts' predictionReadable), ρ is not read
 *   and λ ← ω·λ, as Hessian-free does (not in M&G: the loss cannot show such a change, and reading
 *   ρ = 0 there grew λ at every adaptation towards its bound at an optimum, float64 too).
 * - The norm constraint of Ba, Grosse & Martens 2017 ("Distributed second-order optimization using
 *   Kronecker-factored approximations", §5; `normConstraint` c, default 1e-2): δ ← ν·δ with
 *   ν = min(1, √(c / δᵀF̂δ)), F̂ = ⊕_l (G_l + (γ/π)I) ⊗ (A_l + πγI) the damped Kronecker-factored
 *   Fisher of the current averages, so ½δᵀF̂δ, the step's predicted KL between the model's old and
 *   new predictive distributions, stays below c/2. (α, μ) are the model's; ρ compares with M(νδ).
 * Without `rescale` (the first version's behaviour): w −= learningRate·ν·v, v = momentum·v + ΔW̄,
 * with the references' ν = min(1, √(c / (lr²·Σ_l ΔW̄_l·∇W̄_l))) (ΔW̄ by the cached inverses, so
 * ΔW̄·∇W̄ = ΔW̄ᵀF̂ΔW̄; applied before the momentum, as they do).
 *
 * The defaults against the published scheme (M&G 2015; the reference implementations
 * tensorflow/kfac, whose kfac/examples/autoencoder_mnist.py runs the paper's autoencoder, and
 * google-deepmind/kfac-jax, whose MNIST examples run the paper's adaptive settings):
 * - the same: learning rate 1 on the quadratic model's step with its (α, μ) (M&G §6.4, §7; the
 *   references' 'qmodel' momentum), ε = min(1 − 1/k, 0.95) (§5; their cov_ema_decay / curvature_ema
 *   0.95), λ adapted every T₁ = 5 steps with ω = (19/20)^T₁ at ρ thresholds ¼ and ¾ (§6.5; their
 *   damping_adaptation_interval 5 and decay 0.95), the inverses refreshed every T₃ = 20 steps (M&G's
 *   T₃; the references' examples refresh every 10 and 5).
 * - different: λ starts at 1e-3, not at the references' 150 (tensorflow/kfac: "advisable to start
 *   with a high value"; kfac-jax's examples: initial_damping 150, between min_damping 1e-5 and max_damping 1000),
 *   and runs between KFAC_LAMBDA_MIN 1e-12 and KFAC_LAMBDA_MAX 1e6. The references train on batches
 *   of 1,000 rows to the whole set for thousands of steps; gradscope's studies give K-FAC 90 steps of
 *   1,000 (trainable-depth), in which λ, falling by ω every 5 steps, would only come down from 150 to
 *   about 1.5, while the first layers of a deep sigmoid network need it near their curvature (1e-6
 *   and below, docs/second-order.md). Measured before the norm constraint (2026-12-01, seed 1, 300
 *   steps on 9,000 digits): [784, 100×8, 10] sigmoid at batch 1,000 ends at training loss 0.118
 *   (89.2 % on the held-out digits) from λ = 1e-3 and on the plateau, 2.301 (10.5 %), from 150;
 *   [784, 100, 100, 10] at 1.9e-8 (95.7 %) and 7.6e-4 (95.4 %).
 * - different: the norm constraint is on by default and bounds the quadratic model's step. The
 *   references have it off by default (tensorflow/kfac and kfac-jax: norm_constraint=None) and refuse
 *   it beside the model's step length (tensorflow/kfac kfac/python/ops/optimizer.py: "Update clipping
 *   is only supported with momentum type 'regular' and 'adam'"; kfac-jax kfac_jax/_src/optimizer.py:
 *   "May only be used when use_adaptive_learning_rate is False"), where they compute ν =
 *   min(1, √(c / (lr²·vᵀ∇))) on the preconditioned gradient v with the learning rate lr as the
 *   coefficient (tensorflow/kfac `_update_clip_coeff`, whose comment notes that Ba et al.'s §5 formula
 *   absorbs the learning rate and so differs from it by that factor; kfac-jax
 *   `_compute_preconditioned_gradient`). Here the model's F is the batch's own, of rank ≤ rows × outputs:
 *   at small batches α* grows along the directions those rows do not see and λ, adapted by ρ on the
 *   same rows, falls instead of holding it. Without the constraint the [784, 100×8, 10] sigmoid net
 *   ran away at every batch from 1 to 32 (300 steps, seed 1: DIVERGED at step 157 at batch 1, batch
 *   losses up to 31,171, 9,980, 10,309 and 244,060 at 4, 8, 16 and 32; at 1,000 with seed 3, to
 *   8.7e6); F̂, averaged over ~20 batches, sees those directions. c = 1e-2, not kfac-pytorch's
 *   kl_clip or FermiNet's norm_constraint 1e-3: at batch 1,000 c = 1e-3 ended at 0.173 (84.7 %) against 0.117 (89.0 %)
 *   without, 1e-2 at 0.016 (92.1 %); c = 0.1 and 1 let batch 1 climb (losses to 16.5 and 84.9).
 *   Those runs sit on the edge of the plateau (c = 0.1 at batch 1,000 ended on it, 2.686): one seed
 *   is not a ranking (docs/second-order.md has the table and more seeds).
 * - different: γ = √(λ + η) follows λ, where M&G §6.6 adapt γ on its own; ρ compares the loss
 *   change with the damped model M (above), where kfac-jax by default leaves the damping term out
 *   of the predicted change (include_damping_in_quad_change: false); no burn-in (the references'
 *   examples gather the factors for 5 steps before the first update: here the first step takes its
 *   batch's factors whole, ε = 0).
 */
import { GradscopeError, invalidOption } from '../errors.js';
import { OptionRefusal, SaidInTerms, type OptionTerms } from '../option-refusal.js';
import type { Kernels, Tensor } from '../kernels.js';
import { denseLayerName } from '../layer-names.js';
import { denseModelOf, type Model, type ModelOwner } from '../model.js';
import { curvatureRows, GaussNewtonProduct } from './gauss-newton.js';
import { LM_HIGH, LM_LOW, predictionReadable, UNIT_ROUNDOFF } from './damping.js';
import { covariance, dampedInverse, FACTOR_SHIFT_RETRIES, kroneckerNorm, sandwich, shifted, trace, type SquareScratch } from './kronecker.js';
import { assertNotDisposed, checkStateKind, checkStepBatch, checkStepNetwork, checkStepRate, OptimizerStateFault, restoredTensors, TracksDisposal, type Optimizer, type OptimizerState } from './optimizer.js';
import { checkBoolean, checkKnownKeys } from './options.js';
import { checkRecordedHyperparameters, recordedScalars, restoredLearningRate } from './recorded-settings.js';
import { checkSetting, KFAC_LAMBDA, SETTING_RULES } from './setting-ranges.js';
import { checkStateScalar, STATE_RANGES } from './state-ranges.js';
import { KFAC_RESCALED_LEARNING_RATE } from '../optimizer-defaults.js';
import { allocVector, dotVectors, freeVector, gradientsOf, parameterLengths, valuesOf, type ParamVector } from './param-vector.js';
import { grouped } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import { numberText } from '../number-text.js';

/**
 * K-FAC's options, each with its default. K-FAC is made by name, createOptimizer(net, { name: 'kfac',
 * damping: 1e-2 }) or train's `optimizer: { name: 'kfac', … }`, which check first that the network is
 * a chain of dense layers, as its Kronecker factors need.
 */
export interface KfacOptions {
  /**
   * Starting Tikhonov / Levenberg-Marquardt damping λ (default 1e-3; the reference implementations
   * start at 150: see the file's comment for why gradscope does not): each factor gets √(λ + η),
   * split by π; with `rescale`, λ also damps the quadratic model, and `adaptDamping` moves it.
   */
  damping?: number;
  /**
   * Largest moving-average decay of A and G (default 0.95): step k (from 1) keeps ε = min(1 − 1/k, decay)
   * of the average and takes 1 − ε of its batch (Martens & Grosse §5), so the first step takes its
   * batch whole and the first 1/(1 − decay) steps weigh their batches equally.
   */
  decay?: number;
  /** Steps between refreshes of the damped inverses (default 20; the first step always inverts). */
  inverseEvery?: number;
  /**
   * Rescale each proposal by the quadratic model with exact Gauss-Newton products, M&G §6.4
   * (default true). The step is then learningRate·α*·Δ (default learning rate 1: the model's minimiser).
   */
  rescale?: boolean;
  /** With `rescale`: choose momentum by the 2-D quadratic model, M&G §7 (default: true with rescale). */
  quadraticMomentum?: boolean;
  /** With `rescale`: the Levenberg-Marquardt rule for λ, M&G §6.5 (default: true with rescale). */
  adaptDamping?: boolean;
  /** T₁: steps between λ adjustments (default 5, M&G's value); ω = (19/20)^T₁. */
  adaptEvery?: number;
  /** Weight decay η: h = loss + ½η‖θ‖², and η joins λ in the damping (default 0). */
  weightDecay?: number;
  /**
   * Fraction of the batch used for the exact curvature products (default 1: the whole batch; at least
   * 32 rows). Measured on the remedies network (33k parameters): with ¼ of 1000 rows, F has rank
   * ≤ 2250 and, once λ has fallen, α* grows without bound along its null space and the run diverges.
   */
  curvatureFraction?: number;
  /** Fixed momentum of the unscaled step, in [0, 1) (default 0; only with rescale: false). */
  momentum?: number;
  /**
   * Scale λ per layer by that layer's curvature, λ_l = λ·(tr A/dim A)·(tr G/dim G), so each factor
   * is damped by √λ times its own mean eigenvalue (default false: one λ for all layers).
   */
  relativeDamping?: boolean;
  /**
   * The norm constraint ("KL clipping") c of Ba, Grosse & Martens 2017, §5 (default 1e-2;
   * 0: off): each step δ is scaled by ν = min(1, √(c / δᵀF̂δ)), F̂ the damped
   * Kronecker-factored Fisher, so the change of the model's predictive distribution it implies
   * (KL ≈ ½δᵀFδ) stays below about c/2. With `rescale` it bounds the quadratic model's step
   * δ = lr·(αΔ + μδ₀), F̂ from the current averages; without, it is the references' coefficient
   * ν = min(1, √(c / (lr²·Σ_l v_l·∇_l))), v = F̂⁻¹∇ the preconditioned gradient, applied to v before
   * the momentum (tensorflow/kfac `_update_clip_coeff`, kfac-jax `norm_constraint`). The references
   * default to off and allow it only without the model's step length: the file's comment says why
   * gradscope differs, with the measurements.
   */
  normConstraint?: number;
  /**
   * The learning rate train() uses when given none, the instance's defaultLearningRate (default 1
   * with rescale: the quadratic model's own step; 0.2 without), as the other optimisers that take
   * a rate take it in their options; a `learningRate` given to train() still sets the run's. Not a setting a checkpoint
   * fixes: restore() takes the state's, as PyTorch's load_state_dict restores lr.
   */
  learningRate?: number;
}

/** The default norm constraint c of K-FAC's steps, δᵀF̂δ ≤ c (KfacOptions.normConstraint; the file's comment says why 1e-2). */
export const KFAC_NORM_CONSTRAINT = 1e-2;

/** K-FAC's options when not given (KfacOptions says what each does). */
export const KFAC_DEFAULTS = {
  damping: 1e-3,
  decay: 0.95,
  inverseEvery: 20,
  rescale: true,
  quadraticMomentum: true,
  adaptDamping: true,
  adaptEvery: 5,
  weightDecay: 0,
  curvatureFraction: 1,
  momentum: 0,
  relativeDamping: false,
  normConstraint: KFAC_NORM_CONSTRAINT,
} as const;

/** K-FAC's settings with every default filled in: its options but the learning rate (KfacOptions.learningRate), which restore() takes from the state. */
export type KfacSettings = Required<Omit<KfacOptions, 'learningRate'>>;

/** K-FAC's option keys: KFAC_DEFAULTS' and learningRate, whose default depends on rescale (KfacOptions.learningRate). */
export const KFAC_KEYS: readonly string[] = [...Object.keys(KFAC_DEFAULTS), 'learningRate'];

/** KFAC_DEFAULTS for a K-FAC with or without `rescale`: the model-based parts (quadraticMomentum, adaptDamping) default on with it only. */
function kfacDefaults(rescale: boolean) {
  const d = KFAC_DEFAULTS;
  return { ...d, quadraticMomentum: rescale && d.quadraticMomentum, adaptDamping: rescale && d.adaptDamping };
}

/** train()'s learning rate for K-FAC when it is given none: KFAC_RESCALED_LEARNING_RATE (1) with rescaling (the model's own step), else 0.2. */
export const KFAC_LEARNING_RATE = 0.2;

/** Bounds of the adapted λ (KFAC_LAMBDA): below, f32 factors cannot tell it from 0; above, nothing would move. */
export const { min: KFAC_LAMBDA_MIN, max: KFAC_LAMBDA_MAX } = KFAC_LAMBDA;
/**
 * The 2×2 momentum system is solved only when det > this × c₁₁·c₂₂, i.e. Δ and δ₀ are not nearly
 * parallel in the model's metric; otherwise the 1-D rescaling alone (a near-singular solve would
 * return huge, cancelling α and μ).
 */
const MOMENTUM_CONDITION = 1e-6;

/** What the last step did (with rescale), for studies, logs and tests. */
export interface KfacReport {
  /** Loss h over the batch before the step. */
  lossBefore: number;
  /** ∇hᵀΔ, Δᵀ(F + (λ+η)I)Δ of the proposal. */
  slope: number;
  curvature: number;
  /** The coefficients taken: δ = learningRate·(alpha·Δ + mu·δ₀). */
  alpha: number;
  mu: number;
  /** M(δ) − M(0). */
  predicted: number;
  /** h(θ+δ) − h(θ) and ρ, on steps that adapt λ (else NaN). */
  actual: number;
  rho: number;
  /** λ used by this step, and the next step's. */
  lambda: number;
  nextLambda: number;
  /** Rows of the batch the curvature products ran on (curvatureFraction of it, at least 32). */
  curvatureRows: number;
  /** δᵀF̂δ of the step before the norm constraint (NaN when it is off or there was no step). */
  fisherNorm: number;
  /** ν, the norm constraint's factor on the step: 1 when it did not bind. */
  normScale: number;
}

/** Tensors of a layer in K-FAC's state: A, G, A⁻¹, G⁻¹ and the step of W and of b (stateTensors). */
const STATE_TENSORS_PER_LAYER = 6;

/** Largest side of a Kronecker factor: A of a layer with 2048 inputs (and its bias). */
export const KFAC_MAX_FACTOR_SIDE = 2049;

/**
 * ν = min(1, √(c / q)) for a step of squared Fisher norm q under the norm constraint c > 0; 1 when q
 * is not finite (a NaN or Inf step, which train()'s step guard reports rather than hides).
 */
function normScale(constraint: number, fisherNorm: number): number {
  return fisherNorm > constraint && Number.isFinite(fisherNorm) ? Math.sqrt(constraint / fisherNorm) : 1;
}

/** Persistent state of one layer. Sides: dA = nIn + 1, dG = nOut. */
interface LayerState<T extends Tensor> {
  nIn: number;
  nOut: number;
  /** Moving averages of E[ā āᵀ] `[dA][dA]` and E[g gᵀ] `[dG][dG]`. */
  a: T;
  g: T;
  /** Their damped inverses, as of the last refresh. */
  aInverse: T;
  gInverse: T;
  /** Momentum of the step, split as the parameters are: `[nOut][nIn]` and `[nOut]`. */
  velocityW: T;
  velocityB: T;
}

/** Scratch sized by the batch; regrown only when a larger batch arrives. */
interface BatchScratch<T extends Tensor> {
  rows: number;
  /** ā `[rows][dA]` of one layer at a time. */
  augmented: T;
  /** The true targets while the sampled ones are loaded. */
  savedTargets: T;
  /** Noise for the draw, and its staging array on the TypeScript side. */
  noise: T;
  noiseValues: Float64Array;
}

export class Kfac<T extends Tensor = Tensor> extends TracksDisposal implements Optimizer {
  readonly name = 'kfac';
  /**
   * The learning rate train() uses when given none: options' learningRate, else 1 with rescale (the quadratic model's
   * own step) and 0.2 without; restore() takes the state's, as PyTorch's load_state_dict restores lr.
   */
  get defaultLearningRate(): number {
    return this.ownLearningRate;
  }
  private ownLearningRate: number;
  /** The settings it runs under (the learning rate is defaultLearningRate's, which restore() replaces). */
  readonly options: Readonly<KfacSettings>;
  /** Steps taken (drives the moving average's first step and the inverse refreshes). */
  steps = 0;
  /** Current damping λ (adapted with adaptDamping). */
  lambda: number;
  /** The last step's quadratic model, α, μ and ρ (with rescale). */
  lastReport: KfacReport | undefined;
  /** π of each layer at the last inverse refresh, and the factor shifts actually used (for reports). */
  readonly pi: Float64Array;
  readonly shifts: Float64Array;
  /**
   * Per factor, the used shift over the requested one at the last refresh: 1 unless a Cholesky failed
   * and dampedInverse raised it (×10 per retry). The norm constraint's F̂ carries the same raise.
   */
  private readonly shiftRaise: Float64Array;
  private readonly k: Kernels<T>;
  private layers: LayerState<T>[] = [];
  private square: SquareScratch<T> | undefined;
  /** [∇W | ∇b] `[dG][dA]`, the product's middle, the step ΔW̄, and ΔW̄ unpacked into W's and b's shapes. */
  private packedGradient: T[] = [];
  private middle: T | undefined;
  private step_: T | undefined;
  private stepW: T | undefined;
  private stepB: T | undefined;
  /** One statistic of the batch before it enters the moving average (largest factor). */
  private statistic: T | undefined;
  private batchScratch: BatchScratch<T> | undefined;
  /**
   * With rescale: the proposal Δ, and F·v, as parameter vectors (W⁰, b⁰, W¹, …) for the Gauss-Newton
   * product; the previous step δ₀ lives in the layers' velocity buffers (`previous` lists them).
   */
  private proposal: ParamVector<T> = [];
  private curvatureProduct: ParamVector<T> = [];
  private previous: ParamVector<T> = [];
  /** θ and ∇loss as parameter vectors: the network's own tensors, listed once so a step builds no arrays. */
  private theta: ParamVector<T> = [];
  private gradient: ParamVector<T> = [];
  private product: GaussNewtonProduct<T> | undefined;

  private readonly net: Model<T>;

  /** Run by net.dispose(); dispose() takes it off the network's list. */
  private readonly release = () => this.dispose();

  /** The model this optimiser was created for. */
  get model(): Model<T> {
    return this.net;
  }

  constructor(owner: ModelOwner<T>, options: KfacOptions = {}) {
    super();
    const net = (this.net = denseModelOf(owner, 'kfac'));
    checkKnownKeys(options, KFAC_KEYS, 'kfac');
    const d = KFAC_DEFAULTS;
    this.options = {
      damping: checkSetting('kfac', 'damping', options.damping, d.damping),
      decay: checkSetting('kfac', 'decay', options.decay, d.decay),
      inverseEvery: checkSetting('kfac', 'inverseEvery', options.inverseEvery, d.inverseEvery),
      rescale: checkBoolean(options.rescale, 'kfac: rescale', d.rescale),
      quadraticMomentum: false,
      adaptDamping: false,
      adaptEvery: checkSetting('kfac', 'adaptEvery', options.adaptEvery, d.adaptEvery),
      weightDecay: checkSetting('kfac', 'weightDecay', options.weightDecay, d.weightDecay),
      curvatureFraction: checkSetting('kfac', 'curvatureFraction', options.curvatureFraction, d.curvatureFraction),
      momentum: checkSetting('kfac', 'momentum', options.momentum, d.momentum),
      relativeDamping: checkBoolean(options.relativeDamping, 'kfac: relativeDamping', d.relativeDamping),
      normConstraint: checkSetting('kfac', 'normConstraint', options.normConstraint, d.normConstraint),
    };
    const o = this.options as KfacSettings;
    // The model-based parts need the model: they default on with rescale and cannot be had without it.
    const modelled = kfacDefaults(o.rescale);
    o.quadraticMomentum = checkBoolean(options.quadraticMomentum, 'kfac: quadraticMomentum', modelled.quadraticMomentum);
    o.adaptDamping = checkBoolean(options.adaptDamping, 'kfac: adaptDamping', modelled.adaptDamping);
    // The rules across them (SETTING_RULES, which restore() reads too), each said as the options are.
    const rules = SETTING_RULES.kfac;
    for (const key of ['quadraticMomentum', 'adaptDamping'] as const) {
      if (!rules[key].holds(o)) throw invalidOption(`kfac: ${key} needs the quadratic model of rescale: true`);
    }
    // A fixed momentum would change the step after the model chose its length and direction.
    if (!rules.momentum.holds(o)) {
      throw new OptionRefusal((terms) => {
        const [rescale, quadratic] = [terms('rescale'), terms('quadraticMomentum')];
        // Where no option chooses the unscaled step (the command line), say what K-FAC does instead, in words.
        return rescale !== undefined && quadratic !== undefined
          ? `kfac: ${terms('momentum')} applies to the unscaled step (${rescale}: false); with rescale use ${quadratic}`
          : `kfac takes no ${terms('momentum')} with its rescaled step, the one offered here: it chooses each step's momentum by its quadratic model (a fixed momentum applies to the unscaled step only)`;
      });
    }
    this.lambda = this.options.damping;
    this.ownLearningRate = checkSetting('kfac', 'learningRate', options.learningRate, o.rescale ? KFAC_RESCALED_LEARNING_RATE : KFAC_LEARNING_RATE);
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l];
      const nOut = net.sizes[l + 1];
      const [which, side] = nIn + 1 > KFAC_MAX_FACTOR_SIDE ? ['A', nIn + 1] : nOut > KFAC_MAX_FACTOR_SIDE ? ['G', nOut] : ['', 0];
      if (which) {
        throw invalidOption(
          `kfac: ${denseLayerName(l, net.depth)} (${grouped(nIn)} → ${grouped(nOut)}) would need a ${grouped(side)}×${grouped(side)} Kronecker factor ${which}, more than ` +
            `${grouped(KFAC_MAX_FACTOR_SIDE)}×${grouped(KFAC_MAX_FACTOR_SIDE)}; use 'adam', 'lbfgs' or 'hessian-free' for layers this wide`,
        );
      }
    }
    this.k = net.kernels;
    this.pi = new Float64Array(net.depth);
    this.shifts = new Float64Array(2 * net.depth);
    this.shiftRaise = new Float64Array(2 * net.depth).fill(1);
    this.allocate();
    net.onDispose.add(this.release);
  }

  /** Everything but the batch scratch, checked against the backend's memory first. */
  private allocate(): void {
    const { k, net } = this;
    let elements = 0;
    let side = 1;
    let packed = 1;
    for (let l = 0; l < net.depth; l++) {
      const dA = net.sizes[l] + 1;
      const dG = net.sizes[l + 1];
      elements += 2 * (dA * dA + dG * dG) + 2 * dG * dA;
      side = Math.max(side, dA, dG);
      packed = Math.max(packed, dG * dA);
    }
    elements += 4 * side * side + 2 * side + 4 * packed;
    if (this.options.rescale) elements += 2 * net.parameterCount;
    net.checkFits(elements, `K-FAC's Kronecker factors for sizes ${sizesList(net.sizes)}`);
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l];
      const nOut = net.sizes[l + 1];
      const dA = nIn + 1;
      this.layers.push({
        nIn,
        nOut,
        a: k.alloc(dA * dA),
        g: k.alloc(nOut * nOut),
        aInverse: k.alloc(dA * dA),
        gInverse: k.alloc(nOut * nOut),
        velocityW: k.alloc(nOut * nIn),
        velocityB: k.alloc(nOut),
      });
      this.packedGradient.push(k.alloc(nOut * dA));
    }
    const ones = k.alloc(side);
    k.write(ones, new Float64Array(side).fill(1));
    this.square = { damped: k.alloc(side * side), factor: k.alloc(side * side), inverseFactor: k.alloc(side * side), column: k.alloc(side), ones };
    this.statistic = k.alloc(side * side);
    this.middle = k.alloc(packed);
    this.step_ = k.alloc(packed);
    this.stepW = k.alloc(packed);
    this.stepB = k.alloc(side);
    if (this.options.rescale) {
      const lengths = parameterLengths(net);
      this.proposal = allocVector(k, lengths);
      this.curvatureProduct = allocVector(k, lengths);
      this.previous = this.layers.flatMap((layer) => [layer.velocityW, layer.velocityB]);
      this.theta = valuesOf(net);
      this.gradient = gradientsOf(net);
    }
  }

  /** Rows of a batch of `batch` used for the exact curvature products. */
  curvatureRows(batch: number): number {
    return curvatureRows(batch, this.options.curvatureFraction);
  }

  /** Batch-sized scratch: allocated on the first step and when a larger batch comes. */
  private scratchFor(rows: number): BatchScratch<T> {
    if (this.batchScratch && this.batchScratch.rows >= rows) return this.batchScratch;
    const { k, net } = this;
    this.freeBatchScratch();
    const widest = Math.max(...net.sizes.slice(0, -1)) + 1;
    const noiseLength = rows * net.outputSize;
    // The Gauss-Newton product holds 7 buffers of its rows × the widest layer, and one of the widest.
    const productElements = this.options.rescale ? (7 * this.curvatureRows(rows) + 1) * Math.max(...net.sizes) : 0;
    net.checkFits(rows * widest + 2 * noiseLength + rows + productElements, `K-FAC's buffers for a batch of ${grouped(rows)} rows`);
    this.batchScratch = {
      rows,
      augmented: k.alloc(rows * widest),
      savedTargets: k.alloc(noiseLength),
      noise: k.alloc(noiseLength),
      noiseValues: new Float64Array(noiseLength),
    };
    if (this.options.rescale) {
      this.product?.dispose();
      this.product = new GaussNewtonProduct(net, this.curvatureRows(rows));
    }
    // The bias column of ā reads from `ones`, which must cover a batch.
    if (this.square!.ones.length < rows) {
      // The new one had before the old is freed: a failed growth keeps the old, never a freed handle.
      const ones = k.alloc(rows);
      k.free(this.square!.ones);
      this.square!.ones = ones;
      k.write(ones, new Float64Array(rows).fill(1));
    }
    return this.batchScratch;
  }

  step(net: Model<T>, learningRate: number, batch: number): void {
    checkStepNetwork(this, net, this.net);
    checkStepRate(this, learningRate);
    checkStepBatch(this, net, batch);
    const k = this.k;
    const s = this.scratchFor(batch);
    const { rescale, weightDecay } = this.options;
    // h(θ) on the batch, from the forward pass train() made (the sampled pass below keeps it).
    const lossBefore = rescale ? net.lossOfLastForward(batch) : 0;
    // Weight of this batch, 1 − ε with M&G's ε = min(1 − 1/k, decay) at step k = steps + 1: a plain
    // mean of the batches seen while there are few, an exponential average after.
    const fresh = 1 - Math.min(1 - 1 / (this.steps + 1), this.options.decay);
    for (let l = 0; l < net.depth; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      // [∇W | ∇b] kept aside: the sampled pass below overwrites nablaW/nablaB.
      k.copy2d(this.packedGradient[l], 0, dA, net.nablaW[l], 0, layer.nIn, layer.nOut, layer.nIn);
      k.copy2d(this.packedGradient[l], layer.nIn, dA, net.nablaB[l], 0, 1, layer.nOut, 1);
      // ā = [a | 1], then A_batch = āᵀā / batch.
      k.copy2d(s.augmented, 0, dA, net.activations[l], 0, layer.nIn, batch, layer.nIn);
      k.copy2d(s.augmented, layer.nIn, dA, this.square!.ones, 0, 1, batch, 1);
      covariance(k, this.statistic!, s.augmented, batch, dA, 1 / batch);
      this.average(layer.a, dA * dA, fresh);
      this.checkFinite(l, 'A');
    }
    this.sampledBackward(net, batch, s);
    for (let l = 0; l < net.depth; l++) {
      const layer = this.layers[l];
      // deltas hold ∂(mean loss)/∂z = g_x / batch per row, so E[g gᵀ] = (1/batch)·Σ batch²·δδᵀ = batch·δᵀδ.
      covariance(k, this.statistic!, net.deltas[l], batch, layer.nOut, batch);
      this.average(layer.g, layer.nOut * layer.nOut, fresh);
      this.checkFinite(l, 'G');
      // The true gradient back where backprop left it, for the trace and anyone after this step.
      const dA = layer.nIn + 1;
      k.copy2d(net.nablaW[l], 0, layer.nIn, this.packedGradient[l], 0, dA, layer.nOut, layer.nIn);
      k.copy2d(net.nablaB[l], 0, 1, this.packedGradient[l], layer.nIn, dA, layer.nOut, 1);
      if (weightDecay > 0) {
        // ∇h = ∇loss + η·[W | b], staged through `middle` (the sandwich overwrites it later anyway).
        k.copy2d(this.middle!, 0, dA, net.weights[l], 0, layer.nIn, layer.nOut, layer.nIn);
        k.copy2d(this.middle!, layer.nIn, dA, net.biases[l], 0, 1, layer.nOut, 1);
        k.axpy(this.packedGradient[l], this.middle!, layer.nOut * dA, weightDecay);
      }
    }
    if (this.steps % this.options.inverseEvery === 0) this.refreshInverses();
    if (rescale) {
      this.rescaledStep(net, learningRate, batch, lossBefore);
    } else {
      const scale = this.options.normConstraint > 0 ? this.preconditionedScale(learningRate) : 1;
      for (let l = 0; l < net.depth; l++) this.update(l, learningRate, scale);
    }
    this.steps++;
  }

  /**
   * M&G §6.4, §7 and §6.5: Δ from the Kronecker inverses, (α, μ) minimising the quadratic model
   * M(αΔ + μδ₀) with exact Gauss-Newton products, θ += δ, then (every T₁ steps) λ from ρ.
   */
  private rescaledStep(net: Model<T>, learningRate: number, batch: number, lossBefore: number): void {
    const k = this.k;
    const { weightDecay: eta, quadraticMomentum, adaptDamping, adaptEvery, normConstraint } = this.options;
    const lambda = this.lambda;
    const shift = lambda + eta;
    const delta = this.proposal;
    const previous = this.previous;
    const theta = this.theta;
    const gradient = this.gradient;
    for (let l = 0; l < net.depth; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      sandwich(k, this.step_!, layer.gInverse, this.packedGradient[l], layer.aInverse, this.middle!, layer.nOut, dA);
      k.copy2d(delta[2 * l], 0, layer.nIn, this.step_!, 0, dA, layer.nOut, layer.nIn);
      k.copy2d(delta[2 * l + 1], 0, 1, this.step_!, layer.nIn, dA, layer.nOut, 1);
      k.scale(delta[2 * l], layer.nOut * layer.nIn, -1);
      k.scale(delta[2 * l + 1], layer.nOut, -1);
    }
    // The model's coefficients: c = [Δ, δ₀]ᵀ(F + (λ+η)I)[Δ, δ₀] and g = [Δ, δ₀]ᵀ∇h, ∇h = ∇loss + ηθ.
    const m = this.curvatureRows(batch);
    const product = this.product!;
    product.apply(this.curvatureProduct, delta, m);
    const deltaDelta = dotVectors(k, delta, delta);
    const thetaDelta = eta > 0 ? dotVectors(k, theta, delta) : 0;
    const c11 = dotVectors(k, delta, this.curvatureProduct) + shift * deltaDelta;
    const g1 = dotVectors(k, gradient, delta) + eta * thetaDelta;
    let c12 = 0;
    let c22 = 0;
    let g2 = 0;
    let previousPrevious = 0;
    let deltaPrevious = 0;
    let thetaPrevious = 0;
    // δ₀ = 0 on the first step (and after a restore without one): then only the 1-D model.
    const hasPrevious = quadraticMomentum && this.steps > 0 && (previousPrevious = dotVectors(k, previous, previous)) > 0;
    if (hasPrevious) {
      deltaPrevious = dotVectors(k, delta, previous);
      thetaPrevious = eta > 0 ? dotVectors(k, theta, previous) : 0;
      c12 = dotVectors(k, previous, this.curvatureProduct) + shift * deltaPrevious;
      product.apply(this.curvatureProduct, previous, m);
      c22 = dotVectors(k, previous, this.curvatureProduct) + shift * previousPrevious;
      g2 = dotVectors(k, gradient, previous) + eta * thetaPrevious;
    }
    let alpha = 0;
    let mu = 0;
    const determinant = c11 * c22 - c12 * c12;
    if (hasPrevious && determinant > MOMENTUM_CONDITION * c11 * c22) {
      // [c11 c12; c12 c22]·[α; μ] = −[g1; g2] by Cramer's rule (2×2, positive definite here).
      alpha = (-g1 * c22 + g2 * c12) / determinant;
      mu = (-g2 * c11 + g1 * c12) / determinant;
    } else if (c11 > 0) {
      alpha = -g1 / c11;
    }
    // A zero gradient or a non-finite model (NaN in the statistics) leaves θ and δ₀ unchanged.
    if (!Number.isFinite(alpha) || !Number.isFinite(mu)) alpha = mu = 0;
    let a = learningRate * alpha;
    let b = learningRate * mu;
    let fisherNorm = NaN;
    let scale = 1;
    if (a !== 0 || b !== 0) {
      // δ = aΔ + bδ₀, kept in place of δ₀ for the next step.
      for (let i = 0; i < previous.length; i++) {
        const n = previous[i].length;
        k.scale(previous[i], n, b);
        k.axpy(previous[i], delta[i], n, a);
      }
      if (normConstraint > 0) {
        // The model's (α, μ) come from the batch's own F, which a few rows leave blind in most
        // directions; the averaged Kronecker F̂ bounds the step there (Ba et al. 2017 §5).
        fisherNorm = this.stepFisherNorm();
        scale = normScale(normConstraint, fisherNorm);
        if (scale < 1) {
          for (let i = 0; i < previous.length; i++) k.scale(previous[i], previous[i].length, scale);
          a *= scale;
          b *= scale;
        }
      }
      for (let i = 0; i < previous.length; i++) k.axpy(theta[i], previous[i], previous[i].length, 1);
    }
    const predicted = 0.5 * (a * a * c11 + 2 * a * b * c12 + b * b * c22) + a * g1 + b * g2;
    let actual = NaN;
    let rho = NaN;
    if (adaptDamping && (this.steps + 1) % adaptEvery === 0) {
      // h(θ+δ) − h(θ): the loss by a new forward pass, the decay term from dot products already taken
      // (½η(‖θ+δ‖² − ‖θ‖²) = η·θᵀδ + ½η‖δ‖²).
      net.feedforward(batch);
      const thetaStep = a * thetaDelta + b * thetaPrevious;
      const stepStep = a * a * deltaDelta + 2 * a * b * deltaPrevious + b * b * previousPrevious;
      actual = net.lossOfLastForward(batch) - lossBefore + eta * (thetaStep + 0.5 * stepStep);
      rho = actual / predicted;
      const omega = Math.pow(19 / 20, adaptEvery);
      // A step whose predicted change the loss cannot show (below its rounding) does not test the model: λ falls as after a good
      // prediction, until the steps grow to a change the loss reads. NaN ρ (a non-finite loss, or no step) counts as a poor
      // prediction: more damping.
      const unreadable = predicted !== 0 && Number.isFinite(actual) && !predictionReadable(predicted, lossBefore, k.precision);
      if (unreadable || rho > LM_HIGH) this.lambda = Math.max(lambda * omega, KFAC_LAMBDA_MIN);
      else if (!(rho >= LM_LOW)) this.lambda = Math.min(lambda / omega, KFAC_LAMBDA_MAX);
    }
    const report = (this.lastReport ??= {} as KfacReport);
    report.lossBefore = lossBefore;
    report.slope = g1;
    report.curvature = c11;
    report.alpha = alpha;
    report.mu = mu;
    report.predicted = predicted;
    report.actual = actual;
    report.rho = rho;
    report.lambda = lambda;
    report.nextLambda = this.lambda;
    report.curvatureRows = m;
    report.fisherNorm = fisherNorm;
    report.normScale = scale;
  }

  /** factor = (1 − w)·factor + w·statistic. */
  private average(factor: T, n: number, weight: number): void {
    this.k.scale(factor, n, 1 - weight);
    this.k.axpy(factor, this.statistic!, n, weight);
  }

  /**
   * One backward pass with targets drawn from the model's predictive distribution (the forward
   * pass of the batch is already there), then the true targets back in place. deltas are left
   * holding the sampled pass; nablaW/nablaB are restored by the caller.
   */
  private sampledBackward(net: Model<T>, batch: number, s: BatchScratch<T>): void {
    const k = this.k;
    const n = net.outputSize;
    const targets = net.targets!;
    k.copy2d(s.savedTargets, 0, 0, targets, 0, 0, 1, batch * n);
    // The noise order is part of the contract the tests check: categorical draws one uniform per
    // row, Bernoulli one per output, MSE one standard normal per output, row-major.
    const count = net.loss === 'cross-entropy' ? batch : batch * n;
    const values = s.noiseValues;
    if (net.loss === 'mse') for (let i = 0; i < count; i++) values[i] = net.rng.normal();
    else for (let i = 0; i < count; i++) values[i] = net.rng.uniform();
    // Zero the tail so a shorter batch writes whole the array without a subarray view.
    values.fill(0, count);
    k.write(s.noise, values);
    k.sampleTargets(net.loss, targets, net.activations[net.depth], s.noise, batch, n);
    net.backprop(batch);
    k.copy2d(targets, 0, 0, s.savedTargets, 0, 0, 1, batch * n);
  }

  /** The damped inverses of every layer's factors (factored Tikhonov damping). */
  private refreshInverses(): void {
    const k = this.k;
    const sq = this.square!;
    // γ = √(λ + η): the current λ (adapted or not) with the weight decay's own curvature η.
    const root = Math.sqrt(this.lambda + this.options.weightDecay);
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const split = this.dampingSplit(l, root);
      this.pi[l] = split.pi;
      const shiftA = dampedInverse(k, layer.aInverse, layer.a, layer.nIn + 1, split.shiftA, sq);
      const shiftG = dampedInverse(k, layer.gInverse, layer.g, layer.nOut, split.shiftG, sq);
      if (!(shiftA > 0)) throw this.factorFailure(l, 'A', split);
      if (!(shiftG > 0)) throw this.factorFailure(l, 'G', split);
      this.shifts[2 * l] = shiftA;
      this.shifts[2 * l + 1] = shiftG;
      this.shiftRaise[2 * l] = shiftA / split.shiftA;
      this.shiftRaise[2 * l + 1] = shiftG / split.shiftG;
    }
  }

  /**
   * Refuses the step (factorFault) when layer l's `factor` holds an Inf or NaN after this batch
   * entered its average: the squares it averages overflowed. Checked every step, not only when the
   * inverses are refreshed: between refreshes a factor that is not finite would otherwise be carried
   * in silence (into π, the norm constraint's F̂ and every later average) until the next refresh.
   */
  private checkFinite(l: number, factor: 'A' | 'G'): void {
    const layer = this.layers[l];
    const [m, n] = factor === 'A' ? [layer.a, layer.nIn + 1] : [layer.g, layer.nOut];
    const largest = this.k.maxAbs(m, n * n);
    if (!Number.isFinite(largest)) throw this.factorFault(l, factor, false, `holds ${numberText(largest)}: the squares it averages overflowed`);
  }

  /**
   * DIVERGED for layer l's damped `factor` (A: E[āāᵀ] of its inputs and bias, G: E[ggᵀ] of its
   * sampled output gradients), finite (checkFinite saw to it), that dampedInverse could not
   * factorise with its shift (`split`'s) raised up to ×10^FACTOR_SHIFT_RETRIES: what was measured and
   * what can change it. A covariance plus a positive shift is positive definite in exact arithmetic,
   * so the shift stayed below the rounding of its entries: the split π = √(mean diag A / mean diag G)
   * gives G the shift γ/π and A πγ, and a layer whose inputs are far larger than its gradients
   * (weights of 1e12: π ≈ 1e12) leaves G a shift of 1e-14 against entries of 0.25.
   */
  private factorFailure(l: number, factor: 'A' | 'G', split: { shiftA: number; shiftG: number; pi: number }): GradscopeError {
    const { k, layers } = this;
    const sq = this.square!;
    const layer = layers[l];
    const [m, n, shift] = factor === 'A' ? [layer.a, layer.nIn + 1, split.shiftA] : [layer.g, layer.nOut, split.shiftG];
    const largest = k.maxAbs(m, n * n);
    const reached = shift * 10 ** FACTOR_SHIFT_RETRIES;
    // The rounding of the largest entry: a shift below it is lost in the factor's own rounding.
    const rounding = largest * UNIT_ROUNDOFF[k.precision];
    const meanA = trace(k, layer.a, layer.nIn + 1, sq) / (layer.nIn + 1);
    const meanG = trace(k, layer.g, layer.nOut, sq) / layer.nOut;
    const raised = `its shift, ${numberText(shift)} raised ×1e${FACTOR_SHIFT_RETRIES} to ${numberText(reached)}`;
    const measured =
      `its largest |entry| is ${numberText(largest)} and ${raised}, ` +
      (reached < rounding ? `stayed below the ${k.precision === 'f32' ? 'float32' : 'float64'} rounding of that entry (${numberText(rounding)})` : 'did not make it positive definite') +
      `: the damping split π = √(mean diag A / mean diag G) = √(${numberText(meanA)} / ${numberText(meanG)}) = ${numberText(split.pi)} gives A the shift ${numberText(split.shiftA)} and G ${numberText(split.shiftG)}`;
    return this.factorFault(l, factor, true, `is not positive definite: ${measured}`);
  }

  /**
   * The DIVERGED of a step that gives up on layer l's `factor`, the `damped` one (that could not be
   * factorised) or the average itself (not finite), `state` saying what it measured; with advice
   * that fits: a larger damping for the damped one, scaling. At K-FAC's first step the factors are this
   * batch's statistics alone (weight 1) at the weights the optimiser was given, and the first
   * layer's A is the data's at any step, so the learning rate is not the cause then, and 'halve'
   * cannot mend it: an OptimizerStateFault. Later, a smaller learning rate is advised too.
   */
  private factorFault(l: number, factor: 'A' | 'G', damped: boolean, state: string): GradscopeError {
    const layer = this.layers[l];
    const n = factor === 'A' ? layer.nIn + 1 : layer.nOut;
    const of = factor === 'A' ? `E[āāᵀ] of its inputs${l === 0 ? ' (the data)' : ''} and bias` : 'E[ggᵀ] of its sampled output gradients';
    const subject = `${damped ? 'damped factor' : 'factor'} ${factor}`;
    const smaller = factor === 'A' && l === 0 ? 'scale the inputs' : 'scale the inputs or start from smaller weights';
    const lambda = numberText(this.lambda);
    // The damping as the printer names it: the option `damping` (createOptimizer, train's optimizer spec), the command line's --damping.
    const remedy = (terms: OptionTerms) => (damped ? `try a larger ${terms('damping') ?? 'damping'} (λ is ${lambda}), or ${smaller}` : smaller);
    // The first layer's A is of the data alone, which no step changes.
    const ofData = factor === 'A' && l === 0;
    const step = this.steps;
    const advice = (terms: OptionTerms) =>
      ofData
        ? `the factor is of the data, which no step changes, so the learning rate is not the cause: ${remedy(terms)}`
        : step === 0
          ? `at K-FAC's first step the factors are of this batch at the weights it was given, so the learning rate is not the cause: ${remedy(terms)}`
          : `at K-FAC's step ${grouped(step + 1)}: ${remedy(terms)}; or, if the steps since its first grew the weights, a smaller learning rate`;
    const name = denseLayerName(l, this.layers.length);
    const say = (terms: OptionTerms) => `kfac: ${name}'s ${subject} (${of}, ${n}×${n}) ${state}; ${advice(terms)}`;
    // Where the learning rate is not the cause, halving it cannot mend the factor: 'halve' stops at once.
    return ofData || step === 0 ? new OptimizerStateFault(say, `kfac's ${subject} of ${name}`) : new SaidInTerms('DIVERGED', say);
  }

  /**
   * Layer l's factored Tikhonov damping (M&G §6.3): the shift π·γ of A, γ/π of G, and π,
   * with π = √((tr A/dim A)/(tr G/dim G)) of the current averages and γ = `root` (× √(tr A/dim A ·
   * tr G/dim G) with relativeDamping).
   */
  private dampingSplit(l: number, root: number): { shiftA: number; shiftG: number; pi: number } {
    const k = this.k;
    const sq = this.square!;
    const layer = this.layers[l];
    const dA = layer.nIn + 1;
    const dG = layer.nOut;
    const meanA = trace(k, layer.a, dA, sq) / dA;
    const meanG = trace(k, layer.g, dG, sq) / dG;
    const ratio = meanA / meanG;
    // A zero or non-finite trace (a dead layer, an all-zero output gradient) leaves π undefined: split evenly.
    const pi = ratio > 0 && Number.isFinite(ratio) ? Math.sqrt(ratio) : 1;
    const scale = Math.sqrt(meanA * meanG);
    const layerRoot = this.options.relativeDamping && scale > 0 && Number.isFinite(scale) ? root * scale : root;
    return { shiftA: pi * layerRoot, shiftG: layerRoot / pi, pi };
  }

  /**
   * ν of the norm constraint on the unscaled step, as the references compute it: min(1, √(c / (lr²·Σ_l v_l·∇_l)))
   * with v = F̂⁻¹∇ by the cached inverses, so vᵀ∇ = vᵀF̂v. Costs one extra pair of small products per
   * layer (ΔW̄ is not kept between passes).
   */
  private preconditionedScale(learningRate: number): number {
    const k = this.k;
    let fisherNorm = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      sandwich(k, this.step_!, layer.gInverse, this.packedGradient[l], layer.aInverse, this.middle!, layer.nOut, dA);
      fisherNorm += k.dot(this.step_!, this.packedGradient[l], layer.nOut * dA);
    }
    return normScale(this.options.normConstraint, learningRate * learningRate * fisherNorm);
  }

  /**
   * δᵀF̂δ of the step δ held in the velocity buffers (the rescaled path's δ₀ slots), F̂ the damped
   * Kronecker blocks (G_l + (γ/π)I) ⊗ (A_l + πγI) of the current averages with the damping split
   * as the inverses' (dampingSplit), each shift raised as the last refresh had to raise it (shiftRaise),
   * so that F̂ is damped as the inverses that made Δ were. Explicit products, not vᵀ∇: δ mixes Δ with
   * the previous step.
   */
  private stepFisherNorm(): number {
    const k = this.k;
    const sq = this.square!;
    const root = Math.sqrt(this.lambda + this.options.weightDecay);
    let fisherNorm = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      const split = this.dampingSplit(l, root);
      shifted(k, sq.damped, layer.a, dA, split.shiftA * this.shiftRaise[2 * l], sq);
      shifted(k, sq.factor, layer.g, layer.nOut, split.shiftG * this.shiftRaise[2 * l + 1], sq);
      k.copy2d(this.step_!, 0, dA, layer.velocityW, 0, layer.nIn, layer.nOut, layer.nIn);
      k.copy2d(this.step_!, layer.nIn, dA, layer.velocityB, 0, 1, layer.nOut, 1);
      fisherNorm += kroneckerNorm(k, sq.factor, this.step_!, sq.damped, this.stepW!, this.middle!, layer.nOut, dA);
    }
    return fisherNorm;
  }

  /** ΔW̄ = ν·G⁻¹·∇W̄·A⁻¹ (ν the norm constraint's, 1 without), then w −= lr·v, v = momentum·v + ΔW̄ for W and b. */
  private update(l: number, learningRate: number, normScale: number): void {
    const { k, net } = this;
    const layer = this.layers[l];
    const dA = layer.nIn + 1;
    sandwich(k, this.step_!, layer.gInverse, this.packedGradient[l], layer.aInverse, this.middle!, layer.nOut, dA);
    k.copy2d(this.stepW!, 0, layer.nIn, this.step_!, 0, dA, layer.nOut, layer.nIn);
    k.copy2d(this.stepB!, 0, 1, this.step_!, layer.nIn, dA, layer.nOut, 1);
    if (normScale !== 1) {
      // Before the momentum, as the references scale the preconditioned gradient.
      k.scale(this.stepW!, layer.nOut * layer.nIn, normScale);
      k.scale(this.stepB!, layer.nOut, normScale);
    }
    const momentum = this.options.momentum;
    k.sgdUpdate(net.weights[l], layer.velocityW, this.stepW!, layer.nOut * layer.nIn, learningRate, momentum, 0);
    k.sgdUpdate(net.biases[l], layer.velocityB, this.stepB!, layer.nOut, learningRate, momentum, 0);
  }

  /** Layer l's moving-average factors A `[dA][dA]` and G `[dG][dG]`, as float64 copies. */
  factors(l: number): { a: Float64Array; g: Float64Array } {
    const layer = this.layers[l];
    if (!layer) throw invalidOption(`kfac: factors: no layer ${l} (the network has ${this.layers.length})`);
    return { a: Float64Array.from(this.k.view(layer.a)), g: Float64Array.from(this.k.view(layer.g)) };
  }

  /** The per-layer tensors of the state, in order: A, G, A⁻¹, G⁻¹, velocity of W, of b. */
  private stateTensors(): T[] {
    return this.layers.flatMap((l) => [l.a, l.g, l.aInverse, l.gInverse, l.velocityW, l.velocityB]);
  }

  /** What stateTensors()[i] is, in words: "the damped inverse A⁻¹ of hidden 1". */
  private stateTensorName(i: number): string {
    const what = ['factor A', 'factor G', 'damped inverse A⁻¹', 'damped inverse G⁻¹', 'step (momentum) of the weights', 'step (momentum) of the biases'][i % STATE_TENSORS_PER_LAYER];
    return `${what} of ${denseLayerName(Math.floor(i / STATE_TENSORS_PER_LAYER), this.layers.length)}`;
  }

  /** The step count, λ, the learning rate, the options and every layer's factors, inverses and step (for checkpoints). */
  state(): OptimizerState {
    assertNotDisposed(this);
    return {
      name: this.name,
      scalars: { steps: this.steps, lambda: this.lambda, learningRate: this.ownLearningRate, ...recordedScalars({ ...this.options }) },
      tensors: this.stateTensors().map((t) => Float32Array.from(this.k.view(t))),
    };
  }

  /**
   * Continues from a state() taken on a network of the same sizes, checked before anything changes:
   * its learning rate becomes defaultLearningRate and its options must be this optimiser's
   * (recorded-settings.ts); every tensor finite, as the steps leave them (a factor that is not
   * finite is refused by the step that made it).
   */
  restore(state: OptimizerState): void {
    assertNotDisposed(this);
    const where = 'kfac: restore';
    checkStateKind(state, where, this.name);
    const steps = checkStateScalar(STATE_RANGES.kfac.steps, state.scalars?.steps, `${where}: scalars.steps`, this.name);
    // States saved before λ adapted have none: they ran at the configured damping.
    const lambda = checkStateScalar(STATE_RANGES.kfac.lambda, state.scalars?.lambda, `${where}: scalars.lambda`, this.options.damping);
    const learningRate = restoredLearningRate(state, where, this.ownLearningRate);
    // The defaults an advice leaves out are those of a K-FAC with the state's rescale (a damaged record is refused as such).
    const rescaled = state.scalars?.rescale === undefined ? this.options.rescale : state.scalars.rescale === 1;
    checkRecordedHyperparameters(state, where, this.name, { ...this.options }, { defaults: kfacDefaults(rescaled) });
    const tensors = this.stateTensors();
    const restored = restoredTensors(state, where);
    if (restored.length !== tensors.length || restored.some((t, i) => t.length !== tensors[i].length)) {
      throw invalidOption(`${where}: expected ${tensors.length} tensors of lengths ${tensors.map((t) => grouped(t.length)).join(', ')}: the state does not fit this network`);
    }
    restored.forEach((t, j) => {
      const i = t.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) throw invalidOption(`${where}: tensors[${j}][${i}] is ${t[i]} (the ${this.stateTensorName(j)}); expected a finite number`);
    });
    // Checked: now change things.
    tensors.forEach((t, i) => this.k.write(t, restored[i]));
    this.steps = steps;
    this.lambda = lambda;
    this.ownLearningRate = learningRate;
  }

  private freeBatchScratch(): void {
    if (!this.batchScratch) return;
    const { augmented, savedTargets, noise } = this.batchScratch;
    [augmented, savedTargets, noise].forEach((t) => this.k.free(t));
    this.batchScratch = undefined;
  }

  protected freeHeld(): void {
    this.net.onDispose.delete(this.release);
    const k = this.k;
    this.freeBatchScratch();
    this.stateTensors().forEach((t) => k.free(t));
    freeVector(k, this.proposal);
    freeVector(k, this.curvatureProduct);
    this.product?.dispose();
    this.product = undefined;
    this.proposal = this.curvatureProduct = this.previous = this.theta = this.gradient = [];
    this.packedGradient.forEach((t) => k.free(t));
    if (this.square) Object.values(this.square).forEach((t) => k.free(t));
    [this.statistic, this.middle, this.step_, this.stepW, this.stepB].forEach((t) => t && k.free(t));
    this.layers = [];
    this.packedGradient = [];
    this.square = undefined;
  }
}
