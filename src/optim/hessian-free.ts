/**
 * Hessian-free optimisation (Martens 2010, "Deep learning via Hessian-free optimization"): each
 * step minimises the damped quadratic model
 *   q(p) = gᵀp + ½·pᵀ(G + λI)p
 * of the loss by preconditioned conjugate gradient, where G is the generalised Gauss-Newton matrix,
 * reached only through products G·v (gauss-newton.ts). The model's scale is the curvature's own, so
 * the first layer's tiny gradient is met by its tiny curvature: the vanishing gradient is divided
 * out rather than followed.
 *
 * Martens' ingredients, each here:
 * - the gradient over the whole loaded batch, curvature products over a prefix of it;
 * - CG started from `decay`·(the previous step's last CG iterate);
 * - his relative-progress stopping rule: stop at iteration i once q < 0 and
 *   (q_i − q_{i−k})/q_i < k·ε with k = max(10, ⌈0.1·i⌉), ε = 5·10⁻⁴;
 * - CG backtracking: iterates stored at i = ⌈1.3^j⌉; walking back from the last, the one with the
 *   lowest loss on the batch is taken;
 * - his backtracking line search on the iterate taken: the rate (from 1) × 0.8 until the Armijo
 *   condition f(θ + rate·p) ≤ f(θ) + 10⁻²·rate·gᵀp holds, at most 60 times, else no step;
 * - Levenberg-Marquardt damping from ρ = (f(θ+p) − f(θ))/q₀(p), where q₀ is the *undamped* model
 *   gᵀp + ½·pᵀGp (his nnet_train_2.m turns the damping off for this denominator): ρ < ¼ → λ·3/2,
 *   ρ > ¾ → λ·2/3, from λ₀ = 45 (his initlambda; λ is added to the curvature of the mean loss);
 *   where the predicted change is below the loss's rounding (damping.ts' predictionReadable), ρ is
 *   not read and λ shrinks by 2/3 (not in his code: see the rule below);
 * - the preconditioner M = (diag(mean_x g_x²) + λ)^¾, g_x the per-sample gradients (the empirical
 *   Fisher's diagonal, from squared deltas and squared activations: one GEMM per layer).
 * ρ is read at the iterate taken, before the line search, as his code reads it. Without the line
 * search (lineSearch false), a step that would raise the batch loss is not taken (λ still grows).
 * The step's scale is the model's: the learning rate passed to step() is not used.
 *
 * On a block network (batch and layer norm, residual blocks, activation layers) the products run
 * through the layers' R-operator (net.gaussNewton(), src/layers/gauss-newton.ts) over a forward of
 * the curvature rows alone in 'batch' mode, so batch norm's statistics are those rows' and J
 * differentiates through them. The preconditioner's diagonal is Σ over rows of each row's share of
 * the batch gradient, squared (net.squaredGradients(); the per-example gradients where rows are
 * independent, as in a dense network; with batch norm the rows' shares of one coupled gradient).
 */
import { invalidOption } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import { trainableOf, type GaussNewtonOperator, type Model, type ModelOwner, type Trainable } from '../model.js';
import { curvatureRows, GaussNewtonProduct } from './gauss-newton.js';
import { LM_HIGH, LM_LOW, predictionReadable } from './damping.js';
import { assertNotDisposed, checkStateKind, checkStepBatch, checkStepNetwork, restoredTensors, TracksDisposal, type Optimizer, type OptimizerState } from './optimizer.js';
import { checkBoolean, checkOwnStepsKeys } from './options.js';
import { checkRecordedHyperparameters, recordedScalars } from './recorded-settings.js';
import { checkSetting, HESSIAN_FREE_LAMBDA } from './setting-ranges.js';
import { checkStateScalar, STATE_RANGES } from './state-ranges.js';
import {
  allocVector,
  axpyVectors,
  copyVector,
  dotVectors,
  freeVector,
  gradientsOf,
  mulVectors,
  parameterLengths,
  scaleVector,
  valuesOf,
  vectorToArrays,
  type ParamVector,
} from './param-vector.js';
import { grouped } from '../counted.js';

