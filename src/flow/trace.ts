/**
 * A gradient-flow trace: per traced step and per layer, the metrics of metrics.ts, stored as one
 * Float64Array per metric, `[record][layer]` row-major. Written by the recorder during training
 * (recorder.ts), read by diagnose(), the reports and the user (`net.trace`).
 */
import { GradscopeError, invalidOption, shown, shownArgument, typedWord } from '../errors.js';
import type { BiasInit, WeightInit } from '../init/initializers.js';
import type { Loss, OutputActivation } from '../kernels.js';
import type { TappedLayerType } from '../flow-taps.js';
import type { RunSchedule } from '../learning-rate-schedule.js';
import { blockLayerLabel, blockPaths, denseLayerName, parentPath, type LayerLabelForm } from '../layer-names.js';
import {
  inMetricRange,
  LAYER_METRIC_NAMES,
  LAYER_METRIC_RANGES,
  LAYER_METRICS,
  METRIC_RANGE_WORDS,
  LATER_METRICS,
  OPT_IN_METRICS,
  RESIDUAL_METRIC_NAMES,
  RESIDUAL_METRIC_RANGES,
  type LaterMetric,
  type LayerMetric,
  type MetricRange,
  type ResidualMetric,
} from './metrics.js';
import { traceCsv } from './trace-csv.js';
import { classesOf } from './training-progress.js';
import { overflowSaid, parsedJsonText, placePath } from '../json-syntax.js';
import { checkTraceHeader } from './trace-header.js';
import { counted, grouped } from '../counted.js';
import { countWords, isCount } from '../run-counts.js';

/** Histograms of the back-propagated gradients δ = ∂C/∂z of every layer at one step. */
export interface GradientHistogram {
  /** The network step it was taken at. */
  step: number;
  /**
   * Each layer's range [lo[l], hi[l]] (symmetric about 0: ± that layer's largest |δ|), cut into
   * equal-width bins, so a layer whose gradients are 1,000× smaller than the output's still
   * spreads over all its bins.
   */
  lo: number[];
  /** Each layer's upper bound (see lo). */
  hi: number[];
  /** counts[layer][bin]. */
  counts: Float64Array[];
}

/**
 * How the traced run was set up, as far as the trace can know it: diagnose() never suggests what
 * the run already uses. Each field is absent when unknown (a trace read from an older file, or a
 * network loaded from a model file that records no initialisation: Network.initialisation).
 */
export interface TraceRun {
  /** The optimiser's name ('sgd', 'adam', …). */
  optimizer?: string;
  /**
   * The learning rate the run started with (onNonFinite 'halve' may have lowered it later: TraceEpoch.learningRate,
   * learningRateInForce); under a schedule, the rate it scales, its first step's. Absent for an optimiser that chooses its own steps.
   */
  learningRate?: number;
  /**
   * The learning-rate schedule the run's steps followed (TrainOptions.schedule), every setting filled in, with T (`steps`), the
   * schedule's steps taken before the call (`from`), the batches of an epoch (`epochSteps`) and the network's step at the call's
   * start (`atStep`): the step after network step s took learningRate × scheduleFactor(schedule, from + s − atStep), learningRate
   * the one in force in its epoch (epochLearningRate). Absent without a schedule, and in traces saved before gradscope had them.
   */
  schedule?: RunSchedule;
  /** Rows per batch: train()'s batchSize, at most the rows trained on (`rows`; the last batch of an epoch may hold fewer, unless dropLast). */
  batchSize?: number;
  /**
   * The training rows train() was given, which each epoch passes over (less an epoch's short last batch under dropLast): with
   * batchSize it tells whether every step saw all of them (everyStepSawAllRows). Absent in a trace written before gradscope
   * recorded it, and in one recorded outside train() (a trace of the initial weights, the visualizer's probe).
   */
  rows?: number;
  /** The optimiser's per-layer learning-rate multipliers, present only when some differs from 1. */
  layerRates?: number[];
  /** The weight initialiser the network was created with (or, loaded, the one its file records). */
  init?: WeightInit;
  /** The bias initialiser the network was created with (or, loaded, the one its file records). */
  biasInit?: BiasInit;
  /** True when LSUV rescaled the network's weights before or at the start of the run (net.initLsuv(x), or train's lsuv option; or, loaded, its file records so); absent otherwise. */
  lsuv?: true;
  /**
   * A first-order optimiser's weight decay λ, present only when > 0: L2 (λ·W added to the gradient)
   * for every one but AdamW, whose decay is decoupled (W shrunk by learningRate·λ beside the step).
   */
  weightDecay?: number;
  /** train()'s clipNorm, present only when the run clipped the gradient's global norm. */
  clipNorm?: number;
  /** The optimiser's momentum where it has one (SGD's, LARS's), present only when > 0. */
  momentum?: number;
  /** True when SGD used Nesterov's momentum; absent otherwise. */
  nesterov?: true;
  /** False when weightDecay left the biases (and norms' parameters) undecayed (decayBiases: false); absent otherwise. */
  decayBiases?: false;
  /**
   * What train()'s validation held: 'training rows' when it was given the training rows themselves
   * (the same x and y arrays, or the same Dataset), so that each epoch's validation loss is the loss
   * on every training row at the epoch's end; 'other rows' otherwise (held out, as far as the caller
   * kept them apart). Absent without validation.
   */
  validation?: 'training rows' | 'other rows';
  /**
   * 'one-hot' when every target row of every traced batch held a single 1 and 0 elsewhere, over 2
   * outputs or more: the network tells that many classes apart, whatever the loss (binary
   * cross-entropy or mse over one-hot rows too), and its accuracy is the share of rows whose largest
   * output is the target's. Set by the recorder from the batches it traces; absent otherwise (soft
   * or multi-label targets, one output, or a trace written before gradscope recorded it).
   */
  targets?: 'one-hot';
  /**
   * The rows train() was given, counted per target class (flow/chance.ts classRowsOf: the class the accuracy reads from a target row),
   * one count a class (2 over one output), where every target row is a class row (one-hot over 2 outputs or more, 0 or 1 over one):
   * chance, what a guess that ignores the input gets right, is the most frequent class's share of them (TrainingProgress.chance).
   * Absent otherwise (soft or real-valued targets, and a trace written before gradscope recorded it, or one recorded outside train()).
   */
  classRows?: number[];
  /**
   * 'alike' when the rows train() was given were alike: every input feature the same on every row to within float32's rounding (its
   * standard deviation over them at most 2⁻²¹, 4 units in the last place, of its largest |value|: flow/alike-rows.ts), so that every
   * layer got the same input on every row; diagnose() then names the data as the cause and offers no remedy of the network or the
   * run. Absent otherwise (and in a trace written before gradscope recorded it, or one recorded outside train()).
   */
  inputs?: 'alike';
  /**
   * Where the input features train() was given are far from standardised (mean 0, spread 1): their root mean square √(mean² +
   * spread²) at least 3, `mean` the root mean square over the features of each one's mean over the rows and
   * `spread` of each one's standard deviation (flow/input-scale.ts). diagnose() says it, with the first hidden layer's saturation
   * at the first record where inputs that large caused it, and offers standardising them first. Absent otherwise (and in a
   * trace written before gradscope recorded it, or one recorded outside train()).
   */
  inputScale?: {
    /** √(mean over the features of μⱼ²), μⱼ a feature's mean over the rows (in the inputs' unit; ≥ 0). */
    mean: number;
    /** √(mean over the features of σⱼ²), σⱼ a feature's standard deviation over the rows (in the inputs' unit; ≥ 0). */
    spread: number;
  };
}

