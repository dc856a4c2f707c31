/**
 * A step that is not applied: why (StepFault's reason), and what to change (its advice, in the
 * printer's terms: advice.ts). Made only when a step faults.
 */
import type { LearningRateSchedule } from '../learning-rate-schedule.js';
import { lossWithinFloat32, RUNAWAY_PARAMETER } from '../model-limits.js';
import { firstParameterOutOfRange, gradientRowText, parameterOutOfRange, targetsTooLarge } from './numeric-faults.js';
import type { StepGuard } from './step-guard.js';
import { DivergedError, learningRateAdvice, stopPointText, type Advice, type AdviceTerms, type StopPoint } from './advice.js';
import type { TrainingEngine } from './training-engine.js';
import type { EpochStart } from './judged-epoch-start.js';
import { counted, grouped } from '../counted.js';
import { lossFault, lossSaid } from '../network/loss-fault.js';
import type { SaidInTerms } from '../option-refusal.js';
import type { Optimizer } from '../optim/optimizer.js';
import { decayShare, decayShareAdvice } from './decay-share.js';
import { layerRatesOf } from './optimizer-settings.js';
import { boundText, givenFloat32Text, numberText } from '../number-text.js';
import { lossText } from '../loss-text.js';

/** Why a step is not applied, and what to try instead (made only when a step faults). */
export interface StepFault {
  reason: string;
  /** The optimiser's own DIVERGED, when `reason` is its message and names its options (K-FAC's damping): said in the printer's terms (reasonIn). */
  said?: SaidInTerms;
  /** In the printer's terms (advice.ts): the API's in the message, the CLI's flags when it prints it. */
  advice: Advice;
}

/** `fault`'s reason in the printer's terms: an optimiser's DIVERGED names its options as `terms.optimizerOption` does (the API by key, the CLI by flag). */
export function reasonIn(fault: StepFault, terms: AdviceTerms): string {
  return fault.said && terms.optimizerOption ? fault.said.messageFor(terms.optimizerOption) : fault.reason;
}

// The advice below is made only when a step faults, by functions of their own rather than closures
// in runTraining: a closure is made on every call (and under tsx, whose esbuild keeps function
// names, each named one costs a defineProperty, ~0.2 µs on the AMD EPYC Zen 5, 2026-11-30), and
// train() is called once per batch.

/** The learning rate as reported (result, trace, advice): none for an optimiser that chooses its own steps. */
export function reportedRate(learningRate: number, ownSteps: boolean): number | undefined {
  return ownSteps ? undefined : learningRate;
}

/** learningRateAdvice (advice.ts) in the printer's terms; `learningRate` undefined: the optimiser chooses its own steps. */
export function rateAdvice(learningRate: number | undefined): Advice {
  return (terms) => learningRateAdvice(learningRate, terms);
}

/**
 * What to change when the steps ran away at `learningRate` (undefined: the optimiser chooses its own
 * steps): where SGD's weight decay is part of it (decayShare, read now at the state that faulted),
 * each part and the decay or rate that brings it within the bound; where the step that ran away was
 * in weight layer `group` (StepGuard.refusedGroup; -1 when not known) and a per-layer rate above 1
 * made it, that rate first (lowering the learning rate alone is a poor fix for one layer's rate of
 * 1e30); else learningRateAdvice.
 */
export function runawayAdvice(net: TrainingEngine, optimizer: Optimizer, learningRate: number | undefined, group = -1): Advice {
  const share = learningRate === undefined ? null : decayShare(net, optimizer, learningRate);
  if (share) return decayShareAdvice(share);
  const layerRate = group < 0 || learningRate === undefined ? undefined : layerRatesOf(optimizer)?.[group];
  return layerRate !== undefined && layerRate > 1 ? layerRateAdvice(learningRate!, group, layerRate) : rateAdvice(learningRate);
}

/**
 * A step of weight layer `group` run away at `learningRate` × its per-layer rate `layerRate` (> 1):
 * that rate named, and a lower one offered before the learning rate where the printer can set it
 * (the API's layerRates; the command line's layer-rates choice measures its rates, so it offers
 * only the learning rate).
 */
