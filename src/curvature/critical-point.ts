/**
 * Saddle, minimum or slope? The rule that reads a point of a loss from its gradient, its most
 * negative Hessian eigenvector v and the loss's own values along ±v: one home for the plateau
 * study's points (src/studies/plateau.ts) and measureCurvature's report (the `gradscope curvature`
 * command), so both decide by the same steps and the same inequality.
 */
import { OUTWEIGHS } from '../saddle-rule.js';

/** Step lengths ‖θ' − θ‖ tried along ±v, the most negative eigenvector (and down the gradient). */
export const SADDLE_STEPS = [0.1, 0.3, 1, 3] as const;

/** One step t along ±v, the most negative eigenvector, and what f did on each side (f: the function whose Hessian gave v). */
export interface SaddleProbe {
  /** ‖θ' − θ‖ along ±v. */
  step: number;
  /** f(θ + t·v) − f(θ); Infinity where f there is beyond float32's range (measureCurvature: the network cannot take the loss, an overflow). */
  plus: number;
  /** f(θ − t·v) − f(θ); Infinity as `plus`. */
  minus: number;
  /** (plus + minus)/t²: the curvature along v from function values, to set beside λ_min; Infinity where a side is. */
  curvature: number;
}

/** The rule's factor (src/saddle-rule.ts, where flow/'s diagnosis reads it too). */
export { OUTWEIGHS };

/**
 * What a point's curvature measurements say, from most to least negative curvature:
 * - 'saddle': confirmed negative curvature (below), a step t along ±v lowers f on both sides, and the slope is
 *   spent and small beside it: the best mean drop along ±v (curvatureDrop: the mean of the two sides' drops, in which
 *   the slope's odd term cancels) is at least OUTWEIGHS× what the slope gives (slopeDrop: the gradient's whole
 *   descent, but no more than its first-order term ‖∇f‖·s over its best step s), and the slope is spent within the
 *   lengths tried (slopeSpent). That is approximate second-order stationarity (Nesterov & Polyak 2006, cubic
 *   regularisation; Jin et al. 2017: ‖∇f‖ ≤ ε beside λ_min < −√(ρε), where what the gradient gives over the
 *   curvature's length |λ_min|/ρ, ε·|λ_min|/ρ, is at most what the curvature gives there, |λ_min|³/ρ²), taken on f's
 *   own values rather than bounded by a Lipschitz constant ρ: a gradient in stiff directions (an SGD run's leftover in
 *   the output layer's bias: newuser44 #1) is spent within a short step and gives only about ‖∇f‖²/(2·gᵀHg/‖g‖²),
 *   not ‖∇f‖·t. A saddle (Dauphin et al. 2014) is a critical point, and the point is as good as one.
 * - 'strong negative curvature': confirmed, and some step lowers f on both sides, but not a saddle: the slope gives
 *   more than 1/OUTWEIGHS of that drop (negative curvature beside a slope, both paying comparably; or the gradient
 *   outweighing it), or its descent is at its most at the longest length tried, past which it may run on. Not a critical point. (Until review44
 *   #14 each t was weighed against the gradient's best drop within t, and a point read 'saddle' where a unit step
 *   down its gradient lowered f by 0.24 and ±v at t = 3 by 0.30.)
 * - 'negative curvature': confirmed, but no step tried lowers f on both sides (the
 *   gradient's slope along v outweighs the curvature at the steps tried).
 * - 'minimum-like': no confirmed negative curvature.
 * Negative curvature counts as confirmed when λ_min < 0 and f's own second difference
 * along v at the shortest step is negative too (function values, independent of the products' rounding).
 */
export type CurvatureVerdict = 'saddle' | 'strong negative curvature' | 'negative curvature' | 'minimum-like';

/** The mean drop of a probe's two sides, −(plus + minus)/2: the curvature's part, the slope's odd term cancelled. */
export const meanDrop = (p: SaddleProbe): number => -(p.plus + p.minus) / 2;

/** The probe along ±v whose two sides both lower f with the largest mean drop (undefined where no step lowers both sides). */
export function bestAlongV(probes: readonly SaddleProbe[]): SaddleProbe | undefined {
  return probes.reduce<SaddleProbe | undefined>((best, p) => (p.plus < 0 && p.minus < 0 && (best === undefined || meanDrop(p) > meanDrop(best)) ? p : best), undefined);
}

/** What the curvature gives: the best mean drop along ±v over the steps that lower f on both sides (0 where none does). */
export function curvatureDrop(probes: readonly SaddleProbe[]): number {
  const best = bestAlongV(probes);
  return best === undefined ? 0 : meanDrop(best);
}

/**
 * What the slope gives: the gradient's whole descent, the most a step down it lowered f (0 where none did, or ∇f = 0),
 * but no more than the first-order term ‖∇f‖·s over that best step s. Where f curves down along the gradient too
 * (gᵀHg < 0, as near a saddle the gradient leans into its negative curvature) a step down it gains beyond ‖∇f‖·s, and
 * that gain is the curvature's, not the slope's; where f curves up along it (a stiff direction) the drop is less.
 */