/** One epoch of a traced train() call, as the training loop measured it (its EpochInfo), recorded whatever the trace's interval. */
export interface TraceEpoch {
  /**
   * Epoch index within the train() call, from 0: EpochInfo.epoch − 1 (EpochInfo and messages count
   * from 1). The trace file's numbering since epochs were recorded, kept so saved traces read the same.
   */
  epoch: number;
  /** The network step at the epoch's end (its last step taken). */
  step: number;
  /** Mean of the epoch's batch losses, each before its update (EpochInfo.loss): the training loss over the rows the epoch trained on, as the weights moved. */
  loss: number;
  /**
   * The learning rate in force in this epoch (its last run), present only where onNonFinite 'halve'
   * had lowered it below the run's starting one (TraceRun.learningRate); absent otherwise, and in
   * traces saved before it was recorded (read as the starting rate: learningRateInForce).
   */
  learningRate?: number;
  /**
   * Batches of the epoch that onNonFinite 'skip' left out (a step not finite or running away, never
   * applied), present only where some were: `loss` is then the mean over the applied batches alone,
   * the epoch's steps. Absent otherwise, and in traces saved before gradscope recorded it (read as none).
   */
  skipped?: number;
  /**
   * Batches whose step the epoch applied (EpochInfo.batches: its last run, for an epoch 'halve' ran
   * again), so that `skipped` can be said of the epoch's batches in all (skipped + batches). Absent in
   * traces saved before gradscope recorded it (read as unknown: the steps between two epochs' ends
   * do not tell it where a trace's first epoch began after earlier training, or 'halve' took steps back).
   */
  batches?: number;
  /** Loss and accuracy on train()'s validation rows after the epoch ('eval' mode); absent without validation (see TraceRun.validation for what they were). */
  validation?: {
    /** Mean loss over the validation rows. */
    loss: number;
    /** Fraction of them classified right. */
    accuracy: number;
  };
  /**
   * Loss and accuracy on a fixed subset of the training rows after the epoch ('eval' mode), at the
   * same weights as `validation`: recorded where the validation rows were other rows (TraceRun.validation
   * 'other rows'), so that a held-out loss that rose is compared with the training loss at the same
   * weights (overfitting: this one held or fell) and not with `loss`, a mean over weights that moved.
   * The rows are evenly spaced over the training rows, as many as the validation rows, at most
   * 1,024. Absent without validation on other rows, and in
   * traces saved before gradscope recorded it.
   */
  training?: {
    /** Mean loss over the subset. */
    loss: number;
    /** Fraction of it classified right. */
    accuracy: number;
    /** Training rows in the subset. */
    rows: number;
  };
}

/**
 * What a trace of a network built from layer specs adds: which layer each row is, and its residual
 * blocks. A dense network's trace has none (its rows are its weight layers).
 */
export interface TraceBlocks {
  /** Per row: its PyTorch module name ('0', '3.branch.0') and layer type. */
  layers: {
    /** PyTorch module name. */
    name: string;
    /** Layer type. */
    type: TappedLayerType;
    /** false for a dense layer built without a bias (its row records no ‖∂C/∂b‖); absent for every other row. */
    bias?: false;
  }[];
  /** Per residual block (outer before inner): its module name and gate. */
  residuals: {
    /** PyTorch module name. */
    name: string;
    /** 'none' or 'rezero'. */
    gate: 'none' | 'rezero';
  }[];
}

/** A trace as JSON data (Trace.toJSON; Trace.fromJSON reads it back). */
export interface TraceJSON {
  /** Always 'gradscope.trace'. */
  format: 'gradscope.trace';
  /**
   * 3: histogram ranges per layer (version 2 had one range for every layer: read as each layer's).
   * 2: per-example deltaRms (was deltaNorm), saturation by value, inactive/dead for relu only, run.
   * Fields added since within version 3 (batchRows, epochs, run.rows, run.classRows, …) are optional: a file written before one
   * was lacks it, and reads as each field's doc says.
   */
  version: 3;
  /** Units per layer, input first. */
  sizes: number[];
  /** Activation of each weight layer. */
  activations: OutputActivation[];
  /** The loss trained on. */
  loss: Loss;
  /** A record was taken every this many steps (and at the steps of TraceOptions.extraSteps: `steps` holds each record's). */
  every: number;
  /** How the run was set up, where known. */
  run: TraceRun;
  /** The network step of each record. */
  steps: number[];
  /** Mean batch loss of each record, before its update. */
  losses: number[];
  /** Batch accuracy of each record, before its update. */
  accuracy: number[];
  /**
   * Rows in each record's batch: batchSize, or fewer in an epoch's short last batch (null where not
   * recorded). Absent in traces saved before gradscope recorded it, and in traces whose records all
   * lack it: read as unknown, each record taken as a full batch's (Trace.lastFullBatchRecord), as before.
   */
  batchRows?: (number | null)[];
  /** Every epoch of the run, as TraceEpoch (absent in traces written before gradscope recorded them: read as none). */
  epochs?: TraceEpoch[];
  /** metrics[name][record][layer]; flatFraction, recorded since after version 3's first files, only where some record holds a value of it (absent: read as NaN). */
  metrics: Omit<Record<LayerMetric, number[][]>, LaterMetric> & Partial<Record<LaterMetric, number[][]>>;
  /** The δ histograms, as in GradientHistogram. */
  histograms: {
    /** The network step. */
    step: number;
    /** Each layer's lower bound. */
    lo: number[];
    /** Each layer's upper bound. */
    hi: number[];
    /** counts[layer][bin]. */
    counts: number[][];
  }[];
  /** Only in a block network's trace: its rows' names and types, its residual blocks, and residualMetrics[name][record][block]. */
  blocks?: TraceBlocks & {
    /** residualMetrics[name][record][block], as RESIDUAL_METRICS defines them. */
    residualMetrics: Record<ResidualMetric, number[][]>;
  };
}

/** A PyTorch module name as a block network's taps give it: '4', '4.branch.0', '4.branch.2.branch.1'. */
const MODULE_NAME = /^(0|[1-9]\d*)(\.branch\.(0|[1-9]\d*))*$/;

/**
 * Refuses a block network's names that no network gives (a saved trace's JSON may hold anything),
 * where a row's `layers` path could not be read from them: each a module name, and each module in a
 * residual block's branch under a block the trace names.
 */
