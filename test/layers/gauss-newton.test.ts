/**
 * Gauss-Newton products G·v = Jᵀ·H_L·J·v of layer stacks (src/layers/gauss-newton.ts) through the
 * R-operator of every layer: R{z} = J·v of the loss's input against central differences of the
 * float64 reference along v; G·v against Jᵀ·H_L·J·v built from a central-difference Jacobian; the
 * R-pass and the backward pass as each other's adjoints; every backend against float64; the same
 * bits as the dense Model's product on chains of dense layers; no allocation after the first product.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS, LOSSES, type OutputActivation, type Tensor } from '../../src/kernels.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs } from '../../src/layers/spec.js';
import { denseModelOf } from '../../src/model.js';
import { GaussNewtonProduct } from '../../src/optim/gauss-newton.js';
import { allocVector, freeVector } from '../../src/optim/param-vector.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest, kernelBackends, tensorOf } from '../util/backends.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';
import {
  allCases, allocatingAfterFirstProduct, dot, expectFloat64Parity, fivePointDifference, flat, load, productOf, randomDirection, uncovered, type Loaded,
} from '../util/block-stacks.js';
import { relativeError } from '../util/close.js';
import { lossCurvatureTimes } from '../util/loss-curvature-oracle.js';
import type { BlockCase } from '../util/random-blocks.js';

/** Five-point central differences (error O(h⁴)), as the stacks' gradient test: normalisation over a small spread has large higher derivatives. */
const STEP = 1e-4;
/** Float64 R-operator and G·v against their finite-difference oracles (relative error of the whole vector; measured 2.3e-11 at most, 2026-11-30). */
const FD_TOLERANCE = 1e-8;
/** Every backend's G·v against the float64 reference (relative error of the whole vector; measured 3.0e-6 at most on wasm, 2026-11-30). */
const PARITY_TOLERANCE = 1e-4;

/** The loss input z (`[batch][n]`) of a forward pass, as float64. */
function lossInputAt<T extends Tensor>({ k, stack, x, c }: Loaded<T>): Float64Array {
  stack.forward(x, c.batch, 'batch');
  return Float64Array.from(k.view(stack.lossInput(x)).subarray(0, c.batch * stack.units));
}

/** R{z} = J·v at the loss's input by the R-operator (zeros when nothing before it has parameters). */
function jacobianTimes<T extends Tensor>({ k, stack, x, c }: Loaded<T>, v: Float64Array[]): Float64Array {
  const vector = v.map((values) => tensorOf(k, values) as T);
  stack.rForward(null, vector, 0, x, c.batch);
  const rz = stack.rLossInput;
  const result = rz ? Float64Array.from(k.view(rz).subarray(0, c.batch * stack.units)) : new Float64Array(c.batch * stack.units);
  vector.forEach((t) => k.free(t));
  return result;
}

/** ∂z/∂θ along v by five-point central differences (fivePointDifference), the stack's buffers refreshed at θ after. */
function directionalDifference(loaded: Loaded<Tensor>, v: Float64Array[]): Float64Array {
  const difference = fivePointDifference(loaded, v, STEP, () => lossInputAt(loaded));
  lossInputAt(loaded);
  return difference;
}

/** Jᵀ·H_L·J·v/m with J (`[batch·n]` per parameter) from five-point central differences, in float64. */
function explicitGaussNewton(loaded: Loaded<Tensor>, v: Float64Array[]): Float64Array[] {
  const { k, stack, c } = loaded;
  const columns = stack.parameters.map((p) => {
    const values = k.view(p.value);
    return Array.from({ length: values.length }, (_, i) => {
      const saved = values[i];
      const at = (offset: number) => {
        values[i] = saved + offset * STEP;
        return lossInputAt(loaded);
      };
      const [p1, m1, p2, m2] = [at(1), at(-1), at(2), at(-2)];
      values[i] = saved;
      return p1.map((_, r) => (8 * (p1[r] - m1[r]) - (p2[r] - m2[r])) / (12 * STEP));
    });
  });
  const n = stack.units;
  const jv = new Float64Array(c.batch * n);
  columns.forEach((tensor, t) => tensor.forEach((column, i) => column.forEach((d, r) => (jv[r] += d * v[t][i]))));
  const z = lossInputAt(loaded);
  const a = Float64Array.from(k.view(stack.output).subarray(0, c.batch * n));
  const hjv = lossCurvatureTimes(c.loss, stack.outputActivation, z, a, c.y, jv, c.batch, n);
  return columns.map((tensor) => Float64Array.from(tensor, (column) => dot(column, hjv) / c.batch));
}

