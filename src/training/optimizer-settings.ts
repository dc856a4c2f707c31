/**
 * The train() settings refused beside an optimiser: the default SGD's momentum and weightDecay, a
 * learningRate given twice, an optimiser by name that cannot train the network's layers, and settings
 * the optimiser would not apply (a learning rate or 'halve' beside one that chooses its own steps,
 * clipNorm beside one that evaluates its own gradients, gradient noise beside one that is not
 * first-order), and the optimiser a call makes for itself (trainingOptimizer).
 */
import { shown, invalidOption } from '../errors.js';
import { float32Problem } from '../checks.js';
import { orList } from '../list-text.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkOptimizerSupports, createOptimizer, isOptimizer, optimizerNames, OPTIMIZERS } from '../optim/index.js';
import { FirstOrderOptimizer } from '../optim/first-order.js';
import { ownStepsTakeNoRate } from '../optim/options.js';
import { Sgd, SGD_LEARNING_RATE } from '../optim/sgd.js';
import type { ModelOwner } from '../model.js';
import type { TrainOptions } from './train-options.js';

/** The name an `optimizer` option carries: an instance's, the name itself, or a { name, … } spec's (anything, unchecked). */
function optimizerNameOf(given: TrainOptions['optimizer']): unknown {
  return isOptimizer(given) ? given.name : typeof given === 'string' ? given : (given as { name?: unknown } | null)?.name;
}

/**
 * Where a top-level `key` (momentum, weightDecay) given as `value` goes with optimiser `name`, by
 * its registry entry's own table (OptimizerDefinition.options): into its options when it takes the
 * key, its counterpart when it has one (Adam's beta1 for momentum), else that it has no such option.
 * An instance the registry does not know, or an entry without a table, is offered nothing it may not take.
 */
function whereItGoes(name: string, key: string, value: string, instance: boolean): string {
  const definition = OPTIMIZERS.find((d) => d.name === name);
  const offer = (option: string) =>
    instance ? `set it when the optimiser is created (createOptimizer(net, { name: '${name}', ${option}: ${value} }))` : `optimizer: { name: '${name}', ${option}: ${value} }`;
  if (definition?.options === undefined) return `set it in its own options if '${name}' takes one`;
  if (definition.options.includes(key)) return instance ? offer(key) : `give it in the optimizer: ${offer(key)}`;
  const counterpart = definition.counterparts?.[key];
  if (counterpart !== undefined && definition.options.includes(counterpart)) return `'${name}' has no option '${key}': its ${counterpart} plays that part, ${offer(counterpart)}`;
  return `'${name}' has no option '${key}' (its options: ${definition.options.join(', ')})`;
}

/**
 * momentum and weightDecay at the top level set up the default SGD; beside an `optimizer` they
 * would be ignored (its own options decide), and a learningRate both at the top level and in a
 * { name, learningRate } spec would leave one ignored: each is refused, saying where it goes.
 * Refused rather than merged into the optimiser: an instance's settings are fixed when it is
 * created, so merging could not be done the same way for every form of `optimizer`.
 */
