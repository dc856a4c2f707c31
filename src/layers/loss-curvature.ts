/**
 * The loss's own curvature in a Gauss-Newton product (Schraudolph 2002): G·v = Jᵀ·H_L·J·v, where J
 * maps a parameter direction to R{z} of the loss's input z (the output layer's pre-activation when
 * the loss is fused with its activation, else the output) and H_L is the Hessian of the mean loss
 * with respect to z, the output activation counted as part of the loss:
 *   softmax + cross-entropy:  Σy·(diag(a) − a·aᵀ) per row, Σy its targets' sum (the softmax's
 *                             Jacobian times Σy: the seed is Σy·R{a}; the gradient is a·Σy − y,
 *                             see assembly/loss.scalar.ts, so a row not summing to 1 scales it);
 *   sigmoid + binary CE:      diag(a(1 − a)) (= σ', so again the seed is R{a});
 *   MSE with output f:        f'ᵀ·I·f' = diag(f'(z)²)  (linear output: the identity).
 * G is positive semi-definite for every one of these, unlike the Hessian. The one home of this
 * rule for dense models (src/optim/gauss-newton.ts) and layer stacks (./gauss-newton.ts).
 */
import type { Activation, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';

/**
 * The seeds H_L·R{z}/rows of one loss over n outputs (see the file comment). Softmax +
 * cross-entropy scales each row by its targets' sum: Σy per row by a dense product with a column of
 * n ones (nOut = 1), broadcast over the row by one with a row of n ones (nIn = 1): O(n) memory and
 * O(rows·n) work. The `[n]` ones and zeros are this object's (allocated once).
 */
export class LossCurvature<T extends Tensor> {
  /** [n] ones (read as a column `[n][1]` and as a row `[1][n]`) and [n] zeros, for cross-entropy only. */
  private readonly ones: T | null = null;
  private readonly zeros: T | null = null;

  constructor(
    private readonly k: Kernels<T>,
    private readonly loss: Loss,
    private readonly output: OutputActivation,
    private readonly n: number,
  ) {
    if (loss !== 'cross-entropy') return;
    this.ones = k.alloc(n);
    k.view(this.ones).fill(1);
    this.zeros = k.alloc(n);
  }

  /**
   * seed = H_L·R{z}/rows (`[rows][n]`, overwritten): the backward pass's starting gradient for the
   * mean over `rows` rows, given the loss input z, the output a = f(z), R{z}, the targets y and a
   * `[rows][n]` scratch tensor.
   */
  seed(seed: T, rz: T, z: T, a: T, y: T, scratch: T, rows: number): void {
    const { k, loss, output, n } = this;
    if (loss === 'cross-entropy') {
      const ones = this.ones!, zeros = this.zeros!;
      // Σy per row into seed's first `rows` entries, spread over each row of scratch; then the seed proper.
      k.denseForward(seed, y, ones, zeros, rows, n, 1);
      k.denseForward(scratch, seed, ones, zeros, rows, 1, n);
      k.softmaxJvp(seed, a, rz, rows, n);
      k.mul(seed, seed, scratch, rows * n);
      k.scale(seed, rows * n, 1 / rows);
      return;
    }
    k.zero(seed, rows * n);
    if (loss === 'binary-cross-entropy') {
      k.activationBackward('sigmoid', seed, rz, z, a, rows, n);
      k.scale(seed, rows * n, 1 / rows);
      return;
    }
    // MSE: R{a} = f'·R{z}, then through f' once more.
    k.zero(scratch, rows * n);
    k.activationBackward(output as Activation, scratch, rz, z, a, rows, n);
    k.scale(scratch, rows * n, 1 / rows);
    k.activationBackward(output as Activation, seed, scratch, z, a, rows, n);
  }

  dispose(): void {
    if (this.ones) this.k.free(this.ones);
    if (this.zeros) this.k.free(this.zeros);
  }
}
