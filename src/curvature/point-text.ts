/**
 * Saddle, minimum or slope, in words: the lines `gradscope curvature` prints under its table, from
 * measureCurvature's point reading (critical-point.ts). Every diagnosis sends a student there to tell a
 * minimum from a saddle; the command printed eigenvalues and a note that either is one "only where the
 * gradient is also near 0", with no gradient and no rule for "near 0" (newuser40, F9).
 */
import { counted, grouped } from '../counted.js';
import { sci } from '../sci-text.js';
import { bestAlongV, bestDescent, DESCENT_STEPS, DOWNHILL_STEPS, lowestAlongV, meanDrop, OUTWEIGHS, SADDLE_STEPS, strongBand, type SaddleProbe, type StrongBand } from './critical-point.js';
import { percentText } from '../percent-text.js';
import type { CurvatureReport } from './curvature.js';
import { checkCurvatureReport } from './report-argument.js';

/** The steps as a list: '0.1, 0.3, 1, 3'. */
const stepList = SADDLE_STEPS.map((t) => grouped(t)).join(', ');

/** The lengths tried down the gradient, as a range: '3 to 9.77e-5'. */
const descentList = `${grouped(DESCENT_STEPS[0])} to ${sci(DESCENT_STEPS[DESCENT_STEPS.length - 1])}`;

/** The shortest step tried down the gradient: '9.77e-5'. */
const shortestDown = sci(DOWNHILL_STEPS[DOWNHILL_STEPS.length - 1]);

/** A probe as the plateau table gives its best: 't=0.3: -3.78e-5 / 2.32e-5' (C(θ+t·v) − C(θ) / C(θ−t·v) − C(θ)). */
const probeText = (p: SaddleProbe) => `t=${grouped(p.step)}: ${sci(p.plus)} / ${sci(p.minus)}`;

/**
 * What an Infinity among `changes` is, said where one is printed: the loss beyond float32's range there (lossAlong), which
 * the network cannot take, not a loss measured to be infinite. '' where every one is finite. Said beside the ±v probes'
 * line and beside the reading's step down the gradient (DownhillProbe.change is Infinity there the same way), and under
 * the plateau study's table, whose probes are Infinity the same way (plateauTableKey).
 */
export function overflowNote(changes: readonly number[]): string {
  return changes.some((change) => !Number.isFinite(change)) ? " (Infinity: the loss there is beyond float32's range, so the network cannot take it)" : '';
}

/** Probes' two sides, as overflowNote reads them. */
export const probeSides = (probes: readonly SaddleProbe[]) => probes.flatMap((p) => [p.plus, p.minus]);

/**
 * The rule, said once: what makes a saddle, a minimum and a slope (curvatureVerdict, pointReading), naming the
 * command of the study that uses it too as `studyPlateau` (the CLI's: `npx gradscope study plateau` under npx).
 */
export function pointRule(studyPlateau: string): string {
  const shortest = grouped(SADDLE_STEPS[0]);
  return (
    `Saddle, minimum or slope (the rule of \`${studyPlateau}\`; v: the Hessian's eigenvector of its smallest eigenvalue, turned downhill; t: a step length along ±v, ${stepList}): ` +
    `a saddle where the loss curves down along v (λ_min < 0, and the loss's own second difference along v at t=${shortest} below 0 too) and some step t lowers it on both sides by a mean drop at least ${OUTWEIGHS}× what the slope gives, the slope being spent: ` +
    `what the slope gives is the gradient's whole descent, the most a step of ${descentList} down it lowers the loss (a gradient in stiff directions is spent within a short step and counts for what it lowers the loss, not ‖∇C‖·t), but no more than ‖∇C‖·s over that step s (beyond it, the loss curves down along the gradient too), ` +
    `and it is spent where that descent ends within those lengths or falls faster than ‖∇C‖·s; where neither drop is ${OUTWEIGHS}× the other, negative curvature beside a slope; ` +
    `a minimum where no such curvature is confirmed and no step tried lowers the loss: neither side of any t along ±v, nor a step down the gradient of ${shortest} halved down to ${shortestDown}; else a slope.`
  );
}

/**
 * What the gradient offers, in one line: the most a step down it lowered the loss and at what length, and the
 * Hessian's curvature along it beside λ_max, which says whether it lies in stiff directions, where descending it
 * is worth only about ‖∇C‖²/(2·gᵀHg/‖g‖²) over a step of ‖∇C‖/(gᵀHg/‖g‖²): an SGD run's leftover in its output
 * layer, which full-batch steps remove (newuser44 #1), not the slope of a loss that keeps falling.
 */
