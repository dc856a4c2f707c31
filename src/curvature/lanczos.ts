/**
 * The extreme eigenvalues of a symmetric operator by Lanczos with full reorthogonalisation
 * (Golub & Van Loan §10.1): the Krylov basis is kept in float64 and every new vector is
 * Gram-Schmidt-orthogonalised against all earlier ones (a second pass when the first removed more
 * than rounding error), so no spurious copies of converged eigenvalues appear.
 *
 * When the Krylov space closes (the new vector has no part outside the basis: an invariant
 * subspace, whose Ritz values are exact eigenvalues), the run goes on in the basis' orthogonal
 * complement from a fresh random vector. If that vector is itself an eigenvector, and so is the next
 * fresh one, with the same eigenvalue, the complement is one eigenspace (a random vector of a space
 * holding two different eigenvalues is no eigenvector): the spectrum is then known whole, the Ritz
 * values plus that eigenvalue on every remaining dimension (`remainder`; 0 on a null space, as a
 * Gauss-Newton matrix of rank below its size has), and the run stops. Otherwise, when the
 * operator's dimension n is at most `maxSteps`, it takes n steps and finds every eigenvalue, repeated
 * ones included; beyond, it stops once the k largest and k smallest Ritz values (the k largest alone
 * with `ends: 'largest'`) have residuals below `tolerance`·max|θ|, and a repeated eigenvalue may then
 * appear once. Memory: 8·n·steps bytes for the basis.
 *
 * The operator's products may be rounded (float32 kernels: a relative error of about 1e-7–1e-6,
 * the rounding of every multiply-add on the way through a network), and no residual, nor any
 * eigenvalue's distance from another, can be told more finely than that. So the run measures it:
 * besides its first product A·q₀ it takes one of the known vector 3·q₀, whose exact product is
 * 3·A·q₀, and ‖A·(3q₀)/3 − A·q₀‖ / ‖A·q₀‖ is the products' rounding relative to their size
 * (`rounding`; 3, not a power of 2, so that every float32 rounding on the way falls differently).
 * A residual, or a Ritz value's distance from the remainder's, within rounding·max|θ| is as small
 * as these products can tell: a value reported is unconverged only when its residual is above
 * max(tolerance, rounding)·max|θ|, and Ritz values within max(CLOSED_BELOW, rounding)·s of the
 * remainder count as it (s the operator's scale as the recurrence met it, LanczosRemainder.within).
 * By the same bound a reported value within max(CLOSED_BELOW, rounding)·s of 0 is reported as 0
 * (LanczosResult.zeroWithin): on a positive semi-definite block with a null space, float32 rounding
 * leaves Ritz values at ±1e-7 that float64 products put at 1e-17, and a negative one would claim a
 * direction of negative curvature the products cannot see. The run's own convergence checks, which decide when it stops, keep
 * `tolerance`: a looser bound would stop it on Ritz values that rounding alone put near 0 (a null
 * space of float32 products converges at once, at every multiplicity, each value shown once).
 */
import { checkCallback, checkChoice, checkKnownKeys, checkSeed, checkWhole, keysOf } from '../checks.js';
import { GradscopeError, invalidOption, shown, shownArgument } from '../errors.js';
import { mebibytes } from '../byte-text.js';
import { UNBOUNDED_BACKEND_BYTES } from '../network/memory-budget.js';
import { Rng } from '../init/rng.js';
import type { LinearOperator } from './operators.js';
import { tridiagonalEigen } from './tridiagonal-eigen.js';
import { grouped } from '../counted.js';
import { axpy, dot, orthogonalise, reorthogonalised } from './float64-vectors.js';
import { deflatedNegativeMass, massProbesBound } from './negative-mass.js';