/** Options of HessianFree; every field is optional, defaults in HESSIAN_FREE_DEFAULTS. */
export interface HessianFreeOptions {
  /** Starting Levenberg-Marquardt damping λ (default 45, Martens' initlambda). */
  damping?: number;
  /** Most CG iterations per step (default 250, Martens' value). */
  maxIterations?: number;
  /** Fewest CG iterations before the stopping rule may end CG (default 1). */
  minIterations?: number;
  /** CG starts from decay × the previous solution (default 0.95). */
  decay?: number;
  /** Fraction of the loaded batch used for curvature products (default 0.25; at least 32 rows or the whole batch). */
  curvatureFraction?: number;
  /** Use Martens' diagonal preconditioner (default true). */
  preconditioner?: boolean;
  /** Backtrack over stored CG iterates (default true). */
  backtracking?: boolean;
  /** Martens' Armijo line search on the step taken (default true); off, a step that raises the batch loss is not taken. */
  lineSearch?: boolean;
}

/** HessianFreeOptions' defaults (Martens 2010's values where he gives one). */
export const HESSIAN_FREE_DEFAULTS = {
  /** Starting damping λ: Martens' initlambda. */
  damping: 45,
  /** Most CG iterations per step. */
  maxIterations: 250,
  /** Fewest CG iterations before the stopping rule may end CG. */
  minIterations: 1,
  /** CG starts from decay × the previous solution. */
  decay: 0.95,
  /** Fraction of the loaded batch used for curvature products. */
  curvatureFraction: 0.25,
  /** Martens' diagonal preconditioner on. */
  preconditioner: true,
  /** Backtracking over stored CG iterates on. */
  backtracking: true,
  /** Martens' Armijo line search on. */
  lineSearch: true,
} as const;

/** Martens' stopping rule: relative progress per iteration below this, over a window of k. */
const PROGRESS_EPSILON = 5e-4;
const MIN_WINDOW = 10;
/** Iterates are stored for backtracking at i = ⌈BACKTRACK_GROWTH^j⌉. */
const BACKTRACK_GROWTH = 1.3;
/**
 * Martens' line search (nnet_train_2.m): the rate shrinks by LINE_SEARCH_SHRINK until the loss falls
 * by at least ARMIJO_C × the first-order prediction rate·gᵀp; the LINE_SEARCH_REDUCTIONS-th reduction
 * rejects the step.
 */
const ARMIJO_C = 1e-2;
const LINE_SEARCH_SHRINK = 0.8;
const LINE_SEARCH_REDUCTIONS = 60;
/** How the Levenberg-Marquardt rule (damping.ts) grows and shrinks λ (Martens' 3/2 and 2/3; docs/second-order.md states them). */
export const LM_GROW = 3 / 2;
export const LM_SHRINK = 2 / 3;
/** λ is kept inside [LAMBDA_MIN, LAMBDA_MAX] (HESSIAN_FREE_LAMBDA: the damping option's range) so it can neither underflow the preconditioner nor freeze learning. */
const { min: LAMBDA_MIN, max: LAMBDA_MAX } = HESSIAN_FREE_LAMBDA;

/** What the last step did, for studies and logs. */
export interface HessianFreeReport {
  /** CG iterations run. */
  iterations: number;
  /** The stored iterate taken after backtracking. */
  chosenIteration: number;
  /** Loss over the batch before the step. */
  lossBefore: number;
  /** Loss over the batch after the step (equal to lossBefore when it was not accepted). */
  lossAfter: number;
  /** The rate the line search multiplied the chosen iterate by: 1 where it passed at once, 0.8ʲ after j reductions, 0 where no step was taken. */
  rate: number;
  /** Reduction ratio at the chosen iterate (before the line search): actual decrease / the decrease predicted by the undamped quadratic model (not read where that prediction is below the loss's rounding: λ then shrinks). */
  rho: number;
  /** The change of the loss the undamped quadratic model predicted for the chosen iterate p, q₀(p) (negative), before the line search scales p by `rate`. */
  predicted: number;
  /** Damping used by this step. */
  lambda: number;
  /** Damping the next step will use. */
  nextLambda: number;
  /** false when the line search rejected the step (or, without it, the best iterate raised the loss), so θ was left unchanged. */
  accepted: boolean;
  /** Rows of the batch used for curvature products. */
  curvatureRows: number;
}

/** CG iterations at which iterates are stored: ⌈1.3^j⌉, distinct, up to maxIterations. */
export function backtrackSchedule(maxIterations: number): number[] {
  const schedule: number[] = [];
  for (let x = BACKTRACK_GROWTH; Math.ceil(x) <= maxIterations; x *= BACKTRACK_GROWTH) {
    const i = Math.ceil(x);
    if (schedule[schedule.length - 1] !== i) schedule.push(i);
  }
  return schedule;
}

