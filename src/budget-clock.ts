/**
 * The clocks a time budget reads (TrainOptions.clock; the remedies and autoencoder studies). 'cpu' is this
 * process's CPU time, user + system (process.cpuUsage): other jobs' time does not count against it, so load
 * shrinks the work a budget buys less than on the wall clock, but still shrinks it (each step takes more CPU
 * time on a busy machine: the remedies study's AdamW took 16,851 steps at load 12 against 32,730 quiet), and
 * not alike for every optimiser (beside two added busy loops SGD's budget bought 26 % fewer steps, AdamW's 8 %:
 * scripts/budget-clock-load.ts, README's remedies section). It
 * counts every thread of the process, the pool workers' spin-waits included, so with threads: n a budget
 * lasts about 1/n of the wall time or less (the studies train on one thread). 'wall' is performance.now,
 * which the load moves. Where
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
  return clock === 'cpu' && measuresCpu() ? cpuSeconds : wallSeconds;
}

// Made once: train() asks for its clock every call.
const cpuSeconds = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};
const wallSeconds = (): number => performance.now() / 1000;

/** What `clock` measures here, in words ('CPU time of this process' or 'wall-clock time'). */
export function clockWords(clock: BudgetClock): string {
  return clock === 'cpu' && measuresCpu() ? 'CPU time of this process' : 'wall-clock time';
}
