/**
 * What every first-order optimiser shares: the per-layer learning-rate multipliers, weight decay,
 * the step count, per-parameter state buffers in the backend's memory (allocated at the first step),
 * and checkpoints. A subclass checks its own options after the base's, says how many buffers a
 * parameter needs (buffersPerParameter, asked when they are allocated) and runs its update kernel.
 * A step allocates nothing: the parameter list is taken once, the loop calls one kernel per tensor.
 */
import { invalidOption } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { trainableOf, type ModelOwner, type Parameter, type Trainable, type UpdateStatistics } from '../model.js';
import { assertNotDisposed, checkStateKind, checkStepNetwork, checkStepRate, measuredBounds, restoredTensors, TracksDisposal, STEP_BOUNDS, stateTensorMismatch, type Optimizer, type OptimizerState } from './optimizer.js';
import { checkBoolean, checkKnownKeys, checkLayerRates } from './options.js';
import { checkRecordedHyperparameters, recordedScalars, restoredLearningRate, type Hyperparameters } from './recorded-settings.js';
import { checkNumber, float32Overflows, float32Problem, float32Underflows, type Bound } from '../checks.js';
import { FIRST_ORDER_RANGES } from './setting-ranges.js';
import { FLOAT32_MAX } from '../model-limits.js';
import { checkStateScalar, FIRST_ORDER_STATE } from './state-ranges.js';
import { largestWithin } from '../optimizer-defaults.js';
import { apart, givenFloat32Text, numberText } from '../number-text.js';

/**
 * Where stepKeepsWithin finds each number in its query: the step's (learning rate at the largest
 * layer rate) and measureBuffer's result; and where provesStep writes the bound it proved (after).
 */
export const QUERY = { limit: 0, gradientMax: 1, weightMax: 2, learningRate: 3, buffer: 4, after: 5 } as const;

/**
 * Slack on a bound computed in float64 for kernels that round every operation to float32: a bound
 * is trusted only this far inside a limit (the kernels' relative rounding is below 2⁻²³ per operation).
 */
const ROUNDING_SLACK = 1 + 2 ** -16;

/** Whether `bound` (a float64 upper bound of a float32 computation) is provably within `limit`. */
export function provablyWithin(bound: number, limit: number): boolean {
  return bound * ROUNDING_SLACK <= limit;
}

/** Whether float32 can hold every intermediate bounded by `bound` (a NaN or Inf bound says no). */
export function fitsFloat32(bound: number): boolean {
  return provablyWithin(bound, FLOAT32_MAX);
}

/**
 * stepKeepsWithin's answer from its float64 bound on every |parameter| after the step: whether
 * the float32 intermediates fit (`fits`) and the bound is provably within the query's limit. Writes
 * q[QUERY.after], the bound with the kernels' rounding on it, which keepsWithin hands on.
 */
export function provesStep(q: Float64Array, fits: boolean, bound: number): boolean {
  q[QUERY.after] = bound * ROUNDING_SLACK;
  return fits && provablyWithin(bound, q[QUERY.limit]);
}

/**
 * The largest |lr·g / (√s + ε)| of an adaptive step (Adagrad, RMSProp) whose sum of squares s
 * holds at least `share`·g²: lr/√share while `share`·g² is a normal float32, else (g too small for
 * its square to count) at most lr·2⁻⁶³/(√share·ε), ε as float32 holds it. Infinity when ε rounds
 * to 0 in float32 or `share` does (nothing bounds the step then).
 */
export function adaptiveStepBound(learningRate: number, share: number, epsilon: number): number {
  const epsilon32 = Math.fround(epsilon);
  const share32 = Math.fround(share);
  if (epsilon32 === 0 || share32 === 0) return Infinity;
  return (learningRate / Math.sqrt(share32)) * Math.max(1, 2 ** -63 / epsilon32);
}

/**
 * Whether an adaptive step (Adagrad, RMSProp) provably keeps the weights within the query's limit:
 * the L2-decayed gradient g' = g + λw, its square and lr·g' fit float32, and the step is bounded by
 * adaptiveStepBound(lr, share, ε) (its sum of squares holds at least `share`·g'²).
 */
