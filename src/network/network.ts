/**
 * The feed-forward network, written once against the Kernels contract. Names follow Nielsen's
 * network.py: sizes, weights, biases, zs, activations, deltas, nablaW, nablaB.
 *
 * Layer l (0-based) maps activations[l] (sizes[l] units) to activations[l + 1] through
 * weights[l] (`[sizes[l+1]][sizes[l]]`) and biases[l]. All tensors live in the backend's memory and
 * are allocated once (per batch capacity); a training step allocates nothing.
 */
import { networkOn, type BackendOptions } from '../backend.js';
import { checkPairs, toMatrix, type Matrix, type Rows } from '../data/matrix.js';
import { GradscopeError, invalidOption } from '../errors.js';
import { initBiases, initWeights } from '../init/initializers.js';
import { Rng } from '../init/rng.js';
import type { Activation, FloatArray, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import { resolveConfig, type NetworkConfig, type NetworkOptions } from './config.js';
import { modelFromJSON, modelToJSON, type ModelFile } from './model-file.js';
import { runTraining, type TrainOptions, type TrainResult } from './train.js';
import { asOutOfMemory, checkFits, parameterCountOf, rowBufferElements } from './memory-budget.js';
import { nonFiniteStep } from './numeric-faults.js';
import type { Trace } from '../flow/trace.js';

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
    // Weights, biases and their gradients: refused whole before the first alloc if they cannot fit.
    checkFits(kernels, 2 * parameterCountOf(this.sizes), 4 * this.depth, `a network of sizes [${this.sizes.join(', ')}]`);
    try {
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
    } catch (error) {
      for (const t of [...this.weights, ...this.biases, ...this.nablaW, ...this.nablaB]) kernels.free(t);
      throw asOutOfMemory(error, `a network of sizes [${this.sizes.join(', ')}]`);
    }
  }

  /** Weights and biases in all layers. */
  get parameterCount(): number {
    return parameterCountOf(this.sizes);
  }

  /** Throws OUT_OF_MEMORY unless `elements` more floats fit in the backend (checked before allocating them). */
  checkFits(elements: number, what: string): void {
    checkFits(this.kernels, elements, 2, what);
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
    const needed = rows * rowBufferElements(this.sizes) - this.capacity * rowBufferElements(this.sizes);
    checkFits(this.kernels, needed, 3 * this.depth + 3, `buffers for a batch of ${rows} rows`);
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
    this.assertAlive();
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
    this.checkOutputs(0, data.x.rows, 'inputs');
    const loss = this.backprop(data.x.rows);
    const fault = nonFiniteStep(this, loss);
    if (fault) throw new GradscopeError('NON_FINITE_INPUT', `gradients over rows 0..${data.x.rows - 1}: ${fault} (the inputs or targets are too large for float32)`);
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
      const loss = k.loss(this.loss, this.activationFunctions[L - 1], this.zs[L - 1], this.activations[L], this.targets!, count, n);
      if (!Number.isFinite(loss)) {
        throw new GradscopeError('NON_FINITE_INPUT', `targets: the loss over rows ${start}..${start + count - 1} is ${loss} (targets too large for float32)`);
      }
      lossSum += count * loss;
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
      this.checkOutputs(start, count, 'inputs');
      visit(start, count);
    }
  }

  /**
   * After feedforward of `count` rows (the first being row `first` of the caller's data): throws
   * NON_FINITE_INPUT naming the row and layer if a finite input overflowed float32 on its way
   * through, so a NaN or Inf never reaches the caller. One maxAbs over the outputs when all is well.
   */
  private checkOutputs(first: number, count: number, label: string): void {
    const k = this.kernels;
    const L = this.depth;
    if (Number.isFinite(k.maxAbs(this.activations[L], count * this.outputSize))) return;
    for (let l = 1; l <= L; l++) {
      const a = k.view(this.activations[l]);
      const n = this.sizes[l];
      for (let i = 0; i < count * n; i++) {
        if (!Number.isFinite(a[i])) {
          const row = first + Math.floor(i / n);
          throw new GradscopeError(
            'NON_FINITE_INPUT',
            `${label}: row ${row} overflows float32 in layer ${l - 1} (unit ${i % n} is ${a[i]}); the inputs or the weights are too large`,
          );
        }
      }
    }
  }

  /** Mini-batch training; see TrainOptions. */
  train(x: Rows, y: Rows, options: TrainOptions = {}): TrainResult {
    this.assertAlive();
    if (typeof options !== 'object' || options === null) throw invalidOption('train: options must be an object');
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
  static async fromJSON(json: unknown, options: BackendOptions & { seed?: number } = {}): Promise<Network> {
    if (typeof options !== 'object' || options === null) throw invalidOption('fromJSON: options must be an object');
    if (options.seed !== undefined && !Number.isInteger(options.seed)) throw invalidOption(`seed: expected an integer, got ${JSON.stringify(options.seed)}`);
    const model = modelFromJSON(json);
    const config: NetworkConfig = {
      sizes: model.sizes,
      activations: model.activations,
      loss: model.loss,
      init: 'standard',
      biasInit: 'zero',
      seed: options.seed ?? 1,
    };
    return networkOn(options, (kernels) => new Network(kernels, config, { weights: model.weights, biases: model.biases }));
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

  /** The gradient-flow trace of the last train() call given `trace` options (see src/flow). */
  trace: Trace | undefined;
}

/** The class an output row predicts (one output: 1 at or above ½); also used by the trace. */
export function predictedClass(values: ArrayLike<number>, offset: number, n: number): number {
  if (n === 1) return values[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/**
 * A new network. `backend` picks the kernels ('wasm' by default); `threads: n` runs the wasm
 * backend's large products on n threads, on kernels shared by every network of the same n and
 * closed when the last of them is disposed (src/backend.ts).
 */
export async function createNetwork(options: NetworkOptions & BackendOptions): Promise<Network> {
  const config = resolveConfig(options);
  return networkOn(options, (kernels) => new Network(kernels, config));
}
