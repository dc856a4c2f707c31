/**
 * The training budget per optimiser of the studies that compare optimisers (remedies, autoencoder): CPU seconds of this
 * process, or optimiser steps. Seconds compare the optimisers at one cost, but how many steps a CPU second buys moves with
 * the machine's load, so a run does not replay (budget-clock.ts); steps end where they end under any load, so a run of the
 * same seed replays, and compare the optimisers at equal steps, not at one cost (newuser50 #3).
 */
import { checkAtMost, checkPositive, checkWhole } from '../checks.js';
import { invalidOption } from '../errors.js';
import { SECONDS_BOUND, STEPS_BOUND } from './study-bounds.js';

/** A study's budget per optimiser, as its result (and its JSON) says which ran: `{ seconds: 6 }` or `{ steps: 500 }`. */
export type StudyBudget =
  | {
      /** CPU seconds of training per optimiser, of this process (the wall clock's where process is absent). */
      seconds: number;
      /** Absent: the budget is seconds. */
      steps?: never;
    }
  | {
      /** Optimiser steps per optimiser. */
      steps: number;
      /** Absent: the budget is steps. */
      seconds?: never;
    };

/**
 * The budget of a study's `seconds` and `steps` options, checked (INVALID_OPTION naming `${prefix}seconds` or `${prefix}steps`):
 * `steps` where given, else `seconds`, else `defaultSeconds`. Both at once are refused: neither would say which one ran.
 */
export function checkStudyBudget(seconds: unknown, steps: unknown, defaultSeconds: number, prefix = ''): StudyBudget {
  if (seconds !== undefined && steps !== undefined) {
    throw invalidOption(`${prefix}seconds, ${prefix}steps: both are given; a study trains each optimiser for CPU seconds or for steps, not both: give one`);
  }
  if (steps !== undefined) return { steps: checkWhole(steps, `${prefix}steps`, 1, STEPS_BOUND) };
  return { seconds: checkAtMost(checkPositive(seconds ?? defaultSeconds, `${prefix}seconds`), `${prefix}seconds`, SECONDS_BOUND) };
}
