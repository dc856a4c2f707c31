/**
 * onBatch and onEpoch that would hand train() a promise. train() runs synchronously: it cannot wait
 * for one, so the promise's work would run after later steps (or after train() returned) and its
 * rejection would go unhandled. An async function is refused before any step (training-settings.ts);
 * a plain one that returns a promise (`(info) => save(info)`) can be told only by what its call
 * returned, after the step or epoch it follows, so training stops right there with that step applied.
 */
import { invalidOption } from '../errors.js';
import { stopPointText, type StopPoint } from './advice.js';

/** Why a callback's promise is refused, in every refusal of one. */
export const NOT_AWAITED = 'train() runs synchronously and does not wait for the promise it returns (its work would run after later steps, and a rejection would go unhandled)';

/** What to do instead, in every refusal of a callback's promise. */
export const AWAIT_BETWEEN_CALLS = 'train one epoch per call and await between the calls';

/**
 * INVALID_OPTION when `returned`, what `name` returned after `at`, is a promise (any thenable):
 * training stops there, the steps up to `at` applied; the promise runs on. A Promise's rejection is
 * caught: left unhandled it ended the Node process after the caller had caught this refusal. The
 * catch goes through Promise.prototype.then, never the value's own then(): that is the caller's code
 * (a subclass's override, another thenable's method) and is not called, so nothing it throws escapes
 * in place of this refusal; a subclass whose constructor refuses the reaction's promise is left as it is.
 */
export function refuseReturnedPromise(returned: unknown, name: 'onBatch' | 'onEpoch', at: StopPoint): void {
  const thenable = (typeof returned === 'object' || typeof returned === 'function') && returned !== null && typeof (returned as { then?: unknown }).then === 'function';
  if (!thenable) return;
  if (returned instanceof Promise) {
    try {
      Promise.prototype.then.call(returned, undefined, () => {});
    } catch {
      // The subclass's species constructor threw: there is no promise to attach the catch through.
    }
  }
  throw invalidOption(
    `${name}: returned a promise after ${stopPointText(at)}; ${NOT_AWAITED}: training stopped there, every step up to it applied and the promise left to run (a rejection of it caught); ` +
      `return nothing (\`(info) => { void work(info); }\` starts work train() need not wait for), or ${AWAIT_BETWEEN_CALLS}`,
  );
}
