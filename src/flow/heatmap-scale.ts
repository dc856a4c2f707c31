/** The colour scale of a heatmap: round ends and ticks, one rule for the report's heatmaps and the visualizer's flow maps. */
import { invalidOption, shownArgument } from '../errors.js';

/** Ticks of a heatmap's colour scale, its two ends included (heatmapScale). */
const SCALE_TICKS = { min: 4, max: 6 } as const;
/** Steps of a colour scale's ticks within a decade: 5, 2.5, 2 or 1 × 10^k. */
const SCALE_STEPS = [5, 2.5, 2, 1];

/** A heatmap's colour scale: the colours run from lo (darkest) to hi (brightest), labelled at ticks. */
export interface HeatmapScale {
  /** The value of the darkest colour: the first tick, at or below the least value drawn. */
  lo: number;
  /** The value of the brightest colour: the last tick, at or above the greatest value drawn. */
  hi: number;
  /** Round values from lo to hi, ascending, both ends included: 4 to 6 of them. */
  ticks: number[];
}

/**
 * The colour scale of values from `lo` to `hi` (a single value is taken as ±0.5 around it): widened
 * to whole multiples of a round step, 5, 2.5, 2 or 1 × 10^k, so both ends are labelled with round
 * numbers, with 4 to 6 ticks (an end alone says little, more crowd the legend); of the steps that
 * give that many, the one that widens the range least (the colours stay spread over the values),
 * the larger step on a tie. log10 ‖∂C/∂b‖ from −2.90 to −0.26 is scaled from −3 to 0, ticked at −3,
 * −2, −1, 0. Some step always fits: the largest that gives 4 ticks or more follows one at most 2×
 * as large that gave 3 at most, so it gives 6 at most. The report's heatmaps and the visualizer's
 * flow maps both use it, so they colour and label the same values alike.
 */
export function heatmapScale(lo: number, hi: number): HeatmapScale {
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw invalidOption(`heatmapScale(lo, hi): expected finite numbers with lo ≤ hi, got ${shownArgument(lo)} and ${shownArgument(hi)}`);
  }
  const [from, to] = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  // Within rounding: −3 / 0.1 is −29.999999999999996, whose floor is still −30.
  const fuzz = 1e-9;
  let best: { first: number; last: number; step: number } | undefined;
  // Steps from one at least the range wide (≤ 2 ticks) down to a hundredth of it (> 6 ticks).
  const top = 10 ** Math.ceil(Math.log10(to - from));
  for (const decade of [top, top / 10, top / 100]) {
    for (const m of SCALE_STEPS) {
      const step = m * decade;
      const [first, last] = [Math.floor(from / step + fuzz), Math.ceil(to / step - fuzz)];
      const ticks = last - first + 1;
      if (ticks < SCALE_TICKS.min || ticks > SCALE_TICKS.max) continue;
      if (!best || (last - first) * step < (best.last - best.first) * best.step * (1 - fuzz)) best = { first, last, step };
    }
  }
  const { first, last, step } = best!;
  // Rounded to 12 significant digits, as niceTicks' are: 3 × 0.1 is 0.30000000000000004.
  const ticks = Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * step).toPrecision(12)));
  return { lo: ticks[0], hi: ticks[ticks.length - 1], ticks };
}
