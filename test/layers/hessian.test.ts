/**
 * Exact Hessian-vector products H·v of layer stacks (src/layers/hessian.ts) by the R-operator's
 * forward and reverse passes through every layer kind: against central differences of the
 * float64 gradient along v; the explicit Hessian built column by column (H·e_i) against one built
 * from central differences of the gradient coordinate by coordinate, and symmetric; uᵀ(H·v) =
 * vᵀ(H·u) on every backend; H = G where every layer is linear and the loss is MSE, H ≠ G where a
 * layer curves; every backend against float64; no allocation after the first product; repeated
 * products reuse the loss's backward, bit for bit, until a pass or new targets make it stale.
 */
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Tensor } from '../../src/kernels.js';
import { StackGaussNewton } from '../../src/layers/gauss-newton.js';
import { StackHessian } from '../../src/layers/hessian.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { allocVector, freeVector } from '../../src/optim/param-vector.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest, kernelBackends } from '../util/backends.js';
import {
  allCases, allocatingAfterFirstProduct, dot, expectFloat64Parity, fivePointDifference, fixedCase, fixedCases, flat, kinkDistance, label, load, productOf, randomDirection, uncovered, type Loaded,
} from '../util/block-stacks.js';
import { relativeError } from '../util/close.js';

/** Five-point central differences of the gradient (error O(h⁴)). */
const STEP = 1e-4;
/** Float64 H·v against its finite-difference oracles (relative error of the whole vector). */
const FD_TOLERANCE = 1e-7;
/** Every backend's H·v against the float64 reference (relative error of the whole vector). */
const PARITY_TOLERANCE = 1e-3;

/** ∇C at the stack's current parameters (a fresh 'batch' forward and backward), flat, float64. */
function gradientAt<T extends Tensor>({ k, stack, x, y, c }: Loaded<T>): Float64Array {
  stack.forward(x, c.batch, 'batch');
  stack.zeroGradients();
  stack.lossBackward(c.loss, y, x, c.batch);
  return flat(stack.parameters.map((p) => k.view(p.grad).subarray(0, p.value.length)));
}

/** The five-point difference of the gradient g along d (one tensor per parameter). */
function gradientDifference(loaded: Loaded<Tensor>, d: Float64Array[]): Float64Array {
  return fivePointDifference(loaded, d, STEP, () => gradientAt(loaded));
}

/** The unit vector e_i as one tensor per parameter. */
function unit(loaded: Loaded<Tensor>, i: number): Float64Array[] {
  let offset = 0;
  return loaded.stack.parameters.map((p) => {
    const t = new Float64Array(p.value.length);
    if (i >= offset && i < offset + t.length) t[i - offset] = 1;
    offset += t.length;
    return t;
  });
}


const size = (loaded: Loaded<Tensor>) => loaded.stack.parameters.reduce((s, p) => s + p.value.length, 0);

