/**
 * Records a Trace while training: train() calls afterBackprop (gradients of the batch in nablaW,
 * nablaB and deltas; weights not yet updated) and afterStep (weights updated) on traced steps only.
 * Every statistic comes from backend kernels in passes over data the step already made; the buffers
 * the recorder needs live in the backend's memory, allocated once when it opens.
 */
import { invalidOption } from '../errors.js';
import { Rng } from '../init/rng.js';
import { ACTIVATION_STAT, ACTIVATION_STAT_COUNT, WEIGHT_STAT, type Kernels, type Tensor } from '../kernels.js';
import { denseModelOf, predictedClass, type Model, type ModelOwner } from '../model.js';
import {
  GRADIENT_BINS,
  isElementwise,
  isReluFamily,
  isSaturating,
  PERCENTILE,
  PERCENTILE_BINS,
  primeThreshold,
  REFRESH_STEPS,
} from './metrics.js';
import { GradientNoiseMeter } from './gradient-noise.js';
import { powerIteration } from './spectral.js';
import { Trace, type TraceRun } from './trace.js';

/** What a gradient-flow trace records (TrainOptions.trace, TraceRecorder); every field is optional. */
export interface TraceOptions {
  /** Record every k-th step, from the first step of the train() call (default 1: every step). */
  every?: number;
  /**
   * The two costliest statistics, ‖W‖₂ (power iteration) and the 98th percentile (a histogram
   * pass), are computed every m-th record, the first included; in between, spectralNorm,
   * chainBound and activationP98 are NaN, so a bound is only ever shown beside the factor of its
   * own weights. Default: about every 10 steps, max(1, round(10 / every)) records (every 10th
   * record when tracing every step, which then costs about a tenth of a step; every record when
   * tracing every 10th step or rarer).
   */
  refreshEvery?: number;
  /** Network steps (1 = the first) at which to keep histograms of the back-propagated gradients (default [1]). */
  histogramSteps?: number[];
  /** Also record per-example gradient norms and the gradient signal-to-noise ratio per layer (gradient-noise.ts). Default false. */
  gradientNoise?: boolean;
}

/**
 * Most power iterations at the first estimate (from a random vector) and at each later one
 * (warm-started from the last vector); both stop earlier once the estimate has converged.
 */
const COLD_ITERATIONS = 60;
const WARM_ITERATIONS = 30;
/** Seed of the power iteration's start vectors: fixed, and separate from the network's RNG. */
const POWER_SEED = 0x5eed;

export function checkTraceOptions(options: unknown): Required<TraceOptions> {
  if (typeof options !== 'object' || options === null) throw invalidOption('trace: expected an object such as { every: 10 }');
  const { every = 1, histogramSteps = [1], gradientNoise = false } = options as TraceOptions;
  const refreshEvery = (options as TraceOptions).refreshEvery ?? (Number.isInteger(every) && every >= 1 ? Math.max(1, Math.round(REFRESH_STEPS / every)) : 1);
  for (const [name, value] of [['trace.every', every], ['trace.refreshEvery', refreshEvery]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw invalidOption(`${name}: expected a whole number ≥ 1, got ${JSON.stringify(value)}`);
    }
  }
  if (!Array.isArray(histogramSteps) || histogramSteps.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 1)) {
    throw invalidOption(`trace.histogramSteps: expected an array of step numbers ≥ 1, got ${JSON.stringify(histogramSteps)}`);
  }
  if (typeof gradientNoise !== 'boolean') throw invalidOption(`trace.gradientNoise: expected true or false, got ${JSON.stringify(gradientNoise)}`);
  return { every, refreshEvery, histogramSteps, gradientNoise };
}

/**
 * Records a network's gradient flow into a Trace. train() uses one when given `trace` options; use
 * one yourself to trace a step train() does not make, e.g. the gradients at initialisation:
 * `const r = new TraceRecorder(net, { every: 1 }); const g = net.gradients(x, y);
 * r.afterBackprop(x.rows, g.loss); r.close();` then read `r.trace`. It holds backend memory until
 * close(), which also measures the last record's update ratio.
 */
export class TraceRecorder {
  /** The trace being recorded. */
  readonly trace: Trace;
  private readonly options: Required<TraceOptions>;
  private readonly k: Kernels;
  private readonly held: Tensor[] = [];
  /** Weights before the update, for ‖ΔW‖. */
  private readonly snapshots: Tensor[];
  /** Power-iteration vectors, kept between records (warm starts). */
  private readonly rightVectors: Tensor[];
  private readonly leftVectors: Tensor[];
  private readonly zeroBias: Tensor;
  private readonly alive: Tensor;
  private readonly counts: Tensor;
  private readonly stats = new Float64Array(ACTIVATION_STAT_COUNT);
  private readonly weights = new Float64Array(ACTIVATION_STAT_COUNT);
  /** The last record's update is not measured yet (it is, by the next record or by close). */
  private changePending = false;
  private recordedStep = -1;
  private readonly warm: boolean[];
  private record = -1;
  private readonly firstStep: number;

  private readonly net: Model;
  private readonly noise: GradientNoiseMeter | undefined;

