/**
 * The reference twin of the target-sampling kernel (assembly/sampling.*.ts): targets drawn from the
 * model's predictive distribution, for K-FAC's Fisher factor. The noise u is drawn by the caller.
 */
import type { FloatArray, Loss } from '../kernels.js';

export const samplingKernels = {
  sampleTargets(loss: Loss, y: FloatArray, a: FloatArray, u: FloatArray, batch: number, n: number): void {
    if (loss === 'cross-entropy') {
      for (let r = 0; r < batch; r++) {
        const row = r * n;
        let cumulative = 0;
        let chosen = -1;
        let lastPositive = 0;
        for (let j = 0; j < n; j++) {
          if (a[row + j] > 0) lastPositive = j;
          cumulative += a[row + j];
          if (chosen < 0 && u[r] < cumulative) chosen = j;
        }
        // Rounding can leave the total at or below u: take the last class that can occur.
        if (chosen < 0) chosen = lastPositive;
        for (let j = 0; j < n; j++) y[row + j] = j === chosen ? 1 : 0;
      }
      return;
    }
    for (let i = 0; i < batch * n; i++) y[i] = loss === 'binary-cross-entropy' ? (u[i] < a[i] ? 1 : 0) : a[i] + u[i];
  },
};
