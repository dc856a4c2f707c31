/**
 * The trace the explanation panel diagnoses: the whole run since the network was built, gathered
 * from the trace of each train() call, in bounded memory. diagnose() reads the first record, the
 * median over the full batches' records and the last full batch's, so the run is thinned evenly rather than cut to a window:
 * every step until MAX_RECORDS, then every 2nd, 4th, … step, the first step always kept. Its epochs
 * (Trace.epochs, numbered from the run's first) are thinned the same way past MAX_EPOCHS, the first
 * and the last always kept: diagnose() reads the training state from the epochs of the last two
 * fifths of the run and the lowest before them, and counts the run's epochs by the last one's
 * number, so evenly spread epochs keep each window's share of the run (kept all, a million epochs
 * took 83 MB of a Node 20 heap, 2026-12-01).
 */
import { batchRowsUsed, LAYER_METRIC_NAMES, RESIDUAL_METRIC_NAMES, Trace } from '../../src/index.js';
import type { TraceRun } from '../../src/index.js';
import type { EpochEnd } from './stepped-pass.js';
import { LAYER_RATES, type Settings } from './settings.js';
import { trainingRows } from './datasets.js';

/** Records kept before the run is thinned to every other kept step. */
export const MAX_RECORDS = 1024;
/** Epochs kept (the last besides) before the run's epochs are thinned to every other kept one. */
export const MAX_EPOCHS = 1024;

/**
 * How the run is set up, for the trace of the gradients at initialisation (train()'s traces describe
 * their own run): diagnose() reads it so as to suggest nothing the run already uses, such as the
 * initialiser or LSUV. `weightDecay`: the optimiser's (the page's L2 unless the per-layer rates lowered it).
 */
export function probeRun(settings: Settings, layerRates: number[] | null, weightDecay = settings.l2): TraceRun {
  // The batch as train() records it: at most the training rows (Hessian-free's remedy asks for 1,000 rows, all of them here).
  const batchSize = batchRowsUsed(settings.batchSize, trainingRows(settings.dataset, settings.trainPercent));
  const run: TraceRun = { optimizer: settings.optimizer === LAYER_RATES ? 'sgd' : settings.optimizer, learningRate: settings.learningRate, batchSize, biasInit: 'zero' };
  if (settings.init === 'lsuv') run.lsuv = true;
  else run.init = settings.init;
  if (layerRates) run.layerRates = layerRates;
  if (weightDecay > 0) run.weightDecay = weightDecay;
  // The page measures its test rows after every epoch (held-out.ts).
  run.validation = 'other rows';
  return run;
}

/**
 * What the run's rows are, whatever the rows of one train() call of it (a single step's batch) were: the validation rows the
 * caller measures after each epoch and adds to the epochs it appends (the page's test rows: 'other rows'), though no call
 * was given any; the training rows of each class (TraceRun.classRows), where a one-batch call records its batch's, from
 * which the diagnosis would read chance; and the training rows themselves (TraceRun.rows), where a one-batch call records its
 * batch's as all it was given (so a single step's call and a whole pass's describe one run). Each absent: the calls' own.
 */
export type RunRows = Pick<TraceRun, 'validation' | 'classRows' | 'rows'>;

/** `run` as a train() call describes it, with each field `rows` gives in place of the call's own. */
function withRows(run: TraceRun, rows: RunRows): TraceRun {
  const given = Object.entries(rows).filter(([, value]) => value !== undefined);
  if (given.length === 0) return run;
  const kept = Object.entries(run).filter(([key]) => !(key in rows));
  return Object.fromEntries([...kept, ...given]) as TraceRun;
}

export class RunTrace {
  /** What diagnose() reads: the probe at initialisation until the first training step is recorded. */
  trace: Trace;
  /** A training step s is kept when (s − 1) is a multiple of stride (= trace.every). */
  private stride = 1;
  /** An epoch e (numbered from 0) is kept when e is a multiple of epochStride, or it is the run's last. */
  private epochStride = 1;

  /** `rows`: what the run's rows are (RunRows), in place of what each call appended says of its own; default: the calls' own. */
  constructor(
    private readonly probe: Trace,
    private readonly rows: RunRows = {},
  ) {
    this.trace = probe;
  }