/** Options of lanczos; every one has a default. */
export interface LanczosOptions {
  /** Eigenvalues wanted at each end of the spectrum. Default SPECTRUM_END_COUNT = 5 (at most n). */
  k?: number;
  /** Largest Krylov basis. Default 300. */
  maxSteps?: number;
  /**
   * Convergence: the run stops once the wanted values' Ritz residuals |β·s_last| are ≤ tolerance·max|θ|;
   * a value it reports is unconverged when its residual is above max(tolerance, rounding)·max|θ|
   * (LanczosResult.rounding: below that the products cannot tell). A finite number ≥ 0, else
   * INVALID_OPTION. Default 1e-10.
   */
  tolerance?: number;
  /** Seed of the start vector. Default 1. */
  seed?: number;
  /** Also return the Ritz vector of the smallest eigenvalue (the most negative curvature); only with `ends: 'both'`. Default false. */
  vectors?: boolean;
  /**
   * The ends of the spectrum wanted: 'both', or 'largest' alone. The run stops once the wanted ends
   * converge, and `smallest` is empty with 'largest'. A positive semi-definite operator of low
   * numerical rank (a deep network's Gauss-Newton blocks) has its smallest end in a cluster near 0
   * whose Ritz values converge far more slowly than its largest: asked for both ends, such a run
   * took every step to maxSteps for values nobody read. Default 'both'.
   */
  ends?: LanczosEnds;
  /**
   * Random start vectors the negative mass is estimated from where the run does not find every
   * eigenvalue: each a run of at most MASS_PROBE_STEPS steps (one product each) in the complement of
   * the converged Ritz vectors, whose eigenvalues count exactly (deflated stochastic Lanczos
   * quadrature, negative-mass.ts; LanczosResult.negativeMassProbes gives each vector's estimate).
   * 0: none, the run's own Gauss quadrature alone (one probe, not deflated, its error not estimated).
   * A whole number, at most n / MASS_PROBE_STEPS rounded up (past it the vectors cost more products than the n steps that
   * find every eigenvalue), or MASS_PROBES where that is more (massProbesBound), else INVALID_OPTION. Default 0;
   * measureCurvature's Hessian runs and the plateau study's take MASS_PROBES = 4.
   */
  massProbes?: number;
  /**
   * Called at the end of every step, after its operator product and its reorthogonalisation, with
   * what the step did (measureCurvature weighs its progress by it). Default: none.
   */
  onStep?: (step: LanczosStep) => void;
}

/** Which ends of the spectrum a Lanczos run converges and reports (LanczosOptions.ends). */
export type LanczosEnds = 'both' | 'largest';

const LANCZOS_ENDS: readonly LanczosEnds[] = ['both', 'largest'];

/** One Lanczos step's work, as LanczosOptions.onStep reports it. */
export interface LanczosStep {
  /** The step, from 0: it took one operator product. */
  step: number;
  /** Basis vectors w was orthogonalised against (step + 1, the new q_j included). */
  basis: number;
  /**
   * Gram-Schmidt passes against them: 1, or 2 when the first removed more than rounding error (the
   * DGKS test). Each pass reads the basis twice, n·basis multiply-adds each time.
   */
  passes: number;
  /**
   * The Krylov space closed (w had no part outside it), so the next vector is a fresh random one,
   * orthogonalised against the same basis by two more passes. (Not at the step the run stops on.)
   */
  restarted: boolean;
}

