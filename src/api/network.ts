/**
 * The public Network: what a user holds, of either kind. It owns an engine (a chain of dense layers,
 * src/network/engine.ts, or a network of layer specs, src/network/block-engine.ts) and adds the
 * checked, row-level API (predict, gradients, evaluate, train, JSON). Its buffers are not public:
 * optimisers and the training loop reach the engine's Trainable contract through `net[MODEL]`, and
 * the tools written for dense chains its dense Model through denseModelOf (src/model.ts).
 */
import { checkSeed, checkKnownKeys, keysOf } from '../checks.js';
import { euclideanNorm } from '../norm.js';
import { BACKEND_OPTIONS, networkOn, wasLetGo, type BackendOptions } from '../backend.js';
import { kernelsForUsers, uncheckedKernels } from '../checked-kernels.js';
import { isRowsShaped, ROW_LABELS, rowCount, toMatrix, type RowLabels, type Rows } from '../data/matrix.js';
import { GradscopeError, invalidOption, shown, shownArgument } from '../errors.js';
import type { Rng } from '../init/rng.js';
import { chainFanIns, givenParameters, readInitialisation, type DenseFanIn, type Initialisation } from '../init/initialisation.js';
import type { FloatArray, Kernels, Loss, OutputActivation, Tensor } from '../kernels.js';
import { checkTrainingBatch, MODEL, type ModelOwner, type Parameter, type Trainable } from '../model.js';
import { hasBias, namedDenseFanIns, type CheckedSpec } from '../layers/spec.js';
import { BlockEngine, type BlockConfig } from '../network/block-engine.js';
import { bindMethods } from '../network/bound-methods.js';
import { resolveNetwork, type NetworkConfig, type NetworkOptions } from '../network/config.js';
import { Engine, type InitialParameters } from '../network/engine.js';
import { backpropRows, evaluateRows, layerOutputRows, predictFlat, predictRows, type Evaluation } from '../network/rows.js';
import { checkPredictOptions, checkPredictSize, type FlatPredictions, type PredictOptions } from './predictions.js';
import { checkLayerOutputsSize, layerOutputsFor, type LayerOutputs, type LayerOutputsOptions } from './layer-outputs.js';
import { checkModelJsonSize, modelToJSON, readModelJSON, type ModelData, type ModelFile } from '../network/model-file.js';
import { copiedNumbers, uncopiedNumbers, type FileNumbers } from '../network/file-numbers.js';
import { blockModelToJSON, type BlockModelFile } from '../network/block-model-file.js';
import { checkBlockModel, checkStateValues } from '../network/block-model-check.js';
import type { BlockModelData, BlockTensor } from '../layers/block-model.js';
import { checkFloat32Values, checkStepCount, checkStoredTensor, FILE_LIMITS, lossWithinFloat32, optionFault, type Fail } from '../model-limits.js';
import { lengthOf, valuesReadOnce } from '../array-reads.js';
import { checkLsuvOptions, type LsuvLayerReport, type LsuvOptions } from '../layers/lsuv.js';
import { lsuvOnLoadedRows } from '../network/lsuv-init.js';
import type { Trace } from '../flow/trace.js';
import type { TraceOptions } from '../flow/recorder.js';
import { nonFiniteGradient } from '../training/numeric-faults.js';
import { lossFault, lossSaid } from '../network/loss-fault.js';
import { Dataset, loadInPlace, uploadDataset } from '../training/dataset.js';
import { oneColumnOf, oneHotWords, refuseTargetFault } from '../training/target-rules.js';
import { runTraining, type TrainingListener } from '../training/train.js';
import { type TracedTrainResult, type TrainOptions, type TrainResult } from '../training/train-options.js';
import { keptSettingsFor, readTrainOptions, type KeptSettings } from '../training/kept-settings.js';
import { checkValidationRows, VALIDATION_LABELS } from '../training/validation-rows.js';
import { loadsOneBatchInOrder } from '../training/batch-rows.js';
import { checkOptimizerOption } from '../training/optimizer-settings.js';
import type { TrainingRows, ValidationSet } from '../training/training-engine.js';
import { counted, grouped } from '../counted.js';
import type { TrainedOn } from '../trained-on.js';
import type { PytorchModule } from '../pytorch-record.js';
import { TrainedOnRecord } from './trained-on-record.js';
import { checkBatchNormStatisticsOptions, updateBatchNormStatistics, type BatchNormStatisticsOptions } from './batch-norm-statistics.js';

export type { Evaluation };

/** One dense layer's gradient, from Network.gradients(). */
export interface LayerGradient {
  /** Its PyTorch module name, the one its parameters' names start with: '0', '2', … in a dense chain, '3.branch.0' in a residual block's branch. */
  name: string;
  /** ∂C/∂W, `[units][inputs]` row-major. */
  weights: Float64Array;
  /** ∂C/∂b; empty for a dense layer without a bias (`bias: false`). */
  biases: Float64Array;
  /** Inputs of the layer (units of the layer before). */
  inputs: number;
  /** Units of the layer. */
  units: number;
  /** ‖∂C/∂W‖ (Frobenius). */
  weightNorm: number;
  /** ‖∂C/∂b‖: Nielsen's "speed of learning" of the layer; NaN for a dense layer without a bias, which has no ∂C/∂b. */
  biasNorm: number;
}

/** Gradients of the mean loss over the given rows. */
export interface Gradients {
  /** Mean loss over the rows. */
  loss: number;
  /**
   * Per dense layer, in forward order (the input's first, the output layer last; a block network's residual branches'
   * where they sit, its norm and activation layers, whose gradients are in `parameters`, left out), each by its module name.
   */
  layers: LayerGradient[];
  /** Every gradient by its PyTorch state_dict name (`0.weight`, `0.bias`, `2.weight`, `3.branch.0.bias`, `4.alpha`, …, as in the safetensors export), for every network. */
  parameters: Record<string, Float64Array>;
}

/**
 * `value` if it is a Network, else INVALID_OPTION `who: expected a network …, got …`: the first check
 * of every public function that takes a Network (savers, exporters, the curvature instruments), so
 * null or a plain object is refused by name, never with a TypeError from deep inside.
 */
export function checkNetwork(value: unknown, who: string): asserts value is Network {
  if (!(value instanceof Network)) throw invalidOption(`${who}: expected a network (from createNetwork or loadModel), got ${shownArgument(value)}`);
}

/** What a network is made of: 'dense', a chain of dense layers; 'blocks', layer specs with at least one other layer (Network.kind). */
export type NetworkKind = 'dense' | 'blocks';

/**
 * A feed-forward network on a backend's kernels: a chain of dense layers, or a network built from
 * layer specs (batch and layer norm, residual blocks, activation layers; a "block network").
 * Create it with createNetwork() (or Network.fromJSON, loadModel); free its memory with dispose().
 * After dispose() every member throws DISPOSED but isDisposed, dispose() (a second call does nothing) and trace.
 * Its methods are bound to it (src/network/bound-methods.ts): one read off it (`const { train } = net`) runs on it.
 * `K` is its kind as known where it was made: 'dense' from createNetwork({ sizes }) (its toJSON() is a
 * ModelFile), either otherwise (narrow it with `net.kind`'s value at run time, or modelOf / blockModelOf).
 */
