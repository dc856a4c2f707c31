/** What the training loop asks of an optimiser; one file per optimiser implements it. */
import { describeValue, typedWord, GradscopeError, invalidOption, shown, shownArgument } from '../errors.js';
import { isTypedNumberArray } from '../data/matrix.js';
import { SaidInTerms, type OptionTerms } from '../option-refusal.js';
import type { Loss, NumberArray } from '../kernels.js';
import { MODEL, type Parameter, type Trainable, type UpdateStatistics } from '../model.js';
import { refuseMembersAfterDispose } from '../refuse-after-dispose.js';
import { counted, grouped } from '../counted.js';

/** An optimiser's state as plain data, for checkpoints: restore(state()) continues bit for bit. */
export interface OptimizerState {
  /** The optimiser's registry name ('sgd', 'adam', …): restore() refuses another's state. */
  name: string;
  /** Scalars such as a step count or a damping λ. */
  scalars: Record<string, number>;
  /** Per-parameter buffers (momentum, second moments, …), as float32 values. */
  tensors: Float32Array[];
}

/**
 * The DIVERGED of an optimiser's step that gave up because of its own state (K-FAC's damped factor
 * that cannot be factorised at its first step), which no learning rate changes: train()'s
 * onNonFinite 'halve' stops at once on it, naming `state`, instead of halving the rate to no end.
 * A give-up the rate may mend (the same factor at a later step, after steps that grew the weights)
 * is a plain DIVERGED.
 */
export class OptimizerStateFault extends SaidInTerms {
  /** What in the optimiser's state is at fault, in words (e.g. "kfac's damped factor G of output"). */
  readonly state: string;
  /**
   * `message`: the whole DIVERGED message (what was measured, what to try), or the message in the
   * printer's terms where it names the optimiser's options (K-FAC's damping, the command line's
   * --damping); `state`: what in the state is at fault.
   */
  constructor(message: string | ((terms: OptionTerms) => string), state: string) {
    // A class users can construct: anything but a printer is said as text, as Error says it.
    super('DIVERGED', typeof message === 'function' ? message : () => String(message));
    this.state = state;
  }
}

/**
 * The DIVERGED of a step refused for the numbers it is taken at, the gradient, the weights and the
 * optimiser's state, in which the learning rate has no part (Adam's and RMSProp's (g + λw)² past
 * float32, Adagrad's sum of squares): at the state train() started from, onNonFinite 'halve' stops at
 * once on it, since halving goes back to that state, where the same step would be refused at any rate.
 * Exported, as OptimizerStateFault is, for a user's optimiser to throw from its step(): train() tells
 * it apart by its class. A caller catching one needs no class: its `code` is 'DIVERGED' and its
 * message says what passed float32 (the GradscopeError subclasses users construct are exported, and
 * OptimizerStateRefused, which a caller tells apart from another BAD_MODEL_FILE by class; the others only
 * let the CLI say a message in its flags, and are told apart by `code`).
 */
export class RateFreeRefusal extends GradscopeError {
  constructor(message: string) {
    super('DIVERGED', message);
  }
}

/**
 * Which networks an optimiser trains: 'dense', only chains of dense layers (createNetwork({ sizes }),
 * whose layer-wise structure K-FAC's Kronecker factors need); 'any', block networks too (batch and
 * layer norm, residual and ReZero blocks, activation layers: createNetwork({ inputs, layers })).
 */
export type LayerSupport = (typeof LAYER_SUPPORTS)[number];
/** Every LayerSupport. */
export const LAYER_SUPPORTS = ['dense', 'any'] as const;

/** What an optimiser's refusal (OptimizerDefinition.refuses) looks at: the network's loss and its parameter count. */
export interface NetworkTerms {
  /** The loss the network trains on. */
  loss: Loss;
  /** Its weights and biases (every parameter the optimiser steps). */
  parameters: number;
}

