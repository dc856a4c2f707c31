/**
 * The mini-batch training loop, above the engine, the optimisers and the trace: shuffle, copy a batch in by index, feedforward, backprop, check,
 * update. The data set is copied into the backend's memory once, so a step allocates nothing.
 */
import { counted } from '../counted.js';
import { checkBoolean, checkKnownKeys, checkPositive, checkWhole, keysOf } from '../checks.js';
import { BATCH_NORM_BLOCKING_ROWS } from '../layers/spec.js';
import type { ResidentRows, RowLabels, Rows } from '../data/matrix.js';
import type { Dataset } from './dataset.js';
import { GradscopeError, invalidOption, shown } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { checkOptimizerFor, type Optimizer } from '../optim/optimizer.js';
import { Sgd, SGD_LEARNING_RATE } from '../optim/sgd.js';
import { checkOptimizerSupports, createOptimizer, isOptimizer, optimizerNames, type OptimizerSpec } from '../optim/index.js';
import { checkClipNorm, clipGradientNorm } from '../optim/clip.js';
import { checkTrainingBatch, type ModelOwner } from '../model.js';
import type { BiasInit, WeightInit } from '../init/initializers.js';
import { evaluateRows, identity, type Evaluation } from '../network/rows.js';
import { checkLsuvTrainOption, lsuvOnLoadedRows, type LsuvEngine } from '../network/lsuv-init.js';
import type { LsuvLayerReport, LsuvOptions } from '../layers/lsuv.js';
import { AnnealedGradientNoise, checkGradientNoiseOption } from '../optim/annealed-gradient-noise.js';
import { FirstOrderOptimizer } from '../optim/first-order.js';
import { RUNAWAY_PARAMETER } from '../model-limits.js';
import { checkMaxHalvings, checkNonFinitePolicy, EpochUndo, runawayLoss, targetsTooLarge, type NonFinitePolicy } from './numeric-faults.js';
import { StepGuard } from './step-guard.js';
import { DivergedError, learningRateAdvice, parenthesised, type Advice, type AdviceTerms } from './advice.js';
import { checkTraceable, TraceRecorder, type TraceOptions } from '../flow/recorder.js';
import type { Trace } from '../flow/trace.js';
import { describeRun } from './trace-run.js';

/** Passed to TrainOptions.onBatch after each batch's update. */
export interface BatchInfo {
  /** Epoch number, from 0. */
  epoch: number;
  /** Index of the batch within the epoch. */
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
  /** Epoch number, from 0. */
  epoch: number;
  /** Mean of the batch losses (each before its update). */
  loss: number;
  /** Wall-clock time the epoch took, in seconds. */
  seconds: number;
  /** Loss (and accuracy) on TrainOptions.validation after this epoch; absent without validation. */
  validation?: Evaluation;
}