export class Network<T extends Tensor = Tensor, K extends NetworkKind = NetworkKind> implements ModelOwner<T> {
  readonly #engine: Engine<T> | BlockEngine<T>;
  /**
   * Whether a train() call of this network is running: train() is synchronous, so a second one can
   * only come from inside the first (its onBatch or onEpoch, or a getter of the options or rows it
   * was given), and would step the weights under the first's feet (its optimiser, its epoch's kept
   * state and its trace left behind), so it is refused.
   */
  #training = false;
  /** The rows that trained the weights it holds, where the data they came from record them, while it holds those weights (see the trainedOn getter). */
  readonly #trainedOn: TrainedOnRecord<T>;
  /** What its data keep of the PyTorch module that saved them (see the pytorchModule getter). */
  readonly #pytorchModule: PytorchModule | undefined;

  /** A network of `config`'s architecture: NetworkConfig builds a dense chain, BlockConfig a block network. */
  constructor(kernels: Kernels<T>, config: NetworkConfig | BlockConfig, parameters?: InitialParameters | readonly BlockTensor[]) {
    if (typeof config !== 'object' || config === null || !Array.isArray((config as Partial<NetworkConfig>).sizes ?? (config as Partial<BlockConfig>).layers)) throw invalidOption(`new Network(kernels, config): expected a checked config, got ${shownArgument(config)}; create networks with createNetwork(options)`);
    this.#engine = 'sizes' in config ? new Engine(kernels, config, parameters as InitialParameters | undefined) : new BlockEngine(kernels, config, parameters as readonly BlockTensor[] | undefined);
    // Weights drawn here were trained on nothing yet; given ones on what their data record.
    this.#trainedOn = new TrainedOnRecord(this.#engine, parameters && config.trainedOn);
    this.#pytorchModule = parameters && config.pytorchModule;
    bindMethods(this); // `const { train, predict } = net` runs on the network, as its engine's methods do
  }

  /** The engine behind its Trainable contract, for optimisers and the training loop (throws DISPOSED after dispose()). */
  get [MODEL](): Trainable<T> {
    this.#engine.assertAlive();
    return this.#engine;
  }

  /** The dense engine, or a typed error naming `what` and its alternative for a block network. */
  #dense(what: string, instead: string): Engine<T> {
    if (this.#engine instanceof Engine) return this.#engine;
    throw invalidOption(`net.${what}: a network built from layer specs has none (${this.#engine.firstNonDense}); ${instead}`);
  }

  /**
   * Whether this network was created with init 'lsuv' and waits for LSUV (net.initLsuv(x), or
   * train's `lsuv` option): train() refuses it, and so does every way of saving it (toJSON,
   * saveModel, the exporters), since a file holds no such state and its orthonormal weights are not
   * the initialisation asked for.
   */
  get awaitingLsuv(): boolean {
    this.assertAlive();
    return this.#engine.awaitingLsuv;
  }

  /** Refuses to save a network that waits for LSUV (see awaitingLsuv), naming `what` saves it. */
  assertSaveable(what: string): void {
    if (this.awaitingLsuv) {
      throw invalidOption(`${what}: this network was created with init 'lsuv' and waits for it (its weights are orthonormal, not rescaled yet); run net.initLsuv(x) or train with { lsuv: true } before saving it`);
    }
  }

  /**
   * How the parameters were first drawn: createNetwork's init and biasInit, with `lsuv: true` once
   * LSUV has rescaled the weights; for a loaded network, what its file records (gradscope's JSON
   * and binary files, and the safetensors and tfjs models it writes, record it); undefined where
   * the file records none gradscope reads (one it wrote before 2026-12-01, a PyTorch state_dict,
   * a Keras or tfjs model whose layers' initialisers are not one gradscope draws: docs/interop.md). After loadState, what its
   * `initialisation` option records of the loaded weights, else undefined.
   * Traced runs record it (TraceRun's init, biasInit, lsuv), and saving writes it with the weights.
   * A copy: changing it changes nothing.
   */
  get initialisation(): Initialisation | undefined {
    this.assertAlive();
    const { initialisation, lsuvApplied } = this.#engine;
    return initialisation && structuredClone({ ...initialisation, ...(lsuvApplied && { lsuv: true as const }) });
  }

  /**
   * The rows that trained the weights it holds ({ data, rows }: the first `rows` rows of `data`), for a
   * network loaded from a file or model data that records them (every format gradscope writes does;
   * a checkpoint's record is the one its readers give); undefined for a network createNetwork made,
   * and for one whose source records none. Saving writes it (saveModel's `trainedOn` option overrides it),
   * so a file saved from a loaded network keeps its record. Dropped, as no longer true, by whatever
   * moves the weights on rows it cannot name: a train() call that applies a step (train() takes rows,
   * not where they came from) or runs LSUV, initLsuv, and loadState (other weights); and by any other
   * change of the weights, found when it is read (here, and by every way of saving): a checksum of
   * every parameter and state buffer, taken when the record was set, no longer matches (a write
   * through net.kernels or one of its views, an optimiser's step() called by hand). A refused call
   * changes nothing, this included. A copy: changing it changes nothing.
   */
  get trainedOn(): TrainedOn | undefined {
    this.assertAlive();
    return this.#trainedOn.current();
  }

  /**
   * What a network loaded from a PyTorch state_dict keeps of the module that saved it (src/pytorch-record.ts): a dense chain's
   * dense layers' module names where they are not nn.Sequential's 0, 2, 4, … (`hidden.0`, …, `out`), a block network's tensors'
   * names where they are not gradscope's (`fc1.weight`, `bn1.running_mean`), and `logits: true` where the
   * module ends in logits, read with the output its PyTorch loss applies itself. toSafetensors writes the tensors under those
   * names and the module expression without that output module, so the module that saved them loads them strictly; every
   * gradscope file of the network keeps it. Training keeps it (the module's names do not change); undefined for a network
   * createNetwork made and one whose data keep nothing. net.state() names the tensors as gradscope does
   * (`0.weight`, `2.weight`, …) whatever this holds. A copy: changing it changes nothing.
   */
  get pytorchModule(): PytorchModule | undefined {
    this.assertAlive();
    return this.#pytorchModule && structuredClone(this.#pytorchModule);
  }

  /** 'dense' for a chain of dense layers (everything works), 'blocks' for a network of layer specs with any other layer (see net.layers). */
  get kind(): K {
    this.assertAlive();
    return this.#engine.kind as K;
  }

  /**
   * The layer specs, checked (CheckedSpec): a block network's as given, a dense layer's activation
   * and a residual's gate filled in, a norm's epsilon and momentum only where given (absent:
   * NORM_EPSILON, BATCH_NORM_MOMENTUM); a dense network's as the equivalent
   * `{ type: 'dense', units, activation }` specs.
   */
  get layers(): readonly CheckedSpec[] {
    this.assertAlive();
    const engine = this.#engine;
    if (engine instanceof BlockEngine) return engine.specs;
    return engine.activationFunctions.map((activation, l) => ({ type: 'dense', units: engine.sizes[l + 1], activation }));
  }

