/**
 * The single steps' pass over the training rows (the Step button's, and a run at a chosen speed's):
 * each step trains the next batchSize rows in order, the last batch of a pass the rows left (as
 * train()'s last batch of an epoch holds fewer), so that a pass is an epoch in train()'s terms,
 * completed across many one-batch train() calls, all with the same step settings (CONTINUING: batch
 * size, learning rate, optimiser, L2). A pass whose step settings change starts again: its last batch
 * is then what the settings checked (batch norm refuses one of 1 row), and the epoch the
 * diagnosis reads was trained with one rate (a rate changed mid-pass made its loss a mean over two).
 * Its loss is the one train() gives an epoch (EpochInfo.loss): the mean of its batches' losses,
 * each before its update; its batches, the count train() records (EpochInfo.batches).
 */
import type { TraceEpoch } from '../../src/index.js';
import { CONTINUING, type Settings } from './settings.js';

/** An epoch that ended: the network step it ended at, its loss and the batches it applied (TraceEpoch without its number, which the run gives it). */
export type EpochEnd = Omit<TraceEpoch, 'epoch'>;

/** The settings a step is taken with (CONTINUING's): a pass keeps them from its first step to its last. */
export type StepSettings = Pick<Settings, (typeof CONTINUING)[number]>;

export class SteppedPass {
  /** Where the next step's batch starts. */
  private start = 0;
  private lossSum = 0;
  private batches = 0;
  /** The step settings of this pass's steps (none before the first step). */
  private steps: StepSettings | undefined;

  /** `rows`: the training rows a pass goes over. */
  constructor(private readonly rows: number) {}

  /** The rows of the next step with `settings`, [start, start + size): its batch size of them, or the rows the pass has left; from the first row if a step setting changed. */
  next(settings: StepSettings): { start: number; size: number } {
    if (this.steps && CONTINUING.some((key) => settings[key] !== this.steps![key])) this.restart();
    this.steps = Object.fromEntries(CONTINUING.map((key) => [key, settings[key]])) as StepSettings;
    return { start: this.start, size: Math.min(settings.batchSize, this.rows - this.start) };
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
    const ended = { step, loss: this.lossSum / this.batches, batches: this.batches };
    this.restart();
    return ended;
  }

  /** Starts the next pass from the first row, forgetting this one's steps (whole epochs took over, or a step setting changed): the rows stepped so far are no pass. */
  restart(): void {
    this.start = 0;
    this.lossSum = 0;
    this.batches = 0;
  }
}
