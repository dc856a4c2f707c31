/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman & Ginsburg 2017): each layer's learning rate
 * is scaled by its trust ratio η·‖W‖ / (‖∇W‖ + λ·‖W‖), so every layer moves by about the same
 * fraction of its weights whatever the size of its gradient: the vanishing gradient no longer sets
 * the step. Norms are over a layer's parameters together (weights and biases; a norm layer's scale
 * and shift; ReZero's α alone); a layer whose weights or gradient
 * are all zero gets ratio 1. The gradient scaled by it goes through SGD with momentum.
 */
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import { FirstOrderOptimizer, QUERY, fitsFloat32, provesStep, type FirstOrderOptions } from './first-order.js';
import type { Bound } from '../checks.js';
import { checkSetting } from './setting-ranges.js';
import { LARS_DEFAULTS, sgdDecayBound } from '../optimizer-defaults.js';

/** LARS's options (name 'lars'), each with its default; its learning rate defaults to 1 (at η 0.001 the first step moves a layer by about a thousandth of its weights; with momentum μ up to 1/(1 − μ) times that). */
export interface LarsOptions extends FirstOrderOptions {
  /** Trust coefficient η (default 0.001, as in the paper). */
  eta?: number;
  /** Momentum in [0, 1) (default 0.9). */
  momentum?: number;
}

/**
 * A gradient below this fraction of ‖W‖ counts as zero (ratio 1): the ratio then stays below
 * η·1e30, so trust·g_i stays finite in f32 (an Inf ratio times a zero element would be NaN).
 */
const NEGLIGIBLE_GRADIENT = 1e-30;

/** LARS's own option keys (besides every first-order optimiser's): its constructor's check and the registry's table. */
export const LARS_KEYS = ['eta', 'momentum'] as const;

/** LARS: SGD with momentum on a gradient scaled per layer by its trust ratio (defaults lr 1, η 0.001, momentum 0.9). */
export class Lars extends FirstOrderOptimizer {
  /** Trust coefficient η (default 0.001). */
  readonly eta: number;
  /** Momentum μ in [0, 1) (default 0.9). */
  readonly momentum: number;
  /** This step's trust ratio per layer (per Parameter.group). */
  readonly trust: Float64Array;
  /** Weights and biases in all (keepsWithin bounds a layer's norm by √ of it). */
  private readonly parameterCount: number;
  /** ‖W‖² and ‖∇W‖² per layer, summed over its parameters while the ratios are measured. */
  private readonly squares: { values: Float64Array; grads: Float64Array };

  constructor(net: ModelOwner, options: LarsOptions = {}) {
    super('lars', net, options, LARS_KEYS, { learningRate: LARS_DEFAULTS.learningRate });
    this.eta = checkSetting('lars', 'eta', options.eta, LARS_DEFAULTS.eta);
    this.momentum = checkSetting('lars', 'momentum', options.momentum, LARS_DEFAULTS.momentum);
    this.trust = new Float64Array(this.net.groupCount);
    this.parameterCount = this.params.reduce((n, p) => n + p.length, 0);
    this.squares = { values: new Float64Array(this.net.groupCount), grads: new Float64Array(this.net.groupCount) };
  }

  /** The velocity. */
  protected buffersPerParameter(): number {
    return 1;
  }

  protected hyperparameters(): Record<string, number> {
    return { eta: this.eta, momentum: this.momentum, weightDecay: this.weightDecay };
  }

  protected hyperparameterDefaults(): Record<string, number> {
    return { eta: LARS_DEFAULTS.eta, momentum: LARS_DEFAULTS.momentum };
  }

  /**
   * @internal Heavy-ball momentum's bound, 2(1 + μ) (sgdDecayBound): where a layer's gradient is
   * negligible its trust ratio is 1 and the decay enters SGD with momentum unscaled, v = μ·v + λ·w,
   * so beyond it the decay alone grows that layer's weights step after step (lr 1, μ 0.9, λ 5 on a
   * layer whose inputs are all 0 took its weights past 1.8e16 in 37 steps, a DIVERGED that advised a
   * lower learning rate only). Elsewhere trust·λ ≤ η and the bound is the learning rate's.
   */
  protected decayBound(): Bound {
    return sgdDecayBound(this.momentum, false);
  }

  protected prepare(): void {
    const k = this.net.kernels;
    const { values, grads } = this.squares;
    values.fill(0);
    grads.fill(0);
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      values[p.group] += k.sumSquares(p.value, p.length);
      grads[p.group] += k.sumSquares(p.grad, p.length);
    }
    for (let l = 0; l < this.trust.length; l++) {
      const w = Math.sqrt(values[l]);
      const g = Math.sqrt(grads[l]);
      this.trust[l] = w > 0 && g > NEGLIGIBLE_GRADIENT * w ? (this.eta * w) / (g + this.weightDecay * w) : 1;
    }
  }

  /**
   * trust·|g + λw| ≤ η·‖W_l‖ ≤ η·√P·max|w| where the ratio is η‖W_l‖/(‖∇W_l‖ + λ‖W_l‖) (P parameters
   * in all), and ≤ |g| + λ|w| where it is 1; |v'| ≤ μ·max|v| + that; the step lr·v'.
   */
  protected stepKeepsWithin(q: Float64Array): boolean {
    const gradientMax = q[QUERY.gradientMax];
    const weightMax = q[QUERY.weightMax];
    const learningRate = q[QUERY.learningRate];
    const scaled = Math.max(this.eta * Math.sqrt(this.parameterCount) * weightMax, gradientMax + this.weightDecay * weightMax);
    this.measureBuffer(0);
    const velocity = this.momentum * q[QUERY.buffer] + scaled;
    return provesStep(q, fitsFloat32(velocity), weightMax + learningRate * velocity);
  }

  /**
   * The paper's v = μ·v + trust·(g + λ·w);  w −= lr·v: the trust ratio scales the gradient (in
   * place, as clipping does) before it enters the momentum, not the learning rate after, so a
   * layer whose gradient suddenly shrinks is not given a huge step on its old momentum.
   */
  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number): void {
    const k = this.net.kernels;
    const trust = this.trust[p.group];
    k.scale(p.grad, p.length, trust);
    k.sgdUpdate(p.value, buffers[0], p.grad, p.length, learningRate, this.momentum, trust * weightDecay);
  }
}