interface Buffers<T extends Tensor> {
  /** CG iterate (kept across steps: the warm start). */
  x: ParamVector<T>;
  r: ParamVector<T>;
  y: ParamVector<T>;
  p: ParamVector<T>;
  ap: ParamVector<T>;
  /** The preconditioner's inverse M⁻¹ = (diag + λ)^(−¾), and the diagonal itself. */
  inverseM: ParamVector<T>;
  diagonal: ParamVector<T>;
  /** θ at the start of the step. */
  theta: ParamVector<T>;
  /** The step's gradient, kept aside on a block network (its curvature products overwrite the grads); null on a dense one. */
  gradient: ParamVector<T> | null;
  /** Stored iterates for backtracking (allocated on first use). */
  snapshots: ParamVector<T>[];
}

/** Martens' Hessian-free optimiser: damped Gauss–Newton steps by preconditioned CG (see the module comment; the learning rate is not used). */
export class HessianFree extends TracksDisposal implements Optimizer {
  readonly name = 'hessian-free';
  /** CG and the damping λ set each step: no learning rate (Optimizer.choosesOwnSteps). */
  readonly choosesOwnSteps = true;
  /** The options in force, defaults filled in. */
  readonly options: Readonly<Required<HessianFreeOptions>>;
  /** Current damping λ. */
  lambda: number;
  /** What the last step did; undefined before the first. */
  lastReport: HessianFreeReport | undefined;
  private readonly schedule: number[];
  /** q at each CG iteration (index 0: q(x₀)), and at each stored iterate. */
  private readonly q: Float64Array;
  private readonly snapshotQ: Float64Array;
  private readonly snapshotIteration: Int32Array;
  private buffers: Buffers<Tensor> | undefined;
  private product: GaussNewtonOperator | undefined;
  /** Rows the product was made for (a dense Model's product has a fixed capacity). */
  private productRows = 0;
  /** Squared deltas and squared activations of the gradient batch, for the preconditioner. */
  private squares: { deltas: Tensor; inputs: Tensor; rows: number } | undefined;

  private readonly net: Trainable;
  /** The network as a dense Model (preconditioner, products), or null for a block network (products through its layers). */
  private readonly dense: Model | null;

  /** Run by net.dispose(); dispose() takes it off the network's list. */
  private readonly release = () => this.dispose();

  /** The model this optimiser was created for. */
  get model(): Trainable {
    return this.net;
  }

  constructor(owner: ModelOwner, options: HessianFreeOptions = {}) {
    super();
    const net = (this.net = trainableOf(owner, 'hessian-free'));
    this.dense = net.kind === 'dense' ? (net as Model) : null;
    checkOwnStepsKeys(options, Object.keys(HESSIAN_FREE_DEFAULTS), 'hessian-free');
    const d = HESSIAN_FREE_DEFAULTS;
    const maxIterations = checkSetting('hessian-free', 'maxIterations', options.maxIterations, d.maxIterations);
    this.options = {
      damping: checkSetting('hessian-free', 'damping', options.damping, d.damping),
      maxIterations,
      minIterations: checkSetting('hessian-free', 'minIterations', options.minIterations, d.minIterations, { maxIterations }),
      decay: checkSetting('hessian-free', 'decay', options.decay, d.decay),
      curvatureFraction: checkSetting('hessian-free', 'curvatureFraction', options.curvatureFraction, d.curvatureFraction),
      preconditioner: checkBoolean(options.preconditioner, 'hessian-free: preconditioner', d.preconditioner),
      backtracking: checkBoolean(options.backtracking, 'hessian-free: backtracking', d.backtracking),
      lineSearch: checkBoolean(options.lineSearch, 'hessian-free: lineSearch', d.lineSearch),
    };
    this.lambda = this.options.damping;
    this.schedule = backtrackSchedule(maxIterations);
    this.q = new Float64Array(maxIterations + 1);
    this.snapshotQ = new Float64Array(this.schedule.length + 1);
    this.snapshotIteration = new Int32Array(this.schedule.length + 1);
    net.onDispose.add(this.release);
  }

  /** Rows of a batch of `batch` used for curvature products. */
  curvatureRows(batch: number): number {
    return curvatureRows(batch, this.options.curvatureFraction);
  }

