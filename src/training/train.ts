/**
 * The mini-batch training loop, above the engine, the optimisers and the trace: shuffle, copy a batch in by index, feedforward, backprop, check,
 * update. The data set is copied into the backend's memory once, so a step allocates nothing; a batch of its first rows in order
 * is not copied at all on a dense chain (Trainable.rowsInPlace).
 */
import { clockSeconds } from '../budget-clock.js';
import { GradscopeError, invalidOption } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { clipGradientNorm } from '../optim/clip.js';
import { evaluateRows } from '../network/rows.js';
import { callScratch } from './call-scratch.js';
import { lsuvOnLoadedRows } from '../network/lsuv-init.js';
import type { LsuvLayerReport } from '../layers/lsuv.js';
import { AnnealedGradientNoise } from '../optim/annealed-gradient-noise.js';
import { JudgedEpochStart } from './judged-epoch-start.js';
import { StepGuard } from './step-guard.js';
import { DivergedError, parenthesised, stopPointText, withoutPolicy } from './advice.js';
import { TraceRecorder } from '../flow/recorder.js';
import type { Trace } from '../flow/trace.js';
import { describeRun } from './trace-run.js';
import { rowsAlike } from '../flow/alike-rows.js';
import { largeInputs } from '../flow/input-scale.js';
import { classRowsOf } from '../flow/chance.js';
import { trainingCheckRows } from './training-check-rows.js';
import { VALIDATION_LABELS } from './validation-rows.js';
import { counted, grouped } from '../counted.js';
import type { EpochInfo, TrainOptions, TrainResult } from './train-options.js';
import type { TrainingEngine, TrainingRows, ValidationSet } from './training-engine.js';
import { callRateProblem, startingLearningRate, trainingOptimizer } from './optimizer-settings.js';
import { lastFactor } from '../schedule-check.js';
import { scheduleFactor } from '../learning-rate-schedule.js';
import { readTrainingSettings } from './training-settings.js';
import { givenOptions, keepSettings, type KeptSettings } from './kept-settings.js';
import { refuseReturnedPromise } from './callback-promises.js';
import { comparesWeights, unmovedWeights, weightsAtStart, ZeroGradients } from './unmoved-weights.js';
import { StepThreadsCount } from './step-threads.js';
import {
  backAtEpochStart,
  callbackLeftOutOfRange,
  cannotHalve,
  HALVING_CANNOT_HELP,
  RATE_FREE_CANNOT_HALVE,
  NO_ADVICE,
  optimizerStateCannotHalve,
  halvingsSpent,
  noiseAdvice,
  numericFault,
  parameterFaultBeforeStep,
  refusedStepAdvice,
  runawayAdvice,
  reasonIn,
  reportedRate,
  wentBack,
  type StepFault,
} from './step-faults.js';

/** What runTraining tells the network it trains of what it holds about its weights. */
export interface TrainingListener {
  /**
   * Receives the trace being recorded (with `options.trace`) before the first step, so it is kept even if training fails,
   * and undefined at the end of an untraced call that moved the weights.
   */
  keepTrace(trace: Trace | undefined): void;
  /**
   * Called at the end of a call, traced or not, that moved the weights: a step applied and not taken back (a DIVERGED that
   * went back to the call's start moved nothing), or LSUV. A refused call moves nothing and says nothing.
   */
  weightsMoved(): void;
}

/**
 * Trains `net` on resident (x, y), checked against its sizes by the caller, with `options` the snapshot
 * readTrainOptions read (each option read once) after checkTrainOptions passed them (readTrainingSettings checks their values, trainingOptimizer the optimiser's). `held` hears
 * of the trace and of the weights moving (TrainingListener).
 * `kept`: what the last call read from these options, unchanged since (keptSettingsFor), used when
 * the rows are as many as then; else they are read and kept for the next call.
 * Each step's forward runs in 'train' mode (batch norm: batch statistics, running statistics moved
 * once); optimisers that evaluate again use 'batch'; validation uses 'eval'.
 */
