/**
 * Exact Hessian-vector products H·v of a layer stack's mean loss by Pearlmutter's R-operator
 * (1994), R{·} = ∂/∂r (·)(θ + r·v) at r = 0, applied to the forward and the backward pass:
 *   1. the ordinary backward pass of the loss, so every layer holds its ∂L/∂output (dy);
 *   2. the R-operator's forward pass and the loss's seed H_L·R{z}/rows, as the Gauss-Newton
 *      product's (./gauss-newton.ts), plus the MSE loss's own curvature through a curved output f:
 *      (∂C/∂a) ⊙ f''(z) ⊙ R{z}, ∂C/∂a = (a − y)/rows;
 *   3. the R-operator's reverse pass (Layer.rBackward), last layer first: each layer's backward
 *      differentiated along v, its second-derivative terms (f'', the weights' V, normalisation
 *      through its statistics, ReZero's α times its branch) included.
 * Step 1 and ∂C/∂a do not depend on v: they run for the first product after a forward and are
 * reused while the stack has run no other pass (Sequential.passes: a forward, a gradient, a G·v's
 * backward or a larger batch each rewrite dy) and the rows and targets are the same, so repeated
 * products at fixed weights, as Lanczos' and CG's, cost steps 2 and 3 only.
 * Where every layer is linear in its input and the loss has no curvature beyond H_L (say, linear
 * dense layers with MSE), the extra terms vanish and H = G. Batch norm in 'batch' or 'train' mode
 * is differentiated through its batch statistics, so H is the Hessian of exactly the function the
 * gradient is taken of. Allocates only on the first product for a number of rows.
 */
import type { Activation, Kernels, Loss, Tensor } from '../kernels.js';
import { StackGaussNewton } from './gauss-newton.js';
import { KeptAt } from './passes.js';
import type { Sequential } from './sequential.js';
import { LazyRowTensor } from './tensors.js';

/** H·v for a Sequential trained on `loss` (see the file comment). */
export class StackHessian<T extends Tensor = Tensor> {
  private readonly gaussNewton: StackGaussNewton<T>;
  /** ∂C/∂a at the output for MSE through a curved output activation (allocated by the first product). */
  private readonly lossSlope: LazyRowTensor<T>;
  /** The targets the kept backward was run against, and their difference from the next call's (allocated by the first product). */
  private readonly keptTargets: LazyRowTensor<T>;
  private readonly targetChange: LazyRowTensor<T>;
  /** What the kept backward was run at: the stack's pass count after it, x, y and rows (./passes.ts). */
  private readonly kept = new KeptAt<T>();

  constructor(
    private readonly k: Kernels<T>,
    private readonly stack: Sequential<T>,
    private readonly loss: Loss,
  ) {
    this.gaussNewton = new StackGaussNewton(k, stack, loss);
    this.lossSlope = new LazyRowTensor(k, stack.units);
    this.keptTargets = new LazyRowTensor(k, stack.units);
    this.targetChange = new LazyRowTensor(k, stack.units);
  }

  /**
   * out = H·v of the mean loss over the `rows` rows of x (targets y), at the stack's last forward on
   * x ('batch' or 'train' mode), whose weights must not have moved since. v and out hold one tensor
   * per entry of `stack.parameters`, in its order. The product runs through the stack's gradient
   * tensors: they hold H·v afterwards.
   */
  apply(out: readonly T[], v: readonly T[], x: T, y: T, rows: number): void {
    const { k, stack } = this;
    const output = stack.outputActivation;
    const slope = this.loss === 'mse' && output !== 'linear' ? this.lossSlope.get(rows) : null;
    if (!this.backwardKept(x, y, rows)) this.keepBackward(slope, x, y, rows);
    const seed = this.gaussNewton.seedAlong(v, x, y, rows);
    stack.zeroGradients();
    if (seed) {
      if (slope) k.activationCurvature(output as Activation, seed, slope, stack.rLossInput!, stack.lossInput(x), stack.output, rows, stack.units);
      stack.lossInputRBackward(seed, v, x, rows);
    }
    stack.copyGradients(out);
  }

  /** Whether the stack still holds the loss's backward on these rows: no pass since it, and the same x, y tensors and target values. */
  private backwardKept(x: T, y: T, rows: number): boolean {
    if (!this.kept.matches(this.stack.passes, x, y, rows)) return false;
    const { k } = this;
    const n = rows * this.stack.units;
    const change = this.targetChange.get(rows);
    k.copy2d(change, 0, 0, y, 0, 0, 1, n);
    k.axpy(change, this.keptTargets.get(rows), n, -1);
    // The difference of two different floats is never 0 (gradual underflow) and a sum of absolute values never rounds a positive term away; NaN compares unequal.
    return k.sumAbs(change, n) === 0;
  }

  /** The ordinary backward of the loss (every layer's dy) and, for MSE through a curved output, ∂C/∂a = (a − y)/rows. */
  private keepBackward(slope: T | null, x: T, y: T, rows: number): void {
    const { k, stack } = this;
    const n = rows * stack.units;
    stack.lossBackward(this.loss, y, x, rows);
    if (slope) {
      k.zero(slope, n);
      k.lossBackward('mse', 'linear', slope, stack.output, stack.output, y, rows, stack.units);
    }
    k.copy2d(this.keptTargets.get(rows), 0, 0, y, 0, 0, 1, n);
    // Grown here with the targets it is compared against, so no later product allocates.
    this.targetChange.get(rows);
    this.kept.keep(stack.passes, x, y, rows);
  }

  /** Frees the product's own buffers (the stack keeps its R-operator buffers until it is disposed). */
  dispose(): void {
    this.gaussNewton.dispose();
    for (const t of [this.lossSlope, this.keptTargets, this.targetChange]) t.dispose();
  }
}
