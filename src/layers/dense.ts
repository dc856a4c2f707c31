/**
 * A dense layer followed by its activation: z = x·Wᵀ + b, a = f(z), as PyTorch's nn.Linear
 * (weight `[units][inputs]`, bias `[units]`) followed by the activation's module.
 */
import { GradscopeError } from '../errors.js';
import type { Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import type { FusedOutputLayer, Parameter } from './layer.js';
import { createParameter, freeParameter, RowTensor } from './tensors.js';

export class DenseLayer<T extends Tensor> implements FusedOutputLayer<T> {
  readonly type = 'dense';
  readonly weight: Parameter<T>;
  readonly bias: Parameter<T>;
  readonly parameters: readonly Parameter<T>[];
  readonly buffers = [];
  private readonly z: RowTensor<T>;
  private readonly a: RowTensor<T>;
  /** ∂L/∂z during backward. */
  private readonly dz: RowTensor<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly inputs: number,
    readonly units: number,
    readonly activation: OutputActivation,
    weights: ArrayLike<number>,
    biases: ArrayLike<number>,
    capacity: number,
  ) {
    this.weight = createParameter(k, 'weight', [units, inputs], weights);
    this.bias = createParameter(k, 'bias', [units], biases);
    this.parameters = [this.weight, this.bias];
    this.z = new RowTensor(k, units, capacity);
    this.a = new RowTensor(k, units, capacity);
    this.dz = new RowTensor(k, units, capacity);
  }

  get output(): T {
    return this.a.tensor;
  }

  /** The pre-activations of the last forward, `[batch][units]`. */
  get preActivation(): T {
    return this.z.tensor;
  }

  forward(x: T, batch: number): void {
    this.k.denseForward(this.z.tensor, x, this.weight.value, this.bias.value, batch, this.inputs, this.units);
    this.k.activationForward(this.activation, this.a.tensor, this.z.tensor, batch, this.units);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    if (this.activation === 'softmax') {
      throw new GradscopeError('INVALID_OPTION', 'dense softmax layer: its gradient exists only fused with the cross-entropy loss (lossBackward)');
    }
    this.k.zero(this.dz.tensor, batch * this.units);
    this.k.activationBackward(this.activation, this.dz.tensor, dy, this.z.tensor, this.a.tensor, batch, this.units);
    this.backwardFromPreActivation(dx, x, batch);
  }

  /** The mean loss of the output against y (`[batch][units]`), with the output activation fused in. */
  loss(loss: Loss, y: T, _x: T, batch: number): number {
    return this.k.loss(loss, this.activation, this.z.tensor, this.a.tensor, y, batch, this.units);
  }

  /** As `loss`, and backward from it: ∂L/∂z straight from the fused loss kernel, then through W and b. */
  lossBackward(loss: Loss, y: T, dx: T | null, x: T, batch: number): number {
    this.k.zero(this.dz.tensor, batch * this.units);
    const value = this.k.lossBackward(loss, this.activation, this.dz.tensor, this.z.tensor, this.a.tensor, y, batch, this.units);
    this.backwardFromPreActivation(dx, x, batch);
    return value;
  }

  private backwardFromPreActivation(dx: T | null, x: T, batch: number): void {
    const dz = this.dz.tensor;
    this.k.denseBackwardWeights(this.weight.grad, dz, x, batch, this.inputs, this.units);
    this.k.denseBackwardBias(this.bias.grad, dz, batch, this.units);
    if (dx) this.k.denseBackwardInput(dx, dz, this.weight.value, batch, this.inputs, this.units);
  }

  reserve(batch: number): void {
    for (const t of [this.z, this.a, this.dz]) t.reserve(batch);
  }

  dispose(): void {
    for (const p of this.parameters) freeParameter(this.k, p);
    for (const t of [this.z, this.a, this.dz]) t.dispose();
  }
}
