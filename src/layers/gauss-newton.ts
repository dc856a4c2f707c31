/**
 * Generalised Gauss-Newton products G·v = Jᵀ·H_L·J·v (Schraudolph 2002) of a layer stack's mean
 * loss, without forming J: the R-operator's forward pass through every layer (Layer.rForward;
 * Pearlmutter 1994) gives R{z} = J·v at the loss's input, the loss's curvature H_L
 * (./loss-curvature.ts) turns it into a seed, and the stack's ordinary backward pass of that seed
 * gives Jᵀ·(H_L·J·v). Batch norm in 'batch' or 'train' mode is differentiated through its batch
 * statistics both ways, so J is the Jacobian of the whole batch's outputs: rows are not
 * independent, and G is the Gauss-Newton matrix of exactly the function the gradient is taken of.
 * On a chain of dense layers this gives the same bits as the dense Model's product.
 */
import type { Kernels, Loss, Tensor } from '../kernels.js';
import { LossCurvature } from './loss-curvature.js';
import type { Sequential } from './sequential.js';
import { LazyRowTensor } from './tensors.js';

/** G·v for a Sequential trained on `loss` (see the file comment). */
export class StackGaussNewton<T extends Tensor = Tensor> {
  /** H_L·R{z}/rows, and the seed's scratch (allocated by the first product, grown with the batch). */
  private readonly seed: LazyRowTensor<T>;
  private readonly scratch: LazyRowTensor<T>;
  private readonly lossCurvature: LossCurvature<T>;

  constructor(
    k: Kernels<T>,
    private readonly stack: Sequential<T>,
    loss: Loss,
  ) {
    stack.checkLoss(loss);
    this.seed = new LazyRowTensor(k, stack.units);
    this.scratch = new LazyRowTensor(k, stack.units);
    this.lossCurvature = new LossCurvature(k, loss, stack.outputActivation, stack.units);
  }

  /**
   * out = G·v of the mean loss over the `rows` rows of x (targets y), at the stack's last forward on
   * x ('batch' or 'train' mode). v and out hold one tensor per entry of `stack.parameters`, in its order.
   * The product runs through the stack's gradient tensors: they hold G·v afterwards, not the gradient.
   */
  apply(out: readonly T[], v: readonly T[], x: T, y: T, rows: number): void {
    const seed = this.seedAlong(v, x, y, rows);
    this.stack.zeroGradients();
    if (seed) this.stack.lossInputBackward(seed, null, x, rows);
    this.stack.copyGradients(out);
  }

  /**
   * The R-operator's forward pass along v, then H_L·R{z}/rows at the loss's input z (`[rows][units]`,
   * valid until the next call); null when nothing before the loss's input has parameters (a lone
   * activation layer: G = 0).
   */
  seedAlong(v: readonly T[], x: T, y: T, rows: number): T | null {
    const stack = this.stack;
    stack.rForward(null, v, 0, x, rows);
    const rz = stack.rLossInput;
    if (!rz) return null;
    const seed = this.seed.get(rows);
    this.lossCurvature.seed(seed, rz, stack.lossInput(x), stack.output, y, this.scratch.get(rows), rows);
    return seed;
  }

  /** Frees the product's own buffers (the stack keeps its R-operator buffers until it is disposed). */
  dispose(): void {
    this.seed.dispose();
    this.scratch.dispose();
    this.lossCurvature.dispose();
  }
}
