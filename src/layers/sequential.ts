/**
 * Layers in order, as one PyTorch nn.Sequential built from the specs: a dense layer is nn.Linear at
 * index k followed by its activation module at k + 1; every other spec is one module. Tensor names
 * carry the module index (`0.weight`, `2.running_mean`, `3.branch.0.bias`, `3.alpha`).
 *
 * `buildSequential` makes one from checked specs: dense weights and biases (none for `bias: false`) from the initialisers in
 * layer order (depth first, so one seed gives the same network on every backend), batch and layer
 * norm γ = 1, β = 0, running statistics 0 and 1, ReZero's α = 0.
 */
import { GradscopeError } from '../errors.js';
import { initBiases, initWeights, type BiasInit, type WeightInit } from '../init/initializers.js';
import type { Rng } from '../init/rng.js';
import { LOSS_OUTPUT, type Kernels, type Loss, type OutputActivation, type Tensor } from '../kernels.js';
import { ActivationLayer } from './activation.js';
import { BatchNormLayer } from './batch-norm.js';
import { moduleIndices } from './block-layout.js';
import { DenseLayer } from './dense.js';
import type { FusedOutputLayer, Layer, LayerStack, Mode, Parameter, StateBuffer } from './layer.js';
import { LayerNormLayer } from './layer-norm.js';
import { PassCount } from './passes.js';
import { ResidualBlock } from './residual.js';
import { hasBias, widthAfter, type CheckedSpec } from './spec.js';
import { LazyRowTensor, prefixed, RowTensor } from './tensors.js';

export interface BuildOptions {
  /** Initial weights of dense layers (default 'standard'). */
  init?: WeightInit;
  /** Initial biases of dense layers (default 'zero'). */
  biasInit?: BiasInit;
  /** Rows the activation buffers hold at first (default 1; `reserve` grows them). */
  capacity?: number;
}

export class Sequential<T extends Tensor> implements LayerStack<T> {
  readonly units: number;
  /** Every trained tensor and every state buffer, named as in PyTorch's state_dict, in its order. */
  readonly parameters: readonly Parameter<T>[];
  readonly buffers: readonly StateBuffer<T>[];
  /** The PyTorch module index of each layer. */
  readonly moduleIndex: readonly number[];
  /** Index in `parameters` of each layer's first parameter. */
  private readonly parameterOffset: readonly number[];
  /** ∂L/∂(output of layer i) during backward, for every layer but the last (whose gradient is given). */
  private readonly grads: RowTensor<T>[];
  /** ∂L/∂output when the loss is not fused with the last layer (never needed by a residual branch). */
  private readonly outputGrad: LazyRowTensor<T>;
  /** R{∂L/∂(output of layer i)} during the R-operator's reverse pass, as `grads` (allocated by the first rBackward). */
  private readonly rGrads: LazyRowTensor<T>[];
  /** See `passes`. */
  private readonly passCount = new PassCount();

  constructor(
    private readonly k: Kernels<T>,
    readonly inputs: number,
    readonly layers: readonly Layer<T>[],
    capacity: number,
  ) {
    if (layers.length === 0) throw new GradscopeError('INVALID_OPTION', 'a layer stack needs at least one layer');
    this.units = layers[layers.length - 1].units;
    const index = moduleIndices(layers);
    this.moduleIndex = index;
    this.parameters = layers.flatMap((layer, i) => prefixed(`${index[i]}.`, layer.parameters));
    let offset = 0;
    this.parameterOffset = layers.map((layer) => (offset += layer.parameters.length) - layer.parameters.length);
    this.buffers = layers.flatMap((layer, i) => prefixed(`${index[i]}.`, layer.buffers));
    this.grads = layers.slice(0, -1).map((layer) => new RowTensor(k, layer.units, capacity));
    this.outputGrad = new LazyRowTensor(k, this.units);
    this.rGrads = layers.slice(0, -1).map((layer) => new LazyRowTensor(k, layer.units));
  }

  get output(): T {
    return this.layers[this.layers.length - 1].output;
  }

  get rOutput(): T {
    return this.layers[this.layers.length - 1].rOutput;
  }

