// The same seed gives bit-identical initial weights on every backend, for every initialiser, and
// each initialiser draws from the distribution it names.
import { describe, expect, it } from 'vitest';
import { WEIGHT_INITS, type WeightInit } from '../../bindings/init/initializers.js';
import { createNetwork } from '../../bindings/network/network.js';
import { kernelBackends } from '../util/backends.js';

const INITS: WeightInit[] = [...WEIGHT_INITS, { name: 'normal', std: 0.3 }];
const SIZES = [300, 200, 10];

describe('initialisation', () => {
  it.each(INITS.map((init) => [JSON.stringify(init), init] as const))('%s: the same seed gives the same bits on every backend', async (_name, init) => {
    const backends = await kernelBackends();
    const models = await Promise.all(
      backends.map(async ({ kernels }) => {
        const net = await createNetwork({ sizes: SIZES, init, biasInit: { name: 'normal', std: 1 }, seed: 123, backend: kernels });
        const json = JSON.stringify(net.toJSON());
        net.dispose();
        return json;
      }),
    );
    for (const model of models) expect(model).toBe(models[0]);
    const other = await createNetwork({ sizes: SIZES, init, seed: 124, backend: backends[0].kernels });
    expect(JSON.stringify(other.toJSON())).not.toBe(models[0]);
    other.dispose();
  });

  it.each([
    ['standard', (nIn: number) => 1 / Math.sqrt(3 * nIn)],
    ['glorot-uniform', (nIn: number, nOut: number) => Math.sqrt(2 / (nIn + nOut))],
    ['glorot-normal', (nIn: number, nOut: number) => Math.sqrt(2 / (nIn + nOut))],
    ['he-normal', (nIn: number) => Math.sqrt(2 / nIn)],
    ['lecun-normal', (nIn: number) => Math.sqrt(1 / nIn)],
    // Orthonormal rows (or columns) of length max(n_in, n_out): each entry has variance 1/max.
    ['orthogonal', (nIn: number, nOut: number) => 1 / Math.sqrt(Math.max(nIn, nOut))],
  ] as const)('%s has the standard deviation it names', async (init, expectedStd) => {
    const net = await createNetwork({ sizes: SIZES, init, seed: 5, backend: 'ref' });
    const w = Array.from(net.kernels.view(net.weights[0]));
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    net.dispose();
    expect(Math.abs(mean)).toBeLessThan(0.05 * std);
    expect(std / expectedStd(SIZES[0], SIZES[1])).toBeCloseTo(1, 1);
  });
});