export function adaptiveStepKeepsWithin(q: Float64Array, weightDecay: number, share: number, epsilon: number): boolean {
  const weightMax = q[QUERY.weightMax];
  const learningRate = q[QUERY.learningRate];
  const decayed = q[QUERY.gradientMax] + weightDecay * weightMax;
  const fits = fitsFloat32(decayed * decayed) && fitsFloat32(learningRate * decayed);
  return provesStep(q, fits, weightMax + adaptiveStepBound(learningRate, share, epsilon));
}

/**
 * The options every first-order optimiser (SGD, Adagrad, RMSProp, Adam, AdamW, LARS) takes beside its
 * own, each with its default. Each number here and among an optimiser's own is held as float32: a
 * value > 0 is refused (INVALID_OPTION) below 2⁻¹²⁶ (float32's smallest normal number: 0 or
 * subnormal there) and above 3.4028234663852886e38 (float32's largest: Infinity there), as is a
 * learning rate that, times a layer rate, is either.
 */
export interface FirstOrderOptions {
  /**
   * Learning-rate multiplier per weight layer, first layer first (default: all 1); in a block
   * network, per parameterised layer in forward order (Parameter.group: dense, batch and layer
   * norm, ReZero's α, nested ones included).
   */
  layerRates?: ArrayLike<number>;
  /**
   * Weight decay λ ≥ 0 (the L2 form g + λ·w, except AdamW's decoupled one; default 0). Where the
   * update multiplies w by 1 − lr·λ (SGD; AdamW's decoupled form), a learning rate at which some
   * layer's step size × λ is above 2 (with SGD's momentum μ, 2(1 + μ); Nesterov's, 2(1 + μ)/(1 + 2μ))
   * is refused by train() before any step and by step() (INVALID_OPTION): the decay alone would grow
   * the weights; the optimiser's largestWeightDecay(learningRate) is the largest taken. LARS's bound is
   * its momentum's, 2(1 + μ): a layer whose gradient is negligible takes the decay unscaled. Adam's,
   * RMSProp's and Adagrad's steps set their own size, and float32 alone bounds λ.
   */
  weightDecay?: number;
  /**
   * Whether weightDecay applies to the biases too (default true, PyTorch's convention: every
   * parameter). false decays the dense weight matrices only (not biases, nor batch or layer norm's
   * scales and shifts, nor ReZero's α), as L2 regularisation is usually written and as
   * Nielsen's network2.py does: w ← (1 − η·λ/n)·w − η·∂C/∂w, b ← b − η·∂C/∂b, which is
   * `{ weightDecay: λ / n, decayBiases: false }` with plain SGD.
   */
  decayBiases?: boolean;
  /** The learning rate used when train() is given none (default: the optimiser's own, e.g. SGD 0.1, Adam 1e-3). */
  learningRate?: number;
}

export const FIRST_ORDER_KEYS = ['layerRates', 'weightDecay', 'decayBiases', 'learningRate'] as const;

/** Every option key a first-order optimiser with its `own` keys takes (its constructor's check and the registry's table). */
export const firstOrderKeys = (own: readonly string[]): readonly string[] => [...FIRST_ORDER_KEYS, ...own];

/** decayBiases when the options give none: the decay reaches the biases too, as PyTorch's weight_decay does. */
const DECAY_BIASES = true;

/** Whether a first-order optimiser's weight decay reaches `p`: a weight matrix always, any other parameter (biases) only with `decayBiases`. */
export function decayReaches(p: Parameter, decayBiases: boolean): boolean {
  return p.weightMatrix || decayBiases;
}

