// The same rows get the same answer on every backend: a value a layer outputs beyond float32's range
// is refused (NON_FINITE_INPUT, naming the row, the layer and the value as float32 holds it) whether
// the backend holds it as Infinity (float32: wasm, ref f32) or as 4e38 (float64: ref). The float64
// reference carried a hidden 4e38 on to a finite output and answered where wasm refused.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { FLOAT32_MAX, FLOAT32_OVERFLOW, withinFloat32 } from '../../src/checks.js';
import type { Kernels } from '../../src/kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

/** 1 → 1 (linear, weight 4) → 1 (`output`, weight `out`): an input of 1e38 makes the hidden unit 4e38. */
async function twoLayers(kernels: Kernels, output: 'linear' | 'sigmoid', out: number): Promise<Network> {
  const net = await createNetwork({ sizes: [1, 1, 1], activation: 'linear', output, seed: 1, backend: kernels });
  net.loadState([
    { name: '0.weight', values: [4] },
    { name: '0.bias', values: [0] },
    { name: '2.weight', values: [out] },
    { name: '2.bias', values: [0] },
  ]);
  return net;
}

const REFUSAL = /^inputs: row 1 overflows float32 in hidden 1 \(unit 0 is Infinity\); the inputs or the weights are too large$/;

describe.each(await kernelBackends())('a hidden value beyond float32 on $name', ({ kernels }) => {
  it('is refused by predict, evaluate and layerOutputs, though the output would be finite in float64', async () => {
    const net = await twoLayers(kernels, 'linear', 0.01);
    const x = [[1], [1e38]];
    await expectError(() => net.predict(x), 'NON_FINITE_INPUT', REFUSAL);
    await expectError(() => net.evaluate(x, [[0], [0]]), 'NON_FINITE_INPUT', REFUSAL);
    await expectError(() => net.layerOutputs(x), 'NON_FINITE_INPUT', REFUSAL);
    // Within float32 it is answered, the same on every backend within float32 rounding.
    expect(net.predict([[1e37]])[0][0] / 4e35).toBeCloseTo(1, 6);
    net.dispose();
  });

  it('is refused when a later sigmoid would hide it (float32 Infinity through a sigmoid is 0)', async () => {
    const net = await twoLayers(kernels, 'sigmoid', -1);
    await expectError(() => net.predict([[1], [1e38]]), 'NON_FINITE_INPUT', REFUSAL);
    net.dispose();
  });
});

// Finite in float32 is one rule (withinFloat32: |v| < 2¹²⁸ − 2¹⁰³, where Math.fround stays finite):
// the float64 reference once refused FLOAT32_MAX + 1e31 as an overflow ('unit 0 is
// 3.4028234663852886e+38', a finite float32) while wasm, rounding it to FLOAT32_MAX, predicted it.
describe.each(await kernelBackends())('float32\'s edge on $name', ({ kernels }) => {
  /** 2 → 1 linear, weights [1, 1], bias 0: its output is the row's sum. */
  async function sum(): Promise<Network> {
    const net = await createNetwork({ sizes: [2, 1], activation: 'linear', output: 'linear', seed: 1, backend: kernels });
    net.loadState([
      { name: '0.weight', values: [1, 1] },
      { name: '0.bias', values: [0] },
    ]);
    return net;
  }

  it('answers FLOAT32_MAX and just past it (float32 rounds it down), refuses 2¹²⁸ − 2¹⁰³ (float32 Infinity)', async () => {
    const net = await sum();
    expect(net.predict([[FLOAT32_MAX, 0]])[0][0]).toBe(FLOAT32_MAX);
    expect(Math.fround(net.predict([[FLOAT32_MAX, 1e31]])[0][0])).toBe(FLOAT32_MAX);
    expect(FLOAT32_MAX + 2 ** 103).toBe(FLOAT32_OVERFLOW);
    await expectError(
      () => net.predict([[1, 1], [FLOAT32_MAX, 2 ** 103]]),
      'NON_FINITE_INPUT',
      /^inputs: row 1 overflows float32 in output \(unit 0 is Infinity\); the inputs or the weights are too large$/,
    );
    net.dispose();
  });
});

describe('withinFloat32', () => {
  it('is Math.fround staying finite, at FLOAT32_MAX, just past it and at 2¹²⁸ − 2¹⁰³', () => {
    for (const v of [FLOAT32_MAX, FLOAT32_MAX + 1e31, FLOAT32_OVERFLOW - 2 ** 75, FLOAT32_OVERFLOW, 2 ** 128, Infinity, NaN]) {
      expect([v, withinFloat32(v)]).toEqual([v, Number.isFinite(Math.fround(v))]);
      expect([v, withinFloat32(-v)]).toEqual([v, Number.isFinite(Math.fround(-v))]);
    }
    expect(withinFloat32(FLOAT32_MAX + 1e31)).toBe(true);
    expect(withinFloat32(FLOAT32_OVERFLOW)).toBe(false);
  });
});