  /** ∂L/∂(output of layer i) of the last backward, for every layer but the last (whose gradient its caller gives). */
  outputGradOf(i: number): T {
    return this.grads[i].tensor;
  }

  /** The input of layer i in the last forward on x. */
  inputOf(i: number, x: T): T {
    return i === 0 ? x : this.layers[i - 1].output;
  }

  /**
   * Forward and backward passes (and growths of the buffers) so far: while it is unchanged, the
   * activations and every ∂L/∂output are as the last of them left them, which is what a product
   * that reuses a backward's results (StackHessian) checks.
   */
  get passes(): number {
    return this.passCount.value;
  }

  forward(x: T, batch: number, mode: Mode): void {
    this.passCount.next();
    // Index loops on the training path: a closure or an iterator per call is garbage every step.
    for (let i = 0; i < this.layers.length; i++) this.layers[i].forward(this.inputOf(i, x), batch, mode);
  }

  /** R{·} through every layer in order (Layer.rForward); layer i's directions start at v[offset + its first parameter's index]. */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    for (let i = 0; i < this.layers.length; i++) {
      this.layers[i].rForward(i === 0 ? rx : this.layers[i - 1].rOutput, v, offset + this.parameterOffset[i], this.inputOf(i, x), batch);
    }
  }

  /** The R-operator's reverse pass through every layer, last first (Layer.rBackward), from the ∂L/∂(output of layer i) the last backward left. */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    this.rBackwardFrom(this.layers.length - 1, dy, rdy, rdx, rx, v, offset, x, batch);
  }

  /**
   * The R-operator's reverse pass from the loss's input (exact Hessian-vector products), after
   * lossBackward(…, x, batch) and rForward(null, v, 0, x, batch): given rdz = R{∂L/∂z} at the
   * loss's input z (see lossInput), every parameter gradient += R{its gradient}. rdz is read only.
   */
  lossInputRBackward(rdz: T, v: readonly T[], x: T, batch: number): void {
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (!isFused(last)) {
      this.rBackwardFrom(n, this.outputGrad.get(batch), rdz, null, null, v, 0, x, batch);
      return;
    }
    // A lone activation layer has no parameters: nothing to add.
    if (n === 0 && last instanceof ActivationLayer) return;
    if (last instanceof ActivationLayer) {
      this.rBackwardFrom(n - 1, this.grads[n - 1].tensor, rdz, null, null, v, 0, x, batch);
      return;
    }
    const rdIn = n > 0 ? this.rGrads[n - 1].get(batch) : null;
    if (rdIn) this.k.zero(rdIn, batch * this.layers[n - 1].units);
    (last as DenseLayer<T>).rBackwardFromPreActivation(rdz, rdIn, n > 0 ? this.layers[n - 1].rOutput : null, v, this.parameterOffset[n], this.inputOf(n, x), batch);
    if (rdIn) this.rBackwardFrom(n - 1, this.grads[n - 1].tensor, rdIn, null, null, v, 0, x, batch);
  }

  /** rBackward through layers last, last − 1, …, 0, where dy and rdy are ∂L/∂ and R{∂L/∂} of layer `last`'s output. */
  private rBackwardFrom(last: number, dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    for (let i = last; i >= 0; i--) {
      const rdIn = i > 0 ? this.rGrads[i - 1].get(batch) : rdx;
      if (i > 0) this.k.zero(rdIn!, batch * this.layers[i - 1].units);
      const dyOut = i === last ? dy : this.grads[i].tensor;
      const rdyOut = i === last ? rdy : this.rGrads[i].get(batch);
      this.layers[i].rBackward(dyOut, rdyOut, rdIn, i === 0 ? rx : this.layers[i - 1].rOutput, v, offset + this.parameterOffset[i], this.inputOf(i, x), batch);
    }
  }

  /** Each layer's squaredGradients after backward(dy, …, x, batch), layer i from the ∂L/∂(its output) that backward left. */
  squaredGradients(dy: T, x: T, batch: number, out: readonly T[], offset: number): void {
    const last = this.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      this.layers[i].squaredGradients(i === last ? dy : this.grads[i].tensor, this.inputOf(i, x), batch, out, offset + this.parameterOffset[i]);
    }
  }

  /**
   * After lossBackward(…, x, batch): out[i] += Σ_rows (the row's share of parameter i's gradient of
   * the mean loss)², for every parameter in `parameters` order (Martens' preconditioner's diagonal
   * is batch times this).
   */
  lossSquaredGradients(x: T, batch: number, out: readonly T[]): void {
    // A fused output layer keeps its own ∂L/∂z (a dense layer) or has no parameters (an activation
    // layer); otherwise lossBackward's gradient at the output is in outputGrad.
    this.squaredGradients(this.outputGrad.get(batch), x, batch, out, 0);
  }

  /**
   * The loss's input in the last forward on x (what a fused loss differentiates): the output
   * layer's pre-activation when it is fused with the loss (a dense layer's z, an activation layer's
   * input), else the output.
   */
  lossInput(x: T): T {
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (last instanceof DenseLayer) return last.preActivation;
    return last instanceof ActivationLayer ? this.inputOf(n, x) : last.output;
  }

  /** R{·} of the loss's input after rForward; null when nothing before it moves (a lone activation layer). */
  get rLossInput(): T | null {
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (last instanceof DenseLayer) return last.rPreActivation;
    if (last instanceof ActivationLayer) return n > 0 ? this.layers[n - 1].rOutput : null;
    return last.rOutput;
  }

  /** The activation from the loss's input to the output ('linear' when the loss is not fused with the last layer). */
  get outputActivation(): OutputActivation {
    const last = this.layers[this.layers.length - 1];
    return isFused(last) ? last.activation : 'linear';
  }

  /**
   * Given dz = ∂L/∂(the loss's input, see lossInput) of the last forward on x: every parameter
   * gradient += its share, dx += ∂L/∂x unless null. dz is read only.
   */
  lossInputBackward(dz: T, dx: T | null, x: T, batch: number): void {
    this.passCount.next();
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (!isFused(last)) {
      this.backward(dz, dx, x, batch);
      return;
    }
    if (last instanceof ActivationLayer) {
      if (n === 0) {
        if (dx) this.k.axpy(dx, dz, batch * this.inputs, 1);
      } else {
        this.backwardFrom(n - 1, dz, dx, x, batch);
      }
      return;
    }
    const dIn = n > 0 ? this.grads[n - 1].tensor : dx;
    if (n > 0) this.k.zero(dIn!, batch * this.layers[n - 1].units);
    (last as DenseLayer<T>).backwardFromPreActivation(dz, dIn, this.inputOf(n, x), batch);
    if (n > 0) this.backwardFrom(n - 1, dIn!, dx, x, batch);
  }

  /** Given dy = ∂L/∂output of the last forward on x: every parameter gradient += its share; dx += ∂L/∂x unless null. */
  backward(dy: T, dx: T | null, x: T, batch: number): void {
    this.passCount.next();
    this.backwardFrom(this.layers.length - 1, dy, dx, x, batch);
  }

  /** Backward through layers last, last − 1, …, 0, where dy is ∂L/∂(output of layer `last`). */
  private backwardFrom(last: number, dy: T, dx: T | null, x: T, batch: number): void {
    for (let i = last; i >= 0; i--) {
      const dIn = i > 0 ? this.grads[i - 1].tensor : dx;
      if (i > 0) this.k.zero(this.grads[i - 1].tensor, batch * this.layers[i - 1].units);
      this.layers[i].backward(i === last ? dy : this.grads[i].tensor, dIn, this.inputOf(i, x), batch);
    }
  }

  /**
   * Refuses a loss the output cannot pair with (INVALID_OPTION): cross-entropy needs a softmax
   * output layer, binary cross-entropy a sigmoid one; mse takes any output but softmax.
   */
  checkLoss(loss: Loss): void {
    const last = this.layers[this.layers.length - 1];
    const output = this.outputActivation;
    const required = LOSS_OUTPUT[loss];
    if ((required !== null && output !== required) || (required === null && output === 'softmax')) {
      const wanted = required === null ? 'any output but softmax' : `a '${required}' output layer (dense or activation)`;
      throw new GradscopeError('INVALID_OPTION', `loss '${loss}' needs ${wanted}, but the last layer is a ${last.type} layer with '${output}' output`);
    }
  }

  /** The mean loss over the batch of the last forward (on x) against y (`[batch][units]`). */
  loss(loss: Loss, y: T, x: T, batch: number): number {
    this.checkLoss(loss);
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (isFused(last)) return last.loss(loss, y, this.inputOf(n, x), batch);
    return this.k.loss(loss, 'linear', last.output, last.output, y, batch, this.units);
  }

  /**
   * As `loss`, and backward from it through every layer: parameter gradients += ∂(mean loss), dx
   * += ∂(mean loss)/∂x unless null. The output activation is fused with the loss where there is one.
   */
  lossBackward(loss: Loss, y: T, x: T, batch: number, dx: T | null = null): number {
    this.checkLoss(loss);
    this.passCount.next();
    const n = this.layers.length - 1;
    const last = this.layers[n];
    if (isFused(last)) {
      const dIn = n > 0 ? this.grads[n - 1].tensor : dx;
      if (n > 0) this.k.zero(dIn!, batch * this.layers[n - 1].units);
      const value = last.lossBackward(loss, y, dIn, this.inputOf(n, x), batch);
      if (n > 0) this.backwardFrom(n - 1, dIn!, dx, x, batch);
      return value;
    }
    const dy = this.outputGrad.get(batch);
    this.k.zero(dy, batch * this.units);
    const value = this.k.lossBackward(loss, 'linear', dy, last.output, last.output, y, batch, this.units);
    this.backward(dy, dx, x, batch);
    return value;
  }

  /** out[i] = parameter i's gradient, for every entry of `parameters` (where the curvature products leave theirs). */
  copyGradients(out: readonly T[]): void {
    for (let i = 0; i < this.parameters.length; i++) this.k.copy2d(out[i], 0, 0, this.parameters[i].grad, 0, 0, 1, this.parameters[i].grad.length);
  }

  /** Every parameter gradient = 0. */
  zeroGradients(): void {
    for (let i = 0; i < this.parameters.length; i++) this.k.zero(this.parameters[i].grad);
  }

  reserve(batch: number): void {
    this.passCount.next();
    for (const layer of this.layers) layer.reserve(batch);
    for (const g of [...this.grads, this.outputGrad, ...this.rGrads]) g.reserve(batch);
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
    for (const g of [...this.grads, this.outputGrad, ...this.rGrads]) g.dispose();
  }
}