  /** `run`: how the run was set up (optimiser, layer rates, initialisation), recorded with the trace. */
  constructor(owner: ModelOwner, options: TraceOptions, run: TraceRun = {}) {
    const net = (this.net = denseModelOf(owner, 'the gradient-flow trace (trace)'));
    this.options = checkTraceOptions(options);
    this.k = net.kernels;
    const sizes = net.sizes;
    const widest = Math.max(...sizes);
    net.checkFits(2 * net.parameterCount + 2 * sizes.reduce((a, b) => a + b, 0) + widest * 2 + PERCENTILE_BINS, 'the gradient-flow trace');
    const alloc = (n: number) => {
      const t = this.k.alloc(n);
      this.held.push(t);
      return t;
    };
    try {
      this.snapshots = net.weights.map((w) => alloc(w.length));
      this.rightVectors = sizes.slice(0, -1).map(alloc);
      this.leftVectors = sizes.slice(1).map(alloc);
      this.zeroBias = alloc(widest);
      this.alive = alloc(widest);
      this.counts = alloc(Math.max(PERCENTILE_BINS, GRADIENT_BINS));
    } catch (error) {
      this.close();
      throw error;
    }
    const rng = new Rng(POWER_SEED);
    for (const v of this.rightVectors) this.k.write(v, Float64Array.from({ length: v.length }, () => rng.normal()));
    this.warm = this.rightVectors.map(() => false);
    this.firstStep = net.step + 1;
    this.trace = new Trace({ sizes, activations: net.activationFunctions, loss: net.loss, every: this.options.every, run });
    if (this.options.gradientNoise) this.noise = new GradientNoiseMeter(net);
  }

  /** Whether network step `step` is traced: every k-th step, from the first step of this train() call. */
  wants(step: number): boolean {
    return (step - this.firstStep) % this.options.every === 0;
  }

  /** After backprop of `batch` rows, before the update: everything but the update ratio. */
  afterBackprop(batch: number, loss: number): void {
    const { net, k, trace } = this;
    const L = net.depth;
    const step = net.step + 1;
    // A pending change belongs to the previous record only if this step directly follows it.
    if (this.changePending && this.recordedStep !== step - 1) this.settleChange();
    this.recordedStep = step;
    const r = (this.record = trace.beginRecord(step, loss, this.batchAccuracy(batch)));
    const refresh = r % this.options.refreshEvery === 0;
    for (let l = 0; l < L; l++) {
      const w = net.weights[l];
      const gw = net.nablaW[l];
      const n = net.sizes[l + 1];
      const f = net.activationFunctions[l];
      // One pass: the gradient's statistics, ‖W‖, the change since the snapshot, and a new snapshot.
      k.weightStats(this.weights, this.snapshots[l], w, gw, w.length);
      trace.set('weightGradNorm', r, l, Math.sqrt(this.weights[WEIGHT_STAT.gradSquares]));
      trace.set('weightGradMeanAbs', r, l, this.weights[WEIGHT_STAT.gradAbs] / w.length);
      trace.set('weightGradMaxAbs', r, l, this.weights[WEIGHT_STAT.gradMaxAbs]);
      trace.set('weightNorm', r, l, Math.sqrt(this.weights[WEIGHT_STAT.weightSquares]));
      if (this.changePending) trace.set('updateRatio', r - 1, l, Math.sqrt(this.weights[WEIGHT_STAT.changeSquares]) / trace.at('weightNorm', r - 1, l));
      trace.set('biasGradNorm', r, l, Math.sqrt(k.sumSquares(net.nablaB[l], n)));
      // deltas hold ∂(mean C)/∂z = δₓ/batch row by row, so Σ_x ‖δₓ‖² = batch² · Σ deltas².
      trace.set('deltaRms', r, l, Math.sqrt(batch * k.sumSquares(net.deltas[l], batch * n)));
      if (refresh) {
        const iterations = this.warm[l] ? WARM_ITERATIONS : COLD_ITERATIONS;
        this.warm[l] = true;
        const sigma = powerIteration(k, w, this.rightVectors[l], this.leftVectors[l], this.zeroBias, net.sizes[l], n, iterations);
        trace.set('spectralNorm', r, l, sigma);
      }
      this.activationStatistics(r, l, f, batch, n, refresh);
    }
    this.changePending = false;
    for (let l = 0; l < L - 1; l++) {
      trace.set('chainFactor', r, l, trace.at('deltaRms', r, l) / trace.at('deltaRms', r, l + 1));
      // NaN between refreshes: the bound is only ever set beside the factor of its own weights.
      trace.set('chainBound', r, l, trace.at('spectralNorm', r, l + 1) * trace.at('maxPrime', r, l));
    }
    if (this.options.histogramSteps.includes(step)) this.gradientHistograms(step, batch);
    this.noise?.measure(batch).forEach((layer, l) => {
      trace.set('exampleGradNorm', r, l, layer.exampleGradNorm);
      trace.set('gradientSNR', r, l, layer.gradientSNR);
    });
  }

