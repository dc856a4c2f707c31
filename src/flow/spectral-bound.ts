/**
 * A proved upper bound on ‖W‖₂, for the trace's chainBound. Power iteration approaches ‖W‖₂ from
 * below and no stop rule makes it a bound (it stops short where the top singular values lie close:
 * docs/gradient-flow.md), so the bound is certified from W's entries instead: with G the Gram matrix
 * of W's shorter side (W·Wᵀ or Wᵀ·W, whose largest eigenvalue is ‖W‖₂²), a Cholesky factorisation of
 * t·I − G that succeeds proves λmax(G) ≤ t, up to the rounding of G and of the factorisation, which
 * the bound adds on.
 */
import type { Kernels, Tensor } from '../kernels.js';

/** The first t tried is (estimate · (1 + BOUND_MARGIN))²: how far above the power iteration's estimate a bound starts. */
export const BOUND_MARGIN = 1e-4;
/** Tries of t before the trace bound: each one after a failed factorisation raises the margin ×BOUND_GROWTH. */
export const BOUND_TRIES = 8;
/** How much the margin grows after a try whose factorisation failed (‖W‖₂ was above that t). */
export const BOUND_GROWTH = 4;
/** Halvings of the interval between a failed try and the next, passing one: each a factorisation, only where a try failed. */
export const BOUND_HALVINGS = 3;

/** Unit roundoff and smallest subnormal of a backend's tensors: the error of its Gram products. */
const ROUNDING = { f32: { unit: 2 ** -24, tiny: 2 ** -149 }, f64: { unit: 2 ** -53, tiny: 2 ** -1074 } } as const;
/** float64's unit roundoff: the factorisation's arithmetic. */
const F64_UNIT = 2 ** -53;
/** Covers the dozen float64 operations of the bound's own formula (each within F64_UNIT of σ̄², halved by √). */
const ROUND_UP = 1 + 2 ** -50;

/** Higham's γₙ = n·u/(1 − n·u): the relative error of an n-term float sum of products, in any order. */
function gamma(n: number, unit: number): number {
  return (n * unit) / (1 - n * unit);
}

/** Memory for spectralBound, sized for the largest Gram it will make (`side` = the shorter side of W). */
export interface SpectralBoundScratch {
  /** The Gram matrix on the backend, side². */
  gram: Tensor;
  /** A zero bias of `side`, for the Gram product by denseForward. */
  zeros: Tensor;
  /** The Gram matrix in float64, side². */
  gram64: Float64Array;
  /** t·I − G, factorised in place, side². */
  shifted: Float64Array;
}

/** Scratch for Grams of up to `side`² (its tensors from `alloc`, zero-filled). */
export function spectralBoundScratch(alloc: (length: number) => Tensor, side: number): SpectralBoundScratch {
  return { gram: alloc(side * side), zeros: alloc(side), gram64: new Float64Array(side * side), shifted: new Float64Array(side * side) };
}

/**
 * A number proved ≥ ‖W‖₂ for `w` `[nOut][nIn]`, starting from `estimate` (the power iteration's,
 * from below): the smallest of (estimate · (1 + BOUND_MARGIN·BOUND_GROWTHⁱ))² whose Cholesky test
 * passes, plus the rounding bounds, square-rooted; else (estimate not > 0, or every try failed) the
 * trace bound ‖W‖₂² ≤ tr(G) = ‖W‖_F². NaN where W holds a NaN, +Infinity where G overflows.
 */
