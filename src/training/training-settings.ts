/**
 * train()'s option values, checked and resolved into the settings the training loop runs with, in
 * one pass before anything is allocated or changed (a refusal leaves the network as it was). The
 * keys were checked first (checkTrainOptions); the optimiser is made after this (trainingOptimizer).
 */
import { BUDGET_CLOCKS, type BudgetClock } from '../budget-clock.js';
import { checkBoolean, checkChoice, checkFloat32, checkPositive, checkWhole, type Bound, UNRUN_GENERATOR, unrunnableKind } from '../checks.js';
import { COUNT_BOUND } from '../run-counts.js';
import { invalidOption } from '../errors.js';
import { checkOptimizerFor } from '../optim/optimizer.js';
import { isOptimizer } from '../optim/index.js';
import { checkClipNorm } from '../optim/clip.js';
import { checkLsuvTrainOption } from '../network/lsuv-init.js';
import type { LsuvOptions } from '../layers/lsuv.js';
import { checkGradientNoiseOption, type AnnealedGradientNoiseOptions } from '../optim/annealed-gradient-noise.js';
import { checkTraceable, type TraceOptions } from '../flow/recorder.js';
import { checkMaxHalvings, checkNonFinitePolicy, type NonFinitePolicy } from './numeric-faults.js';
import { cappedBatch, checkBatchRows, DEFAULT_BATCH_SIZE, plannedEpochRows } from './batch-rows.js';
import { batchesPerEpoch } from '../epoch-batches.js';
import { checkSettingsBesideOptimizer } from './optimizer-settings.js';
import { AWAIT_BETWEEN_CALLS, NOT_AWAITED } from './callback-promises.js';
import type { TrainOptions } from './train-options.js';
import type { TrainingEngine } from './training-engine.js';
import { readSchedule } from '../schedule-check.js';
import type { CallSchedule } from '../learning-rate-schedule.js';

/** What a train() call runs with: TrainOptions' values checked, their defaults filled in. */
export interface TrainingSettings {
  /** Passes over the rows. */
  epochs: number;
  /** Rows per batch: the option capped at the number of rows. */
  batchSize: number;
  /** Rows each epoch trains on: all of them, or without the short last batch (dropLast). */
  epochRows: number;
  /** The learningRate option, checked; undefined when not given (the optimiser's default applies). */
  learningRate: number | undefined;
  /** Whether each epoch reshuffles the rows. */
  shuffle: boolean;
  /** The global gradient norm to clip to; undefined: no clipping. */
  clipNorm: number | undefined;
  /** Seconds after which the call stops at the end of a batch (Infinity: no limit). */
  maxSeconds: number;
  /** Steps after which the call stops (Infinity: no limit). */
  maxSteps: number;
  /** The clock maxSeconds reads. */
  clock: BudgetClock;
  /** What a faulty step leads to (onNonFinite). */
  policy: NonFinitePolicy;
  /** Halvings allowed with 'halve'. */
  maxHalvings: number;
  /** The trace option as given (checked against the network). */
  trace: TraceOptions | undefined;
  /** LSUV's settings, undefined without the option. */
  lsuv: Required<LsuvOptions> | undefined;
  /** The gradient noise's settings, undefined without the option. */
  noise: Required<AnnealedGradientNoiseOptions> | undefined;
  /** The learning-rate schedule, resolved for this call; undefined without one. */
  schedule: CallSchedule | undefined;
  /** The steps this call plans: its epochs × the batches of an epoch, or maxSteps if fewer. */
  plannedSteps: number;
}

/**
 * Checks `options`' values for training `net` on `rows` rows (INVALID_OPTION naming the option; a
 * 'halve' copy that would not fit, OUT_OF_MEMORY) and returns the settings they give. An optimiser
 * instance is checked against `net` here; one given by name is created later, by trainingOptimizer.
 */
