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
   * Say roughly how long is left (default false): the time the work since the first report took,
   * scaled to the work left. Timed from the first report, not from the bar's making, so that what
   * came before the work (loading the digits, setting up) is not taken for part of it. Only for a
   * total counted in units of like cost (epochs of one network, runs of one shape, multiply-adds).
   */
  timeLeft?: boolean;
  /** The clock, in milliseconds, that times the time left and a terminal's redraws (default performance.now). */
  clock?: () => number;
}

/** 'about 25 s left', 'about 3 min left': rounded as far as an estimate from the work so far deserves. */
export function timeLeftText(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

export class ProgressBar {
  /** When the terminal's bar was last drawn; never at first, so the first report draws whatever the clock reads. */
  private lastDrawn = -Infinity;
  private linesPrinted = 0;
  private readonly clock: () => number;
  /** The first report: when, and how much was done by then. */
  private first?: { at: number; done: number };

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
    this.first ??= { at: this.clock(), done };
    const percent = String(Math.round((100 * done) / this.total)).padStart(3);
    if (!this.terminal.live) {
      const tenth = Math.floor((PROGRESS_LINES * done) / this.total);
      if (tenth <= this.linesPrinted) return;
      this.linesPrinted = tenth;
      this.terminal.err(`${this.label}: ${percent.trim()} %${[note, this.left(done)].filter(Boolean).map((part) => `, ${part}`).join('')}\n`);
      return;
    }
    const now = this.clock();
    if (done < this.total && now - this.lastDrawn < REDRAW_INTERVAL) return;
    this.lastDrawn = now;
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

  /** The time left as the work since the first report measures it, or '' (not asked for, nothing to time yet, or all done). */
  private left(done: number): string {
    const first = this.first!;
    if (!this.options.timeLeft || done <= first.done || done >= this.total) return '';
    return timeLeftText(((this.clock() - first.at) * (this.total - done)) / (done - first.done));
  }
}
