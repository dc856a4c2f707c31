// What docs/api.md's kernels section says of a kept view (edges47 #5): the backend's memory grown
// under it leaves it empty, and a fresh view, or a copy taken before, reads the tensor.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/index.js';

describe('a kernel view kept across a memory growth', () => {
  it('is left empty and cannot be spread; a fresh view and a copy taken before read the weights', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', seed: 1, backend: 'wasm' });
    const k = net.kernels;
    const kept = k.view(net.weights[0]);
    const copy = Float32Array.from(kept);
    const grown = k.alloc(8_000_000); // 32 MB: past what a small network's memory holds
    expect([kept.length, kept[0]]).toEqual([0, undefined]);
    expect(() => [...kept]).toThrow(/detached ArrayBuffer/);
    expect(k.view(net.weights[0])).toEqual(copy);
    k.free(grown);
    net.dispose();
  });
});