export abstract class FirstOrderOptimizer extends TracksDisposal implements Optimizer {
  /**
   * The learning rate train() uses when it is given none (the optimiser's default unless
   * options.learningRate). restore() sets it to the state's learningRate, as PyTorch's
   * load_state_dict restores each param group's lr.
   */
  get defaultLearningRate(): number {
    return this.ownLearningRate;
  }
  private ownLearningRate: number;
  /** Learning-rate multiplier per weight layer, first layer first (default: all 1). */
  readonly layerRates: Float64Array;
  /** Weight decay λ (default 0; AdamW 0.01). */
  readonly weightDecay: number;
  /** The model it updates. */
  protected readonly net: Trainable;
  /** Whether weightDecay applies to the biases too (default true). */
  readonly decayBiases: boolean;
  /** The weight decay when the options give none (0; AdamW's 0.01). */
  private readonly defaultWeightDecay: number;

  /** The model this optimiser was created for. */
  get model(): Trainable {
    return this.net;
  }
  /** The model's parameters, taken once at construction. */
  protected readonly params: readonly Parameter[];
  /** The weight decay each parameter gets (0 for biases when decayBiases is false). */
  protected readonly decays: Float64Array;
  /** The largest layer rate: keepsWithin bounds every layer's step by the largest. */
  private readonly maxLayerRate: number;
  /** The first layer with the largest rate among those the weight decay reaches (-1: none), whose step size × λ the decay's bound holds first. */
  private readonly mostDecayedLayer: number;
  /** buffers[i][b]: buffer b of parameter i; undefined until the first step. */
  protected buffers: Tensor[][] | undefined;
  /** Updates taken (Adam's t). */
  protected t = 0;
  /**
   * Run by net.dispose(): frees the buffers without touching onDispose, which is being iterated.
   * Made when the first buffers are (a step of plain SGD allocates none, and makes none).
   */
  private release: (() => void) | undefined;

  constructor(
    /** The registry name ('sgd', 'adam', …), recorded in checkpoints. */
    readonly name: string,
    owner: ModelOwner,
    /** The options as given: checked here (an object, no key but the base's and `known`, the base's values), the subclass's own values by the subclass. */
    options: FirstOrderOptions,
    known: readonly string[],
    /** The learning rate, and the weight decay (default 0; AdamW's differs), when options give none. */
    defaults: { learningRate: number; weightDecay?: number },
  ) {
    super();
    const net = (this.net = trainableOf(owner, name));
    checkKnownKeys(options, firstOrderKeys(known), name);
    this.layerRates = checkLayerRates(options.layerRates, net.groupCount, name);
    this.defaultWeightDecay = defaults.weightDecay ?? 0;
    this.weightDecay = checkNumber(options.weightDecay, `${name}: weightDecay`, FIRST_ORDER_RANGES.weightDecay, this.defaultWeightDecay);
    this.decayBiases = checkBoolean(options.decayBiases, `${name}: decayBiases`, DECAY_BIASES);
    this.ownLearningRate = checkNumber(options.learningRate, `${name}: learningRate`, FIRST_ORDER_RANGES.learningRate, defaults.learningRate);
    this.params = net.parameters();
    // A loop, not Float64Array.from(params, f): V8 takes that through the iterator protocol (0.35 µs
    // on the AMD EPYC Zen 5, 2026-11-30), and train() makes one for each call given an optimiser by
    // name or { name, … } spec (its default SGD only when the top-level momentum or weightDecay change).
    this.decays = new Float64Array(this.params.length);
    // The layers the decay reaches (any λ: largestWeightDecay answers for an optimiser made with 0 too).
    let most = -1;
    for (let i = 0; i < this.params.length; i++) {
      const reached = decayReaches(this.params[i], this.decayBiases);
      this.decays[i] = reached ? this.weightDecay : 0;
      const l = this.params[i].group;
      if (reached && (most < 0 || this.layerRates[l] > this.layerRates[most] || (this.layerRates[l] === this.layerRates[most] && l < most))) most = l;
    }
    this.mostDecayedLayer = most;
    this.maxLayerRate = this.layerRates.reduce((a, b) => Math.max(a, b), 0);
    // The weight decay's bound is not checked here: it holds lr·λ, and train() may be given another rate.
    const problem = this.stepSizeProblem(this.defaultLearningRate);
    if (problem !== undefined) throw invalidOption(problem);
  }

