/**
 * Dense layers built without a bias (`{ type: 'dense', units, bias: false }`, PyTorch's
 * nn.Linear(bias=False)): no bias parameter at all (parameters, the state dict's layout, the count),
 * and on random block stacks with some dense layers bias-free, the float64 reference's gradients
 * against central differences of its own loss, H·v against central differences of the gradient,
 * and every backend's gradients against the float64 reference.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES } from '../../src/kernels.js';
import { blockTensorLayout } from '../../src/layers/block-layout.js';
import { layerSpecsText } from '../../src/layers/spec-text.js';
import { stateDict } from '../../src/layers/state-dict.js';
import { checkLayerSpecs, parameterCountOfSpecs, type CheckedSpec } from '../../src/layers/spec.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest } from '../util/backends.js';
import { fivePointDifference, flat, kinkDistance, load, productOf, randomDirection } from '../util/block-stacks.js';
import { relativeError } from '../util/close.js';
import { fivePointGradient, gradientError, norm, NOISE_FLOOR, PARITY_TOLERANCE } from '../util/gradient-error.js';
import { blockStackOf, gradientsOf, randomBlockCase, type BlockCase } from '../util/random-blocks.js';

const STEP = 1e-4;
const FD_TOLERANCE = 1e-6;
const FD_NOISE_FLOOR = 1e-3;

/** The specs with every other dense layer (the first included) built without a bias, nested ones too. */
function withoutSomeBiases(specs: readonly CheckedSpec[], counter = { n: 0 }): CheckedSpec[] {
  return specs.map((spec) => {
    if (spec.type === 'residual') return { ...spec, layers: withoutSomeBiases(spec.layers, counter) };
    if (spec.type !== 'dense') return spec;
    return counter.n++ % 2 === 0 ? { ...spec, bias: false } : spec;
  });
}

/** Random block cases with some dense layers bias-free, each case with at least one. */
function biasFreeCases(seed: number, count: number, loss?: (typeof LOSSES)[number]): BlockCase[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const c = randomBlockCase(rng, { maxLayers: 3, maxWidth: 5, minBatch: 3, maxBatch: 6 }, loss);
    return { ...c, specs: withoutSomeBiases(c.specs) };
  }).filter((c) => JSON.stringify(c.specs).includes('"bias":false'));
}

