/** Which network steps a trace records (TraceOptions.every, extraSteps and histogramSteps): the one rule of both recorders. */
import type { TraceOptions } from './recorder.js';

/**
 * Whether step `step` is traced: every `every`-th step from `firstStep` (the first step of the
 * train() call), and each of `extraSteps` and `histogramSteps` besides (a histogram step off the grid
 * was dropped in silence, researcher53 F9; a Set: train() asks at every step, and a long list of steps
 * would otherwise be searched at each).
 */
export function tracedSteps({ every, extraSteps, histogramSteps }: Required<Pick<TraceOptions, 'every' | 'extraSteps' | 'histogramSteps'>>, firstStep: number): (step: number) => boolean {
  const extra = new Set([...extraSteps, ...histogramSteps]);
  return (step) => (step - firstStep) % every === 0 || extra.has(step);
}
