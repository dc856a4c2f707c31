/**
 * --seconds and --steps, the training budget per optimiser of the studies that compare optimisers (study remedies, study
 * autoencoder), one rule for both: CPU seconds by default, or steps, which replay by seed; never both (study-budget.ts).
 */
import { COUNT, numberFlag, POSITIVE, UsageError, type Flag, type ParsedArgs } from './command.js';
import { SECONDS_BOUND, STEPS_BOUND } from '../studies/study-bounds.js';
import type { StudyBudget } from '../studies/study-budget.js';
import { grouped } from '../counted.js';

/** --seconds, its default the study's own. */
export const SECONDS_FLAG = (seconds: number): Flag => ({
  name: 'seconds',
  value: 'S',
  default: seconds,
  rule: { ...POSITIVE, ...SECONDS_BOUND },
  about: 'CPU seconds of training per optimiser (the load moves how many steps they buy, so a run does not replay); not with --steps',
});

/** --steps, the budget that replays. */
export const STEPS_FLAG: Flag = {
  name: 'steps',
  value: 'N',
  rule: { ...COUNT, ...STEPS_BOUND },
  about: 'optimiser steps of training per optimiser, instead of --seconds: a run of the same seed and steps replays',
};

/** The budget the command line gives: --steps where given, else --seconds (or its default); both at once are refused (exit 2). */
export function budgetFlag(args: ParsedArgs): StudyBudget {
  if (args.flags.has('seconds') && args.flags.has('steps')) {
    throw new UsageError('--seconds and --steps are both given: a study trains each optimiser for CPU seconds or for steps, not both; give one (--steps replays)');
  }
  return args.flags.has('steps') ? { steps: numberFlag(args, 'steps') } : { seconds: numberFlag(args, 'seconds') };
}

/**
 * The budget as the studies' first lines say it, `clock` what their seconds are: '30 s of training per optimiser (CPU time of
 * this process)', '500 steps of training per optimiser (the same steps under any load: a run of the same seed replays)'.
 */
export function budgetWords(budget: StudyBudget, clock: string): string {
  return budget.steps === undefined
    ? `${budget.seconds} s of training per optimiser (${clock})`
    : `${grouped(budget.steps)} steps of training per optimiser (the same steps under any load: a run of the same seed replays)`;
}