// docs/second-order.md quotes the largest errors these tests measure; each test compares its own with the page's.
const PAGE = 'docs/second-order.md';
function expectQuoted(pattern: RegExp, measured: number): void {
  const [quoted] = quotedOn(PAGE, pattern);
  expect(quoted, `${PAGE}: ${pattern.source}`).toBe(asWritten(quoted, measured));
}

describe('layer stacks: the R-operator and G·v in float64', () => {
  const cases = allCases(41);

  it('covers every layer type, both gates, every activation and every loss', () => {
    expect(uncovered(cases)).toEqual([]);
  });

  it(`gives R{z} = J·v within ${FD_TOLERANCE} of central differences along v`, () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(5);
    let worst = 0;
    cases.forEach((c, n) => {
      const loaded = load(k, c, 1000 + n);
      const v = randomDirection(rng, loaded.stack);
      const want = directionalDifference(loaded, v);
      const error = relativeError(jacobianTimes(loaded, v), want);
      worst = Math.max(worst, error);
      expect(error, `stack ${n} (${c.loss}) ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(FD_TOLERANCE);
      loaded.stack.dispose();
    });
    console.log(`R{z} vs central differences: largest relative error ${worst.toExponential(2)} over ${cases.length} stacks`);
    expectQuoted(/R\{z\} = J·v against five-point central differences along v, largest relative error \*\*(\S+)\*\*;/, worst);
  });

  it(`gives G·v within ${FD_TOLERANCE} of Jᵀ·H_L·J·v from a central-difference Jacobian`, () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(6);
    let worst = 0;
    cases.forEach((c, n) => {
      const loaded = load(k, c, 2000 + n);
      const v = randomDirection(rng, loaded.stack);
      const want = flat(explicitGaussNewton(loaded, v));
      const got = productOf(loaded, v, 'gaussNewton');
      const error = relativeError(got, want);
      worst = Math.max(worst, error);
      expect(error, `stack ${n} (${c.loss}) ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(FD_TOLERANCE);
      loaded.stack.dispose();
    });
    console.log(`G·v vs explicit Jᵀ·H_L·J·v: largest relative error ${worst.toExponential(2)} over ${cases.length} stacks`);
    expectQuoted(/G·v against Jᵀ·H_L·J·v from a central-difference Jacobian, \*\*(\S+)\*\* \(bound 1e-8\)/, worst);
  });

  it('is symmetric positive semi-definite: uᵀ(G·v) = vᵀ(G·u), vᵀ(G·v) ≥ 0', () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(7);
    cases.forEach((c, n) => {
      const loaded = load(k, c, 3000 + n);
      const [u, v] = [randomDirection(rng, loaded.stack), randomDirection(rng, loaded.stack)];
      const [gu, gv] = [productOf(loaded, u, 'gaussNewton'), productOf(loaded, v, 'gaussNewton')];
      const uGv = dot(flat(u), gv);
      expect(Math.abs(uGv - dot(flat(v), gu)), `stack ${n}`).toBeLessThanOrEqual(1e-10 * (Math.abs(uGv) + 1e-12));
      expect(dot(flat(v), gv), `stack ${n}`).toBeGreaterThanOrEqual(-1e-12);
      loaded.stack.dispose();
    });
  });
});

