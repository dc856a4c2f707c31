/**
 * A proved upper bound on ‖W‖₂, for the trace's chainBound. Power iteration approaches ‖W‖₂ from
 * below and no stop rule makes it a bound (it stops short where the top singular values lie close:
 * docs/gradient-flow.md), so the bound is certified from W's entries instead: with G the Gram matrix
 * of W's shorter side (W·Wᵀ or Wᵀ·W, whose largest eigenvalue is ‖W‖₂²), a Cholesky factorisation of
 * t·I − G that succeeds (the backend's shiftedCholeskyPasses, in float64) proves λmax(G) ≤ t, up to
 * the rounding of G and of the factorisation, which the bound adds on. Each t tried costs a factorisation (side³/6 multiply-adds), so the tries start
 * from Lanczos' estimate of λmax(G) (./gram-lanczos.ts), which the first passes but where Lanczos
 * fell short.
 */
import type { Kernels, Tensor } from '../kernels.js';
import { largestGramEigenvalue, lanczosScratch, type LanczosScratch } from './gram-lanczos.js';

/** The first t tried is (estimate · (1 + BOUND_MARGIN))²: how far above the estimate of ‖W‖₂ (the power iteration's or Lanczos', the larger) a bound starts. */
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
  /** Lanczos' memory, for the estimate the tries start from. */
  lanczos: LanczosScratch;
}

/**
 * Backend floats a bound needs for Grams of up to `side`²: what spectralBoundScratch allocates (the
 * Gram, a zero bias and Lanczos' two vectors) and the float64 factor shiftedCholeskyPasses makes in
 * the backend's own memory (two floats an entry).
 */
export function spectralBoundFloats(side: number): number {
  return 3 * side * side + 3 * side;
}

/** Scratch for Grams of up to `side`² (its tensors from `alloc`, zero-filled: spectralBoundFloats(side) floats). */
export function spectralBoundScratch(alloc: (length: number) => Tensor, side: number): SpectralBoundScratch {
  return { gram: alloc(side * side), zeros: alloc(side), lanczos: lanczosScratch(alloc, side) };
}

/** The power iteration's vectors of W, on its two sides: Lanczos starts from the one on the Gram's side. */
export interface SingularVectors {
  /** `[nIn]`: the estimate of W's top right singular vector (any length). */
  right: Tensor;
  /** `[nOut]`: of its top left singular vector (any length). */
  left: Tensor;
}

/**
 * A number proved ≥ ‖W‖₂ for `w` `[nOut][nIn]`, from `estimate` (the power iteration's, from
 * below) and its `vectors`: with e the larger of the estimate and Lanczos' from the vector on the
 * Gram's side, the smallest of (e · (1 + BOUND_MARGIN·BOUND_GROWTHⁱ))² whose Cholesky test passes,
 * plus the rounding bounds, square-rooted; else (e not > 0, or every try failed) the trace bound
 * ‖W‖₂² ≤ tr(G) = ‖W‖_F². NaN where W holds a NaN, +Infinity where G overflows.
 */
export function spectralBound(k: Kernels, w: Tensor, nIn: number, nOut: number, estimate: number, vectors: SingularVectors, s: SpectralBoundScratch): number {
  const side = Math.min(nIn, nOut);
  const terms = Math.max(nIn, nOut);
  if (nOut <= nIn) {
    k.denseForward(s.gram, w, w, s.zeros, nOut, nIn, nOut); // W·Wᵀ: W's rows against its rows
  } else {
    k.zero(s.gram, side * side);
    k.denseBackwardWeights(s.gram, w, w, nOut, nIn, nIn); // Wᵀ·W
  }
  const view = k.view(s.gram);
  let trace = 0;
  for (let i = 0; i < side; i++) trace += view[i * side + i];
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
  if (Number.isFinite(traceBound)) {
    const lanczos = largestGramEigenvalue(k, s.gram, side, nOut <= nIn ? vectors.left : vectors.right, s.lanczos);
    // Both estimates read ‖W‖₂ from below (but for rounding): the larger is the closer.
    const from = lanczos > 0 ? Math.max(Math.sqrt(lanczos), estimate > 0 ? estimate : 0) : estimate;
    let margin = BOUND_MARGIN;
    for (let attempt = 0; from > 0 && attempt < BOUND_TRIES && Number.isNaN(passed); attempt++, margin *= BOUND_GROWTH) {
      const t = (from * (1 + margin)) ** 2;
      if (t * slack + gramError >= traceBound) break;
      if (k.shiftedCholeskyPasses(s.gram, t, side)) passed = t;
      else failed = t;
    }
  }
  // A failed try puts ‖W‖₂² near or above its t: the bound closes in on it from the try that passed.
  for (let halving = 0; halving < BOUND_HALVINGS && passed > failed; halving++) {
    const t = (failed + passed) / 2;
    if (k.shiftedCholeskyPasses(s.gram, t, side)) passed = t;
    else failed = t;
  }
  return Math.sqrt(Number.isNaN(passed) ? traceBound : passed * slack + gramError) * ROUND_UP;
}

