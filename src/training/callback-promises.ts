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
 * caught: left unhandled it ended the Node process after the caller had caught this refusal. Another
 * thenable's is not (only its own then() could attach a catch), and the refusal says so. The
 * catch goes through Promise.prototype.then, never the value's own then(): that is the caller's code
 * (a subclass's override, another thenable's method) and is not called, so nothing it throws escapes
 * in place of this refusal; a subclass whose constructor refuses the reaction's promise is left as it is.
 */
export function refuseReturnedPromise(returned: unknown, name: 'onBatch' | 'onEpoch', at: StopPoint): void {
  if (!isThenable(returned, name, at)) return;
  const caught = catchRejection(returned);
  throw invalidOption(
    `${name}: returned a promise after ${stopPointText(at)}; ${NOT_AWAITED}: training stopped there, every step up to it applied and the promise left to run ` +
      `(${caught ? 'a rejection of it caught' : 'not a Promise, so a rejection of it is not caught: catch it where it is made'}); ${RETURN_NOTHING}, or ${AWAIT_BETWEEN_CALLS}`,
  );
}

/** Attaches a catch to `thenable` when it is a Promise, through Promise.prototype.then; whether one was attached. */
function catchRejection(thenable: object): boolean {
  let isPromise = false;
  try {
    isPromise = thenable instanceof Promise; // a Proxy's getPrototypeOf trap is the caller's code too
  } catch {
    return false; // Not one whose prototype can be read: no Promise's catch to attach.
  }
  if (!isPromise) return false;
  try {
    Promise.prototype.then.call(thenable, undefined, () => {});
    return true;
  } catch {
    return false; // The subclass's species constructor threw: there is no promise to attach the catch through.
  }
}

/** The first remedy of every refusal here. */
const RETURN_NOTHING = 'return nothing (`(info) => { void work(info); }` starts work train() need not wait for)';

/**
 * Whether `returned` is a thenable: an object or function whose `then` is a function. Reading `then`
 * runs the caller's code when it is a getter (or a Proxy's get trap); what that throws would escape
 * train() untyped in place of a verdict, so it stops training there with INVALID_OPTION instead, the
 * thrown value its `cause`: whether the value was a promise cannot be told.
 */
function isThenable(returned: unknown, name: 'onBatch' | 'onEpoch', at: StopPoint): returned is object {
  if ((typeof returned !== 'object' && typeof returned !== 'function') || returned === null) return false;
  try {
    return typeof (returned as { then?: unknown }).then === 'function';
  } catch (thrown) {
    const refusal = invalidOption(
      `${name}: returned a value whose \`then\` threw when read (the error's cause), after ${stopPointText(at)}, so train() cannot tell whether it is a promise, which it refuses: ${NOT_AWAITED}; ` +
        `training stopped there, every step up to it applied; ${RETURN_NOTHING}, or ${AWAIT_BETWEEN_CALLS}`,
    );
    refusal.cause = thrown;
    throw refusal;
  }
}