export function checkSettingsBesideOptimizer(options: TrainOptions): void {
  const given = options.optimizer;
  if (given === undefined) return;
  const instance = isOptimizer(given);
  const name = optimizerNameOf(given);
  if (typeof name !== 'string') return; // not an optimiser or a spec: createOptimizer refuses it
  if (!instance && !optimizerNames().includes(name)) return; // an unknown name: createOptimizer refuses it, naming the known ones
  for (const key of ['momentum', 'weightDecay'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    throw invalidOption(`${key}: a top-level ${key} sets up the default SGD and is not applied when optimizer is given; ${whereItGoes(name, key, shown(value), instance)}`);
  }
  const inSpec = !instance && typeof given === 'object' && given !== null ? (given as Record<string, unknown>).learningRate : undefined;
  if (options.learningRate !== undefined && inSpec !== undefined) {
    throw invalidOption(`learningRate: given twice, ${shown(options.learningRate)} at the top level and ${shown(inSpec)} in optimizer; give it once (the top level's would win)`);
  }
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
  const name = optimizerNameOf(given);
  // An unknown name is createOptimizer's to refuse, after the rows are checked (as the eager path does).
  if (typeof name === 'string' && optimizerNames().includes(name)) checkOptimizerSupports(net, name);
}

/**
 * Refuses (INVALID_OPTION, naming the option) train() settings `optimizer` would not apply: a
 * learning rate, a schedule of it or onNonFinite 'halve' (which halves it) beside one that chooses its own steps,
 * clipNorm beside one that evaluates its own gradients, gradient noise beside one that is not
 * first-order, and train's lsuv beside per-layer rates (layerRatesOf: rates set before LSUV rescales
 * the weights, as equalisingLayerRates measures them, would be the rates of weights the call does not
 * train). train() checks them in trainingOptimizer, and the CLI before any work.
 */
export function checkSettingsForOptimizer(optimizer: Optimizer, settings: Pick<TrainOptions, 'learningRate' | 'onNonFinite' | 'clipNorm' | 'gradientNoise' | 'lsuv' | 'schedule'>): void {
  if (optimizer.choosesOwnSteps === true && settings.schedule !== undefined) {
    throw invalidOption(`schedule: '${optimizer.name}' chooses its own steps and takes no learning rate, so there is none to schedule; leave the schedule out, or choose an optimiser that takes one`);
  }
  if (optimizer.choosesOwnSteps === true && (settings.learningRate !== undefined || settings.onNonFinite === 'halve')) {
    throw invalidOption(
      settings.learningRate !== undefined
        ? `learningRate: ${ownStepsTakeNoRate(optimizer.name)}`
        : `onNonFinite: 'halve' halves the learning rate, which '${optimizer.name}' does not take (it chooses its own steps); use 'throw' or 'skip'`,
    );
  }
  if (settings.clipNorm !== undefined && optimizer.recomputesGradient) {
    throw invalidOption(`clipNorm: '${optimizer.name}' evaluates its own gradients, so clipping the first one would not match them`);
  }
  if (settings.gradientNoise !== undefined && !(optimizer instanceof FirstOrderOptimizer)) {
    throw invalidOption(`gradientNoise: '${optimizer.name}' is not a first-order optimiser (noise on the gradient it evaluates itself would not be the paper's method); use ${firstOrderNames()}`);
  }
  // The rates only beside lsuv: reading them copies them, and every call of train() checks here.
  const rates = settings.lsuv !== undefined && settings.lsuv !== false ? layerRatesOf(optimizer) : undefined;
  if (rates !== undefined) {
    throw invalidOption(
      `lsuv: LSUV rescales the weights before the first step, and '${optimizer.name}' was given layerRates [${rates.join(', ')}] before it, ` +
        'so rates measured on the weights (equalisingLayerRates) would be those of weights this call does not train; ' +
        'call net.initLsuv(x) first (train\'s lsuv takes the first batchSize rows of x), then measure the rates, make the optimiser and train without lsuv',
    );
  }
}

/** The per-layer rates `optimizer` steps with (a first-order optimiser's layerRates), or undefined when it has none or every one is 1. */
export function layerRatesOf(optimizer: Optimizer): number[] | undefined {
  const rates = 'layerRates' in optimizer ? Array.from((optimizer as { layerRates: ArrayLike<number> }).layerRates) : undefined;
  return rates?.some((rate) => rate !== 1) ? rates : undefined;
}

/** The registry's first-order optimisers ('sgd, lars, … or adamw'), as the gradientNoise refusal offers them: read when refused, so a registered one is offered too. */
function firstOrderNames(): string {
  return orList(OPTIMIZERS.filter((d) => d.kind === 'first-order').map((d) => d.name));
}

/**
 * The learning rate a train() call starts `optimizer` at: the `given` one, else the optimiser's own
 * (Optimizer.defaultLearningRate), else SGD's (a plugin that names none). One rule for train() and
 * for `study --model --epochs 0`, whose one traced step records the rate the flags would train at.
 */
export function startingLearningRate(optimizer: Pick<Optimizer, 'defaultLearningRate'>, given: number | undefined): number {
  return given ?? optimizer.defaultLearningRate ?? SGD_LEARNING_RATE;
}

/** The optimiser a train() call steps with, and what the call does with it at its end. */
export interface TrainingOptimizer {
  readonly optimizer: Optimizer;
  /**
   * Run at the call's end: disposes of an optimiser made for this call from a name or a spec; puts
   * the default SGD back, as new, for the network's next call (DefaultSgd); nothing for an
   * instance the caller keeps.
   */
  release(): void;
}

/**
 * The optimiser of a train() call whose options readTrainingSettings passed: the instance given, one
 * made from a name or { name, … } spec, or the default SGD with the top-level momentum and
 * weightDecay. Settings it would not apply (checkSettingsForOptimizer: `settings` as checked) are
 * refused, and an optimiser made here is disposed of before the refusal leaves.
 */
export function trainingOptimizer(net: ModelOwner, options: TrainOptions, settings: Pick<TrainOptions, 'learningRate' | 'onNonFinite' | 'clipNorm' | 'gradientNoise' | 'lsuv' | 'schedule'>): TrainingOptimizer {
  const given = options.optimizer;
  let made: TrainingOptimizer;
  if (isOptimizer(given)) made = { optimizer: given, release: () => {} };
  else if (given !== undefined) {
    const optimizer = createOptimizer(net, given);
    made = { optimizer, release: () => optimizer.dispose() };
  } else made = defaultSgd(net, options.momentum, options.weightDecay);
  try {
    checkSettingsForOptimizer(made.optimizer, settings);
  } catch (error) {
    made.release();
    throw error;
  }
  return made;
}

/**
 * A network's default SGD between its train() calls, and the top-level momentum and weightDecay it
 * was made with, as given (undefined or a number it took). Nothing outside train() reaches it, and
 * release() puts it back as new (FirstOrderOptimizer.startOver), so a call that finds it steps
 * exactly as with a new one; never disposed, so a DIVERGED asked for its message again later
 * (messageFor) still reads its settings. Kept because making one per call was the largest part of a
 * one-batch call's setup: the constructor and its checks ran after the last call's kernels had
 * pushed their code and data out of the caches. Making the optimiser read 21.8 and 23.4 µs per
 * b256 call of train(x, y) and train(dataset) on main, 10.9 and 12.9 with this (AMD EPYC Zen 4,
 * one thread, load 14, 40 rounds, tenth percentiles of the stretch between two marks). Itself the
 * call's TrainingOptimizer, and taken and put back by a flag, so a call that finds it allocates nothing.
 */
class DefaultSgd implements TrainingOptimizer {
  /** Whether a call is stepping it: a call inside that call (which Network.train refuses) would not share it. */
  taken = true;

  constructor(
    readonly optimizer: Sgd,
    readonly momentum: unknown,
    readonly weightDecay: unknown,
  ) {}

  /** Puts it back, as new, for the network's next call. */
  release(): void {
    this.optimizer.startOver();
    this.taken = false;
  }
}

/** Each network's default SGD (DefaultSgd). */
const defaultSgds = new WeakMap<ModelOwner, DefaultSgd>();

/**
 * The default SGD for a train() call of `net`: the one its last call put back when made with the
 * same momentum and weightDecay (Object.is: a number checked once is the same number), else a new
 * one (whose constructor refuses a value it does not take), kept in place of the last.
 */
function defaultSgd(net: ModelOwner, momentum: unknown, weightDecay: unknown): DefaultSgd {
  const kept = defaultSgds.get(net);
  if (kept !== undefined && !kept.taken && Object.is(kept.momentum, momentum) && Object.is(kept.weightDecay, weightDecay)) {
    kept.taken = true;
    return kept;
  }
  const made = new DefaultSgd(new Sgd(net, { momentum: momentum as number | undefined, weightDecay: weightDecay as number | undefined }), momentum, weightDecay);
  defaultSgds.set(net, made);
  return made;
}

/**
 * Why train() cannot step `optimizer` at `learningRate`, or undefined when it can: the optimiser's
 * own rateProblem when it has one (a layer's step size, learning rate × its layer rate, 0 or
 * subnormal in float32; or that step size × the weight decay beyond the bound of an update that
 * multiplies w by 1 − lr·λ, SGD's and AdamW's: the rules its step() enforces), else
 * float32Problem's rule on the rate itself, the one train() refuses a learningRate option by
 * (K-FAC, L-BFGS and optimisers passed in without rateProblem take any rate, and one that float32
 * holds as 0 or a subnormal does nothing). The one rule for the rate a call starts at and the rate
 * 'halve' would halve to; `name` is the learning rate's name in the message (the printer's:
 * learningRate, --learning-rate).
 */
export function learningRateProblem(optimizer: Optimizer, learningRate: number, name = 'learningRate'): string | undefined {
  return optimizer.rateProblem ? optimizer.rateProblem(learningRate) : float32Problem(learningRate, name);
}

/**
 * learningRateProblem of every rate a call at `learningRate` steps with: the starting one's, else, under a schedule, that of the
 * rate its last planned step takes, `learningRate` × `lastFactor` (the smallest: schedule-check.ts lastFactor), named as the
 * schedule's. The one rule for the rates a call starts with and those 'halve' would halve to.
 */
export function callRateProblem(optimizer: Optimizer, learningRate: number, lastFactor: number | undefined, name = 'learningRate'): string | undefined {
  const problem = learningRateProblem(optimizer, learningRate, name);
  if (problem !== undefined || lastFactor === undefined || lastFactor === 1) return problem;
  const last = learningRate * lastFactor;
  // A schedule held at 0 past its steps (endFactor 0, `steps` below the call's) would step at 0, which no optimiser's own check refuses up front.
  const lastProblem = last === 0 ? 'it is 0, and a step of 0 moves nothing' : learningRateProblem(optimizer, last, "the schedule's last rate");
  return lastProblem && `schedule: the call's last planned step would take ${name} ${learningRate} × ${lastFactor} = ${last}, which cannot step (${lastProblem}); give a schedule that ends higher (endFactor, steps) or a larger ${name}`;
}