/** Where Optimizer.keepsWithin finds each number in its `bounds`, and where it may write `after`. */
export const STEP_BOUNDS = { limit: 0, gradientMax: 1, weightMax: 2, learningRate: 3, after: 4 } as const;

/**
 * The `bounds` arrays whose numbers were measured on the gradients and parameters they speak of: the
 * training loop's step guard's (src/training/step-guard.ts). An optimiser that leaves out a pass of
 * its own on the strength of keepsWithin's proof (Adagrad's bound on its sums of squares) does so only
 * for these: bounds a caller passes to keepsWithin get their answer, but are that caller's word, and a
 * step() after them measures (a bound too small had let a sum of squares overflow to Infinity).
 */
export const measuredBounds = new WeakSet<Float64Array>();

/** What train() asks of an optimiser: one update per batch, its state as data, and dispose(). */
export interface Optimizer {
  /** The registry name ('sgd', 'adam', …), recorded in checkpoints. */
  readonly name: string;
  /** The model it was created for: train() refuses it on any other before changing anything (absent: not checked). */
  readonly model?: Trainable;
  /** The learning rate train() uses when it is given none (absent: train's own default). */
  readonly defaultLearningRate?: number;
  /**
   * True for methods whose own rule sets each step (Levenberg–Marquardt's and Hessian-free's
   * damping): they take no learning rate, so train() refuses one and onNonFinite 'halve' (which
   * halves it), and reports and traces none. Absent: the method takes train()'s learningRate.
   */
  readonly choosesOwnSteps?: boolean;
  /**
   * Why `learningRate` cannot be used, or undefined when it can: a method with per-layer rates
   * refuses one that, times some layer's rate, is 0 or subnormal in the float32 the core computes
   * in (that layer would not learn, in silence) or Infinity there, naming the layer; and one at which
   * some layer's step size × weight decay is beyond what its update holds (where a step multiplies w by
   * 1 − lr·λ: SGD's bound, sgdDecayBound in src/optimizer-defaults.ts, and AdamW's 2), as the decay alone
   * would grow that layer's weights. Absent: train() holds the rate itself to float32's normal range
   * (learningRateProblem, src/training/optimizer-settings.ts), as it holds the learningRate option;
   * step() takes any rate > 0.
   */
  rateProblem?(learningRate: number): string | undefined;
  /**
   * True for methods that evaluate the loss and gradient again themselves (line searches,
   * Jacobians): train() refuses clipNorm with them, as a clipped first gradient would not match.
   */
  readonly recomputesGradient?: boolean;
  /**
   * One update. Called with `batch` rows loaded in net.input and net.targets, after forward
   * ('train') and backprop, so every parameter's grad holds the gradient of the batch's mean loss.
   * It may run further passes over the loaded batch (line searches, curvature products) in 'batch'
   * mode, so batch norm's running statistics move once per step. A step that gives up throws
   * DIVERGED (train() takes the step back and its onNonFinite policy decides); an OptimizerStateFault
   * when its own state, which no learning rate changes, is the cause ('halve' then stops at once).
   * The built-in ones refuse (INVALID_OPTION), before anything changes, a network other than their own
   * (checkStepNetwork), where they take one, a learning rate that is not a finite number > 0 (checkStepRate) and,
   * where they read it (K-FAC, L-BFGS, Hessian-free, Levenberg–Marquardt; the first-order methods ignore it), a `batch`
   * that is not a whole number from 1 to net.loadedRows (checkStepBatch).
   */
  step(net: Trainable, learningRate: number, batch: number): void;
  /**
   * Whether the next step() provably leaves every parameter within a limit in magnitude: `bounds`
   * holds [limit, gradientMax, weightMax, learningRate] at indexes 0 to 3: every gradient entry is
   * within gradientMax and every parameter within weightMax now, the optimiser's own buffers as
   * they are. A cheap bound, no update: when it says false (or is absent), train() copies what the
   * step changes so it can take it back. When it says true it may also write bounds[4]: a bound
   * on every |parameter| after the step, which train() then takes as the next step's weightMax
   * instead of measuring the parameters (left NaN, they are measured). The numbers come in an array
   * because a double passed to a call V8 does not inline is boxed on the heap, and this runs every step.
   */
  keepsWithin?(bounds: Float64Array): boolean;
  /**
   * Takes `stats` for the next step() only: its update also writes the statistics of stats.tensors
   * (UpdateStatistics, src/model.ts) into stats.out, in the pass that reads the weights and
   * gradients anyway, and it sets stats.taken; returns whether it took it. train() asks before each
   * step the gradient-flow trace records; the trace measures apart what no update measured. Absent or
   * false: the update cannot (of the built-in optimisers, SGD's can, without Nesterov momentum).
   */
  measureUpdate?(stats: UpdateStatistics): boolean;
  /** Its state as plain data (for checkpoints). */
  state(): OptimizerState;
  /** Continues from a state() taken earlier; refuses a mismatched one before changing anything. */
  restore(state: OptimizerState): void;
  /** Frees the optimiser's buffers in the backend's memory; train(), saveModel and restoreOptimizer then refuse it (DISPOSED). */
  dispose(): void;
  /**
   * Whether dispose() has run: checkOptimizer refuses the optimiser then (DISPOSED), before
   * anything changes, as networks and datasets refuse use after dispose(). Every built-in optimiser
   * has it; absent (a plugin's optimiser), it is not checked.
   */
  readonly isDisposed?: boolean;
}