function checkModuleNames(blocks: TraceBlocks): void {
  const where = [...blocks.layers.map((l, i) => [l.name, `blocks.layers[${i}].name`]), ...blocks.residuals.map((b, i) => [b.name, `blocks.residuals[${i}].name`])];
  const residuals = new Set(blocks.residuals.map((b) => b.name));
  for (const [name, at] of where) {
    if (typeof name !== 'string' || !MODULE_NAME.test(name)) throw invalidOption(`trace: ${at} must be a module name ('4', '4.branch.0'), got ${shown(name)}`);
  }
  for (const [name, at] of where) {
    const block = parentPath(name).slice(0, -'.branch.'.length);
    if (block !== '' && !residuals.has(block)) throw invalidOption(`trace: ${at} is ${typedWord(name)}, in residual block ${typedWord(block)}, which blocks.residuals does not name`);
  }
}

/** Refuses a `bias` a block network's row never holds (a saved trace's JSON may hold anything): only `false`, only on a dense row. */
function checkBiasFree(blocks: TraceBlocks): void {
  blocks.layers.forEach((row, i) => {
    if (row.bias !== undefined && (row.bias !== false || row.type !== 'dense')) {
      throw invalidOption(`trace: blocks.layers[${i}].bias must be false on a dense row built without a bias, or absent, got ${shown(row.bias)} on a ${typedWord(row.type)} row`);
    }
  });
}

function checkForm(form: LayerLabelForm, method: string): void {
  if (form !== 'full' && form !== 'short') throw invalidOption(`trace.${method}(…, form): form must be 'full' or 'short', got ${shown(form)}`);
}

export type { LayerLabelForm };

const INITIAL_CAPACITY = 64;

/**
 * A gradient-flow trace: per traced step and layer, every metric of LAYER_METRICS (see the module
 * comment). A dense network's layers are its weight layers; a block network's are its parameterised
 * and activation layers in forward order (`blocks` names them), with RESIDUAL_METRICS per residual block.
 */
export class Trace {
  /** Units per layer, input first. */
  readonly sizes: readonly number[];
  /** Activation of each weight layer. */
  readonly activations: readonly OutputActivation[];
  /** The loss trained on. */
  readonly loss: Loss;
  /** A record is taken every this many steps (and at the steps of TraceOptions.extraSteps: `steps` holds each record's). */
  readonly every: number;
  /** How the run was set up (optimiser, layer rates, initialisation), where known. */
  readonly run: TraceRun;
  /** The δ histograms taken (at TraceOptions.histogramSteps). */
  readonly histograms: GradientHistogram[] = [];
  /** A block network's rows and residual blocks; undefined in a dense network's trace. */
  readonly blocks: TraceBlocks | undefined;
  private readonly epochData: TraceEpoch[] = [];
  private count = 0;
  private capacity = INITIAL_CAPACITY;
  private stepData = new Float64Array(INITIAL_CAPACITY);
  private lossData = new Float64Array(INITIAL_CAPACITY);
  private accuracyData = new Float64Array(INITIAL_CAPACITY);
  private batchRowsData = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  private readonly metricData = {} as Record<LayerMetric, Float64Array>;
  private readonly residualData = {} as Record<ResidualMetric, Float64Array>;
  /** A block network's rows' and residual blocks' `layers` paths (blockPaths), worked out once: the names never change. */
  private readonly paths: { readonly layers: readonly string[]; readonly residuals: readonly string[] } | undefined;

  /** `sizes`: units of the input and of each row; `blocks`: a block network's rows and residual blocks (omitted for a dense network). */
  constructor(info: { sizes: readonly number[]; activations: readonly OutputActivation[]; loss: Loss; every: number; run?: TraceRun; blocks?: TraceBlocks }) {
    if (!Array.isArray(info?.sizes) || !Array.isArray(info.activations)) {
      throw invalidOption(`new Trace(info): expected { sizes, activations, loss, every }, got ${shownArgument(info)}; a trace comes from a traced run (net.trace) or Trace.fromJSON`);
    }
    this.sizes = [...info.sizes];
    this.activations = [...info.activations];
    this.loss = info.loss;
    this.every = info.every;
    this.run = { ...info.run };
    if (info.blocks) {
      const { layers, residuals } = info.blocks;
      if (layers.length !== this.layers) throw new GradscopeError('INVALID_OPTION', `trace: ${layers.length} layer names for ${this.layers} layers`);
      this.blocks = { layers: layers.map(({ name, type, bias }) => ({ name, type, ...(bias === false && { bias }) })), residuals: residuals.map(({ name, gate }) => ({ name, gate })) };
      checkModuleNames(this.blocks);
      checkBiasFree(this.blocks);
      this.paths = blockPaths(this.blocks);
    }
    for (const name of LAYER_METRIC_NAMES) this.metricData[name] = new Float64Array(INITIAL_CAPACITY * this.layers).fill(NaN);
    for (const name of RESIDUAL_METRIC_NAMES) this.residualData[name] = new Float64Array(INITIAL_CAPACITY * this.residualBlocks).fill(NaN);
  }

  /** Residual blocks (0 in a dense network's trace). */
  get residualBlocks(): number {
    return this.blocks?.residuals.length ?? 0;
  }

  /**
   * A row's name, the one every table, chart, message and diagnosis sentence gives it (a block
   * network's CSV holds its three parts: path, name, type): 'hidden l+1' or 'output' in a dense
   * network's trace (either form); in a block network's, where it sits in
   * the `layers` the network was made from, then its module name (PyTorch's, which its tensors carry)
   * and its type: "layers[4].layers[0] ('4.branch.0', dense)". The module name alone ('20') read as an
   * index into those `layers`, which it is not: a dense layer takes two module indices.
   * `form` (default 'full'): 'short' for a chart that gives a row one tick or one label's margin
   * (the report's heatmap's row-label margin, which "layers[12].layers[1] layer-norm" passes): the path's
   * indices in the same order without the inner `.layers`, then the type, the module name left out:
   * 'layers[4][0] dense', 'layers[15] dense' (a top-level row's path is as in full). Every index that
   * tells two rows apart is kept, so a row is found in a sentence by them; the chart's key or tooltip
   * carries the full name.
   */
  layerLabel(layer: number, form: LayerLabelForm = 'full'): string {
    this.checkLayer(layer);
    checkForm(form, 'layerLabel');
    const info = this.blocks?.layers[layer];
    if (!info) return denseLayerName(layer, this.layers);
    return blockLayerLabel(this.paths!.layers[layer], info.name, info.type, form);
  }

