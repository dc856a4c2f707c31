/**
 * The clocks a time budget reads (TrainOptions.clock; the remedies and autoencoder studies). 'cpu' is this
 * process's CPU time, user + system (process.cpuUsage): other jobs on a shared machine do not shrink it, so
 * contenders given the same budget get about the same work whatever the load (the studies train on one
 * thread; worker threads' time would count too). 'wall' is performance.now, which the load moves. Where
 * process is absent (a browser), 'cpu' falls back to the wall clock: clockWords says which one was read.
 */
export type BudgetClock = 'wall' | 'cpu';

export const BUDGET_CLOCKS: readonly BudgetClock[] = ['wall', 'cpu'];

/** Whether this runtime measures its CPU time (Node: process.cpuUsage); where not, 'cpu' reads the wall clock. */
function measuresCpu(): boolean {
  return typeof process !== 'undefined' && typeof process.cpuUsage === 'function';
}

/** The clock `clock` reads here, in seconds from an arbitrary start. */
export function clockSeconds(clock: BudgetClock): () => number {
  if (clock === 'cpu' && measuresCpu()) {
    return () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    };
  }
  return () => performance.now() / 1000;
}

/** What `clock` measures here, in words ('CPU time of this process' or 'wall-clock time'). */
export function clockWords(clock: BudgetClock): string {
  return clock === 'cpu' && measuresCpu() ? 'CPU time of this process' : 'wall-clock time';
}