export function readTrainingSettings(net: TrainingEngine, options: TrainOptions, rows: number): TrainingSettings {
  const epochs = positiveInteger(options.epochs, 'epochs', 1, COUNT_BOUND);
  const requestedBatch = positiveInteger(options.batchSize, 'batchSize', DEFAULT_BATCH_SIZE);
  const batchSize = cappedBatch(requestedBatch, rows);
  const dropLast = options.dropLast === undefined ? false : checkBoolean(options.dropLast, 'dropLast');
  checkBatchRows(net, rows, requestedBatch, dropLast);
  const epochRows = plannedEpochRows(rows, requestedBatch, dropLast);
  const learningRate = options.learningRate === undefined ? undefined : checkFloat32(checkPositive(options.learningRate, 'learningRate'), 'learningRate');
  const shuffle = checkBoolean(options.shuffle ?? true, 'shuffle');
  checkTrainingCallback(options.onBatch, 'onBatch');
  checkTrainingCallback(options.onEpoch, 'onEpoch');
  if (isOptimizer(options.optimizer)) checkOptimizerFor(options.optimizer, net);
  checkSettingsBesideOptimizer(options);
  const clipNorm = checkClipNorm(options.clipNorm);
  const maxSeconds = options.maxSeconds === undefined ? Infinity : checkPositive(options.maxSeconds, 'maxSeconds');
  const maxSteps = positiveInteger(options.maxSteps, 'maxSteps', Infinity, COUNT_BOUND);
  const clock = options.clock === undefined ? 'wall' : checkChoice(options.clock, BUDGET_CLOCKS, 'clock');
  // A clock is read only by maxSeconds: without it the setting would do nothing, and is refused as other settings that would not apply are.
  if (options.clock !== undefined && options.maxSeconds === undefined) {
    throw invalidOption(`clock: '${clock}' is the clock maxSeconds reads, and no maxSeconds is given; give maxSeconds, or leave clock out`);
  }
  const policy = checkNonFinitePolicy(options.onNonFinite);
  const maxHalvings = checkMaxHalvings(options.maxHalvings);
  if (options.trace !== undefined) checkTraceable(net, options.trace);
  const lsuv = checkLsuvTrainOption(options.lsuv, net);
  const noise = options.gradientNoise === undefined ? undefined : checkGradientNoiseOption(options.gradientNoise);
  if (noise !== undefined && (options.gradientNoise as { seed?: unknown }).seed !== undefined) {
    throw invalidOption("gradientNoise.seed: train() draws the noise from the network's RNG (createNetwork's seed), so a resumed run draws the same noise");
  }
  const epochSteps = batchesPerEpoch(epochRows, batchSize);
  const plannedSteps = Math.min(epochs * epochSteps, maxSteps);
  const schedule = options.schedule === undefined ? undefined : readSchedule(options.schedule, plannedSteps, epochSteps);
  // Everything this call will allocate, checked before the first allocation.
  if (policy === 'halve') net.checkFits(2 * net.parameterCount, "onNonFinite 'halve' (two copies of the weights: the last epoch start judged good, and the next)");
  return { epochs, batchSize, epochRows, learningRate, shuffle, clipNorm, maxSeconds, maxSteps, clock, policy, maxHalvings, trace: options.trace, lsuv, noise, schedule, plannedSteps };
}

/** onBatch's or onEpoch's value (`name`): undefined or a plain function, else INVALID_OPTION. */
function checkTrainingCallback(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'function') throw invalidOption(`${name}: expected a function`);
  const kind = unrunnableKind(value);
  if (kind === 'async') throw invalidOption(`${name}: an async function; ${NOT_AWAITED}: give a plain function, or ${AWAIT_BETWEEN_CALLS}`);
  if (kind === 'generator') throw invalidOption(`${name}: ${UNRUN_GENERATOR}: give a plain function`);
}

function positiveInteger(value: unknown, name: string, fallback: number, bound?: Bound): number {
  return value === undefined ? fallback : checkWhole(value, name, 1, bound);
}
