// Gauss-Newton products by the R-operator against G·v built explicitly in float64 from
// central-difference Jacobians of the output layer's z and the loss's own curvature H_L:
// (1/m)·Σ_x J_xᵀ·H_x·J_x·v. Every loss, every activation, on small random networks.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES, type Kernels, type Loss } from '../../src/kernels.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { GaussNewtonProduct } from '../../src/optim/gauss-newton.js';
import { allocVector, freeVector, parameterLengths } from '../../src/optim/param-vector.js';
import { backendsUnderTest } from '../util/backends.js';
import { relativeError } from '../util/close.js';
import { lossCurvatureTimes } from '../util/loss-curvature-oracle.js';
import { randomCase, unnormalisedTargets, type RandomCase } from '../util/random-network.js';
import { denseModelOf } from '../../src/model.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

const STEP = 1e-5;
const CASES = 12;
const LIMITS = { maxDepth: 3, maxWidth: 5, maxBatch: 4 };

/** Loads the rows of c (inputs and targets: cross-entropy's curvature scales by each row's Σy) into the network and runs the forward pass. */
function load(net: Network, c: RandomCase): void {
  const k = net.kernels;
  denseModelOf(net, 'test').ensureCapacity(c.x.length);
  k.write(denseModelOf(net, 'test').activations[0], c.x.flat());
  k.write(denseModelOf(net, 'test').targets, c.y.flat());
  denseModelOf(net, 'test').feedforward(c.x.length);
}

/** The network's G·v by the R-operator, as float64 arrays per parameter tensor. */
function gaussNewton(net: Network, c: RandomCase, v: Float64Array[]): Float64Array[] {
  const k = net.kernels;
  load(net, c);
  const lengths = parameterLengths(denseModelOf(net, 'test'));
  const vector = allocVector(k, lengths);
  const out = allocVector(k, lengths);
  vector.forEach((t, i) => k.write(t, v[i]));
  const product = new GaussNewtonProduct(denseModelOf(net, 'test'), c.x.length);
  product.apply(out, vector, c.x.length);
  const result = out.map((t) => Float64Array.from(k.view(t)));
  product.dispose();
  freeVector(k, vector);
  freeVector(k, out);
  return result;
}

/** The explicit (1/m)·Σ_x J_xᵀ·H_x·J_x·v on the float64 reference. */
function explicitGaussNewton(net: Network<Float64Array>, c: RandomCase, v: Float64Array[]): Float64Array[] {
  const k = net.kernels;
  const m = c.x.length;
  const L = net.depth;
  const n = net.outputSize;
  const outputZ = () => {
    load(net, c);
    return Float64Array.from(k.view(denseModelOf(net, 'test').zs[L - 1]).subarray(0, m * n));
  };
  // J·v column by column of J: Σ_p (∂z/∂θ_p)·v_p
  const jv = new Float64Array(m * n);
  const params = net.parameters();
  const columns: Float64Array[][] = params.map((p) => {
    const values = k.view(p.value);
    return Array.from({ length: p.length }, (_, i) => {
      const saved = values[i];
      values[i] = saved + STEP;
      const plus = outputZ();
      values[i] = saved - STEP;
      const minus = outputZ();
      values[i] = saved;
      return plus.map((zp, r) => (zp - minus[r]) / (2 * STEP));
    });
  });
  columns.forEach((tensor, t) => tensor.forEach((column, i) => column.forEach((d, r) => (jv[r] += d * v[t][i]))));
  // H_L·(J·v) per sample, from z and a at θ
  const z = outputZ();
  const a = Float64Array.from(k.view(denseModelOf(net, 'test').activations[L]).subarray(0, m * n));
  const hjv = lossCurvatureTimes(net.loss, net.activationFunctions[L - 1], z, a, c.y.flat(), jv, m, n);
  // Jᵀ·(H·J·v)/m
  return columns.map((tensor) => Float64Array.from(tensor, (column) => column.reduce((sum, d, r) => sum + d * hjv[r], 0) / m));
}

function randomVector(rng: Rng, lengths: number[]): Float64Array[] {
  return lengths.map((n) => Float64Array.from({ length: n }, () => rng.normal()));
}

// docs/second-order.md quotes the largest errors these tests measure; each test compares its own with the page's.
const PAGE = 'docs/second-order.md';
/** The page's largest float64 error per loss: "**4.2·10⁻¹⁰** (MSE), **2.3·10⁻¹⁰** (cross-entropy) and **4.9·10⁻¹¹** (binary cross-entropy)". */
const quotedExplicitError = (loss: Loss) => {
  const [mse, crossEntropy, binary] = quotedOn(PAGE, /for every loss and every activation: largest relative error \*\*(\S+)\*\* \(MSE\), \*\*(\S+)\*\* \(cross-entropy\) and \*\*(\S+)\*\* \(binary cross-entropy\)/);
  return { mse, 'cross-entropy': crossEntropy, 'binary-cross-entropy': binary }[loss];
};
/** The page's largest error against float64 of a backend ("the wasm backends … to **4.6·10⁻⁷** and ref-f32 to **1.4·10⁻⁷**"); the relaxed-SIMD binary's rounding is the engine's and the CPU's, held to the bound alone. */
const quotedBackendError = (name: string) => {
  const [wasm, refF32] = quotedOn(PAGE, /The wasm backends \(simd, scalar, scalar binary\) agree with the float64 product to \*\*(\S+)\*\* and ref-f32 to \*\*(\S+)\*\* \(bound 1e-4\)/);
  return ({ 'wasm-simd': wasm, 'wasm-scalar': wasm, 'wasm-scalar-binary': wasm, 'ref-f32': refF32 } as Record<string, string>)[name];
};

