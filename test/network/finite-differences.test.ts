// The float64 reference's backprop against central differences of its own loss: the oracle is
// checked by something independent of backprop.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES } from '../../src/kernels.js';
import { createNetwork } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { relativeError } from '../util/close.js';
import { randomCase } from '../util/random-network.js';

const STEP = 1e-5;
const TOLERANCE = 1e-6;

describe.each(LOSSES)('finite differences, %s', (loss) => {
  it('match backprop on small random networks with every activation', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const rng = new Rng(LOSSES.indexOf(loss) + 11);
    const seen = new Set<string>();
    for (let n = 0; n < 40; n++) {
      const c = randomCase(rng, { maxDepth: 3, maxWidth: 5, maxBatch: 4 }, loss);
      c.options.layers!.forEach((layer) => seen.add(layer.activation!));
      const net = await createNetwork({ ...c.options, backend: kernels });
      const analytic = net.gradients(c.x, c.y);
      const lossAt = () => net.evaluate(c.x, c.y).loss;
      analytic.layers.forEach((layer, l) => {
        for (const [what, tensor, grad] of [
          ['W', net.weights[l], layer.weights],
          ['b', net.biases[l], layer.biases],
        ] as const) {
          const values = kernels.view(tensor as Float64Array);
          const numeric = new Float64Array(values.length);
          for (let i = 0; i < values.length; i++) {
            const saved = values[i];
            values[i] = saved + STEP;
            const plus = lossAt();
            values[i] = saved - STEP;
            const minus = lossAt();
            values[i] = saved;
            numeric[i] = (plus - minus) / (2 * STEP);
          }
          const error = relativeError(grad, numeric);
          // Below 1e-9 the difference quotient itself is mostly rounding noise.
          if (Math.hypot(...numeric) > 1e-9) expect(error, `network ${n}, layer ${l} ∂C/∂${what}`).toBeLessThanOrEqual(TOLERANCE);
        }
      });
      net.dispose();
    }
    expect(seen.size, 'activations covered').toBeGreaterThanOrEqual(loss === 'mse' ? 6 : 5);
  });
});
