/**
 * Progress on stderr. On a terminal: one bar redrawn in place. Otherwise (a log, a CI job): a plain
 * line each time another tenth of the work is done, so logs show that the job is alive without a
 * line per step. Results go to stdout, so progress never mixes with them.
 */
import type { Terminal } from './terminal.js';

/** Lines a non-terminal run prints per bar, at most (one per tenth). */
export const PROGRESS_LINES = 10;

export class ProgressBar {
  private lastDrawn = 0;
  private linesPrinted = 0;

  constructor(
    private readonly terminal: Terminal,
    private readonly label: string,
    private total: number,
    private readonly width = 30,
  ) {}

  /**
   * Shows `done` of the work. `total` replaces the bar's total when given: a job whose plan shrinks
   * as it goes (curvature's Lanczos runs that converge early) says so, and the percentage is then of
   * the work still planned, not of the first plan.
   */
  update(done: number, note = '', total = this.total): void {
    this.total = total;
    const percent = String(Math.round((100 * done) / this.total)).padStart(3);
    if (!this.terminal.live) {
      const tenth = Math.floor((PROGRESS_LINES * done) / this.total);
      if (tenth <= this.linesPrinted) return;
      this.linesPrinted = tenth;
      this.terminal.err(`${this.label}: ${percent.trim()} %${note ? `, ${note}` : ''}\n`);
      return;
    }
    const now = performance.now();
    if (done < this.total && now - this.lastDrawn < 50) return;
    this.lastDrawn = now;
    const filled = Math.round((this.width * done) / this.total);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    this.terminal.err(`\r${this.label} ${bar} ${percent}% ${note}\x1b[K`);
  }

  done(): void {
    if (this.terminal.live) this.terminal.err('\r\x1b[K');
  }
}
