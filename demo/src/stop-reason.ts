/**
 * Errors as the page says them. A DIVERGED step keeps the library's where and why, but its advice (a learningRate below …, clipNorm, onNonFinite 'halve' or 'skip', scaling the inputs)
 * names options of train() the page has no control for: the page says what its own controls can do.
 */
import { GradscopeError } from '../../src/index.js';
import { stepText } from './format.js';

/** The library's words that end a DIVERGED step's where and why; its advice follows them. */
const NOT_APPLIED = '; the step was not applied';
/**
 * The library's advice when the gradient (or the loss) at the weights held is beyond float32 (the
 * page's inputs are in [−1, 1] or [0, 1], so it is the weights): no step size makes that gradient
 * finite, so going on from those weights cannot help, however small the Learning rate.
 */
const WEIGHTS_TOO_LARGE = 'the inputs or the weights';

/**
 * The library's words when the steps before the fault, not its batch, caused it: the network went
 * back to the last state judged good that was kept (StepGuard.backToLastGood; a first-order run's is
 * its epoch's first), whose weights are not the ones that overflowed, so training can go on from them.
 * The step is grouped by thousands as the library prints it ('12,345').
 */
const WENT_BACK = /the network is back (?:as it was after step (\d{1,3}(?:,\d{3})*)|at the initial weights)/;

/** An error as the page shows it: `CODE: message` for the library's, else its message. */
export function errorText(error: unknown): string {
  if (error instanceof GradscopeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A stop's reason as two parts: what happened, and the page's advice after it (' On this page: …', or '' where it gives none). */
interface Reason {
  what: string;
  advice: string;
}

/** The page's advice: its Learning rate where the run has one (`lower`: what to do with it), then its other controls. */
const pageAdvice = (lower: string) => ` On this page: ${lower}another Init, Normalisation or Activation, which starts a new run.`;

/** stopReason's parts (see there). */
function stopParts(error: unknown, learningRate: number | null): Reason {
  const cut = error instanceof GradscopeError && error.code === 'DIVERGED' ? error.message.indexOf(NOT_APPLIED) : -1;
  if (cut < 0) return { what: errorText(error), advice: '' };
  const { message } = error as GradscopeError;
  const back = WENT_BACK.exec(message);
  const stuck = back === null && message.includes(WEIGHTS_TOO_LARGE, cut);
  const lower =
    learningRate === null
      ? ''
      : stuck
        ? `a smaller Learning rate (now ${learningRate}), then Reset to start again from new weights (from these, its gradient overflows whatever the step); or `
        : `a smaller Learning rate (now ${learningRate}), then Train goes on from the weights held; or `;
  const restart = learningRate === null && stuck ? 'Reset, or ' : '';
  const since = back?.[1] === undefined ? ['the steps since the start', 'back at the initial weights'] : [`the steps since step ${back[1]}`, `back as they were after step ${back[1]}`];
  const kept = back === null ? 'so the weights are the last good ones' : `and ${since[0]} led to it, so the weights are ${since[1]}, the last judged good that was kept`;
  return { what: `DIVERGED: ${message.slice(0, cut)}${NOT_APPLIED}, ${kept}.`, advice: pageAdvice(lower + restart) };
}

/**
 * The stop's reason for the status line: `CODE: message`, a DIVERGED step's advice replaced by the
 * page's. `learningRate`: the run's, or null when its optimiser chooses its own steps.
 */
export function stopReason(error: unknown, learningRate: number | null): string {
  const { what, advice } = stopParts(error, learningRate);
  return what + advice;
}

/** unshownReason's parts (see there). */
function unshownParts(error: unknown, step: number, shownStep: number, learningRate: number | null): Reason {
  const after = `after ${stepText(step)} the page cannot show the network: ${errorText(error)}`;
  const kept = `. Its accuracies, predictions and diagram stay at ${stepText(shownStep)}, the last shown; the loss, the gradients and the diagnosis are the trace's, to ${stepText(step)}.`;
  if (!(error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT')) return { what: after + kept, advice: '' };
  return { what: after + kept, advice: pageAdvice(learningRate === null ? 'Reset, or ' : `a smaller Learning rate (now ${learningRate}), then Reset to start again from new weights; or `) };
}

/**
 * Why a run stopped when the page could not show the network after `step` (the worker's snapshot:
 * evaluate, predict and layerOutputs over the page's rows threw). A step may be applied whose weights
 * then overflow float32 on those rows though its own batch did not (a single step's train() has no
 * earlier batch to call its loss runaway against): the inputs are in [−1, 1] or [0, 1], so it is the
 * weights, and from them only new weights help. What the trace holds (the loss, the gradients, the
 * diagnosis) goes on to `step`; what needs the network's outputs stays at `shownStep`, the last step
 * the page could show, and the reason says which is which. `learningRate`: the run's, or null when
 * its optimiser chooses its own steps.
 */
export function unshownReason(error: unknown, step: number, shownStep: number, learningRate: number | null): string {
  const { what, advice } = unshownParts(error, step, shownStep, learningRate);
  return what + advice;
}

/**
 * Why a run stopped whose train() call failed (`failed`: its error, e.g. DIVERGED; undefined if it did
 * not) after applying steps whose network the page then could not show (`unshown`): both, the failure
 * first, as stopReason and unshownReason say them (the unshown reason alone hid the failure), and the
 * page's advice once, at the end: the unshown network's where it gives one (its weights are the ones
 * held now), else the failure's (each gave its own, and the message said "On this page:" twice).
 */
export function failedUnshownReason(failed: unknown, unshown: unknown, step: number, shownStep: number, learningRate: number | null): string {
  const after = unshownParts(unshown, step, shownStep, learningRate);
  if (failed === undefined) return after.what + after.advice;
  const first = stopParts(failed, learningRate);
  return `${first.what} Then, ${after.what}${after.advice || first.advice}`;
}