  /**
   * After the update: ‖ΔW‖/‖W‖ of each layer. Tracing every step, the next record's weightStats
   * pass measures the change (W has not moved since), so this costs nothing then; otherwise, or
   * after the last step, one pass over the snapshot and W.
   */
  afterStep(): void {
    this.changePending = true;
    if (this.options.every > 1) this.settleChange();
  }

  private settleChange(): void {
    if (!this.changePending) return;
    const { net, k, trace } = this;
    const r = this.record;
    for (let l = 0; l < net.depth; l++) {
      const w = net.weights[l];
      const delta = Math.sqrt(k.sumSquaredDifference(this.snapshots[l], w, w.length));
      trace.set('updateRatio', r, l, delta / trace.at('weightNorm', r, l));
    }
    this.changePending = false;
  }

  /** Activation moments, the 98th percentile, saturation or inactivity, and σ' of layer l's units. */
  private activationStatistics(r: number, l: number, f: Model['activationFunctions'][number], batch: number, n: number, refresh: boolean): void {
    const { net, k, trace, stats } = this;
    const count = batch * n;
    const a = net.activations[l + 1];
    const elementwise = isElementwise(f);
    k.activationStats(stats, this.alive, elementwise ? f : 'linear', net.zs[l], a, batch, n, elementwise ? primeThreshold(f) : 0);
    const mean = stats[ACTIVATION_STAT.sum] / count;
    trace.set('activationMean', r, l, mean);
    trace.set('activationStd', r, l, Math.sqrt(Math.max(0, stats[ACTIVATION_STAT.sumSquares] / count - mean * mean)));
    if (refresh) trace.set('activationP98', r, l, this.percentile(a, count, stats[ACTIVATION_STAT.min], stats[ACTIVATION_STAT.max]));
    if (!elementwise) return; // σ' statistics stay NaN for softmax
    // The kernel counts σ' below primeThreshold(f): saturation, or inactivity for the relu family.
    if (isSaturating(f)) trace.set('saturatedFraction', r, l, stats[ACTIVATION_STAT.saturated] / count);
    if (isReluFamily(f)) {
      trace.set('inactiveFraction', r, l, stats[ACTIVATION_STAT.saturated] / count);
      trace.set('deadFraction', r, l, 1 - stats[ACTIVATION_STAT.aliveUnits] / n);
    }
    trace.set('meanPrime', r, l, stats[ACTIVATION_STAT.sumPrime] / count);
    trace.set('maxPrime', r, l, stats[ACTIVATION_STAT.maxPrime]);
  }

  /** The PERCENTILE-quantile of x[0..count), from a histogram between min and max, interpolated in its bin. */
  private percentile(x: Tensor, count: number, min: number, max: number): number {
    const k = this.k;
    if (!(Math.fround(max) > Math.fround(min))) return min;
    k.zero(this.counts, PERCENTILE_BINS);
    k.histogram(this.counts, x, count, min, max, PERCENTILE_BINS);
    const counts = k.view(this.counts);
    const target = PERCENTILE * count;
    let below = 0;
    for (let b = 0; b < PERCENTILE_BINS; b++) {
      if (below + counts[b] >= target) {
        const within = counts[b] === 0 ? 0 : (target - below) / counts[b];
        return min + ((b + within) * (max - min)) / PERCENTILE_BINS;
      }
      below += counts[b];
    }
    return max;
  }

  /** Per layer, the counts of δ over ± that layer's largest |δ| (a layer with δ all 0 gets ±0 and every count in the middle bin). */
  private gradientHistograms(step: number, batch: number): void {
    const { net, k } = this;
    const lo: number[] = [];
    const hi: number[] = [];
    const counts: Float64Array[] = [];
    for (let l = 0; l < net.depth; l++) {
      const n = batch * net.sizes[l + 1];
      const largest = k.maxAbs(net.deltas[l], n);
      if (!Number.isFinite(largest)) return;
      k.zero(this.counts, GRADIENT_BINS);
      if (largest > 0) k.histogram(this.counts, net.deltas[l], n, -largest, largest, GRADIENT_BINS);
      const layerCounts = Float64Array.from(k.view(this.counts).subarray(0, GRADIENT_BINS));
      if (!(largest > 0)) layerCounts[GRADIENT_BINS >> 1] = n;
      lo.push(-largest);
      hi.push(largest);
      counts.push(layerCounts);
    }
    this.trace.histograms.push({ step, lo, hi, counts });
  }

  /** Fraction of the batch whose output's class is the target's, before the update. */
  private batchAccuracy(batch: number): number {
    const { net, k } = this;
    const n = net.outputSize;
    const a = k.view(net.activations[net.depth]);
    const y = k.view(net.targets!);
    let correct = 0;
    for (let r = 0; r < batch; r++) if (predictedClass(a, r * n, n) === predictedClass(y, r * n, n)) correct++;
    return correct / batch;
  }

  /** Measures the last step's update if pending, then frees the recorder's buffers; the trace stays. */
  close(): void {
    // A disposed network's weights are gone: its last update stays unmeasured (NaN, as never measured).
    if (this.held.length > 0 && !this.net.isDisposed) this.settleChange();
    this.held.forEach((t) => this.k.free(t));
    this.held.length = 0;
    this.noise?.free();
  }
}