  /** Units per layer, input first (dense networks; a block network throws INVALID_OPTION: use layers, inputSize, outputSize). */
  get sizes(): readonly number[] {
    this.assertAlive();
    return this.#dense('sizes', 'use net.layers, net.inputSize and net.outputSize').sizes;
  }

  /** activationFunctions[l] follows weights[l]; the last is the output activation (dense networks; a block network throws INVALID_OPTION: use layers). */
  get activationFunctions(): readonly OutputActivation[] {
    this.assertAlive();
    return this.#dense('activationFunctions', 'use net.layers').activationFunctions;
  }

  /** The cost the network is trained on. */
  get loss(): Loss {
    this.assertAlive();
    return this.#engine.loss;
  }

  /**
   * The backend it runs on, every call checked (src/checked-kernels.ts): a size past a tensor's end
   * is SHAPE_MISMATCH, a handle no alloc of this backend made INVALID_OPTION, and nothing is run;
   * the network's own tensors (weights, parameters' values and grads) pass. The network's steps
   * run the kernels unchecked. A Kernels object of your own given as `backend` is handed back as it is.
   */
  get kernels(): Kernels<T> {
    return kernelsForUsers(this.#kernels);
  }

  /** The kernels its steps run, unchecked (throws DISPOSED after dispose()). */
  get #kernels(): Kernels<T> {
    this.assertAlive();
    return this.#engine.kernels;
  }

  /** The RNG behind initialisation and shuffling (its state is part of a checkpoint). */
  get rng(): Rng {
    this.assertAlive();
    return this.#engine.rng;
  }

  /** Training steps taken (persisted, so a resumed run continues the count). */
  get step(): number {
    this.assertAlive();
    return this.#engine.step;
  }

  /** Sets the step count (e.g. to resume a run's numbering): a whole number from 0 to 2⁵³ − 1, else INVALID_OPTION and the count stays; INVALID_OPTION while train() runs. */
  set step(value: number) {
    this.assertAlive();
    // A running call numbers its steps itself: a count set from its onBatch or onEpoch made its trace record repeated or backward steps.
    if (this.#training) {
      throw invalidOption('step: set while train() runs (from its onBatch or onEpoch, or from a getter of the options or rows it was given), and refused before it changed anything: the call numbers its steps itself, and its trace would record repeated or backward steps; set net.step before or after train()');
    }
    this.#engine.step = checkStepCount(value, 'step');
  }

  /** The weight tensors, `[sizes[l+1]][sizes[l]]` each (handles into the backend's memory; DISPOSED after dispose(); a block network throws INVALID_OPTION: use parameters()). */
  get weights(): readonly T[] {
    this.assertAlive();
    return this.#dense('weights', 'use net.parameters(), every tensor by its PyTorch name').weights;
  }

  /** The bias tensors (DISPOSED after dispose(); a block network throws INVALID_OPTION: use parameters()). */
  get biases(): readonly T[] {
    this.assertAlive();
    return this.#dense('biases', 'use net.parameters(), every tensor by its PyTorch name').biases;
  }

  /** How many trained values all layers hold (weights and biases; in a block network also the norms' scales and shifts and ReZero's α). */
  get parameterCount(): number {
    this.assertAlive();
    return this.#engine.parameterCount;
  }

  /** Number of weight layers (dense networks; a block network throws INVALID_OPTION: use layers). */
  get depth(): number {
    this.assertAlive();
    return this.#dense('depth', 'use net.layers').depth;
  }

  /** Features per input row. */
  get inputSize(): number {
    this.assertAlive();
    return this.#engine.inputSize;
  }

  /** Outputs per row. */
  get outputSize(): number {
    this.assertAlive();
    return this.#engine.outputSize;
  }

  /** Whether dispose() has run. */
  get isDisposed(): boolean {
    return this.#engine.isDisposed;
  }

  /** Throws DISPOSED after dispose(). */
  assertAlive(): void {
    this.#engine.assertAlive();
  }

  /** The trainable tensors in PyTorch's state_dict order, by name (a dense layer's weight, then its bias). */
  parameters(): readonly Parameter<T>[] {
    this.assertAlive();
    return this.#engine.parameters();
  }

  /**
   * Inputs and targets checked and copied into this network's backend memory once, for repeated
   * train(), evaluate() and gradients() calls that then copy nothing. Free it with dispose(). It holds
   * no share of the backend (createDataset's does): the rows go with a shared instance when the last
   * network or dataset holding it is disposed, and a network made after refuses it (DISPOSED).
   */
  dataset(x: Rows, y: Rows): Dataset<T> {
    this.assertAlive();
    return this.uploadRows(x, y, ROW_LABELS);
  }

