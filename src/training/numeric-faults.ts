/**
 * Numeric faults in training: a step whose loss or gradient is NaN or ±Inf, whose loss shows
 * training running away with finite numbers (runawayLoss), whose batch's training forward takes a
 * state tensor (batch norm's running statistics) beyond float32 (stateOutOfRange), or which would
 * take a parameter beyond RUNAWAY_PARAMETER (StepGuard) is not applied, and the `onNonFinite` policy decides what happens
 * next. The gradient check is one maxAbs per parameter tensor (StepGuard.gradientFault): a NaN
 * anywhere makes it NaN and an Inf Inf, and a largest |entry| within √FLOAT32_MAX ≈ 1.8e19
 * (LARGEST_GRADIENT) proves every entry finite and its square within float32, as the optimisers
 * compute it; an entry beyond is a fault on every backend, said by gradientOutOfRange.
 */
import { invalidOption, shown } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { checkChoice, withinFloat32 } from '../checks.js';
import { FLOAT32_MAX, RUNAWAY_PARAMETER } from '../model-limits.js';
import type { Parameter, Trainable } from '../model.js';
import { moduleOf, networkLayerLabels, parameterLabel } from '../layer-names.js';
import { apart, numberText } from '../number-text.js';
import { lossText } from '../loss-text.js';

/**
 * Where the loaded batch's targets are its largest values, larger than both its inputs and the
 * network's outputs (after the forward of its `rows` rows), the clause that names them: the loss's
 * gradient ∂C/∂ŷ grows with ŷ − y, which such a target dominates, so they, not the inputs or
 * the weights, make a gradient too large for float32. Null otherwise (also where an output is
 * not finite: the forward pass overflowed before the targets came into it). Read only when a step faults.
 */
export function targetsTooLarge(net: Trainable, rows: number): string | null {
  const largest = (tensor: Tensor, width: number) => net.kernels.maxAbs(tensor, rows * width);
  const [targets, inputs, outputs] = [largest(net.targets, net.outputSize), largest(net.input, net.inputSize), largest(net.output, net.outputSize)];
  if (!(Number.isFinite(outputs) && targets > inputs && targets > outputs)) return null;
  return (
    `the targets train() was given are too large for float32: in this batch |y| reaches ${numberText(targets)}, against |x| ≤ ${numberText(inputs)} and outputs |ŷ| ≤ ${numberText(outputs)}, ` +
    "and the loss's gradient grows with ŷ − y; scale the targets down (and the predictions back up)"
  );
}

/** The choices of TrainOptions.onNonFinite (see NonFinitePolicy). */
export const NON_FINITE_POLICIES = ['throw', 'skip', 'halve'] as const;
/**
 * - 'throw' (default): DIVERGED; the faulty step is not applied, and when steps of the call led to
 *   the fault (the batch is in range at the last state judged good that was kept), the network goes
 *   back to that state (StepGuard.backToLastGood) and the message names its step. A copy is kept
 *   before each step not proved within range (every second-order step: the state before the last
 *   one) and at each epoch's first step. So a first-order run, whose steps are proved, goes back to
 *   the start of its epoch (of the epoch before, when the fault is at an epoch's first batch),
 *   undoing up to an epoch of steps whose states were judged good too; the message names them.
 *   Either way batch norm's running statistics are those of the state named (the faulty batch's
 *   forward moved them, and they go back: StepGuard.forwardNotApplied).
 * - 'skip': the batch is left out (its forward's move of batch norm's running statistics too) and
 *   training goes on from the state it faulted at: nothing else is put
 *   back. When the steps, not the batch, led to the fault, later batches usually fault at that state
 *   too and are left out in turn (TrainResult.skipped), and the call ends with the network as those
 *   steps left it, or with DIVERGED when an epoch leaves out every batch.
 * - 'halve': the learning rate is halved and training goes back to the start of the last epoch
 *   that a batch judged good there (JudgedEpochStart): parameters, state tensors, optimiser state
 *   and step as they were then, and that epoch is run again with the same rows in the same order
 *   (the RNG is not put back, so later epochs shuffle anew). That is the faulty epoch's own start,
 *   or, when the fault is at its first batch (at the state the epoch before left, which no batch
 *   had judged), the start of the epoch before, which is then run again and reported again
 *   (onBatch, onEpoch). Retrying only the faulty batch would fault again: the gradient at the
 *   current weights does not depend on the learning rate. Going back to epoch 0's start, the
 *   weights train() was given, can help: the steps from them are taken at the halved rate (a first
 *   step refused as out of range is smaller). It cannot when the call's first batch faults there,
 *   before any step (its loss, gradient or gradient noise, or a parameter out of range as given):
 *   the batch would fault again at any rate, so DIVERGED at once, nothing halved. After maxHalvings,
 *   or where half the rate would be one train() refuses (learningRateProblem: 0 or subnormal in
 *   float32, the rate itself or, with an optimiser that has rateProblem, times some layer's rate),
 *   DIVERGED names the epoch start it put back and its step. Refused with an optimiser that
 *   chooses its own steps (no learning rate).
 */
