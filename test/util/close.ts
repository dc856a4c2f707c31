/**
 * expectClose: compares two arrays elementwise and fails with the largest difference and where it
 * is, as llm.c's test reports the max difference rather than a bare pass/fail.
 */
import { expect } from 'vitest';

export interface Tolerance {
  /** Relative to max(|expected[i]|, the scale): |a − e| ≤ rel·max(|e|, scale). */
  rel?: number;
  /** Absolute floor: |a − e| ≤ abs always passes. */
  abs?: number;
  /** Magnitude below which `rel` is taken relative to `scale` instead of |e| (default 0). */
  scale?: number;
}

export function worstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance) {
  const rel = tol.rel ?? 0;
  const abs = tol.abs ?? 0;
  const scale = tol.scale ?? 0;
  let worst = { index: -1, actual: 0, expected: 0, diff: 0, excess: -Infinity };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const diff = Math.abs(a - e);
    const allowed = Math.max(abs, rel * Math.max(Math.abs(e), scale));
    const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
    if (excess > worst.excess) worst = { index: i, actual: a, expected: e, diff, excess };
  }
  return worst;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const worst = worstDifference(actual, expected, tol);
  if (worst.excess > 0) {
    expect.fail(
      `${label}: NOT OK, largest difference ${worst.diff.toExponential(3)} at index ${worst.index} ` +
        `(got ${worst.actual}, expected ${worst.expected}; tolerance rel ${tol.rel ?? 0}, abs ${tol.abs ?? 0})`,
    );
  }
}

/** ‖actual − expected‖ / ‖expected‖ (0 when both are zero). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    norm += expected[i] ** 2;
  }
  if (norm === 0) return Math.sqrt(diff);
  return Math.sqrt(diff / norm);
}
