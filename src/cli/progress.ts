/** A one-line progress bar on stderr when it is a terminal; silent otherwise (logs stay clean). */
export class ProgressBar {
  private readonly live = Boolean(process.stderr.isTTY);
  private lastDrawn = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  update(done: number, note = ''): void {
    if (!this.live) return;
    const now = performance.now();
    if (done < this.total && now - this.lastDrawn < 50) return;
    this.lastDrawn = now;
    const filled = Math.round((this.width * done) / this.total);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    process.stderr.write(`\r${this.label} ${bar} ${String(Math.round((100 * done) / this.total)).padStart(3)}% ${note}\x1b[K`);
  }

  done(): void {
    if (this.live) process.stderr.write('\r\x1b[K');
  }
}
