// Issue 13's parity through the public API: on each backend, net.gradients(x, y).parameters of 200
// random block networks (every layer type, nested residual blocks, both gates, every activation
// and loss, random widths and batches) against the same networks on the float64 reference, every
// tensor within 1e-4 (test/util/gradient-error.ts says how the error is measured).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest } from '../util/backends.js';
import { gradientError, norm, NOISE_FLOOR, PARITY_TOLERANCE } from '../util/gradient-error.js';
import { randomBlockCase, type BlockCase } from '../util/random-blocks.js';

const CASES_PER_BACKEND = 200;

/** Rows of a flat row-major array. */
function rows(values: Float64Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
}

/** The case's network on `backend`, its ReZero gates set to the case's α (at 0 no gradient reaches a branch). */
async function networkOf(c: BlockCase, seed: number, backend: Network['kernels']): Promise<Network> {
  const net = await createNetwork({ inputs: c.inputs, layers: c.specs, loss: c.loss, seed, init: 'glorot-uniform', biasInit: { name: 'normal', std: 0.5 }, backend });
  let gate = 0;
  net.loadState(net.state().map((t) => (t.name.endsWith('alpha') ? { ...t, values: Float32Array.of(c.alphas[gate++]) } : t)));
  return net;
}

describe.each(await backendsUnderTest())('block networks on $name', ({ name, kernels }) => {
  it(`give net.gradients() of every tensor within ${PARITY_TOLERANCE} of the float64 reference on ${CASES_PER_BACKEND} random block networks`, async () => {
    const oracle = createRefKernels({ precision: 'f64' });
    const rng = new Rng(31);
    const seen = new Set<string>();
    for (let n = 0; n < CASES_PER_BACKEND; n++) {
      const c = randomBlockCase(rng, { maxLayers: 4, maxWidth: 9, minBatch: 4, maxBatch: 12 });
      const text = JSON.stringify(c.specs);
      text.match(/"(type|gate|activation)":"[a-z-]+"/g)?.forEach((t) => seen.add(t));
      if (/"type":"residual","gate":"[a-z]+","layers":\[[^\]]*"type":"residual"/.test(text)) seen.add('nested residual');
      const seed = rng.nextU32();
      const net = await networkOf(c, seed, kernels);
      const reference = await networkOf(c, seed, oracle);
      reference.loadState(net.state()); // the very parameters the backend holds (float32 values)
      const [x, y] = [rows(c.x, c.inputs), rows(c.y, c.y.length / c.batch)];
      const got = net.gradients(x, y).parameters;
      const want = reference.gradients(x, y).parameters;
      expect(Object.keys(got)).toEqual(Object.keys(want));
      const largest = Math.max(...Object.values(want).map(norm));
      for (const [tensor, values] of Object.entries(want)) {
        const error = gradientError(got[tensor], values, largest, NOISE_FLOOR);
        expect(error, `${name} network ${n} (${c.loss}, batch ${c.batch}) ${text}: ${tensor}`).toBeLessThanOrEqual(PARITY_TOLERANCE);
      }
      net.dispose();
      reference.dispose();
    }
    for (const type of ['dense', 'batch-norm', 'layer-norm', 'activation', 'residual']) expect(seen.has(`"type":"${type}"`), type).toBe(true);
    for (const gate of ['none', 'rezero']) expect(seen.has(`"gate":"${gate}"`), gate).toBe(true);
    for (const activation of ACTIVATIONS) expect(seen.has(`"activation":"${activation}"`), activation).toBe(true);
    expect(seen.has('nested residual'), 'a residual block inside a residual branch').toBe(true);
  }, 120_000);
});
