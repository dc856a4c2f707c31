/**
 * Layer normalisation over features (Ba, Kiros & Hinton 2016), as PyTorch's nn.LayerNorm(n): each
 * row normalised by its own mean and biased variance (ε 1e-5), then weight γ and bias β `[n]`
 * (1 and 0). The same in every mode.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Layer, Parameter } from './layer.js';
import { NORM_EPSILON } from './spec.js';
import { createParameter, freeParameter, LazyRowTensor, RowTensor } from './tensors.js';

export class LayerNormLayer<T extends Tensor> implements Layer<T> {
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
  private readonly unwantedDx: LazyRowTensor<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly units: number,
    capacity: number,
  ) {
    this.inputs = units;
    this.weight = createParameter(k, 'weight', [units], new Float64Array(units).fill(1));
    this.bias = createParameter(k, 'bias', [units], new Float64Array(units));
    this.parameters = [this.weight, this.bias];
    this.y = new RowTensor(k, units, capacity);
    this.mean = new RowTensor(k, 1, capacity);
    this.invStd = new RowTensor(k, 1, capacity);
    this.unwantedDx = new LazyRowTensor(k, units);
  }

  get output(): T {
    return this.y.tensor;
  }

  forward(x: T, batch: number): void {
    this.k.layerNormForward(this.y.tensor, this.mean.tensor, this.invStd.tensor, x, this.weight.value, this.bias.value, batch, this.units, NORM_EPSILON);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    this.k.layerNormBackward(
      dx ?? this.unwantedDx.get(batch), this.weight.grad, this.bias.grad, dy, x, this.mean.tensor, this.invStd.tensor, this.weight.value, batch, this.units,
    );
  }

  reserve(batch: number): void {
    for (const t of [this.y, this.mean, this.invStd, this.unwantedDx]) t.reserve(batch);
  }

  dispose(): void {
    for (const p of this.parameters) freeParameter(this.k, p);
    for (const t of [this.y, this.mean, this.invStd, this.unwantedDx]) t.dispose();
  }
}
