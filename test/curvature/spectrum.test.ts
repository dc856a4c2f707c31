// Lanczos and the trace against a dense float64 eigendecomposition (Jacobi) of the explicit
// Hessian and Gauss-Newton matrices of networks of at most 300 parameters: within 1e-6 of max|λ|
// on the ref backend and 1e-2 on wasm, for the whole network and every layer's diagonal block.
import { describe, expect, it } from 'vitest';
import { measureCurvature, type CurvatureReport } from '../../src/curvature/curvature.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import { CurvatureOperators, type LinearOperator } from '../../src/curvature/operators.js';
import { traceOf } from '../../src/curvature/matrix-trace.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { backendsUnderTest } from '../util/backends.js';
import { explicitMatrix, jacobiEigenvalues } from '../util/jacobi.js';
import { randomCase, type RandomCase } from '../util/random-network.js';

const K = 4;

function block(matrix: Float64Array[], offset: number, length: number): Float64Array[] {
  return matrix.slice(offset, offset + length).map((column) => column.slice(offset, offset + length));
}

interface Expected {
  values: Float64Array;
  trace: number;
  /** Σ_{λ<0} |λ| / Σ |λ| over every eigenvalue. */
  negativeMass: number;
}
function expectedOf(matrix: Float64Array[]): Expected {
  const values = jacobiEigenvalues(matrix);
  const mass = (keep: (x: number) => boolean) => values.reduce((s, x) => s + (keep(x) ? Math.abs(x) : 0), 0);
  return { values, trace: matrix.reduce((s, column, i) => s + column[i], 0), negativeMass: mass((x) => x < 0) / mass(() => true) };
}

/** Every eigenvalue was found (n ≤ maxSteps), so the negative mass is exact, not a one-probe estimate. */
function expectExactNegativeMass(got: { negativeMass: number; negativeMassExact: boolean }, want: Expected, tolerance: number, label: string): void {
  expect(got.negativeMassExact, label).toBe(true);
  expect(Math.abs(got.negativeMass - want.negativeMass), `${label}: negative mass ${got.negativeMass} vs ${want.negativeMass}`).toBeLessThanOrEqual(tolerance);
}

function expectAgreement(
  got: { largest: number[]; smallest?: number[]; trace: number },
  want: Expected,
  tolerance: number,
  label: string,
): void {
  const n = want.values.length;
  const top = Math.max(Math.abs(want.values[0]), Math.abs(want.values[n - 1]), 1e-300);
  const k = got.largest.length;
  const largest = Array.from({ length: k }, (_, i) => want.values[n - 1 - i]);
  const worst = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
  expect(worst(got.largest, largest) / top, `${label}: largest ${got.largest} vs ${largest}`).toBeLessThanOrEqual(tolerance);
  if (got.smallest) {
    const smallest = Array.from({ length: k }, (_, i) => want.values[i]);
    expect(worst(got.smallest, smallest) / top, `${label}: smallest ${got.smallest} vs ${smallest}`).toBeLessThanOrEqual(tolerance);
  }
  expect(Math.abs(got.trace - want.trace) / top, `${label}: trace ${got.trace} vs ${want.trace}`).toBeLessThanOrEqual(tolerance);
}

/** Networks of 10..300 parameters: random shapes, activations and losses, plus a fixed 263-parameter one. */
function cases(): RandomCase[] {
  const rng = new Rng(5);
  const out: RandomCase[] = [];
  while (out.length < 5) {
    const c = randomCase(rng, { maxDepth: 3, maxWidth: 9, maxBatch: 12 });
    const sizes: number[] = [c.options.inputs!, ...c.options.layers!.map((layer) => layer.units)];
    const parameters = sizes.slice(1).reduce((sum, units, l) => sum + units * (sizes[l] + 1), 0);
    if (parameters >= 10 && parameters <= 300) out.push(c);
  }
  const big = randomCase(rng, { maxDepth: 1, maxWidth: 2, maxBatch: 16 }, 'cross-entropy');
  big.options = { ...big.options, inputs: 10, layers: [{ units: 12, activation: 'tanh' }, { units: 8, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }] };
  big.x = Array.from({ length: 16 }, () => Array.from({ length: 10 }, () => rng.normal()));
  big.y = Array.from({ length: 16 }, () => {
    const label = rng.below(3);
    return [0, 1, 2].map((j) => (j === label ? 1 : 0)); // one-hot (a draw per j gave rows of zeros, or two ones)
  });
  return [...out, big];
}

interface Oracle {
  hessian: Expected;
  gaussNewton: Expected;
  layers: { hessian: Expected; gaussNewton: Expected }[];
}

/** The dense float64 spectra of a case, computed once and shared by every backend. */
const oracles = new Map<RandomCase, Promise<Oracle>>();
function oracleOf(c: RandomCase): Promise<Oracle> {
  if (!oracles.has(c)) {
    oracles.set(c, (async () => {
      const ref = await createNetwork({ ...c.options, backend: 'ref' });
      const ops = new CurvatureOperators(ref, c.x, c.y);
      const [h, g] = [explicitMatrix(ops.hessian!, ops.size), explicitMatrix(ops.gaussNewton, ops.size)];
      const oracle = {
        hessian: expectedOf(h),
        gaussNewton: expectedOf(g),
        layers: ops.blocks.map((b) => ({ hessian: expectedOf(block(h, b.offset, b.length)), gaussNewton: expectedOf(block(g, b.offset, b.length)) })),
      };
      ops.dispose();
      ref.dispose();
      return oracle;
    })());
  }
  return oracles.get(c)!;
}

