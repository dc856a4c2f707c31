// The same seed gives bit-identical initial weights on every backend, for every initialiser, and
// each initialiser draws from the distribution it names.
import { describe, expect, it } from 'vitest';
import { WEIGHT_INITS, type WeightInit } from '../../src/init/initializers.js';
import { createNetwork } from '../../src/api/network.js';
import { kernelBackends } from '../util/backends.js';

const INITS: WeightInit[] = [...WEIGHT_INITS, { name: 'normal', std: 0.3 }, { name: 'sparse' }];
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

  it("sparse (Martens 2010): exactly 15 N(0, 1) weights into each unit, at distinct inputs, biases 0", async () => {
    const net = await createNetwork({ sizes: SIZES, init: { name: 'sparse' }, seed: 5, backend: 'ref' });
    const w = Array.from(net.kernels.view(net.weights[0]));
    const nonzero: number[] = [];
    for (let row = 0; row < SIZES[1]; row++) {
      const values = w.slice(row * SIZES[0], (row + 1) * SIZES[0]).filter((v) => v !== 0);
      expect(values).toHaveLength(15);
      nonzero.push(...values);
    }
    const mean = nonzero.reduce((a, b) => a + b, 0) / nonzero.length;
    const std = Math.sqrt(nonzero.reduce((a, b) => a + (b - mean) ** 2, 0) / nonzero.length);
    // 3000 draws: the sample mean's standard error is ~0.018, the std's ~0.013.
    expect(Math.abs(mean)).toBeLessThan(0.08);
    expect(std).toBeGreaterThan(0.95);
    expect(std).toBeLessThan(1.05);
    // The 10-unit output layer has 200 inputs: 15 of them each, again.
    const w1 = Array.from(net.kernels.view(net.weights[1]));
    for (let row = 0; row < SIZES[2]; row++) expect(w1.slice(row * SIZES[1], (row + 1) * SIZES[1]).filter((v) => v !== 0)).toHaveLength(15);
    expect(Array.from(net.kernels.view(net.biases[0])).every((b) => b === 0)).toBe(true);
    net.dispose();
  });

  it('sparse: a layer with fewer inputs than connections is dense; connections is honoured and checked', async () => {
    const net = await createNetwork({ sizes: [6, 40, 3], init: { name: 'sparse', connections: 4 }, seed: 8, backend: 'ref' });
    const w0 = Array.from(net.kernels.view(net.weights[0]));
    for (let row = 0; row < 40; row++) expect(w0.slice(row * 6, row * 6 + 6).filter((v) => v !== 0)).toHaveLength(4);
    net.dispose();
    const dense = await createNetwork({ sizes: [6, 40, 3], init: { name: 'sparse' }, seed: 8, backend: 'ref' });
    expect(Array.from(dense.kernels.view(dense.weights[0])).filter((v) => v !== 0)).toHaveLength(6 * 40);
    dense.dispose();
    for (const connections of [0, 2.5, -1, Number.NaN]) {
      await expect(createNetwork({ sizes: [6, 3], init: { name: 'sparse', connections }, backend: 'ref' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    }
  });
});