export function runTraining(
  net: TrainingEngine,
  data: TrainingRows,
  options: TrainOptions,
  validation: ValidationSet | undefined,
  held: TrainingListener,
  kept?: KeptSettings,
): TrainResult {
  const { inputs: x, targets: y } = data;
  const settings = kept?.rows === x.rows ? kept.settings : keepSettings(net, options, x.rows, readTrainingSettings(net, options, x.rows));
  const { epochs, batchSize, epochRows, shuffle, clipNorm, maxSeconds, maxSteps, clock, policy, maxHalvings, lsuv, noise, schedule } = settings;
  const stepping = trainingOptimizer(net, options, { learningRate: settings.learningRate, onNonFinite: policy, clipNorm, gradientNoise: settings.noise, lsuv, schedule: options.schedule });
  /** Under a schedule, the factor of the call's last planned step, the smallest rate it steps with (checked up front and before a halving). */
  const endFactor = schedule && lastFactor(schedule, settings.plannedSteps);
  const { optimizer } = stepping;
  const stepAtStart = net.step;
  /** The options object as given, which onBatch and onEpoch are called on (`options` is the snapshot read from it). */
  const given = givenOptions(options);
  /** The RNG state at the call's start, once callScratch has saved it (inside the try: see there). */
  let rngAtStart: Uint32Array | undefined;
  /** Whether an update has been applied (and not rolled back) in this call. */
  let applied = false;

  let epochStart: JudgedEpochStart | undefined;
  let guard: StepGuard | undefined;
  let tracer: TraceRecorder | undefined;
  /** The training rows evaluated at each epoch's end beside validation on other rows, when traced (trainingCheckRows). */
  let trainingCheck: Uint32Array | undefined;
  let noiser: AnnealedGradientNoise<Tensor> | undefined;
  let lsuvReports: LsuvLayerReport[] | undefined;
  let skipped = 0;
  let halvings = 0;
  /** The last fault seen (named when every batch of an epoch had one). */
  let lastFault: StepFault | undefined;
  try {
    // Inside the try, so the finally releases the optimiser when these throw: callScratch allocates a
    // network's row order on its first call (or a longer one), which can run out of memory.
    let learningRate = startingLearningRate(optimizer, settings.learningRate);
    const ownSteps = optimizer.choosesOwnSteps === true;
    // A refusal before any update leaves the RNG (which shuffling advances) as it was, like everything else.
    const scratch = callScratch(net, x.rows);
    const { order } = scratch;
    rngAtStart = scratch.rngAtStart;
    // Refused before any work, RNG and all as they were: a layer whose step size underflows float32 would not learn.
    const rateProblem = ownSteps ? undefined : callRateProblem(optimizer, learningRate, endFactor);
    if (rateProblem !== undefined) throw invalidOption(rateProblem);
    net.ensureCapacity(batchSize);
    net.rowsInPlace?.(x, y, data.lender);
    if (lsuv) {
      net.loadBatch(x, y, order, 0, batchSize);
      lsuvReports = lsuvOnLoadedRows(net, batchSize, lsuv);
    }
    if (noise) noiser = new AnnealedGradientNoise(net.kernels, net.parameters().map((p) => p.grad), noise, net.rng);
    guard = new StepGuard(net, optimizer);
    const rngBeforeNoise = noiser && new Uint32Array(4);
    if (policy === 'halve') epochStart = new JudgedEpochStart(net, order.length);
    if (settings.trace !== undefined) {
      // The training loss at the held-out loss's weights (TraceEpoch.training, EpochInfo.training): measured for the trace alone, whose overfitting check reads it.
      if (validation && !validation.trainingRows) trainingCheck = trainingCheckRows(x.rows, validation.rows.inputs.rows);
      // One pass over the resident inputs, traced calls only: rows alike are the cause of whatever the trace then shows (TraceRun.inputs).
      const inputsAlike = rowsAlike(net.kernels.view(x.tensor), x.rows, x.cols);
      // And one more, unless every value is small (SMALL_INPUTS): inputs far from standardised saturate a first tanh or sigmoid layer on every row alike (TraceRun.inputScale).
      const inputScale = largeInputs(net.kernels.view(x.tensor), x.rows, x.cols);
      // And the rows of each class where the targets are class rows: chance is the most frequent class's share of them (TraceRun.classRows).
      const classRows = classRowsOf(net.kernels.view(y.tensor), y.rows, y.cols);
      tracer = new TraceRecorder(net, settings.trace, describeRun(net, optimizer, { clipNorm, batchSize, rows: x.rows, learningRate: reportedRate(learningRate, ownSteps), validation, inputsAlike, inputScale, classRows, ...(schedule && { schedule: { ...schedule, atStep: stepAtStart } }) }));
      held.keepTrace(tracer.trace);
    }

    let { afterFirstForward } = data;
    /**
     * Loads rows[start .. start+size), runs feedforward and backprop, adds the gradient noise and
     * clips; the loss, or why the step must not be applied (a fault, rare: allocated only then).
     */
    const forwardBackward = (rows: Uint32Array, start: number, size: number): number | StepFault => {
      refuseFreedRows(data, 'the data set');
      net.loadBatch(x, y, rows, start, size);
      guard!.beforeForward();
      net.forward(size, 'train');
      if (afterFirstForward) {
        afterFirstForward(size);
        afterFirstForward = undefined;
      }
      tracer?.beforeBackprop(net.step + 1);
      const loss = net.backprop(size);
      const verdict = guard!.judgeBatch(loss);
      if (verdict === 'out of range') return numericFault(net, guard!, { loss, rows, start, size, applied, learningRate: reportedRate(learningRate, ownSteps) });
      if (verdict === 'runaway') return { reason: guard!.runaway!, advice: runawayAdvice(net, optimizer, reportedRate(learningRate, ownSteps)) };
      if (verdict === 'parameter out of range') return parameterFaultBeforeStep(net, guard!);
      epochStart?.judgedGood(loss);
      if (noiser) {
        net.rng.saveState(rngBeforeNoise!);
        noiser.add(net.step);
        const noisy = guard!.gradientFault();
        if (noisy !== null) {
          net.rng.setState(rngBeforeNoise!); // the step is not applied: its noise is not drawn either
          return { reason: `with the gradient noise added, ${noisy}`, advice: noiseAdvice(noise!.eta) };
        }
      }
      if (clipNorm !== undefined) clipGradientNorm(net, clipNorm);
      return loss;
    };

    // The weight matrices as the steps find them (after LSUV), for TrainResult.unmovedWeights: one copy per call, before any
    // step, in calls long enough to pay for it, or of a network small enough (comparesWeights).
    const atStart = comparesWeights(net.parameterCount, epochs * epochRows) ? weightsAtStart(net) : undefined;
    // TrainResult.threads: the kernels' split work from here on, but the epochs' ends and the callbacks'.
    const stepThreads = new StepThreadsCount(net.kernels);
    // Which weight matrices no applied step gave a gradient (TrainResult.zeroGradientWeights): read at a step only while none has.
    const zeroGradients = new ZeroGradients(net);
    const history: EpochInfo[] = [];
    const clockNow = clockSeconds(clock);
    const deadline = clockNow() + maxSeconds;
    /** maxSeconds or maxSteps ran out. */
    let outOfBudget = false;
    /** With 'halve': the epoch a fault sent training back to, run again from its start with its rows in the same order; -1 if none. */
    let retried = -1;
    epochLoop: for (let epoch = 0; epoch < epochs && !outOfBudget; epoch++) {
      // EpochInfo.seconds: this run of the epoch only, as its loss (an attempt 'halve' took back is not counted).
      const started = performance.now();
      if (epoch === retried) {
        // Its start and rows are back (JudgedEpochStart).
        retried = -1;
      } else {
        if (shuffle) {
          // Each epoch's order depends only on the RNG state, not on the last epoch's order, so a
          // run resumed from a checkpoint (which holds the RNG state) shuffles exactly as one that never stopped.
          for (let i = 0; i < order.length; i++) order[i] = i;
          net.rng.shuffle(order);
        }
        epochStart?.begin(epoch, order, optimizer);
      }
      let lossSum = 0;
      let batches = 0;
      /** Batches of this epoch left out ('skip'). */
      let epochSkipped = 0;
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
          if (traced) {
            // The update may measure the weights' statistics in its own pass (SGD's), where the trace would read them again.
            optimizer.measureUpdate?.(tracer!.updateStatistics);
            tracer!.afterBackprop(size, loss);
          }
          // With 'throw', the state a DIVERGED goes back to (StepGuard.backToLastGood): the guard copies
          // it before every step it cannot prove, and here before the first step of each epoch, unless
          // no step of this call follows it (a call of one batch copies nothing).
          const keepCopy = !copied && !(epoch === epochs - 1 && start + size >= epochRows);
          copied ||= keepCopy;
          // Under a schedule, the step's own rate: its place in the schedule counts the steps this call applied (net.step goes back with 'halve').
          const rate = schedule === undefined ? learningRate : learningRate * scheduleFactor(schedule, schedule.from + net.step - stepAtStart);
          zeroGradients.read();
          const refused = guard.step(rate, size, loss, keepCopy);
          if (refused === null) {
            applied = true;
            zeroGradients.applied();
            net.step++;
            if (traced) tracer!.afterStep();
          } else {
            if (noiser) net.rng.setState(rngBeforeNoise!); // nor is its noise drawn
            if (traced) tracer!.rewound(); // nor recorded
            // The optimiser's own DIVERGED says what to try; a step out of range gets the guard's advice.
            outcome = {
              reason: refused,
              ...(guard.optimizerSaid && { said: guard.optimizerSaid }),
              advice: guard.optimizerGaveUp ? NO_ADVICE : refusedStepAdvice(net, guard, optimizer, { size, noise, applied, learningRate: reportedRate(learningRate, ownSteps) }),
            };
          }
        }
        if (typeof outcome === 'number') {
          lossSum += outcome;
          if (options.onBatch) {
            stepThreads.pause();
            const returned: unknown = options.onBatch.call(given, { epoch: epoch + 1, batch: position + 1, step: net.step, loss: outcome, size });
            refuseDisposedNetwork(net, 'onBatch'); // onBatch may have disposed the network (before net.step is read again) …
            refuseReturnedPromise(returned, 'onBatch', { epoch: epoch + 1, batch: position + 1, step: net.step });
            guard.parametersChanged(); // … or changed its parameters
            if (guard.parameterFault() !== null) throw callbackLeftOutOfRange(net, 'onBatch', { epoch: epoch + 1, batch: position + 1, step: net.step });
            stepThreads.resume();
          }
          batches++;
          position++;
          start += size;
          // Steps of this call: net.step counts only the steps applied, and 'halve' takes back those it goes back over.
          if (net.step - stepAtStart >= maxSteps || clockNow() >= deadline) {
            outOfBudget = true;
            break;
          }
          continue;
        }
        // Counted from 1, as EpochInfo, BatchInfo and the step are (the loop's epoch and position are indices).
        const at = { epoch: epoch + 1, batch: position + 1, step: net.step + 1 };
        const where = stopPointText(at);
        lastFault = outcome;
        // Neither the step nor what the batch's forward moved (batch norm's running statistics) is applied.
        guard.forwardNotApplied();
        if (policy === 'throw') {
          // The same batch again at the state put back, as it was run (the guard puts back the running statistics it moves).
          const rerun = () => {
            net.forward(size, 'train');
            return net.backprop(size);
          };
          /** The step whose state faulted on this batch (the network's step before it goes back). */
          const faulty = net.step;
          // The trace keeps the steps that led here (what explains the DIVERGED), closed at the weights they
          // left, before the network goes back: it is not rewound with it (Network.trace).
          tracer?.close();
          const back = stateFault && applied ? guard.backToLastGood(rerun) : null;
          // Back where the call started: nothing it changed is left, the RNG included (below).
          if (back !== null && back.step === stepAtStart) applied = false;
          const fault = outcome;
          const went = back === null ? '' : wentBack(back, faulty, guard.judgedBy);
          throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}; the step was not applied${went}${parenthesised(fault.advice(terms))}`, at);
        }
        if (policy === 'halve') {
          const fault = outcome;
          const optimizerState = guard.optimizerStateFault;
          if (optimizerState !== null) {
            // The optimiser gave up because of its own state, which no learning rate changes: halving and
            // going back would meet it again. Its step was taken back (StepGuard.step); nothing else moves.
            throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}; the step was not applied, and ${optimizerStateCannotHalve(optimizerState, applied)}`, at);
          }
          if (stateFault && !applied) {
            // No step of this call had run (the call's first batch: after going back to epoch 0 its
            // first batch runs at the same state, rows and order, and was judged good there before).
            throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}; ${HALVING_CANNOT_HELP}${parenthesised(fault.advice(withoutPolicy(terms, 'halve')))}`, at);
          }
          if (guard.optimizerRateFree && !applied && halvings === 0) {
            // Refused for numbers no rate changes, at the state train() started from, which halving goes back to.
            // Not after a halving (applied is false again back at epoch 0): the message says nothing was halved.
            throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}; ${RATE_FREE_CANNOT_HALVE}`, at);
          }
          const [spent, rate] = [halvings, learningRate];
          // No halving left: the trace keeps this attempt's steps, which led here, closed before the network goes back (as 'throw').
          const last = halvings === maxHalvings || callRateProblem(optimizer, learningRate / 2, endFactor) !== undefined;
          if (last) tracer?.close();
          // This attempt's weights led to the fault, so they go back either way: to the start of this
          // epoch, or of the one before when this epoch's first batch faulted at the state it began with.
          const back = epochStart!.restore(optimizer, order);
          if (!last) tracer?.rewound();
          guard.parametersChanged();
          if (back.epoch === 0) applied = false;
          // backAtEpochStart names the epoch it is given: its number, counted from 1.
          const start = { ...back, epoch: back.epoch + 1 };
          if (halvings === maxHalvings) {
            throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}${halvingsSpent(spent, rate, terms, schedule)}; ${backAtEpochStart(start)}`, at);
          }
          // Stopped where train() would refuse the halved rate if it were given it (INVALID_OPTION), and
          // the optimiser's step() where it checks: 0 or subnormal in float32, alone or times a layer's rate.
          if (callRateProblem(optimizer, learningRate / 2, endFactor) !== undefined) {
            // Said in the printer's terms (the CLI's --learning-rate); a built-in optimiser's rateProblem reads only its fixed settings.
            throw new DivergedError((terms) => `${where}: ${reasonIn(fault, terms)}${cannotHalve(spent, rate, callRateProblem(optimizer, rate / 2, endFactor, terms.learningRate ?? 'learning rate')!, schedule)}; ${backAtEpochStart(start)}`, at);
          }
          halvings++;
          learningRate /= 2;
          // The epochs from the one gone back to are run again (onBatch and onEpoch called again for them).
          history.length = back.epoch;
          retried = back.epoch;
          epoch = back.epoch - 1;
          continue epochLoop;
        }
        skipped++;
        epochSkipped++;
        position++;
        start += size;
      }
      if (batches === 0) {
        const last = lastFault!;
        const at = { epoch: epoch + 1 };
        throw new DivergedError((terms) => {
          // Only 'skip' gets here ('throw' stops at the first fault, 'halve' retries), having skipped every
          // batch: its advice does not offer 'skip' again, and it puts nothing back.
          const advice = last.advice(withoutPolicy(terms, 'skip'));
          // Epochs counted from 1: the one before this (index epoch − 1) is epoch number `epoch`.
          const kept = epoch === 0 ? '' : ` in this epoch, and nothing is put back: the network is as epoch ${grouped(epoch)} left it`;
          // What the call left out in all (no TrainResult reaches the caller of a call that throws).
          const before = skipped - epochSkipped;
          const left = `${terms.onNonFinite?.('skip') || 'skipping'} left out ${counted(skipped, 'batch', 'batches')} in this call, ${before === 0 ? 'all in this epoch' : `the ${epochSkipped} of this epoch and ${before} before it`}`;
          return `${stopPointText(at)}: every batch had a non-finite or runaway loss, gradient or step; nothing was applied${kept}; ${left} (the last: ${reasonIn(last, terms)}${advice ? `; ${advice}` : ''})`;
        }, at);
      }
      const info: EpochInfo = { epoch: epoch + 1, loss: lossSum / batches, batches, skipped: epochSkipped, seconds: (performance.now() - started) / 1000 };
      stepThreads.pause();
      if (validation) refuseFreedRows(validation.rows, 'validation: the data set');
      if (trainingCheck) refuseFreedRows(data, 'the data set');
      if (validation) info.validation = atEpochEnd(() => evaluateRows(net, validation.rows.inputs, validation.rows.targets, undefined, VALIDATION_LABELS), epoch + 1, net.step);
      if (trainingCheck) info.training = { ...atEpochEnd(() => evaluateRows(net, x, y, trainingCheck), epoch + 1, net.step), rows: trainingCheck.length };
      history.push(info);
      // The trace file keeps its own numbering, from 0 (TraceEpoch.epoch), so traces saved before read the same.
      // The rate in force is recorded once 'halve' lowered it, so that remedies derived from the rate start from it (learningRateInForce).
      const halved = halvings > 0 && !ownSteps && { learningRate };
      tracer?.epochEnded({ epoch, step: net.step, loss: info.loss, ...halved, ...(info.skipped > 0 && { skipped: info.skipped }), batches: info.batches, ...(info.validation && { validation: { ...info.validation } }), ...(info.training && { training: { ...info.training } }) });
      if (options.onEpoch) {
        const returned: unknown = options.onEpoch.call(given, info);
        refuseDisposedNetwork(net, 'onEpoch');
        refuseReturnedPromise(returned, 'onEpoch', { epoch: epoch + 1, step: net.step });
        guard.parametersChanged();
        if (guard.parameterFault() !== null) throw callbackLeftOutOfRange(net, 'onEpoch', { epoch: epoch + 1, step: net.step });
      }
      stepThreads.resume();
    }
    // Built field by field, in TrainResult's order: spreads of optional parts run V8's generic copy, cold after the kernels.
    const { threads, threadsNote } = stepThreads.result(batchSize);
    const result: TrainResult = { epochs: history, skipped, halvings, threads };
    if (threadsNote !== undefined) result.threadsNote = threadsNote;
    if (!ownSteps) result.learningRate = learningRate;
    if (lsuvReports) result.lsuv = lsuvReports;
    const unmoved = applied && atStart ? unmovedWeights(net, atStart) : [];
    if (unmoved.length > 0) result.unmovedWeights = unmoved;
    const zeroGradient = applied ? zeroGradients.names() : [];
    if (zeroGradient.length > 0) result.zeroGradientWeights = zeroGradient;
    if (tracer) result.trace = tracer.trace;
    return result;
  } catch (error) {
    if (rngAtStart !== undefined && !applied && !net.isDisposed) net.rng.setState(rngAtStart);
    throw error;
  } finally {
    if (!net.isDisposed) net.endRowsInPlace?.();
    epochStart?.dispose();
    guard?.dispose();
    noiser?.dispose();
    tracer?.close();
    if (applied || lsuvReports !== undefined) {
      // An untraced call that moved the weights leaves no trace of an earlier run to describe weights it no longer has.
      if (tracer === undefined) held.keepTrace(undefined);
      held.weightsMoved();
    }
    stepping.release();
  }
}

/**
 * `evaluate` at epoch `epoch`'s end. The rows were checked before the first step (shapes, finite
 * values, targets the loss takes); what can fail only here comes from the weights the steps
 * reached (an output that overflows, a loss that is not finite), and those steps stay applied:
 * the error says so, and which step's weights the network holds.
 */
/**
 * DISPOSED when the Dataset holding `rows` was disposed during the call (from onBatch or onEpoch),
 * before its rows are read again: its memory is freed and may hold another data set's rows by then.
 */
function refuseFreedRows(rows: TrainingRows, what: string): void {
  if (rows.lender?.isDisposed !== true) return;
  throw new GradscopeError('DISPOSED', `train: ${what} was disposed during the call (from onBatch or onEpoch), and its rows are read again; dispose it after train() returns (the steps before stay applied)`);
}

/** DISPOSED when `callback` disposed the network during the call: said in train()'s terms, as refuseFreedRows says it of a data set. */
function refuseDisposedNetwork(net: { readonly isDisposed: boolean }, callback: 'onBatch' | 'onEpoch'): void {
  if (net.isDisposed) throw new GradscopeError('DISPOSED', `train: the network was disposed during the call (from ${callback}), so training stopped there; dispose it after train() returns`);
}

function atEpochEnd<R>(evaluate: () => R, epoch: number, step: number): R {
  try {
    return evaluate();
  } catch (error) {
    if (!(error instanceof GradscopeError) || error.code === 'DISPOSED') throw error;
    throw new GradscopeError(error.code, `${error.message} (at the end of epoch ${grouped(epoch)}: the steps before it stay applied, and the network holds the weights of step ${grouped(step)}, the last applied)`);
  }
}