/** The extreme eigenvalues found. */
export interface LanczosResult {
  /** The k largest eigenvalues, descending. */
  largest: number[];
  /** The k smallest eigenvalues, ascending (empty with `ends: 'largest'`). */
  smallest: number[];
  /** Lanczos steps taken, one operator product each; the run took one product more, to measure `rounding`. */
  steps: number;
  /**
   * The operator's products' rounding relative to their size, as measured on the start vector q₀:
   * ‖A·(3q₀)/3 − A·q₀‖ / ‖A·q₀‖ (0 when A·q₀ = 0). About 1e-16 for float64 products, 1e-7–1e-6 for
   * float32 ones through a network. Where it exceeds `tolerance` it sets the bound a reported value's
   * residual must meet (UnconvergedEigenvalue.bound).
   */
  rounding: number;
  /**
   * The bound within which a value cannot be told from 0: max(1e-10, rounding)·s, 1e-10 of
   * the operator's scale s (the largest |α| or β of its recurrence, at most max|λ|) or the products'
   * measured rounding of it, whichever is larger (about 1e-6·s with float32 products). Every value
   * reported in `largest`, `smallest` and `unconverged` with |λ| ≤ zeroWithin is reported as 0, and
   * counts as 0 in `negativeMass`: at this precision it has no sign.
   */
  zeroWithin: number;
  /** Whether every reported value met the tolerance (always true after n steps, or with a `remainder`). */
  converged: boolean;
  /** The reported values that did not meet the tolerance, largest end first (empty when converged). */
  unconverged: UnconvergedEigenvalue[];
  /** Unit eigenvector estimate of smallest[0], when asked for. */
  smallestVector?: Float64Array;
  /**
   * Share of the spectrum's |λ|-weighted mass below zero, Σ_{λ<0} |λ| / Σ |λ| over all n
   * eigenvalues. Exact when the run found every eigenvalue (n ≤ maxSteps, or a `remainder`; see
   * `negativeMassExact`); otherwise estimated from the run's Gauss quadrature, Σ_{θ<0} τ·|θ| /
   * Σ τ·|θ| (Ritz values θ with weights τ = the squared first components of T's eigenvectors):
   * stochastic Lanczos quadrature with one probe (Ghorbani et al. 2019), whose error is that of one
   * random start vector's weights and is not estimated. With `massProbes` it is instead the deflated
   * estimate of negative-mass.ts: the converged Ritz values exactly, the rest pooled over that many
   * start vectors. 0 for a positive semi-definite operator.
   */
  negativeMass: number;
  /** Whether `negativeMass` is exact (every eigenvalue found) or an estimate. */
  negativeMassExact: boolean;
  /**
   * Each start vector's estimate of the negative mass, with `massProbes` where it is estimated (their
   * spread is the estimate's; `negativeMass`, pooled, lies between the lowest and the highest); empty
   * when it is exact or from the run's own quadrature.
   */
  negativeMassProbes: number[];
  /**
   * When the run stopped because the orthogonal complement of its Krylov spaces is one eigenspace
   * (see the file comment): that eigenvalue and its multiplicity (LanczosRemainder). `largest`,
   * `smallest` and `negativeMass` count it with that multiplicity. Its value is 0 (a null space) when the eigenvectors' products
   * were within the closing bound, 1e-10·max|θ|, of 0. Undefined when the run did not stop so.
   */
  remainder?: LanczosRemainder;
}

/** The eigenvalue of every direction outside a Lanczos run's closed Krylov spaces (LanczosResult.remainder). */
export interface LanczosRemainder {
  /** The eigenvalue: 0 on a null space. */
  value: number;
  /**
   * How many eigenvalues lie within `within` of `value`: the dimensions outside the Krylov spaces,
   * the two vectors that showed it, and the Ritz values within `within` of it. The products cannot
   * tell those Ritz values from `value` (float32 rounding leaves some at ±2e-7·max|θ| that float64
   * products put at 0), so the count is what every run of the same operator and seed can claim.
   */
  multiplicity: number;
  /**
   * The bound: max(1e-10, rounding)·s, the closing bound (1e-10 of s) or the products' measured rounding
   * (LanczosResult.rounding), whichever is larger, at the operator's scale s as the run met it (the
   * largest |α| or β of its recurrence, at most max|λ|). An eigenvalue farther from `value` than
   * this is reported as itself.
   */
  within: number;
}

/** A reported eigenvalue whose Ritz residual is above the tolerance when Lanczos stopped. */
export interface UnconvergedEigenvalue {
  /** Which list it is in: `largest` or `smallest`. */
  end: 'largest' | 'smallest';
  /** Its place in that list (0: the largest, or the smallest). */
  index: number;
  /** The Ritz value reported. */
  value: number;
  /** Its residual |β·s_last|, the distance of its Ritz pair from an eigenpair. */
  residual: number;
  /** The residual it had to reach: max(tolerance, rounding)·max|θ| (LanczosResult.rounding). */
  bound: number;
}

/**
 * Values wanted at each end of a spectrum by default: lanczos' k, measureCurvature's k (and
 * `gradscope curvature --k`), jacobianSpectrum's k (at most min(n₀, n_L) there).
 */
