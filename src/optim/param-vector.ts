/**
 * A vector in parameter space: one backend tensor per entry of net.parameters() (W⁰, b⁰, W¹, b¹,
 * …), so curvature products can hand its pieces straight to the dense kernels. The second-order
 * optimisers run their linear algebra (conjugate gradient, Kronecker-factored steps) on these.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Trainable } from '../model.js';

export type ParamVector<T extends Tensor = Tensor> = T[];

/** Lengths of the parameter tensors, in net.parameters() order. */
export function parameterLengths(net: Trainable): number[] {
  return net.parameters().map((p) => p.length);
}

/** A zero vector shaped like the network's parameters. */
export function allocVector<T extends Tensor>(k: Kernels<T>, lengths: readonly number[]): ParamVector<T> {
  return lengths.map((n) => k.alloc(n));
}

export function freeVector<T extends Tensor>(k: Kernels<T>, v: ParamVector<T>): void {
  v.forEach((t) => k.free(t));
}

/** xᵀy. */
export function dotVectors<T extends Tensor>(k: Kernels<T>, x: ParamVector<T>, y: ParamVector<T>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += k.dot(x[i], y[i], x[i].length);
  return sum;
}

/** y += alpha·x. */
export function axpyVectors<T extends Tensor>(k: Kernels<T>, y: ParamVector<T>, x: ParamVector<T>, alpha: number): void {
  for (let i = 0; i < y.length; i++) k.axpy(y[i], x[i], y[i].length, alpha);
}

/** x *= alpha. */
export function scaleVector<T extends Tensor>(k: Kernels<T>, x: ParamVector<T>, alpha: number): void {
  for (let i = 0; i < x.length; i++) k.scale(x[i], x[i].length, alpha);
}

/** z = x ⊙ y. */
export function mulVectors<T extends Tensor>(k: Kernels<T>, z: ParamVector<T>, x: ParamVector<T>, y: ParamVector<T>): void {
  for (let i = 0; i < z.length; i++) k.mul(z[i], x[i], y[i], z[i].length);
}

/** dst = src. */
export function copyVector<T extends Tensor>(k: Kernels<T>, dst: ParamVector<T>, src: ParamVector<T>): void {
  for (let i = 0; i < dst.length; i++) k.copy2d(dst[i], 0, 0, src[i], 0, 0, 1, dst[i].length);
}

/** The network's parameter tensors (not copies) as a vector. */
export function valuesOf<T extends Tensor>(net: Trainable<T>): ParamVector<T> {
  return net.parameters().map((p) => p.value);
}

/** The network's gradient tensors (∂C/∂W, ∂C/∂b, as backprop left them) as a vector. */
export function gradientsOf<T extends Tensor>(net: Trainable<T>): ParamVector<T> {
  return net.parameters().map((p) => p.grad);
}

/** The vector as float32 arrays, for OptimizerState. */
export function vectorToArrays<T extends Tensor>(k: Kernels<T>, v: ParamVector<T>): Float32Array[] {
  return v.map((t) => Float32Array.from(k.view(t)));
}
