/**
 * L-BFGS (Liu & Nocedal 1989) with a strong-Wolfe line search, after PyTorch's torch.optim.LBFGS:
 * one iteration per step on the loaded batch (use the full data set or a large batch), history of
 * the last `memory` pairs s = Δw, y = Δ∇C, the two-loop recursion with H₀ = (sᵀy / yᵀy)·I, and
 * cubic interpolation in the line search. Each trial point is a feedforward + backprop of the loaded
 * batch. Vectors live in the backend's memory and go through the dot/axpy/scale kernels.
 */
import { invalidOption } from '../errors.js';
import { trainableOf, type ModelOwner, type Parameter, type Trainable } from '../model.js';
import type { Tensor } from '../kernels.js';
import { lossAndGradient } from './loaded-batch.js';
import { assertNotDisposed, checkStateKind, checkStepBatch, checkStepNetwork, checkStepRate, restoredTensors, TracksDisposal, stateTensorMismatch, type Optimizer, type OptimizerState } from './optimizer.js';
import { checkKnownKeys } from './options.js';
import { checkRecordedHyperparameters, recordedScalars, restoredLearningRate, type Hyperparameters } from './recorded-settings.js';
import { apart, numberText } from '../number-text.js';
import { checkSetting } from './setting-ranges.js';
import { checkStateScalar, STATE_RANGES } from './state-ranges.js';
import { allocVectors, axpyAll, dotAll, freeVectors, maxAbsAll, scaleAll, setAll, sumAbsAll, type Vectors } from './vectors.js';

/** L-BFGS's options (name 'lbfgs'), each with its default. */
export interface LbfgsOptions {
  /** Pairs (s, y) kept (default 10). */
  memory?: number;
  /** The first trial step of each line search (default 1; the first iteration starts at min(1, 1/‖g‖₁)·lr). */
  learningRate?: number;
  /** Sufficient decrease (Armijo) constant c1 (default 1e-4). */
  c1?: number;
  /** Curvature constant c2 of the strong Wolfe conditions (default 0.9). */
  c2?: number;
  /** Loss-and-gradient evaluations allowed per line search (default 25). */
  maxEvaluations?: number;
}

export const LBFGS_DEFAULTS = { memory: 10, learningRate: 1, c1: 1e-4, c2: 0.9, maxEvaluations: 25 } as const;
/** The line search stops when the bracket is this narrow (times max |d|): PyTorch's tolerance_change. */
const BRACKET_TOLERANCE = 1e-9;
/** A pair with sᵀy below this is not positive curvature and is not stored. */
export const CURVATURE_FLOOR = 1e-10;

/** L-BFGS with a strong-Wolfe line search, one iteration per step on the loaded batch (defaults: memory 10, lr 1, c1 1e-4, c2 0.9, 25 evaluations). */
export class Lbfgs extends TracksDisposal implements Optimizer {
  readonly name = 'lbfgs';
  readonly recomputesGradient = true;
  /**
   * The first trial step of each line search when train() is given no learning rate (default 1,
   * or options.learningRate); restore() takes the state's, as PyTorch's load_state_dict restores lr.
   */
  get defaultLearningRate(): number {
    return this.ownLearningRate;
  }
  private ownLearningRate: number;
  /** Pairs (s, y) kept (default 10). */
  readonly memory: number;
  /** Sufficient-decrease (Armijo) constant (default 1e-4). */
  readonly c1: number;
  /** Curvature constant of the strong Wolfe conditions (default 0.9). */
  readonly c2: number;
  /** Loss-and-gradient evaluations allowed per line search (default 25). */
  readonly maxEvaluations: number;
  /** Loss-and-gradient evaluations of the last step's line search. */
  lastEvaluations = 0;

  private readonly params: readonly Parameter[];
  private readonly values: Vectors;
  private readonly grads: Vectors;
  private work: { d: Vectors; w0: Vectors; g0: Vectors; s: Vectors[]; y: Vectors[] } | undefined;
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private count = 0;
  private newest = -1;
  private gamma = 1;
  /** Loss and directional derivative of the last evaluate(). */
  private f = 0;
  private gtd = 0;
  /** Bracket of the zoom phase: [t, f, gtd] of two points. */
  private readonly bracket = new Float64Array(6);
  private readonly release = () => this.freeWork();