export const SPECTRUM_END_COUNT = 5;

/**
 * `k`, the eigenvalues wanted at each end of a spectrum: a whole number from 1 to `most`, the
 * dimension of the operator (Lanczos finds no more eigenvalues than it has rows), which `mostIs`
 * names. INVALID_OPTION at `where` otherwise. lanczos, measureCurvature, the plateau study and
 * `gradscope curvature --k` check it here.
 */
export function checkEigenCount(k: unknown, most: number, where = 'k', mostIs = 'the parameter count'): number {
  if (!Number.isInteger(k) || (k as number) < 1 || (k as number) > most) throw invalidOption(`${where}: expected an integer from 1 to ${mostIs} ${grouped(most)}, got ${shown(k)}`);
  return k as number;
}

/** The largest Krylov basis by default (LanczosOptions.maxSteps). */
export const LANCZOS_MAX_STEPS = 300;

/** Operator products a run takes beyond its steps: the one of 3·q₀ that measures the products' rounding. */
export const ROUNDING_PRODUCTS = 1;

/** The known multiple of q₀ whose product measures the rounding: not a power of 2, which float32 would scale exactly. */
const ROUNDING_PROBE_SCALE = 3;

/** Steps between convergence checks once the basis exceeds 2k. */
const CHECK_EVERY = 5;

/**
 * The Krylov space has closed when the new vector's norm is at most this share of max(|α|, β) so far:
 * what is left of it is rounding error, relative to the operator's scale. An eigenvalue within it of
 * another counts as the same (the remainder's two vectors), and one within it of 0 as 0.
 */
export const CLOSED_BELOW = 1e-10;

/**
 * Fresh random vectors that must each be an eigenvector, of one eigenvalue, before the complement of
 * the basis counts as that eigenvalue's eigenspace. A random unit vector of a d-dimensional space
 * that also holds an eigenvalue δ·max|θ| away passes for an eigenvector only when its component
 * along that eigenvalue's eigenvector, about N(0, 1/d), is below CLOSED_BELOW/δ: for δ = 1e-6 and
 * d = 34,000 about 1.5 % of the time for one vector, 2e-4 for two, the chance shrinking as δ grows.
 */
const EIGENSPACE_VECTORS = 2;

/**
 * Bytes a Lanczos basis may hold: 2^32 (4 GiB), a cap chosen on JS memory, as the basis is float64
 * arrays there, not backend tensors: no backend's limit reaches it. It is set equal to the 4 GiB a
 * backend without a hard limit gives its tensors (as wasm32's memory), but is not that limit. A
 * basis past it is refused before the first product, where it ran (for maxSteps 1e12 on a large
 * network) until the allocation failed, hours of products later.
 */
export const LANCZOS_BASIS_BYTES = UNBOUNDED_BACKEND_BYTES;

/** Bytes of the basis a run on dimension `n` with `maxSteps` holds: min(n, maxSteps) vectors of n float64s. */
const basisBytes = (n: number, maxSteps: number) => Math.min(n, maxSteps) * n * Float64Array.BYTES_PER_ELEMENT;

/**
 * Refuses (INVALID_OPTION naming `where`) a largest Lanczos basis that is not a positive integer,
 * or, on an operator of dimension `n`, one whose basis would pass LANCZOS_BASIS_BYTES, saying the
 * most that fits. A maxSteps beyond n takes n steps, so on a small operator any count is taken.
 */
