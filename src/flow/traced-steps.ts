/** Which network steps a trace records (TraceOptions.every and extraSteps): the one rule of both recorders. */

/**
 * Whether step `step` is traced: every `every`-th step from `firstStep` (the first step of the
 * train() call), and each of `extraSteps` besides (a Set: train() asks at every step, and a long
 * list of steps would otherwise be searched at each).
 */
export function tracedSteps(every: number, extraSteps: readonly number[], firstStep: number): (step: number) => boolean {
  const extra = new Set(extraSteps);
  return (step) => (step - firstStep) % every === 0 || extra.has(step);
}
