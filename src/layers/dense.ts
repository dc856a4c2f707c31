/**
 * A dense layer followed by its activation: z = x·Wᵀ + b, a = f(z), as PyTorch's nn.Linear
 * (weight `[units][inputs]`, bias `[units]`) followed by the activation's module. Built without a
 * bias (nn.Linear(bias=False)), it holds the weight alone: z = x·Wᵀ, no ∂b, nothing to step.
 */
import { GradscopeError } from '../errors.js';
import type { Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import type { FusedOutputLayer, Parameter } from './layer.js';
import { createParameter, freeParameter, LazyRowTensor, RowTensor } from './tensors.js';

export class DenseLayer<T extends Tensor> implements FusedOutputLayer<T> {
  readonly type = 'dense';
  readonly weight: Parameter<T>;
  /** The bias, or null for a layer built without one. */
  readonly bias: Parameter<T> | null;
  readonly parameters: readonly Parameter<T>[];
  readonly buffers = [];
  private readonly z: RowTensor<T>;
  private readonly a: RowTensor<T>;
  /** ∂L/∂z during backward. */
  private readonly dz: RowTensor<T>;
  /** The R-operator's R{z} and R{a} (allocated by the first rForward). */
  private readonly rz: LazyRowTensor<T>;
  private readonly ra: LazyRowTensor<T>;
  /**
   * A zero bias `[units]`: the R-pass's second product's (allocated by the first rForward), and the
   * forward's of a layer without a bias (allocated at once): the kernel adds a bias, and +0 leaves
   * every z as x·Wᵀ gives it (a −0 becomes +0).
   */
  private readonly zeroBias: LazyRowTensor<T>;
  /** R{∂L/∂z} of the R-operator's reverse pass (allocated by the first rBackward). */
  private readonly rdz: LazyRowTensor<T>;
  /** dz² and x² for squaredGradients (allocated by its first call). */
  private readonly dzSquared: LazyRowTensor<T>;
  private readonly xSquared: LazyRowTensor<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly inputs: number,
    readonly units: number,
    readonly activation: OutputActivation,
    weights: ArrayLike<number>,
    /** The initial biases, or null for a layer without a bias. */
    biases: ArrayLike<number> | null,
    capacity: number,
  ) {
    this.weight = createParameter(k, 'weight', [units, inputs], weights, true);
    this.bias = biases ? createParameter(k, 'bias', [units], biases) : null;
    this.parameters = this.bias ? [this.weight, this.bias] : [this.weight];
    this.z = new RowTensor(k, units, capacity);
    this.a = new RowTensor(k, units, capacity);
    this.dz = new RowTensor(k, units, capacity);
    this.rz = new LazyRowTensor(k, units);
    this.ra = new LazyRowTensor(k, units);
    this.zeroBias = new LazyRowTensor(k, units);
    // Allocated now for a layer without a bias, whose every forward reads it: the hot path allocates nothing.
    if (!this.bias) this.zeroBias.get(1);
    this.rdz = new LazyRowTensor(k, units);
    this.dzSquared = new LazyRowTensor(k, units);
    this.xSquared = new LazyRowTensor(k, inputs);
  }

  get output(): T {
    return this.a.tensor;
  }

  /** The pre-activations of the last forward, `[batch][units]`. */
  get preActivation(): T {
    return this.z.tensor;
  }

  /** ∂L/∂z of the last backward or lossBackward, `[batch][units]` (Nielsen's δ, as the loss's mean gives it). */
  get preActivationGrad(): T {
    return this.dz.tensor;
  }

  /** R{z} of the last rForward, `[batch][units]`. */
  get rPreActivation(): T {
    return this.rz.get(0);
  }

  get rOutput(): T {
    return this.ra.get(0);
  }

  forward(x: T, batch: number): void {
    this.k.denseForward(this.z.tensor, x, this.weight.value, this.bias ? this.bias.value : this.zeroBias.get(1), batch, this.inputs, this.units);
    this.k.activationForward(this.activation, this.a.tensor, this.z.tensor, batch, this.units);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    if (this.activation === 'softmax') {
      throw new GradscopeError('INVALID_OPTION', 'dense softmax layer: its gradient exists only fused with the cross-entropy loss (lossBackward)');
    }
    this.k.zero(this.dz.tensor, batch * this.units);
    this.k.activationBackward(this.activation, this.dz.tensor, dy, this.z.tensor, this.a.tensor, batch, this.units);
    this.backwardFromPreActivation(this.dz.tensor, dx, x, batch);
  }

  /** R{z} = R{x}·Wᵀ + x·Vᵀ + v_b and R{a} = f'(z) ⊙ R{z} (softmax: its Jacobian applied to R{z}); v_W, v_b at v[offset], v[offset + 1] (no v_b without a bias). */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    const k = this.k;
    const n = batch * this.units;
    const rz = this.rz.get(batch);
    const ra = this.ra.get(batch);
    const vb = this.bias ? v[offset + 1] : this.zeroBias.get(1);
    // The dense Model's order of sums (src/optim/gauss-newton.ts), so both give the same bits;
    // ra holds x·V_Wᵀ until R{a} overwrites it.
    if (rx) {
      k.denseForward(rz, rx, this.weight.value, vb, batch, this.inputs, this.units);
      k.denseForward(ra, x, v[offset], this.zeroBias.get(1), batch, this.inputs, this.units);
      k.axpy(rz, ra, n, 1);
    } else {
      k.denseForward(rz, x, v[offset], vb, batch, this.inputs, this.units);
    }
    if (this.activation === 'softmax') {
      k.softmaxJvp(ra, this.a.tensor, rz, batch, this.units);
      return;
    }
    k.zero(ra, n);
    k.activationBackward(this.activation, ra, rz, this.z.tensor, this.a.tensor, batch, this.units);
  }

  /** R{dz} = f'(z) ⊙ R{dy} + f''(z) ⊙ R{z} ⊙ dy, then through W and b (rBackwardFromPreActivation). */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    if (this.activation === 'softmax') {
      throw new GradscopeError('INVALID_OPTION', 'dense softmax layer: its Hessian exists only fused with the cross-entropy loss');
    }
    const k = this.k;
    const rdz = this.rdz.get(batch);
    k.zero(rdz, batch * this.units);
    k.activationBackward(this.activation, rdz, rdy, this.z.tensor, this.a.tensor, batch, this.units);
    k.activationCurvature(this.activation, rdz, dy, this.rz.get(batch), this.z.tensor, this.a.tensor, batch, this.units);
    this.rBackwardFromPreActivation(rdz, rdx, rx, v, offset, x, batch);
  }

  /**
   * Given rdz = R{∂L/∂z}, after backward (or lossBackward) and rForward on x: with dz = ∂L/∂z of
   * that backward and V_W, v_b at v[offset], v[offset + 1],
   * R{∇W} += rdzᵀ·x + dzᵀ·R{x},  R{∇b} += Σ_rows rdz,  rdx += rdz·W + dz·V_W (unless null). rdz is read only.
   */
  rBackwardFromPreActivation(rdz: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    const k = this.k;
    k.denseBackwardWeights(this.weight.grad, rdz, x, batch, this.inputs, this.units);
    if (this.bias) k.denseBackwardBias(this.bias.grad, rdz, batch, this.units);
    if (rx) k.denseBackwardWeights(this.weight.grad, this.dz.tensor, rx, batch, this.inputs, this.units);
    if (!rdx) return;
    k.denseBackwardInput(rdx, rdz, this.weight.value, batch, this.inputs, this.units);
    k.denseBackwardInput(rdx, this.dz.tensor, v[offset], batch, this.inputs, this.units);
  }

  /** Row x's share of ∇W is dz_x·x_xᵀ, of ∇b dz_x: out += (dz²)ᵀ·x², Σ dz² (dz as the last backward left it; dy is not needed). */
  squaredGradients(_dy: T, x: T, batch: number, out: readonly T[], offset: number): void {
    const k = this.k;
    const dz2 = this.dzSquared.get(batch);
    const x2 = this.xSquared.get(batch);
    k.mul(dz2, this.dz.tensor, this.dz.tensor, batch * this.units);
    k.mul(x2, x, x, batch * this.inputs);
    k.denseBackwardWeights(out[offset], dz2, x2, batch, this.inputs, this.units);
    if (this.bias) k.denseBackwardBias(out[offset + 1], dz2, batch, this.units);
  }

  /** The mean loss of the output against y (`[batch][units]`), with the output activation fused in. */
  loss(loss: Loss, y: T, _x: T, batch: number): number {
    return this.k.loss(loss, this.activation, this.z.tensor, this.a.tensor, y, batch, this.units);
  }

  /** As `loss`, and backward from it: ∂L/∂z straight from the fused loss kernel, then through W and b. */
  lossBackward(loss: Loss, y: T, dx: T | null, x: T, batch: number): number {
    this.k.zero(this.dz.tensor, batch * this.units);
    const value = this.k.lossBackward(loss, this.activation, this.dz.tensor, this.z.tensor, this.a.tensor, y, batch, this.units);
    this.backwardFromPreActivation(this.dz.tensor, dx, x, batch);
    return value;
  }

  /** Given dz = ∂L/∂z of the last forward on x: weight and bias gradients += their share (no ∂b without a bias), dx += ∂L/∂x unless null. dz is read only. */
  backwardFromPreActivation(dz: T, dx: T | null, x: T, batch: number): void {
    if (this.bias) this.k.denseBackwardBias(this.bias.grad, dz, batch, this.units);
    // ∂W and dx in one call where both are wanted: on two threads they run at once.
    if (dx) this.k.denseBackwardWeightsAndInput(this.weight.grad, dx, dz, x, this.weight.value, batch, this.inputs, this.units);
    else this.k.denseBackwardWeights(this.weight.grad, dz, x, batch, this.inputs, this.units);
  }

  reserve(batch: number): void {
    for (const t of [this.z, this.a, this.dz, this.rz, this.ra, this.rdz, this.dzSquared, this.xSquared]) t.reserve(batch);
  }

  dispose(): void {
    for (const p of this.parameters) freeParameter(this.k, p);
    for (const t of [this.z, this.a, this.dz, this.rz, this.ra, this.zeroBias, this.rdz, this.dzSquared, this.xSquared]) t.dispose();
  }
}