  /** (x, y) checked and copied into this network's backend memory, named in errors by `labels`. */
  private uploadRows(x: Rows, y: Rows, labels: RowLabels): Dataset<T> {
    try {
      return uploadDataset(this.#kernels, x, y, { inputSize: this.inputSize, targetSize: this.outputSize }, undefined, labels);
    } catch (error) {
      // One column of targets where a softmax output takes one-hot rows: what to pass (class indices written as one-hot rows).
      const column = oneColumnOf(y);
      if (error instanceof GradscopeError && error.code === 'SHAPE_MISMATCH' && error.message.startsWith(`${labels.targets}:`) && column !== undefined && this.takesOneHotRows()) {
        throw new GradscopeError('SHAPE_MISMATCH', `${error.message}${oneHotWords(this.outputSize, column)}`);
      }
      throw error;
    }
  }

  /** Whether its targets are one-hot rows of more than one class: a softmax output with cross-entropy (oneHotWords). */
  private takesOneHotRows(): boolean {
    return this.loss === 'cross-entropy' && this.outputSize > 1;
  }

  /** Runs `use` on (x, y) in backend memory: a dataset's own rows, or a copy made for this call. */
  private withRows<R>(x: Rows | Dataset, y: Rows | undefined, use: (rows: TrainingRows<T>) => R, labels: RowLabels = ROW_LABELS): R {
    if (x instanceof Dataset) {
      // A dataset holds its targets: others given beside it would be silently ignored.
      if (y !== undefined) throw targetsBesideDataset(labels.targets);
      return use(this.targetsOf(x, labels));
    }
    // The first argument missing is the one named (train() said "targets: missing" with no inputs either).
    if (x === undefined) throw missingRows(labels.inputs);
    if (y === undefined) throw missingRows(labels.targets);
    const upload = this.uploadRows(x, y, labels);
    try {
      refuseTargetFault(upload.targetFaultFor(this.loss), this.loss, labels.targets);
      return use(upload.resident());
    } finally {
      upload.dispose();
    }
  }

  /** A dataset's rows for a call that reads its targets: residentOf, and targets this network's loss takes. */
  private targetsOf(data: Dataset, labels: RowLabels = ROW_LABELS): TrainingRows<T> {
    const rows = this.residentOf(data, labels.dataset);
    refuseTargetFault(data.targetFaultFor(this.loss), this.loss, labels.targets);
    return rows;
  }

  /** A dataset's rows, checked to be in this network's memory and of its sizes. */
  private residentOf(data: Dataset, label = ROW_LABELS.dataset): TrainingRows<T> {
    // Both unwrapped: a network built by hand on the exported kernels (new Network(exported, config)) runs them checked.
    const theirs = uncheckedKernels(data.kernels);
    if (theirs !== uncheckedKernels(this.#kernels)) throw wasLetGo(theirs) ? letGoDataset(label, theirs.name) : foreignDataset(label, theirs.name, this.#kernels.name);
    const rows = (data as Dataset<T>).resident();
    if (rows.inputs.cols !== this.inputSize || rows.targets.cols !== this.outputSize) {
      const oneColumn = rows.inputs.cols === this.inputSize && rows.targets.cols === 1 && this.takesOneHotRows();
      const words = oneColumn ? oneHotWords(this.outputSize, this.#kernels.view(rows.targets.tensor).subarray(0, rows.targets.rows)) : '';
      throw new GradscopeError(
        'SHAPE_MISMATCH',
        `${label}: rows of ${counted(rows.inputs.cols, 'input')} and ${counted(rows.targets.cols, 'target')}, but the network takes ${grouped(this.inputSize)} and gives ${grouped(this.outputSize)}${words}`,
      );
    }
    return { inputs: rows.inputs, targets: rows.targets, lender: data };
  }

  /**
   * The network's outputs for each row of x, or of a Dataset's inputs (as evaluate, gradients and
   * train take one; its targets are not used), in order (batch norm with its running statistics:
   * 'eval' mode): one array per row, or with `{ flat: true }` one { data, rows, cols } block.
   * At most PREDICT_LIMITS.maxRowArrays rows as arrays and PREDICT_LIMITS.maxValues outputs in all:
   * more is refused (OUT_OF_MEMORY) before anything is allocated.
   */
  predict(x: Rows | Dataset, options?: PredictOptions & { flat?: false }): FloatArray[];
  predict(x: Rows | Dataset, options: PredictOptions & { flat: true }): FlatPredictions;
  predict(x: Rows | Dataset, options?: PredictOptions): FloatArray[] | FlatPredictions;
  predict(x: Rows | Dataset, options?: PredictOptions): FloatArray[] | FlatPredictions {
    this.assertAlive();
    const flat = checkPredictOptions(options);
    const rows = x instanceof Dataset ? x.rows : rowCount(x);
    if (Number.isSafeInteger(rows)) checkPredictSize(rows, this.outputSize, flat); // else toMatrix says what is wrong with x
    const matrix = x instanceof Dataset ? this.residentOf(x).inputs : toMatrix(x, this.inputSize, 'inputs');
    refuseNoRows(matrix.rows, 'predict');
    if (!flat) return predictRows(this.#engine, matrix);
    return { data: predictFlat(this.#engine, matrix), rows: matrix.rows, cols: this.outputSize };
  }

  /**
   * Each layer's outputs for each row of x: what every unit of `net.layers[l]` gives (a network
   * diagram's "neuron outputs"), computed as predict() computes the last layer's ('eval' mode: batch
   * norm with its running statistics). At most PREDICT_LIMITS.maxValues values over every layer
   * (rows × the sum of the layers' widths): more is refused (OUT_OF_MEMORY) before anything is allocated.
   */
  layerOutputs(x: Rows, options?: LayerOutputsOptions): LayerOutputs {
    this.assertAlive();
    const engine = this.#engine;
    const rows = rowCount(rowsNotDataset(x, 'layerOutputs'));
    if (Number.isSafeInteger(rows)) checkLayerOutputsSize(rows, engine.layerWidths); // else toMatrix says what is wrong with x
    const matrix = toMatrix(x, this.inputSize, 'inputs');
    refuseNoRows(matrix.rows, 'layerOutputs');
    const out = layerOutputsFor(matrix.rows, engine.layerWidths, this.#kernels.precision, options);
    layerOutputRows(engine, matrix, out.layers.map((layer) => layer.values));
    return out;
  }

  /**
   * LSUV initialisation (Mishkin & Matas 2015, Algorithm 1) on the rows of x as one batch: for each
   * dense layer in forward order (residual branches included), its weights are divided by the
   * standard deviation of its output before the activation until that variance is within
   * `tolerance` of 1 (default 0.1) or `maxIterations` rescalings are done (default 10). Batch norm
   * uses the batch's statistics and its running statistics do not move. Starts from the current
   * weights: orthonormal for a network created with `init: 'lsuv'`, which train() refuses until
   * this (or train's `lsuv` option) has run. Returns each layer's variance before and after.
   * Data so small or large that unit variance needs weights beyond what training keeps (within about
   * ±1.8e16, the largest parameter training keeps) is refused (INVALID_OPTION, naming the batch's largest |x|) and
   * nothing changes.
   */
  initLsuv(x: Rows, options: LsuvOptions = {}): LsuvLayerReport[] {
    this.assertAlive();
    const checked = checkLsuvOptions(options);
    const matrix = toMatrix(rowsNotDataset(x, 'initLsuv'), this.inputSize, 'inputs');
    if (matrix.rows === 0) throw new GradscopeError('SHAPE_MISMATCH', 'inputs: LSUV needs at least one row');
    const engine = this.#engine;
    checkTrainingBatch(engine, matrix.rows, 'initLsuv: the batch');
    engine.ensureCapacity(matrix.rows);
    this.#kernels.write(engine.input, matrix.data);
    const reports = lsuvOnLoadedRows(engine, matrix.rows, checked);
    this.trace = undefined; // it described the weights before the rescaling
    this.#trainedOn.drop(); // the rescaled weights depend on rows it does not name
    return reports;
  }

  /**
   * Gradients of the mean loss over all rows of (x, y), or of a Dataset, in one batch; batch norm
   * uses the batch's statistics and its running statistics do not move ('batch' mode).
   */
  gradients(data: Dataset): Gradients;
  gradients(x: Rows, y: Rows): Gradients;
  gradients(x: Rows | Dataset, y?: Rows): Gradients {
    this.assertAlive();
    refuseOptions('gradients', arguments.length);
    const engine = this.#engine;
    const { loss, rows } = this.withRows(x, y, (data) => ({ loss: backpropRows(engine, data.inputs, data.targets), rows: data.inputs.rows }));
    // A forward overflow was named by backpropRows; what is left overflowed in the loss (or lies beyond float32's range: evaluate's rule) or in backprop.
    if (!lossWithinFloat32(loss)) {
      const { row, cause } = lossFault(engine, rows);
      throw new GradscopeError('NON_FINITE_INPUT', `gradients over rows 0..${rows - 1}: the loss is ${lossSaid(loss)}: row ${row}'s ${cause}`);
    }
    const fault = nonFiniteGradient(engine);
    if (fault) throw new GradscopeError('NON_FINITE_INPUT', `gradients over rows 0..${rows - 1}: ${fault} (backpropagation overflows float32: the weights or the inputs are too large)`);
    const k = engine.kernels;
    const parameters: Record<string, Float64Array> = {};
    for (const p of engine.parameters()) parameters[p.name] = Float64Array.from(k.view(p.grad));
    const layers = denseLayerGradients(engine.parameters(), parameters);
    return { loss, layers, parameters };
  }

  /**
   * Mean loss and accuracy over all rows of (x, y), or of a Dataset (batch norm with its running statistics: 'eval' mode; after
   * a few large steps they lag the weights: updateBatchNormStatistics).
   */
  evaluate(data: Dataset): Evaluation;
  evaluate(x: Rows, y: Rows): Evaluation;
  evaluate(x: Rows | Dataset, y?: Rows): Evaluation {
    this.assertAlive();
    refuseOptions('evaluate', arguments.length);
    return this.withRows(x, y, (data) => evaluateRows(this.#engine, data.inputs, data.targets));
  }

  /**
   * Recomputes every batch norm's running statistics over the rows of x, or of a Dataset's inputs (its targets are not used), as
   * PyTorch's torch.optim.swa_utils.update_bn(loader, model): each is reset (mean 0, variance 1), the rows run forward in 'train'
   * mode in batches of `batchSize` in their order (default 32), and the running mean and variance become the mean of the batches'
   * (PyTorch's momentum=None, a cumulative average); num_batches_tracked becomes the number of batches. Weights, step, optimiser
   * state, RNG and trace do not change; net.trainedOn becomes undefined (the statistics now come from these rows).
   * Why: evaluate(), predict() and train()'s validation normalise by the running statistics, which each training step moves by
   * the layer's momentum (0.1) toward its batch's, so after a few large steps (a second-order optimiser's, on batches of hundreds
   * of rows) they lag the weights: call this on the training rows before evaluating. Returns how many batch norm layers it
   * recomputed: 0 for a network without any, which it leaves as it was. A row that overflows float32, or statistics that would
   * pass it, are refused (NON_FINITE_INPUT) and nothing changes.
   */
  updateBatchNormStatistics(x: Rows | Dataset, options?: BatchNormStatisticsOptions): number {
    this.assertAlive();
    if (this.#training) throw invalidOption(`updateBatchNormStatistics: this network is training: called from its running train() call's onBatch or onEpoch, which would move the statistics under it; call it after train() returns`);
    const batchSize = checkBatchNormStatisticsOptions(options);
    const rows = x instanceof Dataset ? this.residentOf(x).inputs : toMatrix(x, this.inputSize, 'inputs');
    refuseNoRows(rows.rows, 'updateBatchNormStatistics');
    const engine = this.#engine;
    if (!(engine instanceof BlockEngine) || engine.batchNormCount === 0) return 0;
    updateBatchNormStatistics(engine, rows, batchSize);
    this.#trainedOn.drop();
    return engine.batchNormCount;
  }

  /**
   * Mini-batch training on (x, y), or on a Dataset (which copies nothing per call); see TrainOptions.
   * Given `trace` options it returns the trace it recorded (TracedTrainResult: `const { trace } = net.train(…)`).
   * Batch norm normalises with each batch's statistics and moves its running statistics once per
   * step; validation uses the running ones. A call that applies a step (or runs LSUV) drops
   * net.trainedOn, the record of the rows that trained the weights: it cannot name the rows it takes
   * (saveModel's `trainedOn` option records them); a call refused before any step keeps it.
   */
  train(data: Dataset, options: TrainOptions & { trace: TraceOptions }): TracedTrainResult;
  train(data: Dataset, options?: TrainOptions): TrainResult;
  train(x: Rows, y: Rows, options: TrainOptions & { trace: TraceOptions }): TracedTrainResult;
  train(x: Rows, y: Rows, options?: TrainOptions): TrainResult;
  train(x: Rows | Dataset, y?: Rows | TrainOptions, options?: TrainOptions): TrainResult {
    this.assertAlive();
    if (this.#training) {
      // Called from inside the running call: its onBatch or onEpoch, or a getter or function of what it was given, which it reads as it runs.
      throw invalidOption(
        'train: this network is already training: this call was made while its running train() call was under way (from that call\'s onBatch or onEpoch, or from a getter of the options or rows it was given), ' +
          'and was refused before it changed anything; a network trains in one train() call at a time: call train() again after the running call returns',
      );
    }
    // Activation layers alone: every epoch would run and change nothing, and a study of it read 'Healthy gradient flow'.
    if (this.#engine.parameterCount === 0) throw invalidOption('train: the network has no parameters (its layers are activations only), so there is nothing to train: give it a layer with parameters (a dense layer)');
    this.#training = true;
    try {
      return this.trainOnce(x, y, options);
    } finally {
      this.#training = false;
    }
  }

  /** train() once no other call of this network's is running. */
  private trainOnce(x: Rows | Dataset, y?: Rows | TrainOptions, options?: TrainOptions): TrainResult {
    const given = x instanceof Dataset ? optionsBesideDataset(y, options) : options;
    // Every option read once, into the snapshot the whole call uses; the last call's, and its kept settings, when nothing read has changed.
    const opts = readTrainOptions(this.#engine, given);
    const kept = keptSettingsFor(this.#engine, opts);
    checkOptimizerOption(this, opts);
    const targets = x instanceof Dataset ? undefined : (y as Rows);
    const { validation } = opts;
    if (validation !== undefined && !(validation instanceof Dataset)) checkValidationRows(validation);
    // One batch in order (e.g. one call per batch): written once, into the batch buffers themselves.
    if (!(x instanceof Dataset) && targets !== undefined && loadsOneBatchInOrder(rowCount(x), opts)) return this.trainInPlace(x, targets, opts, kept);
    return this.withRows(x, targets, (data) => {
      if (validation === undefined) return this.runTraining(data, opts, undefined, kept);
      // Validation on the training rows themselves (as `gradscope study --model` passes them) measures the training loss at each epoch's end, not a held-out one.
      if (validation instanceof Dataset) return this.runTraining(data, opts, { rows: this.targetsOf(validation, VALIDATION_LABELS), trainingRows: validation === x });
      const trainingRows = validation.x === x && validation.y === targets;
      return this.withRows(validation.x, validation.y, (rows) => this.runTraining(data, opts, { rows, trainingRows }), VALIDATION_LABELS);
    });
  }

  /**
   * train() on rows loaded in place. A dense chain checks its inputs finite through its first
   * layer's output (Engine.firstLayerFinite): one pass over batch × units instead of batch × inputs
   * (at 256 × 784 → 100, 1 µs instead of 8 of a 1.7 ms step on the AMD EPYC Zen 5, 2026-11-30), and the pass over the inputs only
   * when that output is not finite. The forward pass it runs after changes nothing a dense chain
   * holds; with a trace (set on the network before the first step) or LSUV (which rescales the
   * weights before it) the inputs are checked first. Every other error of the call waits for the
   * check, so a call fails as it would with the inputs checked first.
   */
  private trainInPlace(x: Rows, y: Rows, options: TrainOptions, kept: KeptSettings | undefined): TrainResult {
    const engine = this.#engine;
    const dense = engine instanceof Engine && options.trace === undefined && (options.lsuv === undefined || options.lsuv === false) ? engine : undefined;
    const rows = loadInPlace(engine, x, y, dense !== undefined);
    if (dense) rows.afterFirstForward = (batch) => (dense.firstLayerFinite(batch) ? undefined : rows.checkInputs());
    try {
      return this.runTraining(rows, options, undefined, kept);
    } catch (error) {
      rows.checkInputs();
      throw error;
    }
  }

  /** runTraining on this network's engine, keeping the trace it records. */
  private runTraining(data: TrainingRows<T>, options: TrainOptions, validation?: ValidationSet<T>, kept?: KeptSettings): TrainResult {
    return runTraining(this.#engine, data, options, validation, this.#held, kept);
  }

  /** What runTraining tells this network (made once, not per call): the trace to keep, and that the weights moved on rows it cannot name. */
  readonly #held: TrainingListener = {
    keepTrace: (trace) => {
      this.trace = trace;
    },
    weightsMoved: () => {
      this.#trainedOn.drop();
    },
  };

  /**
   * The model in gradscope's JSON file format (docs/api.md, Files): version 1 for a network of dense
   * layers, version 2 (layer specs and every tensor by name, batch norm's running statistics
   * included) for a block network: the network alone, not its step, RNG or optimiser state (a checkpoint holds
   * those: checkpointToJSON), so Network.fromJSON gives it back at step 0. Refused (INVALID_OPTION), as every saver refuses it, when a
   * parameter is not finite or beyond the largest training allows (`net.weights[0][3]: NaN is not a finite number`: JSON would write
   * a NaN as null, which no reader takes back), and when its JSON text would pass
   * FILE_LIMITS.maxJsonBytes (256 MiB), the most a JSON model file holds: past
   * ~2²⁹ characters JSON.stringify fails with V8's RangeError; the binary formats take it.
   */
  toJSON(this: Network<T, 'dense'>): ModelFile;
  /** A block network's file: version 2 (see the first signature). */
  toJSON(this: Network<T, 'blocks'>): BlockModelFile;
  /** A network of either kind's file (see the first signature): createNetwork({ sizes }) gives one typed 'dense', whose toJSON() is a ModelFile. */
  toJSON(): ModelFile | BlockModelFile;
  toJSON(): ModelFile | BlockModelFile {
    this.assertSaveable('toJSON');
    const engine = this.#engine;
    const k = this.#kernels;
    const trainedOn = this.#trainedOn.current();
    let fileOf: (numbers: FileNumbers) => ModelFile | BlockModelFile;
    if (engine instanceof BlockEngine) {
      const model: BlockModelData = { kind: 'blocks', loss: engine.loss, inputs: engine.inputSize, layers: [...engine.specs], tensors: engine.state(), initialisation: this.initialisation, trainedOn, pytorchModule: this.#pytorchModule };
      checkBlockModel(model);
      fileOf = (numbers) => blockModelToJSON(model, numbers);
    } else {
      const weights = engine.weights.map((w) => k.view(w));
      const biases = engine.biases.map((b) => k.view(b));
      // As every saver refuses them, in the same words (checkedModelData's): JSON writes a NaN or an infinity as null, which no reader takes back.
      weights.forEach((w, l) => checkStoredTensor(w, (i) => `net.weights[${l}][${i}]`, true, optionFault));
      biases.forEach((b, l) => checkStoredTensor(b, (i) => `net.biases[${l}][${i}]`, true, optionFault));
      const model = {
        loss: this.loss,
        sizes: engine.sizes,
        activations: engine.activationFunctions,
        weights,
        biases,
        initialisation: this.initialisation,
        trainedOn,
        pytorchModule: this.#pytorchModule,
      };
      fileOf = (numbers) => modelToJSON(model, numbers);
    }
    // Sized over the tensors themselves: a file too large is refused before its arrays are built.
    checkModelJsonSize(fileOf(uncopiedNumbers), FILE_LIMITS.maxJsonBytes, 'toJSON', 'save it in a binary format instead: saveModel(net, path) with a path ending in .bin, or toSafetensors(net)');
    return fileOf(copiedNumbers);
  }

  /** Every parameter and state buffer (batch norm's running statistics) as float32 copies, by PyTorch state_dict name and in its order. */
  state(): BlockTensor[] {
    this.assertAlive();
    const engine = this.#engine;
    if (engine instanceof BlockEngine) return engine.state();
    const k = this.#kernels;
    return engine.parameters().map((p) => ({ name: p.name, shape: [...p.shape], dtype: 'float', values: Float32Array.from(k.view(p.value)) }));
  }

  /**
   * Sets every parameter and state buffer from `tensors` (as state() gives them: every name, in
   * order, of the same lengths), e.g. a checkpoint's. Checked whole before anything changes
   * (BAD_MODEL_FILE naming the first mismatch, or a value that is not a finite float32, a negative
   * running variance or a count that is not a whole number ≥ 0, as every model file reader; a record
   * in `options.initialisation` gradscope cannot read, naming its field; INVALID_OPTION for an
   * argument that is not such an array). On purpose it does not
   * check the parameters are within about ±1.8e16 (the largest training keeps), as a direct write to the tensors would not: the step guard names such
   * a parameter before the next step (its tests plant them this way), and saving refuses it.
   * The weights are then not the ones this network drew: net.initialisation becomes what
   * `options.initialisation` records of them, or undefined (unknown), net.trainedOn becomes undefined,
   * and a network created with init 'lsuv' no longer waits for it.
   */
  loadState(tensors: readonly { name: string; values: ArrayLike<number> }[], options: LoadStateOptions = {}): void {
    this.assertAlive();
    checkKnownKeys(options, LOAD_STATE_OPTIONS, 'loadState');
    const origin = givenParameters(options.initialisation === undefined ? undefined : readInitialisation(options.initialisation, 'initialisation', badModelFile, this.denseFanIns()));
    const read = stateArgument(tensors);
    const expected = this.state();
    if (read.length !== expected.length) throw new GradscopeError('BAD_MODEL_FILE', `tensors: expected ${expected.length} (${expected.map((t) => t.name).join(', ')}), got ${read.length}`);
    // Each tensor and value read once, the copies checked and written (valuesReadOnce says why).
    const given = expected.map((t, i) => {
      const { name, values, length } = read[i];
      if (name !== t.name || length !== t.values.length) {
        throw new GradscopeError('BAD_MODEL_FILE', `tensors[${i}]: expected ${t.name} of ${grouped(t.values.length)} values, got ${String(name)} of ${grouped(length)}`);
      }
      const copy = valuesReadOnce(values, length) as ArrayLike<number>;
      const at = (j: number) => `tensors[${i}] (${t.name})[${j}]`;
      checkFloat32Values(copy, at, badModelFile);
      checkStateValues(copy, t, badModelFile, at);
      return { name, values: copy };
    });
    const engine = this.#engine;
    if (engine instanceof BlockEngine) engine.loadState(given);
    else engine.parameters().forEach((p, i) => this.#kernels.write(p.value, given[i].values));
    Object.assign(engine, origin);
    this.trace = undefined; // it described the weights before
    this.#trainedOn.drop(); // the given tensors' source, not this network, knows what trained them
  }

  /** Each dense layer's inputs, as a record of how they were drawn is checked against (readInitialisation). */
  private denseFanIns(): DenseFanIn[] {
    const engine = this.#engine;
    return engine instanceof BlockEngine ? namedDenseFanIns(engine.specs, engine.inputSize) : chainFanIns(engine.sizes);
  }

  /** A network from gradscope's JSON model format (an object or its text). */
  static async fromJSON(json: unknown, options: LoadOptions = {}): Promise<Network> {
    checkLoadOptions(options, 'fromJSON');
    return networkOfData(readModelJSON(json), options);
  }

  /** Returns every tensor's memory to the backend; then every member throws DISPOSED but isDisposed, dispose() (a second call does nothing) and trace. */
  dispose(): void {
    this.#engine.dispose();
  }

  /**
   * The gradient-flow trace of the last train() call given `trace` options (see src/flow), while it
   * still describes this network's weights: undefined before a traced run, and set back to undefined
   * by whatever changes the weights after it without tracing (a train() call without `trace` that
   * applies a step or runs LSUV, initLsuv, loadState), so diagnose(net.trace) never reads a run the
   * weights have since left. Keep a reference (`const t = net.trace`) to hold an earlier run's trace.
   *
   * After a traced train() call that throws DIVERGED it holds the records of every step applied up
   * to the fault (none of the faulty batch, whose step was not applied): the steps that explain the
   * DIVERGED, kept even where the network went back to an earlier state (onNonFinite 'throw': the
   * last state judged good; 'halve' out of halvings: an epoch's start), so its last record may be of
   * a step after `net.step`; the epochs it lists are the ones completed. The error's message says
   * where training stopped. Call train() again to trace from the weights it went back to.
   */
  trace: Trace | undefined;
}

/**
 * What a disposed network still answers: isDisposed, dispose() (a no-op then), and trace, the record
 * of a past run in plain JavaScript memory (diagnose(net.trace) after dispose() reads what it recorded).
 */
export const NETWORK_ANSWERED_AFTER_DISPOSE: readonly string[] = ['isDisposed', 'dispose', 'trace'];

/** The options createNetwork takes: the architecture's (NetworkOptions) and the backend's. */
const CREATE_NETWORK_OPTIONS = [
  ...keysOf<NetworkOptions>({ sizes: true, inputs: true, layers: true, activation: true, output: true, loss: true, init: true, biasInit: true, seed: true }),
  ...BACKEND_OPTIONS,
];

/**
 * A new network. `backend` picks the kernels ('wasm' by default); `threads: n` runs the wasm
 * backend's large products on n threads, on kernels shared by every network of the same n and
 * closed when the last of them is disposed (src/backend.ts).
 */
export function createNetwork(options: NetworkOptions & { sizes: readonly number[] } & BackendOptions): Promise<Network<Tensor, 'dense'>>;
/** A network of layer specs (`{ inputs, layers }`): 'blocks' where any layer is not dense, else 'dense' (see the first signature). */
export function createNetwork(options: NetworkOptions & BackendOptions): Promise<Network>;
export async function createNetwork(options: NetworkOptions & BackendOptions): Promise<Network> {
  if (typeof options === 'object' && options !== null) checkKnownKeys(options, CREATE_NETWORK_OPTIONS, 'createNetwork');
  const { config } = resolveNetwork(options);
  return networkOn(options, (kernels) => new Network(kernels, config));
}

/** The options of every function that builds a network from model data (Network.fromJSON, networkFromModel, networkFromBlockModel, loadModel); loadCheckpoint and networkFromCheckpoint take the backend's alone (BackendOptions: a checkpoint holds its RNG state). */
export interface LoadOptions extends BackendOptions {
  /**
   * The seed of the network's random number generator (batch order, noise) where the data hold no
   * state of it: a whole number from 0 to 2³²−1. Default 1. A checkpoint's saved state wins over it.
   */
  seed?: number;
}

/** The options of net.loadState. */
export interface LoadStateOptions {
  /**
   * How the given parameters were first drawn, as their source records it (a reader's
   * ModelData.initialisation, a checkpoint model's, another network's net.initialisation).
   * Default: unknown, and net.initialisation becomes undefined, as for a file that records none:
   * the network's own init drew weights it no longer holds, so neither diagnose() nor a file saved
   * after claims it.
   */
  initialisation?: Initialisation;
}

const LOAD_STATE_OPTIONS = keysOf<LoadStateOptions>({ initialisation: true });

/** Checks LoadOptions: the backend's and a whole-number seed, nothing else but the caller's own `more` keys (which it checks). */
export function checkLoadOptions(options: LoadOptions, who: string, more: readonly string[] = []): void {
  checkKnownKeys(options, [...BACKEND_OPTIONS, 'seed', ...more], who);
  if (options.seed !== undefined) checkSeed(options.seed, `${who}: seed`);
}

/**
 * INVALID_OPTION when `method` (evaluate, gradients: (x, y) or a Dataset, no options) is given a
 * third argument: a JavaScript caller's options ({ batchSize }, as Keras' evaluate takes) were
 * dropped unsaid.
 */
function refuseOptions(method: 'evaluate' | 'gradients', given: number): void {
  if (given > 2) throw invalidOption(`${method}: takes (x, y) or a Dataset and no options, got ${given} arguments`);
}

/**
 * A network holding checked model data (a version 1 or 2 model file's, a checkpoint's) on the
 * chosen backend: block data of dense layers only, each with its bias, builds the dense engine. Its RNG starts at
 * `options.seed` (default 1). Callers check the data first: the readers as they read it (checkStoredTensor), io/model-data.ts what is given in memory.
 */
export async function networkOfData(model: ModelData | BlockModelData, options: LoadOptions = {}): Promise<Network> {
  const seed = options.seed ?? 1;
  // init and biasInit draw nothing here (the parameters are given); `recorded` is what the data say they were drawn by.
  const recorded = { ...(model.initialisation && { recorded: model.initialisation }), ...(model.trainedOn && { trainedOn: model.trainedOn }) };
  const common = { loss: model.loss, init: 'standard', biasInit: 'zero', seed, ...recorded } as const;
  if (!('kind' in model)) {
    const config: NetworkConfig = { ...common, sizes: model.sizes, activations: model.activations, ...(model.pytorchModule && { pytorchModule: model.pytorchModule }) };
    return networkOn(options, (kernels) => new Network(kernels, config, { weights: model.weights, biases: model.biases }));
  }
  // Dense layers each with its bias alone: the dense engine's (a bias-free one has no bias tensor to pair with its weight).
  if (model.layers.every((spec) => spec.type === 'dense' && hasBias(spec))) {
    const dense = model.layers as Extract<CheckedSpec, { type: 'dense' }>[];
    // A block record's tensors' names as the dense chain's layers' (each layer's weight's module): the same names written back.
    const { tensorNames, logits } = model.pytorchModule ?? {};
    const pytorchModule = { ...(tensorNames && { layerNames: tensorNames.filter((_, i) => i % 2 === 0).map((name) => name.slice(0, name.lastIndexOf('.'))) }), ...(logits && { logits }) };
    const config: NetworkConfig = { ...common, sizes: [model.inputs, ...dense.map((spec) => spec.units)], activations: dense.map((spec) => spec.activation), ...((tensorNames || logits) && { pytorchModule }) };
    const values = model.tensors.map((t) => t.values);
    return networkOn(options, (kernels) => new Network(kernels, config, { weights: values.filter((_, i) => i % 2 === 0), biases: values.filter((_, i) => i % 2 === 1) }));
  }
  const config: BlockConfig = { ...common, inputs: model.inputs, layers: model.layers, ...(model.pytorchModule && { pytorchModule: model.pytorchModule }) };
  return networkOn(options, (kernels) => new Network(kernels, config, model.tensors));
}

/** loadState's argument as state() gives it, an array of { name, values } with values array-like (INVALID_OPTION naming the entry at fault otherwise): each entry's name, values and length as read, once. */
function stateArgument(tensors: unknown): { name: unknown; values: ArrayLike<unknown>; length: number }[] {
  const shape = '{ name, values } (as state() gives them)';
  if (!Array.isArray(tensors)) throw invalidOption(`loadState: expected an array of ${shape}, got ${shownArgument(tensors)}`);
  // Each tensor's name, values and length read once here; loadState uses these, never `tensors` again (valuesReadOnce says why).
  return Array.from(tensors as unknown[], (tensor, i) => {
    const { name, values } = typeof tensor === 'object' && tensor !== null ? (tensor as { name?: unknown; values?: unknown }) : { name: undefined, values: undefined };
    const length = lengthOf(values);
    // An object with no length ({}) is no list of values: its count read as 'undefined' in the mismatch refusal.
    if (typeof length !== 'number') throw invalidOption(`loadState: tensors[${i}]: expected ${shape}, got ${shown(tensor)}`);
    return { name, values: values as ArrayLike<unknown>, length };
  });
}

const badModelFile: Fail = (where, message) => new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);

/**
 * Each dense layer's gradient from `grads` (by parameter name), with its norms, in parameters()' order (forward): a dense
 * layer's weight matrix (Parameter.weightMatrix) and the bias its module holds beside it, none with `bias: false`.
 */
function denseLayerGradients(parameters: readonly Parameter[], grads: Readonly<Record<string, Float64Array>>): LayerGradient[] {
  return parameters
    .filter((p) => p.weightMatrix)
    .map((p) => {
      const name = p.name.slice(0, -WEIGHT_SUFFIX.length);
      const biases = grads[`${name}.bias`] ?? new Float64Array(0);
      const [units, inputs] = p.shape;
      return { name, weights: grads[p.name], biases, inputs, units, weightNorm: euclideanNorm(grads[p.name]), biasNorm: biases.length === 0 ? NaN : euclideanNorm(biases) };
    });
}

/** What a dense layer's weight matrix's parameter name ends with after its module's name (PyTorch's state_dict: '3.branch.0.weight'). */
const WEIGHT_SUFFIX = '.weight';

/**
 * predict and layerOutputs refuse an empty batch (SHAPE_MISMATCH), as evaluate, gradients and train do and the docs'
 * error table says: they answered [] and zero rows, so a slip that emptied the rows went on unsaid.
 */
function refuseNoRows(rows: number, method: string): void {
  if (rows === 0) throw new GradscopeError('SHAPE_MISMATCH', `inputs: no rows: give ${method} at least one row`);
}

/**
 * The refusal of a dataset (named `label`) whose rows live in kernels (named `theirs`) other than the
 * network's (`ours`). Of the same name they are another instance of one backend (a network given its
 * own createWasmKernels, or made after every network of the shared instance was disposed): said as
 * such, since "another backend's memory (wasm-simd)" read as a contradiction beside a wasm-simd network.
 */
function foreignDataset(label: string, theirs: string, ours: string): GradscopeError {
  const where = theirs === ours ? `another ${theirs} instance's memory than the network's (dataset.kernels is not net.kernels: each instance has memory of its own)` : `another backend's memory (${theirs}; the network's: ${ours})`;
  return invalidOption(`${label}: its rows live in ${where}; make it with net.dataset(x, y), or createDataset(x, y, { backend: net.kernels })`);
}

/**
 * The refusal of a dataset (named `label`) whose rows live in shared kernels (named `theirs`) let go when the
 * network that made it (net.dataset, which holds no share of them) and every other network or dataset holding them were disposed: said
 * as what happened, where "another instance's memory" named no cause.
 */
function letGoDataset(label: string, theirs: string): GradscopeError {
  return new GradscopeError(
    'DISPOSED',
    `${label}: its rows live in a ${theirs} instance let go when the last network or dataset holding it was disposed (a dataset made by net.dataset(x, y) holds no share of its network's backend; one made by createDataset holds it until its own dispose()); make it again with net.dataset(x, y), or createDataset(x, y, { backend: net.kernels })`,
  );
}

/** The refusal of targets (named `label`) given beside a Dataset, which holds its own: they would be silently ignored. */
export function targetsBesideDataset(label: string): GradscopeError {
  return new GradscopeError(
    'SHAPE_MISMATCH',
    `${label}: given beside a Dataset, which holds its own; pass the dataset alone (evaluate(data), gradients(data)), with its options after it (train(data, options), measureCurvature(net, data, options)), or the rows x and y`,
  );
}

/**
 * The options of a call that takes a Dataset where it takes rows x, y (train(data, options),
 * measureCurvature(net, data, options)): the argument after the dataset, `given`. Rows there
 * (isRowsShaped) or an argument after them (`after`) are targets beside a dataset that holds its
 * own: one rule for every such call, refused as evaluate(data, y) refuses them (SHAPE_MISMATCH,
 * `label`), never read as options (train's named the keys of { data, rows, cols } unknown options).
 */
export function optionsBesideDataset(given: unknown, after: unknown, label: string = ROW_LABELS.targets): unknown {
  if (after !== undefined || isRowsShaped(given)) throw targetsBesideDataset(label);
  return given;
}

/** The refusal of a call (train, evaluate, gradients, measureCurvature) whose rows `label` were not given. */
export function missingRows(label: string): GradscopeError {
  return new GradscopeError('SHAPE_MISMATCH', `${label}: missing (pass x and y, or a Dataset)`);
}

/** A function that takes rows only (layerOutputs, initLsuv, jacobianSpectrum) names what a Dataset is taken by instead of the generic "expected an array of rows". */
export function rowsNotDataset(x: Rows, method: string): Rows {
  if (x instanceof Dataset) {
    throw new GradscopeError('SHAPE_MISMATCH', `${method}: takes rows (an array of rows or { data, rows, cols }), not a Dataset (which predict, evaluate, gradients and train take): pass the rows the dataset was made from`);
  }
  return x;
}