  /**
   * See Optimizer.rateProblem: the first layer whose step size, `learningRate` × its layer rate, is 0,
   * subnormal or Infinity in float32 (float32Problem's rule), or whose step size × weight decay is
   * above decayBound(). Allocates nothing when every layer's is usable: step() asks it every step.
   */
  rateProblem(learningRate: number): string | undefined {
    // The rate step() last found usable has none (they depend on the settings alone): train() asks about it every call.
    if (learningRate === this.usableRate) return undefined;
    return this.stepSizeProblem(learningRate) ?? this.decayProblem(learningRate);
  }

  /**
   * The greatest step size × weight decay (lr·λ at a layer's step size) with which the decay alone
   * does not grow the weights, and why: the bound on the linear part of the update on w. Infinity
   * (the default) where the decay enters a step whose size the optimiser sets itself (Adam's,
   * RMSProp's and Adagrad's L2 term is divided by the gradients' running size): there float32
   * bounds λ alone.
   * @internal The built-in optimisers' rule behind rateProblem, not part of the API: an optimiser
   * written outside gradscope says which rates it refuses through Optimizer.rateProblem, and Bound
   * (checks.ts) stays internal with it.
   */
  protected decayBound(): Bound {
    return { max: Infinity, why: '' };
  }

  /**
   * The largest weight decay (to 3 significant figures, rounded down) that train() and step() take
   * at `learningRate` with this optimiser's other settings: where its update multiplies w by
   * 1 − lr·λ (SGD's, AdamW's decoupled decay, LARS's where a trust ratio is 1), the decay's bound
   * (see weightDecay) over the largest step size, `learningRate` × layer rate, among the layers the
   * decay reaches; Infinity where nothing but float32 bounds it (Adam's L2 form, RMSProp, Adagrad; no
   * layer the decay reaches).
   */
  largestWeightDecay(learningRate: number): number {
    const max = this.decayBound().max;
    if (max === Infinity || this.mostDecayedLayer < 0) return Infinity;
    return largestWithin(max, learningRate * this.layerRates[this.mostDecayedLayer]);
  }

  /**
   * rateProblem's rule of decayBound: the layer the decay reaches with the largest rate (the first of
   * them), if its step size × λ is above it; what it offers holds at every layer.
   */
  private decayProblem(learningRate: number): string | undefined {
    const l = this.mostDecayedLayer;
    if (this.weightDecay === 0 || l < 0) return undefined;
    const bound = this.decayBound();
    const product = learningRate * this.layerRates[l] * this.weightDecay;
    if (!(product > bound.max)) return undefined;
    const [productText, limitText] = apart([product, bound.max], { bound: 1 });
    const rate = this.layerRates[l] === 1 ? `learning rate ${givenFloat32Text(learningRate)}` : `learning rate ${givenFloat32Text(learningRate)} × layerRates[${l}] ${givenFloat32Text(this.layerRates[l])}`;
    return (
      `${this.name}: weightDecay: layer ${l}'s ${rate} × weightDecay ${givenFloat32Text(this.weightDecay)} is ${productText}, above ${limitText} (${bound.why}); ` +
      `give a weightDecay of at most ${numberText(this.largestWeightDecay(learningRate))} or a learning rate of at most ${numberText(largestWithin(bound.max, this.layerRates[l] * this.weightDecay))}`
    );
  }

  /** The first layer whose step size, `learningRate` × its layer rate, is 0, subnormal or Infinity in float32. */
  private stepSizeProblem(learningRate: number): string | undefined {
    for (let l = 0; l < this.layerRates.length; l++) {
      const rate = learningRate * this.layerRates[l];
      if (float32Underflows(rate) || float32Overflows(rate)) {
        return float32Problem(rate, `${this.name}: layer ${l}'s step size, learning rate ${givenFloat32Text(learningRate)} × layerRates[${l}] ${givenFloat32Text(this.layerRates[l])}`);
      }
    }
    return undefined;
  }

