/**
 * Learning-rate schedules (TrainOptions.schedule): the factor a train() call multiplies its learning rate by at each applied step,
 * so that one call whose rate changes step by step is one run and one trace (as PyTorch's lr_scheduler and Keras' schedules give),
 * and LARS can decay as You, Gitman & Ginsburg (2017) decayed it, γ₀(1 − t/T)². Imports nothing: the report's CSV download
 * (trace-csv.ts, run in the page) computes each epoch's rate with the same function the training loop steps with.
 */

/** The schedule's length and where a call starts in it, shared by every kind. */
export interface ScheduleSpan {
  /**
   * T, the steps the schedule spans, a whole number ≥ 1 (default: the call's planned steps: its epochs × the batches of an
   * epoch, or maxSteps if fewer). Past T, polynomial and cosine hold their end rate.
   */
  steps?: number;
  /**
   * The schedule's steps already taken before this call, a whole number ≥ 0 (default 0). A run resumed from a checkpoint
   * continues its schedule by passing the steps it had taken (net.step, for a network trained from step 0) and the whole run's
   * `steps`: its steps then take the rates the run that never stopped would have taken.
   */
  from?: number;
}

/**
 * Polynomial decay, learningRate × (endFactor + (1 − endFactor)(1 − t/T)^power) at the schedule's step t (from 0): with
 * endFactor 0, PyTorch's PolynomialLR(total_iters = T, power) in closed form; otherwise Keras' PolynomialDecay(decay_steps = T,
 * end_learning_rate = endFactor × learningRate, power). You et al. (2017) ran LARS with power 2.
 */
export interface PolynomialSchedule extends ScheduleSpan {
  /** The kind: polynomial decay. */
  name: 'polynomial';
  /** The power, a finite number > 0 (default 2, You et al.'s). */
  power?: number;
  /** The rate the decay ends at, as a fraction of learningRate, from 0 to 1 (default 0). */
  endFactor?: number;
}

/**
 * Cosine annealing, learningRate × (endFactor + (1 − endFactor)(1 + cos(πt/T))/2) at the schedule's step t (from 0): PyTorch's
 * CosineAnnealingLR(T_max = T, eta_min = endFactor × learningRate) in closed form, without its restarts past T (held at the end).
 */
export interface CosineSchedule extends ScheduleSpan {
  /** The kind: cosine annealing. */
  name: 'cosine';
  /** The rate the decay ends at, as a fraction of learningRate, from 0 to 1 (default 0). */
  endFactor?: number;
}

/**
 * Step decay, learningRate × factor^⌊e/every⌋ in the schedule's epoch e (from 0; e = ⌊t / the batches of an epoch⌋, so a batch
 * onNonFinite 'skip' left out delays the next drop by a step): PyTorch's StepLR(step_size = every, gamma = factor) stepped once an epoch.
 */
export interface StepSchedule extends ScheduleSpan {
  /** The kind: step decay. */
  name: 'step';
  /** Epochs between drops, a whole number ≥ 1. */
  every: number;
  /** What each drop multiplies the rate by, in (0, 1]. */
  factor: number;
}

/**
 * TrainOptions.schedule: how the learning rate changes from step to step within a train() call. Its steps are the call's applied
 * ones: a batch onNonFinite 'skip' leaves out advances no kind, so a call that skipped ends short of T.
 */
export type LearningRateSchedule = PolynomialSchedule | CosineSchedule | StepSchedule;

/** A schedule's kinds, in the order the refusals list them. */
export const SCHEDULE_NAMES = ['polynomial', 'cosine', 'step'] as const;

/** A schedule's kind with every setting filled in (the defaults of the kind's own options). */
export type ScheduleKind = Required<Omit<PolynomialSchedule, keyof ScheduleSpan>> | Required<Omit<CosineSchedule, keyof ScheduleSpan>> | Required<Omit<StepSchedule, keyof ScheduleSpan>>;

/** Where a call runs in its schedule. */
export interface ScheduleExtent {
  /** T, the steps the schedule spans (ScheduleSpan.steps, or the call's planned steps). */
  steps: number;
  /** The schedule's steps taken before the call (ScheduleSpan.from). */
  from: number;
  /** The batches of one of the call's epochs, which 'step' counts epochs by. */
  epochSteps: number;
}

/** A schedule as a call runs it: its kind, settings and extent. */
export type CallSchedule = ScheduleKind & ScheduleExtent;

/** The network's step when a scheduled call began, as a trace records it beside the schedule. */
export interface ScheduleStart {
  /** The network's step (Network.step) when the call began: the step after network step s took the schedule's step from + s − atStep. */
  atStep: number;
}

/**
 * A schedule as a trace records it (TraceRun.schedule): as the call ran it, with the network's step when the call began, so that
 * the step after network step s took learningRate × scheduleFactor(schedule, from + s − atStep).
 */
export type RunSchedule = CallSchedule & ScheduleStart;

/**
 * The factor the learning rate is multiplied by at the schedule's step `t` (from 0: the first step takes the whole rate), by the
 * formulas above. One function for the training loop and the trace's CSV.
 */
export function scheduleFactor(schedule: CallSchedule, t: number): number {
  if (schedule.name === 'step') return schedule.factor ** Math.floor(t / (schedule.every * schedule.epochSteps));
  const done = Math.min(t, schedule.steps) / schedule.steps;
  const left = schedule.name === 'polynomial' ? (1 - done) ** schedule.power : (1 + Math.cos(Math.PI * done)) / 2;
  return schedule.endFactor + (1 - schedule.endFactor) * left;
}