describe('layer stacks: H·v in float64', () => {
  const cases = allCases(51);

  it('covers every layer type, both gates, every activation and every loss', () => {
    expect(uncovered(cases)).toEqual([]);
  });

  it(`is within ${FD_TOLERANCE} of central differences of the gradient along v`, () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(12);
    let worst = 0;
    cases.forEach((c, n) => {
      const loaded = load(k, c, 7000 + n);
      const v = randomDirection(rng, loaded.stack);
      const error = relativeError(productOf(loaded, v, 'hessian'), gradientDifference(loaded, v));
      worst = Math.max(worst, error);
      expect(error, label(n, loaded)).toBeLessThanOrEqual(FD_TOLERANCE);
      loaded.stack.dispose();
    });
    console.log(`H·v vs central differences of the gradient: largest relative error ${worst.toExponential(2)} over ${cases.length} stacks`);
  });

  it('built column by column (H·e_i), is symmetric and equals the central-difference Hessian built column by column', () => {
    const k = createRefKernels({ precision: 'f64' });
    let worst = 0;
    fixedCases(new Rng(13)).forEach((c, n) => {
      const loaded = load(k, c, 8300 + n);
      // Each coordinate moves by 2·STEP at most: the oracle needs every kink further away than that.
      expect(kinkDistance(k, loaded.stack, loaded.x, c.batch), `${label(n, loaded)}: a kink within reach of the differences`).toBeGreaterThan(1e-3);
      const columns = Array.from({ length: size(loaded) }, (_, i) => productOf(loaded, unit(loaded, i), 'hessian'));
      const differences = columns.map((_, i) => gradientDifference(loaded, unit(loaded, i)));
      const error = relativeError(flat(columns), flat(differences));
      worst = Math.max(worst, error);
      expect(error, label(n, loaded)).toBeLessThanOrEqual(FD_TOLERANCE);
      let asymmetry = 0;
      let largest = 0;
      columns.forEach((column, i) => column.forEach((h, j) => {
        asymmetry = Math.max(asymmetry, Math.abs(h - columns[j][i]));
        largest = Math.max(largest, Math.abs(h));
      }));
      expect(asymmetry, label(n, loaded)).toBeLessThanOrEqual(1e-12 * Math.max(largest, 1));
      loaded.stack.dispose();
    });
    console.log(`explicit H vs the central-difference Hessian: largest relative error ${worst.toExponential(2)}`);
  });

  it('equals G·v where the remainder Σ ∂C/∂out · ∇²out vanishes: at zero residual (every layer kind and loss), and for outputs linear in θ', () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(14);
    fixedCases(rng).forEach((c, n) => {
      const loaded = load(k, c, 9000 + n);
      // Targets equal to the outputs (cross-entropy's softmax rows sum to 1): every loss's gradient at the output is 0.
      k.write(loaded.y, k.view(loaded.stack.output).slice(0, c.batch * loaded.stack.units));
      expect(Math.hypot(...gradientAt(loaded)), label(n, loaded)).toBeLessThanOrEqual(1e-12);
      const v = randomDirection(rng, loaded.stack);
      const [h, g] = [productOf(loaded, v, 'hessian'), productOf(loaded, v, 'gaussNewton')];
      expect(relativeError(h, g), label(n, loaded)).toBeLessThanOrEqual(1e-12);
      loaded.stack.dispose();
    });
    const linear = (units: number): LayerSpec => ({ type: 'dense', units, activation: 'linear' });
    const linearInParameters = fixedCase(rng, 3, 'mse', [{ type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }, linear(2), { type: 'activation', activation: 'linear' }]);
    const loaded = load(k, linearInParameters, 9100);
    const v = randomDirection(rng, loaded.stack);
    // The output is linear in the dense layer's W and b: their diagonal block of H is G's (v = 0 on layer norm's γ, β, rows of W and b only).
    v[0].fill(0);
    v[1].fill(0);
    const dense = v[0].length + v[1].length;
    const [h, g] = [productOf(loaded, v, 'hessian').subarray(dense), productOf(loaded, v, 'gaussNewton').subarray(dense)];
    expect(relativeError(h, g), 'the dense output layer').toBeLessThanOrEqual(1e-12);
    expect(Math.hypot(...h), 'the dense output layer').toBeGreaterThan(1e-3);
    loaded.stack.dispose();
  });

  it('differs from G·v by what each curved piece adds: f″, weights multiplied together, batch and layer norm, ReZero, a curved output', () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(18);
    const linear = (units: number): LayerSpec => ({ type: 'dense', units, activation: 'linear' });
    const curved: LayerSpec[][] = [
      [linear(3), { type: 'activation', activation: 'tanh' }, linear(2)],
      [linear(3), linear(2)],
      [linear(3), { type: 'batch-norm' }, linear(2)],
      [linear(3), { type: 'layer-norm' }, linear(2)],
      [{ type: 'residual', gate: 'rezero', layers: [linear(3)] }, linear(2)],
      [{ type: 'dense', units: 2, activation: 'sigmoid' }],
    ];
    for (const [n, layers] of curved.entries()) {
      const loaded = load(k, fixedCase(rng, 3, 'mse', layers), 9200 + n);
      const v = randomDirection(rng, loaded.stack);
      const [h, g] = [productOf(loaded, v, 'hessian'), productOf(loaded, v, 'gaussNewton')];
      expect(relativeError(h, g), label(n, loaded)).toBeGreaterThan(1e-3);
      expect(relativeError(h, gradientDifference(loaded, v)), label(n, loaded)).toBeLessThanOrEqual(FD_TOLERANCE);
      loaded.stack.dispose();
    }
  });
});

describe.each(await kernelBackends())('layer stacks: H·v on $name', ({ name, kernels: k }) => {
  it('is symmetric: uᵀ(H·v) = vᵀ(H·u)', () => {
    const rng = new Rng(15);
    const tolerance = k.precision === 'f64' ? 1e-11 : 1e-3;
    allCases(52).forEach((c, n) => {
      const loaded = load(k, c, 9500 + n);
      const [u, v] = [randomDirection(rng, loaded.stack), randomDirection(rng, loaded.stack)];
      const [hu, hv] = [productOf(loaded, u, 'hessian'), productOf(loaded, v, 'hessian')];
      const scale = Math.hypot(...flat(u)) * Math.hypot(...hv) + Math.hypot(...flat(v)) * Math.hypot(...hu);
      expect(Math.abs(dot(flat(u), hv) - dot(flat(v), hu)), `${name} ${label(n, loaded)}`).toBeLessThanOrEqual(tolerance * scale);
      loaded.stack.dispose();
    });
  });

  it('allocates nothing after the first product', () => {
    expect(allocatingAfterFirstProduct(k, 'hessian', new Rng(16), 9600)).toEqual([]);
  });
});

