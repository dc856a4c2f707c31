// spectralBound (src/flow/spectral-bound.ts) on every backend: a number at least ‖W‖₂ (float64 Jacobi on the
// stored weights), close above it from an estimate below, far below, above or missing, on both shapes of W
// (the Gram of its rows and of its columns), with Lanczos' estimate from a start vector and without one (a zero
// vector: the tries start from the estimate given); still a bound where Lanczos' start vector misses the top
// singular vector; 0's bound is 0 but for underflow, NaN weights give NaN, overflowing ones +Infinity.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LANCZOS_CONVERGED, LANCZOS_STEPS } from '../../src/flow/gram-lanczos.js';
import { BOUND_GROWTH, BOUND_HALVINGS, BOUND_MARGIN, BOUND_TRIES, spectralBound, spectralBoundScratch } from '../../src/flow/spectral-bound.js';
import type { Kernels } from '../../src/kernels.js';
import { kernelBackends, type NamedBackend } from '../util/backends.js';
import { spectralNormOf } from '../util/jacobi.js';
import { randomOrthonormal } from '../util/orthonormal.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

/** W = U·diag(singular)·Vᵀ `[rows][cols]` with random orthonormal U, V: the two largest singular values as close as asked. */
function withSingularValues(rows: number, cols: number, singular: number[], seed: number): Float64Array {
  const u = randomOrthonormal(rows, singular.length, seed);
  const v = randomOrthonormal(cols, singular.length, seed + 1);
  const w = new Float64Array(rows * cols);
  singular.forEach((s, i) => {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[r * cols + c] += s * u[i][r] * v[i][c];
  });
  return w;
}

/** Lanczos' start vectors of boundOf: none (zeros), random, or given ([right, left]). */
type Start = 'none' | 'random' | [ArrayLike<number>, ArrayLike<number>];

/** The bound of `values` `[nOut][nIn]` on `k` from `estimate` and `start`, beside ‖W‖₂ of the weights as the backend stored them. */
function boundOf(k: Kernels, values: ArrayLike<number>, nOut: number, nIn: number, estimate: (sigma: number) => number, start: Start = 'none'): { bound: number; sigma: number } {
  const w = k.alloc(nOut * nIn);
  k.write(w, values);
  const sigma = spectralNormOf(k.view(w).subarray(0, nOut * nIn), nOut, nIn);
  const held: ReturnType<Kernels['alloc']>[] = [w];
  const alloc = (n: number) => (held.push(k.alloc(n)), held.at(-1)!);
  const [right, left] = [alloc(nIn), alloc(nOut)];
  const rng = new Rng(5);
  if (start === 'random') [right, left].forEach((v, i) => k.write(v, Float64Array.from({ length: [nIn, nOut][i] }, () => rng.normal())));
  else if (start !== 'none') [right, left].forEach((v, i) => k.write(v, start[i]));
  const scratch = spectralBoundScratch(alloc, Math.min(nIn, nOut));
  const bound = spectralBound(k, w, nIn, nOut, estimate(sigma), { right, left }, scratch);
  held.forEach((t) => k.free(t));
  return { bound, sigma };
}

let backends: NamedBackend[];
beforeAll(async () => {
  backends = await kernelBackends();
});