export function checkMaxSteps(maxSteps: unknown, where: string, n?: number): void {
  if (!Number.isInteger(maxSteps) || (maxSteps as number) < 1) throw invalidOption(`${where}: expected a positive integer, got ${shown(maxSteps)}`);
  if (n === undefined || basisBytes(n, maxSteps as number) <= LANCZOS_BASIS_BYTES) return;
  const most = Math.floor(LANCZOS_BASIS_BYTES / (n * Float64Array.BYTES_PER_ELEMENT));
  // No count fits: 'at most 0' offered a maxSteps that is itself refused.
  if (most < 1) {
    throw invalidOption(`${where}: no basis fits an operator of dimension ${grouped(n)}: one vector of n float64s is ${mebibytes(n * Float64Array.BYTES_PER_ELEMENT)}, past the ${mebibytes(LANCZOS_BASIS_BYTES)} a run may hold`);
  }
  throw invalidOption(
    `${where}: at most ${grouped(most)} on an operator of dimension ${grouped(n)}: the basis holds min(n, maxSteps) vectors of n float64s, ` +
      `${mebibytes(basisBytes(n, maxSteps as number))} for ${grouped(maxSteps as number)} steps, past the ${mebibytes(LANCZOS_BASIS_BYTES)} a run may hold; got ${shown(maxSteps)}`,
  );
}

