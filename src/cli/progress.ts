/**
 * Progress on stderr. On a terminal: one bar redrawn in place. Otherwise (a log, a CI job): a plain
 * line each time another tenth of the work is done, so logs show that the job is alive without a
 * line per step. Results go to stdout, so progress never mixes with them.
 */
import type { Terminal } from './terminal.js';
import { cutToWidth, displayWidth } from '../display-width.js';

/** Lines a non-terminal run prints per bar, at most (one per tenth). */
export const PROGRESS_LINES = 10;

/** Characters of a terminal's bar. */
const BAR_WIDTH = 30;
/** The fewest characters a terminal's bar keeps on a narrow terminal (it shrinks before the words beside it are cut). */
const BAR_LEAST = 10;

/** A terminal's bar is redrawn at most this often (ms), and at the end: fast jobs report thousands of steps a second. */
const REDRAW_INTERVAL = 50;

/** Options of a ProgressBar; every field is optional. */
export interface ProgressOptions {
  /**
   * Say roughly how long is left (default false): the work left at the rates the work since the
   * first report went at (timeLeftWords). Timed from the first report, not from the bar's making, so
   * that what came before the work (loading the digits, setting up) is not taken for part of it. Only
   * for a total counted in units of about like cost (epochs of one network, runs of one shape,
   * multiply-adds); where they went at different rates, the range says so, leaving out a stretch
   * unlike the rest that holds less than a tenth of the work (keptRates).
   */
  timeLeft?: boolean;
  /** The clock, in milliseconds, that times the time left and a terminal's redraws (default performance.now). */
  clock?: () => number;
}

/** 'about 25 s left', 'about 3 min left': rounded as far as an estimate from the work so far deserves. */
export function timeLeftText(ms: number): string {
  return `${durationWords(ms)} left`;
}

