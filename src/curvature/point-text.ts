/**
 * Saddle, minimum or slope, in words: the lines `gradscope curvature` prints under its table, from
 * measureCurvature's point reading (critical-point.ts). Every diagnosis sends a student there to tell a
 * minimum from a saddle; the command printed eigenvalues and a note that either is one "only where the
 * gradient is also near 0", with no gradient and no rule for "near 0" (newuser40, F9).
 */
import { counted, grouped } from '../counted.js';
import { sci } from '../sci-text.js';
import { DOWNHILL_STEPS, lowestAlongV, SADDLE_STEPS, type SaddleProbe } from './critical-point.js';
import type { CurvatureReport } from './curvature.js';

/** The steps as a list: '0.1, 0.3, 1, 3'. */
const stepList = SADDLE_STEPS.map((t) => grouped(t)).join(', ');

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

/** The mean drop of a probe's two sides, (−plus − minus)/2: the curvature's part, the slope's odd term cancelled. */
const meanDrop = (p: SaddleProbe) => -(p.plus + p.minus) / 2;

/**
 * The rule, said once: what makes a saddle, a minimum and a slope (curvatureVerdict, pointReading), naming the
 * command of the study that uses it too as `studyPlateau` (the CLI's: `npx gradscope study plateau` under npx).
 */
export function pointRule(studyPlateau: string): string {
  const shortest = grouped(SADDLE_STEPS[0]);
  return (
    `Saddle, minimum or slope (the rule of \`${studyPlateau}\`; v: the Hessian's eigenvector of its smallest eigenvalue, turned downhill; t: a step length along ±v, ${stepList}): ` +
    `a saddle where the loss curves down along v (λ_min < 0, and the loss's own second difference along v at t=${shortest} below 0 too) and some step t lowers it on both sides by a mean drop ≥ ‖∇C‖·t, what the whole gradient gives over that length; ` +
    `a minimum where no such curvature is confirmed and no step tried lowers the loss: neither side of any t along ±v, nor a step down the gradient of ${shortest} halved down to ${shortestDown}; else a slope.`
  );
}

/** The reading of the report's point in one line, with the numbers it rests on. */
export function pointReadingText(report: CurvatureReport): string {
  const { verdict, probes, gradientNorm, downhill } = report;
  const lambdaMin = sci(report.hessian.smallest[0]);
  const confirmed = `the loss curves down along v (λ_min = ${lambdaMin}, confirmed by its values)`;
  const bothSides = probes.filter((p) => p.plus < 0 && p.minus < 0);
  // The step whose mean drop comes nearest ‖∇C‖·t (the largest share of it): the one the rule turns on.
  const nearest = bothSides.reduce<SaddleProbe | undefined>((best, p) => (best === undefined || meanDrop(p) / p.step > meanDrop(best) / best.step ? p : best), undefined);
  const against = (p: SaddleProbe, relation: string) => `at t=${grouped(p.step)} the mean drop along ±v, ${sci(meanDrop(p))}, is ${relation} ‖∇C‖·t = ${sci(gradientNorm * p.step)}`;
  const downChange = `${sci(downhill.change)}${overflowNote([downhill.change])}`;
  const down = `a step of ${grouped(downhill.step)} down the gradient changes the loss by ${downChange}`;
  switch (verdict) {
    case 'saddle':
      return `Reading: a saddle: ${confirmed}, and ${against(nearest!, 'at least')}: as good as a critical point.`;
    case 'strong negative curvature':
      return `Reading: a slope, not a minimum and not a saddle: ${confirmed} and a step along ±v lowers it on both sides, but the gradient outweighs it: ${against(nearest!, 'below')}.`;
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

/** The lines under the table: the gradient, the rule (naming the plateau study's command as `studyPlateau`: pointRule), the loss along ±v, and the reading. */
export function pointText(report: CurvatureReport, studyPlateau: string): string {
  return [
    '',
    `Gradient: ‖∇C‖ = ${sci(report.gradientNorm)} over the same ${counted(report.rows, 'row')}, at the same weights.`,
    pointRule(studyPlateau),
    `Along ±v, C(θ+t·v) − C(θ) / C(θ−t·v) − C(θ): ${report.probes.map(probeText).join('; ')}${overflowNote(probeSides(report.probes))}.`,
    pointReadingText(report),
  ].join('\n');
}