function isFused<T extends Tensor>(layer: Layer<T>): layer is FusedOutputLayer<T> {
  return layer instanceof DenseLayer || layer instanceof ActivationLayer;
}

/**
 * A Sequential of checked specs taking `inputs` features, initialised from `rng`. All or nothing:
 * if a layer cannot be made (out of memory), those already made are freed.
 */
export function buildSequential<T extends Tensor>(k: Kernels<T>, specs: readonly CheckedSpec[], inputs: number, rng: Rng, options: BuildOptions = {}): Sequential<T> {
  const capacity = options.capacity ?? 1;
  return k.allOrNothing(() => {
    const layers: Layer<T>[] = [];
    let width = inputs;
    for (const spec of specs) {
      layers.push(buildLayer(k, spec, width, rng, options, capacity));
      width = widthAfter([spec], width);
    }
    return new Sequential(k, inputs, layers, capacity);
  });
}

function buildLayer<T extends Tensor>(k: Kernels<T>, spec: CheckedSpec, width: number, rng: Rng, options: BuildOptions, capacity: number): Layer<T> {
  switch (spec.type) {
    case 'dense': {
      const weights = initWeights(options.init ?? 'standard', width, spec.units, rng);
      // A layer without a bias draws none: the next layer's draws start where its weights' end.
      const biases = hasBias(spec) ? initBiases(options.biasInit ?? 'zero', spec.units, rng) : null;
      return new DenseLayer(k, width, spec.units, spec.activation, weights, biases, capacity);
    }
    case 'batch-norm':
      return new BatchNormLayer(k, width, capacity, spec.epsilon, spec.momentum);
    case 'layer-norm':
      return new LayerNormLayer(k, width, capacity, spec.epsilon);
    case 'activation':
      return new ActivationLayer(k, width, spec.activation, capacity);
    case 'residual':
      return new ResidualBlock(k, buildSequential(k, spec.layers, width, rng, options), spec.gate, capacity);
  }
}