  /**
   * Adds the records of one train() call's trace, and `ended`: the epochs (passes over the page's
   * training rows) that ended in that call, first first, numbered on from the run's last. A call over
   * all the training rows gives its trace's own epochs; a single step, the epoch its pass completed, if any.
   */
  append(from: Trace, ended: readonly EpochEnd[]): void {
    const run = withRows(from.run, this.rows);
    if (this.trace === this.probe) this.trace = emptyLike(from, 1, run);
    // A step setting changed (the learning rate, say): the run is now set up as this call was, which the diagnosis's remedies start from.
    else if (JSON.stringify(run) !== JSON.stringify(this.trace.run)) this.trace = this.copied(this.stride, run);
    const residuals = residualSeriesOf(from);
    for (let r = 0; r < from.length; r++) {
      if ((from.steps[r] - 1) % this.stride !== 0) continue;
      copyRecord(this.trace, from, r, residuals);
      if (this.trace.length >= MAX_RECORDS) this.thin();
    }
    this.addEpochs(ended);
  }

  /**
   * Adds the epochs that ended in one call, numbered on from the run's last: those on the kept grid
   * (multiples of epochStride) and the call's last, now the run's last, whatever its number; the
   * run's last before them goes if it was off the grid. Past MAX_EPOCHS every other kept one goes.
   */
  private addEpochs(ended: readonly EpochEnd[]): void {
    if (ended.length === 0) return;
    const epochs = this.trace.epochs;
    const last = epochs[epochs.length - 1];
    if (last && last.epoch % this.epochStride !== 0) this.trace.keepEpochs((e) => e !== last);
    const first = last === undefined ? 0 : last.epoch + 1;
    ended.forEach((e, i) => {
      const epoch = first + i;
      const runsLast = i === ended.length - 1;
      if (epoch % this.epochStride !== 0 && !runsLast) return;
      this.trace.addEpoch({ ...e, epoch });
      if (this.trace.epochs.length > MAX_EPOCHS) {
        this.epochStride *= 2;
        this.trace.keepEpochs((k) => k.epoch % this.epochStride === 0 || (runsLast && k.epoch === epoch));
      }
    });
  }

  private thin(): void {
    this.stride *= 2;
    this.trace = this.copied(this.stride, this.trace.run);
  }

  /** The run's trace with the records of every `stride`-th step (from the first) and every epoch, set up as `run` says. */
  private copied(stride: number, run: TraceRun): Trace {
    const kept = emptyLike(this.trace, stride, run);
    const residuals = residualSeriesOf(this.trace);
    for (let r = 0; r < this.trace.length; r++) {
      if ((this.trace.steps[r] - 1) % stride === 0) copyRecord(kept, this.trace, r, residuals);
    }
    for (const e of this.trace.epochs) kept.addEpoch(e);
    return kept;
  }
}

function emptyLike(trace: Trace, every: number, run = trace.run): Trace {
  return new Trace({ sizes: trace.sizes, activations: trace.activations, loss: trace.loss, every, run, blocks: trace.blocks });
}

/** A block network's residual metrics, [metric][block] over the records (none for a dense network). */
function residualSeriesOf(trace: Trace): Float64Array[][] {
  return RESIDUAL_METRIC_NAMES.map((name) => Array.from({ length: trace.residualBlocks }, (_, b) => trace.residualSeries(name, b)));
}

function copyRecord(to: Trace, from: Trace, r: number, residuals: Float64Array[][]): void {
  const record = to.beginRecord(from.steps[r], from.losses[r], from.accuracy[r], from.batchRows[r]);
  for (const name of LAYER_METRIC_NAMES) {
    const row = from.row(name, r);
    for (let l = 0; l < row.length; l++) to.set(name, record, l, row[l]);
  }
  // A block network's residual blocks: the skip's and the branch's share of the gradient, ReZero's α.
  RESIDUAL_METRIC_NAMES.forEach((name, m) => residuals[m].forEach((series, b) => to.setResidual(name, record, b, series[r])));
}