/**
 * `optimizer` if it is an Optimizer made for `net` (INVALID_OPTION otherwise): what train() and
 * checkpointOf (saveModel) check before they touch anything, so another network's state is never
 * trained with nor saved beside this one's weights.
 */
export function checkOptimizerFor(optimizer: unknown, net: Trainable): Optimizer {
  const o = checkOptimizer(optimizer);
  if (o.model !== undefined && o.model !== net) throw invalidOption(`optimizer: this '${String(o.name)}' optimiser was created for another network`);
  return o;
}

/** What checkOptimizer adds when it is given a network: where the network goes instead. */
const NETWORK_GIVEN_AS_OPTIMIZER = 'a network: createOptimizer(network, spec) makes an optimiser for it';

/**
 * `optimizer` if it has an Optimizer's methods (INVALID_OPTION naming the first missing one
 * otherwise, and `networkHint` when it is a network) and has not been disposed (DISPOSED): what
 * train(), saveModel and restoreOptimizer check.
 */
export function checkOptimizer(optimizer: unknown, networkHint = NETWORK_GIVEN_AS_OPTIMIZER): Optimizer {
  const o = optimizer as Partial<Record<keyof Optimizer, unknown>> | null;
  for (const method of ['step', 'state', 'restore', 'dispose'] as const) {
    if (typeof o !== 'object' || o === null || typeof o[method] !== 'function') {
      const hint = MODEL in Object(o) ? ` (${networkHint})` : '';
      throw invalidOption(`optimizer: expected an Optimizer (with step, state, restore and dispose), got ${o === null || typeof o !== 'object' ? shownArgument(o) : `one missing ${method}()`}${hint}`);
    }
  }
  const checked = optimizer as Optimizer;
  assertNotDisposed(checked);
  return checked;
}

/**
 * The built-in optimisers' dispose() and Optimizer.isDisposed, defined once: each extends this and
 * frees what it holds in freeHeld().
 */
export abstract class TracksDisposal {
  #disposed = false;

  /** Whether dispose() has run (train() then refuses this optimiser: see Optimizer.isDisposed); false until then. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Frees what the optimiser holds in the backend's memory and stops listening for its network's dispose(): dispose() runs it once. */
  protected abstract freeHeld(): void;

