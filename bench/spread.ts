/**
 * The spread of a measurement taken once per interleaved round (a fraction of the peak, a
 * speed-up): its median, its quartiles and its range, and how `npm run bench` prints them. On a
 * shared 2-vCPU host one round can read several points from the next; the quartiles say how far
 * the middle half of the rounds strayed, the range how far the worst round did.
 */
import { median, quantile } from '../src/median.js';

export interface Spread {
  /** Rounds measured. */
  rounds: number;
  min: number;
  /** First quartile (linear interpolation between ranks, numpy's default). */
  q1: number;
  /** The library's median (src/median.ts): the middle value, or the mean of the two middle ones. */
  median: number;
  /** Third quartile. */
  q3: number;
  max: number;
}

/** The spread of one value per round; throws on no rounds or a non-finite value (a failed round must not read as a number). */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spreadOf: no rounds measured');
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`spreadOf: round ${bad + 1} of ${values.length} measured ${values[bad]}`);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    rounds: sorted.length,
    min: sorted[0],
    q1: quantile(sorted, 0.25),
    median: median(sorted),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1],
  };
}

/**
 * `over[i] / under[i]` for each round i: a ratio of two measurements taken in the same round (a
 * speed-up, a fraction of that round's peak); throws when the rounds do not pair up.
 */
export function roundRatios(over: readonly number[], under: readonly number[]): number[] {
  if (over.length !== under.length) throw new Error(`roundRatios: ${over.length} rounds over ${under.length}`);
  return over.map((value, i) => value / under[i]);
}

/** A range `a–b`, or the one value when both print alike. */
function range(a: string, b: string): string {
  return a === b ? a : `${a}–${b}`;
}

/**
 * `91 % (11 rounds: middle half 89–93 %, all 85–94 %)`: the median, then the quartiles and the
 * range, each formatted by `format` (which carries the unit; a shared trailing unit is printed once).
 */
export function spreadText(s: Spread, format: (value: number) => string): string {
  const unit = (text: string) => /[^\d.]*$/.exec(text)![0];
  const bare = (text: string) => text.slice(0, text.length - unit(text).length);
  const pair = (a: number, b: number) => {
    const [fa, fb] = [format(a), format(b)];
    return unit(fa) === unit(fb) ? `${range(bare(fa), bare(fb))}${unit(fb)}` : range(fa, fb);
  };
  return `${format(s.median)} (${s.rounds} rounds: middle half ${pair(s.q1, s.q3)}, all ${pair(s.min, s.max)})`;
}