  /**
   * Residual block `block`'s name (outer before inner, as residualSeries counts them), as
   * layerLabel names a row, its type 'residual': "layers[3] ('4', residual)", in short 'layers[3]
   * residual'; a ReZero block's row has the same name. The residual tables and charts give it.
   */
  residualLabel(block: number, form: LayerLabelForm = 'full'): string {
    if (this.residualBlocks === 0) {
      throw invalidOption(`trace.residualLabel(block): got ${shown(block)}, but the trace has no residual block${this.blocks ? '' : " (a dense network's trace)"}`);
    }
    if (!Number.isInteger(block) || block < 0 || block >= this.residualBlocks) {
      throw invalidOption(`trace.residualLabel(block): expected a whole number from 0 to ${this.residualBlocks - 1}, got ${shown(block)} (the trace has ${counted(this.residualBlocks, 'residual block')})`);
    }
    checkForm(form, 'residualLabel');
    return blockLayerLabel(this.paths!.residuals[block], this.blocks!.residuals[block].name, 'residual', form);
  }

  /**
   * Whether row `layer` records `metric` at all (elsewhere it stays NaN): every row of a dense
   * network's trace; in a block network's, ‖∂C/∂b‖ in the rows with a b (dense layers built with a
   * bias, norm layers: β) and the W metrics in the rows with a W (all but activation layers).
   */
  recordsMetric(metric: 'weightGradNorm' | 'biasGradNorm' | 'weightNorm', layer: number): boolean {
    this.checkLayer(layer);
    const row = this.blocks?.layers[layer];
    if (row === undefined) return true;
    return metric === 'biasGradNorm' ? row.type !== 'activation' && row.type !== 'residual' && row.bias !== false : row.type !== 'activation';
  }

  /** The rows that record `metric` (see recordsMetric), first first: what a chart of it per layer shows. */
  rowsRecording(metric: 'weightGradNorm' | 'biasGradNorm' | 'weightNorm'): number[] {
    return Array.from({ length: this.layers }, (_, l) => l).filter((l) => this.recordsMetric(metric, l));
  }

  /**
   * Rows of the trace: a dense network's weight layers (the output layer included); a block network's every traced layer
   * (dense, norm and activation layers, residual branches' too: blocks.layers names each), so the dense rows are
   * rowsRecording('weightGradNorm'), not 0 … layers − 1.
   */
  get layers(): number {
    return this.sizes.length - 1;
  }

  /** Traced steps recorded. */
  get length(): number {
    return this.count;
  }

  /** The network step of each record (1 = the first step, at the initial weights). */
  get steps(): Float64Array {
    return this.stepData.subarray(0, this.count);
  }

  /** Mean loss over the batch of each record, before its update. */
  get losses(): Float64Array {
    return this.lossData.subarray(0, this.count);
  }

  /** Fraction of the batch classified right, before the update. */
  get accuracy(): Float64Array {
    return this.accuracyData.subarray(0, this.count);
  }

  /** Rows in each record's batch (NaN where not recorded: a trace saved before gradscope recorded them, or a record begun without them). */
  get batchRows(): Float64Array {
    return this.batchRowsData.subarray(0, this.count);
  }

  /**
   * The latest record of a full batch (fullBatch: not fewer rows than the records beside it), so not an epoch's
   * short last batch (rows not a multiple of batchSize), whose gradient is of those few rows alone
   * and says little of the run's (one row's ‖∂C/∂b‖ read 15.8× the run's start where the full
   * batches' read 1/1.63). A record whose rows are not recorded (TraceJSON.batchRows) counts as
   * full, so a trace saved without them reads its last record, as before. What diagnose(), the
   * report's charts, `study --model`'s tables (src/cli/trace-table.ts lastTableRecord) and the
   * visualizer read as "the last record". undefined in
   * a trace without records.
   */
  lastFullBatchRecord(): number | undefined {
    const full = this.fullBatch();
    for (let r = this.count - 1; r >= 0; r--) if (full(r)) return r;
    return undefined;
  }

  /**
   * The records of full batches, first first (see lastFullBatchRecord: not fewer rows than the records beside it; every record of
   * a trace saved without its batches' rows): the steps study --model's over-time table picks from (trace-table.ts
   * overTimeTableData), since a short batch's gradient norms are of its few rows alone (a norm of the mean over 1 row is not
   * comparable to one over 64).
   */
  fullBatchRecords(): number[] {
    const full = this.fullBatch();
    return Array.from({ length: this.count }, (_, r) => r).filter(full);
  }

  /**
   * The one rule for "full" (lastFullBatchRecord, fullBatchRecords): record r is short where its batch held fewer rows than the
   * nearest record's with rows recorded before it and after it (the one of them there is, at either end). Read against its
   * neighbours, not the run's most rows: a run continued at another batch size (the visualizer keeps its run across a change)
   * has every batch of the new size full. A record whose rows are NaN (not recorded) counts as full.
   */
  private fullBatch(): (r: number) => boolean {
    const rows = this.batchRows;
    const nearest = (r: number, by: 1 | -1) => {
      for (let i = r + by; i >= 0 && i < rows.length; i += by) if (!Number.isNaN(rows[i])) return rows[i];
      return NaN;
    };
    // Below a neighbour, or without one (NaN); NaN rows of r's own are below none (a comparison with NaN is false).
    const belowOrNone = (r: number, neighbour: number) => Number.isNaN(neighbour) || rows[r] < neighbour;
    return (r) => {
      const before = nearest(r, -1);
      const after = nearest(r, 1);
      const short = !(Number.isNaN(before) && Number.isNaN(after)) && belowOrNone(r, before) && belowOrNone(r, after);
      return !short;
    };
  }

  /**
   * Every epoch the run completed, first first, whatever the trace's interval (the last one cut short
   * where maxSeconds ran out); in a trace thinned by keepEpochs, the epochs it kept, each with its
   * number in the run (so the run's count is the last one's number + 1).
   */
  get epochs(): readonly TraceEpoch[] {
    return this.epochData;
  }

  /** A metric for all records and layers, `[record][layer]` row-major (length × layers values). */
  metric(name: LayerMetric): Float64Array {
    return this.metricArray(name).subarray(0, this.count * this.layers);
  }

  /** A metric's whole array, capacity and all; INVALID_OPTION for a name that is not a metric. */
  private metricArray(name: LayerMetric): Float64Array {
    const data = this.metricData[name];
    if (!data) throw new GradscopeError('INVALID_OPTION', `trace: no metric '${String(name)}' (have ${LAYER_METRIC_NAMES.join(', ')})`);
    return data;
  }

  /** One layer's values of a metric over the records. */
  series(name: LayerMetric, layer: number): Float64Array {
    this.checkLayer(layer);
    const data = this.metric(name);
    return Float64Array.from({ length: this.count }, (_, r) => data[r * this.layers + layer]);
  }

  /** One record's values of a metric over the layers. */
  row(name: LayerMetric, record: number): Float64Array {
    this.checkRecord(record);
    return this.metric(name).slice(record * this.layers, (record + 1) * this.layers);
  }

  /** One value of a metric: at `record`, in `layer` (NaN where it was not computed); INVALID_OPTION for a record or layer the trace does not hold. */
  at(name: LayerMetric, record: number, layer: number): number {
    this.checkRecord(record);
    this.checkLayer(layer);
    // metric(name)[index] without making that view (the recorders read several values a step).
    return this.metricArray(name)[record * this.layers + layer];
  }

