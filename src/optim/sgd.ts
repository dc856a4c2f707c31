/**
 * Stochastic gradient descent with momentum (heavy-ball or Nesterov) and L2 weight decay,
 * PyTorch's convention: v = μ·v + g';  w −= lr·v  (Nesterov: w −= lr·(g' + μ·v)),  g' = g + λ·w.
 */
import { OptionRefusal } from '../option-refusal.js';
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import type { Hyperparameters } from './recorded-settings.js';
import { FirstOrderOptimizer, QUERY, fitsFloat32, provesStep, type FirstOrderOptions } from './first-order.js';
import { checkBoolean } from './options.js';
import type { Bound } from '../checks.js';
import { checkSetting, SETTING_RULES } from './setting-ranges.js';
import { SGD_LEARNING_RATE, sgdDecayBound } from '../optimizer-defaults.js';

/** SGD's options (name 'sgd'), each with its default; its learning rate defaults to 0.1. */
export interface SgdOptions extends FirstOrderOptions {
  /** Momentum μ in [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov's look-ahead momentum (needs momentum > 0; default false). */
  nesterov?: boolean;
}

/** SGD's own option keys (besides every first-order optimiser's): its constructor's check and the registry's table. */
export const SGD_KEYS = ['momentum', 'nesterov'] as const;

/** SGD's momentum when none is given: plain SGD (its named settings, CHOICE_MOMENTUM, add one). */
export const SGD_MOMENTUM = 0;

/** SGD's nesterov when none is given: the plain (heavy-ball) momentum. */
const SGD_NESTEROV = false;

/** train()'s learning rate when neither it nor the optimiser names one (its source: optimizer-defaults.ts, which the diagnosis reads too). */
export { SGD_LEARNING_RATE };

/** Stochastic gradient descent with optional momentum, Nesterov and weight decay (defaults lr 0.1, momentum 0, no Nesterov). */
export class Sgd extends FirstOrderOptimizer {
  /** Momentum μ in [0, 1) (default 0: plain gradient descent). */
  readonly momentum: number;
  /** Nesterov's look-ahead momentum (default false). */
  readonly nesterov: boolean;

  constructor(net: ModelOwner, options: SgdOptions = {}) {
    super('sgd', net, options, SGD_KEYS, { learningRate: SGD_LEARNING_RATE });
    this.momentum = checkSetting('sgd', 'momentum', options.momentum, SGD_MOMENTUM);
    this.nesterov = checkBoolean(options.nesterov, 'sgd: nesterov', SGD_NESTEROV);
    if (!SETTING_RULES.sgd.nesterov.holds({ nesterov: this.nesterov, momentum: this.momentum })) throw new OptionRefusal((terms) => `sgd: nesterov: Nesterov momentum needs ${terms('momentum')} > 0`);
  }

  /**
   * The velocity, or none for plain SGD: without momentum or weight decay v would only ever hold
   * the gradient, so the update is w −= lr·g, one pass over w and g with no buffer to allocate,
   * zero and stream through.
   */
  protected buffersPerParameter(): number {
    return this.momentum === 0 && this.weightDecay === 0 ? 0 : 1;
  }

  /** A velocity per parameter, whether kept or not: plain SGD accepts a checkpoint's and drops it. */
  protected stateBuffersPerParameter(): number {
    return 1;
  }

  /** @internal sgdDecayBound (optimizer-defaults.ts), at this optimiser's momentum. */
  protected decayBound(): Bound {
    return sgdDecayBound(this.momentum, this.nesterov);
  }

  protected hyperparameters(): Hyperparameters {
    return { momentum: this.momentum, weightDecay: this.weightDecay, nesterov: this.nesterov };
  }

  protected hyperparameterDefaults(): Hyperparameters {
    return { momentum: SGD_MOMENTUM, nesterov: SGD_NESTEROV };
  }

  /** |g + λw| ≤ G + λW; |v'| ≤ μ·max|v| + that; the step lr·v' (Nesterov lr·(g' + μ·v')). */
  protected stepKeepsWithin(q: Float64Array): boolean {
    const gradientMax = q[QUERY.gradientMax];
    const weightMax = q[QUERY.weightMax];
    const learningRate = q[QUERY.learningRate];
    const decayed = gradientMax + this.weightDecay * weightMax;
    if (this.momentum !== 0) this.measureBuffer(0);
    const velocity = (this.momentum === 0 ? 0 : this.momentum * q[QUERY.buffer]) + decayed;
    const direction = this.nesterov ? decayed + this.momentum * velocity : velocity;
    return provesStep(q, fitsFloat32(direction), weightMax + learningRate * direction);
  }

  /** The update measures what the trace reads (sgdStepStats, sgdUpdateStats), but Nesterov's, which has no such kernel yet. */
  protected measuresUpdate(): boolean {
    return !this.nesterov;
  }

  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number, stats?: Float64Array): void {
    const k = this.net.kernels;
    // Plain SGD: w −= lr·g, what sgdUpdate gives with momentum and weight decay 0 (to the sign of a zero).
    if (buffers.length === 0) return stats ? k.sgdStepStats(stats, p.value, p.grad, p.length, learningRate) : k.axpy(p.value, p.grad, p.length, -learningRate);
    const velocity = buffers[0];
    if (this.nesterov) k.nesterovUpdate(p.value, velocity, p.grad, p.length, learningRate, this.momentum, weightDecay);
    else if (stats) k.sgdUpdateStats(stats, p.value, velocity, p.grad, p.length, learningRate, this.momentum, weightDecay);
    else k.sgdUpdate(p.value, velocity, p.grad, p.length, learningRate, this.momentum, weightDecay);
  }
}
