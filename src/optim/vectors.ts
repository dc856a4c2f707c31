/**
 * Vector algebra over the network's parameters taken as one vector (one tensor per weight or bias
 * tensor, in net.parameters() order), on the backend's kernels: what line searches and
 * quasi-Newton updates need. Nothing here allocates except allocVectors.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Parameter } from '../model.js';

export type Vectors = Tensor[];

export function allocVectors(k: Kernels, params: readonly Parameter[]): Vectors {
  return params.map((p) => k.alloc(p.length));
}

export function freeVectors(k: Kernels, v: Vectors): void {
  for (let i = 0; i < v.length; i++) k.free(v[i]);
}

/** Σ x·y over every tensor. */
export function dotAll(k: Kernels, x: Vectors, y: Vectors): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += k.dot(x[i], y[i], x[i].length);
  return sum;
}

/** y += α·x. */
export function axpyAll(k: Kernels, y: Vectors, x: Vectors, alpha: number): void {
  for (let i = 0; i < y.length; i++) k.axpy(y[i], x[i], y[i].length, alpha);
}

/** x *= α. */
export function scaleAll(k: Kernels, x: Vectors, alpha: number): void {
  for (let i = 0; i < x.length; i++) k.scale(x[i], x[i].length, alpha);
}

/** dst = src + α·dir (dir omitted: dst = src). */
export function setAll(k: Kernels, dst: Vectors, src: Vectors, dir?: Vectors, alpha = 0): void {
  for (let i = 0; i < dst.length; i++) {
    k.zero(dst[i]);
    k.axpy(dst[i], src[i], dst[i].length, 1);
    if (dir) k.axpy(dst[i], dir[i], dst[i].length, alpha);
  }
}

export function maxAbsAll(k: Kernels, x: Vectors): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, k.maxAbs(x[i], x[i].length));
  return max;
}

export function sumAbsAll(k: Kernels, x: Vectors): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += k.sumAbs(x[i], x[i].length);
  return sum;
}