export function spectralBound(k: Kernels, w: Tensor, nIn: number, nOut: number, estimate: number, s: SpectralBoundScratch): number {
  const side = Math.min(nIn, nOut);
  const terms = Math.max(nIn, nOut);
  if (nOut <= nIn) {
    k.denseForward(s.gram, w, w, s.zeros, nOut, nIn, nOut); // W·Wᵀ: W's rows against its rows
  } else {
    k.zero(s.gram, side * side);
    k.denseBackwardWeights(s.gram, w, w, nOut, nIn, nIn); // Wᵀ·W
  }
  const g = s.gram64;
  const view = k.view(s.gram);
  let trace = 0;
  for (let i = 0; i < side * side; i++) g[i] = view[i];
  for (let i = 0; i < side; i++) trace += g[i * side + i];
  // Each entry of the computed G̃ is a float sum of products, within γ·(|W|·|W|ᵀ) of G's in any order
  // of the sums (Higham, Accuracy and Stability of Numerical Algorithms, 2002, (3.5)), plus what its
  // products lose to underflow; so ‖G̃ − G‖₂ ≤ γ·‖ |W| ‖_F² + underflow = γ·tr G + underflow, and tr G
  // is at most tr G̃ (sums of squares, each within γ) over (1 − γ). γ counts the terms of one entry,
  // its bias (0) and this float64 sum of the diagonal.
  const { unit, tiny } = ROUNDING[k.precision];
  const gramGamma = gamma(terms + side + 2, unit);
  const underflow = side * terms * tiny;
  const traceBound = (trace + underflow) / (1 - gramGamma);
  const gramError = gramGamma * traceBound + underflow;
  // A float64 Cholesky of M = t·I − G̃ that runs to completion gives RᵀR = M + ΔM with
  // |ΔM| ≤ γ_{side+1}·|Rᵀ|·|R| (Higham, Theorem 10.3), so λmin(M) ≥ −γ·‖R‖_F² ≥ −γ·tr(M)/(1 − γ) and
  // tr(M) ≤ side·t; M's diagonal t − g̃ᵢᵢ is rounded once more (≤ F64_UNIT·t).
  const choleskyGamma = gamma(side + 1, F64_UNIT);
  const slack = 1 + F64_UNIT + (side * choleskyGamma) / (1 - choleskyGamma);
  let passed = NaN;
  let failed = NaN;
  if (estimate > 0 && Number.isFinite(traceBound)) {
    let margin = BOUND_MARGIN;
    for (let attempt = 0; attempt < BOUND_TRIES && Number.isNaN(passed); attempt++, margin *= BOUND_GROWTH) {
      const t = (estimate * (1 + margin)) ** 2;
      if (t * slack + gramError >= traceBound) break;
      if (positiveDefinite(s.shifted, g, t, side)) passed = t;
      else failed = t;
    }
  }
  // A failed try puts ‖W‖₂² near or above its t: the bound closes in on it from the try that passed.
  for (let halving = 0; halving < BOUND_HALVINGS && passed > failed; halving++) {
    const t = (failed + passed) / 2;
    if (positiveDefinite(s.shifted, g, t, side)) passed = t;
    else failed = t;
  }
  return Math.sqrt(Number.isNaN(passed) ? traceBound : passed * slack + gramError) * ROUND_UP;
}

/**
 * Whether t·I − g (`[n][n]`, symmetric, its lower triangle read) passed a float64 Cholesky
 * factorisation in `m` (overwritten): every pivot > 0. Four partial sums per inner product, for
 * speed: Theorem 10.3's bound holds for any order of the sums.
 */
function positiveDefinite(m: Float64Array, g: Float64Array, t: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j <= i; j++) {
      const other = j * n;
      let s0 = (i === j ? t : 0) - g[row + j];
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let c = 0;
      for (; c + 4 <= j; c += 4) {
        s0 -= m[row + c] * m[other + c];
        s1 -= m[row + c + 1] * m[other + c + 1];
        s2 -= m[row + c + 2] * m[other + c + 2];
        s3 -= m[row + c + 3] * m[other + c + 3];
      }
      for (; c < j; c++) s0 -= m[row + c] * m[other + c];
      const sum = s0 + s1 + s2 + s3;
      if (i === j) {
        if (!(sum > 0)) return false;
        m[row + i] = Math.sqrt(sum);
      } else {
        m[row + j] = sum / m[other + j];
      }
    }
  }
  return true;
}