describe.each(await kernelBackends())('layer stacks: G·v on $name', ({ name, kernels: k }) => {
  it('runs the R-pass as the adjoint of the backward pass: ⟨J·v, u⟩ = ⟨v, Jᵀ·u⟩', () => {
    const rng = new Rng(8);
    const tolerance = k.precision === 'f64' ? 1e-12 : 1e-4;
    allCases(43).forEach((c, n) => {
      const loaded = load(k, c, 4000 + n);
      const { stack, x } = loaded;
      const v = randomDirection(rng, stack);
      const u = Float64Array.from({ length: c.batch * stack.units }, () => Math.fround(rng.normal()));
      const jv = jacobianTimes(loaded, v);
      const seed = tensorOf(k, u);
      stack.zeroGradients();
      stack.lossInputBackward(seed, null, x, c.batch);
      const jtu = flat(stack.parameters.map((p) => k.view(p.grad)));
      k.free(seed);
      const scale = Math.hypot(...jv) * Math.hypot(...u) + Math.hypot(...flat(v)) * Math.hypot(...jtu);
      expect(Math.abs(dot(jv, u) - dot(flat(v), jtu)), `${name} stack ${n} ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(tolerance * scale);
      stack.dispose();
    });
  });

  it('allocates nothing after the first product', () => {
    expect(allocatingAfterFirstProduct(k, 'gaussNewton', new Rng(9), 5000)).toEqual([]);
  });
});

describe.each(await backendsUnderTest())('layer stacks: G·v on $name against float64', ({ name, kernels: k }) => {
  it(`is within ${PARITY_TOLERANCE} of the float64 reference (relative error of the whole vector)`, () => {
    const worst = expectFloat64Parity(k, name, 'gaussNewton', PARITY_TOLERANCE, { cases: 44, directions: 10, load: 6000 });
    console.log(`G·v on ${name} vs float64: largest relative error ${worst.toExponential(2)}`);
    const [wasm, refF32] = quotedOn(PAGE, /wasm-simd and wasm-scalar \(both binaries\) within \*\*(\S+)\*\* and ref-f32 within \*\*(\S+)\*\* of the float64 product \(bound 1e-4\), relaxed SIMD within the bound/);
    // The relaxed-SIMD binary's multiply-adds are fused or not as the engine and the CPU choose: held to the bound alone.
    if (name !== 'wasm-simd-relaxed') {
      const quoted = name === 'ref-f32' ? refF32 : wasm;
      expect(quoted, `${PAGE}: G·v on ${name}`).toBe(asWritten(quoted, worst));
    }
  });
});

describe.each(await kernelBackends())('a chain of dense layers on $name', ({ name, kernels: k }) => {
  it("gives the dense Model's G·v bit for bit", async () => {
    const rng = new Rng(11);
    for (let n = 0; n < 12; n++) {
      const loss = LOSSES[n % LOSSES.length];
      const inputs = 2 + rng.below(6);
      const hidden = Array.from({ length: rng.below(3) }, () => ({ units: 1 + rng.below(7), activation: ACTIVATIONS[rng.below(ACTIVATIONS.length)] as OutputActivation }));
      const output: OutputActivation = loss === 'cross-entropy' ? 'softmax' : loss === 'binary-cross-entropy' ? 'sigmoid' : ACTIVATIONS[rng.below(ACTIVATIONS.length)];
      const layers = [...hidden, { units: 2 + rng.below(3), activation: output }];
      const batch = 1 + rng.below(9);
      const net = await createNetwork({ inputs, layers, loss, backend: k, seed: n, biasInit: { name: 'normal', std: 0.5 } });
      const model = denseModelOf(net, 'test');
      const x = Float64Array.from({ length: batch * inputs }, () => Math.fround(rng.normal()));
      // cross-entropy rows not summing to 1, which scale its curvature by Σy
      const y = Float64Array.from({ length: batch * model.outputSize }, () => Math.fround(loss === 'mse' ? rng.normal() : rng.uniform()));
      model.ensureCapacity(batch);
      k.write(model.activations[0], x);
      k.write(model.targets!, y);
      model.feedforward(batch);
      const lengths = model.parameters().map((p) => p.length);
      const v = lengths.map((length) => Float64Array.from({ length }, () => Math.fround(rng.normal())));
      const [vector, out] = [allocVector(k, lengths), allocVector(k, lengths)];
      vector.forEach((t, i) => k.write(t, v[i]));
      const dense = new GaussNewtonProduct(model, batch);
      dense.apply(out, vector, batch);
      const want = flat(out.map((t, i) => k.view(t).subarray(0, lengths[i])));
      dense.dispose();
      freeVector(k, vector);
      freeVector(k, out);

      const specs = checkLayerSpecs(layers.map((l) => ({ type: 'dense', ...l })), inputs);
      const stack = buildSequential(k, specs, inputs, new Rng(0), { capacity: batch });
      stack.parameters.forEach((p, i) => k.write(p.value, k.view(i % 2 === 0 ? model.weights[i >> 1] : model.biases[i >> 1]).slice()));
      const [xs, ys] = [tensorOf(k, x), tensorOf(k, y)];
      const got = productOf({ k, stack, x: xs, y: ys, c: { loss, batch } as BlockCase }, v, 'gaussNewton');
      expect(got, `${name} network ${n} ${JSON.stringify(layers)} (${loss})`).toEqual(want);
      stack.dispose();
      k.free(xs);
      k.free(ys);
      net.dispose();
    }
  });
});
