// Lanczos' own work per step, counted rather than timed: the tridiagonal eigenproblem is solved
// every CHECK_EVERY steps only, for eigenvalues and two eigenvector rows (O(m²)), never for whole
// eigenvectors (O(m³)) — the dense solve at every step that made a 300-step run cost far more than
// its operator products — and the basis is reorthogonalised once per step unless a pass removes
// more than rounding error (onStep counts the passes).
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { LinearOperator } from '../../src/curvature/operators.js';
import type { LanczosStep } from '../../src/curvature/lanczos.js';

vi.mock('../../src/curvature/tridiagonal-eigen.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/curvature/tridiagonal-eigen.js')>();
  return { ...original, tridiagonalEigen: vi.fn(original.tridiagonalEigen) };
});
const { tridiagonalEigen } = await import('../../src/curvature/tridiagonal-eigen.js');
const { lanczos } = await import('../../src/curvature/lanczos.js');

describe('Lanczos per-step work', () => {
  const n = 2000;
  const rng = new Rng(3);
  const diagonal = Float64Array.from({ length: n }, () => rng.uniformIn(-1, 10));
  diagonal[11] = 30;
  const operator: LinearOperator = (out, v) => {
    for (let i = 0; i < n; i++) out[i] = diagonal[i] * v[i];
  };

  it('solves the tridiagonal problem every few steps, for two eigenvector rows, over a 300-step run', () => {
    const solve = vi.mocked(tridiagonalEigen);
    solve.mockClear();
    // tolerance 0: never converged, so the run takes every step and checks all along
    const result = lanczos(operator, n, { k: 3, maxSteps: 300, tolerance: 0 });
    expect(result.steps).toBe(300);
    expect(result.converged).toBe(false);
    // one solve per 5 steps from step 6 on, and the final one
    expect(solve.mock.calls.length).toBeLessThanOrEqual(300 / 5 + 1);
    for (const [diagonalArg, , rows] of solve.mock.calls) {
      expect(rows, `a solve of size ${diagonalArg.length} asked for every eigenvector row`).toBeDefined();
      expect(rows!.length).toBeLessThanOrEqual(2);
    }
  });

  it('keeps the basis orthogonal: after 300 steps no spurious copy of the converged top eigenvalue', () => {
    const result = lanczos(operator, n, { k: 3, maxSteps: 300, tolerance: 0 });
    const sorted = Float64Array.from(diagonal).sort();
    expect(result.largest[0]).toBeCloseTo(30, 10);
    // lost orthogonality shows as a second Ritz value at 30 (a "ghost"); the next are below 10
    expect(result.largest[1]).toBeLessThanOrEqual(sorted[n - 2] + 1e-9);
    expect(result.largest[2]).toBeLessThanOrEqual(sorted[n - 3] + 1e-9);
    expect(result.smallest[0]).toBeGreaterThanOrEqual(sorted[0] - 1e-9);
  });

  it('reorthogonalises once per step over a 300-step run whose Krylov space never closes (a second pass at every step would double the basis work)', () => {
    const steps: LanczosStep[] = [];
    const result = lanczos(operator, n, { k: 3, maxSteps: 300, tolerance: 0, onStep: (step) => steps.push(step) });
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: result.steps }, (_, j) => j));
    expect(steps.map((s) => s.basis)).toEqual(steps.map((s) => s.step + 1));
    expect(steps.every((s) => s.passes === 1 && !s.restarted)).toBe(true);
  });

  it('takes a second pass when the first removed more than rounding error: where the Krylov space closes, and only there', () => {
    // Three distinct eigenvalues on 30 dimensions: each Krylov space closes at its third vector, where
    // w after the recurrence is all rounding error and a pass removes most of it (the DGKS test).
    const size = 30;
    const values = Float64Array.from({ length: size }, (_, i) => [1, 2, 5][i % 3]);
    const steps: LanczosStep[] = [];
    const result = lanczos((out, v) => values.forEach((value, i) => (out[i] = value * v[i])), size, { k: 3, onStep: (step) => steps.push(step) });
    expect(result.largest).toEqual([5, 5, 5].map((value) => expect.closeTo(value, 12)));
    expect(steps).toHaveLength(size);
    const closing = steps.filter((s) => s.restarted || s.step === size - 1);
    expect(closing.map((s) => s.step)).toEqual(Array.from({ length: size / 3 }, (_, i) => 3 * i + 2));
    expect(closing.some((s) => s.passes === 2)).toBe(true);
    for (const s of steps) if (!closing.includes(s)) expect(s.passes, `step ${s.step}`).toBe(1);
  });

  it('refuses an onStep that is not a function', () => {
    expect(() => lanczos(operator, n, { onStep: 3 as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('onStep') }));
  });
});
