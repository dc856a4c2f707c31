/**
 * Adagrad (Duchi et al. 2011), PyTorch's defaults: lr 0.01, ε 1e-10, accumulator starting at 0.
 *
 * Its sums of squares only grow. PyTorch's keeps them in the parameters' float32 and lets one
 * overflow to Infinity (torch/optim/adagrad.py: sum.addcmul_(grad, grad), then grad / (√sum + ε)),
 * after which that weight's steps are 0 in silence; gradscope's state could not hold such a sum
 * either (restore() and the checkpoint readers take finite values only, and JSON has no Infinity).
 * So a step that would take a sum beyond float32's largest value is refused before it changes
 * anything (DIVERGED naming the parameter and the entry), and every state a step leaves loads back.
 */
import type { Tensor } from '../kernels.js';
import type { ModelOwner, Parameter } from '../model.js';
import { FLOAT32_MAX } from '../model-limits.js';
import { adaptiveStepKeepsWithin, FirstOrderOptimizer, fitsFloat32, QUERY, type FirstOrderOptions } from './first-order.js';
import { RateFreeRefusal, type OptimizerState } from './optimizer.js';
import { checkSetting } from './setting-ranges.js';
import { grouped } from '../counted.js';
import { boundText, numberText } from '../number-text.js';

/** Adagrad's options (new Adagrad(net, options), or createOptimizer with name 'adagrad'), each with its default; its learning rate defaults to 0.01. */
export interface AdagradOptions extends FirstOrderOptions {
  /** Added to √(Σg²) (default 1e-10). */
  epsilon?: number;
}

export const ADAGRAD_DEFAULTS = { learningRate: 0.01, epsilon: 1e-10 } as const;
/** Adagrad's own option keys (besides every first-order optimiser's): its constructor's check and the registry's table. */
export const ADAGRAD_KEYS = ['epsilon'] as const;

/**
 * What a step may add to a sum of squares beyond g'², g' = g + λw, as a factor: the float32
 * roundings of λw, g + λw, g'² and s + g'² (each within 2⁻²⁴ relative, five in all) stay below
 * 2⁻²¹, so a bound grown by this factor each step stays above the sum.
 */
const STEP_ROUNDING = 1 + 2 ** -21;

/** Adagrad; PyTorch's defaults (lr 0.01, ε 1e-10). */
export class Adagrad extends FirstOrderOptimizer {
  /** Added to √(Σg²) (default 1e-10). */
  readonly epsilon: number;
  /**
   * Per parameter, a bound on its largest sum of squares: measured after a restore or when the bound
   * nears float32's limit, else grown by each step's largest g'²: the bound on |g'| that
   * stepKeepsWithin proved the step with (the step guard's, which train() measured already: no pass
   * of its own), or, for a step nothing proved (step() called directly, or a proof that failed), one
   * maxAbs of the gradient; none of the sums.
   */
  private readonly sumBounds: Float64Array;
  /**
   * The bound on every |g'| = |g + λw| that stepKeepsWithin proved the next step with, consumed by that
   * step's prepare(); NaN when the last question was not answered yes, was asked with bounds that were
   * not measured (measuredBounds), or was already used.
   */
  private provedGradient = NaN;
  /** The bounds after the step prepare() checked, committed once every parameter passed. */
  private readonly nextSumBounds: Float64Array;

  constructor(net: ModelOwner, options: AdagradOptions = {}) {
    super('adagrad', net, options, ADAGRAD_KEYS, { learningRate: ADAGRAD_DEFAULTS.learningRate });
    this.epsilon = checkSetting('adagrad', 'epsilon', options.epsilon, ADAGRAD_DEFAULTS.epsilon);
    this.sumBounds = new Float64Array(this.params.length);
    this.nextSumBounds = new Float64Array(this.params.length);
  }