async function check(c: RandomCase, net: Network, tolerance: number): Promise<CurvatureReport> {
  const oracle = await oracleOf(c);
  const report = measureCurvature(net, c.x, c.y, { k: K });
  const label = `${net.kernels.name} sizes ${JSON.stringify(net.sizes)} ${net.activationFunctions.join('/')} ${net.loss}`;
  expectAgreement(report.hessian!, oracle.hessian, tolerance, `${label} H`);
  expectExactNegativeMass(report.hessian!, oracle.hessian, tolerance, `${label} H`);
  expectAgreement(report.gaussNewton, oracle.gaussNewton, tolerance, `${label} G`);
  oracle.layers.forEach((layer, l) => {
    expectAgreement(report.layers[l].hessian!, layer.hessian, tolerance, `${label} H layer ${l}`);
    expectExactNegativeMass(report.layers[l].hessian!, layer.hessian, tolerance, `${label} H layer ${l}`);
    expectAgreement(report.layers[l].gaussNewton, layer.gaussNewton, tolerance, `${label} G layer ${l}`);
  });
  return report;
}

const wasmBackends = (await backendsUnderTest()).filter((b) => b.name.startsWith('wasm'));

const CASES = cases();

describe('curvature spectrum against a dense eigendecomposition', () => {
  it.each(CASES)('ref: extreme eigenvalues and traces within 1e-6 of max|λ| (case %#)', async (c) => {
    const net = await createNetwork({ ...c.options, backend: 'ref' });
    const report = await check(c, net, 1e-6);
    expect(report.traceExact).toBe(true);
    expect(report.hessian!.converged).toBe(true);
    net.dispose();
  });

  it.each(wasmBackends)('$name: within 1e-2 of max|λ|', async ({ kernels }) => {
    for (const c of CASES) {
      const net = await createNetwork({ ...c.options, backend: kernels });
      await check(c, net, 1e-2);
      net.dispose();
    }
  });
});

describe('Lanczos and Hutchinson beyond the exact regime', () => {
  // A diagonal operator of known spectrum, 1500 dimensions: Lanczos must stop early, converged.
  const n = 1500;
  const rng = new Rng(9);
  const diagonal = Float64Array.from({ length: n }, (_, i) => (i < 3 ? -5 + i : rng.uniformIn(-1, 10)));
  diagonal[7] = 30;
  const operator: LinearOperator = (out, v) => {
    for (let i = 0; i < n; i++) out[i] = diagonal[i] * v[i];
  };
  const sorted = Float64Array.from(diagonal).sort();

  it('finds the extreme eigenvalues in fewer than n steps', () => {
    const result = lanczos(operator, n, { k: 2, maxSteps: 400, vectors: true });
    expect(result.steps).toBeLessThan(400);
    expect(result.converged).toBe(true);
    expect(result.largest[0]).toBeCloseTo(30, 8);
    expect(result.smallest).toEqual([expect.closeTo(sorted[0], 8), expect.closeTo(sorted[1], 8)]);
    // the Ritz vector of −5 is ±e_0
    expect(Math.abs(result.smallestVector![0])).toBeCloseTo(1, 6);
    // Stopped early: the negative mass is the one-probe quadrature estimate, and says so.
    expect(result.negativeMassExact).toBe(false);
    expect(result.negativeMass).toBeGreaterThan(0);
  });

  it('Hutchinson: the estimate lies within 4 standard errors, per block too', () => {
    const blocks = [
      { layer: 0, offset: 0, length: 500 },
      { layer: 1, offset: 500, length: 1000 },
    ];
    const result = traceOf(operator, n, blocks, { probes: 30, exactLimit: 1000 });
    expect(result.exact).toBe(false);
    // A diagonal matrix: zᵀAz = Σ a_ii z_i² = tr A for every Rademacher z, so the error is 0.
    expect(result.trace).toBeCloseTo(diagonal.reduce((s, x) => s + x, 0), 8);
    expect(result.standardError).toBeLessThan(1e-9);
    // A dense one: the off-diagonal terms make the estimate noisy but unbiased.
    const u = Float64Array.from({ length: n }, () => rng.normal());
    const dense: LinearOperator = (out, v) => {
      let projection = 0;
      for (let i = 0; i < n; i++) projection += u[i] * v[i];
      for (let i = 0; i < n; i++) out[i] = diagonal[i] * v[i] + u[i] * projection;
    };
    const noisy = traceOf(dense, n, blocks, { probes: 200, exactLimit: 1000 });
    const want = diagonal.reduce((s, x, i) => s + x + u[i] * u[i], 0);
    expect(noisy.standardError).toBeGreaterThan(0);
    expect(Math.abs(noisy.trace - want)).toBeLessThan(4 * noisy.standardError);
    const firstBlock = diagonal.subarray(0, 500).reduce((s, x, i) => s + x + u[i] * u[i], 0);
    expect(Math.abs(noisy.blocks[0].trace - firstBlock)).toBeLessThan(4 * noisy.blocks[0].standardError);
  });
});