/** The k largest and k smallest eigenvalues of the symmetric `operator` on R^n (see the file comment). */
export function lanczos(operator: LinearOperator, n: number, options: LanczosOptions = {}): LanczosResult {
  if (typeof operator !== 'function') throw invalidOption(`lanczos: expected an operator (out, v) => void, got ${shownArgument(operator)}`);
  checkKnownKeys(options, keysOf<LanczosOptions>({ k: true, maxSteps: true, tolerance: true, seed: true, vectors: true, ends: true, massProbes: true, onStep: true }), 'lanczos');
  const onStep = options.onStep;
  checkCallback(onStep, 'lanczos: onStep');
  const maxSteps = options.maxSteps ?? LANCZOS_MAX_STEPS;
  const tolerance = options.tolerance ?? 1e-10;
  const ends = checkChoice(options.ends ?? 'both', LANCZOS_ENDS, 'lanczos: ends');
  if (ends === 'largest' && options.vectors) throw invalidOption("lanczos: vectors: the smallest eigenvalue's vector needs ends 'both', got ends 'largest'");
  checkWhole(n, "lanczos: n (the operator's dimension)", 1);
  const k = checkEigenCount(options.k ?? SPECTRUM_END_COUNT, n, 'lanczos: k', "the operator's dimension");
  checkMaxSteps(maxSteps, 'lanczos: maxSteps', n);
  const massProbes = checkWhole(options.massProbes ?? 0, 'lanczos: massProbes', 0, massProbesBound(n));
  // Infinity took the first Ritz values for converged ones; NaN or a string made every bound NaN.
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) throw invalidOption(`lanczos: tolerance: expected a finite number ≥ 0, got ${shown(tolerance)}`);
  const limit = Math.min(n, maxSteps);
  const fullSpace = limit === n;
  const rng = new Rng(checkSeed(options.seed ?? 1, 'lanczos: seed'));
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = unitRandom(rng, n, basis);
  const w = new Float64Array(n);
  const projections = new Float64Array(limit);
  let scale = 0;
  // The step the current Krylov space began with (0, or a restart's fresh vector), and how many fresh
  // vectors in a row were eigenvectors of one eigenvalue (EIGENSPACE_VECTORS stops the run).
  let spaceStart = 0;
  let eigenvectors = 0;
  let remainder: LanczosRemainder | undefined;
  let checkDue = false;
  let rounding = 0;
  // The bound within which a value cannot be told from 0 at this run's scale (LanczosResult.zeroWithin, remainder.within).
  const zeroBound = () => Math.max(CLOSED_BELOW, rounding) * scale;
  for (let j = 0; j < limit; j++) {
    basis.push(q);
    operator(w, q);
    // A NaN or an infinity in A·q spreads to every value (NaN eigenvalues said converged): refused where it appears.
    if (!allFinite(w)) {
      throw new GradscopeError('NON_FINITE_INPUT', `lanczos: the operator's product at step ${j + 1} holds a NaN or an infinity, so no eigenvalue can be measured; give an operator whose products are finite`);
    }
    if (j === 0) rounding = roundingOf(operator, q, w);
    // The three-term recurrence first (w −= α·q_j + β·q_{j−1}), then reorthogonalised's classical
    // Gram-Schmidt pass against the whole basis, a second only where the first removed more than rounding
    // error. Each pass reads the basis twice (8·n·j bytes each time), the cost that grows with the step:
    // two passes at every step took several times an operator product on a large network.
    const a = dot(w, q);
    const previous = j > 0 && beta[j - 1] !== 0 ? basis[j - 1] : undefined;
    for (let i = 0; i < n; i++) w[i] -= a * q[i];
    if (previous) axpy(w, previous, -beta[j - 1]);
    const norm = Math.sqrt(dot(w, w));
    // Finite products whose squares pass float64's range (entries near 1e154 and up) make the norm infinite: not the operator's NaN.
    if (!Number.isFinite(norm)) {
      throw new GradscopeError('NON_FINITE_INPUT', `lanczos: the operator's product at step ${j + 1} is finite, but its squared norm overflows float64, so no eigenvalue can be measured; scale the operator down`);
    }
    const { correction, norm: b, passes } = reorthogonalised(w, norm, () => orthogonalise(w, basis, projections));
    // what the passes removed along q_j belongs to α (ARPACK adds it to the diagonal the same way)
    alpha.push(a + correction);
    scale = Math.max(scale, Math.abs(alpha[j]), b);
    const last = j + 1 === limit;
    // The Krylov space is invariant: its Ritz values are eigenvalues; the rest of the spectrum lies in its complement.
    const closed = !last && b <= CLOSED_BELOW * scale;
    // A space that closed at its first vector, a fresh random one: that vector is an eigenvector.
    if (closed && spaceStart === j) eigenvectors = eigenvectors > 0 && Math.abs(alpha[j] - alpha[j - 1]) <= CLOSED_BELOW * scale ? eigenvectors + 1 : 1;
    else eigenvectors = 0;
    if (eigenvectors === EIGENSPACE_VECTORS) {
      const within = zeroBound();
      remainder = { value: Math.abs(alpha[j]) <= within ? 0 : alpha[j], multiplicity: n - basis.length + EIGENSPACE_VECTORS, within };
    }
    const restarted = closed && remainder === undefined;
    beta.push(closed ? 0 : b);
    // Go on in the complement, decoupled (β = 0), from a fresh vector.
    if (restarted) {
      q = unitRandom(rng, n, basis);
      spaceStart = j + 1;
    } else if (!last && !closed) {
      q = new Float64Array(n);
      for (let i = 0; i < n; i++) q[i] = w[i] / b;
    }
    onStep?.({ step: j, basis: basis.length, passes, restarted });
    if (last || remainder) break;
    // Every CHECK_EVERY steps the residuals are checked. At a closed step they are all 0 whatever the
    // complement holds (a null space's copies of 0, a repeated eigenvalue's), so the check waits for
    // the fresh vector's step: an eigenvector there ends the run above; otherwise its Ritz value
    // carries a residual again.
    if (!fullSpace && j + 1 >= 2 * k && (j + 1) % CHECK_EVERY === 0) checkDue = true;
    if (checkDue && !closed) {
      checkDue = false;
      if (ritz(alpha, beta, k, tolerance, ends).converged) break;
    }
  }
  const zeroWithin = zeroBound();
  if (remainder) return withRemainder(alpha, beta, basis, k, ends, remainder, rounding, zeroWithin, options.vectors ?? false);
  const result = ritz(alpha, beta, k, Math.max(tolerance, rounding), ends);
  const told = tellableFromZero(zeroWithin);
  const values = result.values.map(told);
  const estimate = fullSpace || massProbes === 0 ? undefined : deflatedNegativeMass(operator, n, convergedPairs(alpha, beta, basis, Math.max(tolerance, rounding), told), massProbes, rng, told);
  const out: LanczosResult = {
    largest: result.largest.map(told),
    smallest: result.smallest.map(told),
    steps: alpha.length,
    rounding,
    zeroWithin,
    converged: fullSpace || result.converged,
    unconverged: fullSpace ? [] : result.unconverged.map((e) => ({ ...e, value: told(e.value) })),
    // After n steps the Ritz values are the eigenvalues, each once: weigh them equally. (The
    // quadrature weights would count only the start vector's Krylov space, not a restart's.)
    negativeMass: fullSpace ? negativeShare(values, () => 1) : (estimate?.negativeMass ?? negativeShare(values, (j) => result.firstEntries[j] ** 2)),
    negativeMassExact: fullSpace,
    negativeMassProbes: estimate?.probes ?? [],
  };
  if (options.vectors) out.smallestVector = ritzVector(alpha, beta, basis);
  return out;
}

