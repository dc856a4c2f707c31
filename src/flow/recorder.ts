/**
 * Records a Trace while training: train() calls beforeBackprop, then afterBackprop (gradients of the
 * batch; weights not yet updated) and afterStep (weights updated) on traced steps only. A dense
 * network's trace is recorded by dense-recorder.ts, a block network's by block-recorder.ts.
 */
import { checkKnownKeys, checkWhole, keysOf } from '../checks.js';
import { COUNT_BOUND, countWords, isCount } from '../run-counts.js';
import { invalidOption, shown } from '../errors.js';
import { trainableOf, type Model, type ModelOwner, type UpdateStatistics } from '../model.js';
import { BlockRecorder } from './block-recorder.js';
import { DenseRecorder } from './dense-recorder.js';
import { REFRESH_STEPS } from './metrics.js';
import type { Trace, TraceEpoch, TraceRun } from './trace.js';

/** What a gradient-flow trace records (TrainOptions.trace, TraceRecorder); every field is optional. */
export interface TraceOptions {
  /** Record every k-th step, from the first step of the train() call (default 1: every step). */
  every?: number;
  /**
   * Network steps (1 = the first) recorded besides every k-th, e.g. the call's last, which the
   * grid of `every` misses unless k divides the steps between (a call of 900 steps traced every 45th
   * records steps 1, 46, …, 856; `extraSteps: [900]` adds its last). A step the call does not
   * take is not recorded. Every reader of a trace reads each record at its own step (Trace.steps),
   * so records off the grid are drawn and read where they were taken. Default []: the grid alone.
   */
  extraSteps?: number[];
  /**
   * The two costliest statistics, ‖W‖₂ (power iteration) and the 98th percentile (a histogram
   * pass), are computed every m-th record, the first included; in between, spectralNorm,
   * chainBound and activationP98 are NaN, so a bound is only ever shown beside the factor of its
   * own weights. Default: about every 10 steps, max(1, round(10 / every)) records (every 10th
   * record when tracing every step, which then costs about a tenth of a step; every record when
   * tracing every 10th step or rarer).
   */
  refreshEvery?: number;
  /**
   * Network steps (1 = the first) at which to keep histograms of the back-propagated gradients
   * (default [1]); each is recorded too, off the grid of `every` as one of extraSteps is. A step the call does not take is not.
   */
  histogramSteps?: number[];
  /**
   * Also record per-example gradient norms and the gradient signal-to-noise ratio per layer
   * (gradient-noise.ts): of every weight layer of a dense network, of the dense rows of a block
   * network (NaN in its other rows); refused with batch norm. Default false.
   */
  gradientNoise?: boolean;
}

export function checkTraceOptions(options: unknown): Required<TraceOptions> {
  if (typeof options !== 'object' || options === null) throw invalidOption('trace: expected an object such as { every: 10 }');
  checkKnownKeys(options, keysOf<TraceOptions>({ every: true, extraSteps: true, refreshEvery: true, histogramSteps: true, gradientNoise: true }), 'trace');
  const { every = 1, extraSteps = [], histogramSteps = [1], gradientNoise = false } = options as TraceOptions;
  const refreshEvery = (options as TraceOptions).refreshEvery ?? (Number.isInteger(every) && every >= 1 ? Math.max(1, Math.round(REFRESH_STEPS / every)) : 1);
  for (const [name, value] of [['trace.every', every], ['trace.refreshEvery', refreshEvery]] as const) checkWhole(value, name, 1, COUNT_BOUND);
  checkStepList(extraSteps, 'trace.extraSteps');
  checkStepList(histogramSteps, 'trace.histogramSteps');
  if (typeof gradientNoise !== 'boolean') throw invalidOption(`trace.gradientNoise: expected true or false, got ${shown(gradientNoise)}`);
  return { every, extraSteps, refreshEvery, histogramSteps, gradientNoise };
}

/** A list of network steps (extraSteps, histogramSteps): an array of whole numbers ≥ 1, a hole in it refused as not one (Array.from reads it as undefined). */
function checkStepList(steps: unknown, name: string): void {
  if (!Array.isArray(steps) || Array.from(steps as unknown[]).some((s) => !isCount(s, 1))) {
    throw invalidOption(`${name}: expected an array of step numbers, each ${countWords(1)}, got ${shown(steps)}`);
  }
}


/**
 * The trace options, checked for `owner`'s network (INVALID_OPTION otherwise): what TraceRecorder
 * and train() check before anything changes. A block network's trace takes every option, but
 * gradientNoise only without batch norm: through its batch statistics every example's δ depends on
 * the others', so m·δ_x ⊗ [a_x, 1] is no longer example x's own gradient (gradient-noise.ts).
 */
