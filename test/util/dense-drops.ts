/**
 * The saddle rule's two drops read off dense scans instead of its grids (SADDLE_STEPS along ±v, DESCENT_STEPS and one
 * parabola's vertex down the gradient), over the same ranges: how far a ratio the docs quote moves with the grid
 * (docs/curvature.md, "how far the grid moves a ratio"). v is found here, independently of Lanczos: the exact Hessian
 * from n products, λ_min by Jacobi, v by inverse iteration, turned downhill as measureCurvature turns it.
 */
import { DESCENT_STEPS, orientDownhill, SADDLE_STEPS } from '../../src/curvature/critical-point.js';
import type { CurvatureOperators } from '../../src/curvature/operators.js';
import { jacobiEigenvalues } from './jacobi.js';

/** Lengths per scan, spaced evenly in log t over [from, to]. */
export const DENSE_LENGTHS = 301;

const lengths = (from: number, to: number) => Array.from({ length: DENSE_LENGTHS }, (_, k) => from * (to / from) ** (k / (DENSE_LENGTHS - 1)));

/** The unit eigenvector of the exact Hessian's smallest eigenvalue (n products and a dense solve: small n only), turned downhill. */
export function smallestEigenvector(ops: CurvatureOperators): Float64Array {
  const n = ops.size;
  const h = Array.from({ length: n }, (_, j) => {
    const e = new Float64Array(n);
    e[j] = 1;
    const column = new Float64Array(n);
    ops.hessian(column, e);
    return column;
  });
  const lambda = Math.min(...jacobiEigenvalues(h));
  // inverse iteration, shifted just below λ_min so that (H − σI) is positive definite and v its dominant direction
  const shift = lambda - 1e-6 * Math.max(1, Math.abs(lambda));
  let v: Float64Array = new Float64Array(n).fill(1 / Math.sqrt(n));
  for (let round = 0; round < 20; round++) {
    const a = h.map((column, j) => Array.from(column, (x, i) => (i === j ? x - shift : x)));
    v = solve(a, v);
    const norm = Math.hypot(...v);
    v = v.map((x) => x / norm);
  }
  orientDownhill(v, ops.gradient);
  return v;
}

/** x with A·x = b, A symmetric n×n (columns given), by Gaussian elimination with partial pivoting. */
function solve(columns: number[][], b: Float64Array): Float64Array {
  const n = b.length;
  const m = Array.from({ length: n }, (_, i) => [...columns.map((column) => column[i]), b[i]]);
  for (let c = 0; c < n; c++) {
    const pivot = m.slice(c).reduce((best, row, k) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + k : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** A drop and the length it was found at. */
export interface DenseDrop {
  drop: number;
  at: number;
}

/**
 * ±v's best mean drop, −(f(θ+tv) + f(θ−tv) − 2f(θ))/2 where both sides lower f, over DENSE_LENGTHS lengths from
 * SADDLE_STEPS' shortest to its longest (curvatureDrop's, on a dense grid); 0 where none lowers both sides.
 */
export function denseCurvatureDrop(ops: CurvatureOperators, v: Float64Array): DenseDrop {
  let best: DenseDrop = { drop: 0, at: 0 };
  for (const t of lengths(SADDLE_STEPS[0], SADDLE_STEPS[SADDLE_STEPS.length - 1])) {
    const plus = ops.lossAlong(v, t) - ops.loss;
    const minus = ops.lossAlong(v, -t) - ops.loss;
    if (plus < 0 && minus < 0 && -(plus + minus) / 2 > best.drop) best = { drop: -(plus + minus) / 2, at: t };
  }
  return best;
}

/**
 * What the slope gives (slopeDrop's), on a dense grid: the most a step down the gradient lowers f over DENSE_LENGTHS
 * lengths from DESCENT_STEPS' shortest to its longest, capped at ‖∇f‖·s over that step s.
 */
export function denseSlopeDrop(ops: CurvatureOperators): DenseDrop {
  const norm = Math.hypot(...ops.gradient);
  const down = ops.gradient.map((g) => -g / norm);
  let best: DenseDrop = { drop: 0, at: 0 };
  for (const s of lengths(DESCENT_STEPS[DESCENT_STEPS.length - 1], DESCENT_STEPS[0])) {
    const drop = ops.loss - ops.lossAlong(down, s);
    if (drop > best.drop) best = { drop, at: s };
  }
  return { drop: Math.min(best.drop, norm * best.at), at: best.at };
}
