/**
 * Errors as the page says them. A DIVERGED step keeps the library's where and why, but its advice (a learningRate below …, clipNorm, onNonFinite 'halve' or 'skip', scaling the inputs)
 * names options of train() the page has no control for: the page says what its own controls can do.
 */
import { GradscopeError } from '../../src/index.js';

/** The library's words that end a DIVERGED step's where and why; its advice follows them. */
const NOT_APPLIED = '; the step was not applied';

/** An error as the page shows it: `CODE: message` for the library's, else its message. */
export function errorText(error: unknown): string {
  if (error instanceof GradscopeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The stop's reason for the status line: `CODE: message`, a DIVERGED step's advice replaced by the
 * page's. `learningRate`: the run's, or null when its optimiser chooses its own steps.
 */
export function stopReason(error: unknown, learningRate: number | null): string {
  const cut = error instanceof GradscopeError && error.code === 'DIVERGED' ? error.message.indexOf(NOT_APPLIED) : -1;
  if (cut < 0) return errorText(error);
  const lower = learningRate === null ? '' : `a smaller Learning rate (now ${learningRate}), then Train goes on from them; or `;
  return `DIVERGED: ${(error as GradscopeError).message.slice(0, cut)}${NOT_APPLIED}, so the weights are the last good ones. On this page: ${lower}another Init, Normalisation or Activation, which starts a new run.`;
}
