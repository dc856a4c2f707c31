/**
 * What Network.train() takes and returns: its options (TrainOptions, each documented with its
 * default), what its callbacks and result report, and the first check of a call (only known keys).
 */
import type { BudgetClock } from '../budget-clock.js';
import { checkKnownKeys, keysOf } from '../checks.js';
import type { Dataset } from './dataset.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { OptimizerSpec } from '../optim/index.js';
import type { Evaluation } from '../network/rows.js';
import type { LsuvLayerReport, LsuvOptions } from '../layers/lsuv.js';
import type { NonFinitePolicy } from './numeric-faults.js';
import type { TraceOptions } from '../flow/recorder.js';
import type { Trace } from '../flow/trace.js';
import type { ValidationRows } from './validation-rows.js';
import type { LearningRateSchedule } from '../learning-rate-schedule.js';

/** Passed to TrainOptions.onBatch after each batch's update. */
export interface BatchInfo {
  /** Epoch number, the first 1 (as DIVERGED messages and `gradscope train` count them; 0 there is the initial weights). */
  epoch: number;
  /** The batch's number within the epoch, the first 1. */
  batch: number;
  /** Steps taken by the network so far, this one included. */
  step: number;
  /** Mean loss over the batch, before the update. */
  loss: number;
  /** Rows in the batch. */
  size: number;
}

/** Passed to TrainOptions.onEpoch after each epoch. */
export interface EpochInfo {
  /** Epoch number, the first 1 (as DIVERGED messages and `gradscope train` count them; 0 there is the initial weights). */
  epoch: number;
  /** Mean of the batch losses (each before its update), over the batches applied (`batches`; not the ones left out). */
  loss: number;
  /** Batches whose step was applied in this epoch (its last run, for an epoch 'halve' ran again). */
  batches: number;
  /** Batches left out in this epoch by onNonFinite 'skip' (0 under 'throw' and 'halve'); TrainResult.skipped counts the call's. */
  skipped: number;
  /**
   * Wall-clock seconds of the run of the epoch reported here, before validation. An epoch that
   * onNonFinite 'halve' took back and ran again counts its last run only, from its start after going
   * back, as its loss does: the attempts taken back are not counted in any epoch's seconds.
   */
  seconds: number;
  /** Loss (and accuracy) on TrainOptions.validation after this epoch; absent without validation. */
  validation?: Evaluation;
  /**
   * Loss and accuracy on a fixed subset of the training rows after this epoch, at the same weights as
   * `validation` (the trace's TraceEpoch.training: the training loss the overfitting verdict compares
   * the held-out loss with), and how many rows it holds: as many as the validation rows, at most 1,024,
   * evenly spaced over the training rows. Measured only for a trace: present when train() has both
   * `trace` and `validation` on other rows than the training rows; absent otherwise (no trace, no
   * validation, or validation on the training rows themselves, whose loss `validation` already is).
   */
  training?: Evaluation & {
    /** Training rows in the subset. */
    rows: number;
  };
}

