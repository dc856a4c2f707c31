// Network gradients on every backend against the float64 reference: per tensor ‖Δ‖/‖g‖ ≤ 1e-4,
// however small ‖g‖ is, so vanishing gradients are measured, not rounded away.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork, type Gradients } from '../../src/api/network.js';
import { backendsUnderTest, kernelBackends } from '../util/backends.js';
import { relativeError } from '../util/close.js';
import { randomCase } from '../util/random-network.js';

const NETWORKS = 200;
const TOLERANCE = 1e-4;

describe.each(await backendsUnderTest())('network gradients on $name', ({ kernels }) => {
  it(`match the float64 reference on ${NETWORKS} random networks`, async () => {
    const [oracle] = await kernelBackends();
    const rng = new Rng(7);
    let worst = { error: 0, label: '' };
    let smallest = Infinity;
    for (let n = 0; n < NETWORKS; n++) {
      const c = randomCase(rng, { maxDepth: 10, maxWidth: 64, maxBatch: 64 });
      const net = await createNetwork({ ...c.options, backend: kernels });
      const ref = await createNetwork({ ...c.options, backend: oracle.kernels });
      const got = net.gradients(c.x, c.y);
      const want = ref.gradients(c.x, c.y);
      net.dispose();
      ref.dispose();
      expect(Math.abs(got.loss - want.loss), `network ${n}: loss`).toBeLessThanOrEqual(TOLERANCE * Math.abs(want.loss) + 1e-6);
      forEachTensor(got, want, (a, b, what) => {
        const error = relativeError(a, b);
        const label = `network ${n} (${JSON.stringify(c.options.layers?.map((l) => `${l.units}:${l.activation}`))}, ${c.options.loss}), ${what}`;
        if (error > worst.error) worst = { error, label };
        smallest = Math.min(smallest, Math.hypot(...b));
        expect(error, label).toBeLessThanOrEqual(TOLERANCE);
      });
    }
    console.log(`largest ‖Δ‖/‖g‖ ${worst.error.toExponential(2)} (${worst.label}); smallest ‖g‖ ${smallest.toExponential(2)}`);
  });
});

function forEachTensor(got: Gradients, want: Gradients, check: (a: Float64Array, b: Float64Array, what: string) => void): void {
  want.layers.forEach((layer, l) => {
    check(got.layers[l].weights, layer.weights, `layer ${l} ∂C/∂W`);
    check(got.layers[l].biases, layer.biases, `layer ${l} ∂C/∂b`);
  });
}