  step(net: Trainable, _learningRate: number, batch: number): void {
    checkStepNetwork(this, net, this.net);
    checkStepBatch(this, net, batch);
    const k = net.kernels;
    const m = this.curvatureRows(batch);
    const b = this.ensureBuffers(net, batch, m);
    const lossBefore = net.lossOfLastForward(batch);
    let g = gradientsOf(net);
    const lambda = this.lambda;
    if (this.options.preconditioner) {
      if (this.dense) this.updatePreconditioner(this.dense, batch, lambda);
      else this.updateBlockPreconditioner(net, batch, lambda);
    }
    if (b.gradient) {
      // A block network's products run through its backward pass, over the curvature rows' own
      // forward (batch norm's statistics are those rows'); a dense Model's read the prefix of this one.
      copyVector(k, b.gradient, g);
      g = b.gradient;
      if (m < batch) net.forward(m, 'batch');
    }

    const stored = this.conjugateGradient(k, b, g, m, lambda);
    copyVector(k, b.theta, valuesOf(net));

    // Backtracking: from the last stored iterate back, while the loss keeps falling.
    let chosen = stored - 1;
    let lossAfter = this.lossAt(net, b, b.snapshots[chosen], batch);
    if (this.options.backtracking) {
      while (chosen > 0) {
        const earlier = this.lossAt(net, b, b.snapshots[chosen - 1], batch);
        if (!(earlier < lossAfter)) break;
        lossAfter = earlier;
        chosen--;
      }
    }
    // Martens' ρ divides by the undamped model q₀(p) = q(p) − ½λ‖p‖²: the damping shapes the step,
    // but is not part of the loss whose decrease ρ predicts.
    const step = b.snapshots[chosen];
    const predicted = this.snapshotQ[chosen] - 0.5 * lambda * dotVectors(k, step, step);
    const rho = (lossAfter - lossBefore) / predicted;
    let rate = 1;
    if (this.options.lineSearch) ({ rate, lossAfter } = this.lineSearch(net, b, step, g, batch, lossBefore, lossAfter));
    const accepted = rate > 0 && lossAfter < lossBefore;
    copyVector(k, valuesOf(net), b.theta);
    if (accepted) axpyVectors(k, valuesOf(net), step, 1);
    // A prediction below the loss's rounding is not tested by the loss (ρ would be rounding over it):
    // the model is not contradicted, and λ shrinks as after a good prediction, until the steps grow
    // to a change the loss can read. Growing λ on that noise froze float32 runs on a plateau.
    if (!predictionReadable(predicted, lossBefore, k.precision)) this.lambda = Math.max(lambda * LM_SHRINK, LAMBDA_MIN);
    else if (!(rho >= LM_LOW)) this.lambda = Math.min(lambda * LM_GROW, LAMBDA_MAX);
    else if (rho > LM_HIGH) this.lambda = Math.max(lambda * LM_SHRINK, LAMBDA_MIN);
    this.lastReport = {
      iterations: this.snapshotIteration[stored - 1],
      chosenIteration: this.snapshotIteration[chosen],
      lossBefore,
      lossAfter: accepted ? lossAfter : lossBefore,
      rate: accepted ? rate : 0,
      rho,
      predicted,
      lambda,
      nextLambda: this.lambda,
      accepted,
      curvatureRows: m,
    };
  }

  /**
   * Preconditioned CG on (G + λI)·x = −g from x = decay·x_prev; returns how many iterates it stored
   * in b.snapshots (the last one is the final iterate).
   */
  private conjugateGradient(k: Kernels, b: Buffers<Tensor>, g: ParamVector, m: number, lambda: number): number {
    const { maxIterations, minIterations, decay } = this.options;
    const product = this.product!;
    const curvature = (out: ParamVector, v: ParamVector) => {
      product.apply(out, v, m);
      axpyVectors(k, out, v, lambda);
    };
    const precondition = () => {
      if (this.options.preconditioner) mulVectors(k, b.y, b.inverseM, b.r);
      else copyVector(k, b.y, b.r);
    };
    // r = A·x₀ + g: the gradient of q at x₀.
    scaleVector(k, b.x, decay);
    curvature(b.r, b.x);
    axpyVectors(k, b.r, g, 1);
    let xg = dotVectors(k, b.x, g);
    this.q[0] = 0.5 * (dotVectors(k, b.x, b.r) + xg);
    if (!(this.q[0] < 0)) {
      // A warm start that does not lower q is worse than none.
      scaleVector(k, b.x, 0);
      copyVector(k, b.r, g);
      xg = 0;
      this.q[0] = 0;
    }
    precondition();
    copyVector(k, b.p, b.y);
    scaleVector(k, b.p, -1);
    let ry = dotVectors(k, b.r, b.y);
    let stored = 0;
    let i = 0;
    while (i < maxIterations) {
      curvature(b.ap, b.p);
      const pAp = dotVectors(k, b.p, b.ap);
      // G + λI is positive definite: anything else is rounding or a non-finite value; stop here.
      if (!(pAp > 0) || !Number.isFinite(ry)) break;
      const alpha = ry / pAp;
      axpyVectors(k, b.x, b.p, alpha);
      axpyVectors(k, b.r, b.ap, alpha);
      i++;
      xg = dotVectors(k, b.x, g);
      const q = 0.5 * (dotVectors(k, b.x, b.r) + xg);
      this.q[i] = q;
      if (stored < this.schedule.length && this.schedule[stored] === i) stored = this.store(k, b, stored, i, q);
      const window = Math.max(MIN_WINDOW, Math.ceil(0.1 * i));
      if (i >= minIterations && i > window && q < 0 && (q - this.q[i - window]) / q < window * PROGRESS_EPSILON) break;
      precondition();
      const ryNext = dotVectors(k, b.r, b.y);
      scaleVector(k, b.p, ryNext / ry);
      axpyVectors(k, b.p, b.y, -1);
      ry = ryNext;
    }
    // The final iterate is always a candidate (unless it was just stored).
    if (stored === 0 || this.snapshotIteration[stored - 1] !== i) stored = this.store(k, b, stored, i, this.q[i]);
    return stored;
  }

