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
 * Where every layer is linear in its input and the loss has no curvature beyond H_L (say, linear
 * dense layers with MSE), the extra terms vanish and H = G. Batch norm in 'batch' or 'train' mode
 * is differentiated through its batch statistics, so H is the Hessian of exactly the function the
 * gradient is taken of. Allocates only on the first product for a number of rows.
 */
import type { Activation, Kernels, Loss, Tensor } from '../kernels.js';
import { StackGaussNewton } from './gauss-newton.js';
import type { Sequential } from './sequential.js';
import { LazyRowTensor } from './tensors.js';

/** H·v for a Sequential trained on `loss` (see the file comment). */
export class StackHessian<T extends Tensor = Tensor> {
  private readonly gaussNewton: StackGaussNewton<T>;
  /** ∂C/∂a at the output for MSE through a curved output activation (allocated by the first product). */
  private readonly lossSlope: LazyRowTensor<T>;

  constructor(
    private readonly k: Kernels<T>,
    private readonly stack: Sequential<T>,
    private readonly loss: Loss,
  ) {
    this.gaussNewton = new StackGaussNewton(k, stack, loss);
    this.lossSlope = new LazyRowTensor(k, stack.units);
  }

  /**
   * out = H·v of the mean loss over the `rows` rows of x (targets y), at the stack's last forward on
   * x ('batch' or 'train' mode). v and out hold one tensor per entry of `stack.parameters`, in its
   * order. The product runs through the stack's gradient tensors: they hold H·v afterwards.
   */
  apply(out: readonly T[], v: readonly T[], x: T, y: T, rows: number): void {
    const { k, stack } = this;
    stack.lossBackward(this.loss, y, x, rows);
    const output = stack.outputActivation;
    const curvedMse = this.loss === 'mse' && output !== 'linear';
    const slope = curvedMse ? this.lossSlope.get(rows) : null;
    if (slope) {
      k.zero(slope, rows * stack.units);
      k.lossBackward('mse', 'linear', slope, stack.output, stack.output, y, rows, stack.units);
    }
    const seed = this.gaussNewton.seedAlong(v, x, y, rows);
    stack.zeroGradients();
    if (seed) {
      if (slope) k.activationCurvature(output as Activation, seed, slope, stack.rLossInput!, stack.lossInput(x), stack.output, rows, stack.units);
      stack.lossInputRBackward(seed, v, x, rows);
    }
    stack.copyGradients(out);
  }

  /** Frees the product's own buffers (the stack keeps its R-operator buffers until it is disposed). */
  dispose(): void {
    this.gaussNewton.dispose();
    this.lossSlope.dispose();
  }
}