  private readonly net: Trainable;

  /** The model this optimiser was created for. */
  get model(): Trainable {
    return this.net;
  }

  constructor(owner: ModelOwner, options: LbfgsOptions = {}) {
    super();
    const net = (this.net = trainableOf(owner, 'lbfgs'));
    checkKnownKeys(options, Object.keys(LBFGS_DEFAULTS), 'lbfgs');
    this.memory = checkSetting('lbfgs', 'memory', options.memory, LBFGS_DEFAULTS.memory);
    this.ownLearningRate = checkSetting('lbfgs', 'learningRate', options.learningRate, LBFGS_DEFAULTS.learningRate);
    this.c1 = checkSetting('lbfgs', 'c1', options.c1, LBFGS_DEFAULTS.c1);
    this.c2 = checkSetting('lbfgs', 'c2', options.c2, LBFGS_DEFAULTS.c2, { c1: this.c1 });
    this.maxEvaluations = checkSetting('lbfgs', 'maxEvaluations', options.maxEvaluations, LBFGS_DEFAULTS.maxEvaluations);
    this.params = net.parameters();
    this.values = this.params.map((p) => p.value);
    this.grads = this.params.map((p) => p.grad);
    this.rho = new Float64Array(this.memory);
    this.alpha = new Float64Array(this.memory);
  }

  private buffers() {
    if (this.work) return this.work;
    const k = this.net.kernels;
    const vectors = () => allocVectors(k, this.params);
    // A failed allocation (out of memory) frees what this one had taken: nothing is held until all are.
    this.work = k.allOrNothing(() => ({
      d: vectors(),
      w0: vectors(),
      g0: vectors(),
      s: Array.from({ length: this.memory }, vectors),
      y: Array.from({ length: this.memory }, vectors),
    }));
    this.net.onDispose.add(this.release);
    return this.work;
  }

  step(net: Trainable, learningRate: number, batch: number): void {
    checkStepNetwork(this, net, this.net);
    checkStepRate(this, learningRate);
    checkStepBatch(this, net, batch);
    const k = net.kernels;
    const { d, w0, g0, s, y } = this.buffers();
    const f0 = net.lossOfLastForward(batch);
    this.lastEvaluations = 0;

    this.direction(d);
    let gtd0 = dotAll(k, this.grads, d);
    if (!(gtd0 < 0)) {
      // Not a descent direction (stale curvature after a change of batch): start over from −g.
      this.count = 0;
      setAll(k, d, this.grads);
      scaleAll(k, d, -1);
      gtd0 = dotAll(k, this.grads, d);
      if (!(gtd0 < 0)) return; // ∇C = 0: at a stationary point
    }
    const t0 = this.count === 0 ? Math.min(1, 1 / sumAbsAll(k, this.grads)) * learningRate : learningRate;

    setAll(k, w0, this.values);
    setAll(k, g0, this.grads);
    const t = this.lineSearch(batch, t0, f0, gtd0, maxAbsAll(k, d));
    if (!(this.f < f0)) {
      // No decrease found: stay at w0 and forget the curvature pairs that proposed this direction.
      setAll(k, this.values, w0);
      this.count = 0;
      return;
    }

    const slot = (this.newest + 1) % this.memory;
    setAll(k, s[slot], d);
    scaleAll(k, s[slot], t);
    setAll(k, y[slot], this.grads);
    axpyAll(k, y[slot], g0, -1);
    const sy = dotAll(k, s[slot], y[slot]);
    if (sy > CURVATURE_FLOOR) {
      this.newest = slot;
      this.count = Math.min(this.count + 1, this.memory);
      this.rho[slot] = 1 / sy;
      this.gamma = sy / dotAll(k, y[slot], y[slot]);
    }
  }

