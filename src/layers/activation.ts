/** An activation as a layer of its own: a = f(x), elementwise (softmax row by row), as its PyTorch module. */
import { GradscopeError } from '../errors.js';
import type { Activation, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import type { FusedOutputLayer } from './layer.js';
import { LazyRowTensor, RowTensor } from './tensors.js';

export class ActivationLayer<T extends Tensor> implements FusedOutputLayer<T> {
  readonly type = 'activation';
  readonly parameters = [];
  readonly buffers = [];
  readonly inputs: number;
  private readonly a: RowTensor<T>;
  /** R{a} of the last rForward (allocated by the first). */
  private readonly ra: LazyRowTensor<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly units: number,
    readonly activation: OutputActivation,
    capacity: number,
  ) {
    this.inputs = units;
    this.a = new RowTensor(k, units, capacity);
    this.ra = new LazyRowTensor(k, units);
  }

  get output(): T {
    return this.a.tensor;
  }

  get rOutput(): T {
    return this.ra.get(0);
  }

  /** R{a} = f'(x) ⊙ R{x} (softmax: its Jacobian applied to R{x}); 0 when the input does not move. */
  rForward(rx: T | null, _v: readonly T[], _offset: number, x: T, batch: number): void {
    const k = this.k;
    const ra = this.ra.get(batch);
    if (this.activation === 'softmax' && rx) {
      k.softmaxJvp(ra, this.a.tensor, rx, batch, this.units);
      return;
    }
    k.zero(ra, batch * this.units);
    if (rx) k.activationBackward(this.activation as Activation, ra, rx, x, this.a.tensor, batch, this.units);
  }

  /** rdx += f'(x) ⊙ R{dy} + f''(x) ⊙ R{x} ⊙ dy (no parameters). */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, _v: readonly T[], _offset: number, x: T, batch: number): void {
    if (this.activation === 'softmax') {
      throw new GradscopeError('INVALID_OPTION', 'softmax layer: its Hessian exists only fused with the cross-entropy loss');
    }
    if (!rdx) return;
    this.k.activationBackward(this.activation, rdx, rdy, x, this.a.tensor, batch, this.units);
    if (rx) this.k.activationCurvature(this.activation, rdx, dy, rx, x, this.a.tensor, batch, this.units);
  }

  forward(x: T, batch: number): void {
    this.k.activationForward(this.activation, this.a.tensor, x, batch, this.units);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    if (this.activation === 'softmax') {
      throw new GradscopeError('INVALID_OPTION', 'softmax layer: its gradient exists only fused with the cross-entropy loss (lossBackward)');
    }
    if (dx) this.k.activationBackward(this.activation, dx, dy, x, this.a.tensor, batch, this.units);
  }

  /** No parameters: nothing to add. */
  squaredGradients(): void {}

  /** The mean loss of the output against y, the activation fused in (its input x is the z). */
  loss(loss: Loss, y: T, x: T, batch: number): number {
    return this.k.loss(loss, this.activation, x, this.a.tensor, y, batch, this.units);
  }

  /** As `loss`, and dx += ∂L/∂x from the fused loss kernel (dx null: only the value). */
  lossBackward(loss: Loss, y: T, dx: T | null, x: T, batch: number): number {
    if (!dx) return this.loss(loss, y, x, batch);
    return this.k.lossBackward(loss, this.activation, dx, x, this.a.tensor, y, batch, this.units);
  }

  reserve(batch: number): void {
    this.a.reserve(batch);
    this.ra.reserve(batch);
  }

  dispose(): void {
    this.a.dispose();
    this.ra.dispose();
  }
}