  /** One residual block's values of a metric over the records (see RESIDUAL_METRICS). */
  residualSeries(name: ResidualMetric, block: number): Float64Array {
    if (!Number.isInteger(block) || block < 0 || block >= this.residualBlocks) {
      throw new GradscopeError('INVALID_OPTION', `trace: residual block ${block} out of range (the trace has ${this.residualBlocks})`);
    }
    const data = this.residualData[name];
    if (!data) throw new GradscopeError('INVALID_OPTION', `trace: no residual metric '${String(name)}' (have ${RESIDUAL_METRIC_NAMES.join(', ')})`);
    return Float64Array.from({ length: this.count }, (_, r) => data[r * this.residualBlocks + block]);
  }

  /**
   * The latest record up to `record` whose ‖W‖₂ was computed (and with it chainBound and
   * activationP98): where a factor is shown beside its bound, both come from this record. Undefined
   * where no record up to `record` has one: a block network's trace never measures ‖W‖₂, so its
   * factors stand alone, each of its own record.
   */
  lastRefreshed(record: number = this.count - 1): number | undefined {
    for (let r = record; r >= 0; r--) if (!Number.isNaN(this.at('spectralNorm', r, 0))) return r;
    return undefined;
  }

  /** A record the trace holds, or INVALID_OPTION saying how many it holds: past them the arrays hold only spare capacity, no record. */
  private checkRecord(record: number): void {
    if (!Number.isInteger(record) || record < 0 || record >= this.count) {
      const held = this.count === 0 ? 'the trace holds no records' : `the trace holds ${grouped(this.count)}: 0..${this.count - 1}`;
      throw new GradscopeError('INVALID_OPTION', `trace: record ${shown(record)} out of range (${held})`);
    }
  }