  private store(k: Kernels, b: Buffers<Tensor>, slot: number, iteration: number, q: number): number {
    b.snapshots[slot] ??= allocVector(k, b.x.map((t) => t.length));
    copyVector(k, b.snapshots[slot], b.x);
    this.snapshotQ[slot] = q;
    this.snapshotIteration[slot] = iteration;
    return slot + 1;
  }

  /**
   * Martens' backtracking line search along `step` (scaled in place to rate·step): the rate and the
   * batch loss there, rate 0 where 60 reductions by 0.8 did not meet the Armijo condition.
   * `lossAfter` is the loss at the whole step.
   */
  private lineSearch(net: Trainable, b: Buffers<Tensor>, step: ParamVector, g: ParamVector, batch: number, lossBefore: number, lossAfter: number): { rate: number; lossAfter: number } {
    const k = net.kernels;
    const slope = dotVectors(k, step, g);
    let rate = 1;
    for (let reductions = 0; !(lossAfter <= lossBefore + ARMIJO_C * rate * slope); ) {
      if (++reductions === LINE_SEARCH_REDUCTIONS) return { rate: 0, lossAfter: lossBefore };
      rate *= LINE_SEARCH_SHRINK;
      scaleVector(k, step, LINE_SEARCH_SHRINK);
      lossAfter = this.lossAt(net, b, step, batch);
    }
    return { rate, lossAfter };
  }

  /** Mean loss over the batch at θ₀ + step (θ₀ in b.theta); leaves θ there. */
  private lossAt(net: Trainable, b: Buffers<Tensor>, step: ParamVector, batch: number): number {
    const k = net.kernels;
    const theta = valuesOf(net);
    copyVector(k, theta, b.theta);
    axpyVectors(k, theta, step, 1);
    net.forward(batch, 'batch');
    const loss = net.lossOfLastForward(batch);
    return Number.isFinite(loss) ? loss : Infinity;
  }

