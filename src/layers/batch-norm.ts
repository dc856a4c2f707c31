/**
 * Batch normalisation over features (Ioffe & Szegedy 2015), as PyTorch's nn.BatchNorm1d: weight γ
 * and bias β `[n]` (1 and 0), buffers running_mean (0), running_var (1) and num_batches_tracked.
 * 'train' normalises with the batch's mean and biased variance and moves the running statistics by
 * its momentum (default BATCH_NORM_MOMENTUM; the variance unbiased, as PyTorch); 'batch' does the same without touching
 * them; 'eval' normalises with the running statistics. 'train' and 'batch' refuse a batch of one
 * row (INVALID_OPTION, as PyTorch's "Expected more than 1 value per channel when training"): its
 * variance is 0, so every feature would become β and the running variance would move toward 0.
 * The network refuses such calls first (Trainable.minTrainingRows); this is the safety net.
 * While averaging (startAveraging, as PyTorch's momentum=None), 'train' moves them by 1/n at its
 * n-th batch instead, so they become the mean of every batch's statistics since (swa_utils.update_bn).
 */
import { GradscopeError } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import type { Layer, Mode, Parameter, StateBuffer } from './layer.js';
import { NormCurvature, type Normalisation } from './norm-curvature.js';
import { PassCount } from './passes.js';
import { BATCH_NORM_MIN_ROWS, BATCH_NORM_MOMENTUM, NORM_EPSILON } from './spec.js';
import { addAffineSquares, createParameter, freeParameter, LazyFilled, LazyRowTensor, RowTensor, tensorFrom } from './tensors.js';