export type NonFinitePolicy = (typeof NON_FINITE_POLICIES)[number];

/** Halvings allowed per train call by default: 2^-10 of the starting learning rate. */
export const DEFAULT_MAX_HALVINGS = 10;

export function checkNonFinitePolicy(value: unknown): NonFinitePolicy {
  return value === undefined ? 'throw' : checkChoice(value, NON_FINITE_POLICIES, 'onNonFinite');
}

export function checkMaxHalvings(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_HALVINGS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 60) {
    throw invalidOption(`maxHalvings: expected a whole number from 0 to 60, got ${shown(value)}`);
  }
  return value;
}

/**
 * gradients(), its loss finite: which parameter's gradient is not finite (NaN or ±Inf), or null. Finite
 * gradients of any size pass (training refuses entries whose square overflows: gradientOutOfRange).
 */
export function nonFiniteGradient(net: Trainable): string | null {
  return gradientBeyond(net, Number.MAX_VALUE); // every finite entry is within: only NaN and ±Inf are beyond
}

/**
 * Why parameter `p`'s gradient, whose largest |entry| is `largest`, is refused: it holds a NaN or
 * Inf, or an entry beyond √FLOAT32_MAX ≈ 1.8e19, whose square overflows float32 where the
 * optimisers square gradients (Adam's, RMSProp's and Adagrad's second moments would hold Inf, and
 * the weights under them stop moving without a word). The same on every backend, the float64
 * reference included. Rare path: StepGuard's check (gradientFault) says it of the first parameter
 * whose maxAbs it read beyond LARGEST_GRADIENT or NaN, from that read.
 */
export function gradientOutOfRange(net: Trainable, p: Parameter, largest: number): string {
  return gradientSaid(net, p, largest, LARGEST_GRADIENT);
}

/** The first parameter whose gradient holds a NaN or Inf or an entry beyond `limit` (one maxAbs per tensor), said; else null. */
function gradientBeyond(net: Trainable, limit: number): string | null {
  const found = firstGradientBeyond(net, limit);
  return found && gradientSaid(net, found.p, found.largest, limit);
}

/** The first parameter whose gradient holds a NaN or Inf or an entry beyond `limit`, and that largest |entry|; else null. One maxAbs per tensor. */
function firstGradientBeyond(net: Trainable, limit: number): { p: Parameter; largest: number } | null {
  const k = net.kernels;
  for (const p of net.parameters()) {
    const largest = k.maxAbs(p.grad, p.length);
    if (!(largest <= limit)) return { p, largest };
  }
  return null;
}

/**
 * Where the gradient gradientOutOfRange refused came from, after backprop of the batch at positions
 * start.. start+size of `rows` (the caller's row numbers): the entry (its first NaN or Inf, else its
 * largest) and, for a dense layer's W or b, the row whose share of it is the largest
 * (Trainable.gradientShares), as ' (entry [j, i]: row 17's share is 1.95e+19 of it)'; '' when no
 * parameter is beyond. Runs only after the fault was found: a pass over that one tensor and the
 * batch's rows, in TypeScript, nothing on the path of a good step.
 */
export function gradientRowText(net: Trainable, rows: Uint32Array, start: number, size: number): string {
  const found = firstGradientBeyond(net, LARGEST_GRADIENT);
  if (!found) return '';
  const { p } = found;
  const g = net.kernels.view(p.grad);
  const index = worstIndex(g, p.length);
  const entry = p.shape.length === 2 ? `[${Math.floor(index / p.shape[1])}, ${index % p.shape[1]}]` : p.shape.length === 1 ? `[${index}]` : '';
  const shares = net.gradientShares(p, index, size);
  if (!shares) return entry && ` (entry ${entry})`;
  const row = worstIndex(shares, size);
  return ` (entry ${entry}: row ${rows[start + row]}'s share is ${numberText(shares[row])} of it)`;
}

/** The index of values[0..n) farthest from 0: the first NaN or ±Infinity, else the largest |value|. */
function worstIndex(values: ArrayLike<number>, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) return i;
    if (Math.abs(values[i]) > Math.abs(values[worst])) worst = i;
  }
  return worst;
}

/** `p`'s gradient, whose largest |entry| `largest` is NaN, ±Inf or beyond `limit`, said: its label, ∂C/∂W (or b, or its name) and what it holds. */
function gradientSaid(net: Trainable, p: Parameter, largest: number, limit: number): string {
  const [largestText, limitText] = apart([largest, limit], { bound: 1 });
  const what = Number.isFinite(largest)
    ? `reaches ${largestText}, beyond ${limitText} where its square overflows float32`
    : `holds ${largestText}`; // 'Infinity' or 'NaN', as numberText names them
  return `${labelOf(net, p)}: ∂C/∂${gradientSymbol(net, p)} ${what}`;
}

/** `p` as a message names it (parameterLabel): by its layer's name in the trace tables, then its own. */
function labelOf(net: Trainable, p: Parameter): string {
  return parameterLabel(p, networkLayerLabels(net)(p.group, moduleOf(p.name)));
}

