/**
 * The reference twins of the curvature kernels (assembly/curvature.*.ts, assembly/cholesky.*.ts,
 * assembly/shifted-cholesky.*.ts):
 * one plain float64 loop per formula.
 */
import { PIECEWISE_LINEAR, type Activation, type FloatArray } from '../kernels.js';
import { activationSecond } from './activations.js';
import { choleskyFactor } from './cholesky.js';
import { shiftedCholeskyPasses } from './shifted-cholesky.js';

export const curvatureKernels = {
  mul(z: FloatArray, x: FloatArray, y: FloatArray, n: number): void {
    for (let i = 0; i < n; i++) z[i] = x[i] * y[i];
  },

  softmaxJvp(ra: FloatArray, a: FloatArray, rz: FloatArray, batch: number, n: number): void {
    for (let r = 0; r < batch; r++) {
      const row = r * n;
      let projection = 0;
      for (let j = 0; j < n; j++) projection += a[row + j] * rz[row + j];
      for (let j = 0; j < n; j++) ra[row + j] = a[row + j] * (rz[row + j] - projection);
    }
  },

  activationCurvature(f: Activation, dz: FloatArray, g: FloatArray, rz: FloatArray, z: FloatArray, a: FloatArray, batch: number, n: number): void {
    if (PIECEWISE_LINEAR.includes(f)) return; // f'' = 0, as the wasm kernel skips it
    const second = activationSecond[f];
    for (let i = 0; i < batch * n; i++) dz[i] += g[i] * rz[i] * second(z[i], a[i]);
  },

  martensPreconditioner(d: FloatArray, s: FloatArray, n: number, scale: number, lambda: number): void {
    for (let i = 0; i < n; i++) d[i] = (scale * s[i] + lambda) ** -0.75;
  },

  copy2d(
    dst: FloatArray, dstOffset: number, dstStride: number,
    src: FloatArray, srcOffset: number, srcStride: number, rows: number, cols: number,
  ): void {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) dst[dstOffset + r * dstStride + c] = src[srcOffset + r * srcStride + c];
    }
  },

  cholesky: choleskyFactor,

  shiftedCholeskyPasses,

  trilInverse(m: FloatArray, l: FloatArray, n: number): void {
    // Forward substitution, L·M = I column by column.
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        if (i < j) {
          m[i * n + j] = 0;
          continue;
        }
        let s = i === j ? 1 : 0;
        for (let k = j; k < i; k++) s -= l[i * n + k] * m[k * n + j];
        m[i * n + j] = s / l[i * n + i];
      }
    }
  },
};
