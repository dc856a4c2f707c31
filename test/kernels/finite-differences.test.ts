/**
 * Every backward kernel of the blocks (batch norm in training mode, layer norm, SELU, the skip
 * connection, the ReZero gate) on the float64 oracle against central differences of its own
 * forward kernel: L = Σ c ⊙ y for a random cotangent c, so backward(dy = c) must be ∂L/∂input.
 * This checks the oracle by something independent of its backward formulas.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { relativeError } from '../util/close.js';

const k = createRefKernels({ precision: 'f64' });
const STEP = 1e-5;
const TOLERANCE = 1e-7;

const normals = (rng: Rng, n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

/** ∂(Σ c ⊙ forward())/∂input by central differences, perturbing `input` in place. */
function numericGradient(input: Float64Array, c: Float64Array, forward: () => Float64Array): Float64Array {
  const grad = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const saved = input[i];
    input[i] = saved + STEP;
    const plus = dot(c, forward());
    input[i] = saved - STEP;
    const minus = dot(c, forward());
    input[i] = saved;
    grad[i] = (plus - minus) / (2 * STEP);
  }
  return grad;
}

function expectGradient(analytic: Float64Array, numeric: Float64Array, label: string): void {
  expect(Math.hypot(...numeric), `${label}: a gradient that is not all zero`).toBeGreaterThan(1e-6);
  expect(relativeError(analytic, numeric), `${label}: ‖analytic − numeric‖/‖numeric‖`).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * (batch, n): one feature, odd sizes, a SIMD width. (With a batch of two, x̂ = ±√(σ²/(σ² + ε)) and
 * dx is of order ε: below what a difference quotient resolves, so a single feature gets batch 3.)
 */
const SHAPES: [number, number][] = [[3, 1], [2, 3], [3, 5], [5, 4], [4, 9]];
/** Layer norm over one feature has x̂ = 0 whatever x is: no gradient to compare. */
const ROW_SHAPES = SHAPES.filter(([, n]) => n > 1);

describe('float64 finite differences of the block kernels', () => {
  /** x, γ, β and a cotangent c of one case; forward fills y (and the saved statistics), backward accumulates into dx, dγ, dβ. */
  function expectNormalizationGradients(
    batch: number, n: number, seed: number,
    forward: (y: Float64Array, x: Float64Array, gamma: Float64Array, beta: Float64Array) => void,
    backward: (dx: Float64Array, dgamma: Float64Array, dbeta: Float64Array, dy: Float64Array, x: Float64Array, gamma: Float64Array) => void,
  ): void {
    const rng = new Rng(seed);
    const x = normals(rng, batch * n, 2), gamma = normals(rng, n), beta = normals(rng, n), c = normals(rng, batch * n);
    const y = new Float64Array(batch * n);
    const run = () => {
      forward(y, x, gamma, beta);
      return y;
    };
    run();
    const [dx, dgamma, dbeta] = [new Float64Array(batch * n), new Float64Array(n), new Float64Array(n)];
    backward(dx, dgamma, dbeta, c, x, gamma);
    expectGradient(dx, numericGradient(x, c, run), 'dx');
    expectGradient(dgamma, numericGradient(gamma, c, run), 'dγ');
    expectGradient(dbeta, numericGradient(beta, c, run), 'dβ');
  }

  it.each(SHAPES)('batch norm, training mode (batch %i, n %i): dx, dγ, dβ', (batch, n) => {
    const [mean, invStd] = [new Float64Array(n), new Float64Array(n)];
    expectNormalizationGradients(
      batch, n, batch * 10 + n,
      (y, x, gamma, beta) => k.batchNormForward(y, mean, invStd, new Float64Array(n), new Float64Array(n), x, gamma, beta, batch, n, 0.1, 1e-5),
      (dx, dgamma, dbeta, dy, x, gamma) => k.batchNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n),
    );
  });

  it.each(ROW_SHAPES)('layer norm (batch %i, n %i): dx, dγ, dβ', (batch, n) => {
    const [mean, invStd] = [new Float64Array(batch), new Float64Array(batch)];
    expectNormalizationGradients(
      batch, n, batch * 100 + n,
      (y, x, gamma, beta) => k.layerNormForward(y, mean, invStd, x, gamma, beta, batch, n, 1e-5),
      (dx, dgamma, dbeta, dy, x, gamma) => k.layerNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n),
    );
  });

  it('selu: dz on both sides of 0 and in the saturating tail', () => {
    const rng = new Rng(7);
    const z = Float64Array.from([...normals(rng, 20, 2), -8, -3, 0.001, -0.001, 5]);
    const c = normals(rng, z.length);
    const a = k.alloc(z.length);
    const forward = () => {
      k.activationForward('selu', a, z, 1, z.length);
      return a as Float64Array;
    };
    forward();
    const dz = k.alloc(z.length);
    k.activationBackward('selu', dz, c, z, a, 1, z.length);
    expectGradient(dz as Float64Array, numericGradient(z, c, forward), 'dz');
  });

  it('skip connection and ReZero gate: dx, dbranch, dα', () => {
    const rng = new Rng(8);
    const n = 13;
    const x = normals(rng, n), branch = normals(rng, n), alpha = Float64Array.of(0.7), c = normals(rng, n);
    const y = k.alloc(n);
    const skip = () => {
      k.residualForward(y, x, branch, n);
      return y as Float64Array;
    };
    const gated = () => {
      k.rezeroForward(y, x, branch, alpha, n);
      return y as Float64Array;
    };
    const [dx, dbranch] = [k.alloc(n), k.alloc(n)];
    k.residualBackward(dx, dbranch, c, n);
    expectGradient(dx as Float64Array, numericGradient(x, c, skip), 'skip dx');
    expectGradient(dbranch as Float64Array, numericGradient(branch, c, skip), 'skip dbranch');
    const [dxGated, dbranchGated, dalpha] = [k.alloc(n), k.alloc(n), k.alloc(1)];
    k.rezeroBackward(dxGated, dbranchGated, dalpha, c, branch, alpha, n);
    expectGradient(dxGated as Float64Array, numericGradient(x, c, gated), 'rezero dx');
    expectGradient(dbranchGated as Float64Array, numericGradient(branch, c, gated), 'rezero dbranch');
    expectGradient(dalpha as Float64Array, numericGradient(alpha, c, gated), 'rezero dα');
  });
});
