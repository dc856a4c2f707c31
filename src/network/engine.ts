/**
 * The engine: the feed-forward network written once against the Kernels contract, behind the
 * public Network (src/api/network.ts). It implements the Model contract (src/model.ts) that
 * optimisers and the trace see. Names follow Nielsen's network.py: sizes, weights, biases, zs,
 * activations, deltas, nablaW, nablaB.
 *
 * Layer l (0-based) maps activations[l] (sizes[l] units) to activations[l + 1] through
 * weights[l] (`[sizes[l+1]][sizes[l]]`) and biases[l]. All tensors live in the backend's memory and
 * are allocated once (per batch capacity); a training step allocates nothing.
 */
import type { ResidentRows } from '../data/matrix.js';
import { initBiases, initWeights } from '../init/initializers.js';
import { drawnParameters, givenParameters, type Initialisers, type ParameterOrigin } from '../init/initialisation.js';
import { Rng } from '../init/rng.js';
import type { Activation, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import { checkModelLimits } from '../model-limits.js';
import { denseLayerName } from '../layer-names.js';
import { denseGradientShares, denseTensorName, loadedAfterForward, MODEL, overflowIn, type Mode, type Model, type Overflow, type Parameter, type RowsLender } from '../model.js';
import type { NetworkConfig } from './config.js';
import { bindMethods } from './bound-methods.js';
import { disposedError, refuseEngineMembers } from './disposed.js';
import type { LsuvTarget } from '../layers/lsuv.js';
import { asOutOfMemory, checkBatchFits, checkFits, parameterCountOf, rowBufferElements } from './memory-budget.js';
import { PassCount } from '../layers/passes.js';
import { sizesList } from '../layer-runs.js';
import { GradscopeError } from '../errors.js';
import { counted, grouped } from '../counted.js';
import { denseStepOf, DENSE_STEP, type DenseStepRunner, type DenseStepTensors } from '../dense-step.js';

/** The parameters a network starts from instead of initialising them. */
export interface InitialParameters {
  /** Per weight layer, first layer first: its nOut × nIn weights, row-major ([out][in]). */
  weights: ArrayLike<number>[];
  /** Per weight layer, first layer first: its nOut biases. */
  biases: ArrayLike<number>[];
}

/**
 * Refuses (BAD_MODEL_FILE, as the block engine's writeState refuses a tensor that does not fit) given parameters of another
 * count of layers than `sizes` has, or a layer's weights or biases of another length: written in as they came, a short or long
 * array would leave the tensors holding another layer's values (bias53 found a block network's tensors paired so, unsaid).
 */
function checkGivenParameters(given: InitialParameters, sizes: readonly number[]): void {
  const depth = sizes.length - 1;
  if (given.weights.length !== depth || given.biases.length !== depth) {
    throw new GradscopeError('BAD_MODEL_FILE', `parameters: expected the weights and biases of ${counted(depth, 'weight layer')} (sizes ${sizesList(sizes)}), got ${given.weights.length} weight and ${given.biases.length} bias arrays`);
  }
  for (let l = 0; l < depth; l++) {
    const expected = { weights: sizes[l] * sizes[l + 1], biases: sizes[l + 1] };
    for (const kind of ['weights', 'biases'] as const) {
      const length = given[kind][l].length;
      if (length !== expected[kind]) throw new GradscopeError('BAD_MODEL_FILE', `parameters: ${kind}[${l}]: expected ${grouped(expected[kind])} values for layer ${l} (${sizes[l]} → ${sizes[l + 1]}), got ${grouped(length)}`);
    }
  }
}

/** copyRows' row list for copying a block of rows as one row of its whole length. */
const WHOLE_BLOCK = new Uint32Array(1);

/** Whether order[start .. start+count) is 0, 1, …, count − 1: a block's first rows in their own order. */
function firstRowsInOrder(order: Uint32Array, start: number, count: number): boolean {
  for (let i = 0; i < count; i++) if (order[start + i] !== i) return false;
  return true;
}

export class Engine<T extends Tensor = Tensor> implements Model<T> {
  readonly kind = 'dense';
  readonly minTrainingRows = 1;
  readonly sizes: readonly number[];
  /** Units of each weight layer's output: sizes without the input. */
  readonly layerWidths: readonly number[];
  /** activationFunctions[l] follows weights[l]; the last is the output activation. */
  readonly activationFunctions: readonly OutputActivation[];
  readonly loss: Loss;
  /** The backend's kernels (after dispose() reading it throws DISPOSED, as every member does: refuseEngineMembers). */
  private k: Kernels<T>;
  readonly rng: Rng;
  /** The initialisers the weights and biases were drawn with; for given parameters, what their file or loadState records (givenParameters), absent (unknown) where nothing does. */
  initialisation: Initialisers | undefined;

  readonly weights: T[];
  readonly biases: T[];
  readonly nablaW: T[];
  readonly nablaB: T[];
  /** Per-layer activation buffers for `capacity` rows: zs[l], activations[l] (activations[0] is the input), deltas[l] = ∂C/∂zs[l]. */
  private buffers: { zs: T[]; activations: T[]; deltas: T[]; targets: T | undefined } = { zs: [], activations: [], deltas: [], targets: undefined };
  /** ∂C/∂activations[l] while it flows back through a layer (one buffer, reused). */
  private backflow: T | undefined;
  /** Rows the activation buffers hold. */
  capacity = 0;
  /** The rows loadBatch may leave where they lie (rowsInPlace), or undefined: it copies every batch. */
  #inPlace: { x: T; y: T; endLoan: (() => void) | undefined } | undefined;
  /**
   * While the layers read rows where they lie (activations[0] and targets are a data set's tensors):
   * the network's own input and targets buffers, set aside, and the rows loaded. Undefined when the
   * layers read the network's own buffers.
   */
  #setAside: { input: T; targets: T; rows: number } | undefined;
  /**
   * The data set whose rows loadBatch left for the forward to gather as its first product reads them
   * (Kernels.denseForwardGather): its rows numbered by #gatherRows' first #gatherCount, copied there
   * when the batch was loaded. Undefined once gathered into activations[0], by the forward or by
   * whoever reads the input first (gatherInput). Fields, not an object: a step allocates nothing.
   */
  #gatherFrom: T | undefined;
  #gatherCount = 0;
  /** See loadedRows. */
  #loadedRows = 0;
  /** The row numbers of the rows to gather (capacity of them, allocated with the batch buffers). */
  #gatherRows = new Uint32Array(0);
  /** Weights then bias of each layer, named as PyTorch's state_dict (built once). */
  private readonly params: Parameter<T>[];
  /** Training steps taken (persisted, so a resumed run continues the count). */
  step = 0;
  /** Created with init 'lsuv' and not yet rescaled (see lsuv-init.ts). */
  awaitingLsuv: boolean;
  /** LSUV has rescaled the weights (see lsuv-init.ts); the trace's run records it. */
  lsuvApplied: boolean;
  #disposed = false;
  readonly onDispose = new Set<() => void>();
  /** See passes. */
  readonly #passes = new PassCount();
  /** The backend's dense training step (src/dense-step.ts), where it has one. */
  #stepRunner: DenseStepRunner<T> | undefined;
  /** What the backend's step reads and writes, made at the first step; the buffers are set before each (a step allocates nothing). */
  #stepTensors: DenseStepTensors<T> | undefined;
  /**
   * The rows of a training forward not run yet (0: none): with a backend that runs a dense step in one
   * call (#stepRunner), forward(batch, 'train') waits for backprop to hand both to it; whatever reads
   * what the forward writes or reads first (a layer's output, the input, the parameters: settleForward)
   * runs it as feedforward does, so every reader sees what an immediate forward would have left.
   */
  #deferredRows = 0;

  constructor(kernels: Kernels<T>, config: NetworkConfig, parameters?: InitialParameters) {
    checkModelLimits(config.sizes, 'sizes'); // whichever way the network is built
    this.k = kernels;
    this.sizes = config.sizes;
    this.layerWidths = config.sizes.slice(1);
    this.activationFunctions = config.activations;
    this.loss = config.loss;
    this.rng = new Rng(config.seed);
    const origin: ParameterOrigin = parameters ? givenParameters(config.recorded) : drawnParameters(config);
    this.initialisation = origin.initialisation;
    this.awaitingLsuv = origin.awaitingLsuv;
    this.lsuvApplied = origin.lsuvApplied;
    this.weights = [];
    this.biases = [];
    this.nablaW = [];
    this.nablaB = [];
    if (parameters) checkGivenParameters(parameters, this.sizes);
    // Weights, biases and their gradients: refused whole before the first alloc if they cannot fit.
    checkFits(kernels, 2 * parameterCountOf(this.sizes), 4 * this.depth, `a network of sizes ${sizesList(this.sizes)}`);
    try {
      kernels.allOrNothing(() => {
        for (let l = 0; l < this.depth; l++) {
          const nIn = this.sizes[l];
          const nOut = this.sizes[l + 1];
          const w = parameters ? parameters.weights[l] : initWeights(config.init, nIn, nOut, this.rng);
          const b = parameters ? parameters.biases[l] : initBiases(config.biasInit, nOut, this.rng);
          this.weights.push(this.tensorOf(w));
          this.biases.push(this.tensorOf(b));
          this.nablaW.push(kernels.alloc(nIn * nOut));
          this.nablaB.push(kernels.alloc(nOut));
        }
      });
    } catch (error) {
      throw asOutOfMemory(error, `a network of sizes ${sizesList(this.sizes)}`);
    }
    this.#stepRunner = denseStepOf<T>(kernels);
    this.params = [];
    for (let l = 0; l < this.depth; l++) {
      const [nIn, nOut] = [this.sizes[l], this.sizes[l + 1]];
      const common = { group: l };
      this.params.push({ ...common, name: denseTensorName(l, 'weight'), shape: [nOut, nIn], value: this.weights[l], grad: this.nablaW[l], length: nIn * nOut, weightMatrix: true });
      this.params.push({ ...common, name: denseTensorName(l, 'bias'), shape: [nOut], value: this.biases[l], grad: this.nablaB[l], length: nOut, weightMatrix: false });
    }
    bindMethods(this); // an optimiser of one's own may read parameters, forward, … off the model it is given
  }

  get [MODEL](): Model<T> {
    return this;
  }

  get kernels(): Kernels<T> {
    return this.k;
  }

  get zs(): readonly T[] {
    this.settleForward();
    return this.buffers.zs;
  }

  /** The layers' outputs, activations[0] the loaded batch's input rows (a gather loadBatch left to the forward is done first). */
  get activations(): readonly T[] {
    this.settleForward();
    this.gatherInput();
    return this.buffers.activations;
  }

  get deltas(): readonly T[] {
    this.settleForward();
    return this.buffers.deltas;
  }

  /**
   * The loaded batch's targets, in the network's own buffer: rows loadBatch left where they lie are
   * copied in first (takeBackRows), so what a caller writes here never reaches a data set's rows.
   */
  get targets(): T {
    this.settleForward();
    this.takeBackRows();
    return this.buffers.targets!;
  }

  /** The loaded batch's input rows, in the network's own buffer (activations[0]); as targets, rows left where they lie are copied in first. */
  get input(): T {
    this.settleForward();
    this.takeBackRows();
    this.gatherInput();
    return this.buffers.activations[0];
  }

  get output(): T {
    this.settleForward();
    return this.buffers.activations[this.depth];
  }

  /** Weight layer l's output: activations[l + 1]. */
  layerOutput(l: number): T {
    this.settleForward();
    return this.buffers.activations[l + 1];
  }

  /** One group per weight layer. */
  get groupCount(): number {
    return this.depth;
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
    return this.#disposed;
  }

  /** Rows holding the batch a step reads (Trainable.loadedRows). */
  get loadedRows(): number {
    return this.#loadedRows;
  }

  /** Batches loaded, passes run and buffers grown so far (Trainable.passes). */
  get passes(): number {
    return this.#passes.value;
  }

  private tensorOf(values: ArrayLike<number>): T {
    const t = this.kernels.alloc(values.length);
    this.kernels.write(t, values);
    return t;
  }

  /** Throws DISPOSED after dispose(); every public method starts here. */
  assertAlive(): void {
    if (this.#disposed) throw disposedError();
  }

  /** Makes the activation buffers hold at least `rows` rows. */
  ensureCapacity(rows: number): void {
    this.assertAlive();
    if (rows <= this.capacity) return;
    this.settleForward();
    // All of the new buffers, not what they add to the old: freed below other tensors, the old ones
    // leave holes the larger new ones may not fit, and a check of the difference said yes to buffers
    // that then failed halfway, the old ones already freed.
    checkBatchFits(this.kernels, rows, rowBufferElements(this.sizes), 3 * this.depth + 3);
    // The new buffers are had before the old ones go: an engine that will not grow its memory as far
    // as the check allowed (below wasm32's 4 GiB) then leaves the old ones in place, not none. They fit
    // above the top, as the check asked, so holding both needs no more than it allowed.
    const k = this.kernels;
    const grown = k.allOrNothing(() => {
      const b: typeof this.buffers = { zs: [], activations: [k.alloc(rows * this.sizes[0])], deltas: [], targets: undefined };
      for (let l = 0; l < this.depth; l++) {
        b.zs.push(k.alloc(rows * this.sizes[l + 1]));
        b.activations.push(k.alloc(rows * this.sizes[l + 1]));
        b.deltas.push(k.alloc(rows * this.sizes[l + 1]));
      }
      const backflow = k.alloc(rows * Math.max(...this.sizes));
      b.targets = k.alloc(rows * this.outputSize);
      return { buffers: b, backflow };
    });
    this.#passes.next();
    this.freeActivations();
    this.buffers = grown.buffers;
    this.backflow = grown.backflow;
    this.#gatherRows = new Uint32Array(rows);
    this.capacity = rows;
    this.#loadedRows = 0;
  }

  private freeActivations(): void {
    this.readOwnRows(); // a data set's rows are its own to free
    this.#gatherFrom = undefined; // what the buffers held is no one's to read after a grow
    const k = this.kernels;
    const b = this.buffers;
    for (const t of [...b.zs, ...b.activations, ...b.deltas]) k.free(t);
    if (this.backflow) k.free(this.backflow);
    if (b.targets) k.free(b.targets);
    this.buffers = { zs: [], activations: [], deltas: [], targets: undefined };
    this.backflow = undefined;
    this.capacity = 0;
  }

  /**
   * Until endRowsInPlace(), loadBatch leaves x's and y's rows where they lie when it is asked for
   * their first rows in order (a one-batch train() call in order, or an unshuffled epoch's first
   * batch): the layers read them there and nothing is copied (at batch 256 of [784, …] 800 KB that
   * pushed the step's own data out of cache). Every other batch is copied as before. Whoever reads
   * or writes input or targets meanwhile (Levenberg–Marquardt, a predict() from onBatch) gets the
   * rows copied into the network's own buffers first, so nothing a caller holds ever changes.
   */
  rowsInPlace(x: ResidentRows<T>, y: ResidentRows<T>, lender?: RowsLender): void {
    this.assertAlive();
    this.settleForward();
    this.endRowsInPlace();
    // Rows loaded into the network's own buffers (loadInPlace) are read there already.
    if (x.tensor === this.buffers.activations[0]) return;
    this.#inPlace = { x: x.tensor, y: y.tensor, endLoan: lender?.beforeDispose(this.handBackRows) };
  }

  /** Ends rowsInPlace: the layers read the network's own buffers again (what those hold is the batch buffers' business: unspecified). */
  endRowsInPlace(): void {
    this.settleForward();
    this.readOwnRows();
    this.#inPlace?.endLoan?.();
    this.#inPlace = undefined;
  }

  /** The lender is about to free the rows (a Dataset disposed during the call): they are copied in, and no later batch is read in place. */
  private readonly handBackRows = (): void => {
    this.settleForward();
    this.takeBackRows();
    this.#inPlace = undefined;
  };

  /**
   * Loads rows order[start .. start+count) of x and y: the targets are copied in now; the input rows
   * are gathered by the next forward's first product as it reads them (denseForwardGather: each row
   * read from x once, where a copy before the forward read it twice), or by the first read of input
   * or activations before it. x is read then, so it must outlive the forward (train() and the rows'
   * helpers run it right after); the row numbers are copied now.
   */
  loadBatch(x: ResidentRows<T>, y: ResidentRows<T>, order: Uint32Array, start: number, count: number): void {
    this.settleForward();
    this.#passes.next();
    this.#loadedRows = count;
    this.#gatherFrom = undefined;
    const inPlace = this.#inPlace;
    if (inPlace !== undefined && x.tensor === inPlace.x && y.tensor === inPlace.y && firstRowsInOrder(order, start, count)) {
      this.readRowsAt(x.tensor, y.tensor, count);
      return;
    }
    this.readOwnRows();
    const k = this.kernels;
    const b = this.buffers;
    // Rows loaded in place (loadInPlace) are where they belong already.
    if (x.tensor !== b.activations[0]) {
      const rows = this.#gatherRows;
      for (let i = 0; i < count; i++) rows[i] = order[start + i];
      this.#gatherFrom = x.tensor;
      this.#gatherCount = count;
    }
    if (y.tensor !== b.targets) k.copyRows(b.targets!, y.tensor, order, start, count, y.cols);
  }

  /** The input rows loadBatch left to the forward, gathered into activations[0] now (copyRows), if any. */
  private gatherInput(): void {
    const from = this.#gatherFrom;
    if (from === undefined) return;
    this.#gatherFrom = undefined;
    this.kernels.copyRows(this.buffers.activations[0], from, this.#gatherRows, 0, this.#gatherCount, this.inputSize);
  }

  /** The layers read `rows` rows of `input` and `targets` where they lie, the network's own buffers set aside. */
  private readRowsAt(input: T, targets: T, rows: number): void {
    const b = this.buffers;
    this.#setAside ??= { input: b.activations[0], targets: b.targets!, rows };
    this.#setAside.rows = rows;
    b.activations[0] = input;
    b.targets = targets;
  }

  /** The layers read the network's own buffers again (what the set-aside rows held is not copied in). */
  private readOwnRows(): void {
    const aside = this.#setAside;
    if (aside === undefined) return;
    this.buffers.activations[0] = aside.input;
    this.buffers.targets = aside.targets;
    this.#setAside = undefined;
  }

  /** The rows the layers read where they lie copied into the network's own buffers, which the layers then read. */
  private takeBackRows(): void {
    const aside = this.#setAside;
    if (aside === undefined) return;
    const k = this.kernels;
    const b = this.buffers;
    k.copyRows(aside.input, b.activations[0], WHOLE_BLOCK, 0, 1, aside.rows * this.inputSize);
    k.copyRows(aside.targets, b.targets!, WHOLE_BLOCK, 0, 1, aside.rows * this.outputSize);
    this.readOwnRows();
  }

  /**
   * A chain of dense layers has no mode: forward is feedforward (the mode says only whether its rows
   * are a batch to step on: loadedRows). A training forward on a backend with a dense step waits for
   * backprop (#deferredRows).
   */
  forward(batch: number, mode: Mode): void {
    this.#loadedRows = loadedAfterForward(this.#loadedRows, batch, mode);
    if (mode !== 'train' || this.#stepRunner === undefined || batch === 0) return this.feedforward(batch);
    this.assertAlive();
    this.#passes.next();
    // A deferred forward of other rows runs first: it leaves outputs in rows this one does not write.
    if (this.#deferredRows !== batch) this.settleForward();
    this.#deferredRows = batch;
  }

  /** Runs a deferred training forward now (#deferredRows), if there is one. */
  private settleForward(): void {
    const batch = this.#deferredRows;
    if (batch === 0) return;
    this.#deferredRows = 0;
    this.runForward(batch);
  }

  lossOfLastForward(batch: number): number {
    const L = this.depth;
    return this.kernels.loss(this.loss, this.activationFunctions[L - 1], this.zs[L - 1], this.activations[L], this.buffers.targets!, batch, this.outputSize);
  }

  /** A dense chain has no state besides its parameters. */
  stateTensors(): readonly T[] {
    return [];
  }

  stateTensorLabels(): readonly string[] {
    return [];
  }

  /** Nothing to re-read. */
  stateTensorsWritten(): void {}

  /** Every weight layer, as LSUV rescales it: its output before the activation is zs[l]. */
  lsuvTargets(): LsuvTarget<T>[] {
    return this.weights.map((weight, l) => ({ name: String(2 * l), weight, output: () => this.zs[l], units: this.sizes[l + 1] }));
  }

  /**
   * Whether zs[0] of the last feedforward(batch) is finite everywhere: one pass over batch × sizes[1]
   * values that stands for one over the batch × sizes[0] inputs. An input value that is not finite
   * makes its whole row of zs[0] so (Inf·w is ±Inf, or NaN for w = 0; NaN stays NaN; the sum of
   * terms with one of them is not finite), so a finite zs[0] proves the inputs finite; a zs[0]
   * that is not may still come from finite inputs that overflow.
   */
  firstLayerFinite(batch: number): boolean {
    return Number.isFinite(this.kernels.maxAbs(this.zs[0], batch * this.sizes[1]));
  }

  /** Forward pass of the `batch` rows in activations[0] (gathered by its first product when loadBatch left them to it). */
  feedforward(batch: number): void {
    this.assertAlive();
    this.#passes.next();
    // A deferred training forward of as many rows would leave what this one leaves; one of other rows runs first (see forward).
    if (this.#deferredRows === batch) this.#deferredRows = 0;
    else this.settleForward();
    this.runForward(batch);
  }

  private runForward(batch: number): void {
    const k = this.kernels;
    const { zs, activations } = this.buffers;
    const from = this.#gatherFrom;
    if (from !== undefined && this.#gatherCount === batch) {
      this.#gatherFrom = undefined;
      k.denseForwardGather(zs[0], activations[0], from, this.#gatherRows, 0, this.weights[0], this.biases[0], batch, this.sizes[0], this.sizes[1]);
    } else {
      this.gatherInput();
      k.denseForward(zs[0], activations[0], this.weights[0], this.biases[0], batch, this.sizes[0], this.sizes[1]);
    }
    k.activationForward(this.activationFunctions[0], activations[1], zs[0], batch, this.sizes[1]);
    for (let l = 1; l < this.depth; l++) {
      k.denseForward(zs[l], activations[l], this.weights[l], this.biases[l], batch, this.sizes[l], this.sizes[l + 1]);
      k.activationForward(this.activationFunctions[l], activations[l + 1], zs[l], batch, this.sizes[l + 1]);
    }
  }

  /**
   * Backpropagation after feedforward(batch), against `targets`: sets nablaW, nablaB to the
   * gradients of the mean loss over the batch (and deltas[l] to ∂C/∂zs[l]); returns the mean loss.
   */
  backprop(batch: number): number {
    this.assertAlive();
    this.#passes.next();
    if (this.#deferredRows === batch) {
      const cost = this.stepAtOnce(batch);
      if (cost !== undefined) return cost;
    }
    this.settleForward();
    const k = this.kernels;
    const L = this.depth;
    // ∂W is written by its product (accumulate false), not zeroed first: one pass over every weight fewer.
    for (let l = 0; l < L; l++) {
      k.zero(this.nablaB[l]);
      k.zero(this.deltas[l], batch * this.sizes[l + 1]);
    }
    const output = this.activationFunctions[L - 1];
    const cost = k.lossBackward(this.loss, output, this.deltas[L - 1], this.zs[L - 1], this.activations[L], this.buffers.targets!, batch, this.outputSize);
    for (let l = L - 1; l >= 0; l--) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      k.denseBackwardBias(this.nablaB[l], this.deltas[l], batch, nOut);
      if (l > 0) {
        // δ^{l−1} = (W^lᵀ δ^l) ⊙ σ'(z^{l−1}): the chain-rule factor whose product vanishes with depth.
        k.zero(this.backflow!, batch * nIn);
        // ∂W and the backflow in one call: on two threads they run at once.
        k.denseBackwardWeightsAndInput(this.nablaW[l], this.backflow!, this.deltas[l], this.activations[l], this.weights[l], batch, nIn, nOut, false);
        k.activationBackward(this.activationFunctions[l - 1] as Activation, this.deltas[l - 1], this.backflow!, this.zs[l - 1], this.activations[l], batch, nIn);
      } else {
        k.denseBackwardWeights(this.nablaW[l], this.deltas[l], this.activations[l], batch, nIn, nOut, false);
      }
    }
    return cost;
  }

  /**
   * The deferred training forward of `batch` rows and its backprop in one call of the backend's
   * dense step (src/dense-step.ts): the same bits as runForward then backprop's kernels. Returns the
   * mean loss, or undefined where the backend does not take the step (nothing run: the forward is still deferred).
   */
  private stepAtOnce(batch: number): number | undefined {
    const b = this.buffers;
    // The backend gathers the rows loadBatch left only where they are this batch's (as runForward does).
    if (this.#gatherFrom !== undefined && this.#gatherCount !== batch) this.gatherInput();
    const s = (this.#stepTensors ??= {
      sizes: this.sizes,
      activationFunctions: this.activationFunctions,
      loss: this.loss,
      weights: this.weights,
      biases: this.biases,
      zs: b.zs,
      activations: b.activations,
      deltas: b.deltas,
      nablaW: this.nablaW,
      nablaB: this.nablaB,
      backflow: this.backflow!,
      targets: b.targets!,
      gatherFrom: undefined,
      gatherRows: this.#gatherRows,
    });
    s.zs = b.zs;
    s.activations = b.activations;
    s.deltas = b.deltas;
    s.backflow = this.backflow!;
    s.targets = b.targets!;
    s.gatherFrom = this.#gatherFrom;
    s.gatherRows = this.#gatherRows;
    // Not deferred once the backend has it (a step that throws has written some of what the forward writes).
    this.#deferredRows = 0;
    const cost = this.#stepRunner![DENSE_STEP](s, batch);
    if (cost === undefined) {
      this.#deferredRows = batch;
      return undefined;
    }
    this.#gatherFrom = undefined;
    return cost;
  }

  /** The trainable tensors: weight then bias of each layer, first layer first (a deferred training forward runs first: what it reads may be written next). */
  parameters(): readonly Parameter<T>[] {
    this.assertAlive();
    this.settleForward();
    return this.params;
  }

  gradientShares(p: Parameter<T>, index: number, batch: number): Float64Array | null {
    const l = p.group;
    return denseGradientShares(this.kernels, p.weightMatrix, index, batch, this.activations[l], this.deltas[l], this.sizes[l], this.sizes[l + 1]);
  }

  /** The first row (of the `count` rows of the last feedforward) and layer whose output float32 does not hold as finite, or null (overflowIn). */
  findOverflow(count: number): Overflow | null {
    for (let l = 1; l <= this.depth; l++) {
      const found = overflowIn(this.kernels, this.activations[l], count, this.sizes[l]);
      // Named as the CLI's tables and the trace name it ('hidden 1' … 'output'), never a 0-based index.
      if (found) return { row: found.row, layer: `${denseLayerName(l - 1, this.depth)} (unit ${found.unit} is ${found.value})` };
    }
    return null;
  }

  /**
   * Returns every tensor's memory to the backend, runs the releases of onDispose, and lets go of
   * the kernels and tensors (so an unreferenced backend's memory can be collected); any later
   * call throws DISPOSED. Linear in the number of tensors.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#deferredRows = 0; // nothing reads it now
    this.endRowsInPlace();
    // The backend, let go as the kernels are (below).
    this.#stepRunner = undefined;
    this.#stepTensors = undefined;
    this.freeActivations();
    const k = this.kernels;
    for (const t of [...this.weights, ...this.biases, ...this.nablaW, ...this.nablaB]) k.free(t);
    this.onDispose.forEach((release) => release());
    this.onDispose.clear();
    this.#disposed = true;
    for (const list of [this.weights, this.biases, this.nablaW, this.nablaB]) list.length = 0;
    refuseEngineMembers(this);
  }
}
