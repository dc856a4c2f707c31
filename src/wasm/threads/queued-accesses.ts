/**
 * What the calls queued on the workers and not yet waited for read and write: regions of the shared
 * memory, so that the main thread waits for the workers only before it touches one of them
 * (threaded-kernels.ts). Two accesses conflict when their regions overlap and one writes, unless
 * both are row accesses of the same rows: the same tensor cut by the same batch into rows of the
 * same length, which every thread splits alike (each thread touches only its own rows, and a
 * worker runs its calls in order). Fixed arrays, so recording and checking allocate nothing.
 */

/** Accesses recorded before the caller must wait (a step records about 30). */
const CAPACITY = 64;

export class QueuedAccesses {
  private readonly starts = new Float64Array(CAPACITY);
  private readonly ends = new Float64Array(CAPACITY);
  private readonly writes = new Uint8Array(CAPACITY);
  /** The batch a row access is cut by (0: a whole access) and the length of its rows. */
  private readonly batches = new Float64Array(CAPACITY);
  private readonly rowLengths = new Float64Array(CAPACITY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Whether there is room for `n` more accesses. */
  hasRoom(n: number): boolean {
    return this.count + n <= CAPACITY;
  }

  /**
   * Whether an access of bytes [start, end) conflicts with one recorded; `batch` and `rowLength`
   * describe a row access (batch 0: the whole region, or rows cut otherwise).
   */
  conflicts(start: number, end: number, writes: boolean, batch = 0, rowLength = 0): boolean {
    for (let i = 0; i < this.count; i++) {
      if (start >= this.ends[i] || this.starts[i] >= end) continue;
      if (!writes && this.writes[i] === 0) continue;
      if (batch !== 0 && this.batches[i] === batch && this.rowLengths[i] === rowLength && this.starts[i] === start && this.ends[i] === end) continue;
      return true;
    }
    return false;
  }

  /** Records an access (see conflicts); the caller makes room first (hasRoom). */
  record(start: number, end: number, writes: boolean, batch = 0, rowLength = 0): void {
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.writes[i] = writes ? 1 : 0;
    this.batches[i] = batch;
    this.rowLengths[i] = rowLength;
  }

  /** Forgets every access: the queued calls are all done. */
  clear(): void {
    this.count = 0;
  }
}
