/** Closed-form problems for the optimiser tests: least squares, separable logistic regression, XOR. */
import { Rng } from '../../bindings/init/rng.js';

export interface Problem {
  x: number[][];
  y: number[][];
}

/** y = x·β + b + small noise, 64 rows of 3 features; and the least-squares solution by the normal equations (f64). */
export function leastSquares(seed = 3): Problem & { weights: number[]; bias: number } {
  const rng = new Rng(seed);
  const beta = [1.5, -2, 0.5];
  const x = Array.from({ length: 64 }, () => beta.map(() => rng.normal()));
  const y = x.map((row) => [row.reduce((s, v, i) => s + v * beta[i], 0.7) + 0.1 * rng.normal()]);
  // Normal equations over [x, 1]: (AᵀA)·θ = Aᵀy, by Gaussian elimination with partial pivoting.
  const n = beta.length + 1;
  const a = x.map((row) => [...row, 1]);
  const m = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => a.reduce((s, r) => s + r[i] * r[j], 0)),
    a.reduce((s, r, k) => s + r[i] * y[k][0], 0),
  ]);
  for (let c = 0; c < n; c++) {
    const pivot = m.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + i : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  const theta = m.map((row, i) => row[n] / row[i]);
  return { x, y, weights: theta.slice(0, -1), bias: theta[n - 1] };
}

/** Two classes on either side of a line through the plane, none closer to it than `margin`. */
export function separable(seed = 4, margin = 0.5): Problem {
  const rng = new Rng(seed);
  const normal = [0.6, 0.8];
  const x: number[][] = [];
  const y: number[][] = [];
  while (x.length < 64) {
    const p = [rng.uniformIn(-3, 3), rng.uniformIn(-3, 3)];
    const side = p[0] * normal[0] + p[1] * normal[1] - 0.3;
    if (Math.abs(side) < margin) continue;
    x.push(p);
    y.push([side > 0 ? 1 : 0]);
  }
  return { x, y };
}

export const XOR: Problem = {
  x: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  y: [[0], [1], [1], [0]],
};