  private checkLayer(layer: number): void {
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.layers) {
      throw new GradscopeError('INVALID_OPTION', `trace: layer ${layer} out of range 0..${this.layers - 1}`);
    }
  }

  // ---- writing (the recorder) ----

  /** Starts a record of a batch of `batchRows` rows (NaN: not known); returns its index. Grows the arrays (doubling) only when full. */
  beginRecord(step: number, loss: number, accuracy: number, batchRows = NaN): number {
    if (this.count === this.capacity) this.grow();
    const r = this.count++;
    this.stepData[r] = step;
    this.lossData[r] = loss;
    this.accuracyData[r] = accuracy;
    this.batchRowsData[r] = batchRows;
    return r;
  }

  /** Stores an epoch's losses (the training loop's writer, through TraceRecorder.epochEnded). */
  addEpoch(epoch: TraceEpoch): void {
    this.epochData.push(copyEpoch(epoch));
  }

  /**
   * Keeps only the epochs `keep` accepts, in order: a long run's trace held in bounded memory (the
   * visualizer keeps every 2nd, 4th, … epoch of its run, the first and the last). diagnose() reads a
   * thinned trace's epochs by their numbers and says the means it gives are of the kept ones.
   */
  keepEpochs(keep: (epoch: Readonly<TraceEpoch>) => boolean): void {
    if (typeof keep !== 'function') throw invalidOption(`keepEpochs(keep): expected a function of an epoch, got ${shown(keep)}`);
    // Every epoch is judged before any is dropped: a keep that throws leaves the epochs as they were.
    const kept = this.epochData.map((e) => Boolean(keep(e)));
    let at = 0;
    this.epochData.forEach((e, i) => kept[i] && (this.epochData[at++] = e));
    this.epochData.length = at;
  }

  /**
   * Removes the records of steps after `step`, their gradient histograms and the epochs that ended
   * after it (the recorder's writer: steps the network did not keep; see TraceRecorder.rewound).
   * Their slots read NaN again, as never written.
   */
  dropRecordsAfter(step: number): void {
    while (this.epochData.length > 0 && this.epochData[this.epochData.length - 1].step > step) this.epochData.pop();
    while (this.count > 0 && this.stepData[this.count - 1] > step) {
      const r = --this.count;
      for (const name of LAYER_METRIC_NAMES) this.metricData[name].fill(NaN, r * this.layers, (r + 1) * this.layers);
      for (const name of RESIDUAL_METRIC_NAMES) this.residualData[name].fill(NaN, r * this.residualBlocks, (r + 1) * this.residualBlocks);
    }
    for (let h = this.histograms.length - 1; h >= 0; h--) if (this.histograms[h].step > step) this.histograms.splice(h, 1);
  }

  /**
   * A recorder's rewound(): dropRecordsAfter(step), and whether `record`, the one a pending weight
   * update belongs to, went with them. If it did, the update goes too (the recorder then points at the
   * last record kept, with nothing pending); a kept last record's update stays pending.
   */
  rewindRecords(step: number, record: number): boolean {
    this.dropRecordsAfter(step);
    return record >= this.length;
  }

  /** Stores one value of a metric (the recorder's writer). */
  set(name: LayerMetric, record: number, layer: number, value: number): void {
    this.metricData[name][record * this.layers + layer] = value;
  }

  /** Stores one value of a residual block's metric (the recorder's writer). */
  setResidual(name: ResidualMetric, record: number, block: number, value: number): void {
    this.residualData[name][record * this.residualBlocks + block] = value;
  }

  /** The value stored for the latest record (NaN before any). */
  last(name: LayerMetric, layer: number): number {
    return this.count === 0 ? NaN : this.metricData[name][(this.count - 1) * this.layers + layer];
  }

  private grow(): void {
    this.resize(this.capacity * 2);
  }

  /** Room for `capacity` records, the ones held kept (new cells NaN). */
  private resize(capacity: number): void {
    const widen = (a: Float64Array, width: number) => {
      const b = new Float64Array(capacity * width).fill(NaN);
      b.set(a);
      return b;
    };
    this.stepData = widen(this.stepData, 1);
    this.lossData = widen(this.lossData, 1);
    this.accuracyData = widen(this.accuracyData, 1);
    this.batchRowsData = widen(this.batchRowsData, 1);
    for (const name of LAYER_METRIC_NAMES) this.metricData[name] = widen(this.metricData[name], this.layers);
    for (const name of RESIDUAL_METRIC_NAMES) this.residualData[name] = widen(this.residualData[name], this.residualBlocks);
    this.capacity = capacity;
  }

  // ---- export ----

  /** The trace as JSON data (JSON.stringify it to save; Trace.fromJSON reads it back). */
  toJSON(): TraceJSON {
    const metrics = {} as Record<LayerMetric, number[][]>;
    for (const name of LAYER_METRIC_NAMES) {
      const data = this.metric(name);
      if ((LATER_METRICS as readonly LayerMetric[]).includes(name) && data.every(Number.isNaN)) continue;
      metrics[name] = Array.from({ length: this.count }, (_, r) => Array.from(data.subarray(r * this.layers, (r + 1) * this.layers)));
    }
    const json: TraceJSON = {
      format: 'gradscope.trace',
      version: 3,
      sizes: [...this.sizes],
      activations: [...this.activations],
      loss: this.loss,
      every: this.every,
      run: { ...this.run },
      steps: Array.from(this.steps),
      losses: Array.from(this.losses),
      accuracy: Array.from(this.accuracy),
      // Left out where no record has its rows (a trace read from an older file): saved again, it reads as it did.
      ...(this.batchRows.some((n) => !Number.isNaN(n)) && { batchRows: Array.from(this.batchRows, (n) => (Number.isNaN(n) ? null : n)) }),
      epochs: this.epochData.map(copyEpoch),
      metrics,
      histograms: this.histograms.map((h) => ({ step: h.step, lo: [...h.lo], hi: [...h.hi], counts: h.counts.map((c) => Array.from(c)) })),
    };
    if (this.blocks) {
      const B = this.residualBlocks;
      const residualMetrics = {} as Record<ResidualMetric, number[][]>;
      for (const name of RESIDUAL_METRIC_NAMES) {
        const data = this.residualData[name];
        residualMetrics[name] = Array.from({ length: this.count }, (_, r) => Array.from(data.subarray(r * B, (r + 1) * B)));
      }
      json.blocks = { layers: this.blocks.layers.map((l) => ({ ...l })), residuals: this.blocks.residuals.map((b) => ({ ...b })), residualMetrics };
    }
    return json;
  }

  /**
   * The trace as CSV, one table (trace-csv.ts has the layout): a line per traced step and layer
   * (step, epoch, layer, loss, accuracy, every metric; a block network's trace adds the layer's name
   * and type, its residual metrics are in toJSON), and a line per epoch of `epochs` after its steps'
   * (its last step, the epoch, an empty layer, then the epoch's columns: its mean batch loss, validation
   * and training-subset loss and accuracy, the subset's rows, the learning rate in force); epochs
   * count from 1; NaN, and a value the epoch did not record, is an empty cell, as is every accuracy
   * of a network without classes (classesOf: a regression, whose accuracy means nothing).
   */
  toCSV(): string {
    return traceCsv(this.toJSON(), this.paths?.layers, classesOf(this) !== undefined);
  }

  /**
   * A trace back from toJSON(), checked: the object, or its JSON text as saved (a file's, a download's), as Network.fromJSON takes a
   * model's; text that is not JSON is refused naming its line and column.
   */
  static fromJSON(json: unknown): Trace {
    if (typeof json !== 'string') return Trace.readJSON(json);
    const text = json;
    const parsed = parsedJsonText(text, 'trace JSON', (where, problem) => new GradscopeError('INVALID_OPTION', `${where}: ${problem}`));
    try {
      return Trace.readJSON(parsed);
    } catch (error) {
      // An Infinity refused (JSON.parse's reading of 1e400) quoted as the text writes it, at the place the refusal names after
      // its opening (`trace JSON: steps[1] must be …, got Infinity`), which overflowSaid's own reading of openings cannot see (edges52).
      const place = error instanceof GradscopeError ? /^trace JSON: ([^ :]+)/.exec(error.message)?.[1] : undefined;
      const path = place === undefined ? undefined : placePath(place);
      throw path === undefined ? error : overflowSaid(error, text, path);
    }
  }

  /** fromJSON's reading of a parsed trace. */
  private static readJSON(json: unknown): Trace {
    const bad = (what: string) => new GradscopeError('INVALID_OPTION', `trace JSON: ${what}`);
    const t = json as Partial<TraceJSON> | null;
    // The Trace itself is a likely mistake: say what to do instead.
    if (json instanceof Trace) throw bad('got a Trace, not its JSON; use it as it is (Trace.fromJSON reads what trace.toJSON() gives)');
    if (typeof t !== 'object' || t === null) throw bad(`expected the object trace.toJSON() gives, got ${shown(json)}`);
    if (t.format !== 'gradscope.trace') throw bad(`expected format "gradscope.trace" (the object trace.toJSON() gives), ${t.format === undefined ? 'got an object with no format' : `got format ${shown(t.format)}`}`);
    const version: unknown = t.version;
    if (version !== 2 && version !== 3) throw bad(`version ${shown(version)} is not readable (this gradscope reads versions 2 and 3); record the trace again`);
    if (!Array.isArray(t.sizes) || !Array.isArray(t.activations) || !Array.isArray(t.steps) || typeof t.metrics !== 'object' || t.metrics === null) {
      throw bad('missing sizes, activations, steps or metrics');
    }
    if (t.run !== undefined && (typeof t.run !== 'object' || t.run === null)) throw bad('run must be an object');
    const blocks = t.blocks;
    if (blocks !== undefined && (typeof blocks !== 'object' || blocks === null || !Array.isArray(blocks.layers) || !Array.isArray(blocks.residuals))) {
      throw bad('blocks must hold layers and residuals');
    }
    checkTraceHeader(t, bad);
    const trace = new Trace({ sizes: t.sizes, activations: t.activations, loss: t.loss!, every: t.every ?? 1, run: t.run, blocks });
    // Linear in the records and values, and fast (a trace of 10⁶ epochs and steps): the arrays sized
    // once, one loop per metric, and a value's place in words (field and index) made only to refuse it.
    const steps = t.steps;
    const records = steps.length;
    if (records > trace.capacity) trace.resize(records);
    for (let r = 0; r < records; r++) {
      const step: unknown = steps[r];
      if (!isCount(step, 0)) throw bad(`steps[${r}] must be ${countWords(0)}, got ${shown(step)}`);
      trace.stepData[r] = step;
    }
    // A trace saved without losses or accuracy (older files) reads NaN for them.
    readColumn(t.losses, records, 'loss', trace.lossData, (r) => `losses[${r}]`, bad);
    readColumn(t.accuracy, records, 'fraction', trace.accuracyData, (r) => `accuracy[${r}]`, bad);
    readBatchRows(t.batchRows, records, trace.batchRowsData, bad);
    const L = trace.layers;
    for (const name of LAYER_METRIC_NAMES) {
      const rows = t.metrics[name];
      if (rows === undefined && (OPT_IN_METRICS.includes(name) || (LATER_METRICS as readonly LayerMetric[]).includes(name))) continue;
      readRows(rows, records, L, LAYER_METRIC_RANGES[name], trace.metricData[name], `metrics.${name}`, bad);
    }
    for (const name of blocks ? RESIDUAL_METRIC_NAMES : []) {
      readRows(blocks!.residualMetrics?.[name], records, trace.residualBlocks, RESIDUAL_METRIC_RANGES[name], trace.residualData[name], `blocks.residualMetrics.${name}`, bad);
    }
    trace.count = records;
    if (t.epochs !== undefined && !Array.isArray(t.epochs)) throw bad('epochs must be an array');
    const epochs = t.epochs ?? [];
    // Each epoch read into a new object of the trace's own (addEpoch would copy it again).
    for (let i = 0; i < epochs.length; i++) trace.epochData.push(epochFromJSON(epochs[i], i, bad));
    if (t.histograms !== undefined && !Array.isArray(t.histograms)) throw bad(`histograms must be an array, got ${shown(t.histograms)}`);
    const histograms = t.histograms ?? [];
    for (let i = 0; i < histograms.length; i++) trace.histograms.push(histogramFromJSON(histograms[i], i, trace.layers, bad));
    return trace;
  }
}

