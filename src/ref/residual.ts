/**
 * The reference twins of the residual kernels (assembly/residual.*.ts): the skip connection
 * y = x + branch and the ReZero gate y = x + α·branch, α a learned scalar held in alpha[0].
 */
import type { FloatArray } from '../kernels.js';

export const residualKernels = {
  residualForward(y: FloatArray, x: FloatArray, branch: FloatArray, n: number): void {
    for (let i = 0; i < n; i++) y[i] = x[i] + branch[i];
  },
  residualBackward(dx: FloatArray, dbranch: FloatArray, dy: FloatArray, n: number): void {
    for (let i = 0; i < n; i++) {
      dx[i] += dy[i];
      dbranch[i] += dy[i];
    }
  },
  rezeroForward(y: FloatArray, x: FloatArray, branch: FloatArray, alpha: FloatArray, n: number): void {
    for (let i = 0; i < n; i++) y[i] = x[i] + alpha[0] * branch[i];
  },
  rezeroBackward(dx: FloatArray, dbranch: FloatArray, dalpha: FloatArray, dy: FloatArray, branch: FloatArray, alpha: FloatArray, n: number): void {
    for (let i = 0; i < n; i++) dx[i] += dy[i];
    residualKernels.rezeroGateBackward(dbranch, dalpha, dy, branch, alpha, n);
  },
  rezeroGateBackward(dbranch: FloatArray, dalpha: FloatArray, dy: FloatArray, branch: FloatArray, alpha: FloatArray, n: number): void {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      dbranch[i] += alpha[0] * dy[i];
      sum += dy[i] * branch[i];
    }
    dalpha[0] += sum;
  },
};