  /**
   * Frees the optimiser's buffers in the backend's memory; a second call does nothing. After it every
   * member but those of ANSWERED_AFTER_DISPOSE throws DISPOSED (its settings too, as a disposed
   * network's getters do), so train(), saveModel and restoreOptimizer refuse it before anything changes.
   */
  dispose(): void {
    if (!this.#free()) return;
    const name = String((this as unknown as { name?: unknown }).name);
    refuseMembersAfterDispose(this, ANSWERED_AFTER_DISPOSE, () => disposedOptimizer(name));
  }

  /** Frees what the optimiser holds and marks it disposed, the first time; whether it did (false: disposed before). */
  #free(): boolean {
    if (this.#disposed) return false;
    this.#disposed = true;
    this.freeHeld();
    return true;
  }
}

/** What a disposed built-in optimiser still answers: its name (which the DISPOSED message names), isDisposed, and dispose() (a no-op then). */
export const ANSWERED_AFTER_DISPOSE: readonly string[] = ['name', 'isDisposed', 'dispose'];

/** The DISPOSED of optimiser `name`'s use after dispose(). */
function disposedOptimizer(name: string): GradscopeError {
  return new GradscopeError('DISPOSED', `optimizer: this '${name}' optimiser was disposed (its state is gone); create a new one`);
}

/**
 * What every built-in step() checks before anything changes, since step() is public and may be called outside train()
 * (which checks its own arguments first): `net` is the network the optimiser was created for (`own`), alive, and the
 * optimiser not disposed. Identity first: another object reached net.assertAlive() as a raw TypeError ('net.assertAlive
 * is not a function', or of undefined), and Hessian-free stepped whatever network it was given.
 */
export function checkStepNetwork(optimizer: Optimizer, net: unknown, own: Trainable): void {
  if (net !== own) throw invalidOption(`${String(optimizer.name)}: step(net, learningRate, batch): this optimiser was created for another network, got ${describeValue(net)}`);
  own.assertAlive();
  assertNotDisposed(optimizer);
}

/**
 * The learning rate a method that takes one refuses at step() (INVALID_OPTION) unless it is a finite number > 0: NaN, 0 and
 * −1 went into the update, and every weight read NaN (Adam, SGD, LARS, K-FAC), in silence. train() refuses them before it
 * steps (learningRateProblem); a method's rateProblem refuses a rate too small or too large for float32 on top.
 */
export function checkStepRate(optimizer: Optimizer, learningRate: unknown): void {
  if (typeof learningRate !== 'number' || !(learningRate > 0) || learningRate === Infinity) {
    throw invalidOption(`${String(optimizer.name)}: step(net, learningRate, batch): learningRate: expected a finite number > 0, got ${describeValue(learningRate)}`);
  }
}

/**
 * The `batch` a method that reads it (K-FAC, L-BFGS, Hessian-free, Levenberg–Marquardt) refuses at step() (INVALID_OPTION)
 * unless it is a whole number from 1 to the rows `net` holds loaded (Trainable.loadedRows): −1 and 1e6 ran the kernels
 * out of wasm memory (a raw RuntimeError, the state already changed), 2.5 and NaN failed in an allocation named by its
 * internals, and rows beyond those loaded were stepped on as stale rows, in silence. The first-order methods ignore batch.
 */
export function checkStepBatch(optimizer: Optimizer, net: Trainable, batch: unknown): void {
  const loaded: unknown = net.loadedRows;
  // A Trainable of the caller's own written before loadedRows (plain JS, or cast) is refused, not stepped: with no count,
  // `batch > loaded` is false for every batch, and any batch would pass to the kernels unchecked.
  if (typeof loaded !== 'number' || !Number.isInteger(loaded) || loaded < 0) {
    throw invalidOption(`${String(optimizer.name)}: step(net, learningRate, batch): net.loadedRows: expected the rows of the batch loaded, a whole number ≥ 0 (a Trainable of your own counts them), got ${describeValue(loaded)}`);
  }
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1 || batch > loaded) {
    const expected = loaded === 0 ? 'the rows of a loaded batch, but none is loaded (gradients() or a training pass loads one)' : `a whole number of rows from 1 to the ${loaded} loaded`;
    throw invalidOption(`${String(optimizer.name)}: step(net, learningRate, batch): batch: expected ${expected}, got ${describeValue(batch)}`);
  }
}