describe.each(await kernelBackends())('layer stacks: repeated H·v on $name', ({ name, kernels: k }) => {
  /** One operator's products, flat, as the loaded stack stands (its forward already run). */
  const productsOf = (product: StackHessian, loaded: Loaded<Tensor>, vector: Tensor[], out: Tensor[]) => {
    product.apply(out, vector, loaded.x, loaded.y, loaded.c.batch);
    return flat(out.map((t, i) => k.view(t).slice(0, vector[i].length)));
  };

  it('runs the loss backward once while nothing moves, and again after moved weights and a forward, a gradient, a G·v, new targets or fewer rows, each product the bits of a new operator', () => {
    const rng = new Rng(19);
    for (const c of fixedCases(new Rng(20))) {
      const loaded = load(k, c, 9800) as Loaded<Tensor>;
      const { stack, x, y } = loaded;
      const lengths = stack.parameters.map((p) => p.value.length);
      const [u, w, out] = [allocVector(k, lengths), allocVector(k, lengths), allocVector(k, lengths)];
      for (const t of [u, w]) t.forEach((tensor, i) => k.write(tensor, randomDirection(rng, stack)[i]));
      const kept = new StackHessian(k, stack, c.loss);
      const gaussNewton = new StackGaussNewton(k, stack, c.loss);
      const backward = vi.spyOn(stack, 'lossBackward');
      const context = `${name} ${JSON.stringify(c.specs)}`;
      /** The kept operator's product along d, then a new operator's on the same state: the same bits; the loss backward ran `runs` times for the first. */
      const expectFresh = (d: Tensor[], runs: number, after: string) => {
        backward.mockClear();
        const got = productsOf(kept, loaded, d, out);
        expect(backward.mock.calls.length, `${context}: backward runs ${after}`).toBe(runs);
        const fresh = new StackHessian(k, stack, c.loss);
        expect(productsOf(fresh, loaded, d, out), `${context}: ${after}`).toEqual(got);
        fresh.dispose();
        // The new operator's backward is a pass: the kept one must not reuse across it.
        backward.mockClear();
        expect(productsOf(kept, loaded, d, out), `${context}: again ${after}`).toEqual(got);
        expect(backward.mock.calls.length, `${context}: after another operator's backward`).toBe(1);
      };
      expectFresh(u, 1, 'first product');
      backward.mockClear();
      productsOf(kept, loaded, w, out);
      productsOf(kept, loaded, u, out);
      expect(backward.mock.calls.length, `${context}: repeated products`).toBe(0);
      const first = stack.parameters[0];
      k.write(first.value, Array.from(k.view(first.value).subarray(0, first.length), (p) => Math.fround(1.5 * p + 0.125)));
      stack.forward(x, c.batch, 'batch');
      expectFresh(w, 1, 'moved weights and a forward');
      stack.zeroGradients();
      stack.lossBackward(c.loss, y, x, c.batch);
      expectFresh(u, 1, 'a gradient');
      gaussNewton.apply(out, w, x, y, c.batch);
      expectFresh(u, 1, 'a G·v');
      // Targets moved in place (the same tensor), with no pass in between.
      const targets = Float64Array.from(k.view(y).subarray(0, c.batch * stack.units));
      k.write(y, targets.map((t, i) => (i === 1 ? Math.fround(t + 2 ** -20) : t)));
      expectFresh(u, 1, 'new targets');
      k.write(y, targets);
      expectFresh(w, 1, 'the targets put back');
      stack.forward(x, c.batch - 1, 'batch');
      const fewer = { ...loaded, c: { ...c, batch: c.batch - 1 } };
      backward.mockClear();
      kept.apply(out, u, x, y, c.batch - 1);
      expect(backward.mock.calls.length, `${context}: fewer rows`).toBe(1);
      const fresh = new StackHessian(k, stack, c.loss);
      expect(productsOf(fresh, fewer, u, out)).toEqual(productsOf(kept, fewer, u, out));
      backward.mockRestore();
      fresh.dispose();
      kept.dispose();
      gaussNewton.dispose();
      for (const t of [u, w, out]) freeVector(k, t);
      stack.dispose();
    }
  });
});

describe.each(await backendsUnderTest())('layer stacks: H·v on $name against float64', ({ name, kernels: k }) => {
  it(`is within ${PARITY_TOLERANCE} of the float64 reference (relative error of the whole vector)`, () => {
    const worst = expectFloat64Parity(k, name, 'hessian', PARITY_TOLERANCE, { cases: 53, directions: 17, load: 9700 });
    console.log(`H·v on ${name} vs float64: largest relative error ${worst.toExponential(2)}`);
  });
});
