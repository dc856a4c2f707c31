/**
 * How many threads a train() call's steps ran on (TrainResult.threads, researcher53 F7): `threads: 2` at a batch too small to
 * split runs every step on the main thread alone, as threads 1 would, and nothing said so.
 *
 * Read from the threaded kernels' own counters of split work (ThreadedWasmKernels.splitProducts and the rest, which the
 * kernels count whatever reads them), once before the steps and once after, so the steps' path gains nothing. The work
 * between epochs (validation, the trace's training-check rows) and inside onBatch and onEpoch (which may run anything
 * on the same kernels) is left out: it runs at its own batch sizes, not the steps'.
 */
import { counted } from '../counted.js';
import type { Kernels } from '../kernels.js';
import { ONE_THREAD_ASKED } from '../wasm/threads/one-thread-asked.js';
import type { ThreadedWasmKernels } from '../wasm/threads/threaded-kernels.js';

/** The counters of split work threaded kernels keep (ThreadedWasmKernels). */
type SplitCounters = Pick<ThreadedWasmKernels, 'threads' | 'threadsFallback' | 'minRowsPerThread' | 'splitProducts' | 'splitCopies' | 'splitPasses' | 'pairedProducts' | 'halfStepJobs'>;

/** What TrainResult says of the steps' threads. */
export interface StepThreads {
  threads: number;
  threadsNote?: string;
}

/** Counts the split work of the steps of one call, leaving out what runs between pause() and resume(). */
export class StepThreadsCount {
  private readonly kernels: SplitCounters | undefined;
  /** Split work counted before the steps, and everything since left out (pauses). */
  private excluded = 0;
  private pausedAt = 0;

  constructor(kernels: Kernels) {
    this.kernels = threadedKernels(kernels);
    if (this.kernels) this.excluded = splitWork(this.kernels);
  }

  /** Before work that is not a step's (an epoch's end, a callback). */
  pause(): void {
    if (this.kernels) this.pausedAt = splitWork(this.kernels);
  }

  /** After it. */
  resume(): void {
    if (this.kernels) this.excluded += splitWork(this.kernels) - this.pausedAt;
  }

  /**
   * The threads the steps ran on, with batches of at most `batchSize` rows (the largest the call ran): the kernels' threads
   * where any step's work was split, else 1 and, where the kernels have more (or fell back), why.
   */
  result(batchSize: number): StepThreads {
    const k = this.kernels;
    if (!k) return { threads: 1 };
    if (k.threadsFallback !== null) return k.threadsFallback === ONE_THREAD_ASKED ? { threads: 1 } : { threads: 1, threadsNote: k.threadsFallback };
    // Kernels closed by their owner while a network still uses them run on the main thread alone.
    if (k.threads === 1) return { threads: 1 };
    if (splitWork(k) - this.excluded > 0) return { threads: k.threads };
    return { threads: 1, threadsNote: unsplitReason(k, batchSize) };
  }
}

/** Why no step of batches of `batchSize` rows was split across the kernels' threads. */
export function unsplitReason(k: Pick<SplitCounters, 'threads' | 'minRowsPerThread'>, batchSize: number): string {
  const least = k.threads * k.minRowsPerThread;
  if (batchSize < least) {
    return `batches of ${counted(batchSize, 'row')} are too small to split (a step is split across ${k.threads} threads only where each gets at least ${k.minRowsPerThread} of its rows: batches of ${least} or more)`;
  }
  return `no product of these layers at batches of ${counted(batchSize, 'row')} is large enough to be worth splitting across ${k.threads} threads`;
}

function threadedKernels(kernels: Kernels): SplitCounters | undefined {
  const k = kernels as Partial<SplitCounters>;
  return typeof k.splitProducts === 'number' && typeof k.threads === 'number' ? (k as SplitCounters) : undefined;
}

function splitWork(k: SplitCounters): number {
  return k.splitProducts + k.splitCopies + k.splitPasses + k.pairedProducts + k.halfStepJobs;
}