describe('spectralBound', () => {
  it('starts from Lanczos, tries, grows and halves as docs/gradient-flow.md says', () => {
    const [steps, converged, margin, growth, tries, halvings] = quotedOn(
      'docs/gradient-flow.md',
      /up to (\d+) steps from the power iteration's vector on G's side, stopping once its estimate moves by less than ([\d.e-]+) of itself in a step\. The first t is \(e · \(1 \+ ([\d.e-]+)\)\)², e the larger of Lanczos' estimate and `spectralNorm`; where it fails \(‖W‖₂ is above it: Lanczos' vector missed the top singular vector\), the margin grows ×(\d+), at most (\d+) tries before the bound falls back on ‖W‖_F, and (\w+) halvings/,
    );
    expect([steps, converged, margin, growth, tries, halvings]).toEqual([
      String(LANCZOS_STEPS),
      asWritten(converged, LANCZOS_CONVERGED),
      asWritten(margin, BOUND_MARGIN),
      String(BOUND_GROWTH),
      String(BOUND_TRIES),
      ['one', 'two', 'three', 'four'][BOUND_HALVINGS - 1],
    ]);
  });

  // Top singular values 1e-5 apart: power iteration needs about 10⁵ rounds to tell them apart.
  const close = [3, 3 - 3e-5, 2, 1.5, 0.5];
  for (const [rows, cols] of [[24, 40], [40, 24]]) {
    it(`is at least ‖W‖₂ of a ${rows} × ${cols} W, without Lanczos within BOUND_MARGIN from a close estimate and within one halved step from a far one`, () => {
      const values = withSingularValues(rows, cols, close, 7);
      for (const { name, kernels } of backends) {
        const near = boundOf(kernels, values, rows, cols, (sigma) => sigma * (1 - 1e-7));
        expect(near.bound, name).toBeGreaterThanOrEqual(near.sigma);
        expect(near.bound / near.sigma - 1, name).toBeLessThan(1.5 * BOUND_MARGIN);
        // 3 % low: the tries at margins 1e-4, 4e-4, …, 2.56e-2 fail, 1.024e-1 passes, and the halvings close in from there.
        const far = boundOf(kernels, values, rows, cols, (sigma) => sigma * 0.97);
        expect(far.bound, name).toBeGreaterThanOrEqual(far.sigma);
        const [failedTry, passedTry] = [4, 5].map((i) => (0.97 * (1 + BOUND_MARGIN * BOUND_GROWTH ** i)) ** 2);
        expect((far.bound / far.sigma) ** 2 - 1, name).toBeLessThan((passedTry - failedTry) / 2 ** BOUND_HALVINGS + 1e-4);
        // An estimate above ‖W‖₂ passes at once: the bound is that estimate raised by BOUND_MARGIN.
        const above = boundOf(kernels, values, rows, cols, (sigma) => sigma * 1.01);
        expect(above.bound / (above.sigma * 1.01 * (1 + BOUND_MARGIN)) - 1, name).toBeGreaterThanOrEqual(0);
        expect(above.bound / (above.sigma * 1.01 * (1 + BOUND_MARGIN)) - 1, name).toBeLessThan(1e-4);
      }
    });
  }

  it("is within BOUND_MARGIN of ‖W‖₂ from an estimate 3 % low or none at all, where Lanczos starts from a random vector, on both shapes of W", () => {
    for (const [rows, cols] of [[24, 40], [40, 24]]) {
      const values = withSingularValues(rows, cols, close, 7);
      for (const { name, kernels } of backends) {
        for (const estimate of [(sigma: number) => sigma * 0.97, () => NaN]) {
          const { bound, sigma } = boundOf(kernels, values, rows, cols, estimate, 'random');
          expect(bound, name).toBeGreaterThanOrEqual(sigma);
          expect(bound / sigma - 1, name).toBeLessThan(1.5 * BOUND_MARGIN);
        }
      }
    }
  });

  it("stays a bound where Lanczos' start vector misses the top singular vector: its estimate, ‖W‖₂'s second value, fails the tries, which grow past it", () => {
    // W = diag(3, 2.9, 2, 1.5, 0.5) in a 5 × 8 and an 8 × 5: its Gram is that diagonal squared, exactly 0 off it, so
    // Lanczos from the second unit vector never leaves it and reads 2.9, 3.3 % low.
    for (const [rows, cols] of [[5, 8], [8, 5]]) {
      const values = new Float64Array(rows * cols);
      [3, 2.9, 2, 1.5, 0.5].forEach((s, i) => (values[i * cols + i] = s));
      const second = (n: number) => Float64Array.from({ length: n }, (_, i) => (i === 1 ? 1 : 0));
      for (const { name, kernels } of backends) {
        const { bound, sigma } = boundOf(kernels, values, rows, cols, () => 2.9, [second(cols), second(rows)]);
        expect(sigma, name).toBeCloseTo(3, 6);
        expect(bound, name).toBeGreaterThanOrEqual(sigma);
        // The tries at margins 1e-4 … 2.56e-2 fail from 2.9, 1.024e-1 passes; the halvings close in.
        const [failedTry, passedTry] = [4, 5].map((i) => (2.9 * (1 + BOUND_MARGIN * BOUND_GROWTH ** i)) ** 2);
        expect(bound ** 2 - 9, name).toBeLessThan((passedTry - failedTry) / 2 ** BOUND_HALVINGS + 1e-4);
      }
    }
  });

  it('falls back on the Frobenius norm, still ≥ ‖W‖₂, where there is no estimate or every try fails', () => {
    const values = withSingularValues(12, 9, [2, 1, 1], 3);
    const frobenius = Math.sqrt(values.reduce((s, x) => s + x * x, 0));
    for (const { name, kernels } of backends) {
      for (const estimate of [() => NaN, () => 0, (sigma: number) => sigma * 1e-6]) {
        const { bound, sigma } = boundOf(kernels, values, 12, 9, estimate);
        expect(bound, name).toBeGreaterThanOrEqual(sigma);
        expect(bound / frobenius - 1, name).toBeGreaterThan(-1e-6);
        expect(bound / frobenius - 1, name).toBeLessThan(1e-4);
      }
    }
  });

  it("bounds 0 by 0 but for underflow, and passes on NaN weights as NaN and overflowing ones as +Infinity", () => {
    for (const { name, kernels } of backends) {
      const zero = boundOf(kernels, new Float64Array(30), 5, 6, () => 0);
      expect(zero.bound, name).toBeGreaterThanOrEqual(0);
      expect(zero.bound, name).toBeLessThan(1e-20);
      const withNaN = Float64Array.from({ length: 30 }, (_, i) => (i === 17 ? NaN : 0.1 * i));
      expect(boundOf(kernels, withNaN, 5, 6, () => NaN).bound, name).toBeNaN();
      const huge = Float64Array.from({ length: 30 }, () => (kernels.precision === 'f32' ? 1e30 : 1e300));
      expect(boundOf(kernels, huge, 5, 6, () => Infinity).bound, name).toBe(Infinity);
    }
  });
});
