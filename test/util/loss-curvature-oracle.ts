/**
 * The loss's curvature H_L of a Gauss-Newton product, row by row in plain float64, for the oracles
 * of the Gauss-Newton tests: the Hessian of each row's loss with respect to the loss's input z, the
 * output activation counted in the loss (softmax + CE: Σy·(diag(a) − a·aᵀ), Σy the row's target sum;
 * sigmoid + BCE: diag(a(1 − a)); MSE with output f: diag(f'(z)²)).
 */
import type { Activation, Loss, OutputActivation } from '../../src/kernels.js';
import { activationPrime } from '../../src/ref/activations.js';

/** H_L·u for every row of u (`[rows][n]`), with z, a = f(z) and the targets y of those rows. */
export function lossCurvatureTimes(
  loss: Loss, output: OutputActivation, z: ArrayLike<number>, a: ArrayLike<number>, y: ArrayLike<number>, u: ArrayLike<number>, rows: number, n: number,
): Float64Array {
  const hu = new Float64Array(rows * n);
  for (let x = 0; x < rows; x++) {
    const row = x * n;
    let projection = 0;
    let sumY = 0;
    for (let j = 0; j < n; j++) projection += a[row + j] * u[row + j];
    for (let j = 0; j < n; j++) sumY += y[row + j];
    for (let j = 0; j < n; j++) {
      const i = row + j;
      if (loss === 'cross-entropy') hu[i] = sumY * (a[i] * u[i] - a[i] * projection);
      else if (loss === 'binary-cross-entropy') hu[i] = a[i] * (1 - a[i]) * u[i];
      else hu[i] = activationPrime[output as Activation](z[i], a[i]) ** 2 * u[i];
    }
  }
  return hu;
}
