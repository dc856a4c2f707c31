// Lanczos asked for the largest end alone (LanczosOptions.ends: 'largest'), as measureCurvature asks
// of the Gauss-Newton matrix, whose smallest values it never reports: on a positive semi-definite
// operator whose smallest end is a continuum of values near 0 (a deep sigmoid network's hidden
// blocks of G: 1e-16 … 1e-25, 2026-12-02), the smallest Ritz values converge far more slowly than the
// largest, and a run asked for both ends took all maxSteps products for values nobody read.
import { describe, expect, it } from 'vitest';
import { lanczos } from '../../src/curvature/lanczos.js';
import type { LinearOperator } from '../../src/curvature/operators.js';
import { GradscopeError } from '../../src/errors.js';

/** diag(10, 9, 8, 7, 6, then n − 5 values from 1e-3 down to 1e-20, geometrically). */
function clusteredAtZero(n: number): { operator: LinearOperator; values: Float64Array } {
  const values = Float64Array.from({ length: n }, (_, i) => (i < 5 ? 10 - i : 1e-3 * 10 ** ((-17 * (i - 5)) / (n - 6))));
  return { values, operator: (out, v) => v.forEach((x, i) => (out[i] = values[i] * x)) };
}

describe("Lanczos' ends option", () => {
  const n = 2000;
  const { operator } = clusteredAtZero(n);

  it("with both ends the smallest, near 0, are still unconverged after maxSteps; with 'largest' the run stops early, its largest converged", () => {
    const both = lanczos(operator, n, { k: 3, maxSteps: 300 });
    expect(both.steps).toBe(300);
    expect(both.converged).toBe(false);
    expect(both.unconverged.length).toBeGreaterThan(0);
    expect(both.unconverged.every((e) => e.end === 'smallest')).toBe(true);

    const largest = lanczos(operator, n, { k: 3, maxSteps: 300, ends: 'largest' });
    expect(largest.steps).toBeLessThan(60);
    expect(largest.converged).toBe(true);
    expect(largest.unconverged).toEqual([]);
    expect(largest.smallest).toEqual([]);
    expect(largest.largest).toEqual([10, 9, 8].map((value) => expect.closeTo(value, 9)));
    // the same largest values as the run that took every step
    largest.largest.forEach((value, i) => expect(Math.abs(value - both.largest[i])).toBeLessThan(1e-9));
  });

  it("a run on its remainder (a null space) reports no smallest with 'largest'", () => {
    const values = new Float64Array(500);
    values.set([4, 3, 2]);
    const result = lanczos((out, v) => v.forEach((x, i) => (out[i] = values[i] * x)), 500, { k: 2, ends: 'largest' });
    expect(result.remainder).toMatchObject({ value: 0, multiplicity: 497 });
    expect(result.largest).toEqual([4, 3].map((value) => expect.closeTo(value, 12)));
    expect(result.smallest).toEqual([]);
  });

  it.each([
    ['an unknown end', { ends: 'smallest' }, /ends/],
    ["the smallest eigenvalue's vector with the largest end alone", { ends: 'largest', vectors: true }, /vectors.*ends 'both'/],
  ])('refuses %s by INVALID_OPTION', (_what, options, message) => {
    let thrown: unknown;
    try {
      lanczos(operator, n, { k: 3, ...(options as object) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GradscopeError);
    expect((thrown as GradscopeError).code).toBe('INVALID_OPTION');
    expect((thrown as GradscopeError).message).toMatch(message);
  });
});