function flat(tensors: Float64Array[]): Float64Array {
  return Float64Array.from(tensors.flatMap((t) => Array.from(t)));
}

describe.each(LOSSES)('Gauss-Newton product, %s', (loss: Loss) => {
  it('equals the explicit Jᵀ·H_L·J·v in float64 (relative error ≤ 1e-8)', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const rng = new Rng(101 + LOSSES.indexOf(loss));
    let worst = 0;
    const seen = new Set<string>();
    for (let n = 0; n < CASES; n++) {
      const c = randomCase(rng, LIMITS, loss);
      if (loss === 'cross-entropy' && n % 2 === 1) c.y = unnormalisedTargets(rng, c.y.length, c.y[0].length);
      c.options.layers!.forEach((layer) => seen.add(layer.activation!));
      const net = (await createNetwork({ ...c.options, backend: kernels })) as unknown as Network<Float64Array>;
      const v = randomVector(rng, parameterLengths(denseModelOf(net as unknown as Network, 'test')));
      const want = flat(explicitGaussNewton(net, c, v));
      const got = flat(gaussNewton(net as unknown as Network, c, v));
      net.dispose();
      const error = relativeError(got, want);
      worst = Math.max(worst, error);
      expect(error, `network ${n} ${JSON.stringify(c.options.layers)}`).toBeLessThanOrEqual(1e-8);
    }
    console.log(`Gv vs explicit, ${loss}: largest relative error ${worst.toExponential(2)}; activations seen ${[...seen].join(', ')}`);
    expect(seen.size).toBeGreaterThanOrEqual(4);
    const quoted = quotedExplicitError(loss);
    expect(quoted, `${PAGE}'s largest error for ${loss}`).toBe(asWritten(quoted, worst));
  });

  it('is symmetric positive semi-definite: uᵀ(G·v) = vᵀ(G·u), vᵀ(G·v) ≥ 0', async () => {
    const kernels = createRefKernels({ precision: 'f64' });
    const rng = new Rng(301 + LOSSES.indexOf(loss));
    for (let n = 0; n < CASES; n++) {
      const c = randomCase(rng, { maxDepth: 4, maxWidth: 8, maxBatch: 8 }, loss);
      const net = await createNetwork({ ...c.options, backend: kernels });
      const lengths = parameterLengths(denseModelOf(net, 'test'));
      const u = randomVector(rng, lengths);
      const v = randomVector(rng, lengths);
      const gu = flat(gaussNewton(net, c, u));
      const gv = flat(gaussNewton(net, c, v));
      net.dispose();
      const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, xi, i) => s + xi * y[i], 0);
      const uGv = dot(flat(u), gv);
      expect(Math.abs(uGv - dot(flat(v), gu))).toBeLessThanOrEqual(1e-10 * (Math.abs(uGv) + 1e-12) + 1e-14);
      expect(dot(flat(v), gv)).toBeGreaterThanOrEqual(-1e-12);
    }
  });
});

describe.each(await backendsUnderTest())('Gauss-Newton product on $name', ({ name, kernels }: { name: string; kernels: Kernels }) => {
  it('matches the float64 reference (relative error ≤ 1e-4)', async () => {
    const oracle = createRefKernels({ precision: 'f64' });
    const rng = new Rng(17);
    let worst = 0;
    for (let n = 0; n < 40; n++) {
      const loss = LOSSES[n % LOSSES.length];
      const c = randomCase(rng, { maxDepth: 5, maxWidth: 40, maxBatch: 33 }, loss);
      const net = await createNetwork({ ...c.options, backend: kernels });
      const ref = await createNetwork({ ...c.options, backend: oracle });
      const v = randomVector(rng, parameterLengths(denseModelOf(ref, 'test')));
      const got = flat(gaussNewton(net, c, v));
      const want = flat(gaussNewton(ref, c, v));
      net.dispose();
      ref.dispose();
      const error = relativeError(got, want);
      worst = Math.max(worst, error);
      expect(error, `network ${n} (${loss}) ${JSON.stringify(c.options.layers)}`).toBeLessThanOrEqual(1e-4);
    }
    console.log(`Gv on ${name} vs float64: largest relative error ${worst.toExponential(2)}`);
    const quoted = quotedBackendError(name);
    if (name === 'wasm-simd-relaxed') expect(quoted).toBeUndefined();
    else expect(quoted, `${PAGE}'s largest error on ${name}`).toBe(asWritten(quoted, worst));
  });
});
