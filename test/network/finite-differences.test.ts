// The float64 reference's backprop against central differences of its own loss: the oracle is
// checked by something independent of backprop.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES } from '../../src/kernels.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { relativeError } from '../util/close.js';
import { randomCase, softTargets } from '../util/random-network.js';

const STEP = 1e-5;
const TOLERANCE = 1e-6;

/** (C(θ + h·eᵢ) − C(θ − h·eᵢ))/2h for each entry i of `values`, restored after each. */
function centralDifferences(values: { length: number; [i: number]: number }, lossAt: () => number): Float64Array {
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
  return numeric;
}

/**
 * gradients() of a float64 ref network against central differences of evaluate(), parameter by
 * parameter (by PyTorch name, so dense and block networks alike). Returns how many parameters were
 * compared (those whose numeric gradient is above rounding noise).
 */
function expectBackpropMatchesDifferences(net: Network, x: number[][], y: number[][], label: string): number {
  const analytic = net.gradients(x, y).parameters;
  const lossAt = () => net.evaluate(x, y).loss;
  let compared = 0;
  for (const p of net.parameters()) {
    const numeric = centralDifferences(net.kernels.view(p.value) as Float64Array, lossAt);
    // Below 1e-9 the difference quotient itself is mostly rounding noise.
    if (Math.hypot(...numeric) <= 1e-9) continue;
    expect(relativeError(analytic[p.name], numeric), `${label}, ∂C/∂${p.name}`).toBeLessThanOrEqual(TOLERANCE);
    compared++;
  }
  return compared;
}

describe.each(LOSSES)('finite differences, %s', (loss) => {
  it('match backprop on small random networks with every activation', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const rng = new Rng(LOSSES.indexOf(loss) + 11);
    const seen = new Set<string>();
    for (let n = 0; n < 40; n++) {
      const c = randomCase(rng, { maxDepth: 3, maxWidth: 5, maxBatch: 4 }, loss);
      c.options.layers!.forEach((layer) => seen.add(layer.activation!));
      const net = await createNetwork({ ...c.options, backend: kernels });
      expectBackpropMatchesDifferences(net, c.x, c.y, `network ${n}`);
      net.dispose();
    }
    expect(seen.size, 'activations covered').toBeGreaterThanOrEqual(loss === 'mse' ? 6 : 5);
  });
});

// Softmax + cross-entropy with soft labels (rows summing to 1, spread over the classes): the loss is
// −Σ y·log p, its gradient p − y. Rows that do not sum to 1 are refused by every public entry point
// (src/training/target-rules.ts); test/kernels/loss.test.ts holds the kernels' a·Σy − y for them.
describe('finite differences, cross-entropy with soft labels', () => {
  it('match gradients() on random networks (soft rows, one-hot rows, a row of 1/n)', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const rng = new Rng(29);
    let soft = 0;
    for (let n = 0; n < 30; n++) {
      const c = randomCase(rng, { maxDepth: 3, maxWidth: 5, maxBatch: 4 }, 'cross-entropy');
      c.y = c.y.map((row) => {
        const kind = rng.below(3);
        return kind === 0 ? row : kind === 1 ? row.map(() => 1 / row.length) : softTargets(rng, 1, row.length)[0];
      });
      soft += c.y.filter((row) => row.every((v) => v < 1)).length;
      const net = await createNetwork({ ...c.options, backend: kernels });
      expectBackpropMatchesDifferences(net, c.x, c.y, `network ${n}`);
      net.dispose();
    }
    expect(soft, 'rows that are not one-hot').toBeGreaterThanOrEqual(30);
  });
});

describe('finite differences, block networks with softmax + cross-entropy and soft labels', () => {
  it.each([
    ['a dense softmax layer', [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }]],
    ['an activation layer after layer norm', [{ type: 'dense', units: 3 }, { type: 'layer-norm' }, { type: 'activation', activation: 'softmax' }]],
  ] as const)('match gradients() through %s', async (_, layers) => {
    const kernels = createRefKernels({ precision: 'f64' });
    const net = await createNetwork({ inputs: 2, loss: 'cross-entropy', seed: 3, layers: layers.map((l) => ({ ...l })), backend: kernels });
    const x = [[0.5, -0.2], [1, 0.3], [-0.7, 0.9]];
    const y = [[0.5, 0.5, 0], [0.2, 0.3, 0.5], [0.25, 0.25, 0.5]];
    const compared = expectBackpropMatchesDifferences(net, x, y, 'block network');
    expect(compared, 'parameters compared').toBe(net.parameters().length);
    net.dispose();
  });
});