/** Options of Network.train(); every field is optional. */
export interface TrainOptions {
  /** Passes over the training data, a whole number from 1 to 2⁵³ − 1 (default 1). */
  epochs?: number;
  /**
   * Rows per mini-batch (default 32; capped at the number of rows). With batch norm no batch may
   * have one row, the short last batch of an epoch (rows not a multiple of batchSize) included unless
   * dropLast leaves it out (INVALID_OPTION: one row's variance is 0). Two rows train, as in PyTorch:
   * each feature becomes ±1 and batch norm passes (almost) no gradient back (diagnose names it).
   * A batch's buffers (per row: the inputs, the targets and a few floats per unit of every layer)
   * must fit in the memory left beside the network and its data, 4 GiB in all on wasm: a larger
   * batch is refused (OUT_OF_MEMORY) before anything changes, naming the most rows that fit.
   */
  batchSize?: number;
  /**
   * Leave out each epoch's last batch when it holds fewer than batchSize rows (default false), as
   * PyTorch's DataLoader drop_last: the rows left out are the last of the epoch's order, so with
   * shuffle they change from epoch to epoch and without it the same last rows never train.
   * batchSize is capped at the number of rows, so at least one full batch is left.
   */
  dropLast?: boolean;
  /**
   * Step size (default: the optimiser's own: its spec's or instance's learningRate, else e.g. Adam
   * 1e-3, SGD 0.1). Given here, it wins over an optimiser instance's; beside a { name, learningRate }
   * spec it is refused (INVALID_OPTION: give it once), and beside an optimiser that chooses its own
   * steps (levenberg-marquardt, hessian-free: Optimizer.choosesOwnSteps), which takes none.
   */
  learningRate?: number;
  /**
   * How the learning rate changes from step to step within this call (default: it does not): the call's k-th applied step (from
   * 0) takes learningRate × the schedule's factor at step from + k of T, T its `steps` (default: this call's planned steps, its
   * epochs × the batches of an epoch, or maxSteps if fewer). { name: 'polynomial', power = 2, endFactor = 0 } (PyTorch's
   * PolynomialLR; You et al.'s LARS decay with power 2), { name: 'cosine', endFactor = 0 } (CosineAnnealingLR) or
   * { name: 'step', every (epochs), factor } (StepLR): see LearningRateSchedule. A batch onNonFinite 'skip' leaves out takes no
   * step and advances no schedule (k counts applied steps): a call that skipped ends short of T. onNonFinite 'halve' halves
   * learningRate, and so every rate after it. The rate of the call's last planned step, the smallest, is checked before any step as learningRate is.
   * Refused (INVALID_OPTION) beside an optimiser that chooses its own steps (levenberg-marquardt, hessian-free). The trace
   * records it (TraceRun.schedule); a run resumed from a checkpoint continues it by `from` and `steps`.
   */
  schedule?: LearningRateSchedule;
  /**
   * Momentum in [0, 1) of the default SGD, used when no `optimizer` is given (default 0). With
   * `optimizer` it is refused (INVALID_OPTION): give it in the optimiser's options,
   * { name: 'sgd', momentum }.
   */
  momentum?: number;
  /**
   * L2 weight decay λ ≥ 0 of the default SGD, used when no `optimizer` is given (default 0). With
   * `optimizer` it is refused (INVALID_OPTION): give it in the optimiser's options,
   * { name, weightDecay }. learningRate × λ above 2 (2(1 + μ) with momentum μ) is refused before any
   * step: the decay alone would grow the weights (FirstOrderOptions.weightDecay).
   */
  weightDecay?: number;
  /** Reshuffle the rows every epoch with the network's seeded RNG (default true). */
  shuffle?: boolean;
  /**
   * An optimiser instance (keeps its state across calls), or a name / { name, ...options } from the
   * registry in src/optim/index.ts (created for this call); default: SGD with the top-level
   * momentum and weightDecay.
   */
  optimizer?: Optimizer | OptimizerSpec;
  /** Clip the gradient to this global norm before each step (every optimiser but lbfgs and levenberg-marquardt, which evaluate their own gradients; default: no clipping). */
  clipNorm?: number;
  /** Stop after the first batch that ends this many seconds (of `clock`) after training started (default: no limit). */
  maxSeconds?: number;
  /**
   * Stop once this call has taken this many steps, a whole number ≥ 1 (default: no limit); beside maxSeconds, whichever
   * comes first. Where a time budget buys as many steps as the machine's load allows, a step budget ends where it ends on
   * any machine: a run of the same seed replays.
   */
  maxSteps?: number;
  /**
   * The clock maxSeconds reads (default 'wall': performance.now, which other jobs on the machine slow); 'cpu':
   * this process's CPU time, user + system (process.cpuUsage), which their time does not count against (load
   * still slows each step, less than on the wall clock). It counts every thread, the pool workers' spin-waits
   * included: with a network of threads: n the budget lasts about 1/n of the wall time or less. Where process is
   * absent (a browser), 'cpu' reads the wall clock. Refused without maxSeconds, where it would do nothing.
   */
  clock?: BudgetClock;
  /** Evaluated after every epoch: rows, or a Dataset (which copies nothing per call); default none. */
  validation?: ValidationRows | Dataset;
  /**
   * Called after every batch's update (for progress or early inspection). It may change the
   * parameters (loadState); one it leaves beyond about ±1.8e16 (the largest parameter training keeps) or not finite stops
   * training right there with DIVERGED naming the callback, under every onNonFinite policy (no step
   * setting undoes its write), the network as it left it. A train() of this network from it is
   * refused (INVALID_OPTION): a network trains in one call at a time. An async function is refused
   * before any step (INVALID_OPTION): train() runs synchronously and would not wait for it; so is a
   * generator function, whose call returns an iterator and runs none of its body. A plain
   * function that returns a promise (`(info) => save(info)`) can be told only by what it returned:
   * training stops after the call that returned it (INVALID_OPTION naming the epoch, batch and step),
   * that step applied and the promise left to run (a Promise's rejection caught, so it cannot end the process; another thenable's is not, and the refusal says so). To start work train() need not wait for,
   * return nothing: `(info) => { void save(info); }`. Default: none.
   */
  onBatch?: (info: BatchInfo) => void;
  /**
   * Called after every epoch, after validation (again for an epoch that onNonFinite 'halve' takes
   * back and runs again). A parameter it leaves out of range stops training as onBatch's does, and
   * a train() of this network from it is refused as from onBatch, and an async or generator function or a
   * returned promise as onBatch's (a promise stops training after the epoch, every step of it applied).
   * Default: none.
   */
  onEpoch?: (info: EpochInfo) => void;
  /**
   * What to do when a step's loss or gradient is NaN or Inf, the loss runs away, the batch's training
   * forward takes batch norm's running statistics beyond float32, or the step would take a parameter
   * beyond 1.8e16 (never applied): see NonFinitePolicy. Default 'throw'.
   */
  onNonFinite?: NonFinitePolicy;
  /**
   * With onNonFinite 'halve': halvings allowed in this call before DIVERGED (default 10; 0: none,
   * DIVERGED at the first fault, after going back to the last epoch start judged good).
   */
  maxHalvings?: number;
  /**
   * Record a gradient-flow trace, returned as TrainResult.trace and kept in net.trace (see
   * src/flow/recorder.ts), e.g. { every: 10 }.
   * Without it, a call that changes the weights sets net.trace back to undefined (an earlier run's
   * trace would describe weights the network no longer has). Default: no trace.
   */
  trace?: TraceOptions;
  /**
   * LSUV initialisation (Mishkin & Matas 2015) before the first step, on the first batchSize rows of
   * the data in their given order: true, or { tolerance, maxIterations } (defaults 0.1 and 10). It
   * rescales the current weights; a network created with init 'lsuv' needs it (or net.initLsuv(x))
   * before it trains. Refused (INVALID_OPTION) beside an optimiser with per-layer rates (layerRates
   * not all 1): they were set on the weights before LSUV rescales them; call net.initLsuv(x) first,
   * then measure the rates (equalisingLayerRates) and train without lsuv. Default false.
   */
  lsuv?: boolean | LsuvOptions;
  /**
   * Annealed gradient noise (Neelakantan et al. 2015): N(0, η/(1 + t)^γ) added to every gradient
   * entry at step t (net.step before the update, so a resumed run continues the schedule), drawn
   * from the network's RNG, before clipping. First-order optimisers only. γ defaults to 0.55.
   */
  gradientNoise?: {
    /** η ≥ 0, the noise variance at step 0 (the paper tries 0.01, 0.3 and 1). */
    eta: number;
    /** γ ≥ 0, how fast the variance decays with the step (default 0.55, the paper's). */
    gamma?: number;
  };
}

