/**
 * How curvature measurements read when printed: the wording the curvature command, the plateau
 * study's table and its HTML report share, kept apart from the numerics (lanczos.ts, matrix-trace.ts) so
 * there is one home for it.
 */
import { PIECEWISE_LINEAR, type Activation, type Loss } from '../kernels.js';
import { percentText } from '../percent-text.js';
import type { CheckedSpec } from '../layers/spec.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from './negative-mass.js';

/**
 * A negative mass as printed: a percentage, "≈" before an estimate (HessianSummary.negativeMassExact
 * false). Given its start vectors' estimates (HessianSummary.negativeMassProbes, two or more), it
 * prints their lowest and highest after it, with as many digits as their spread tells: whole
 * percentages where they lie a point or more apart, one decimal closer, the lowest rounded down and
 * the highest up, "≈36 % (35–37 %)". An estimate without them, the run's own one-probe quadrature,
 * is printed in whole percent, "≈12 %": to 3 figures it read as a measurement where one start vector
 * was 26 points off (newuser45 #7); every printed estimate of gradscope's has its start vectors.
 */
export function negativeMassText(share: number, exact: boolean, probes: readonly number[] = []): string {
  if (exact) return percentText(share);
  if (probes.length < 2) return `≈${(100 * share).toFixed(0)} %`;
  const low = 100 * Math.min(...probes);
  const high = 100 * Math.max(...probes);
  const decimals = high - low >= 1 ? 0 : 1;
  const unit = 10 ** decimals;
  // Outward, and never past 0 or 100 %; the rounding's own float error kept off (35.000000001 is 35).
  const down = (x: number) => Math.max(0, Math.floor(x * unit + 1e-9) / unit);
  const up = (x: number) => Math.min(100, Math.ceil(x * unit - 1e-9) / unit);
  return `≈${(100 * share).toFixed(decimals)} % (${down(low).toFixed(decimals)}–${up(high).toFixed(decimals)} %)`;
}

/**
 * How an estimated negative mass is made and what its brackets are (negativeMassText), for the note under a table
 * that prints one: `gradscope curvature`'s and the plateau study's, whose Hessian runs both take MASS_PROBES.
 */
export function estimatedMassWords(): string {
  return (
    `the eigenvalues Lanczos converged counted exactly, the rest by stochastic Lanczos quadrature from ${MASS_PROBES} random start vectors ` +
    `of ${MASS_PROBE_STEPS} steps each in their complement; the figure pools the ${MASS_PROBES}, the brackets give the lowest and highest of them, ` +
    'rounded outward to the digits their spread tells (docs/curvature.md: how often they hold the exact share)'
  );
}

/**
 * What a Gauss-Newton row of a curvature table writes where a Hessian row has its smallest
 * eigenvalues and its negative mass, and the note under the table that says why: G is positive
 * semi-definite, so it has no negative mass and its smallest eigenvalues are not measured
 * (GaussNewtonSummary has none). The one source of that wording for every table of such rows.
 */
export function gaussNewtonLowerEnd(): { smallest: string; negativeMass: string; note: string } {
  return {
    smallest: 'not measured: ≥ 0',
    negativeMass: 'none: G is PSD',
    note:
      "Gauss-Newton rows: G = Jᵀ·H_L·J is positive semi-definite (PSD; H_L, the loss's curvature in its input, is for every loss gradscope has), " +
      "and so is each layer's block of it: no eigenvalue is below 0, so there is no negative mass, and the smallest eigenvalues are not measured: " +
      "they are 0 wherever G's rank, at most rows × outputs, is below the parameters it covers, and say nothing of saddles. " +
      "The Hessian's smallest, which can be negative, tell whether the loss curves down along some direction (one below 0) or along none (none below 0); " +
      "either is a saddle or a minimum only where the gradient is also near 0, and elsewhere a slope: the lines below weigh the curvature against the gradient by the plateau study's rule (docs/curvature.md).",
  };
}

/**
 * The activations met from the input to the loss, residual branches included, and whether a ReZero
 * gate is among them; undefined when a batch or layer norm is: it divides by its batch's or row's σ,
 * which curves in every input, so the layers before it have blocks of H that are not G's.
 */
function curvedParts(layers: readonly CheckedSpec[]): { activations: string[]; gated: boolean } | undefined {
  const activations: string[] = [];
  let gated = false;
  const walk = (specs: readonly CheckedSpec[]): boolean =>
    specs.every((spec) => {
      if (spec.type === 'batch-norm' || spec.type === 'layer-norm') return false;
      if (spec.type !== 'residual') return activations.push(spec.activation) > 0;
      gated ||= spec.gate === 'rezero';
      return walk(spec.layers);
    });
  return walk(layers) ? { activations, gated } : undefined;
}

/**
 * The sentence under a curvature table when its H and G rows agree because each layer's diagonal
 * block of H is its block of G; undefined when that does not hold. H·v adds to G·v the f''-terms of
 * the hidden activations (and, with MSE, of the output: hessian-product.ts, src/layers/hessian.ts),
 * V^l·δ^l, which reaches only the layers below l, and a ReZero gate's α times its branch (α and the
 * branch are blocks of their own), off layer l's diagonal block. With every such f'' = 0
 * (PIECEWISE_LINEAR) nothing is left within a block: a layer's H and G rows agree, and so do the
 * whole network's traces when they are sums of the blocks' (exact, or each layer probed on its own:
 * `tracesOfBlocks`); its largest eigenvalues still differ by the blocks between layers. A block
 * network qualifies as a dense one does, residual blocks and activation layers included; one with
 * a batch or layer norm never does (curvedParts).
 */
export function sameBlocksNote(layers: readonly CheckedSpec[], loss: Loss, rows: { layers: boolean; tracesOfBlocks: boolean }): string | undefined {
  const parts = curvedParts(layers);
  if (!parts) return undefined;
  // The output's activation is fused with cross-entropy and binary cross-entropy (its curvature is H_L's, in G too).
  const last = layers[layers.length - 1];
  const fused = loss !== 'mse' && last.type !== 'residual';
  const curved = fused ? parts.activations.slice(0, -1) : parts.activations;
  if (!curved.every((f) => PIECEWISE_LINEAR.includes(f as Activation))) return undefined;
  const agree = [...(rows.layers ? ['per layer'] : []), ...(rows.tracesOfBlocks ? ["in the whole network's trace"] : [])];
  if (agree.length === 0) return undefined;
  const named = [...new Set(curved)].join(', ');
  const between = `the products' V^l·δ^l${parts.gated ? ", a ReZero gate's α times its branch" : ''}`;
  return (
    `H and G rows agree ${agree.join(' and ')}, as they must here: ${named} ${curved.length > 1 ? 'have' : 'has'} f'' = 0, so H adds to G only terms between layers (${between}), ` +
    `none within a layer's diagonal block${rows.tracesOfBlocks ? ', and a trace is the sum of those blocks' : ''}; the whole network's largest eigenvalues differ by the blocks between layers`
  );
}