  /** d = −H·g by the two-loop recursion over the stored pairs (−g when there are none). */
  private direction(d: Vectors): void {
    const k = this.net.kernels;
    const { s, y } = this.work!;
    setAll(k, d, this.grads);
    const m = this.memory;
    for (let j = 0; j < this.count; j++) {
      const i = (this.newest - j + m) % m;
      this.alpha[i] = this.rho[i] * dotAll(k, s[i], d);
      axpyAll(k, d, y[i], -this.alpha[i]);
    }
    if (this.count > 0) scaleAll(k, d, this.gamma);
    for (let j = this.count - 1; j >= 0; j--) {
      const i = (this.newest - j + m) % m;
      const beta = this.rho[i] * dotAll(k, y[i], d);
      axpyAll(k, d, s[i], this.alpha[i] - beta);
    }
    scaleAll(k, d, -1);
  }

  /** Moves the weights to w0 + t·d and sets f, gtd (and the gradient) there. */
  private evaluate(batch: number, t: number): void {
    const k = this.net.kernels;
    const { d, w0 } = this.work!;
    setAll(k, this.values, w0, d, t);
    this.f = lossAndGradient(this.net, batch);
    this.gtd = dotAll(k, this.grads, d);
    this.lastEvaluations++;
    // An overflowing trial point is just a bad one: as +Inf it brackets the minimum and loses every comparison.
    if (!(this.f < Infinity) || Number.isNaN(this.gtd)) {
      this.f = Infinity;
      this.gtd = Infinity;
    }
  }

  /**
   * PyTorch's _strong_wolfe: extrapolate until the minimum is bracketed, then zoom by cubic
   * interpolation. Leaves the weights at w0 + t·d for the returned t, with f and the gradient there.
   */
  private lineSearch(batch: number, t: number, f0: number, gtd0: number, dMax: number): number {
    const { c1, c2 } = this;
    const b = this.bracket;
    let tPrev = 0;
    let fPrev = f0;
    let gPrev = gtd0;
    this.evaluate(batch, t);
    let done = false;
    let bracketed = false;
    while (this.lastEvaluations < this.maxEvaluations) {
      if (this.f > f0 + c1 * t * gtd0 || (this.lastEvaluations > 1 && this.f >= fPrev) || this.gtd >= 0) {
        setPoint(b, 0, tPrev, fPrev, gPrev);
        setPoint(b, 1, t, this.f, this.gtd);
        bracketed = true;
        break;
      }
      if (Math.abs(this.gtd) <= -c2 * gtd0) {
        done = true;
        break;
      }
      const next = cubicMinimum(tPrev, fPrev, gPrev, t, this.f, this.gtd, t + 0.01 * (t - tPrev), 10 * t);
      tPrev = t;
      fPrev = this.f;
      gPrev = this.gtd;
      t = next;
      this.evaluate(batch, t);
    }
    if (done) return t;
    if (!bracketed) {
      if (this.f < f0 && Number.isFinite(this.f)) return t; // out of evaluations while still descending
      setPoint(b, 0, 0, f0, gtd0);
      setPoint(b, 1, t, this.f, this.gtd);
    }

    // Zoom: low is the point of the bracket with the smaller loss.
    let low = b[1] <= b[4] ? 0 : 1;
    let insufficientProgress = false;
    let lastT = t;
    while (this.lastEvaluations < this.maxEvaluations) {
      if (Math.abs(b[3] - b[0]) * dMax < BRACKET_TOLERANCE) break;
      const lo = Math.min(b[0], b[3]);
      const hi = Math.max(b[0], b[3]);
      t = cubicMinimum(b[0], b[1], b[2], b[3], b[4], b[5], lo, hi);
      // Keep away from the ends of the bracket, so it shrinks by at least a tenth.
      const margin = 0.1 * (hi - lo);
      if (Math.min(hi - t, t - lo) < margin) {
        if (insufficientProgress || t >= hi || t <= lo) {
          t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - margin : lo + margin;
          insufficientProgress = false;
        } else insufficientProgress = true;
      } else insufficientProgress = false;
      this.evaluate(batch, t);
      lastT = t;
      const high = 1 - low;
      if (this.f > f0 + c1 * t * gtd0 || this.f >= b[3 * low + 1]) {
        setPoint(b, high, t, this.f, this.gtd);
        low = b[1] <= b[4] ? 0 : 1;
      } else {
        if (Math.abs(this.gtd) <= -c2 * gtd0) done = true;
        else if (this.gtd * (b[3 * high] - b[3 * low]) >= 0) setPoint(b, high, b[3 * low], b[3 * low + 1], b[3 * low + 2]);
        setPoint(b, low, t, this.f, this.gtd);
        if (done) break;
      }
    }
    const best = b[3 * low];
    if (best !== lastT) this.evaluate(batch, best); // the gradient must be the one at the accepted point
    return best;
  }