/** Every key of TrainOptions: train() refuses any other (a misspelt option would be ignored). */
export const TRAIN_OPTIONS = keysOf<TrainOptions>({
  epochs: true,
  batchSize: true,
  dropLast: true,
  learningRate: true,
  schedule: true,
  momentum: true,
  weightDecay: true,
  shuffle: true,
  optimizer: true,
  clipNorm: true,
  maxSeconds: true,
  maxSteps: true,
  clock: true,
  validation: true,
  onBatch: true,
  onEpoch: true,
  onNonFinite: true,
  maxHalvings: true,
  trace: true,
  lsuv: true,
  gradientNoise: true,
});

/** The options of a train() call given none: one object for every such call, so that the settings read from it are kept (kept-settings.ts). */
export const NO_TRAIN_OPTIONS: TrainOptions = Object.freeze({});

/** train()'s options as given (none: NO_TRAIN_OPTIONS), refused (INVALID_OPTION) unless an options object with only TrainOptions' keys: the first check of train(), before any row is read. */
export function checkTrainOptions(given: unknown): TrainOptions {
  if (given === undefined) return NO_TRAIN_OPTIONS;
  checkKnownKeys(given, TRAIN_OPTIONS, 'train');
  return given;
}

/** What Network.train() returns. */
export interface TrainResult {
  /** One entry per epoch run (the last one cut short when maxSeconds or maxSteps ran out; an epoch run again by 'halve' once, its last run). */
  epochs: EpochInfo[];
  /** Batches left out with onNonFinite 'skip' (a non-finite or runaway loss or gradient, or a step out of range); nothing is put back for them. */
  skipped: number;
  /** Times the learning rate was halved ('halve'). */
  halvings: number;
  /**
   * The threads the steps ran on: the network's threads (createNetwork's `threads`, or threaded kernels given as `backend`)
   * where any step's work was split across them, else 1. A step is split only where each thread gets at least
   * ThreadedWasmKernels.minRowsPerThread of its batch rows (20 by default: with `threads: 2`, batches of 40 or more) and a product is large enough
   * to pay for the hand-off, so `threads: 2` at the default batch of 32 trains on one thread, as `threads: 1` does.
   * Validation and callbacks, which run at their own sizes, are not counted.
   */
  threads: number;
  /**
   * Why the steps ran on one thread where the network was given more: the batches were too small to split, no product was large
   * enough, or threads could not run at all (ThreadedWasmKernels.threadsFallback's reason). Absent where they ran on every thread
   * or one was asked for.
   */
  threadsNote?: string;
  /**
   * The learning rate in force at the end (the starting one unless halved; under a schedule, the rate it scales, not the last
   * step's: that is learningRate × the schedule's factor there); absent for an optimiser
   * that chooses its own steps and takes none (levenberg-marquardt, hessian-free).
   */
  learningRate?: number;
  /** With the `lsuv` option: each dense layer's variance before and after its rescaling. */
  lsuv?: LsuvLayerReport[];
  /**
   * The weight matrices this call applied steps to and left bit for bit as they were before its first step, by their names in
   * Network.parameters() ('0.weight', …), in the network's order; absent where every one moved, no step was applied, or the call
   * planned fewer than 500 rows (epochs × rows per epoch) on a network of more than 4,096 trained values (parameterCount): there the weights are not compared, whose copy and comparison cost one to seven rows' steps,
   * which a loop calling train() per small batch would pay every step. Each update
   * of their weights (learningRate × its gradient, clipped to clipNorm where given, as the optimiser scales it) was below the
   * resolution of the float32 number it was added to (a change under about 5.96e-8 to 1.19e-7 of a weight's size, half the spacing
   * of the numbers there, is lost in its rounding; float64's resolution on the 'ref' backend), so each rounded to nothing, or was 0 (no
   * gradient reached them). A learning rate (or a clipNorm) too small for the weights' size does that to every one (edges47 #16: a learningRate
   * of 1e-20 trains nothing, and the epochs' losses stay the network's as made). Biases are not compared: one at 0 takes even a
   * 1e-20 step, too small to change an output.
   */
  unmovedWeights?: string[];
  /**
   * The weight matrices whose gradient (∂C/∂W over each batch, with gradient noise and clipping where given) was 0 in every entry
   * at every step this call applied, by their names in Network.parameters(), in the network's order; absent where each got a
   * nonzero gradient at some step, or no step was applied. Its units passed no gradient back (dead relu units: z ≤ 0 on every row),
   * or its input was 0 (∂C/∂W is δ times the layer's input). One of them also in unmovedWeights got no update at all, where the
   * others there rounded theirs away; weight decay can still move one that is not.
   */
  zeroGradientWeights?: string[];
  /**
   * With the `trace` option: the gradient-flow trace this call recorded (net.trace holds it too, until
   * the weights change without tracing). Absent without it. A call given `trace` returns a
   * TracedTrainResult, where it is typed as present.
   */
  trace?: Trace;
}

/** What Network.train() returns when given `trace` options: a TrainResult whose trace is there. */
export interface TracedTrainResult extends TrainResult {
  /** The gradient-flow trace this call recorded (net.trace holds it too, until the weights change without tracing). */
  trace: Trace;
}
