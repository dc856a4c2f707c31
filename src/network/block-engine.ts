/**
 * The block engine: a network built from layer specs (issue 13: batch and layer norm, residual
 * blocks, activation layers, dense layers) over one Sequential of src/layers, behind the public
 * Network. It implements the Trainable contract (src/model.ts), so every first-order optimiser,
 * L-BFGS, clipping and the training loop run on it; tools written for chains of dense layers refuse
 * it through denseModelOf. Its tensors are allocated once per batch capacity: a step allocates nothing.
 */
import type { PytorchModule } from '../pytorch-record.js';
import type { ResidentRows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import { type BiasInit, type WeightInit } from '../init/initializers.js';
import { drawnParameters, givenParameters, type Initialisation, type Initialisers, type ParameterOrigin } from '../init/initialisation.js';
import { Rng } from '../init/rng.js';
import type { Kernels, Loss, Tensor } from '../kernels.js';
import { StackGaussNewton } from '../layers/gauss-newton.js';
import { StackHessian } from '../layers/hessian.js';
import { buildSequential, type Sequential } from '../layers/sequential.js';
import { BatchNormLayer } from '../layers/batch-norm.js';
import type { BlockTensor } from '../layers/block-model.js';
import type { LayerStack, StateBuffer } from '../layers/layer.js';
import { ResidualBlock } from '../layers/residual.js';
import { stateDict } from '../layers/state-dict.js';
import { BATCH_NORM_MIN_ROWS, hasBias, parameterCountOfSpecs, widthAfter, type CheckedSpec } from '../layers/spec.js';
import { reserveAllOrNothing, RowTensor } from '../layers/tensors.js';
import { PassCount } from '../layers/passes.js';
import { lsuvTargetsOf, type LsuvTarget } from '../layers/lsuv.js';
import { flowTapsOf } from '../layers/flow-taps.js';
import type { FlowTaps } from '../flow-taps.js';
import { denseGradientShares, loadedAfterForward, MODEL, overflowIn, type GaussNewtonOperator, type HessianOperator, type Mode, type Overflow, type Parameter, type Trainable } from '../model.js';
import { bindMethods } from './bound-methods.js';
import { disposedError, refuseEngineMembers } from './disposed.js';
import { asOutOfMemory, checkBatchFits, checkFits } from './memory-budget.js';
import { grouped } from '../counted.js';
import { blockRowLabels, moduleOf, stateLabel } from '../layer-names.js';
import type { TrainedOn } from '../trained-on.js';

/** A block network's architecture, loss and initialisation, checked (src/network/config.ts makes it). */
export interface BlockConfig {
  /** Features per input row. */
  inputs: number;
  /** The layer specs, checked, with at least one that is not dense. */
  layers: CheckedSpec[];
  /** The loss it is trained on (paired with the last layer's output activation). */
  loss: Loss;
  /** Initial weights of dense layers. */
  init: WeightInit;
  /** Initial biases of dense layers. */
  biasInit: BiasInit;
  /** Seed of the RNG behind initialisation and shuffling. */
  seed: number;
  /** init 'lsuv': `init` is orthogonal and the network waits for LSUV (initLsuv, or train's lsuv option). */
  lsuv?: boolean;
  /** With given tensors: how the file they came from records the network was initialised (absent: it records nothing; `init` and `biasInit` are then unused). */
  recorded?: Initialisation;
  /** With given tensors: the rows that trained them, as the data they came from record (Network.trainedOn; absent: none recorded). */
  trainedOn?: TrainedOn;
  /** With given tensors: what their data keep of the PyTorch module that saved them (Network.pytorchModule; absent: nothing kept). */
  pytorchModule?: PytorchModule;
}

export class BlockEngine<T extends Tensor = Tensor> implements Trainable<T> {
  readonly kind = 'blocks';
  readonly loss: Loss;
  readonly rng: Rng;
  /** The layer specs it was built from. */
  readonly specs: readonly CheckedSpec[];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly firstNonDense: string;
  readonly minTrainingRows: number;
  readonly parameterCount: number;
  readonly groupCount: number;
  /** The layers, as one PyTorch nn.Sequential. */
  readonly stack: Sequential<T>;
  /** Units of each layer spec's output. */
  readonly layerWidths: readonly number[];
  /** The initialisers the dense layers were drawn with; for given tensors, what their file or loadState records (givenParameters), absent (unknown) where nothing does. */
  initialisation: Initialisers | undefined;
  step = 0;
  capacity = 0;
  /** Created with init 'lsuv' and not yet rescaled (see lsuv-init.ts). */
  awaitingLsuv: boolean;
  /** LSUV has rescaled the weights (see lsuv-init.ts); the trace's run records it. */
  lsuvApplied: boolean;
  readonly onDispose = new Set<() => void>();
  private k: Kernels<T>;
  #disposed = false;
  /**
   * See passes: the engine's own count, not the stack's (Sequential.passes), which a curvature
   * product's backward passes move too.
   */
  readonly #passes = new PassCount();
  /** See loadedRows. */
  #loadedRows = 0;
  /** Batch norm layers by the name prefix of their tensors ('2.', '3.branch.0.'): where num_batches_tracked is set. */
  private readonly batchNorms: Map<string, BatchNormLayer<T>>;
  /** The stack's parameters with their network-wide group numbers. */
  private readonly params: Parameter<T>[];
  private readonly inputRows: RowTensor<T>;
  private readonly targetRows: RowTensor<T>;
  private taps: FlowTaps<T> | undefined;

  /** A network of `config`'s layers, initialised from its seed, or holding `initial` (every tensor of blockTensorLayout, in its order; checked by the caller). */
  constructor(kernels: Kernels<T>, config: BlockConfig, initial?: readonly BlockTensor[]) {
    this.k = kernels;
    this.loss = config.loss;
    this.specs = config.layers;
    this.inputSize = config.inputs;
    this.outputSize = widthAfter(config.layers, config.inputs);
    this.rng = new Rng(config.seed);
    const origin: ParameterOrigin = initial ? givenParameters(config.recorded) : drawnParameters(config);
    this.initialisation = origin.initialisation;
    this.awaitingLsuv = origin.awaitingLsuv;
    this.lsuvApplied = origin.lsuvApplied;
    // What makes it a block network: its first layer that is not dense, or else its first dense layer without a bias.
    const firstOther = config.layers.findIndex((spec) => spec.type !== 'dense' || !hasBias(spec));
    this.firstNonDense = `layers[${firstOther}] is ${config.layers[firstOther].type === 'dense' ? 'dense without a bias' : config.layers[firstOther].type}`;
    const what = `a network of layers [${config.layers.map((s) => s.type).join(', ')}]`;
    this.parameterCount = parameterCountOfSpecs(config.layers, config.inputs);
    // Parameters and gradients, plus at most six per-feature vectors per layer (batch norm's statistics).
    const { perRow, tensors } = rowStorageOf(config.layers, config.inputs);
    checkFits(kernels, 2 * this.parameterCount + 6 * perRow, 2 * tensors, what);
    // Given tensors replace the drawn ones, drawn from a copy of the RNG: a loaded network's RNG starts at its seed.
    const draws = initial ? new Rng(config.seed) : this.rng;
    let built: { stack: Sequential<T>; inputRows: RowTensor<T>; targetRows: RowTensor<T> };
    try {
      // All or nothing: out of memory, a loss the last layer cannot take or given tensors that do not fit free what was made.
      built = kernels.allOrNothing(() => {
        const stack = buildSequential(kernels, config.layers, config.inputs, draws, { init: config.init, biasInit: config.biasInit });
        stack.checkLoss(config.loss);
        if (initial) writeState(kernels, stack, batchNormsOf(stack, ''), initial);
        return { stack, inputRows: new RowTensor(kernels, this.inputSize, 1), targetRows: new RowTensor(kernels, this.outputSize, 1) };
      });
    } catch (error) {
      throw asOutOfMemory(error, what);
    }
    ({ stack: this.stack, inputRows: this.inputRows, targetRows: this.targetRows } = built);
    this.layerWidths = this.stack.layers.map((layer) => layer.units);
    this.params = withGroups(this.stack.parameters);
    this.groupCount = this.params.length === 0 ? 0 : this.params[this.params.length - 1].group + 1;
    this.batchNorms = batchNormsOf(this.stack, '');
    this.minTrainingRows = this.batchNorms.size > 0 ? BATCH_NORM_MIN_ROWS : 1;
    bindMethods(this); // an optimiser of one's own may read parameters, forward, … off the model it is given
  }

  get [MODEL](): Trainable<T> {
    return this;
  }

  get kernels(): Kernels<T> {
    return this.k;
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

  get input(): T {
    return this.inputRows.tensor;
  }

  get targets(): T {
    return this.targetRows.tensor;
  }

  get output(): T {
    return this.stack.output;
  }

  /** Layer spec l's output (a residual block's: input plus branch). */
  layerOutput(l: number): T {
    return this.stack.layers[l].output;
  }

  /** Batch norm's running statistics and batch counters, in PyTorch's state_dict order. */
  get buffers(): readonly StateBuffer<T>[] {
    return this.stack.buffers;
  }

  stateTensors(): readonly T[] {
    return this.stack.buffers.map((b) => b.value);
  }

  /** Each buffer by its layer's name in the trace tables (blockRowLabels), then its PyTorch name and what it holds (stateLabel): "layers[1] ('2', batch-norm) (2.running_var: batch norm's running variance)". */
  stateTensorLabels(): readonly string[] {
    const rows = blockRowLabels(this.flowTaps());
    // A buffer's module is its batch-norm layer, which is always a row of the trace tables (flowTapsOf: every norm layer, γ and β its parameters).
    return this.stack.buffers.map((b) => stateLabel(b, rows.get(moduleOf(b.name))!));
  }

  stateTensorsWritten(): void {
    for (const layer of this.batchNorms.values()) layer.setBatchesTracked(this.kernels.view(layer.batchesTracked.value)[0]);
  }

  /** Every parameter and state buffer as float32 copies, in PyTorch's state_dict order. */
  state(): BlockTensor[] {
    this.assertAlive();
    const k = this.kernels;
    return stateDict(this.stack).map((entry) => ({
      name: entry.name,
      shape: [...entry.shape],
      dtype: 'dtype' in entry ? entry.dtype : 'float',
      values: Float32Array.from(k.view(entry.value)),
    }));
  }

  /** Writes `tensors` (every entry of state(), in its order, checked by the caller) into the network. */
  loadState(tensors: readonly { name: string; values: ArrayLike<number> }[]): void {
    writeState(this.kernels, this.stack, this.batchNorms, tensors);
  }

  /** How many batch norm layers it has, nested ones included. */
  get batchNormCount(): number {
    return this.batchNorms.size;
  }

  /**
   * Runs `forwards` with every batch norm averaging (BatchNormLayer.startAveraging: its running statistics reset, then each
   * 'train' forward's batch statistics averaged into them), then moving them by its momentum again, whatever `forwards` throws.
   */
  averagingBatchNorms(forwards: () => void): void {
    for (const layer of this.batchNorms.values()) layer.startAveraging();
    try {
      forwards();
    } finally {
      for (const layer of this.batchNorms.values()) layer.stopAveraging();
    }
  }

  /** Every dense layer in forward order (nested ones included), as LSUV rescales it. */
  lsuvTargets(): LsuvTarget<T>[] {
    return lsuvTargetsOf(this.stack);
  }

  parameters(): readonly Parameter<T>[] {
    this.assertAlive();
    return this.params;
  }

  assertAlive(): void {
    if (this.#disposed) throw disposedError();
  }

  checkFits(elements: number, what: string): void {
    checkFits(this.kernels, elements, 2, what);
  }

  ensureCapacity(rows: number): void {
    this.assertAlive();
    if (rows <= this.capacity) return;
    const { perRow, tensors } = rowStorageOf(this.specs, this.inputSize);
    // All of the new buffers, not what they add to the old ones (which leave holes they may not fit: engine.ts).
    checkBatchFits(this.kernels, rows, perRow, tensors);
    // All or nothing: an engine that will not grow its memory as far as the check allowed (below wasm32's
    // 4 GiB) leaves every buffer as it was, none grown and held, as the dense engine does (engine.ts).
    this.#passes.next();
    reserveAllOrNothing(() => {
      this.stack.reserve(rows);
      this.inputRows.reserve(rows);
      this.targetRows.reserve(rows);
    });
    this.capacity = rows;
    this.#loadedRows = 0;
  }

  loadBatch(x: ResidentRows<T>, y: ResidentRows<T>, order: Uint32Array, start: number, count: number): void {
    this.#passes.next();
    this.#loadedRows = count;
    // Rows loaded in place (loadInPlace) are where they belong already.
    if (x.tensor !== this.input) this.k.copyRows(this.input, x.tensor, order, start, count, x.cols);
    if (y.tensor !== this.targets) this.k.copyRows(this.targets, y.tensor, order, start, count, y.cols);
  }

  forward(batch: number, mode: Mode): void {
    this.assertAlive();
    this.#passes.next();
    this.#loadedRows = loadedAfterForward(this.#loadedRows, batch, mode);
    this.stack.forward(this.inputRows.tensor, batch, mode);
  }

  backprop(batch: number): number {
    this.assertAlive();
    this.#passes.next();
    this.stack.zeroGradients();
    return this.stack.lossBackward(this.loss, this.targetRows.tensor, this.inputRows.tensor, batch);
  }

  lossOfLastForward(batch: number): number {
    return this.stack.loss(this.loss, this.targetRows.tensor, this.inputRows.tensor, batch);
  }

  /** The gradient-flow trace's taps over the layers (src/layers/flow-taps.ts), built on the first call. */
  flowTaps(): FlowTaps<T> {
    this.assertAlive();
    return (this.taps ??= flowTapsOf(this.stack, () => this.inputRows.tensor));
  }

  /** G·v through the layers' R-operator over the first rows of the loaded input (src/layers/gauss-newton.ts). */
  gaussNewton(): GaussNewtonOperator<T> {
    this.assertAlive();
    return this.onLoadedRows(new StackGaussNewton(this.k, this.stack, this.loss));
  }

  /** Exact H·v through the layers' R-operator, forward and reverse, over the first rows of the loaded input (src/layers/hessian.ts). */
  hessian(): HessianOperator<T> {
    this.assertAlive();
    return this.onLoadedRows(new StackHessian(this.k, this.stack, this.loss));
  }

  /** A stack's curvature product as the network's operator, over the loaded input and targets. */
  private onLoadedRows(product: StackGaussNewton<T> | StackHessian<T>): GaussNewtonOperator<T> & HessianOperator<T> {
    return {
      apply: (out, v, rows) => product.apply(out, v, this.inputRows.tensor, this.targetRows.tensor, rows),
      dispose: () => product.dispose(),
    };
  }

  /** Σ_rows (each row's share of every parameter's gradient)², after backprop (Sequential.lossSquaredGradients). */
  squaredGradients(out: readonly T[], batch: number): void {
    this.stack.lossSquaredGradients(this.inputRows.tensor, batch, out);
  }

  gradientShares(p: Parameter<T>, index: number, batch: number): Float64Array | null {
    // By the tensor: the network's parameters() are its own records (named, grouped) of the layers' tensors.
    const tap = this.flowTaps().layers.find((t) => t.type === 'dense' && (t.weight?.value === p.value || t.bias?.value === p.value));
    const delta = tap?.delta();
    if (!tap || !delta) return null;
    return denseGradientShares(this.kernels, p.weightMatrix, index, batch, tap.input(), delta, tap.weight!.shape[1], tap.units);
  }

  findOverflow(count: number): Overflow | null {
    const layers = this.stack.layers;
    for (let i = 0; i < layers.length; i++) {
      const found = overflowIn(this.kernels, layers[i].output, count, layers[i].units);
      if (found) return { row: found.row, layer: `layers[${i}] (${layers[i].type}, unit ${found.unit} is ${found.value})` };
    }
    return null;
  }

  /** Returns every tensor's memory to the backend and runs the releases of onDispose; later calls throw DISPOSED. */
  dispose(): void {
    if (this.#disposed) return;
    this.stack.dispose();
    this.inputRows.dispose();
    this.targetRows.dispose();
    this.onDispose.forEach((release) => release());
    this.onDispose.clear();
    this.#disposed = true;
    refuseEngineMembers(this);
  }
}

/** Writes `tensors` (every entry of the stack's state dict, in its order) into the stack, or none of them if one does not match its entry. */
function writeState<T extends Tensor>(k: Kernels<T>, stack: Sequential<T>, batchNorms: Map<string, BatchNormLayer<T>>, tensors: readonly { name: string; values: ArrayLike<number> }[]): void {
  const entries = stateDict(stack);
  entries.forEach((entry, i) => {
    const given = tensors[i];
    if (given?.name !== entry.name || given.values.length !== entry.value.length) {
      throw new GradscopeError('BAD_MODEL_FILE', `tensors[${i}]: expected ${entry.name} of ${grouped(entry.value.length)} values, got ${given?.name}`);
    }
  });
  entries.forEach((entry, i) => {
    const values = tensors[i].values;
    if (entry.name.endsWith('num_batches_tracked')) batchNorms.get(entry.name.slice(0, -'num_batches_tracked'.length))!.setBatchesTracked(values[0]);
    else k.write(entry.value, values);
  });
}

/** Every batch norm layer of the stack, nested ones included, by the prefix of its tensors' names. */
function batchNormsOf<T extends Tensor>(stack: LayerStack<T>, prefix: string): Map<string, BatchNormLayer<T>> {
  const found = new Map<string, BatchNormLayer<T>>();
  stack.layers.forEach((layer, i) => {
    const here = `${prefix}${stack.moduleIndex[i]}.`;
    if (layer instanceof BatchNormLayer) found.set(here, layer);
    if (layer instanceof ResidualBlock) for (const [name, inner] of batchNormsOf(layer.branch, `${here}branch.`)) found.set(name, inner);
  });
  return found;
}

/** The parameters with their group: one per parameterised module (a name's path up to its last dot), numbered in forward order. */
function withGroups<T extends Tensor>(params: readonly Parameter<T>[]): Parameter<T>[] {
  const groups = new Map<string, number>();
  return params.map((p) => {
    const module = p.name.slice(0, p.name.lastIndexOf('.'));
    if (!groups.has(module)) groups.set(module, groups.size);
    return { ...p, group: groups.get(module)! };
  });
}

/** Floats per batch row the layers' activation buffers take (an upper bound: three per unit of every layer), input and targets included. */
function rowStorageOf(specs: readonly CheckedSpec[], inputs: number): { perRow: number; tensors: number } {
  let perRow = 0;
  let tensors = 0;
  let width = inputs;
  for (const spec of specs) {
    const out = widthAfter([spec], width);
    if (spec.type === 'residual') {
      const inner = rowStorageOf(spec.layers, width);
      perRow += inner.perRow;
      tensors += inner.tensors;
    }
    perRow += 4 * out;
    tensors += 4;
    width = out;
  }
  return { perRow: perRow + inputs + widthAfter(specs, inputs), tensors: tensors + 2 };
}