/** The largest |gradient entry| training takes: √FLOAT32_MAX, where its square still fits float32. */
export const LARGEST_GRADIENT = Math.sqrt(FLOAT32_MAX);

/**
 * What ∂C/∂ is taken of, as the maths writes it (the label before it gives the tensor's name): a
 * dense layer's W and b, a batch or layer norm's γ and β, a ReZero block's α.
 */
function gradientSymbol(net: Trainable, p: Parameter): string {
  if (p.weightMatrix) return 'W';
  const own = p.name.slice(p.name.lastIndexOf('.') + 1);
  if (own === 'alpha') return 'α';
  if (own === 'bias') return net.parameters().some((q) => q.group === p.group && q.weightMatrix) ? 'b' : 'β';
  return own === 'weight' ? 'γ' : own;
}

/**
 * A batch loss this many times the first batch's of the train call (or 1, if that was smaller) is
 * a runaway: a learning rate of 1e30 reaches losses of 1e30 with every number still finite. The one
 * rule for every optimiser; the state before it is the last judged good (StepGuard.backToLastGood).
 * Against the first loss, not the last: at batch 1 an ordinary noisy SGD run raises the loss 10⁵-fold
 * from one batch to the next (test/reliability/last-good-state.test.ts), while a true runaway passes
 * 10⁶× its first loss however slowly it climbs.
 */
export const RUNAWAY_LOSS_FACTOR = 1e6;

/**
 * Why training is running away although loss and gradient are finite, or null: the loss is
 * RUNAWAY_LOSS_FACTOR× the first batch's `firstLoss` (or 1). Checked after the loss was found finite.
 */
export function runawayLoss(loss: number, firstLoss: number): string | null {
  if (loss >= RUNAWAY_LOSS_FACTOR * Math.max(firstLoss, 1)) {
    return `the loss ${lossText(loss)} is over 10⁶× the first batch's (${lossText(firstLoss)}): training is running away`;
  }
  return null;
}

/**
 * Why the batch's training forward left one of `states` (the network's stateTensors(): batch norm's
 * running statistics) beyond float32's range, naming it and its value; null when every one is within.
 * One maxAbs per tensor (NaN and ±Inf win it). A finite input can do it: a batch whose values at a
 * batch norm spread beyond √FLOAT32_MAX ≈ 1.8e19 has a variance beyond float32, while its loss and
 * gradient, normalised by the batch's own statistics, stay finite; a running variance at Inf makes
 * that layer give β for every input in eval mode. Beyond float32's range (withinFloat32) counts on the
 * float64 backend too: the model's float32 tensors and files would hold it as Inf. No smaller bound: a running
 * variance within float32 is a state like any other (1/√(var + ε) ≥ 5.4e-20, normal), and whether
 * eval's outputs still depend on the input depends on how far one row stands out, not on the
 * variance's size (2026-12-01, every backend: one row of 1e12 among rows near 1 left a running
 * variance of 2.1e21 and one output for every input, every row × 1e18 left 4.2e34 and outputs as
 * before; test/reliability/batch-norm-state.test.ts).
 */
export function stateOutOfRange(net: Trainable, states: readonly Tensor[]): string | null {
  const k = net.kernels;
  for (let i = 0; i < states.length; i++) {
    const largest = k.maxAbs(states[i], states[i].length);
    if (withinFloat32(largest)) continue;
    const [largestText, limitText] = apart([largest, FLOAT32_MAX], { bound: 1 });
    const value = Number.isFinite(largest) ? `${largestText}, beyond float32's largest (${limitText})` : largestText;
    return `this batch's training forward takes ${net.stateTensorLabels()[i]} to ${value}`;
  }
  return null;
}

/** The first parameter tensor beyond RUNAWAY_PARAMETER or not finite: its label (parameterLabel) and max |value|; null if none. Rare path. */
export function firstParameterOutOfRange(net: Trainable): { label: string; largest: number; group: number } | null {
  const k = net.kernels;
  for (const p of net.parameters()) {
    const largest = k.maxAbs(p.value, p.length);
    if (!(largest <= RUNAWAY_PARAMETER)) return { label: labelOf(net, p), largest, group: p.group };
  }
  return null;
}

/** The first parameter tensor beyond RUNAWAY_PARAMETER or not finite, as `label: <verb> <value>, beyond …` (or `<verb> NaN`, `Infinity`); null if none. Rare path. */
export function parameterOutOfRange(net: Trainable, verb: string): string | null {
  const found = firstParameterOutOfRange(net);
  return found && outOfRangeText(found, verb);
}

/** A parameter tensor firstParameterOutOfRange found, as parameterOutOfRange says it. */
export function outOfRangeText({ label, largest }: { label: string; largest: number }, verb: string): string {
  const [largestText, limitText] = apart([largest, RUNAWAY_PARAMETER], { bound: 1 });
  const value = Number.isFinite(largest) ? `${largestText}, beyond ${limitText} where float32 products overflow` : largestText;
  return `${label}: ${verb} ${value}`;
}