  /**
   * Buffers each parameter's update keeps (Adam's m and v: 2). Asked when the buffers are allocated
   * (the first step) or restored, never during construction, so a subclass may answer from the
   * options it checked after the base's (plain SGD keeps none).
   */
  protected abstract buffersPerParameter(): number;

  /**
   * Buffers per parameter a state to restore may hold (default buffersPerParameter()): more when
   * the extra ones cannot change an update (plain SGD's velocity, which only ever holds the last
   * gradient); those are checked and dropped.
   */
  protected stateBuffersPerParameter(): number {
    return this.buffersPerParameter();
  }

  /**
   * See Optimizer.keepsWithin: the subclass's bound (stepKeepsWithin) at the largest layer rate,
   * every parameter's weight decay at most `weightDecay`; when it proves the step, the bound goes to
   * bounds[after]. Allocates nothing: the numbers travel in `this.query`, never as arguments or results.
   */
  keepsWithin(bounds: Float64Array): boolean {
    this.boundsMeasured = measuredBounds.has(bounds);
    this.proofPending = false;
    const q = this.query;
    q[QUERY.limit] = bounds[STEP_BOUNDS.limit];
    q[QUERY.gradientMax] = bounds[STEP_BOUNDS.gradientMax];
    q[QUERY.weightMax] = bounds[STEP_BOUNDS.weightMax];
    q[QUERY.learningRate] = bounds[STEP_BOUNDS.learningRate] * this.maxLayerRate;
    if (!this.stepKeepsWithin(q)) return false;
    this.proofPending = this.boundsMeasured;
    bounds[STEP_BOUNDS.after] = q[QUERY.after];
    return true;
  }

  /**
   * Whether this optimiser's next update provably keeps every |w| ≤ q[QUERY.limit] when every
   * |g| ≤ q[QUERY.gradientMax] and |w| ≤ q[QUERY.weightMax], at a learning rate up to
   * q[QUERY.learningRate] (layer rate included), with its buffers as they are; every float32
   * intermediate of the kernel bounded too (fitsFloat32). Answered by provesStep, with the bound.
   */
  protected abstract stepKeepsWithin(q: Float64Array): boolean;

  /** Whether the bounds of the last keepsWithin question were measured (measuredBounds: train()'s), not a caller's word. */
  protected boundsMeasured = false;

  /**
   * Whether the last keepsWithin proved the next step on measured bounds: taken and cleared at the
   * start of step(), so a step refused before prepare() (its rate, say) leaves no proof standing for
   * the gradients of a later step() that nothing proved.
   */
  private proofPending = false;

  /** q[QUERY.buffer] = max |buffer b| over every parameter (0 before the first step: the buffers start at 0). One maxAbs per tensor. */
  protected measureBuffer(b: number): void {
    let largest = 0;
    if (this.buffers !== undefined) {
      const k = this.net.kernels;
      for (let i = 0; i < this.params.length; i++) largest = Math.max(largest, k.maxAbs(this.buffers[i][b], this.params[i].length));
    }
    this.query[QUERY.buffer] = largest;
  }

  /** The learning rate step() last found usable for every layer (rateProblem); NaN before the first step. */
  private usableRate = NaN;

  /** keepsWithin's numbers (see QUERY). */
  private readonly query = new Float64Array(6);

  /** Indices of the buffers that hold sums of squares (never negative): restore refuses a negative entry. */
  protected readonly squareBuffers: readonly number[] = [];

  /** Hyperparameters recorded in checkpoints besides the learning rate: restore refuses a state whose values differ (see restore). */
  protected abstract hyperparameters(): Hyperparameters;
  /** The constructor's default for each of hyperparameters()' settings but the weight decay (the base's): what restore's advice may leave out. */
  protected abstract hyperparameterDefaults(): Hyperparameters;
  /**
   * Applies the update to one parameter with its buffers at this learning rate (layer rate included)
   * and weight decay; given `stats`, it also writes the parameter's weight statistics there
   * (UpdateStatistics), which it is given only while measuresUpdate() says it can.
   */
  protected abstract update(p: Parameter, buffers: Tensor[], learningRate: number, weightDecay: number, stats?: Float64Array): void;
  /** Whether update() can measure a parameter's weight statistics in its pass (see measureUpdate); default false. */
  protected measuresUpdate(): boolean {
    return false;
  }

