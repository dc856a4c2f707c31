// The checksum net.trainedOn compares (src/tensor-checksum.ts): a change of any one bit of any stored
// value changes it, on every backend (float32 and float64 words alike), and it depends on the values
// alone, not on where the tensors lie.
import { describe, expect, it } from 'vitest';
import { tensorsChecksum } from '../src/tensor-checksum.js';
import { kernelBackends, tensorOf } from './util/backends.js';

const A = [0.5, -1.25, 3e-8, 0, -0];
const B = [7, 1e30, -2.5];

describe('tensorsChecksum', () => {
  it('changes with any one bit of any value, and comes back with the value, on every backend', async () => {
    for (const { name, kernels } of await kernelBackends()) {
      const tensors = [tensorOf(kernels, A), tensorOf(kernels, B)];
      const before = tensorsChecksum(kernels, tensors);
      expect(before, name).toMatch(/^[0-9a-f]{16}$/);
      const seen = new Set([before]);
      for (const tensor of tensors) {
        const values = kernels.view(tensor);
        const words = new Int32Array(values.buffer, values.byteOffset, values.byteLength / 4);
        for (let i = 0; i < words.length; i++) {
          for (let bit = 0; bit < 32; bit++) {
            words[i] ^= 1 << bit;
            seen.add(tensorsChecksum(kernels, tensors));
            words[i] ^= 1 << bit;
          }
        }
      }
      const flips = 32 * tensors.reduce((words, t) => words + kernels.view(t).byteLength / 4, 0);
      expect(seen.size, name).toBe(1 + flips);
      expect(tensorsChecksum(kernels, tensors), name).toBe(before);
      tensors.forEach((t) => kernels.free(t));
    }
  });

  it('depends on the values and their order, not on the tensors holding them', async () => {
    for (const { name, kernels } of await kernelBackends()) {
      const first = [tensorOf(kernels, A), tensorOf(kernels, B)];
      const again = [tensorOf(kernels, A), tensorOf(kernels, B)];
      expect(tensorsChecksum(kernels, again), name).toBe(tensorsChecksum(kernels, first));
      expect(tensorsChecksum(kernels, [again[1], again[0]]), name).not.toBe(tensorsChecksum(kernels, first));
      expect(tensorsChecksum(kernels, []), name).toBe('811c9dc500000000');
      [...first, ...again].forEach((t) => kernels.free(t));
    }
  });
});