export function descentText(report: CurvatureReport): string {
  if (report.gradientNorm === 0) return 'Down the gradient: none (‖∇C‖ = 0), no step taken.';
  const best = bestDescent(report.descent);
  const found =
    best === undefined
      ? `no step from ${descentList} lowers the loss`
      : `the most a step lowered the loss is ${sci(-best.change)}, at s=${sci(best.step)}${best.step < DESCENT_STEPS[0] ? ' (longer steps lowered it less: the descent ends there)' : ''}`;
  const c = report.gradientCurvature;
  const lambdaMax = report.hessian.largest[0];
  const curvature = `the Hessian's curvature along it, gᵀHg/‖g‖² = ${sci(c)}${lambdaMax > 0 ? `, is ${percentText(c / lambdaMax)} of λ_max = ${sci(lambdaMax)}` : ''}`;
  const quadratic = c > 0 ? `: a quadratic with that curvature is lowered by at most ‖∇C‖²/(2·gᵀHg/‖g‖²) = ${sci(report.gradientNorm ** 2 / (2 * c))}, over a step of ${sci(report.gradientNorm / c)}` : '';
  return `Down the gradient, C(θ − s·∇C/‖∇C‖) − C(θ) for s from ${descentList}: ${found}; ${curvature}${quadratic}.`;
}

/**
 * Where the gradient's descent ends within the lengths tried (a longer step lowered the loss less): the slope is a fit
 * left unfinished, worth what its best step gave, after which the question is open again; said so that a reader
 * tells an SGD run's leftover in its stiffest directions (newuser44 #1) from a slope that goes on. '' otherwise.
 */
function unfinished(report: CurvatureReport): string {
  const best = bestDescent(report.descent);
  if (best === undefined || best.step >= DESCENT_STEPS[0]) return '';
  const stiff = report.hessian.largest[0] > 0 ? ` (its curvature ${percentText(report.gradientCurvature / report.hessian.largest[0])} of λ_max)` : '';
  return `. But the gradient's descent ends at s=${sci(best.step)}, after ${sci(-best.change)}: a fit left unfinished${stiff}, not a slope that goes on; descend it (full-batch steps) and measure again to see what lies past it`;
}

/**
 * What the slope gives (slopeDrop), in words, as the reading sets it beside the curvature's drop: the gradient's whole
 * descent, its best step's drop and length, `ends` after it where that is shorter than the longest step tried
 * ('(longer steps lowered it less)'; the slopes' readings leave that to unfinished()), or that the descent may run on
 * past the longest; or, where that drop is more than ‖∇C‖·s, the first-order term, the rest being the curvature's.
 */
function slopeText(report: CurvatureReport, ends: string): string {
  const best = bestDescent(report.descent)!;
  const firstOrder = report.gradientNorm * best.step;
  if (firstOrder < -best.change) {
    return `‖∇C‖·s = ${sci(firstOrder)} over the gradient's best step s=${sci(best.step)} (a step there lowered it by ${sci(-best.change)}, the rest the loss curving down along the gradient too)`;
  }
  const where = best.step < DESCENT_STEPS[0] ? `at s=${sci(best.step)}${ends}` : `at s=${grouped(best.step)}, the longest step tried, past which it may run on`;
  return `the gradient's whole descent, ${sci(-best.change)} ${where}`;
}

/**
 * Each band of 'strong negative curvature' (StrongBand) in words: what the point is (`name`) and why (`why`), the same in
 * `gradscope curvature`'s reading and the plateau study's conclusion (src/studies/plateau-conclusion.ts).
 */
export const STRONG_BAND_WORDS: Readonly<Record<StrongBand, { name: string; why: string }>> = {
  'runs on': { name: 'negative curvature beside a slope', why: "not a critical point while the gradient's descent goes on" },
  comparable: { name: 'negative curvature beside a slope', why: 'both pay comparably' },
  'gradient outweighs': { name: 'a slope', why: 'the gradient outweighs it' },
};

