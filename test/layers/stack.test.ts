/**
 * Layer stacks (src/layers) built from random block specs: the float64 reference's gradients
 * against central differences of its own loss, and every backend's gradients against the float64
 * reference, per tensor, on 200 random block stacks each (issue 13).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest } from '../util/backends.js';
import { blockStackOf, gradientsOf, randomBlockCase } from '../util/random-blocks.js';
import { fivePointGradient, gradientError, norm, NOISE_FLOOR, PARITY_TOLERANCE } from '../util/gradient-error.js';

/**
 * Five-point central differences, error O(h⁴): normalisation over a small spread has large higher
 * derivatives (∝ 1/σⁿ), where the three-point O(h²) quotient is off by more than the tolerance.
 */
const STEP = 1e-4;
const FD_TOLERANCE = 1e-6;
const CASES_PER_BACKEND = 200;
/** The same floor for the float64 reference against finite differences, whose noise is far smaller. */
const FD_NOISE_FLOOR = 1e-3;

describe('layer stacks: float64 finite differences', () => {
  it.each(LOSSES)('match backprop for every parameter and the input on 40 random block stacks (%s)', (loss) => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(100 + LOSSES.indexOf(loss));
    const seen = new Set<string>();
    let compared = 0;
    for (let n = 0; n < 40; n++) {
      const c = randomBlockCase(rng, { maxLayers: 3, maxWidth: 5, minBatch: 3, maxBatch: 5 }, loss);
      const seed = rng.nextU32();
      const analytic = gradientsOf(k, c, seed);
      const { stack, x, y } = blockStackOf(k, c, seed);
      const lossAt = () => {
        stack.forward(x, c.batch, 'batch');
        return stack.loss(c.loss, y, x, c.batch);
      };
      const tensors = [...stack.parameters.map((p) => [p.name, p.value] as const), ['input', x] as const];
      const largest = Math.max(...[...analytic.values()].map(norm));
      for (const [name, tensor] of tensors) {
        const numeric = fivePointGradient(k.view(tensor), STEP, lossAt);
        if (norm(numeric) > FD_NOISE_FLOOR * largest) {
          seen.add(name.replace(/^.*\./, ''));
          compared++;
        }
        expect(gradientError(analytic.get(name)!, numeric, largest, FD_NOISE_FLOOR), `stack ${n} ${JSON.stringify(c.specs)}: ∂L/∂${name}`).toBeLessThanOrEqual(FD_TOLERANCE);
      }
      stack.dispose();
    }
    expect(compared, 'tensors compared').toBeGreaterThan(100);
    for (const name of ['weight', 'bias', 'alpha', 'input']) expect(seen.has(name), `some ${name} compared (${[...seen].join(', ')})`).toBe(true);
  });
});

describe.each(await backendsUnderTest())('layer stacks on $name', ({ name, kernels: k }) => {
  it(`give every tensor's gradient within ${PARITY_TOLERANCE} of the float64 reference on ${CASES_PER_BACKEND} random block stacks`, () => {
    const oracle = createRefKernels({ precision: 'f64' });
    const rng = new Rng(7);
    const types = new Set<string>();
    for (let n = 0; n < CASES_PER_BACKEND; n++) {
      const c = randomBlockCase(rng, { maxLayers: 4, maxWidth: 9, minBatch: 4, maxBatch: 12 });
      JSON.stringify(c.specs).match(/"type":"[a-z-]+"/g)?.forEach((t) => types.add(t));
      const seed = rng.nextU32();
      const want = gradientsOf(oracle, c, seed);
      const got = gradientsOf(k, c, seed);
      const largest = Math.max(...[...want.values()].map(norm));
      for (const [tensor, reference] of want) {
        const error = gradientError(got.get(tensor)!, reference, largest, NOISE_FLOOR);
        expect(error, `${name} stack ${n} (${c.loss}, batch ${c.batch}) ${JSON.stringify(c.specs)}: ${tensor}`).toBeLessThanOrEqual(PARITY_TOLERANCE);
      }
    }
    expect(types.size, `layer types covered: ${[...types].join(', ')}`).toBe(5);
  });
});