  /** The statistics the next step's update measures (measureUpdate), taken and cleared as step() starts. */
  private statsRequest: UpdateStatistics | undefined;
  /** Per parameter, its entry in the request of statsSlotsFor (-1: not asked), worked out once per request. */
  private statsSlots = new Int32Array(0);
  private statsSlotsFor: UpdateStatistics | undefined;

  /** See Optimizer.measureUpdate: taken while measuresUpdate() says the update can. */
  measureUpdate(stats: UpdateStatistics): boolean {
    if (!this.measuresUpdate()) return false;
    if (this.statsSlotsFor !== stats) {
      this.statsSlots = Int32Array.from(this.params, (p) => stats.tensors.indexOf(p.value));
      this.statsSlotsFor = stats;
    }
    this.statsRequest = stats;
    stats.taken = true;
    return true;
  }
  /**
   * Runs before a step changes anything, its buffers allocated (LARS measures its trust ratios here;
   * Adagrad refuses a step that would take a sum of squares beyond float32): a refusal here leaves
   * the optimiser as it was. `proved`: keepsWithin proved this step on measured bounds just before
   * (what the subclass's stepKeepsWithin noted then is for this step), so a pass it stands in for may be left out.
   */
  protected prepare(_proved: boolean): void {}

  /** One update of every parameter from the gradients in the model (see Optimizer.step). */
  step(net: Trainable, learningRate: number, _batch: number): void {
    const proved = this.proofPending;
    this.proofPending = false;
    // For this step only, whether or not it is refused.
    const stats = this.statsRequest;
    this.statsRequest = undefined;
    checkStepNetwork(this, net, this.net);
    // Before anything changes: a layer whose step would be 0 or subnormal in float32 would not learn, in
    // silence. Checked when the rate changes, so a steady loop makes no call with a double (boxed unless inlined).
    if (learningRate !== this.usableRate) {
      checkStepRate(this, learningRate);
      const rateProblem = this.rateProblem(learningRate);
      if (rateProblem !== undefined) throw invalidOption(rateProblem);
      this.usableRate = learningRate;
    }
    const fresh = this.buffers === undefined;
    const buffers = (this.buffers ??= this.allocate());
    try {
      this.prepare(proved);
    } catch (error) {
      // A refused first step holds nothing: the buffers made for it go with it (state() stays empty).
      if (fresh) this.freeHeld();
      throw error;
    }
    this.t++;
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      const slot = stats === undefined ? -1 : this.statsSlots[i];
      this.update(p, buffers[i], learningRate * this.layerRates[p.group], this.decays[i], slot < 0 ? undefined : stats!.out[slot]);
    }
  }

  private allocate(): Tensor[][] {
    const k = this.net.kernels;
    const count = this.buffersPerParameter();
    // A step of plain SGD keeps none: the same empty lists serve every call that starts it over.
    if (count === 0) return (this.noBuffers ??= this.params.map(() => []));
    const buffers = this.params.map((p) => {
      const list: Tensor[] = [];
      for (let b = 0; b < count; b++) list.push(k.alloc(p.length));
      return list;
    });
    this.net.onDispose.add((this.release ??= () => this.freeBuffers()));
    return buffers;
  }

  /** allocate()'s lists for an optimiser whose parameters keep no buffers (buffersPerParameter 0), made once. */
  private noBuffers: Tensor[][] | undefined;

  /** The hyperparameters state() records besides the step count and the learning rate. */
  private recordedHyperparameters(): Hyperparameters {
    return { ...this.hyperparameters(), decayBiases: this.decayBiases };
  }

  /** The step count, learning rate, hyperparameters and buffers as plain data (for checkpoints). */
  state(): OptimizerState {
    assertNotDisposed(this);
    const k = this.net.kernels;
    return {
      name: this.name,
      scalars: { step: this.t, learningRate: this.ownLearningRate, ...recordedScalars(this.recordedHyperparameters()) },
      tensors: (this.buffers ?? []).flatMap((list) => list.map((b) => Float32Array.from(k.view(b)))),
    };
  }

  /**
   * Continues from a state() of the same optimiser on the same architecture (checked before
   * anything changes). Its learning rate becomes defaultLearningRate and its other hyperparameters
   * (β, ε, momentum, weight decay, …) must be this optimiser's: recorded-settings.ts's rule.
   */
  restore(state: OptimizerState): void {
    assertNotDisposed(this);
    const where = `${this.name}: restore`;
    checkStateKind(state, where, this.name);
    // The network's step count's rule (2⁵³ − 1 at most: beyond it t + 1 is t, and Adam's bias correction stops counting).
    const step = checkStateScalar(FIRST_ORDER_STATE.step, state.scalars?.step, `${where}: scalars.step`, 0);
    // As the constructor checks its own: the weight decay's bound holds the rate a call trains at, which train() and step() check.
    const learningRate = restoredLearningRate(state, where, this.ownLearningRate, (rate) => this.stepSizeProblem(rate));
    const defaults = { ...this.hyperparameterDefaults(), weightDecay: this.defaultWeightDecay, decayBiases: DECAY_BIASES };
    checkRecordedHyperparameters(state, where, this.name, this.recordedHyperparameters(), { defaults });
    const tensors = restoredTensors(state, where);
    const [kept, accepted] = [this.buffersPerParameter(), this.stateBuffersPerParameter()];
    const perParameter = tensors.length / this.params.length;
    if (tensors.length !== 0 && perParameter !== kept && perParameter !== accepted) {
      throw invalidOption(`${where}: expected ${this.params.length * accepted} tensors (${accepted} for each of this network's ${this.params.length} parameters) or none, got ${tensors.length}: the state does not fit this network`);
    }
    tensors.forEach((t, j) => {
      const p = this.params[Math.floor(j / perParameter)];
      if (t.length !== p.length) throw stateTensorMismatch(where, j, t, p);
      // The update's bounds (keepsWithin) hold for finite buffers whose sums of squares are ≥ 0, as a step leaves them.
      const squares = this.squareBuffers.includes(j % perParameter);
      for (let i = 0; i < t.length; i++) {
        if (!Number.isFinite(t[i]) || (squares && t[i] < 0)) {
          throw invalidOption(`${where}: tensors[${j}][${i}] is ${t[i]} (${p.name}); expected a finite number${squares ? ' ≥ 0 (a sum of squares)' : ''}`);
        }
      }
    });
    // Checked: now change things.
    this.t = step;
    this.ownLearningRate = learningRate;
    if (tensors.length === 0 || kept === 0) {
      this.freeBuffers();
      return;
    }
    const k = this.net.kernels;
    const buffers = (this.buffers ??= this.allocate());
    tensors.forEach((t, j) => {
      const b = j % perParameter;
      if (b < kept) k.write(buffers[Math.floor(j / perParameter)][b], t);
    });
  }

  /**
   * @internal Back to the state it was made in, its settings kept: its buffers freed (the next step
   * allocates them at 0, as a new optimiser's first step), its step count 0 and no proof of a step
   * left standing. train() runs it at the end of each call that stepped its default SGD, which it
   * keeps for the network's next call instead of making one per call (trainingOptimizer). The rate
   * step() last found usable stays: it depends on the settings alone.
   */
  startOver(): void {
    this.freeHeld();
    this.t = 0;
    this.proofPending = false;
    this.boundsMeasured = false;
  }

  protected freeHeld(): void {
    if (this.net.isDisposed) return; // its dispose() ran release, and every other member of it throws DISPOSED
    this.freeBuffers();
    if (this.release) this.net.onDispose.delete(this.release);
  }

  private freeBuffers(): void {
    if (!this.buffers) return;
    const k = this.net.kernels;
    const buffers = this.buffers;
    for (let i = 0; i < buffers.length; i++) for (let b = 0; b < buffers[i].length; b++) k.free(buffers[i][b]);
    this.buffers = undefined;
  }
}