export function checkTraceable(owner: ModelOwner, options: unknown): Required<TraceOptions> {
  const model = trainableOf(owner, 'trace');
  const checked = checkTraceOptions(options);
  if (model.kind === 'dense') return checked;
  if (!model.flowTaps) throw invalidOption(`the gradient-flow trace (trace) cannot read this network's layers; ${model.firstNonDense ?? ''}`);
  const batchNorm = checked.gradientNoise ? model.flowTaps().layers.find((tap) => tap.type === 'batch-norm') : undefined;
  if (batchNorm) {
    throw invalidOption(
      `trace.gradientNoise: batch norm (module '${batchNorm.name}') mixes the examples' gradients through its batch statistics, so no example's own gradient can be read from the batch's; trace without gradientNoise, or normalise with layer-norm`,
    );
  }
  return checked;
}

/** What both recorders do (see TraceRecorder). */
export interface FlowRecorder {
  readonly trace: Trace;
  wants(step: number): boolean;
  readonly updateStatistics: UpdateStatistics;
  beforeBackprop(step: number): void;
  afterBackprop(batch: number, loss: number): void;
  afterStep(): void;
  rewound(): void;
  close(): void;
}

/**
 * Records a network's gradient flow into a Trace: a dense network's per weight layer; a block
 * network's per parameterised or activation layer, named as PyTorch names its modules, with the
 * skip's and the branch's share of the gradient of every residual block. train() uses one when
 * given `trace` options; use one yourself to trace a step train() does not make, e.g. the gradients
 * at initialisation: `const r = new TraceRecorder(net, { every: 1 }); const g = net.gradients(x, y);
 * r.afterBackprop(x.rows, g.loss); r.close();` then read `r.trace`. It holds backend memory until
 * close(), which also measures the last record's update ratio.
 */
export class TraceRecorder {
  private readonly recorder: FlowRecorder;
  private closed = false;

  /** `run`: how the run was set up (optimiser, layer rates, initialisation), recorded with the trace. */
  constructor(owner: ModelOwner, options: TraceOptions, run: TraceRun = {}) {
    const checked = checkTraceable(owner, options);
    const model = trainableOf(owner, 'TraceRecorder');
    this.recorder = model.kind === 'dense' ? new DenseRecorder(model as Model, checked, run) : new BlockRecorder(model, model.flowTaps!(), checked, run);
  }

  /** The trace being recorded. */
  get trace(): Trace {
    return this.recorder.trace;
  }

  /** Whether network step `step` is traced: every k-th step, from the first step of this train() call, and each of extraSteps. */
  wants(step: number): boolean {
    return this.recorder.wants(step);
  }

  /**
   * What the optimiser's update may measure for this trace (Optimizer.measureUpdate): train() hands
   * it over before each traced step's afterBackprop, and an update that takes it measures the
   * weights' statistics in its own pass, where afterBackprop would read the weights again (SGD's does,
   * Nesterov's not yet; the others' are measured apart, the same numbers). The same object for the recorder's life.
   */
  get updateStatistics(): UpdateStatistics {
    return this.recorder.updateStatistics;
  }

  /**
   * Before the backprop of network step `step`: a block network's residual blocks measure the
   * skip's and the branch's share of their gradient on the steps that are traced, and only then.
   * (Without this call, as when tracing gradients() by hand, they measure every backward.)
   */
  beforeBackprop(step: number): void {
    this.recorder.beforeBackprop(step);
  }

  /**
   * After backprop of `batch` rows, before the update: everything but the update ratio (and but the
   * weights' statistics, when the update took updateStatistics: afterStep records them).
   */
  afterBackprop(batch: number, loss: number): void {
    this.recorder.afterBackprop(batch, loss);
  }

  /** After the update: ‖ΔW‖/‖W‖ of each layer (see TraceRecorder's class comment), and the weights' statistics the update measured. */
  afterStep(): void {
    this.recorder.afterStep();
  }

  /**
   * After the network's step count went back (a step refused before it was applied; an epoch that
   * onNonFinite 'halve' takes back): drops the records of the steps it no longer has taken. A trace
   * holds the steps the network took: each record's step is a network step, strictly increasing;
   * its loss and gradients are those its update was made from, and its updateRatio is that update's
   * size; diagnose reads the first record as "the first step", the report draws the records as the
   * run. A record of a step never applied would share its step number with the attempt after it and
   * have no update to measure, so every reader would have to filter it out; rather than mark it,
   * the trace leaves it out, and train() reports the refusal (DIVERGED, result.skipped, result.halvings).
   */
  rewound(): void {
    this.recorder.rewound();
  }

  /**
   * After an epoch of train(): its losses as the loop measured them (the mean of its batch losses,
   * the validation rows' loss where it has them, and beside validation on other rows the training
   * subset's at the same weights: the one pass a trace adds, of at most as many rows as the
   * validation's), so that diagnose() reads how the loss moved from epoch to epoch.
   */
  epochEnded(epoch: TraceEpoch): void {
    this.recorder.trace.addEpoch(epoch);
  }

  /**
   * Measures the last step's update if pending, then frees the recorder's buffers; the trace stays.
   * Once only: train() closes it before a DIVERGED puts weights back (the update is measured on the
   * weights the step made), then again as it ends; a second call does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recorder.close();
  }
}
