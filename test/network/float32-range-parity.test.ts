// The same rows get the same answer on every backend: a value a layer outputs beyond float32's range
// is refused (NON_FINITE_INPUT, naming the row, the layer and the value as float32 holds it) whether
// the backend holds it as Infinity (float32: wasm, ref f32) or as 4e38 (float64: ref). The float64
// reference carried a hidden 4e38 on to a finite output and answered where wasm refused.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
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
