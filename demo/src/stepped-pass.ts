/**
 * The single steps' pass over the training rows (the Step button's, and a run at a chosen speed's):
 * each step trains the next batchSize rows in order, the last batch of a pass the rows left (as
 * train()'s last batch of an epoch holds fewer), so that a pass is an epoch in train()'s terms,
 * completed across many one-batch train() calls, in one batch size (a pass whose batch size changes
 * starts again, so its last batch is what the settings checked: batch norm refuses one of 2 rows or
 * fewer). Its loss is the one train() gives an epoch (EpochInfo.loss): the mean of its batches'
 * losses, each before its update.
 */
import type { TraceEpoch } from '../../src/index.js';

/** An epoch that ended: the network step it ended at and its loss (TraceEpoch without its number, which the run gives it). */
export type EpochEnd = Omit<TraceEpoch, 'epoch'>;

export class SteppedPass {
  /** Where the next step's batch starts. */
  private start = 0;
  private lossSum = 0;
  private batches = 0;
  /** The batch size of this pass's steps. */
  private batchSize = 0;

  /** `rows`: the training rows a pass goes over. */
  constructor(private readonly rows: number) {}

  /** The rows of the next step, [start, start + size): batchSize of them, or the rows the pass has left; from the first row if the batch size changed. */
  next(batchSize: number): { start: number; size: number } {
    if (batchSize !== this.batchSize) this.restart();
    this.batchSize = batchSize;
    return { start: this.start, size: Math.min(batchSize, this.rows - this.start) };
  }

  /**
   * Counts a step that trained next()'s `size` rows: `loss` is its batch's loss before the update
   * (its one-batch train() call's epoch loss), `step` the network step after it. Returns the epoch
   * the step completed, if it completed one; the next pass then starts from the first row.
   */
  stepped(size: number, loss: number, step: number): EpochEnd | undefined {
    this.start += size;
    this.lossSum += loss;
    this.batches++;
    if (this.start < this.rows) return undefined;
    const ended = { step, loss: this.lossSum / this.batches };
    this.restart();
    return ended;
  }

  /** Starts the next pass from the first row, forgetting this one's steps (whole epochs took over, or the batch size changed): the rows stepped so far are no pass. */
  restart(): void {
    this.start = 0;
    this.lossSum = 0;
    this.batches = 0;
  }
}
