/**
 * The loss's own curvature in a Gauss-Newton product (Schraudolph 2002): G·v = Jᵀ·H_L·J·v, where J
 * maps a parameter direction to R{z} of the loss's input z (the output layer's pre-activation when
 * the loss is fused with its activation, else the output) and H_L is the Hessian of the mean loss
 * with respect to z, the output activation counted as part of the loss:
 *   softmax + cross-entropy:  diag(a) − a·aᵀ  (= the softmax's Jacobian, so the seed is R{a});
 *   sigmoid + binary CE:      diag(a(1 − a)) (= σ', so again the seed is R{a});
 *   MSE with output f:        f'ᵀ·I·f' = diag(f'(z)²)  (linear output: the identity).
 * G is positive semi-definite for every one of these, unlike the Hessian. The one home of this
 * rule for dense models (src/optim/gauss-newton.ts) and layer stacks (./gauss-newton.ts).
 */
import type { Activation, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';

/**
 * seed = H_L·R{z}/rows (`[rows][n]`, overwritten): the backward pass's starting gradient for the
 * mean over `rows` rows, given the loss input z, the output a = f(z), R{z}, and a `[rows][n]`
 * scratch tensor (used for MSE).
 */
export function gaussNewtonSeed<T extends Tensor>(
  k: Kernels<T>, loss: Loss, output: OutputActivation, seed: T, rz: T, z: T, a: T, scratch: T, rows: number, n: number,
): void {
  if (loss === 'cross-entropy') {
    k.softmaxJvp(seed, a, rz, rows, n);
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