/**
 * The result of a run that stopped on its `remainder`: every Krylov space it spanned but the
 * remainder's own vectors closed, so the Ritz values of T without those vectors' 1×1 blocks are
 * eigenvalues (residual 0), and with the remainder on its multiplicity they are the whole spectrum.
 * A Ritz value within the remainder's `within` of its value is the remainder's, and joins its
 * multiplicity: the start vector's part in a null space gives a Ritz value of 1e-17 or so with
 * float64 products, ±2e-7·max|θ| with float32 ones, which is that 0 as far as the products can tell.
 */
function withRemainder(alpha: number[], beta: number[], basis: Float64Array[], k: number, ends: LanczosEnds, unexplored: LanczosRemainder, rounding: number, zeroWithin: number, vectors: boolean): LanczosResult {
  const found = alpha.length - EIGENSPACE_VECTORS;
  const ritzValues = tridiagonalEigen(alpha.slice(0, found), beta.slice(0, Math.max(0, found - 1)), []).values;
  const { value, within } = unexplored;
  // Beside a remainder of another value, a Ritz value may still be 0 as far as the products can tell.
  const values = ritzValues.filter((θ) => Math.abs(θ - value) > within).map(tellableFromZero(zeroWithin));
  const multiplicity = unexplored.multiplicity + ritzValues.length - values.length;
  const remainder = { value, multiplicity, within };
  // The spectrum ascending: the Ritz values below the remainder, it `multiplicity` times, the rest.
  let below = 0;
  while (below < values.length && values[below] < value) below++;
  const n = values.length + multiplicity;
  const eigenvalue = (i: number) => (i < below ? values[i] : i < below + multiplicity ? value : values[i - multiplicity]);
  const out: LanczosResult = {
    largest: Array.from({ length: k }, (_, i) => eigenvalue(n - 1 - i)),
    smallest: ends === 'both' ? Array.from({ length: k }, (_, i) => eigenvalue(i)) : [],
    steps: alpha.length,
    rounding,
    zeroWithin,
    converged: true,
    unconverged: [],
    negativeMass: negativeShare([...values, value], (j) => (j === values.length ? multiplicity : 1)),
    negativeMassExact: true,
    negativeMassProbes: [],
    remainder,
  };
  // The smallest eigenvalue's vector: the remainder's last vector when it is the remainder's.
  if (vectors) out.smallestVector = below === 0 ? Float64Array.from(basis[alpha.length - 1]) : ritzVector(alpha.slice(0, found), beta.slice(0, found), basis);
  return out;
}

/**
 * The run's Ritz pairs whose residual |β·s_last| is within `tolerance`·max|θ| (the bound a reported
 * value must meet), values as `told` reports them and unit Ritz vectors from the basis: what the
 * negative mass counts exactly. A closed Krylov space's pairs have residual 0: they are eigenpairs.
 */
function convergedPairs(alpha: number[], beta: number[], basis: Float64Array[], tolerance: number, told: (value: number) => number): { values: number[]; vectors: Float64Array[] } {
  const m = alpha.length;
  const { values, vectors } = tridiagonalEigen(alpha, beta.slice(0, m - 1));
  const last = beta[m - 1] ?? 0;
  const bound = tolerance * Math.max(Math.abs(values[0]), Math.abs(values[m - 1]));
  const pairs = { values: [] as number[], vectors: [] as Float64Array[] };
  values.forEach((value, j) => {
    if (!(Math.abs(last * vectors[j][m - 1]) <= bound)) return;
    const y = new Float64Array(basis[0].length);
    // vectors[j][i] is row i of T's eigenvector j
    for (let i = 0; i < m; i++) axpy(y, basis[i], vectors[j][i]);
    pairs.values.push(told(value));
    pairs.vectors.push(y);
  });
  return pairs;
}