  protected hyperparameters(): Record<string, number> {
    return { epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  protected hyperparameterDefaults(): Record<string, number> {
    return { epsilon: ADAGRAD_DEFAULTS.epsilon };
  }

  /** The sum of g². */
  protected buffersPerParameter(): number {
    return 1;
  }

  protected readonly squareBuffers = [0];

  /**
   * s' = s + g'² ≥ g'², so |lr·g'/(√s' + ε)| ≤ lr (adaptiveStepBound); g'² and lr·g' fit float32; and
   * every s' does (the largest sum bound plus g'²), so prepare() cannot refuse a step proved here.
   */
  protected stepKeepsWithin(q: Float64Array): boolean {
    const decayed = q[QUERY.gradientMax] + this.weightDecay * q[QUERY.weightMax];
    let largest = 0;
    for (let i = 0; i < this.sumBounds.length; i++) largest = Math.max(largest, this.sumBounds[i]);
    const proved = fitsFloat32((largest + decayed * decayed) * STEP_ROUNDING) && adaptiveStepKeepsWithin(q, this.weightDecay, 1, this.epsilon);
    // Only a proof on measured gradients stands in for prepare()'s pass: a caller's bound may be too small.
    this.provedGradient = proved && this.boundsMeasured ? decayed : NaN;
    return proved;
  }

  /**
   * Refuses (DIVERGED, nothing changed) a step that would take a sum of squares beyond float32; else moves the bounds to after it.
   * A step stepKeepsWithin proved cannot be refused (it bounded every s + g'²): its bound on |g'| moves them, without a pass.
   */
  protected prepare(proved: boolean): void {
    // A bound noted by a keepsWithin whose step was refused before prepare() is not this step's (proved false).
    const provedMax = proved ? this.provedGradient : NaN;
    this.provedGradient = NaN;
    if (!Number.isNaN(provedMax)) {
      for (let i = 0; i < this.sumBounds.length; i++) this.sumBounds[i] = (this.sumBounds[i] + provedMax * provedMax) * STEP_ROUNDING;
      return;
    }
    const k = this.net.kernels;
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      const decay = this.decays[i];
      const gradient = k.maxAbs(p.grad, p.length) + (decay === 0 ? 0 : decay * k.maxAbs(p.value, p.length));
      let bound = (this.sumBounds[i] + gradient * gradient) * STEP_ROUNDING;
      if (!fitsFloat32(bound)) {
        // The bound grew step by step above the sums, or they are near the limit: measure them, then look entry by entry.
        this.sumBounds[i] = k.maxAbs(this.buffers![i][0], p.length);
        bound = (this.sumBounds[i] + gradient * gradient) * STEP_ROUNDING;
        if (!fitsFloat32(bound)) bound = this.largestSum(i, decay);
      }
      this.nextSumBounds[i] = bound;
    }
    this.sumBounds.set(this.nextSumBounds);
  }

  /** The largest s + g'² of parameter i after the step (rounding included), entry by entry; DIVERGED at the first that float32 cannot hold. */
  private largestSum(i: number, decay: number): number {
    const k = this.net.kernels;
    const p = this.params[i];
    const [sums, grads, values] = [k.view(this.buffers![i][0]), k.view(p.grad), k.view(p.value)];
    let largest = 0;
    for (let e = 0; e < p.length; e++) {
      const gradient = grads[e] + decay * values[e];
      const sum = sums[e] + gradient * gradient;
      if (!fitsFloat32(sum)) throw this.overflow(p, e, sums[e], gradient, decay);
      largest = Math.max(largest, sum);
    }
    return largest * STEP_ROUNDING;
  }

  /** The DIVERGED of a step that would take entry e of p's sum of squares, `sum`, beyond float32 with `gradient` (g + λw). */
  private overflow(p: Parameter, e: number, sum: number, gradient: number, decay: number): RateFreeRefusal {
    const where = `adagrad: step ${grouped(this.t + 1)}: ${p.name}[${e}]`;
    if (!Number.isFinite(gradient)) return new RateFreeRefusal(`${where}: its gradient${decay === 0 ? '' : ' with weight decay'} is ${gradient}, which no sum of squares can take`);
    return new RateFreeRefusal(
      `${where}: its sum of squared gradients would pass float32's largest value, ${boundText(FLOAT32_MAX)}: ${numberText(sum)} + (${numberText(gradient)})² ` +
        `(its gradient${decay === 0 ? '' : ' with weight decay'}); Adagrad's sums only grow, and one that overflowed would stop that weight in silence: ` +
        'the gradients are too large for it here (clipping them or scaling the inputs keeps them smaller)',
    );
  }

  /** See FirstOrderOptimizer.restore; the sums' bounds are then measured (and a proof given before is void). */
  override restore(state: OptimizerState): void {
    super.restore(state);
    this.provedGradient = NaN;
    const k = this.net.kernels;
    for (let i = 0; i < this.params.length; i++) this.sumBounds[i] = this.buffers === undefined ? 0 : k.maxAbs(this.buffers[i][0], this.params[i].length);
  }

  protected update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number): void {
    this.net.kernels.adagradUpdate(p.value, buffers[0], p.grad, p.length, learningRate, this.epsilon, weightDecay);
  }
}
