// A value Lanczos reports within the products' measured rounding of 0 is reported as 0, with the
// bound (LanczosResult.zeroWithin): on a positive semi-definite operator with a null space whose
// products are rounded as float32 rounds them, the smallest Ritz values land at ±1e-8-sized places
// (the digits default's output block printed −1.01e-7 as its smallest Hessian eigenvalue), which
// would claim a negative curvature the products cannot see. A real eigenvalue above the bound, of
// either sign, is still reported as itself.
import { describe, expect, it } from 'vitest';
import { randomOrthonormal } from '../util/orthonormal.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import type { LinearOperator } from '../../src/curvature/operators.js';

/**
 * Σ_i λ_i u_i u_iᵀ on R^n (u_i orthonormal, random) in float32 arithmetic, as a float32 kernel
 * computes it: v and u rounded, each u_iᵀv summed with every product and partial sum rounded, each
 * output entry too. A vector of the null space then has a product of rounding size (u_iᵀv is
 * ~1e-8, not 0) in the range; with a rank above Lanczos' steps the basis never spans that range,
 * so the Krylov space never closes, as on the digits' output block (rank up to 585 of 650).
 */
function roundedLowRank(n: number, values: number[]): LinearOperator {
  const vectors = randomOrthonormal(n, values.length, 11);
  const f = Math.fround;
  const rounded = vectors.map((u) => Float32Array.from(u));
  return (out, v) => {
    out.fill(0);
    rounded.forEach((u, j) => {
      let dot = 0;
      for (let i = 0; i < n; i++) dot = f(dot + f(u[i] * f(v[i])));
      const c = f(values[j] * dot);
      for (let i = 0; i < n; i++) out[i] = f(out[i] + f(c * u[i]));
    });
  };
}

/** A positive spectrum of `rank` values from 0.5 to 5, spread evenly, `extra` added. */
const spread = (rank: number, ...extra: number[]) => [...Array.from({ length: rank }, (_, i) => 0.5 + (4.5 * i) / (rank - 1)), ...extra];

// n beyond maxSteps and a rank beyond it too: the run stops on converged ends, not on a remainder
// (whose values near 0 were already counted as 0), the path the digits' output block took.
const N = 500;
const OPTIONS = { k: 3, maxSteps: 80 };

describe('Lanczos reports values within the measured rounding of 0 as 0', () => {
  it('a PSD operator with a null space: the smallest values are 0, not ±rounding, and the negative mass 0', () => {
    const result = lanczos(roundedLowRank(N, spread(120)), N, OPTIONS);
    expect(result.remainder).toBeUndefined();
    expect(result.rounding).toBeGreaterThan(1e-9);
    expect(result.rounding).toBeLessThan(1e-6);
    // the bound: the measured rounding at the operator's scale (at most 5 here), not the closing tolerance 1e-10·5
    expect(result.zeroWithin).toBeGreaterThan(result.rounding);
    expect(result.zeroWithin).toBeLessThanOrEqual(result.rounding * 5);
    expect(result.smallest).toEqual([0, 0, 0]);
    expect(result.negativeMass).toBe(0);
    expect(Math.abs(result.largest[0] - 5)).toBeLessThan(1e-5);
  });

  it('an eigenvalue of either sign above the bound is reported as itself, beside the 0s', () => {
    const result = lanczos(roundedLowRank(N, spread(120, -0.5)), N, OPTIONS);
    expect(result.remainder).toBeUndefined();
    expect(result.smallest[0]).toBeCloseTo(-0.5, 5);
    expect(result.smallest.slice(1)).toEqual([0, 0]);
    expect(result.negativeMass).toBeGreaterThan(0);
  });

  it('float64 products: the bound is the closing tolerance, 1e-10 of the scale, and a 1e-9 eigenvalue is itself', () => {
    const exact: LinearOperator = (out, v) => {
      for (let i = 0; i < v.length; i++) out[i] = (i < 3 ? [5, 1e-9, -1e-9][i] : 1) * v[i];
    };
    const result = lanczos(exact, 40, { k: 2 });
    // the scale is the recurrence's largest |α| or β, at most the largest |λ| (5)
    expect(result.zeroWithin).toBeGreaterThanOrEqual(1e-10);
    expect(result.zeroWithin).toBeLessThanOrEqual(1e-10 * 5);
    expect(result.smallest).toEqual([-1e-9, 1e-9].map((value) => expect.closeTo(value, 15)));
    expect(result.smallest).not.toContain(0);
  });
});
