/**
 * The reference twins of the normalisation kernels (assembly/normalization.*.ts): batch and layer
 * normalisation, one plain float64 loop per formula. x̂ = (x − μ)·invStd and y = γ ⊙ x̂ + β, with
 * μ and the biased σ² over the batch (batch norm, per feature) or over the features (layer norm,
 * per row), invStd = 1/√(σ² + ε).
 */
import type { FloatArray } from '../kernels.js';

/** μ and σ² (biased) of the `count` values x[offset + i·stride], two passes. */
function meanAndVariance(x: FloatArray, offset: number, stride: number, count: number): [number, number] {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += x[offset + i * stride];
  const mu = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (x[offset + i * stride] - mu) ** 2;
  return [mu, squares / count];
}

/** Σ dy and Σ dy ⊙ x̂ down feature j (dy, x `[batch][n]`): what batch norm's γ and β gradients are. */
function featureGradientSums(dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, j: number, batch: number, n: number): [number, number] {
  let sumDy = 0;
  let sumDyXhat = 0;
  for (let r = 0; r < batch; r++) {
    const i = r * n + j;
    sumDy += dy[i];
    sumDyXhat += dy[i] * (x[i] - mean[j]) * invStd[j];
  }
  return [sumDy, sumDyXhat];
}

export const normalizationKernels = {
  batchNormForward(
    y: FloatArray, mean: FloatArray, invStd: FloatArray, runningMean: FloatArray, runningVar: FloatArray,
    x: FloatArray, gamma: FloatArray, beta: FloatArray, batch: number, n: number, momentum: number, eps: number,
  ): void {
    if (batch <= 0) return;
    for (let j = 0; j < n; j++) {
      const [mu, variance] = meanAndVariance(x, j, n, batch);
      mean[j] = mu;
      invStd[j] = 1 / Math.sqrt(variance + eps);
      // PyTorch moves the running variance with the unbiased batch variance.
      const unbiased = batch > 1 ? (variance * batch) / (batch - 1) : variance;
      runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mu;
      runningVar[j] = (1 - momentum) * runningVar[j] + momentum * unbiased;
    }
    normalizationKernels.batchNormNormalize(y, x, mean, invStd, gamma, beta, batch, n);
  },

  batchNormNormalize(y: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, beta: FloatArray, batch: number, n: number): void {
    for (let j = 0; j < n; j++) {
      for (let r = 0; r < batch; r++) {
        const i = r * n + j;
        y[i] = gamma[j] * (x[i] - mean[j]) * invStd[j] + beta[j];
      }
    }
  },

  batchNormInference(
    y: FloatArray, x: FloatArray, gamma: FloatArray, beta: FloatArray, runningMean: FloatArray, runningVar: FloatArray,
    batch: number, n: number, eps: number,
  ): void {
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        y[i] = (gamma[j] * (x[i] - runningMean[j])) / Math.sqrt(runningVar[j] + eps) + beta[j];
      }
    }
  },

  batchNormBackward(
    dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray, dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray,
    gamma: FloatArray, batch: number, n: number,
  ): void {
    for (let j = 0; j < n; j++) {
      const [sumDy, sumDyXhat] = featureGradientSums(dy, x, mean, invStd, j, batch, n);
      dgamma[j] += sumDyXhat;
      dbeta[j] += sumDy;
      for (let r = 0; r < batch; r++) {
        const i = r * n + j;
        const xhat = (x[i] - mean[j]) * invStd[j];
        dx[i] += gamma[j] * invStd[j] * (dy[i] - sumDy / batch - (xhat * sumDyXhat) / batch);
      }
    }
  },

  batchNormAffineBackward(dgamma: FloatArray, dbeta: FloatArray, dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, batch: number, n: number): void {
    for (let j = 0; j < n; j++) {
      const [sumDy, sumDyXhat] = featureGradientSums(dy, x, mean, invStd, j, batch, n);
      dgamma[j] += sumDyXhat;
      dbeta[j] += sumDy;
    }
  },

  layerNormForward(
    y: FloatArray, mean: FloatArray, invStd: FloatArray, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    batch: number, n: number, eps: number,
  ): void {
    if (n <= 0) return;
    for (let r = 0; r < batch; r++) {
      const [mu, variance] = meanAndVariance(x, r * n, 1, n);
      mean[r] = mu;
      invStd[r] = 1 / Math.sqrt(variance + eps);
    }
    normalizationKernels.layerNormNormalize(y, x, mean, invStd, gamma, beta, batch, n);
  },

  layerNormNormalize(y: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, beta: FloatArray, batch: number, n: number): void {
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        y[i] = gamma[j] * (x[i] - mean[r]) * invStd[r] + beta[j];
      }
    }
  },

  layerNormBackward(
    dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray, dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray,
    gamma: FloatArray, batch: number, n: number,
  ): void {
    normalizationKernels.layerNormAffineBackward(dgamma, dbeta, dy, x, mean, invStd, batch, n);
    normalizationKernels.layerNormInputBackward(dx, dy, x, mean, invStd, gamma, batch, n);
  },

  layerNormAffineBackward(dgamma: FloatArray, dbeta: FloatArray, dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, batch: number, n: number): void {
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        const xhat = (x[i] - mean[r]) * invStd[r];
        dgamma[j] += dy[i] * xhat;
        dbeta[j] += dy[i];
      }
    }
  },

  layerNormInputBackward(dx: FloatArray, dy: FloatArray, x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, batch: number, n: number): void {
    for (let r = 0; r < batch; r++) {
      let sumG = 0;
      let sumGXhat = 0;
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        const xhat = (x[i] - mean[r]) * invStd[r];
        sumG += dy[i] * gamma[j];
        sumGXhat += dy[i] * gamma[j] * xhat;
      }
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        const xhat = (x[i] - mean[r]) * invStd[r];
        dx[i] += invStd[r] * (dy[i] * gamma[j] - sumG / n - (xhat * sumGXhat) / n);
      }
    }
  },
};