/** 'a few seconds', 'about 25 s', 'about 3 min': timeLeftText's rounding. */
function durationWords(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return 'a few seconds';
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** A stretch of work between two reports that moved it: `work` units that took `ms`. */
export interface Stretch {
  work: number;
  ms: number;
}

/**
 * The most of the work so far that the stretches left out at either end of the rates hold, together: one stretch
 * slower or faster than the rest (the first's JIT warm-up, a GC pause, a burst of load on a shared host) holds less
 * and is left out, where kept it would fix that end of the range for the rest of the run (review44 #16); a kind of
 * work that recurs, as study (c)'s 50-layer networks do (about a tenth of its work each), holds more and is kept.
 */
export const OUTLIER_SHARE = 0.1;

/** The rates, in ms per unit of work, that the time left is said from (keptRates). */
export interface WorkRates {
  /** The fastest and the slowest stretch kept. */
  fastest: number;
  slowest: number;
  /** The kept stretches' time over their work. */
  mean: number;
}

/**
 * The rates of the stretches so far, those at either end (the fastest, the slowest) that together hold less than
 * OUTLIER_SHARE of their work left out; undefined before any stretch did work.
 */
export function keptRates(stretches: readonly Stretch[]): WorkRates | undefined {
  const byRate = stretches.filter((s) => s.work > 0).sort((a, b) => a.ms / a.work - b.ms / b.work);
  if (byRate.length === 0) return undefined;
  const cut = OUTLIER_SHARE * byRate.reduce((sum, s) => sum + s.work, 0);
  let first = 0;
  for (let out = byRate[0].work; out < cut; out += byRate[++first].work);
  let last = byRate.length - 1;
  for (let out = byRate[last].work; out < cut; out += byRate[--last].work);
  const kept = byRate.slice(first, last + 1);
  const rate = (s: Stretch) => s.ms / s.work;
  return { fastest: rate(kept[0]), slowest: rate(kept[kept.length - 1]), mean: kept.reduce((sum, s) => sum + s.ms, 0) / kept.reduce((sum, s) => sum + s.work, 0) };
}

/**
 * The time `left` units of work take at `rates`: where the fastest and the slowest kept stretch round alike, timeLeftText
 * of the mean; else the range, 'about 40 s to 3 min left', the work left at the fastest and at the slowest. Study (c)'s
 * 50-layer sigmoid networks ran 4–5× slower per weight than the rest on an Intel Xeon (subnormal gradients), and the time
 * left said from the mean rate after them, 'about 3 min left', was 38 s (newuser43 #14).
 */
export function timeLeftWords(rates: WorkRates, left: number): string {
  const [low, high] = [rates.fastest * left, rates.slowest * left].map(durationWords);
  return low === high ? timeLeftText(rates.mean * left) : `${low} to ${high.replace(/^about /, '')} left`;
}

export class ProgressBar {
  /** When the terminal's bar was last drawn; never at first, so the first report draws whatever the clock reads. */
  private lastDrawn = -Infinity;
  private linesPrinted = 0;
  private readonly clock: () => number;
  /** The last report that moved the work: when, and how much was done by then. */
  private last?: { at: number; done: number };
  /**
   * The stretches between reports that moved the work, since the first, kept whole: the bars that say the time left
   * report a few hundred times at most (a study's epochs, runs or networks).
   */
  private readonly stretches: Stretch[] = [];

  constructor(
    private readonly terminal: Terminal,
    private readonly label: string,
    private total: number,
    private readonly options: ProgressOptions = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /**
   * Shows `done` of the work. `total` replaces the bar's total when given: a job whose plan shrinks
   * as it goes (curvature's Lanczos runs that converge early) says so, and the percentage is then of
   * the work still planned, not of the first plan.
   */
  update(done: number, note = '', total = this.total): void {
    this.total = total;
    const at = this.clock();
    // A report of no more work (a row the study skips) starts no stretch: its time goes to the next work done.
    if (this.last === undefined || done !== this.last.done) {
      if (this.last && this.options.timeLeft) this.stretches.push({ work: done - this.last.done, ms: at - this.last.at });
      this.last = { at, done };
    }
    const percent = String(Math.round((100 * done) / this.total)).padStart(3);
    if (!this.terminal.live) {
      const tenth = Math.floor((PROGRESS_LINES * done) / this.total);
      if (tenth <= this.linesPrinted) return;
      this.linesPrinted = tenth;
      this.terminal.err(`${this.label}: ${percent.trim()} %${[note, this.left(done)].filter(Boolean).map((part) => `, ${part}`).join('')}\n`);
      return;
    }
    if (done < this.total && at - this.lastDrawn < REDRAW_INTERVAL) return;
    this.lastDrawn = at;
    const said = [note, this.left(done)].filter(Boolean).join(', ');
    // On a narrow terminal the bar gives up its width first (down to BAR_LEAST), then what is said after the percentage.
    const room = this.terminal.errColumns === undefined ? Infinity : this.terminal.errColumns - 1;
    const width = Math.max(BAR_LEAST, Math.min(BAR_WIDTH, room - displayWidth(`${this.label}  ${percent}% ${said}`) - 1));
    const filled = Math.round((width * done) / this.total);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    // Cut to the room (columns, never inside a character), its end an ellipsis: a line the terminal wraps is redrawn from its
    // last row only, so each redraw left the rows above it behind.
    this.terminal.err(`\r${cutToWidth(`${this.label} ${bar} ${percent}% ${said}`, room, '…')}\x1b[K`);
  }

  done(): void {
    if (this.terminal.live) this.terminal.err('\r\x1b[K');
  }

  /** The time left as the work since the first report measures it (timeLeftWords), or '' (not asked for, nothing to time yet, or all done). */
  private left(done: number): string {
    if (!this.options.timeLeft || done >= this.total) return '';
    const rates = keptRates(this.stretches);
    return rates === undefined ? '' : timeLeftWords(rates, this.total - done);
  }
}