  /**
   * M⁻¹ = (diag(mean_x g_x²) + λ)^(−¾). Per-sample gradients of a dense layer are δ_x·a_xᵀ with
   * δ_x = batch·deltas[x] (deltas hold ∂(mean loss)/∂z), so mean_x g_x² = batch·Σ_x δ²·(a²)ᵀ.
   */
  private updatePreconditioner(net: Model, batch: number, lambda: number): void {
    const k = net.kernels;
    const b = this.buffers!;
    const s = this.squares!;
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l];
      const nOut = net.sizes[l + 1];
      k.mul(s.deltas, net.deltas[l], net.deltas[l], batch * nOut);
      k.mul(s.inputs, net.activations[l], net.activations[l], batch * nIn);
      k.zero(b.diagonal[2 * l]);
      k.zero(b.diagonal[2 * l + 1]);
      k.denseBackwardWeights(b.diagonal[2 * l], s.deltas, s.inputs, batch, nIn, nOut);
      k.denseBackwardBias(b.diagonal[2 * l + 1], s.deltas, batch, nOut);
    }
    for (let i = 0; i < b.diagonal.length; i++) k.martensPreconditioner(b.inverseM[i], b.diagonal[i], b.diagonal[i].length, batch, lambda);
  }

  /** The same M⁻¹ on a block network, its diagonal from net.squaredGradients() (batch·Σ_rows share², as above). */
  private updateBlockPreconditioner(net: Trainable, batch: number, lambda: number): void {
    const k = net.kernels;
    const b = this.buffers!;
    for (const t of b.diagonal) k.zero(t);
    net.squaredGradients!(b.diagonal, batch);
    for (let i = 0; i < b.diagonal.length; i++) k.martensPreconditioner(b.inverseM[i], b.diagonal[i], b.diagonal[i].length, batch, lambda);
  }

  private ensureBuffers(net: Trainable, batch: number, m: number): Buffers<Tensor> {
    const k = net.kernels;
    const dense = this.dense;
    if (!this.buffers) {
      const lengths = parameterLengths(net);
      const vector = () => allocVector(k, lengths);
      this.buffers = {
        x: vector(), r: vector(), y: vector(), p: vector(), ap: vector(),
        inverseM: vector(), diagonal: vector(), theta: vector(), gradient: dense ? null : vector(), snapshots: [],
      };
    }
    if (!this.product || (dense && this.productRows < m)) {
      this.product?.dispose();
      this.product = dense ? new GaussNewtonProduct(dense, m) : net.gaussNewton!();
      this.productRows = m;
    }
    if (dense && this.options.preconditioner && (!this.squares || this.squares.rows < batch)) {
      const width = Math.max(...dense.sizes);
      // The new ones had before the old are freed: a failed growth keeps the old, never freed handles.
      const grown = k.allOrNothing(() => ({ deltas: k.alloc(batch * width), inputs: k.alloc(batch * width), rows: batch }));
      if (this.squares) [this.squares.deltas, this.squares.inputs].forEach((t) => k.free(t));
      this.squares = grown;
    }
    return this.buffers;
  }

  state(): OptimizerState {
    assertNotDisposed(this);
    const k = this.net.kernels;
    return {
      name: this.name,
      scalars: { lambda: this.lambda, ...recordedScalars({ ...this.options }) },
      tensors: this.buffers ? vectorToArrays(k, this.buffers.x) : [],
    };
  }

  /**
   * Continues from a state() taken on a network of the same shape, checked before anything changes:
   * its options must be this optimiser's (recorded-settings.ts; it takes no learning rate), and CG's
   * warm start finite.
   */
  restore(state: OptimizerState): void {
    assertNotDisposed(this);
    const where = 'hessian-free: restore';
    checkStateKind(state, where, this.name);
    const lambda = checkStateScalar(STATE_RANGES['hessian-free'].lambda, state.scalars?.lambda, `${where}: scalars.lambda`, this.options.damping);
    checkRecordedHyperparameters(state, where, this.name, { ...this.options }, { defaults: HESSIAN_FREE_DEFAULTS });
    const tensors = restoredTensors(state, where);
    const lengths = parameterLengths(this.net);
    if (tensors.length !== 0 && (tensors.length !== lengths.length || tensors.some((t, i) => t.length !== lengths[i]))) {
      throw invalidOption(`${where}: expected ${lengths.length} tensors of lengths ${lengths.map(grouped).join(', ')}, or none: the state does not fit this network`);
    }
    tensors.forEach((t, j) => {
      const i = t.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) throw invalidOption(`${where}: tensors[${j}][${i}] is ${t[i]} (CG's warm start); expected a finite number`);
    });
    // Checked: now change things.
    this.lambda = lambda;
    if (tensors.length === 0) {
      if (this.buffers) scaleVector(this.net.kernels, this.buffers.x, 0);
      return;
    }
    const k = this.net.kernels;
    this.buffers ??= this.ensureBuffers(this.net, 1, 1);
    this.buffers.x.forEach((t, i) => k.write(t, tensors[i]));
  }

  protected freeHeld(): void {
    this.net.onDispose.delete(this.release);
    const k = this.net.kernels;
    if (this.buffers) {
      const { snapshots, gradient, ...vectors } = this.buffers;
      Object.values(vectors).forEach((v) => freeVector(k, v));
      if (gradient) freeVector(k, gradient);
      snapshots.forEach((v) => freeVector(k, v));
      this.buffers = undefined;
    }
    this.product?.dispose();
    this.product = undefined;
    if (this.squares) [this.squares.deltas, this.squares.inputs].forEach((t) => k.free(t));
    this.squares = undefined;
  }
}