/** DISPOSED if `optimizer` was disposed: checkOptimizer, and the built-in optimisers' own step(), state() and restore(). */
export function assertNotDisposed(optimizer: Optimizer): void {
  if (optimizer.isDisposed === true) throw disposedOptimizer(String(optimizer.name));
}

/**
 * `state` if it is an OptimizerState of optimiser `name` (the one rule of every built-in restore()
 * and of restoreOptimizer): INVALID_OPTION naming `where` ('adam: restore') otherwise, saying both
 * kinds and which optimiser takes the state, before anything changes. A state is its optimiser's
 * alone: another kind's buffers mean other things (Adam's moments are not SGD's velocity).
 * `restoredBy` words who restores a state of another kind (its quoted name): by default only what is
 * true of any name, since this module cannot see the registry; restoreOptimizer, which can, names
 * the createOptimizer call when the name is registered.
 */
export function checkStateKind(state: unknown, where: string, name: string, restoredBy = (kind: string) => `only an optimiser named ${kind} restores it`): OptimizerState {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw invalidOption(`${where}: expected an optimiser's state (as state() gives, or a checkpoint's optimizer), got ${shown(state)}`);
  }
  const saved: unknown = (state as Partial<OptimizerState>).name;
  if (typeof saved !== 'string') throw invalidOption(`${where}: the state's name is ${shown(saved)}; expected '${name}', the optimiser that saved it`);
  if (saved !== name) {
    const kind = typedWord(saved);
    throw invalidOption(`${where}: the state is ${kind} state, not '${name}' state: ${restoredBy(kind)}`);
  }
  return state as OptimizerState;
}

/** The refusal of a state tensor that does not fit parameter `p` (the state was taken from a network of another shape). */
export function stateTensorMismatch(where: string, index: number, values: { length?: unknown } | undefined, p: Pick<Parameter, 'name' | 'length'>): GradscopeError {
  const got = typeof values?.length === 'number' ? counted(values.length, 'value') : 'no values';
  return invalidOption(`${where}: tensors[${index}] holds ${got}, but this network's ${p.name} has ${grouped(p.length)}: the state was saved from a network of another shape`);
}

/**
 * state.tensors as a built-in optimiser's restore() reads them: none when absent, else an array whose
 * every entry is an array of numbers (a Float32Array as state() gives, another typed array, or a plain
 * array), no finite value beyond the float32 range. INVALID_OPTION naming `where` ('lbfgs: restore'),
 * the entry and what was expected otherwise, before restore() changes anything: an entry of the right
 * length that is not an array reached the caller as a TypeError (`t.findIndex is not a function`),
 * and 1e39 became Infinity in the state.
 */
export function restoredTensors(state: OptimizerState, where: string): readonly (NumberArray | readonly number[])[] {
  const tensors: unknown = state.tensors ?? [];
  if (!Array.isArray(tensors)) throw invalidOption(`${where}: tensors is ${describeValue(tensors)}; expected an array of tensors, each an array of numbers (as state() gives)`);
  tensors.forEach((t: unknown, j) => {
    if (!Array.isArray(t) && !isTypedNumberArray(t)) throw invalidOption(`${where}: tensors[${j}] is ${describeValue(t)}; expected an array of numbers (a Float32Array, as state() gives)`);
    // A finite number float32 cannot hold was written as Infinity into the state, in silence (a value that is not finite is each optimiser's to name).
    const i = Array.prototype.findIndex.call(t, (v: unknown) => typeof v === 'number' && Number.isFinite(v) && !Number.isFinite(Math.fround(v)));
    if (i >= 0) throw invalidOption(`${where}: tensors[${j}][${i}] is ${(t as ArrayLike<number>)[i]}, beyond the float32 range an optimiser's state is held and saved in; expected a number float32 holds`);
  });
  return tensors as (NumberArray | number[])[];
}