  /** The hyperparameters state() records besides the learning rate (restore refuses others: recorded-settings.ts). */
  private hyperparameters(): Hyperparameters {
    return { memory: this.memory, c1: this.c1, c2: this.c2, maxEvaluations: this.maxEvaluations };
  }

  /** The curvature pairs, oldest first, with the learning rate and hyperparameters (for checkpoints). */
  state(): OptimizerState {
    assertNotDisposed(this);
    const k = this.net.kernels;
    const tensors: Float32Array[] = [];
    if (this.work) {
      // Oldest pair first, s then y, one tensor per parameter.
      for (let j = this.count - 1; j >= 0; j--) {
        const i = (this.newest - j + this.memory) % this.memory;
        for (const list of [this.work.s[i], this.work.y[i]]) list.forEach((t: Tensor) => tensors.push(Float32Array.from(k.view(t))));
      }
    }
    return { name: this.name, scalars: { learningRate: this.ownLearningRate, ...recordedScalars(this.hyperparameters()), pairs: this.count }, tensors };
  }

  /**
   * Continues from a state() taken on a network of the same shape, checked before anything changes:
   * its learning rate becomes defaultLearningRate and its hyperparameters must be this optimiser's
   * (recorded-settings.ts); each pair's values finite, with sᵀy > 1e-10 as the kernels
   * compute it over the values held (float32 on WASM: a pair positive in float64 can round to sᵀy ≤ 0),
   * as only such pairs are stored; the newest with yᵀy finite and > 0 (γ = sᵀy/yᵀy scales the first direction).
   */
  restore(state: OptimizerState): void {
    assertNotDisposed(this);
    const where = 'lbfgs: restore';
    checkStateKind(state, where, this.name);
    const learningRate = restoredLearningRate(state, where, this.ownLearningRate);
    checkRecordedHyperparameters(state, where, this.name, this.hyperparameters(), { defaults: LBFGS_DEFAULTS });
    const pairs = checkStateScalar(STATE_RANGES.lbfgs.pairs, state.scalars?.pairs, `${where}: scalars.pairs`, 0, { memory: this.memory });
    const tensors = restoredTensors(state, where);
    const perPair = 2 * this.params.length;
    if (tensors.length !== pairs * perPair) throw invalidOption(`${where}: ${pairs} pairs need ${pairs * perPair} tensors, got ${tensors.length}`);
    tensors.forEach((t, j) => {
      const p = this.params[j % this.params.length];
      if (t.length !== p.length) throw stateTensorMismatch(where, j, t, p);
      const i = t.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) throw invalidOption(`${where}: tensors[${j}][${i}] is ${t[i]} (${Math.floor(j / this.params.length) % 2 === 0 ? 's' : 'y'} of pair ${Math.floor(j / perPair)}, ${p.name}); expected a finite number`);
    });
    const curvature = pairs === 0 ? undefined : this.checkedCurvature(tensors, pairs, where);
    // Checked (and allocated): now change things.
    this.ownLearningRate = learningRate;
    if (!curvature) {
      this.count = 0;
      this.newest = -1;
      return;
    }
    const k = this.net.kernels;
    const { s, y } = this.buffers();
    for (let i = 0; i < pairs; i++) {
      this.params.forEach((_, p) => {
        k.write(s[i][p], tensors[i * perPair + p]);
        k.write(y[i][p], tensors[i * perPair + this.params.length + p]);
      });
      this.rho[i] = curvature.rho[i];
    }
    this.gamma = curvature.gamma;
    this.count = pairs;
    this.newest = pairs - 1;
  }

  /** restoredCurvature, whose refusal frees the buffers it allocated: a refused restore holds no more memory than before. */
  private checkedCurvature(tensors: readonly ArrayLike<number>[], pairs: number, where: string): { rho: number[]; gamma: number } {
    const allocated = this.work === undefined;
    try {
      return this.restoredCurvature(tensors, pairs, where);
    } catch (error) {
      if (allocated) this.freeWork();
      throw error;
    }
  }

  /**
   * Each pair's 1/sᵀy and the newest one's γ = sᵀy/yᵀy, computed as step() computes them, over the
   * values as the kernels hold them: each pair is written into the scratch vectors w0 and g0 (which
   * hold nothing between steps), so the pairs held are not touched before every pair has passed.
   * INVALID_OPTION for a pair with sᵀy not finite and > 0, or a newest one with yᵀy not so. Allocates
   * the buffers first (out of memory throws here, before anything changes).
   */
  private restoredCurvature(tensors: readonly ArrayLike<number>[], pairs: number, where: string): { rho: number[]; gamma: number } {
    const k = this.net.kernels;
    const { w0: s, g0: y } = this.buffers();
    const perPair = 2 * this.params.length;
    const rho: number[] = [];
    let gamma = 1;
    for (let i = 0; i < pairs; i++) {
      this.params.forEach((_, p) => {
        k.write(s[p], tensors[i * perPair + p]);
        k.write(y[p], tensors[i * perPair + this.params.length + p]);
      });
      // The two-loop recursion divides by sᵀy and scales by sᵀy/yᵀy: step() stores a pair only when sᵀy > CURVATURE_FLOOR.
      const sy = dotAll(k, s, y);
      // The floor step() stores by: a pair it would not store (ρ = 1/sᵀy up to 10¹⁰ and beyond) is refused.
      if (!(sy > CURVATURE_FLOOR && sy < Infinity)) {
        // Printed apart: 9.9999e-11 to 3 digits would read '1.00e-10', as if at the floor.
        const [syText, floorText] = apart([sy, CURVATURE_FLOOR]);
        throw invalidOption(`${where}: pair ${i} has sᵀy = ${syText} over its values as held; expected a finite number > ${floorText} (a pair of positive curvature, as step() stores)`);
      }
      rho.push(1 / sy);
      if (i < pairs - 1) continue;
      const yy = dotAll(k, y, y);
      if (!(yy > 0 && yy < Infinity)) throw invalidOption(`${where}: pair ${i}, the newest, has yᵀy = ${numberText(yy)} over its values as held; expected a finite number > 0 (γ = sᵀy/yᵀy scales the first direction)`);
      gamma = sy / yy;
    }
    return { rho, gamma };
  }

  protected freeHeld(): void {
    if (this.net.isDisposed) return; // its dispose() ran release, and every other member of it throws DISPOSED
    this.freeWork();
    this.net.onDispose.delete(this.release);
  }

  private freeWork(): void {
    if (!this.work) return;
    const k = this.net.kernels;
    for (const v of [this.work.d, this.work.w0, this.work.g0, ...this.work.s, ...this.work.y]) freeVectors(k, v);
    this.work = undefined;
    this.count = 0;
    this.newest = -1;
  }
}

function setPoint(b: Float64Array, slot: number, t: number, f: number, gtd: number): void {
  b[3 * slot] = t;
  b[3 * slot + 1] = f;
  b[3 * slot + 2] = gtd;
}

/**
 * The minimiser, clamped to [lo, hi], of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2
 * (Nocedal & Wright eq. 3.59); the midpoint when the cubic has no minimum or a value is not finite.
 */
export function cubicMinimum(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lo: number, hi: number): number {
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Squared = d1 * d1 - g1 * g2;
  if (d2Squared >= 0) {
    const d2 = Math.sqrt(d2Squared);
    const t = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    if (Number.isFinite(t)) return Math.min(Math.max(t, lo), hi);
  }
  return (lo + hi) / 2;
}
