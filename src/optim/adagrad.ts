/** Adagrad (Duchi et al. 2011), PyTorch's defaults: lr 0.01, ε 1e-10, accumulator starting at 0. */
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import { adaptiveStepKeepsWithin, FirstOrderOptimizer, type FirstOrderOptions } from './first-order.js';
import { checkNumber } from '../checks.js';

export interface AdagradOptions extends FirstOrderOptions {
  /** Added to √(Σg²) (default 1e-10). */
  epsilon?: number;
}

export const ADAGRAD_DEFAULTS = { learningRate: 0.01, epsilon: 1e-10 } as const;
/** Adagrad's own option keys (besides every first-order optimiser's): its constructor's check and the registry's table. */
export const ADAGRAD_KEYS = ['epsilon'] as const;

/** Adagrad; PyTorch's defaults (lr 0.01, ε 1e-10). */
export class Adagrad extends FirstOrderOptimizer {
  /** Added to √(Σg²) (default 1e-10). */
  readonly epsilon: number;

  constructor(net: ModelOwner, options: AdagradOptions = {}) {
    super('adagrad', net, options, ADAGRAD_KEYS, { learningRate: ADAGRAD_DEFAULTS.learningRate });
    this.epsilon = checkNumber(options.epsilon, 'adagrad: epsilon', { min: 0, above: true, float32: true }, ADAGRAD_DEFAULTS.epsilon);
  }

  protected hyperparameters(): Record<string, number> {
    return { epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  /** The sum of g². */
  protected buffersPerParameter(): number {
    return 1;
  }

  protected readonly squareBuffers = [0];

  /** s' = s + g'² ≥ g'², so |lr·g'/(√s' + ε)| ≤ lr (adaptiveStepBound); g'² and lr·g' fit float32. */
  protected stepKeepsWithin(q: Float64Array): boolean {
    return adaptiveStepKeepsWithin(q, this.weightDecay, 1, this.epsilon);
  }

  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number): void {
    this.net.kernels.adagradUpdate(p.value, buffers[0], p.grad, p.length, learningRate, this.epsilon, weightDecay);
  }
}
