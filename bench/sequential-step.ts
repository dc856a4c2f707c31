/**
 * What the benches of layer stacks share: a batch of digit-shaped rows (784 uniform inputs, one-hot
 * targets cycling through the 10 classes) in the backend's memory, and one SGD training step of a
 * stack on it (forward, cross-entropy backward, update), allocated once, nothing per step.
 */
import type { Rng } from '../src/init/rng.js';
import type { Kernels, Tensor } from '../src/kernels.js';
import type { Sequential } from '../src/layers/sequential.js';

/** `rows` digit-shaped rows and their targets, drawn from `rng`. */
export function digitShapedBatch<T extends Tensor>(k: Kernels<T>, rows: number, rng: Rng): { x: T; y: T } {
  const x = k.alloc(rows * 784);
  k.write(x, Float32Array.from({ length: rows * 784 }, () => rng.uniform()));
  const y = k.alloc(rows * 10);
  k.write(y, Float32Array.from({ length: rows * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)));
  return { x, y };
}

/** One SGD step (lr 0.01, no momentum) of `stack` on the `rows` rows of (x, y). */
export function sgdStepOf<T extends Tensor>(k: Kernels<T>, stack: Sequential<T>, x: T, y: T, rows: number): () => void {
  const velocities = stack.parameters.map((p) => k.alloc(p.value.length));
  return () => {
    stack.zeroGradients();
    stack.forward(x, rows, 'train');
    stack.lossBackward('cross-entropy', y, x, rows);
    for (let i = 0; i < stack.parameters.length; i++) {
      const p = stack.parameters[i];
      k.sgdUpdate(p.value, velocities[i], p.grad, p.value.length, 0.01, 0, 0);
    }
  };
}