/**
 * Histogram `index` of a saved trace (`histograms[index]`), checked, as the report draws it: a whole
 * step ≥ 0; per layer a finite range lo ≤ hi (version 2 saved one number for every layer: read as
 * each layer's) and counts in one number of bins (at least one) for every layer, each a finite number
 * ≥ 0. A new object; its place in words is made only to refuse it.
 */
function histogramFromJSON(value: unknown, index: number, layers: number, bad: (what: string) => GradscopeError): GradientHistogram {
  const where = `histograms[${index}]`;
  const h = value as Partial<Record<keyof GradientHistogram, unknown>> | null;
  if (typeof h !== 'object' || h === null) throw bad(`${where} must be an object { step, lo, hi, counts }, got ${shown(value)}`);
  const { step } = h;
  if (!isCount(step, 0)) throw bad(`${where}.step must be ${countWords(0)}, got ${shown(step)}`);
  const range = (field: 'lo' | 'hi'): number[] => {
    const saved = h[field];
    const values: unknown = typeof saved === 'number' ? Array<number>(layers).fill(saved) : saved;
    if (!Array.isArray(values) || values.length !== layers) throw bad(`${where}.${field} must hold ${counted(layers, 'number')} (one per layer) or one for every layer, got ${shown(saved)}`);
    for (let l = 0; l < layers; l++) {
      if (typeof values[l] !== 'number' || !Number.isFinite(values[l])) throw bad(`${where}.${field}${typeof saved === 'number' ? '' : `[${l}]`} must be a finite number, got ${shown(values[l])}`);
    }
    return [...(values as number[])];
  };
  const lo = range('lo');
  const hi = range('hi');
  lo.forEach((low, l) => {
    if (low > hi[l]) throw bad(`${where}: layer ${l}'s range runs from lo ${low} down to hi ${hi[l]}; lo must not be above hi`);
  });
  const counts = h.counts;
  if (!Array.isArray(counts) || counts.length !== layers) throw bad(`${where}.counts must hold ${counted(layers, 'row')} of counts (one per layer), got ${shown(counts)}`);
  const bins = Array.isArray(counts[0]) ? counts[0].length : 0;
  return {
    step: step as number,
    lo,
    hi,
    counts: counts.map((row: unknown, l) => {
      if (!Array.isArray(row) || row.length !== bins || bins === 0) throw bad(`${where}.counts[${l}] must hold ${bins === 0 ? 'at least one count' : `${counted(bins, 'count')}, as counts[0] does`}, got ${shown(row)}`);
      return Float64Array.from(row, (c: unknown, b) => {
        if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw bad(`${where}.counts[${l}][${b}] must be a finite number ≥ 0, got ${shown(c)}`);
        return c;
      });
    }),
  };
}

/** A copy of an epoch's record (the trace keeps its own). */
function copyEpoch(e: TraceEpoch): TraceEpoch {
  return {
    epoch: e.epoch,
    step: e.step,
    loss: e.loss,
    ...(e.learningRate !== undefined && { learningRate: e.learningRate }),
    ...(e.skipped !== undefined && { skipped: e.skipped }),
    ...(e.batches !== undefined && { batches: e.batches }),
    ...(e.validation && { validation: { loss: e.validation.loss, accuracy: e.validation.accuracy } }),
    ...(e.training && { training: { loss: e.training.loss, accuracy: e.training.accuracy, rows: e.training.rows } }),
  };
}

/** A run's settings as they stood at its end: TraceRun with learningRate the rate in force then (learningRateInForce). */
export interface RunAtEnd extends TraceRun {
  /** The rate the run started with (TraceRun.learningRate), present only where onNonFinite 'halve' lowered it: learningRate is then the lowered one. */
  startingLearningRate?: number;
  /** True where every step of the run saw all its rows (everyStepSawAllRows). Absent otherwise. */
  wholeBatches?: true;
}

/**
 * Whether every step of the traced run saw all its training rows: its batch held them all (TraceRun.batchSize at least
 * TraceRun.rows) and every epoch was one batch, its steps applied and skipped together (TraceEpoch.batches, skipped). One batch an
 * epoch alone does not tell it: under dropLast a batch of 256 over 300 rows is one batch an epoch that never sees 44 of them, and
 * maxSeconds can end a lone epoch after its first batch. A trace that does not record its rows (saved before gradscope recorded
 * them) is read as before, one batch an epoch taken as all the rows. False where the trace records no epoch, or an epoch without
 * its batches (a trace saved before it did).
 */
export function everyStepSawAllRows(trace: Pick<Trace, 'run' | 'epochs'>): boolean {
  const { rows, batchSize } = trace.run;
  const epochs = trace.epochs;
  const oneBatchEach = epochs.length > 0 && epochs.every((e) => e.batches !== undefined && e.batches + (e.skipped ?? 0) === 1);
  return oneBatchEach && (rows === undefined || (batchSize !== undefined && batchSize >= rows));
}

/**
 * The learning rate in force at the end of the traced run: the last recorded epoch's
 * (TraceEpoch.learningRate, present where onNonFinite 'halve' lowered it), else the starting one
 * (TraceRun.learningRate; a trace saved before epochs recorded their rate reads as before).
 * undefined where the trace records no rate. What a remedy derived from the rate starts from.
 */
export function learningRateInForce(trace: Pick<Trace, 'run' | 'epochs'>): number | undefined {
  return epochLearningRate(trace, trace.epochs[trace.epochs.length - 1]);
}

/**
 * The learning rate in force in `epoch` (one of the trace's, or none): its own where onNonFinite
 * 'halve' had lowered it (TraceEpoch.learningRate), else the starting one (TraceRun.learningRate);
 * undefined where the trace records no rate. (The CSV's learningRate column, trace-csv.ts, reads the
 * same, written out there: the page runs that function's source alone.)
 */
export function epochLearningRate(trace: Pick<Trace, 'run'>, epoch: Readonly<TraceEpoch> | undefined): number | undefined {
  return epoch?.learningRate ?? trace.run.learningRate;
}

/** trace.run with learningRate the rate in force at the end (learningRateInForce) and, where it was lowered, the starting one beside it. */
export function runAtEnd(trace: Pick<Trace, 'run' | 'epochs'>): RunAtEnd {
  const rate = learningRateInForce(trace);
  const start = trace.run.learningRate;
  const whole = everyStepSawAllRows(trace) && { wholeBatches: true as const };
  return rate === start || rate === undefined ? { ...trace.run, ...whole } : { ...trace.run, learningRate: rate, ...(start !== undefined && { startingLearningRate: start }), ...whole };
}

