/**
 * Saddle, minimum or slope? The rule that reads a point of a loss from its gradient, its most
 * negative Hessian eigenvector v and the loss's own values along ±v: one home for the plateau
 * study's points (src/studies/plateau.ts) and measureCurvature's report (the `gradscope curvature`
 * command), so both decide by the same steps and the same inequality.
 */

/** Step lengths ‖θ' − θ‖ tried along ±v, the most negative eigenvector (and down the gradient). */
export const SADDLE_STEPS = [0.1, 0.3, 1, 3] as const;

/** One step t along ±v, the most negative eigenvector, and what f did on each side (f: the function whose Hessian gave v). */
export interface SaddleProbe {
  /** ‖θ' − θ‖ along ±v. */
  step: number;
  /** f(θ + t·v) − f(θ). */
  plus: number;
  /** f(θ − t·v) − f(θ). */
  minus: number;
  /** (plus + minus)/t²: the curvature along v from function values, to set beside λ_min. */
  curvature: number;
}

/**
 * What a point's curvature measurements say, from most to least negative curvature:
 * - 'saddle': confirmed negative curvature (below), a step t along ±v lowers f on both
 *   sides, and at that t the point is as good as critical: the curvature's drop over t (the mean of
 *   the two sides' drops, in which the slope's odd term cancels) is at least ‖∇f‖·t, what the whole
 *   gradient gives to first order over the same length. A saddle (Dauphin et al. 2014) is a critical
 *   point; where the gradient outweighs the curvature the point is on a slope, not at a saddle.
 * - 'strong negative curvature': confirmed, and some step lowers f on both sides, but at
 *   every such step the gradient outweighs the curvature's drop: not a critical point.
 * - 'negative curvature': confirmed, but no step tried lowers f on both sides (the
 *   gradient's slope along v outweighs the curvature at the steps tried).
 * - 'minimum-like': no confirmed negative curvature.
 * Negative curvature counts as confirmed when λ_min < 0 and f's own second difference
 * along v at the shortest step is negative too (function values, independent of the products' rounding).
 */
export type CurvatureVerdict = 'saddle' | 'strong negative curvature' | 'negative curvature' | 'minimum-like';

/** The verdict of a point (CurvatureVerdict) from λ_min, ‖∇f‖ and the probes along ±v (shortest step first). */
export function curvatureVerdict(lambdaMin: number, gradientNorm: number, probes: readonly SaddleProbe[]): CurvatureVerdict {
  const confirmed = lambdaMin < 0 && probes.length > 0 && probes[0].curvature < 0;
  if (!confirmed) return 'minimum-like';
  const bothSides = probes.filter((p) => p.plus < 0 && p.minus < 0);
  if (bothSides.length === 0) return 'negative curvature';
  const critical = bothSides.some((p) => -(p.plus + p.minus) / 2 >= gradientNorm * p.step);
  return critical ? 'saddle' : 'strong negative curvature';
}

/**
 * f along ±v at each of SADDLE_STEPS, shortest first: `change(t)` is f(θ + t·v) − f(θ) (v of unit
 * length), taken on both sides of every step.
 */
export function saddleProbes(change: (t: number) => number): SaddleProbe[] {
  return SADDLE_STEPS.map((step) => {
    const plus = change(step);
    const minus = change(-step);
    return { step, plus, minus, curvature: (plus + minus) / (step * step) };
  });
}

/** Turns v (in place) to point downhill, vᵀ∇f ≤ 0, and returns that slope vᵀ∇f. */
export function orientDownhill(v: Float64Array, gradient: Float64Array): number {
  let slope = 0;
  for (let i = 0; i < v.length; i++) slope += v[i] * gradient[i];
  if (slope > 0) v.forEach((x, i) => (v[i] = -x));
  return -Math.abs(slope);
}

/** The shortest step of SADDLE_STEPS taken down the gradient, −t·∇f/‖∇f‖, and what f did there. */
export interface DownhillProbe {
  /** ‖θ' − θ‖: SADDLE_STEPS[0]. */
  step: number;
  /** f(θ − t·∇f/‖∇f‖) − f(θ); 0 where ∇f = 0 (no step is taken). */
  change: number;
}

/**
 * What a point is, in a word, from what the numbers support:
 * - 'saddle': curvatureVerdict's 'saddle' (the curvature along ±v outweighs the whole gradient over a step tried);
 * - 'slope': negative curvature confirmed, but not a saddle (the gradient outweighs it); or none
 *   confirmed, and the shortest step down the gradient lowers f (the gradient is not near 0 at that length);
 * - 'minimum': no negative curvature confirmed, and the shortest step down the gradient does not lower f:
 *   over that length the curvature outweighs the gradient, as the saddle rule asks of a saddle.
 */
export type PointReading = 'saddle' | 'slope' | 'minimum';

/** The reading of a point (PointReading) from its verdict and its downhill probe. */
export function pointReading(verdict: CurvatureVerdict, downhill: DownhillProbe): PointReading {
  if (verdict === 'saddle') return 'saddle';
  if (verdict !== 'minimum-like') return 'slope';
  return downhill.change < 0 ? 'slope' : 'minimum';
}
