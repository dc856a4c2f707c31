/**
 * RMSProp (Tieleman & Hinton 2012), PyTorch's defaults: lr 0.01, α 0.99, ε 1e-8 (no momentum,
 * not centred: those variants are not offered).
 */
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import { adaptiveStepKeepsWithin, FirstOrderOptimizer, type FirstOrderOptions } from './first-order.js';
import { checkSetting } from './setting-ranges.js';
import { checkSquaredGradients } from './squared-gradients.js';

/** RMSProp's options (name 'rmsprop'), each with its default; its learning rate defaults to 0.01. */
export interface RmspropOptions extends FirstOrderOptions {
  /** Decay of the running mean of g² (default 0.99). */
  alpha?: number;
  /** Added to √(mean g²) (default 1e-8). */
  epsilon?: number;
}

export const RMSPROP_DEFAULTS = { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8 } as const;
/** RMSProp's own option keys (besides every first-order optimiser's): its constructor's check and the registry's table. */
export const RMSPROP_KEYS = ['alpha', 'epsilon'] as const;

/** RMSProp; PyTorch's defaults (lr 0.01, α 0.99, ε 1e-8). */
export class Rmsprop extends FirstOrderOptimizer {
  /** Decay of the running mean of g² (default 0.99). */
  readonly alpha: number;
  /** Added to √(mean g²) (default 1e-8). */
  readonly epsilon: number;

  constructor(net: ModelOwner, options: RmspropOptions = {}) {
    super('rmsprop', net, options, RMSPROP_KEYS, { learningRate: RMSPROP_DEFAULTS.learningRate });
    this.alpha = checkSetting('rmsprop', 'alpha', options.alpha, RMSPROP_DEFAULTS.alpha);
    this.epsilon = checkSetting('rmsprop', 'epsilon', options.epsilon, RMSPROP_DEFAULTS.epsilon);
  }

  protected hyperparameters(): Record<string, number> {
    return { alpha: this.alpha, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  protected hyperparameterDefaults(): Record<string, number> {
    return { alpha: RMSPROP_DEFAULTS.alpha, epsilon: RMSPROP_DEFAULTS.epsilon };
  }

  /** The running mean of g². */
  protected buffersPerParameter(): number {
    return 1;
  }

  protected readonly squareBuffers = [0];

  /** s' = α·s + (1 − α)·g'² ≥ (1 − α)·g'², so |lr·g'/(√s' + ε)| ≤ lr/√(1 − α) (adaptiveStepBound). */
  protected stepKeepsWithin(q: Float64Array): boolean {
    // Its proof bounds every g'² within float32: on measured bounds it stands in for prepare()'s pass.
    return adaptiveStepKeepsWithin(q, this.weightDecay, 1 - this.alpha, this.epsilon);
  }

  /** Refuses (DIVERGED, nothing changed) a step whose g'² would pass float32 (checkSquaredGradients), unless keepsWithin proved it does not. */
  protected prepare(proved: boolean): void {
    if (!proved) checkSquaredGradients(this.name, this.t + 1, this.params, this.decays, this.net.kernels);
  }

  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number): void {
    this.net.kernels.rmspropUpdate(p.value, buffers[0], p.grad, p.length, learningRate, this.alpha, this.epsilon, weightDecay);
  }
}
