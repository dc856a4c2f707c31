/**
 * The feed-forward network, written once against the Kernels contract. Names follow Nielsen's
 * network.py: sizes, weights, biases, zs, activations, deltas, nablaW, nablaB.
 *
 * Layer l (0-based) maps activations[l] (sizes[l] units) to activations[l + 1] through
 * weights[l] (`[sizes[l+1]][sizes[l]]`) and biases[l]. All tensors live in the backend's memory and
 * are allocated once (per batch capacity); a training step allocates nothing.
 */
import { resolveBackend, type BackendChoice } from '../backend.js';
import { checkPairs, toMatrix, type Matrix, type Rows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import { initBiases, initWeights } from '../init/initializers.js';
import { Rng } from '../init/rng.js';
import type { Activation, FloatArray, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import { resolveConfig, type NetworkConfig, type NetworkOptions } from './config.js';
import { modelFromJSON, modelToJSON, type ModelFile } from './model-file.js';
import { runTraining, type TrainOptions, type TrainResult } from './train.js';

export interface LayerGradient {
  /** ∂C/∂W, `[units][inputs]` row-major. */
  weights: Float64Array;
  /** ∂C/∂b. */
  biases: Float64Array;
  inputs: number;
  units: number;
  /** ‖∂C/∂W‖ (Frobenius). */
  weightNorm: number;
  /** ‖∂C/∂b‖: Nielsen's "speed of learning" of the layer. */
  biasNorm: number;
}

/** Gradients of the mean loss over the given rows. */
export interface Gradients {
  loss: number;
  layers: LayerGradient[];
}

export interface Evaluation {
  loss: number;
  /** Fraction of rows whose largest output is the target's (one output: both on the same side of ½). */
  accuracy: number;
}

/** One trainable tensor and its gradient, as optimisers see them. */
export interface Parameter<T extends Tensor = Tensor> {
  layer: number;
  kind: 'weights' | 'biases';
  value: T;
  grad: T;
  length: number;
}

/** Rows processed at once by predict and evaluate when no larger capacity exists. */
const INFERENCE_CHUNK = 256;

export class Network<T extends Tensor = Tensor> {
  readonly sizes: readonly number[];
  /** activationFunctions[l] follows weights[l]; the last is the output activation. */
  readonly activationFunctions: readonly OutputActivation[];
  readonly loss: Loss;
  readonly kernels: Kernels<T>;
  readonly rng: Rng;

  readonly weights: T[];
  readonly biases: T[];
  readonly nablaW: T[];
  readonly nablaB: T[];
  /** Per-layer activation buffers for `capacity` rows: zs[l], activations[l] (activations[0] is the input), deltas[l] = ∂C/∂zs[l]. */
  zs: T[] = [];
  activations: T[] = [];
  deltas: T[] = [];
  /** ∂C/∂activations[l] while it flows back through a layer (one buffer, reused). */
  private backflow: T | undefined;
  /** Targets of the current batch. */
  targets: T | undefined;
  /** Rows the activation buffers hold. */
  capacity = 0;
  /** Training steps taken (persisted, so a resumed run continues the count). */
  step = 0;
  private disposed = false;

  constructor(kernels: Kernels<T>, config: NetworkConfig, parameters?: { weights: ArrayLike<number>[]; biases: ArrayLike<number>[] }) {
    this.kernels = kernels;
    this.sizes = config.sizes;
    this.activationFunctions = config.activations;
    this.loss = config.loss;
    this.rng = new Rng(config.seed);
    this.weights = [];
    this.biases = [];
    this.nablaW = [];
    this.nablaB = [];
    for (let l = 0; l < this.depth; l++) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      const w = parameters?.weights[l] ?? initWeights(config.init, nIn, nOut, this.rng);
      const b = parameters?.biases[l] ?? initBiases(config.biasInit, nOut, this.rng);
      this.weights.push(this.tensorOf(w));
      this.biases.push(this.tensorOf(b));
      this.nablaW.push(kernels.alloc(nIn * nOut));
      this.nablaB.push(kernels.alloc(nOut));
    }
  }

  /** Number of weight layers. */
  get depth(): number {
    return this.sizes.length - 1;
  }

  get inputSize(): number {
    return this.sizes[0];
  }

  get outputSize(): number {
    return this.sizes[this.depth];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private tensorOf(values: ArrayLike<number>): T {
    const t = this.kernels.alloc(values.length);
    this.kernels.write(t, values);
    return t;
  }

  /** Throws DISPOSED after dispose(); every public method starts here. */
  assertAlive(): void {
    if (this.disposed) throw new GradscopeError('DISPOSED', 'this network was disposed; create or load a new one');
  }

  /** Makes the activation buffers hold at least `rows` rows. */
  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.freeActivations();
    const k = this.kernels;
    this.activations = [k.alloc(rows * this.sizes[0])];
    for (let l = 0; l < this.depth; l++) {
      this.zs.push(k.alloc(rows * this.sizes[l + 1]));
      this.activations.push(k.alloc(rows * this.sizes[l + 1]));
      this.deltas.push(k.alloc(rows * this.sizes[l + 1]));
    }
    this.backflow = k.alloc(rows * Math.max(...this.sizes));
    this.targets = k.alloc(rows * this.outputSize);
    this.capacity = rows;
  }

  private freeActivations(): void {
    const k = this.kernels;
    for (const t of [...this.zs, ...this.activations, ...this.deltas]) k.free(t);
    if (this.backflow) k.free(this.backflow);
    if (this.targets) k.free(this.targets);
    this.zs = [];
    this.activations = [];
    this.deltas = [];
    this.backflow = undefined;
    this.targets = undefined;
    this.capacity = 0;
  }

  /** Forward pass of the `batch` rows in activations[0]. */
  feedforward(batch: number): void {
    const k = this.kernels;
    for (let l = 0; l < this.depth; l++) {
      k.denseForward(this.zs[l], this.activations[l], this.weights[l], this.biases[l], batch, this.sizes[l], this.sizes[l + 1]);
      k.activationForward(this.activationFunctions[l], this.activations[l + 1], this.zs[l], batch, this.sizes[l + 1]);
    }
  }

  /**
   * Backpropagation after feedforward(batch), against `targets`: sets nablaW, nablaB to the
   * gradients of the mean loss over the batch (and deltas[l] to ∂C/∂zs[l]); returns the mean loss.
   */
  backprop(batch: number): number {
    const k = this.kernels;
    const L = this.depth;
    for (let l = 0; l < L; l++) {
      k.zero(this.nablaW[l]);
      k.zero(this.nablaB[l]);
      k.zero(this.deltas[l], batch * this.sizes[l + 1]);
    }
    const output = this.activationFunctions[L - 1];
    const cost = k.lossBackward(this.loss, output, this.deltas[L - 1], this.zs[L - 1], this.activations[L], this.targets!, batch, this.outputSize);
    for (let l = L - 1; l >= 0; l--) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      k.denseBackwardWeights(this.nablaW[l], this.deltas[l], this.activations[l], batch, nIn, nOut);
      k.denseBackwardBias(this.nablaB[l], this.deltas[l], batch, nOut);
      if (l > 0) {
        // δ^{l−1} = (W^lᵀ δ^l) ⊙ σ'(z^{l−1}): the chain-rule factor whose product vanishes with depth.
        k.zero(this.backflow!, batch * nIn);
        k.denseBackwardInput(this.backflow!, this.deltas[l], this.weights[l], batch, nIn, nOut);
        k.activationBackward(this.activationFunctions[l - 1] as Activation, this.deltas[l - 1], this.backflow!, this.zs[l - 1], this.activations[l], batch, nIn);
      }
    }
    return cost;
  }

  /** The trainable tensors, weights then biases of each layer, first layer first. */
  parameters(): Parameter<T>[] {
    const out: Parameter<T>[] = [];
    for (let l = 0; l < this.depth; l++) {
      out.push({ layer: l, kind: 'weights', value: this.weights[l], grad: this.nablaW[l], length: this.weights[l].length });
      out.push({ layer: l, kind: 'biases', value: this.biases[l], grad: this.nablaB[l], length: this.biases[l].length });
    }
    return out;
  }

  /** Checks inputs (and targets) against the network's sizes. */
  matrices(x: Rows, y: Rows): { x: Matrix; y: Matrix } {
    const inputs = toMatrix(x, this.inputSize, 'inputs');
    const targets = toMatrix(y, this.outputSize, 'targets');
    checkPairs(inputs, targets);
    return { x: inputs, y: targets };
  }

  /** The network's outputs for each row of x. */
  predict(x: Rows): FloatArray[] {
    this.assertAlive();
    const inputs = toMatrix(x, this.inputSize, 'inputs');
    const out: FloatArray[] = [];
    this.forEachChunk(inputs, (_start, count) => {
      const a = this.kernels.view(this.activations[this.depth]);
      for (let r = 0; r < count; r++) out.push(a.slice(r * this.outputSize, (r + 1) * this.outputSize));
    });
    return out;
  }

  /** Gradients of the mean loss over all rows of (x, y), in one batch. */
  gradients(x: Rows, y: Rows): Gradients {
    this.assertAlive();
    const data = this.matrices(x, y);
    this.ensureCapacity(data.x.rows);
    const k = this.kernels;
    k.write(this.activations[0], data.x.data);
    k.write(this.targets!, data.y.data);
    this.feedforward(data.x.rows);
    const loss = this.backprop(data.x.rows);
    const layers = Array.from({ length: this.depth }, (_, l) => {
      const weights = Float64Array.from(k.view(this.nablaW[l]));
      const biases = Float64Array.from(k.view(this.nablaB[l]));
      return {
        weights,
        biases,
        inputs: this.sizes[l],
        units: this.sizes[l + 1],
        weightNorm: Math.sqrt(k.sumSquares(this.nablaW[l], weights.length)),
        biasNorm: Math.sqrt(k.sumSquares(this.nablaB[l], biases.length)),
      };
    });
    return { loss, layers };
  }

  /** Mean loss and accuracy over all rows of (x, y). */
  evaluate(x: Rows, y: Rows): Evaluation {
    this.assertAlive();
    const data = this.matrices(x, y);
    return this.evaluateMatrices(data.x, data.y);
  }

  evaluateMatrices(x: Matrix, y: Matrix): Evaluation {
    let lossSum = 0;
    let correct = 0;
    const n = this.outputSize;
    this.forEachChunk(x, (start, count) => {
      const k = this.kernels;
      k.write(this.targets!, y.data.subarray(start * n, (start + count) * n));
      const L = this.depth;
      lossSum += count * k.loss(this.loss, this.activationFunctions[L - 1], this.zs[L - 1], this.activations[L], this.targets!, count, n);
      const a = k.view(this.activations[L]);
      for (let r = 0; r < count; r++) {
        if (predictedClass(a, r * n, n) === predictedClass(y.data, (start + r) * n, n)) correct++;
      }
    });
    return { loss: lossSum / x.rows, accuracy: correct / x.rows };
  }

  /** Runs feedforward over x in chunks of at most the buffer capacity, calling `visit` after each. */
  private forEachChunk(x: Matrix, visit: (start: number, count: number) => void): void {
    this.ensureCapacity(Math.min(Math.max(this.capacity, INFERENCE_CHUNK), Math.max(x.rows, 1)));
    for (let start = 0; start < x.rows; start += this.capacity) {
      const count = Math.min(this.capacity, x.rows - start);
      this.kernels.write(this.activations[0], x.data.subarray(start * this.inputSize, (start + count) * this.inputSize));
      this.feedforward(count);
      visit(start, count);
    }
  }

  /** Mini-batch training; see TrainOptions. */
  train(x: Rows, y: Rows, options: TrainOptions = {}): TrainResult {
    this.assertAlive();
    const data = this.matrices(x, y);
    const validation = options.validation && this.matrices(options.validation.x, options.validation.y);
    return runTraining(this, data.x, data.y, options, validation);
  }

  /** The model in gradscope's JSON file format (see README). */
  toJSON(): ModelFile {
    this.assertAlive();
    const k = this.kernels;
    return modelToJSON({
      loss: this.loss,
      sizes: this.sizes,
      activations: this.activationFunctions,
      weights: this.weights.map((w) => k.view(w)),
      biases: this.biases.map((b) => k.view(b)),
    });
  }

  /** A network from gradscope's JSON model format (an object or its text). */
  static async fromJSON(json: unknown, options: { backend?: BackendChoice; seed?: number } = {}): Promise<Network> {
    const model = modelFromJSON(json);
    const kernels = await resolveBackend(options.backend);
    const config: NetworkConfig = {
      sizes: model.sizes,
      activations: model.activations,
      loss: model.loss,
      init: 'standard',
      biasInit: 'zero',
      seed: options.seed ?? 1,
    };
    return new Network(kernels, config, { weights: model.weights, biases: model.biases });
  }

  /** Returns every tensor's memory to the backend; any later call throws DISPOSED. */
  dispose(): void {
    if (this.disposed) return;
    this.freeActivations();
    const k = this.kernels;
    for (const t of [...this.weights, ...this.biases, ...this.nablaW, ...this.nablaB]) k.free(t);
    this.onDispose.forEach((release) => release());
    this.disposed = true;
  }

  /** Releases of state that others (optimisers, traces) keep in the backend's memory. */
  readonly onDispose: (() => void)[] = [];
}

function predictedClass(values: ArrayLike<number>, offset: number, n: number): number {
  if (n === 1) return values[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

export async function createNetwork(options: NetworkOptions & { backend?: BackendChoice }): Promise<Network> {
  const config = resolveConfig(options);
  const kernels = await resolveBackend(options.backend);
  return new Network(kernels, config);
}
