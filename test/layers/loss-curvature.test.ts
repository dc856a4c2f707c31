/**
 * The loss's curvature seed (src/layers/loss-curvature.ts) for a wide softmax output: its buffers
 * grow with the number of classes n, not n² (5,000 classes would take an [n][n] matrix of 100 MB),
 * and a one-hot row's seed is the softmax's Jacobian-vector product over rows, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { LossCurvature } from '../../src/layers/loss-curvature.js';
import { kernelBackends, tensorOf } from '../util/backends.js';

const CLASSES = 5000;
const ROWS = 3;

/** The largest length `kernels.alloc` is asked for while `build` runs. */
function largestAllocation<R>(kernels: Kernels, build: () => R): { result: R; largest: number } {
  const alloc = kernels.alloc;
  let largest = 0;
  kernels.alloc = (length: number) => {
    largest = Math.max(largest, length);
    return alloc.call(kernels, length);
  };
  try {
    return { result: build(), largest };
  } finally {
    kernels.alloc = alloc;
  }
}

describe.each(await kernelBackends())('softmax + cross-entropy curvature seed on $name', ({ kernels: k }) => {
  it(`allocates O(n) for ${CLASSES} classes; one-hot rows give softmaxJvp/rows exactly, a row summing to 2 twice that`, () => {
    const rng = new Rng(5);
    const size = ROWS * CLASSES;
    const { result: curvature, largest } = largestAllocation(k, () => new LossCurvature(k, 'cross-entropy', 'softmax', CLASSES));
    expect(largest).toBeLessThanOrEqual(CLASSES);
    const z = tensorOf(k, Array.from({ length: size }, () => rng.normal()));
    const rz = tensorOf(k, Array.from({ length: size }, () => rng.normal()));
    const a = k.alloc(size);
    k.activationForward('softmax', a, z, ROWS, CLASSES);
    // Rows 0 and 1 one-hot; row 2 two-hot (Σy = 2).
    const targets = new Float64Array(size);
    targets[17] = 1;
    targets[CLASSES + 4999] = 1;
    targets[2 * CLASSES + 3] = targets[2 * CLASSES + 2500] = 1;
    const y = tensorOf(k, targets);
    const seed = k.alloc(size);
    const scratch = k.alloc(size);
    curvature.seed(seed, rz, z, a, y, scratch, ROWS);
    const jvp = k.alloc(size);
    k.softmaxJvp(jvp, a, rz, ROWS, CLASSES);
    k.scale(jvp, size, 1 / ROWS);
    const got = Array.from(k.view(seed));
    const want = Array.from(k.view(jvp));
    expect(got.slice(0, 2 * CLASSES)).toEqual(want.slice(0, 2 * CLASSES));
    for (let i = 2 * CLASSES; i < size; i++) expect(got[i]).toBeCloseTo(2 * want[i], 9);
    for (const t of [z, rz, a, y, seed, scratch, jvp] as Tensor[]) k.free(t);
    curvature.dispose();
  });
});