/** Options of Network.train(); every field is optional. */
export interface TrainOptions {
  /** Passes over the training data (default 1). */
  epochs?: number;
  /**
   * Rows per mini-batch (default 32; capped at the number of rows). With batch norm no batch may
   * have one row, and the short last batch of an epoch (rows not a multiple of batchSize) not 1 or 2
   * unless dropLast leaves it out (INVALID_OPTION: over 2 rows or fewer batch norm normalises nothing).
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
   * Momentum in [0, 1) of the default SGD, used when no `optimizer` is given (default 0). With
   * `optimizer` it is refused (INVALID_OPTION): give it in the optimiser's options,
   * { name: 'sgd', momentum }.
   */
  momentum?: number;
  /**
   * L2 weight decay λ ≥ 0 of the default SGD, used when no `optimizer` is given (default 0). With
   * `optimizer` it is refused (INVALID_OPTION): give it in the optimiser's options,
   * { name, weightDecay }.
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
  /** Clip the gradient to this global norm before each step (first-order optimisers only; default: no clipping). */
  clipNorm?: number;
  /** Stop after the first batch that ends this many seconds after training started (default: no limit). */
  maxSeconds?: number;
  /** Evaluated after every epoch: rows, or a Dataset (which copies nothing per call); default none. */
  validation?: ValidationRows | Dataset;
  /** Called after every batch's update (for progress or early inspection). */
  onBatch?: (info: BatchInfo) => void;
  /** Called after every epoch, after validation. */
  onEpoch?: (info: EpochInfo) => void;
  /** What to do when a step's loss or gradient is NaN or Inf, the loss runs away, or the step would take a parameter beyond 1.8e16 (never applied): see NonFinitePolicy. Default 'throw'. */
  onNonFinite?: NonFinitePolicy;
  /** With onNonFinite 'halve': halvings allowed in this call before DIVERGED (default 10). */
  maxHalvings?: number;
  /**
   * Record a gradient-flow trace into net.trace (see src/flow/recorder.ts), e.g. { every: 10 }.
   * Without it, a call that changes the weights sets net.trace back to undefined (an earlier run's
   * trace would describe weights the network no longer has). Default: no trace.
   */
  trace?: TraceOptions;
  /**
   * LSUV initialisation (Mishkin & Matas 2015) before the first step, on the first batchSize rows of
   * the data in their given order: true, or { tolerance, maxIterations } (defaults 0.1 and 10). It
   * rescales the current weights; a network created with init 'lsuv' needs it (or net.initLsuv(x))
   * before it trains. Default false.
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

/** TrainOptions.validation given as rows. */
export interface ValidationRows {
  /** Inputs, one row per example. */
  x: Rows;
  /** Targets, one row per example. */
  y: Rows;
  /** Not read: taken so that a loadMnist split ({ x, y, labels }) can be passed as it is. */
  labels?: ArrayLike<number>;
}

/** How messages name validation rows ('validation.x: row 0 has 2 values, expected 4'), so a fault there is not taken for one in the training rows. */
export const VALIDATION_LABELS: RowLabels = { inputs: 'validation.x', targets: 'validation.y', dataset: 'validation' };

/** Every key of ValidationRows: train() refuses any other (a misspelt `y` would be a missing one). */
const VALIDATION_ROWS = keysOf<ValidationRows>({ x: true, y: true, labels: true });

/** TrainOptions.validation given as rows (not a Dataset), checked before anything is copied: an object with x and y, and no other key but labels. */
export function checkValidationRows(value: unknown): asserts value is ValidationRows {
  checkKnownKeys(value, VALIDATION_ROWS, 'validation', '{ x, y } or a Dataset');
  for (const key of ['x', 'y'] as const) {
    if ((value as Partial<ValidationRows>)[key] === undefined) throw invalidOption(`validation: ${key} is missing (expected { x, y } or a Dataset)`);
  }
}

/**
 * momentum and weightDecay at the top level set up the default SGD; beside an `optimizer` they
 * would be ignored (its own options decide), and a learningRate both at the top level and in a
 * { name, learningRate } spec would leave one ignored: each is refused, saying where it goes.
 * Refused rather than merged into the optimiser: an instance's settings are fixed when it is
 * created, so merging could not be done the same way for every form of `optimizer`.
 */
function checkSettingsBesideOptimizer(options: TrainOptions): void {
  const given = options.optimizer;
  if (given === undefined) return;
  const instance = isOptimizer(given);
  const name = instance ? given.name : typeof given === 'string' ? given : (given as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') return; // not an optimiser or a spec: createOptimizer refuses it
  for (const key of ['momentum', 'weightDecay'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    const where = instance
      ? `set it when the optimiser is created (createOptimizer(net, { name: '${name}', ${key}: ${shown(value)} }))`
      : `give it in the optimizer: optimizer: { name: '${name}', ${key}: ${shown(value)} }`;
    throw invalidOption(`${key}: a top-level ${key} sets up the default SGD and is not applied when optimizer is given; ${where}`);
  }
  const inSpec = !instance && typeof given === 'object' && given !== null ? (given as Record<string, unknown>).learningRate : undefined;
  if (options.learningRate !== undefined && inSpec !== undefined) {
    throw invalidOption(`learningRate: given twice, ${shown(options.learningRate)} at the top level and ${shown(inSpec)} in optimizer; give it once (the top level's would win)`);
  }
}

/** Every key of TrainOptions: train() refuses any other (a misspelt option would be ignored). */
export const TRAIN_OPTIONS = keysOf<TrainOptions>({
  epochs: true,
  batchSize: true,
  dropLast: true,
  learningRate: true,
  momentum: true,
  weightDecay: true,
  shuffle: true,
  optimizer: true,
  clipNorm: true,
  maxSeconds: true,
  validation: true,
  onBatch: true,
  onEpoch: true,
  onNonFinite: true,
  maxHalvings: true,
  trace: true,
  lsuv: true,
  gradientNoise: true,
});

/** train()'s options as given (none: {}), refused (INVALID_OPTION) unless an options object with only TrainOptions' keys: the first check of train(), before any row is read. */
export function checkTrainOptions(given: unknown): TrainOptions {
  if (given === undefined) return {};
  checkKnownKeys(given, TRAIN_OPTIONS, 'train');
  return given;
}

/**
 * Refuses (INVALID_OPTION, checkOptimizerSupports) an `optimizer` given by name or { name, … } that
 * cannot train `net`'s layers (K-FAC on a block network): Network.train runs it right after
 * checkTrainOptions, before any row is read. An instance was checked when it was created; an unknown
 * name or a malformed spec is left to createOptimizer (after the inputs' own check, as before).
 */
export function checkOptimizerOption(net: ModelOwner, options: TrainOptions): void {
  const given = options.optimizer;
  if (given === undefined || isOptimizer(given)) return;
  const name = typeof given === 'string' ? given : (given as { name?: unknown } | null)?.name;
  // An unknown name is createOptimizer's to refuse, after the rows are checked (as the eager path does).
  if (typeof name === 'string' && optimizerNames().includes(name)) checkOptimizerSupports(net, name);
}

/** What Network.train() returns. */
export interface TrainResult {
  /** One entry per epoch run (the last one cut short when maxSeconds ran out). */
  epochs: EpochInfo[];
  /** Batches left out for a non-finite loss or gradient ('skip'). */
  skipped: number;
  /** Times the learning rate was halved ('halve'). */
  halvings: number;
  /**
   * The learning rate in force at the end (the starting one unless halved); absent for an optimiser
   * that chooses its own steps and takes none (levenberg-marquardt, hessian-free).
   */
  learningRate?: number;
  /** With the `lsuv` option: each dense layer's variance before and after its rescaling. */
  lsuv?: LsuvLayerReport[];
}

/** TrainOptions.batchSize's default. */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * Whether train() with these options loads its `rows` rows once, as one batch in their own order:
 * one epoch, all rows in one batch, not shuffled (or one row), and no validation (evaluated between
 * epochs through the same buffers). Such a call's rows may go straight into the network's batch
 * buffers (loadInPlace in dataset.ts), with no dataset of their own to copy them from.
 */
export function loadsOneBatchInOrder(rows: number, options: TrainOptions): boolean {
  const oneBatch = rows <= (options.batchSize ?? DEFAULT_BATCH_SIZE) && (options.shuffle === false || rows === 1);
  return oneBatch && (options.epochs ?? 1) === 1 && options.validation === undefined;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  return value === undefined ? fallback : checkWhole(value, name, 1);
}

/** Inputs and targets in the network's backend memory (a Dataset's, or a call's own upload). */
export interface TrainingRows<T extends Tensor = Tensor> {
  inputs: ResidentRows<T>;
  targets: ResidentRows<T>;
  /**
   * Run once, right after the first batch's forward pass (before its backprop, before anything the
   * network holds changes): for inputs whose values the caller checks through that pass's outputs.
   */
  afterFirstForward?: (batch: number) => void;
}

/** An engine as the training loop sees it: rows, the Trainable contract and how it was initialised (for the trace). */
export type TrainingEngine = LsuvEngine & { readonly initialisation?: { weights: WeightInit; biases: BiasInit } };

/**
 * Trains `net` on resident (x, y), checked against its sizes by the caller, with `options` as
 * checkTrainOptions passed them (their values are checked here). `onTrace` receives the trace
 * being recorded (with `options.trace`) before the first step, so it is kept even if training fails,
 * and undefined at the end of an untraced call that changed the weights (a step applied, or LSUV).
 * Each step's forward runs in 'train' mode (batch norm: batch statistics, running statistics moved
 * once); optimisers that evaluate again use 'batch'; validation uses 'eval'.
 */
export function runTraining(
  net: TrainingEngine,
  data: TrainingRows,
  options: TrainOptions,
  validation: TrainingRows | undefined,
  onTrace: (trace: Trace | undefined) => void,
): TrainResult {
  const { inputs: x, targets: y } = data;
  const epochs = positiveInteger(options.epochs, 'epochs', 1);
  const requestedBatch = positiveInteger(options.batchSize, 'batchSize', DEFAULT_BATCH_SIZE);
  const batchSize = Math.min(requestedBatch, x.rows);
  const dropLast = options.dropLast === undefined ? false : checkBoolean(options.dropLast, 'dropLast');
  /** Rows of each epoch's short last batch (0: every batch is full), left out with dropLast. */
  const shortRows = x.rows % batchSize;
  checkBatchRows(net, x.rows, requestedBatch, dropLast);
  /** Rows each epoch trains on: all of them, or without the short last batch. */
  const epochRows = dropLast ? x.rows - shortRows : x.rows;
  let learningRate = options.learningRate === undefined ? SGD_LEARNING_RATE : checkPositive(options.learningRate, 'learningRate');
  const shuffle = checkBoolean(options.shuffle ?? true, 'shuffle');
  for (const name of ['onBatch', 'onEpoch'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw invalidOption(`${name}: expected a function`);
  }
  if (isOptimizer(options.optimizer)) checkOptimizerFor(options.optimizer, net);
  checkSettingsBesideOptimizer(options);
  const clipNorm = checkClipNorm(options.clipNorm);
  const maxSeconds = options.maxSeconds === undefined ? Infinity : checkPositive(options.maxSeconds, 'maxSeconds');
  const policy = checkNonFinitePolicy(options.onNonFinite);
  const maxHalvings = checkMaxHalvings(options.maxHalvings);
  if (options.trace !== undefined) {
    checkTraceable(net, options.trace);
  }
  const lsuv = checkLsuvTrainOption(options.lsuv, net);
  const noise = options.gradientNoise === undefined ? undefined : checkGradientNoiseOption(options.gradientNoise);
  if (noise !== undefined && (options.gradientNoise as { seed?: unknown }).seed !== undefined) {
    throw invalidOption("gradientNoise.seed: train() draws the noise from the network's RNG (createNetwork's seed), so a resumed run draws the same noise");
  }
  // Everything this call will allocate, checked before the first allocation.
  if (policy === 'halve') net.checkFits(net.parameterCount, "onNonFinite 'halve' (a copy of the weights)");
  const ownsOptimizer = !isOptimizer(options.optimizer);
  const optimizer: Optimizer = isOptimizer(options.optimizer)
    ? options.optimizer
    : options.optimizer !== undefined
      ? createOptimizer(net, options.optimizer)
      : new Sgd(net, { momentum: options.momentum, weightDecay: options.weightDecay });
  if (options.learningRate === undefined && optimizer.defaultLearningRate !== undefined) learningRate = optimizer.defaultLearningRate;
  const ownSteps = optimizer.choosesOwnSteps === true;
  try {
    checkSettingsForOptimizer(optimizer, { learningRate: options.learningRate, onNonFinite: policy, clipNorm });
  } catch (error) {
    if (ownsOptimizer) optimizer.dispose();
    throw error;
  }
  if (noise !== undefined && !(optimizer instanceof FirstOrderOptimizer)) {
    if (ownsOptimizer) optimizer.dispose();
    throw invalidOption(`gradientNoise: '${optimizer.name}' is not a first-order optimiser (noise on the gradient it evaluates itself would not be the paper's method); use sgd, lars, adagrad, rmsprop, adam or adamw`);
  }
  // A refusal before any update leaves the RNG (which shuffling advances) as it was, like everything else.
  const rngAtStart = new Uint32Array(4);
  net.rng.saveState(rngAtStart);
  const stepAtStart = net.step;
  /** Whether an update has been applied (and not rolled back) in this call. */
  let applied = false;

  let undo: EpochUndo | undefined;
  let guard: StepGuard | undefined;
  let tracer: TraceRecorder | undefined;
  let noiser: AnnealedGradientNoise<Tensor> | undefined;
  let lsuvReports: LsuvLayerReport[] | undefined;
  let skipped = 0;
  let halvings = 0;
  /** The last fault seen (named when every batch of an epoch had one). */
  let lastFault: StepFault | undefined;
  try {
    net.ensureCapacity(batchSize);
    const order = identity(x.rows);
    if (lsuv) {
      net.loadBatch(x, y, order, 0, batchSize);
      lsuvReports = lsuvOnLoadedRows(net, batchSize, lsuv);
    }
    if (noise) noiser = new AnnealedGradientNoise(net.kernels, net.parameters().map((p) => p.grad), noise, net.rng);
    guard = new StepGuard(net, optimizer);
    const rngBeforeNoise = new Uint32Array(4);
    if (policy === 'halve') undo = new EpochUndo(net);
    if (options.trace !== undefined) {
      tracer = new TraceRecorder(net, options.trace, describeRun(net, optimizer, { clipNorm, batchSize, learningRate: reportedRate(learningRate, ownSteps) }));
      onTrace(tracer.trace);
    }

    let { afterFirstForward } = data;
    /** The first finite batch loss of this call: the scale a runaway loss is measured against. */
    let firstLoss = NaN;
    /**
     * Loads rows[start .. start+size), runs feedforward and backprop, adds the gradient noise and
     * clips; the loss, or why the step must not be applied (a fault, rare: allocated only then).
     */
    const forwardBackward = (rows: Uint32Array, start: number, size: number): number | StepFault => {
      net.loadBatch(x, y, rows, start, size);
      net.forward(size, 'train');
      if (afterFirstForward) {
        afterFirstForward(size);
        afterFirstForward = undefined;
      }
      tracer?.beforeBackprop(net.step + 1);
      const loss = net.backprop(size);
      if (!Number.isFinite(loss) || guard!.gradientFault() !== null) return numericFault(net, guard!, { loss, rows, start, size, applied, learningRate: reportedRate(learningRate, ownSteps) });
      if (Number.isNaN(firstLoss)) firstLoss = loss;
      const runaway = runawayLoss(loss, firstLoss) ?? guard!.parameterFault();
      if (runaway !== null) return { reason: runaway, advice: rateAdvice(reportedRate(learningRate, ownSteps)) };
      if (noiser) {
        net.rng.saveState(rngBeforeNoise);
        noiser.add(net.step);
        const noisy = guard!.gradientFault();
        if (noisy !== null) {
          net.rng.setState(rngBeforeNoise); // the step is not applied: its noise is not drawn either
          return { reason: `with the gradient noise added, ${noisy}`, advice: noiseAdvice(noise!.eta) };
        }
      }
      if (clipNorm !== undefined) clipGradientNorm(net, clipNorm);
      return loss;
    };

    const history: EpochInfo[] = [];
    const deadline = performance.now() + 1000 * maxSeconds;
    let outOfTime = false;
    for (let epoch = 0; epoch < epochs && !outOfTime; epoch++) {
      const started = performance.now();
      if (shuffle) {
        // Each epoch's order depends only on the RNG state, not on the last epoch's order, so a
        // run resumed from a checkpoint (which holds the RNG state) shuffles exactly as one that never stopped.
        for (let i = 0; i < order.length; i++) order[i] = i;
        net.rng.shuffle(order);
      }
      undo?.save(optimizer);
      let lossSum = 0;
      let batches = 0;
      let position = 0;
      /** With 'throw': whether the guard keeps a copy of a state judged good in this epoch (see keepCopy). */
      let copied = policy !== 'throw';
      for (let start = 0; start < epochRows; ) {
        const size = Math.min(batchSize, epochRows - start);
        let outcome = forwardBackward(order, start, size);
        /** A fault of the state the steps made (its loss or gradient on this batch), not of a step refused. */
        const stateFault = typeof outcome !== 'number';
        if (typeof outcome === 'number') {
          const loss = outcome;
          const traced = tracer?.wants(net.step + 1) === true;
          if (traced) tracer!.afterBackprop(size, loss);
          // With 'throw', the state a DIVERGED goes back to (StepGuard.backToLastGood): the guard copies
          // it before every step it cannot prove, and here before the first step of each epoch, unless
          // no step of this call follows it (a call of one batch copies nothing).
          const keepCopy = !copied && !(epoch === epochs - 1 && start + size >= epochRows);
          copied ||= keepCopy;
          const refused = guard.step(learningRate, size, loss, keepCopy);
          if (refused === null) {
            applied = true;
            net.step++;
            if (traced) tracer!.afterStep();
          } else {
            if (noiser) net.rng.setState(rngBeforeNoise); // nor is its noise drawn
            if (traced) tracer!.rewound(); // nor recorded
            outcome = { reason: refused, advice: refusedStepAdvice(net, guard, { size, noise, applied, learningRate: reportedRate(learningRate, ownSteps) }) };
          }
        }
        if (typeof outcome === 'number') {
          lossSum += outcome;
          if (options.onBatch) {
            options.onBatch({ epoch, batch: position, step: net.step, loss: outcome, size });
            net.assertAlive(); // onBatch may have disposed the network …
            guard.parametersChanged(); // … or changed its parameters
          }
          batches++;
          position++;
          start += size;
          if (performance.now() >= deadline) {
            outOfTime = true;
            break;
          }
          continue;
        }
        const where = `epoch ${epoch}, batch ${position} (step ${net.step + 1})`;
        lastFault = outcome;
        if (policy === 'throw') {
          const back = stateFault && applied ? guard.backToLastGood(() => batchFaults(net, guard!, size, firstLoss)) : null;
          if (back !== null) {
            tracer?.rewound();
            // Back where the call started: nothing it changed is left, the RNG included (below).
            if (back.step === stepAtStart) applied = false;
          }
          const fault = outcome;
          throw new DivergedError((terms) => `${where}: ${fault.reason}; the step was not applied${back === null ? '' : wentBack(back)}${parenthesised(fault.advice(terms))}`);
        }
        if (policy === 'halve') {
          // This attempt's weights led to the fault, so they go back either way.
          undo!.restore(optimizer);
          tracer?.rewound();
          guard.parametersChanged();
          if (epoch === 0) applied = false;
          if (halvings === maxHalvings) {
            throw new GradscopeError(
              'DIVERGED',
              `${where}: ${outcome.reason} after ${counted(halvings, 'halving')} of the learning rate (now ${learningRate}); the network is back at the start of epoch ${epoch}`,
            );
          }
          halvings++;
          learningRate /= 2;
          lossSum = 0;
          batches = 0;
          position = 0;
          start = 0;
          continue;
        }
        skipped++;
        position++;
        start += size;
      }
      if (batches === 0) {
        const last = lastFault!;
        throw new DivergedError((terms) => {
          const advice = last.advice(terms);
          return `epoch ${epoch}: every batch had a non-finite or runaway loss, gradient or step; nothing was applied (the last: ${last.reason}${advice ? `; ${advice}` : ''})`;
        });
      }
      const info: EpochInfo = { epoch, loss: lossSum / batches, seconds: (performance.now() - started) / 1000 };
      if (validation) info.validation = evaluateRows(net, validation.inputs, validation.targets);
      history.push(info);
      if (options.onEpoch) {
        options.onEpoch(info);
        net.assertAlive();
        guard.parametersChanged();
      }
    }
    return { epochs: history, skipped, halvings, ...(!ownSteps && { learningRate }), ...(lsuvReports && { lsuv: lsuvReports }) };
  } catch (error) {
    if (!applied && !net.isDisposed) net.rng.setState(rngAtStart);
    throw error;
  } finally {
    undo?.dispose();
    guard?.dispose();
    noiser?.dispose();
    tracer?.close();
    // An untraced call that moved the weights leaves no trace of an earlier run to describe weights it no longer has.
    if (tracer === undefined && (applied || lsuvReports !== undefined)) onTrace(undefined);
    if (ownsOptimizer) optimizer.dispose();
  }
}

/** What the batch refusals call the rows and the options: train()'s names by default, a command line's flags in the CLI. */
export interface BatchWording {
  /** Who trains on how many rows in batches of which size, e.g. "train: with 200 rows and batchSize 199". */
  sizes: string;
  /** The batch size option, e.g. "batchSize" or "--batch-size". */
  batchSize: string;
  /** How to leave the short last batch out, e.g. "dropLast: true" or "--drop-last". */
  dropLast: string;
}

/**
 * Refuses (INVALID_OPTION) batches of `rows` rows in batches of `requestedBatch` (capped at the rows)
 * that `net` cannot train on: a batch under net.minTrainingRows, or a short last batch under
 * net.minLastBatchRows unless `dropLast` leaves it out (batch norm normalises nothing over 2 rows or
 * fewer). train() runs it first; the CLI runs it before any work, with its flags' names in `wording`.
 */
export function checkBatchRows(
  net: Pick<TrainingEngine, 'minTrainingRows' | 'minLastBatchRows'>,
  rows: number,
  requestedBatch: number,
  dropLast: boolean,
  wording: BatchWording = { sizes: `train: with ${counted(rows, 'row')} and batchSize ${requestedBatch}`, batchSize: 'batchSize', dropLast: 'dropLast: true' },
): void {
  const batchSize = Math.min(requestedBatch, rows);
  const { sizes } = wording;
  checkTrainingBatch(net, batchSize, `${sizes}, every batch`, rows === 1 ? 'train on at least 2 rows' : `choose a ${wording.batchSize} of at least 2`);
  const shortRows = rows % batchSize;
  if (shortRows === 0 || dropLast || shortRows >= net.minLastBatchRows) return;
  throw invalidOption(
    `${sizes}, the last batch has ${counted(shortRows, 'row')}, and batch norm in training normalises nothing over ${BATCH_NORM_BLOCKING_ROWS} rows or fewer ` +
      `(one row's variance is 0, every feature would become β; over 2 rows each feature becomes ±1 whatever its input and passes no gradient back to it); ` +
      `give ${wording.dropLast} to leave the short last batch out of each epoch, or a ${wording.batchSize} that leaves 0 or at least ${BATCH_NORM_BLOCKING_ROWS + 1} rows over`,
  );
}

/** Why a step is not applied, and what to try instead (made only when a step faults). */
interface StepFault {
  reason: string;
  /** In the printer's terms (advice.ts): the API's in the message, the CLI's flags when it prints it. */
  advice: Advice;
}

// The advice below is made only when a step faults, by functions of their own rather than closures
// in runTraining: a closure is made on every call (and under tsx, whose esbuild keeps function
// names, each named one costs a defineProperty, ~0.2 µs on the AMD EPYC Zen 5, 2026-11-30), and
// train() is called once per batch.

/**
 * Refuses (INVALID_OPTION, naming the option) train() settings `optimizer` would not apply: a
 * learning rate or onNonFinite 'halve' (which halves it) beside one that chooses its own steps, and
 * clipNorm beside one that evaluates its own gradients. train() checks them here, and the CLI before
 * any work.
 */
export function checkSettingsForOptimizer(optimizer: Optimizer, settings: Pick<TrainOptions, 'learningRate' | 'onNonFinite' | 'clipNorm'>): void {
  if (optimizer.choosesOwnSteps === true && (settings.learningRate !== undefined || settings.onNonFinite === 'halve')) {
    throw invalidOption(
      settings.learningRate !== undefined
        ? `learningRate: '${optimizer.name}' chooses its own steps (its damping sets them) and takes none`
        : `onNonFinite: 'halve' halves the learning rate, which '${optimizer.name}' does not take (it chooses its own steps); use 'throw' or 'skip'`,
    );
  }
  if (settings.clipNorm !== undefined && optimizer.recomputesGradient) {
    throw invalidOption(`clipNorm: '${optimizer.name}' evaluates its own gradients, so clipping the first one would not match them`);
  }
}

/** The learning rate as reported (result, trace, advice): none for an optimiser that chooses its own steps. */
function reportedRate(learningRate: number, ownSteps: boolean): number | undefined {
  return ownSteps ? undefined : learningRate;
}

/** learningRateAdvice (advice.ts) in the printer's terms; `learningRate` undefined: the optimiser chooses its own steps. */
function rateAdvice(learningRate: number | undefined): Advice {
  return (terms) => learningRateAdvice(learningRate, terms);
}

/** A smaller gradient noise than `eta`, in the printer's terms. */
function noiseAdvice(eta: number): Advice {
  return (terms) => (terms.gradientNoiseEta ? `use a smaller ${terms.gradientNoiseEta} than ${eta}` : '');
}

/** How far a train() call had got when a step faulted: what the advice that goes with the fault depends on. */
interface FaultedCall {
  /** Rows in the faulty batch (loaded and run forward, so targetsTooLarge can read them). */
  size: number;
  /** Whether an update has been applied (and not rolled back) in this call; if not, the learning rate is not the cause. */
  applied: boolean;
  /** The learning rate to advise about; undefined when the optimiser chooses its own steps (no rate to lower). */
  learningRate: number | undefined;
}

/** The batch whose loss or gradient is not finite, and how far the call had got. */
interface FaultedBatch extends FaultedCall {
  /** The batch's mean loss: NaN or ±Inf, or finite when the gradient is at fault. */
  loss: number;
  /** The epoch's row order; the batch is rows[start .. start + size). */
  rows: Uint32Array;
  /** Where the batch starts in `rows`. */
  start: number;
}

/**
 * Whether the batch of `size` rows, loaded and faulty at the state the steps made, faults at the
 * state the guard has put back (StepGuard.backToLastGood): a forward ('batch' mode: batch norm's
 * running statistics stay) and backprop there, judged as forwardBackward judges a batch.
 */
function batchFaults(net: TrainingEngine, guard: StepGuard, size: number, firstLoss: number): boolean {
  net.forward(size, 'batch');
  const loss = net.backprop(size);
  return !Number.isFinite(loss) || guard.gradientFault() !== null || (runawayLoss(loss, firstLoss) ?? guard.parameterFault()) !== null;
}

/** What a DIVERGED says when the steps, not the batch, were to blame and the network went back to the last state judged good. */
function wentBack(back: { step: number; loss: number }): string {
  return (
    `: at the state after step ${back.step} this batch's loss and gradient are in range, so the steps since led here, ` +
    `and the network is back as it was after step ${back.step}, the last state judged good (its batch loss ${back.loss.toPrecision(3)})`
  );
}

/** What to change when a step would take a parameter out of range: the noise, a gradient beyond range itself, or the learning rate. */
function refusedStepAdvice(net: TrainingEngine, guard: StepGuard, { size, noise, applied, learningRate }: FaultedCall & { noise: { eta: number } | undefined }): Advice {
  if (noise) return (terms) => [noiseAdvice(noise.eta)(terms), learningRateAdvice(learningRate, terms)].filter(Boolean).join(', or ');
  if (guard.gradientNorm > RUNAWAY_PARAMETER) {
    const norm = `the gradient itself (norm ${guard.gradientNorm.toPrecision(3)}) is beyond that`;
    const targets = targetsTooLarge(net, size);
    if (targets) return () => `${norm}: ${targets}`;
    return (terms) => `${norm}: the inputs or the weights${applied ? '' : ' train() was given'} are too large for float32; ${orRate(smallerStart(terms), learningRate, terms)}`;
  }
  return rateAdvice(learningRate);
}

/** Scaling the inputs or smaller initial weights, in the printer's terms. */
const smallerStart = (terms: AdviceTerms) => `scale the inputs or start from smaller weights${terms.init ? ` (${terms.init})` : ''}`;

/** `first`, then ', or ' and the learning-rate advice when the printer has terms for any of it. */
function orRate(first: string, learningRate: number | undefined, terms: AdviceTerms): string {
  const rate = learningRateAdvice(learningRate, terms);
  return rate ? `${first}, or ${rate}` : first;
}

/**
 * Why the loss or gradient of the batch rows[start .. start+size) is not finite: an overflow in the
 * forward pass names its row and layer (as predict does); targets larger than the batch's inputs and
 * outputs are named as the cause (targetsTooLarge); before any step of this call (`applied` false)
 * the learning rate cannot be the cause.
 */
function numericFault(net: TrainingEngine, guard: StepGuard, { loss, rows, start, size, applied, learningRate }: FaultedBatch): StepFault {
  const overflow = Number.isFinite(loss) ? null : net.findOverflow(size);
  const reason = overflow
    ? `row ${rows[start + overflow.row]} overflows float32 in ${overflow.layer}`
    : Number.isFinite(loss)
      ? guard.gradientFault()!
      : `the loss is ${loss}`;
  const notTheRate = 'no step of this call had run, so the learning rate is not the cause: ';
  const targets = targetsTooLarge(net, size);
  if (targets) return { reason, advice: () => (applied ? targets : notTheRate + targets) };
  const advice: Advice = applied
    ? (terms) => {
        const rate = learningRateAdvice(learningRate, terms);
        return `the inputs or the weights are too large${rate ? `; if the weights grew in this call, ${rate}` : ''}`;
      }
    : (terms) => `${notTheRate}the inputs or the weights train() was given are too large for float32; ${smallerStart(terms)}`;
  return { reason, advice };
}
