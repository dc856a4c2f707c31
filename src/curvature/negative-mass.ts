/**
 * The negative mass of a symmetric operator A on R^n, Σ_{λ<0}|λ| / Σ|λ|, estimated where a Lanczos
 * run did not find every eigenvalue, by deflated stochastic Lanczos quadrature: the run's converged
 * Ritz pairs count exactly, each once, and the rest of the spectrum by Gauss quadrature from a few
 * random start vectors in their orthogonal complement (Ubaru, Chen & Saad 2017 average such
 * quadratures over start vectors; PyHessian's density does over a few runs).
 *
 * Why deflated: the |λ|-weighted mass of a network's Hessian sits mostly in a few outlying
 * eigenvalues (on a 1,056-parameter block of a deep sigmoid network, 70 % in its 10 largest |λ|),
 * and one start vector weighs each of them by its squared component, a χ²₁ variable: the one-probe
 * estimate the run's own quadrature gives was off by up to 26 points on such blocks (newuser45 #7;
 * numpy on the exact 5,667×5,667 Hessian: a spread of 10–18 points over start vectors, whatever the
 * steps). Those outliers are what Lanczos converges first; counted exactly, what is left is a
 * spread-out bulk that a few short runs from fresh vectors weigh well. On the same blocks four
 * vectors of 20 steps each put the estimate within 2 points of the exact mass.
 *
 * Each start vector is drawn in the complement of the converged Ritz vectors Y (c of them), and its
 * run of at most MASS_PROBE_STEPS steps is reorthogonalised against Y and its own basis, so that
 * it sees the bulk alone: its quadrature weights τ_j over its Ritz values θ_j estimate the bulk's
 * mass as (n − c)·Σ τ_j·f(θ_j), f = |·| and the negative part. A vector's estimate is
 * (converged part + its bulk part), negative over whole; the estimate reported pools the vectors,
 * Σ negative / Σ whole, which lies between the lowest and highest vector's.
 */
import type { Bound } from '../checks.js';
import { grouped } from '../counted.js';
import { GradscopeError } from '../errors.js';
import type { Rng } from '../init/rng.js';
import { axpy, dot, orthogonalise, reorthogonalised } from './float64-vectors.js';
import type { LinearOperator } from './operators.js';
import { tridiagonalEigen } from './tridiagonal-eigen.js';

/** Start vectors measureCurvature's Hessian runs estimate the negative mass from (LanczosOptions.massProbes). */
export const MASS_PROBES = 4;

/**
 * Lanczos steps each start vector takes, one operator product each. The deflated bulk needs few:
 * on the blocks of the file comment 10 steps did as well as 30 (numpy, 10 seeds each; the error
 * is the vectors' spread, not the quadrature's degree).
 */
export const MASS_PROBE_STEPS = 20;

/**
 * The most start vectors lanczos takes on an operator of dimension n (LanczosOptions.massProbes): n / MASS_PROBE_STEPS rounded
 * up, or MASS_PROBES where that is more. Each takes up to MASS_PROBE_STEPS products, so past that count they cost more
 * products than the n steps of a run that finds every eigenvalue (maxSteps ≥ n) and makes the mass exact; MASS_PROBES is
 * taken on any operator, a small one's too. Without a bound any count ran to its end (massProbes 1e7: 2·10⁸ products).
 */
export function massProbesBound(n: number): Bound {
  const most = Math.ceil(n / MASS_PROBE_STEPS);
  const exact = `a run of ${grouped(n)} steps (maxSteps ≥ ${grouped(n)}) finds every eigenvalue, the mass exact`;
  return most >= MASS_PROBES
    ? { max: most, why: `${grouped(most)} vectors of ${MASS_PROBE_STEPS} steps each cost as many products as ${exact}` }
    : { max: MASS_PROBES, why: `the default; on this operator of dimension ${grouped(n)} ${exact}` };
}

/** The negative mass estimated over several start vectors. */
export interface MassEstimate {
  /** The pooled estimate, Σ negative / Σ whole over the vectors. */
  negativeMass: number;
  /** Each vector's own estimate, in the order drawn. */
  probes: number[];
}