export class BatchNormLayer<T extends Tensor> implements Layer<T>, Normalisation<T> {
  readonly type = 'batch-norm';
  readonly inputs: number;
  readonly weight: Parameter<T>;
  readonly bias: Parameter<T>;
  readonly runningMean: StateBuffer<T>;
  readonly runningVar: StateBuffer<T>;
  readonly batchesTracked: StateBuffer<T>;
  readonly parameters: readonly Parameter<T>[];
  readonly buffers: readonly StateBuffer<T>[];
  private readonly y: RowTensor<T>;
  /** What backward needs from the last batch-statistics forward: its mean and 1/√(σ² + ε), `[n]` each. */
  private readonly mean: T;
  private readonly invStd: T;
  /** Where 'batch' mode's kernel call moves "running statistics" that are then thrown away. */
  private readonly discardMean: T;
  private readonly discardVar: T;
  /** num_batches_tracked as a number, and its one-element staging array for the tensor. */
  private count = 0;
  private readonly countValue = new Float64Array(1);
  private lastMode: Mode | null = null;
  /** Whether 'train' moves the running statistics as a cumulative average (startAveraging) rather than by `momentum`. */
  private averaging = false;
  /** R{y} of the last rForward, and two `[n]` scratch tensors for the dγ and dβ sums its backward kernel call also writes. */
  private readonly ry: LazyRowTensor<T>;
  private readonly rScratchA: LazyRowTensor<T>;
  private readonly rScratchB: LazyRowTensor<T>;
  /** squaredGradients' x̂ and scratch `[batch][n]`, and γ = 1, β = 0 `[n]` (allocated by its first call). */
  private readonly xhat: LazyRowTensor<T>;
  private readonly squares: LazyRowTensor<T>;
  private readonly ones: LazyFilled<T>;
  private readonly zeros: LazyFilled<T>;
  /** Forward, backward and reserve calls so far: what NormCurvature's kept terms are checked against (./passes.ts). */
  private readonly passCount = new PassCount();
  /** The R-operator's reverse pass through the batch statistics (./norm-curvature.ts). */
  private readonly curvature: NormCurvature<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly units: number,
    capacity: number,
    /** ε under the square root (BatchNormSpec.epsilon). */
    private readonly epsilon = NORM_EPSILON,
    /** How far 'train' moves the running statistics (BatchNormSpec.momentum). */
    private readonly momentum = BATCH_NORM_MOMENTUM,
  ) {
    this.inputs = units;
    this.weight = createParameter(k, 'weight', [units], new Float64Array(units).fill(1));
    this.bias = createParameter(k, 'bias', [units], new Float64Array(units));
    this.runningMean = { name: 'running_mean', shape: [units], dtype: 'float', value: k.alloc(units), holds: "batch norm's running mean" };
    this.runningVar = { name: 'running_var', shape: [units], dtype: 'float', value: tensorFrom(k, new Float64Array(units).fill(1)), holds: "batch norm's running variance" };
    this.batchesTracked = { name: 'num_batches_tracked', shape: [], dtype: 'i64', value: k.alloc(1), holds: "batch norm's count of training batches" };
    this.parameters = [this.weight, this.bias];
    this.buffers = [this.runningMean, this.runningVar, this.batchesTracked];
    this.y = new RowTensor(k, units, capacity);
    [this.ry, this.rScratchA, this.rScratchB, this.xhat, this.squares] = [0, 0, 0, 0, 0].map(() => new LazyRowTensor(k, units));
    this.ones = new LazyFilled(k, units, 1);
    this.zeros = new LazyFilled(k, units, 0);
    [this.mean, this.invStd, this.discardMean, this.discardVar] = [0, 0, 0, 0].map(() => k.alloc(units));
    this.curvature = new NormCurvature(k, units, 'batch', this);
  }

  get output(): T {
    return this.y.tensor;
  }

  get passes(): number {
    return this.passCount.value;
  }

  forward(x: T, batch: number, mode: Mode): void {
    this.passCount.next();
    const k = this.k;
    if (mode !== 'eval' && batch > 0 && batch < BATCH_NORM_MIN_ROWS) {
      throw new GradscopeError('INVALID_OPTION', `batch-norm: a '${mode}' forward needs at least ${BATCH_NORM_MIN_ROWS} rows (one row's variance is 0), got ${batch}`);
    }
    this.lastMode = mode;
    if (mode === 'eval') {
      k.batchNormInference(this.y.tensor, x, this.weight.value, this.bias.value, this.runningMean.value, this.runningVar.value, batch, this.units, this.epsilon);
      return;
    }
    const [runningMean, runningVar] = mode === 'train' ? [this.runningMean.value, this.runningVar.value] : [this.discardMean, this.discardVar];
    // PyTorch's momentum=None: the n-th batch counted moves them by 1/n, the first to its own statistics.
    const momentum = this.averaging && mode === 'train' ? 1 / (this.count + 1) : this.momentum;
    k.batchNormForward(this.y.tensor, this.mean, this.invStd, runningMean, runningVar, x, this.weight.value, this.bias.value, batch, this.units, momentum, this.epsilon);
    if (mode === 'train' && batch > 0) {
      this.countValue[0] = ++this.count;
      k.write(this.batchesTracked.value, this.countValue);
    }
  }

  get rOutput(): T {
    return this.ry.get(0);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    this.assertBatchStatistics('backward');
    this.passCount.next();
    this.normBackward(dx, this.weight.grad, this.bias.grad, dy, x, this.weight.value, batch);
  }

  /**
   * R{y} = γ ⊙ R{x̂} + v_γ ⊙ x̂ + v_β through the batch statistics: per feature,
   * R{x̂} = invStd·(R{x} − mean(R{x}) − x̂·mean(x̂ ⊙ R{x})), which is the backward kernel's dx
   * formula (the map x → x̂ of one feature has a symmetric Jacobian), so batchNormBackward with dy =
   * R{x} adds γ ⊙ R{x̂}; the forward's normalisation with γ, β replaced by v_γ, v_β gives the rest.
   */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    this.assertBatchStatistics('the R-operator');
    const k = this.k;
    const ry = this.ry.get(batch);
    k.batchNormNormalize(ry, x, this.mean, this.invStd, v[offset], v[offset + 1], batch, this.units);
    if (rx) this.normInputBackward(ry, rx, x, this.weight.value, batch);
  }

  /** R{∂} through the batch statistics (./norm-curvature.ts); v_γ at v[offset]. */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    this.assertBatchStatistics('the R-operator');
    this.curvature.rBackward(this.weight, this.bias, this.invStd, dy, rdy, rdx, rx, v[offset], x, batch);
  }

  /** Row x's shares of ∇γ, ∇β are dy_x ⊙ x̂_x and dy_x. */
  squaredGradients(dy: T, x: T, batch: number, out: readonly T[], offset: number): void {
    this.assertBatchStatistics('squaredGradients');
    const xhat = this.xhat.get(batch);
    this.normalise(xhat, x, batch);
    addAffineSquares(this.k, out, offset, dy, xhat, this.squares.get(batch), batch, this.units);
  }

  /**
   * How many features spread less than `spread` after normalising in the last batch-statistics
   * forward: x̂'s RMS over the batch is √(σ²/(σ² + ε)) = √(1 − ε·invStd²), read from the 1/√(σ² + ε)
   * that forward kept for backward.
   */
  flatFeatures(spread: number): number {
    this.assertBatchStatistics('flatFeatures');
    const invStd = this.k.view(this.invStd);
    let flat = 0;
    for (let j = 0; j < this.units; j++) if (1 - this.epsilon * invStd[j] * invStd[j] < spread * spread) flat++;
    return flat;
  }

  /** The backward kernel at the last forward's statistics, γ given; dx null: dγ and dβ alone (NormCurvature's view of the layer). */
  normBackward(dx: T | null, dgamma: T, dbeta: T, dy: T, x: T, gamma: T, batch: number): void {
    if (dx) this.k.batchNormBackward(dx, dgamma, dbeta, dy, x, this.mean, this.invStd, gamma, batch, this.units);
    else this.k.batchNormAffineBackward(dgamma, dbeta, dy, x, this.mean, this.invStd, batch, this.units);
  }

  /** The backward kernel's dx alone at the last forward's statistics, γ given: its dγ and dβ sums (which dx needs) go to scratch. */
  normInputBackward(dx: T, dy: T, x: T, gamma: T, batch: number): void {
    this.k.batchNormBackward(dx, this.rScratchA.get(1), this.rScratchB.get(1), dy, x, this.mean, this.invStd, gamma, batch, this.units);
  }

  /** out = x̂ of x: the forward's normalisation with γ = 1, β = 0, from its statistics. */
  normalise(out: T, x: T, batch: number): void {
    this.k.batchNormNormalize(out, x, this.mean, this.invStd, this.ones.get(), this.zeros.get(), batch, this.units);
  }

  private assertBatchStatistics(what: string): void {
    if (this.lastMode === 'eval' || this.lastMode === null) {
      throw new GradscopeError('INVALID_OPTION', `batch-norm: ${what} needs a forward with batch statistics ('train' or 'batch'), not 'eval'`);
    }
  }

  /**
   * Running statistics back to mean 0, variance 1 and count 0 (PyTorch's reset_running_stats), and each 'train' forward from
   * here on moves them as a cumulative average, until stopAveraging.
   */
  startAveraging(): void {
    this.k.zero(this.runningMean.value);
    this.k.write(this.runningVar.value, new Float64Array(this.units).fill(1));
    this.setBatchesTracked(0);
    this.averaging = true;
  }

  /** 'train' moves the running statistics by `momentum` again. */
  stopAveraging(): void {
    this.averaging = false;
  }

  /** Sets num_batches_tracked (a checkpoint's value). */
  setBatchesTracked(count: number): void {
    this.count = count;
    this.countValue[0] = count;
    this.k.write(this.batchesTracked.value, this.countValue);
  }

  reserve(batch: number): void {
    this.passCount.next();
    this.y.reserve(batch);
    this.ry.reserve(batch);
    this.xhat.reserve(batch);
    this.squares.reserve(batch);
    this.curvature.reserve(batch);
  }

  dispose(): void {
    for (const p of this.parameters) freeParameter(this.k, p);
    for (const b of this.buffers) this.k.free(b.value);
    for (const t of [this.mean, this.invStd, this.discardMean, this.discardVar]) this.k.free(t);
    for (const t of [this.y, this.ry, this.rScratchA, this.rScratchB, this.xhat, this.squares, this.ones, this.zeros, this.curvature]) t.dispose();
  }
}
