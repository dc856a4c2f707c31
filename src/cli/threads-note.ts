/** What train and study --model print where --threads asked for more threads than the steps ran on (researcher53 F7). */
import type { TrainResult } from '../training/train-options.js';

/** The line said once after training where `asked` threads ran the steps on one (TrainResult.threadsNote says why); else none. */
export function threadsLines(asked: number, trained: Pick<TrainResult, 'threads' | 'threadsNote'>): string[] {
  if (asked <= trained.threads || trained.threadsNote === undefined) return [];
  return [`--threads ${asked}: every step ran on one thread, as with --threads 1: ${trained.threadsNote}.`];
}