/**
 * The deflated estimate of the file comment. `converged` holds the run's converged Ritz values
 * (already as the products can tell them from 0) and their unit Ritz vectors, orthonormal;
 * `told` maps a probe's Ritz value to what it reports (0 within the run's zeroWithin).
 */
export function deflatedNegativeMass(
  operator: LinearOperator,
  n: number,
  converged: { values: readonly number[]; vectors: readonly Float64Array[] },
  probes: number,
  rng: Rng,
  told: (value: number) => number,
): MassEstimate {
  const c = converged.values.length;
  let exactNegative = 0;
  let exactWhole = 0;
  for (const value of converged.values) {
    exactWhole += Math.abs(value);
    if (value < 0) exactNegative -= value;
  }
  const estimates: { negative: number; whole: number }[] = [];
  for (let p = 0; p < probes; p++) {
    const bulk = c < n ? bulkQuadrature(operator, n, converged.vectors, rng, told) : { negative: 0, whole: 0 };
    estimates.push({ negative: exactNegative + (n - c) * bulk.negative, whole: exactWhole + (n - c) * bulk.whole });
  }
  const share = (negative: number, whole: number) => (whole > 0 ? negative / whole : 0);
  const sum = (key: 'negative' | 'whole') => estimates.reduce((s, e) => s + e[key], 0);
  return { negativeMass: share(sum('negative'), sum('whole')), probes: estimates.map((e) => share(e.negative, e.whole)) };
}

/**
 * One start vector's Gauss quadrature of f(A) on the complement of `deflated`: Σ τ_j·f(θ_j) for
 * f(θ) = max(−θ, 0) and |θ|, from a run of at most MASS_PROBE_STEPS steps (fewer when its Krylov
 * space closes: its quadrature is then exact for that vector).
 */
function bulkQuadrature(operator: LinearOperator, n: number, deflated: readonly Float64Array[], rng: Rng, told: (value: number) => number): { negative: number; whole: number } {
  const scratch = new Float64Array(deflated.length + MASS_PROBE_STEPS);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = rng.normal();
  orthogonalise(q, deflated, scratch);
  orthogonalise(q, deflated, scratch);
  const start = Math.sqrt(dot(q, q));
  // A complement of no room left for a random vector (c = n up to rounding): no bulk to weigh.
  if (!(start > 0)) return { negative: 0, whole: 0 };
  for (let i = 0; i < n; i++) q[i] /= start;
  const w = new Float64Array(n);
  let scale = 0;
  for (let j = 0; j < Math.min(MASS_PROBE_STEPS, n); j++) {
    basis.push(q);
    operator(w, q);
    if (!w.every(Number.isFinite)) {
      throw new GradscopeError('NON_FINITE_INPUT', `lanczos: the operator's product on a negative-mass start vector holds a NaN or an infinity, so no eigenvalue can be measured; give an operator whose products are finite`);
    }
    const a = dot(w, q);
    for (let i = 0; i < n; i++) w[i] -= a * q[i];
    if (j > 0) axpy(w, basis[j - 1], -beta[j - 1]);
    // A pass against the deflated vectors, so that the run stays in their complement, and its own basis;
    // a second only where the first removed more than rounding error (the DGKS test, as the run's own
    // steps): two at every step took 2.3 s of CPU beside the products' 0.14 s on CURVATURE_COST_RUN's
    // whole network (56 deflated vectors of 33,790 entries; 4 × 20 steps), this 1.3 s.
    const { correction, norm: b } = reorthogonalised(w, Math.sqrt(dot(w, w)), () => {
      orthogonalise(w, deflated, scratch);
      return orthogonalise(w, basis, scratch);
    });
    alpha.push(a + correction);
    scale = Math.max(scale, Math.abs(alpha[j]), b);
    if (j + 1 === Math.min(MASS_PROBE_STEPS, n) || b <= 1e-10 * scale) break;
    beta.push(b);
    q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = w[i] / b;
  }
  const { values, vectors } = tridiagonalEigen(alpha, beta.slice(0, alpha.length - 1), [0]);
  let negative = 0;
  let whole = 0;
  values.forEach((raw, j) => {
    const θ = told(raw);
    const τ = vectors[j][0] ** 2;
    whole += τ * Math.abs(θ);
    if (θ < 0) negative -= τ * θ;
  });
  return { negative, whole };
}
