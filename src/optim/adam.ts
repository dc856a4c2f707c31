/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), PyTorch's formulas and defaults:
 * lr 1e-3, β = (0.9, 0.999), ε 1e-8; weight decay 0 for Adam (L2, added to the gradient) and 0.01
 * for AdamW (decoupled: w ← w·(1 − lr·λ) before the Adam step).
 */
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import { fitsFloat32, provesStep, QUERY, FirstOrderOptimizer, type FirstOrderOptions } from './first-order.js';
import type { Bound } from '../checks.js';
import { checkSetting } from './setting-ranges.js';
import { ADAM_DEFAULTS, PLAIN_DECAY_BOUND } from '../optimizer-defaults.js';
import { checkSquaredGradients } from './squared-gradients.js';

/** Adam's and AdamW's options (name 'adam' or 'adamw'), each with its default; its learning rate defaults to 1e-3, and AdamW's decoupled weight decay to 0.01 (Adam's L2 one to 0). */
export interface AdamOptions extends FirstOrderOptions {
  /** Decay of the first-moment (mean) estimate, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v̂ in the denominator, > 0 (default 1e-8). */
  epsilon?: number;
}

export const ADAMW_WEIGHT_DECAY = 0.01;
/** Adam's and AdamW's own option keys (besides every first-order optimiser's): the constructor's check and the registry's table. */
export const ADAM_KEYS = ['beta1', 'beta2', 'epsilon'] as const;
/** Adam's option in the part of SGD's momentum: β₁ decays the running mean of the gradients as μ does (OptimizerDefinition.counterparts). */
export const ADAM_COUNTERPARTS = { momentum: 'beta1' } as const;

/** Adam with L2 weight decay; PyTorch's defaults (lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0). */
export class Adam extends FirstOrderOptimizer {
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  readonly beta1: number;
  /** Decay of the second-moment estimate (default 0.999). */
  readonly beta2: number;
  /** Added to √v̂ in the denominator (default 1e-8). */
  readonly epsilon: number;

  constructor(
    net: ModelOwner,
    options: AdamOptions = {},
    /** AdamW: weight decay decoupled from the adaptive step. */
    readonly decoupled = false,
  ) {
    const name = decoupled ? 'adamw' : 'adam';
    super(name, net, options, ADAM_KEYS, { learningRate: ADAM_DEFAULTS.learningRate, weightDecay: decoupled ? ADAMW_WEIGHT_DECAY : 0 });
    this.beta1 = checkSetting(name, 'beta1', options.beta1, ADAM_DEFAULTS.beta1);
    this.beta2 = checkSetting(name, 'beta2', options.beta2, ADAM_DEFAULTS.beta2);
    this.epsilon = checkSetting(name, 'epsilon', options.epsilon, ADAM_DEFAULTS.epsilon);
  }

  /** @internal AdamW's decoupled decay w ← (1 − lr·λ)·w grows every weight beyond lr·λ = 2; Adam's L2 term is divided by √v̂ (no bound but float32's). */
  protected decayBound(): Bound {
    return this.decoupled ? { max: PLAIN_DECAY_BOUND, why: "beyond 2, the decoupled decay w ← (1 − lr·λ)·w grows every weight each step: the decay alone diverges" } : super.decayBound();
  }

  protected hyperparameters(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  protected hyperparameterDefaults(): Record<string, number> {
    return { beta1: ADAM_DEFAULTS.beta1, beta2: ADAM_DEFAULTS.beta2, epsilon: ADAM_DEFAULTS.epsilon };
  }

  /** m and v. */
  protected buffersPerParameter(): number {
    return 2;
  }

  protected readonly squareBuffers = [1];

  /**
   * |m'| ≤ β₁·max|m| + (1 − β₁)·|g'| and the denominator √v̂' + ε ≥ ε, so the step is at most
   * (lr/(1 − β₁ᵗ))·|m'|/ε (loose, as ε is small, but it needs no history); AdamW first scales w by 1 − lr·λ.
   */
  protected stepKeepsWithin(q: Float64Array): boolean {
    const gradientMax = q[QUERY.gradientMax];
    const weightMax = q[QUERY.weightMax];
    const learningRate = q[QUERY.learningRate];
    const gradient = this.decoupled ? gradientMax : gradientMax + this.weightDecay * weightMax;
    this.measureBuffer(0);
    const moment = this.beta1 * q[QUERY.buffer] + (1 - this.beta1) * gradient;
    const numerator = (learningRate / (1 - this.beta1 ** (this.t + 1))) * moment;
    const shrunk = this.decoupled ? Math.max(1, Math.abs(1 - learningRate * this.weightDecay)) * weightMax : weightMax;
    // Its proof bounds every g'² within float32: on measured bounds it stands in for prepare()'s pass.
    return provesStep(q, fitsFloat32(numerator) && fitsFloat32(gradient * gradient), shrunk + numerator / Math.fround(this.epsilon));
  }

  /** AdamW's decays in g' = g + λw: none (its decay is decoupled from v); made at its first unproved step. */
  private noDecays: Float64Array | undefined;

  /** Refuses (DIVERGED, nothing changed) a step whose g'² would pass float32 (checkSquaredGradients), unless keepsWithin proved it does not. */
  protected prepare(proved: boolean): void {
    if (proved) return;
    const decays = this.decoupled ? (this.noDecays ??= new Float64Array(this.params.length)) : this.decays;
    checkSquaredGradients(this.name, this.t + 1, this.params, decays, this.net.kernels);
  }

  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number): void {
    this.net.kernels.adamUpdate(
      p.value, buffers[0], buffers[1], p.grad, p.length,
      learningRate, this.beta1, this.beta2, this.epsilon, weightDecay, this.decoupled, this.t,
    );
  }
}

/** Adam with decoupled weight decay (default 0.01): w ← w·(1 − lr·λ) before the Adam step. */
export class AdamW extends Adam {
  constructor(net: ModelOwner, options: AdamOptions = {}) {
    super(net, options, true);
  }
}