export function slopeDrop(descent: readonly DownhillProbe[], gradientNorm: number): number {
  const best = bestDescent(descent);
  return best === undefined ? 0 : Math.min(-best.change, gradientNorm * best.step);
}

/**
 * Whether the slope is spent within the lengths tried (DESCENT_STEPS): ∇f = 0, no step down the gradient lowered f,
 * its best step is shorter than the longest (which lowered f less: the descent ends), or the longest lowered f by more
 * than ‖∇f‖·s (what runs on is the curvature along the gradient, not its slope). Otherwise the descent may run on
 * past the longest length, and what the slope gives in all is not known.
 */
export function slopeSpent(descent: readonly DownhillProbe[], gradientNorm: number): boolean {
  const best = bestDescent(descent);
  return best === undefined || best.step < DESCENT_STEPS[0] || -best.change > gradientNorm * best.step;
}

/**
 * ±v's drop over the slope's, curvatureDrop/slopeDrop: the ratio the verdict weighs against OUTWEIGHS (Infinity where the
 * slope gives nothing and ±v something; NaN where neither gives anything).
 */
export function dropRatio(gradientNorm: number, descent: readonly DownhillProbe[], probes: readonly SaddleProbe[]): number {
  return curvatureDrop(probes) / slopeDrop(descent, gradientNorm);
}

/**
 * Where a point of 'strong negative curvature' stands (a step along ±v lowers f on both sides, but the point is not a
 * saddle), by dropRatio, one word per band, which `gradscope curvature`'s reading and the plateau study's conclusion
 * both say (point-text.ts' STRONG_BAND_WORDS; the study filed the gradient's outweighing under "beside a slope", and
 * called every such point's gradient "not spent": review45 #3):
 * - 'runs on': ±v gives at least OUTWEIGHS× what the slope does, but the slope is not spent: its descent may run on past
 *   the longest length tried;
 * - 'comparable': neither gives OUTWEIGHS× what the other does, the slope spent or not: both pay comparably;
 * - 'gradient outweighs': the slope gives at least OUTWEIGHS× what ±v does.
 */
export type StrongBand = 'runs on' | 'comparable' | 'gradient outweighs';

/** The band (StrongBand) of a point of 'strong negative curvature', from its ‖∇f‖, descent and probes along ±v. */
export function strongBand(gradientNorm: number, descent: readonly DownhillProbe[], probes: readonly SaddleProbe[]): StrongBand {
  const ratio = dropRatio(gradientNorm, descent, probes);
  return ratio >= OUTWEIGHS ? 'runs on' : ratio * OUTWEIGHS <= 1 ? 'gradient outweighs' : 'comparable';
}

/**
 * The verdict of a point (CurvatureVerdict) from λ_min, ‖∇f‖, the steps down the gradient (descentProbes) and the probes
 * along ±v (shortest step first).
 */