/** Whether `v` is a saved value where the format holds a number of `range` (MetricRange): null (JSON's NaN, and its Infinity), or a number in its range. */
function isSavedValue(v: unknown, range: MetricRange): v is number | null {
  return v === null || (typeof v === 'number' && inMetricRange(v, range));
}

/** A saved epoch's learning rate, checked: a finite number > 0. */
function positiveRate(v: unknown, where: string, bad: (what: string) => GradscopeError): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`${where} must be a finite number > 0 (the rate in force in that epoch), got ${shown(v)}`);
  return v;
}

/** The refusal of a saved value that is not one (isSavedValue), naming `where` it is (a negative norm, an accuracy above 1, a string). */
function badValue(v: unknown, range: MetricRange, where: string, bad: (what: string) => GradscopeError): GradscopeError {
  return bad(`${where} must be ${METRIC_RANGE_WORDS[range]} (or null where not measured), got ${shown(v)}`);
}

/** A saved value, checked (isSavedValue): null reads as NaN, not measured; anything else not in its range is refused, naming `where`. */
function savedValue(v: unknown, range: MetricRange, where: string, bad: (what: string) => GradscopeError): number {
  if (!isSavedValue(v, range)) throw badValue(v, range, where, bad);
  return v === null ? NaN : v;
}

/**
 * One value per record from `column` (losses, accuracy) into `into`, checked; a column missing, or
 * shorter than the records, reads NaN where it has none (older files). `where(r)` names entry r,
 * made only to refuse it.
 */
function readColumn(column: unknown, records: number, range: MetricRange, into: Float64Array, where: (r: number) => string, bad: (what: string) => GradscopeError): void {
  const values = column as ArrayLike<unknown> | null | undefined;
  for (let r = 0; r < records; r++) {
    const v = values?.[r] ?? null;
    if (!isSavedValue(v, range)) throw badValue(v, range, where(r), bad);
    into[r] = v === null ? NaN : v;
  }
}

/**
 * Each record's batch rows (TraceJSON.batchRows) into `into`, checked: absent (older files) or null
 * reads NaN, not recorded; else as many entries as records, each a whole number ≥ 1.
 */
function readBatchRows(saved: unknown, records: number, into: Float64Array, bad: (what: string) => GradscopeError): void {
  if (saved === undefined) return;
  if (!Array.isArray(saved) || saved.length !== records) throw bad(`batchRows must hold ${counted(records, 'entry', 'entries')} (one per record: its batch's rows, or null), got ${shown(saved)}`);
  for (let r = 0; r < records; r++) {
    const n: unknown = saved[r];
    if (n !== null && !isCount(n, 1)) throw bad(`batchRows[${r}], the rows of record ${r}'s batch, must be ${countWords(1)} or null, got ${shown(n)}`);
    into[r] = n === null ? NaN : n;
  }
}

/**
 * A metric saved as a row of `width` values per record (`field`[r][i]) into `into` (record-major),
 * checked: each row an array of `width`, each value a saved value of `range` (isSavedValue); a
 * refusal names the field and index.
 */
function readRows(rows: unknown, records: number, width: number, range: MetricRange, into: Float64Array, field: string, bad: (what: string) => GradscopeError): void {
  const saved = rows as ArrayLike<unknown> | null | undefined;
  for (let r = 0; r < records; r++) {
    const row = saved?.[r];
    if (!Array.isArray(row) || row.length !== width) throw bad(`${field}[${r}] must hold ${counted(width, 'value')}`);
    const at = r * width;
    for (let i = 0; i < width; i++) {
      const v: unknown = row[i];
      if (!isSavedValue(v, range)) throw badValue(v, range, `${field}[${r}][${i}]`, bad);
      into[at + i] = v === null ? NaN : v;
    }
  }
}

/**
 * Epoch `index` of a saved trace (`epochs[index]`), checked: whole numbers epoch and step, losses from 0 to FLOAT32_MAX and accuracy
 * in [0, 1] (null, as JSON writes NaN, read as NaN); a new object. Its place in words is made only to refuse it.
 */
function epochFromJSON(value: unknown, index: number, bad: (what: string) => GradscopeError): TraceEpoch {
  const where = () => `epochs[${index}]`;
  const e = value as Partial<Record<keyof TraceEpoch, unknown>> | null;
  if (typeof e !== 'object' || e === null) throw bad(`${where()} must be an object { epoch, step, loss }, got ${shown(value)}`);
  const { epoch, step, loss } = e;
  if (!isCount(epoch, 0)) throw bad(`${where()}.epoch must be ${countWords(0)}, got ${shown(epoch)}`);
  if (!isCount(step, 0)) throw bad(`${where()}.step must be ${countWords(0)}, got ${shown(step)}`);

  if (!isSavedValue(loss, 'loss')) throw badValue(loss, 'loss', `${where()}.loss`, bad);
  const read: TraceEpoch = { epoch: epoch as number, step: step as number, loss: loss === null ? NaN : loss };
  const validation = e.validation as { loss?: unknown; accuracy?: unknown } | undefined;
  if (e.learningRate !== undefined) read.learningRate = positiveRate(e.learningRate, `${where()}.learningRate`, bad);
  if (e.skipped !== undefined) {
    if (!isCount(e.skipped, 1)) throw bad(`${where()}.skipped, the batches 'skip' left out (absent where none), must be ${countWords(1)}, got ${shown(e.skipped)}`);
    read.skipped = e.skipped as number;
  }
  if (e.batches !== undefined) {
    // An epoch that applied no batch ends the run (DIVERGED) and is not recorded.
    if (!isCount(e.batches, 1)) throw bad(`${where()}.batches, the batches the epoch applied (absent where not recorded), must be ${countWords(1)}, got ${shown(e.batches)}`);
    read.batches = e.batches as number;
  }
  const training = e.training as { loss?: unknown; accuracy?: unknown; rows?: unknown } | undefined;
  // The training rows are checked only beside validation on other rows: one without it is no run's, and would be dropped unread.
  if (validation === undefined && training !== undefined) throw bad(`${where()}.training is given without ${where()}.validation: the training rows are checked only beside validation on other rows`);
  if (validation === undefined) return read;
  if (typeof validation !== 'object' || validation === null) throw bad(`${where()}.validation must be an object { loss, accuracy }, got ${shown(validation)}`);
  read.validation = { loss: savedValue(validation.loss, 'loss', `${where()}.validation.loss`, bad), accuracy: savedValue(validation.accuracy, 'fraction', `${where()}.validation.accuracy`, bad) };
  if (training === undefined) return read;
  if (typeof training !== 'object' || training === null) throw bad(`${where()}.training must be an object { loss, accuracy, rows }, got ${shown(training)}`);
  if (!isCount(training.rows, 1)) throw bad(`${where()}.training.rows must be ${countWords(1)}, got ${shown(training.rows)}`);
  read.training = { loss: savedValue(training.loss, 'loss', `${where()}.training.loss`, bad), accuracy: savedValue(training.accuracy, 'fraction', `${where()}.training.accuracy`, bad), rows: training.rows as number };
  return read;
}

export { LAYER_METRICS };