/** The reading of the report's point in one line, with the numbers it rests on. */
export function pointReadingText(report: CurvatureReport): string {
  checkCurvatureReport(report, 'pointReadingText', 'point');
  const { verdict, probes, descent, downhill } = report;
  const lambdaMin = sci(report.hessian.smallest[0]);
  const confirmed = `the loss curves down along v (λ_min = ${lambdaMin}, confirmed by its values)`;
  // The step along ±v the rule weighs: the largest mean drop of those lowering both sides (curvatureDrop).
  const along = bestAlongV(probes);
  const alongV = along && `${sci(meanDrop(along))} at t=${grouped(along.step)}`;
  const downChange = `${sci(downhill.change)}${overflowNote([downhill.change])}`;
  const down = `a step of ${grouped(downhill.step)} down the gradient changes the loss by ${downChange}`;
  switch (verdict) {
    case 'saddle': {
      if (report.gradientNorm === 0) return `Reading: a saddle: ${confirmed}, the mean drop along ±v is ${alongV}, and the gradient is 0: a critical point.`;
      if (bestDescent(descent) === undefined) return `Reading: a saddle: ${confirmed}, the mean drop along ±v is ${alongV}, and no step down the gradient from ${descentList} lowers it: the gradient is spent, and the point as good as a critical point.`;
      return `Reading: a saddle: ${confirmed}, and the mean drop along ±v, ${alongV}, is at least ${OUTWEIGHS}× what the slope gives, ${slopeText(report, ' (longer steps lowered it less)')}: the gradient is spent, and the point as good as a critical point.`;
    }
    case 'strong negative curvature': {
      const slope = slopeText(report, '');
      const band = strongBand(report.gradientNorm, descent, probes);
      const { name, why } = STRONG_BAND_WORDS[band];
      if (band === 'runs on') {
        return `Reading: ${name}, neither a minimum nor a saddle: ${confirmed}, and the mean drop along ±v, ${alongV}, is at least ${OUTWEIGHS}× what the slope gives, ${slope}: ${why}.`;
      }
      if (band === 'gradient outweighs') {
        return `Reading: ${name}, not a minimum and not a saddle: ${confirmed} and a step along ±v lowers it on both sides, but ${why}: what the slope gives, ${slope}, is at least ${OUTWEIGHS}× the mean drop along ±v, ${alongV}${unfinished(report)}.`;
      }
      return `Reading: ${name}, neither a minimum nor a saddle: ${confirmed}, and the mean drop along ±v, ${alongV}, is within ${OUTWEIGHS}× of what the slope gives, ${slope}: ${why}, so the point is not critical${unfinished(report)}.`;
    }
    case 'negative curvature':
      return `Reading: a slope, not a minimum and not a saddle: ${confirmed}, but weakly: no step tried along ±v lowers it on both sides (the gradient along v outweighs the curvature).`;
    case 'minimum-like': {
      const unconfirmed =
        report.hessian.smallest[0] < 0
          ? `λ_min = ${lambdaMin} < 0, but the loss's own second difference along v at t=${grouped(probes[0].step)} is ${sci(probes[0].curvature)}, not below 0`
          : `λ_min = ${lambdaMin}`;
      if (report.reading === 'minimum') {
        return `Reading: a minimum, to within the steps tried: no negative curvature is confirmed (${unconfirmed}), no step tried along ±v lowers the loss, and no step down the gradient from ${grouped(SADDLE_STEPS[0])} to ${shortestDown} does (at ${sci(downhill.step)} it changes by ${downChange}): over those lengths the curvature outweighs the gradient.`;
      }
      const lowest = lowestAlongV(probes);
      const where = lowest !== undefined ? `a step of ${grouped(lowest.step)} along ${lowest.side > 0 ? '+' : '−'}v changes the loss by ${sci(lowest.change)}` : down;
      return `Reading: a slope, not a saddle and not at a minimum: no negative curvature is confirmed (${unconfirmed}), but ${where}.`;
    }
  }
}

/** The lines under the table: the gradient, the rule (naming the plateau study's command as `studyPlateau`: pointRule), the loss along ±v and down the gradient, and the reading. */
export function pointText(report: CurvatureReport, studyPlateau: string): string {
  checkCurvatureReport(report, 'pointText', 'point');
  return [
    '',
    `Gradient: ‖∇C‖ = ${sci(report.gradientNorm)} over the same ${counted(report.rows, 'row')}, at the same weights.`,
    pointRule(studyPlateau),
    `Along ±v, C(θ+t·v) − C(θ) / C(θ−t·v) − C(θ): ${report.probes.map(probeText).join('; ')}${overflowNote(probeSides(report.probes))}.`,
    descentText(report),
    pointReadingText(report),
  ].join('\n');
}