describe('dense layers without a bias', () => {
  it('hold no bias: the checked spec keeps bias: false alone, the layout, the state dict and the count leave the bias out', () => {
    const specs = checkLayerSpecs(
      [
        { type: 'dense', units: 4, bias: false },
        { type: 'batch-norm' },
        { type: 'activation', activation: 'relu' },
        { type: 'dense', units: 2, activation: 'softmax', bias: true },
      ],
      3,
    );
    expect(specs[0]).toEqual({ type: 'dense', units: 4, activation: 'linear', bias: false });
    expect(specs[3]).toEqual({ type: 'dense', units: 2, activation: 'softmax' });
    const layout = blockTensorLayout(specs, 3).map((t) => t.name);
    expect(layout).toEqual(['0.weight', '2.weight', '2.bias', '2.running_mean', '2.running_var', '2.num_batches_tracked', '4.weight', '4.bias']);
    expect(parameterCountOfSpecs(specs, 3)).toBe(4 * 3 + 2 * 4 + 2 * 4 + 2);
    // As convert, gradients and study --model print the layers.
    expect(layerSpecsText(3, specs)).toBe('3 inputs → dense 4 linear no bias → batch-norm → activation relu → dense 2 softmax');
    const k = createRefKernels({ precision: 'f64' });
    const { stack } = blockStackOf(k, { inputs: 3, specs, loss: 'cross-entropy', batch: 2, x: new Float64Array(6), y: Float64Array.of(1, 0, 0, 1), alphas: [] }, 1);
    expect(stateDict(stack).map((t) => t.name)).toEqual(layout);
    expect(stack.parameters.map((p) => p.name)).toEqual(['0.weight', '2.weight', '2.bias', '4.weight', '4.bias']);
    stack.dispose();
  });

  it('refuse a bias that is not true or false, naming where', () => {
    expect(() => checkLayerSpecs([{ type: 'residual', layers: [{ type: 'dense', units: 3, bias: 'no' }] }], 3)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^layers\[0\]\.layers\[0\]\.bias: expected true or false, got "no"/) }),
    );
    expect(() => checkLayerSpecs([{ type: 'dense', units: 3, bias: 0 }], 3)).toThrow(/layers\[0\]\.bias: expected true or false, got 0/);
  });

  it.each(LOSSES)('give the float64 reference the gradients of central differences on random stacks (%s)', (loss) => {
    const k = createRefKernels({ precision: 'f64' });
    const cases = biasFreeCases(300 + LOSSES.indexOf(loss), 30, loss);
    let kinked = 0;
    for (const [n, c] of cases.entries()) {
      const analytic = gradientsOf(k, c, 11 + n);
      const { stack, x, y } = blockStackOf(k, c, 11 + n);
      const lossAt = () => {
        stack.forward(x, c.batch, 'batch');
        return stack.loss(c.loss, y, x, c.batch);
      };
      const largest = Math.max(...[...analytic.values()].map(norm));
      stack.forward(x, c.batch, 'batch');
      // Differences that cross a kink (within 2 steps of it) measure its jump: such a stack is left out, and counted.
      if (kinkDistance(k, stack, x, c.batch) < 1e-3) {
        kinked++;
        stack.dispose();
        continue;
      }
      for (const [name, tensor] of [...stack.parameters.map((p) => [p.name, p.value] as const), ['input', x] as const]) {
        const numeric = fivePointGradient(k.view(tensor), STEP, lossAt);
        expect(gradientError(analytic.get(name)!, numeric, largest, FD_NOISE_FLOOR), `stack ${n} ${JSON.stringify(c.specs)}: ∂L/∂${name}`).toBeLessThanOrEqual(FD_TOLERANCE);
      }
      stack.dispose();
    }
    expect(cases.length - kinked, 'stacks compared').toBeGreaterThan(10);
  });

  it('give H·v (the R-operator through a layer without v_b) within 1e-7 of central differences of the gradient', () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(5);
    let compared = 0;
    for (const [n, c] of biasFreeCases(77, 30).entries()) {
      const loaded = load(k, c, 900 + n);
      if (kinkDistance(k, loaded.stack, loaded.x, c.batch) < 1e-3) {
        loaded.stack.dispose();
        continue;
      }
      compared++;
      const v = randomDirection(rng, loaded.stack);
      const gradient = () => {
        loaded.stack.forward(loaded.x, c.batch, 'batch');
        loaded.stack.zeroGradients();
        loaded.stack.lossBackward(c.loss, loaded.y, loaded.x, c.batch);
        return flat(loaded.stack.parameters.map((p) => k.view(p.grad).subarray(0, p.value.length)));
      };
      const error = relativeError(productOf(loaded, v, 'hessian'), fivePointDifference(loaded, v, STEP, gradient));
      expect(error, `stack ${n} ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(1e-7);
      loaded.stack.dispose();
    }
    expect(compared, 'stacks compared').toBeGreaterThan(10);
  });
});

describe.each(await backendsUnderTest())('dense layers without a bias on $name', ({ name, kernels: k }) => {
  it(`give every tensor's gradient within ${PARITY_TOLERANCE} of the float64 reference on random stacks`, () => {
    const oracle = createRefKernels({ precision: 'f64' });
    const cases = biasFreeCases(41, 120);
    expect(cases.length).toBeGreaterThan(40);
    for (const [n, c] of cases.entries()) {
      const want = gradientsOf(oracle, c, 60 + n);
      const got = gradientsOf(k, c, 60 + n);
      expect([...got.keys()]).toEqual([...want.keys()]);
      const largest = Math.max(...[...want.values()].map(norm));
      for (const [tensor, reference] of want) {
        expect(gradientError(got.get(tensor)!, reference, largest, NOISE_FLOOR), `${name} stack ${n} ${JSON.stringify(c.specs)}: ${tensor}`).toBeLessThanOrEqual(PARITY_TOLERANCE);
      }
    }
  });
});