/** A reported value as the products can tell it: 0 within `zeroWithin` of 0 (LanczosResult.zeroWithin), else itself. */
function tellableFromZero(zeroWithin: number): (value: number) => number {
  return (value) => (Math.abs(value) <= zeroWithin ? 0 : value);
}

/** The unit Ritz vector of T's smallest Ritz value, from the basis. */
function ritzVector(alpha: number[], beta: number[], basis: Float64Array[]): Float64Array {
  const m = alpha.length;
  const coefficients = tridiagonalEigen(alpha, beta.slice(0, m - 1)).vectors[0];
  const y = new Float64Array(basis[0].length);
  coefficients.forEach((c, i) => axpy(y, basis[i], c));
  return y;
}

/** Ritz values of the tridiagonal T and whether the k at each wanted end have converged (those that have not, with their residuals). */
function ritz(alpha: number[], beta: number[], k: number, tolerance: number, wanted: LanczosEnds) {
  const m = alpha.length;
  // entries 0 (quadrature weights) and m − 1 (residuals) of T's eigenvectors
  const { values, vectors } = tridiagonalEigen(alpha, beta.slice(0, m - 1), m > 1 ? [0, m - 1] : [0]);
  const lastEntry = (j: number) => vectors[j][m > 1 ? 1 : 0];
  const last = beta[m - 1] ?? 0;
  const top = Math.max(Math.abs(values[0]), Math.abs(values[m - 1]));
  const bound = tolerance * top;
  const count = Math.min(k, m);
  const place = { largest: (i: number) => m - 1 - i, smallest: (i: number) => i };
  const unconverged: UnconvergedEigenvalue[] = [];
  const checked = wanted === 'both' ? (['largest', 'smallest'] as const) : (['largest'] as const);
  for (const end of checked) {
    for (let index = 0; index < count; index++) {
      const j = place[end](index);
      const residual = Math.abs(last * lastEntry(j));
      if (!(residual <= bound)) unconverged.push({ end, index, value: values[j], residual, bound });
    }
  }
  return {
    values,
    firstEntries: vectors.map((v) => v[0]),
    largest: Array.from({ length: count }, (_, i) => values[place.largest(i)]),
    smallest: wanted === 'both' ? Array.from({ length: count }, (_, i) => values[place.smallest(i)]) : [],
    converged: m >= k && unconverged.length === 0,
    unconverged,
  };
}

/** ‖A·(3q)/3 − A·q‖ / ‖A·q‖ for `product` = A·q, by one more product (see the file comment); 0 when A·q = 0. */
function roundingOf(operator: LinearOperator, q: Float64Array, product: Float64Array): number {
  const n = q.length;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = ROUNDING_PROBE_SCALE * q[i];
  const again = new Float64Array(n);
  operator(again, scaled);
  let difference = 0;
  for (let i = 0; i < n; i++) difference += (again[i] / ROUNDING_PROBE_SCALE - product[i]) ** 2;
  const size = Math.sqrt(dot(product, product));
  return size > 0 ? Math.sqrt(difference) / size : 0;
}

function unitRandom(rng: Rng, n: number, basis: Float64Array[]): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  const coefficients = new Float64Array(basis.length);
  orthogonalise(v, basis, coefficients);
  orthogonalise(v, basis, coefficients);
  const norm = Math.sqrt(dot(v, v));
  for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

/** Σ_{θ<0} weight·|θ| / Σ weight·|θ| over the Ritz values (0 when they are all 0). */
function negativeShare(values: ArrayLike<number>, weight: (j: number) => number): number {
  let negative = 0;
  let total = 0;
  for (let j = 0; j < values.length; j++) {
    const weighted = weight(j) * Math.abs(values[j]);
    total += weighted;
    if (values[j] < 0) negative += weighted;
  }
  return total > 0 ? negative / total : 0;
}

/** Whether every value of `v` is finite (a loop: lanczos asks it of every product, and allocates nothing per step). */
function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