export function layerRateAdvice(learningRate: number, group: number, layerRate: number): Advice {
  return (terms) => {
    const key = terms.optimizerOption?.('layerRates');
    const rate = key ? `${key}[${group}]` : 'its per-layer rate';
    // The API's rates are the caller's, said as given; the command line's are measured (layer-rates), said as its header rounds them.
    const step = `that layer's step size is ${terms.learningRate ?? 'the learning rate'} ${givenFloat32Text(learningRate)} × ${rate} ${key ? givenFloat32Text(layerRate) : numberText(layerRate)}`;
    const tries = learningRateAdvice(learningRate, terms, key ? [`a ${key}[${group}] below ${givenFloat32Text(layerRate)}`] : []);
    return tries ? `${step}: ${tries}` : step;
  };
}

/** No advice: the reason says what to try (an optimiser's own DIVERGED, StepGuard.optimizerGaveUp). */
export const NO_ADVICE: Advice = () => '';

/** A smaller gradient noise than `eta`, in the printer's terms. */
export function noiseAdvice(eta: number): Advice {
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
 * What a DIVERGED says when the steps, not the batch, were to blame and the network went back
 * (StepGuard.backToLastGood) from the state after step `faulty` to `back`, the last state judged good
 * that the guard kept, where the batch's `judgedBy` (StepGuard.judgedBy) are in range. The states
 * between were judged good too but not kept: a copy is kept only at each epoch's first step and
 * before a step not proved within range, so a first-order run (whose steps are proved) goes back up
 * to an epoch, and the message says how far.
 */
/**
 * The state after step `step` in a message's words: before any step (0) 'the initial weights', as the
 * trace and the reports name the state step 1 is taken at, never 'the state after step 0'.
 */
const stateAfterStep = (step: number) => (step === 0 ? 'the initial weights' : `the state after step ${grouped(step)}`);

export function wentBack(back: { step: number; loss: number }, faulty: number, judgedBy: string): string {
  const first = back.step + 1;
  const last = faulty - 1;
  const judgedToo =
    last < first
      ? ''
      : last === first
        ? `; the state after step ${grouped(first)} was judged good too`
        : `; the states after steps ${grouped(first)}${last === first + 1 ? ' and ' : ' to '}${grouped(last)} were judged good too`;
  return (
    `: at ${stateAfterStep(back.step)} this batch's ${judgedBy} are in range, so the steps since led here, ` +
    `and the network is back ${back.step === 0 ? 'at the initial weights' : `as it was after step ${grouped(back.step)}`}, the last state judged good that was kept (its batch loss ${lossText(back.loss)})` +
    (judgedToo && `${judgedToo}, but a copy is kept only at each epoch's first step and before a step not proved within range`)
  );
}

/** What to change when a step would take a parameter out of range: the noise, a gradient beyond range itself, or the learning rate. */
export function refusedStepAdvice(net: TrainingEngine, guard: StepGuard, optimizer: Optimizer, { size, noise, applied, learningRate }: FaultedCall & { noise: { eta: number } | undefined }): Advice {
  if (noise) return (terms) => [noiseAdvice(noise.eta)(terms), learningRateAdvice(learningRate, terms)].filter(Boolean).join(', or ');
  if (guard.largestGradient > RUNAWAY_PARAMETER) {
    const norm = `the gradient itself (an entry of ${numberText(guard.largestGradient)}) is beyond that`;
    const targets = targetsTooLarge(net, size);
    if (targets) return () => `${norm}: ${targets}`;
    return (terms) => `${norm}: the inputs or the weights${applied ? '' : ' train() was given'} are too large for float32; ${orRate(smallerStart(terms), learningRate, terms)}`;
  }
  return runawayAdvice(net, optimizer, learningRate, guard.refusedGroup);
}

/**
 * A parameter out of range before the step (StepGuard.parameterFault), and what to change: no step
 * setting (a lower learning rate, clipping, halving) changes parameters that are already there.
 * They are the weights train() was given: a step is never kept out of range, what 'halve' and
 * backToLastGood put back was judged in range, and onBatch or onEpoch putting one there stops
 * training at once (callbackLeftOutOfRange).
 */
export function parameterFaultBeforeStep(net: TrainingEngine, guard: StepGuard): StepFault {
  const { label } = firstParameterOutOfRange(net)!;
  const within = `±${boundText(RUNAWAY_PARAMETER)}`;
  return {
    reason: guard.parameterFault()!,
    advice: (terms) => `the weights train() was given are already out of range in ${label}, so no step setting helps: start from weights within ${within}${terms.init ? ` (${terms.init})` : ''}`,
  };
}

/**
 * DIVERGED for a parameter that `callback` (onBatch or onEpoch, called after `where`: its batch or
 * epoch, and step) left out of range or not finite, as StepGuard.parameterFault finds right after
 * it. A step is never kept out of range, so the callback put it there, not the steps; and no step
 * setting or onNonFinite policy undoes a callback's write ('throw' would go back to a state the
 * steps did not ruin, 'skip' and 'halve' would step on from weights they cannot use), so training
 * stops there under every policy, the network as the callback left it.
 */
export function callbackLeftOutOfRange(net: TrainingEngine, callback: 'onBatch' | 'onEpoch', where: StopPoint): DivergedError {
  const reason = parameterOutOfRange(net, `${callback} left a parameter at`)!;
  return new DivergedError(() => `${stopPointText(where)}: ${reason}; training stops here, the network as ${callback} left it: a step is never kept out of range, so no step setting helps`, where);
}

/** Scaling the inputs or smaller initial weights, in the printer's terms. */
const smallerStart = (terms: AdviceTerms) => `scale the inputs or start from smaller weights${terms.init ? ` (${terms.init})` : ''}`;

/** `first`, then ', or ' and the learning-rate advice when the printer has terms for any of it. */
function orRate(first: string, learningRate: number | undefined, terms: AdviceTerms): string {
  const rate = learningRateAdvice(learningRate, terms);
  return rate ? `${first}, or ${rate}` : first;
}

/**
 * Why the batch rows[start .. start+size) is out of range (StepGuard.judgeBatch): its loss or
 * gradient not finite, or a state tensor its forward moved beyond float32. An overflow in the
 * forward pass names its row and layer (as predict does); targets larger than the batch's inputs and
 * outputs are named as the cause of a loss or gradient fault (targetsTooLarge; the targets do not
 * enter the forward pass that moves the state tensors); before any step of this call (`applied`
 * false) the learning rate cannot be the cause.
 */
export function numericFault(net: TrainingEngine, guard: StepGuard, { loss, rows, start, size, applied, learningRate }: FaultedBatch): StepFault {
  const lossInRange = lossWithinFloat32(loss);
  const overflow = lossInRange ? null : net.findOverflow(size);
  const gradient = lossInRange ? guard.gradientFault() : null;
  const reason = overflow
    ? `row ${rows[start + overflow.row]} overflows float32 in ${overflow.layer}`
    : !lossInRange
      ? nonFiniteLossReason(net, loss, rows, start, size)
      : gradient !== null
        ? gradient + gradientRowText(net, rows, start, size)
        : guard.stateFault()!;
  const notTheRate = 'no step of this call had run, so the learning rate is not the cause: ';
  const targets = lossInRange && gradient === null ? null : targetsTooLarge(net, size);
  if (targets) return { reason, advice: () => (applied ? targets : notTheRate + targets) };
  const advice: Advice = applied
    ? (terms) => {
        const rate = learningRateAdvice(learningRate, terms);
        return `the inputs or the weights are too large${rate ? `; if the weights grew in this call, ${rate}` : ''}`;
      }
    : (terms) => `${notTheRate}the inputs or the weights train() was given are too large for float32; ${smallerStart(terms)}`;
  return { reason, advice };
}

/** A batch loss beyond float32's range with every output finite: the caller's row whose loss is, and why (lossFault). */
function nonFiniteLossReason(net: TrainingEngine, loss: number, rows: Uint32Array, start: number, size: number): string {
  const fault = lossFault(net, size);
  return `the loss is ${lossSaid(loss)}: row ${rows[start + fault.row]}'s ${fault.cause}`;
}

/**
 * Why 'halve' stops at once at a fault of the state no step of the call had changed: halving goes
 * back to the start of epoch 0, that same state, and runs the epoch again with its rows in the
 * same order, so its first batch would fault there again whatever the learning rate.
 */
export const HALVING_CANNOT_HELP =
  'the step was not applied, and halving the learning rate cannot help: the batch faults at the state train() started from, which halving goes back to, so it would fault again at any rate';

/**
 * Why 'halve' stops at once when the optimiser refused the call's first step for numbers the learning
 * rate has no part in (RateFreeRefusal: Adam's (g + λw)² past float32): halving goes back to the state
 * train() started from, where the same step would be refused again at any rate, so it would halve to
 * maxHalvings and fail anyway.
 */
export const RATE_FREE_CANNOT_HALVE =
  "the step was not applied, and halving the learning rate cannot help: the learning rate has no part in what refused it, and halving goes back to the state train() started from, where the step would be refused again at any rate; nothing was halved, the network is as train() was given it";

/**
 * Why 'halve' stops at once when the optimiser gave up because of `state`, part of its own state
 * that no learning rate changes (OptimizerStateFault): going back to an epoch's start and halving
 * would meet it again, halving to no end; nothing is halved or put back (`applied`: whether a step
 * of this call was, so the network is as the last step left it, not as train() was given it).
 */
export const optimizerStateCannotHalve = (state: string, applied: boolean): string =>
  `halving the learning rate cannot help: the fault is in ${state}, which the learning rate does not change; nothing was halved or put back, the network is as ${applied ? 'the last step left it' : 'train() was given it'}`;

/** Why 'halve' stops at a fault after `halvings` (maxHalvings spent), at `learningRate`; 0: none allowed, the rate never halved. */
export function halvingsSpent(halvings: number, learningRate: number, terms: AdviceTerms, schedule?: Pick<LearningRateSchedule, 'name'>): string {
  if (halvings === 0) return `; the learning rate (${givenFloat32Text(learningRate)}${startOf(schedule)}) was not halved: ${terms.maxHalvings ? `${terms.maxHalvings} is 0` : 'no halving is allowed'}`;
  return ` after ${counted(halvings, 'halving')} of the learning rate (now ${numberText(learningRate)}${startOf(schedule)}), all that ${terms.maxHalvings ? `${terms.maxHalvings} allows` : 'are allowed'}`;
}

/** Under a schedule, what the rate a DIVERGED quotes is: its start, which the faulty step took a fraction of ('' without one). */
const startOf = (schedule: Pick<LearningRateSchedule, 'name'> | undefined) => (schedule ? `, the start of its ${schedule.name} schedule` : '');

/**
 * Why 'halve' stops at a fault with halvings left, after `halvings`, at `learningRate`: half of it
 * would be 0 or subnormal in float32, alone or as some layer's step size, as `problem`
 * (learningRateProblem, the rule train() and the optimisers' steps refuse a rate by) says; 0
 * halvings: the rate given cannot be halved at all.
 */
export function cannotHalve(halvings: number, learningRate: number, problem: string, schedule?: Pick<LearningRateSchedule, 'name'>): string {
  if (halvings === 0) return `; the learning rate (${givenFloat32Text(learningRate)}${startOf(schedule)}) cannot be halved: ${problem}`;
  return ` after ${counted(halvings, 'halving')} of the learning rate (now ${numberText(learningRate)}${startOf(schedule)}), which cannot be halved further: ${problem}`;
}

/** Where a DIVERGED after the last halving leaves the network: the epoch start put back, and whether a batch judged it good. */
export function backAtEpochStart(back: EpochStart): string {
  const at = `the network is back at the start of epoch ${grouped(back.epoch)} (${back.step === 0 ? 'the initial weights' : `step ${grouped(back.step)}`})`;
  return Number.isNaN(back.loss)
    ? `${at}, as no step of this call had changed it`
    : `${at}, the last state judged good that was kept (its batch loss ${lossText(back.loss)})`;
}