export function curvatureVerdict(lambdaMin: number, gradientNorm: number, descent: readonly DownhillProbe[], probes: readonly SaddleProbe[]): CurvatureVerdict {
  const confirmed = lambdaMin < 0 && probes.length > 0 && probes[0].curvature < 0;
  if (!confirmed) return 'minimum-like';
  if (bestAlongV(probes) === undefined) return 'negative curvature';
  const saddle = slopeSpent(descent, gradientNorm) && OUTWEIGHS * slopeDrop(descent, gradientNorm) <= curvatureDrop(probes);
  return saddle ? 'saddle' : 'strong negative curvature';
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

/**
 * Halvings of SADDLE_STEPS[0] tried down the gradient: steps 0.1·2⁻ᵏ for k = 0 … DOWNHILL_HALVINGS. On an
 * ill-conditioned loss a step of 0.1 overshoots the steep directions and raises f while a shorter one
 * still lowers it (review41 finding 6), so a minimum needs every length down to 0.1·2⁻¹⁰ ≈ 9.8e-5 not to lower f.
 */
export const DOWNHILL_HALVINGS = 10;

/** The steps tried down the gradient, −t·∇f/‖∇f‖, longest first: SADDLE_STEPS[0]·2⁻ᵏ, k = 0 … DOWNHILL_HALVINGS. */
export const DOWNHILL_STEPS: readonly number[] = Array.from({ length: DOWNHILL_HALVINGS + 1 }, (_, k) => SADDLE_STEPS[0] / 2 ** k);

/** A step taken down the gradient, −t·∇f/‖∇f‖, and what f did there. */
export interface DownhillProbe {
  /** ‖θ' − θ‖ (a report's `downhill`: the longest of 0.1·2⁻ᵏ, k = 0 … 10, that lowers f, or the shortest, 0.1·2⁻¹⁰, where none does). */
  step: number;
  /** f(θ − t·∇f/‖∇f‖) − f(θ); 0 where ∇f = 0 (no step is taken); Infinity where f there is beyond float32's range (as SaddleProbe's sides). */
  change: number;
}

/**
 * The lengths tried down the gradient, −t·∇f/‖∇f‖, longest first: the longer SADDLE_STEPS (3, 1, 0.3), so that
 * the gradient is weighed over every length the curvature is, then 0.1 halved ten times, down to 9.8e-5.
 */
export const DESCENT_STEPS: readonly number[] = [...SADDLE_STEPS.slice(1).reverse(), ...DOWNHILL_STEPS];

/**
 * f down the gradient at every length of DESCENT_STEPS, longest first: `change(t)` is f(θ − t·∇f/‖∇f‖) − f(θ).
 * Where the lowest lies between two lengths tried, one more step, at the vertex of the parabola through those
 * three (a line search's refinement), is taken too and listed last: on a grid of ratio 2 to 3 the best
 * length can miss the best drop by a quarter, and the rule weighs that drop against the curvature's.
 */
export function descentProbes(change: (t: number) => number): DownhillProbe[] {
  const probes = DESCENT_STEPS.map((step) => ({ step, change: change(step) }));
  const lowest = probes.reduce((best, p, i) => (p.change < probes[best].change ? i : best), 0);
  if (lowest === 0 || lowest === probes.length - 1 || !(probes[lowest].change < 0)) return probes;
  const [a, b, c] = [probes[lowest + 1], probes[lowest], probes[lowest - 1]];
  // The vertex of the parabola through (a, b, c), a.step < b.step < c.step, b lowest: between a and c.
  const p = (b.step - a.step) * (b.change - c.change);
  const q = (b.step - c.step) * (b.change - a.change);
  const vertex = b.step - ((b.step - a.step) * p - (b.step - c.step) * q) / (2 * (p - q));
  // (one that rounds to the lowest's own length would take that step again)
  if (Number.isFinite(vertex) && vertex > a.step && vertex < c.step && Math.abs(vertex - b.step) > 1e-9 * b.step) probes.push({ step: vertex, change: change(vertex) });
  return probes;
}

/** The step of `descent` that lowered f most (undefined where none did). */
export function bestDescent(descent: readonly DownhillProbe[]): DownhillProbe | undefined {
  return descent.reduce<DownhillProbe | undefined>((best, p) => (p.change < 0 && (best === undefined || p.change < best.change) ? p : best), undefined);
}

/**
 * The downhill probe of a minimum's test, from `descent`: the longest of DOWNHILL_STEPS that lowers f, or
 * the shortest where none does (a backtracking search from 0.1); `{ step: 0.1, change: 0 }` where ∇f = 0
 * (`descent` empty: no step is taken).
 */
export function downhillOf(descent: readonly DownhillProbe[]): DownhillProbe {
  const halvings = descent.filter((p) => DOWNHILL_STEPS.includes(p.step));
  if (halvings.length === 0) return { step: DOWNHILL_STEPS[0], change: 0 };
  return halvings.find((p) => p.change < 0) ?? halvings[halvings.length - 1];
}

/** The lowest f found along ±v (a side of one probe), or undefined where no step tried along ±v lowers f. */
export function lowestAlongV(probes: readonly SaddleProbe[]): { step: number; side: 1 | -1; change: number } | undefined {
  let lowest: { step: number; side: 1 | -1; change: number } | undefined;
  for (const p of probes) {
    for (const [side, change] of [[1, p.plus], [-1, p.minus]] as const) {
      if (change < 0 && (lowest === undefined || change < lowest.change)) lowest = { step: p.step, side, change };
    }
  }
  return lowest;
}

/**
 * What a point is, in a word, from what the numbers support:
 * - 'saddle': curvatureVerdict's 'saddle' (the curvature along ±v lowers f at least as much as the gradient does within a step tried);
 * - 'slope': negative curvature confirmed, but not a saddle (the gradient lowers f more); or none
 *   confirmed, and some step tried lowers f: along ±v, or down the gradient;
 * - 'minimum': no negative curvature confirmed, and no step tried lowers f: neither side of ±v at any of
 *   SADDLE_STEPS, nor any step 0.1·2⁻ᵏ (k = 0 … 10) down the gradient.
 */
export type PointReading = 'saddle' | 'slope' | 'minimum';

/** The reading of a point (PointReading) from its verdict, its probes along ±v and its downhill probe. */
export function pointReading(verdict: CurvatureVerdict, probes: readonly SaddleProbe[], downhill: DownhillProbe): PointReading {
  if (verdict === 'saddle') return 'saddle';
  if (verdict !== 'minimum-like') return 'slope';
  return lowestAlongV(probes) !== undefined || downhill.change < 0 ? 'slope' : 'minimum';
}
