/**
 * Problems with known answers for the optimiser tests: least squares (the normal equations),
 * logistic regression (separable data with a margin, and overlapping classes with Newton's optimum
 * in float64), XOR, and classes of a random linear teacher. Each optimiser's test trains on these and compares.
 */
import { Rng } from '../../src/init/rng.js';

export interface Problem {
  x: number[][];
  y: number[][];
}

/** The linear map of a least-squares problem: y_j = Σ_i A_ji·x_i + c_j (+ noise). */
export interface LinearMap {
  A: number[][];
  c: number[];
}

/** 3 inputs, 2 outputs: the second-order optimisers' problem. */
export const TWO_OUTPUTS: LinearMap = {
  A: [
    [1.5, -2, 0.5],
    [0.25, 1, -1],
  ],
  c: [0.3, -0.7],
};

/** 3 inputs, 1 output: the first-order optimisers' problem (a [3, 1] network). */
export const ONE_OUTPUT: LinearMap = { A: [[1.5, -2, 0.5]], c: [0.7] };

/** y = A·x + c + 0.1·noise over `rows` rows of standard-normal inputs (all x drawn first, then the noise). */
export function leastSquaresProblem(seed: number, rows = 40, { A, c }: LinearMap = TWO_OUTPUTS): Problem {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => A[0].map(() => rng.normal()));
  const y = x.map((row) => A.map((a, j) => a.reduce((s, aj, i) => s + aj * row[i], c[j]) + 0.1 * rng.normal()));
  return { x, y };
}

/** Solves the symmetric system M·θ = r by Gaussian elimination with partial pivoting (float64). */
export function solve(M: number[][], r: number[]): number[] {
  const n = r.length;
  const a = M.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[pivot][c])) pivot = i;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let i = c + 1; i < n; i++) {
      const f = a[i][c] / a[c][c];
      for (let j = c; j <= n; j++) a[i][j] -= f * a[c][j];
    }
  }
  const theta = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let j = i + 1; j < n; j++) s -= a[i][j] * theta[j];
    theta[i] = s / a[i][i];
  }
  return theta;
}

/** Least-squares weights [W row j…, b_j] per output j from the normal equations [X 1]ᵀ[X 1]θ = [X 1]ᵀy. */
export function normalEquations(p: Problem): { weights: number[][]; biases: number[] } {
  const rows = p.x.map((row) => [...row, 1]);
  const n = rows[0].length;
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
  const solutions = p.y[0].map((_, out) => solve(M, Array.from({ length: n }, (_, i) => rows.reduce((s, r, x) => s + r[i] * p.y[x][out], 0))));
  return { weights: solutions.map((s) => s.slice(0, -1)), biases: solutions.map((s) => s[n - 1]) };
}

/** Two overlapping Gaussian classes in 2-D: a finite logistic-regression optimum. */
export function overlappingClasses(seed: number): Problem {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 60; i++) {
    const label = i % 2;
    x.push([rng.normal() + (label ? 0.8 : -0.8), rng.normal() + (label ? -0.4 : 0.4)]);
    y.push([label]);
  }
  return { x, y };
}

/** The line n·x = offset (n a unit normal) that separates two classes, and their least distance to it. */
export interface Separation {
  count: number;
  normal: number[];
  offset: number;
  margin: number;
}

/** 40 points, margin ≥ 1 around the line x₀ + x₁ = 0. */
export const DIAGONAL: Separation = { count: 40, normal: [Math.SQRT1_2, Math.SQRT1_2], offset: 0, margin: 1 };

/** 64 points, margin ≥ 0.5 around the line 0.6·x₀ + 0.8·x₁ = 0.3. */
export const TILTED: Separation = { count: 64, normal: [0.6, 0.8], offset: 0.3, margin: 0.5 };

/** Points drawn uniformly from [−3, 3]², those closer to the line than the margin rejected; label 1 on the normal's side. */
export function separableClasses(seed: number, { count, normal, offset, margin }: Separation = DIAGONAL): Problem {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  while (x.length < count) {
    const point = [rng.uniformIn(-3, 3), rng.uniformIn(-3, 3)];
    const side = point[0] * normal[0] + point[1] * normal[1] - offset;
    if (Math.abs(side) < margin) continue;
    x.push(point);
    y.push([side > 0 ? 1 : 0]);
  }
  return { x, y };
}

/** The mean binary cross-entropy's minimiser over [w₀, w₁, b], by Newton's method in float64. */
export function logisticOptimum(p: Problem): number[] {
  const rows = p.x.map((row) => [...row, 1]);
  let theta = [0, 0, 0];
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = [0, 0, 0];
    const hessian = [0, 1, 2].map(() => [0, 0, 0]);
    rows.forEach((r, x) => {
      const a = 1 / (1 + Math.exp(-r.reduce((s, ri, i) => s + ri * theta[i], 0)));
      for (let i = 0; i < 3; i++) {
        gradient[i] += ((a - p.y[x][0]) * r[i]) / rows.length;
        for (let j = 0; j < 3; j++) hessian[i][j] += (a * (1 - a) * r[i] * r[j]) / rows.length;
      }
    });
    const step = solve(hessian, gradient);
    theta = theta.map((t, i) => t - step[i]);
  }
  return theta;
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

/**
 * `rows` standard-normal points of `inputs` features, each labelled (one-hot) by the largest of
 * `classes` scores of a standard-normal linear teacher (drawn first, then the points).
 */
export function teacherClasses(seed: number, rows: number, inputs: number, classes: number): Problem {
  const rng = new Rng(seed);
  const teacher = Array.from({ length: classes }, () => Array.from({ length: inputs }, () => rng.normal()));
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = x.map((point) => {
    const scores = teacher.map((w) => w.reduce((sum, wi, i) => sum + wi * point[i], 0));
    const best = scores.indexOf(Math.max(...scores));
    return scores.map((_, j) => (j === best ? 1 : 0));
  });
  return { x, y };
}
