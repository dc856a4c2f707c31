/**
 * Layer normalisation over features (Ba, Kiros & Hinton 2016), as PyTorch's nn.LayerNorm(n): each
 * row normalised by its own mean and biased variance (ε 1e-5), then weight γ and bias β `[n]`
 * (1 and 0). The same in every mode.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Layer, Parameter } from './layer.js';
import { NormCurvature, type Normalisation } from './norm-curvature.js';
import { PassCount } from './passes.js';
import { NORM_EPSILON } from './spec.js';
import { addAffineSquares, createParameter, freeParameter, LazyFilled, LazyRowTensor, RowTensor } from './tensors.js';

export class LayerNormLayer<T extends Tensor> implements Layer<T>, Normalisation<T> {
  readonly type = 'layer-norm';
  readonly inputs: number;
  readonly weight: Parameter<T>;
  readonly bias: Parameter<T>;
  readonly parameters: readonly Parameter<T>[];
  readonly buffers = [];
  private readonly y: RowTensor<T>;
  /** Per row of the last forward: its mean and 1/√(σ² + ε). */
  private readonly mean: RowTensor<T>;
  private readonly invStd: RowTensor<T>;
  /**
   * Buffers of rForward and squaredGradients (allocated by their first call): R{y}; R{x̂} (or x̂);
   * γ tiled over the rows (or scratch); ones and zeros `[n]`.
   */
  private readonly ry: LazyRowTensor<T>;
  private readonly rxhat: LazyRowTensor<T>;
  private readonly gammaRows: LazyRowTensor<T>;
  private readonly ones: LazyFilled<T>;
  private readonly zeros: LazyFilled<T>;
  /** Forward, backward and reserve calls so far: what NormCurvature's kept terms are checked against (./passes.ts). */
  private readonly passCount = new PassCount();
  /** The R-operator's reverse pass through each row's statistics (./norm-curvature.ts). */
  private readonly curvature: NormCurvature<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly units: number,
    capacity: number,
    /** ε under the square root (LayerNormSpec.epsilon). */
    private readonly epsilon = NORM_EPSILON,
  ) {
    this.inputs = units;
    this.weight = createParameter(k, 'weight', [units], new Float64Array(units).fill(1));
    this.bias = createParameter(k, 'bias', [units], new Float64Array(units));
    this.parameters = [this.weight, this.bias];
    this.y = new RowTensor(k, units, capacity);
    this.mean = new RowTensor(k, 1, capacity);
    this.invStd = new RowTensor(k, 1, capacity);
    [this.ry, this.rxhat, this.gammaRows] = [0, 0, 0].map(() => new LazyRowTensor(k, units));
    this.ones = new LazyFilled(k, units, 1);
    this.zeros = new LazyFilled(k, units, 0);
    this.curvature = new NormCurvature(k, units, 'features', this);
  }

  get rOutput(): T {
    return this.ry.get(0);
  }

  get output(): T {
    return this.y.tensor;
  }

  get passes(): number {
    return this.passCount.value;
  }

  forward(x: T, batch: number): void {
    this.passCount.next();
    this.k.layerNormForward(this.y.tensor, this.mean.tensor, this.invStd.tensor, x, this.weight.value, this.bias.value, batch, this.units, this.epsilon);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    this.passCount.next();
    this.normBackward(dx, this.weight.grad, this.bias.grad, dy, x, this.weight.value, batch);
  }

  /**
   * R{y} = γ ⊙ R{x̂} + v_γ ⊙ x̂ + v_β through each row's statistics, where
   * R{x̂} = invStd·(R{x} − mean(R{x}) − x̂·mean(x̂ ⊙ R{x})) over the row: layerNormBackward's dx
   * formula with γ = 1 and dy = R{x} (x → x̂ has a symmetric Jacobian; γ comes after it, so it is
   * multiplied in afterwards). The forward's normalisation from its saved statistics, with γ, β
   * replaced by v_γ, v_β, gives the rest.
   */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    const k = this.k;
    const n = batch * this.units;
    const ry = this.ry.get(batch);
    k.layerNormNormalize(ry, x, this.mean.tensor, this.invStd.tensor, v[offset], v[offset + 1], batch, this.units);
    if (!rx) return;
    const rxhat = this.rxhat.get(batch);
    const gammaRows = this.gammaRows.get(batch);
    k.zero(rxhat, n);
    this.normInputBackward(rxhat, rx, x, this.ones.get(), batch);
    k.copy2d(gammaRows, 0, this.units, this.weight.value, 0, 0, batch, this.units);
    k.mul(rxhat, rxhat, gammaRows, n);
    k.axpy(ry, rxhat, n, 1);
  }

  /** R{∂} through each row's statistics (./norm-curvature.ts); v_γ at v[offset]. */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    this.curvature.rBackward(this.weight, this.bias, this.invStd.tensor, dy, rdy, rdx, rx, v[offset], x, batch);
  }

  /** The backward kernel at the last forward's statistics, γ given; dx null: dγ and dβ alone (NormCurvature's view of the layer). */
  normBackward(dx: T | null, dgamma: T, dbeta: T, dy: T, x: T, gamma: T, batch: number): void {
    if (dx) this.k.layerNormBackward(dx, dgamma, dbeta, dy, x, this.mean.tensor, this.invStd.tensor, gamma, batch, this.units);
    else this.k.layerNormAffineBackward(dgamma, dbeta, dy, x, this.mean.tensor, this.invStd.tensor, batch, this.units);
  }

  /** The backward kernel's dx alone at the last forward's statistics, γ given. */
  normInputBackward(dx: T, dy: T, x: T, gamma: T, batch: number): void {
    this.k.layerNormInputBackward(dx, dy, x, this.mean.tensor, this.invStd.tensor, gamma, batch, this.units);
  }

  /** out = x̂ of x: the forward's normalisation with γ = 1, β = 0, from its statistics. */
  normalise(out: T, x: T, batch: number): void {
    this.k.layerNormNormalize(out, x, this.mean.tensor, this.invStd.tensor, this.ones.get(), this.zeros.get(), batch, this.units);
  }

  /** Row x's shares of ∇γ, ∇β are dy_x ⊙ x̂_x and dy_x (x̂ into scratch). */
  squaredGradients(dy: T, x: T, batch: number, out: readonly T[], offset: number): void {
    const xhat = this.rxhat.get(batch);
    this.normalise(xhat, x, batch);
    addAffineSquares(this.k, out, offset, dy, xhat, this.gammaRows.get(batch), batch, this.units);
  }

  reserve(batch: number): void {
    this.passCount.next();
    for (const t of [this.y, this.mean, this.invStd, this.ry, this.rxhat, this.gammaRows, this.curvature]) t.reserve(batch);
  }

  dispose(): void {
    for (const p of this.parameters) freeParameter(this.k, p);
    for (const t of [this.y, this.mean, this.invStd, this.ry, this.rxhat, this.gammaRows, this.ones, this.zeros, this.curvature]) t.dispose();
  }
}
