/**
 * Records a dense network's Trace (TraceRecorder picks this recorder for a dense Model): per weight
 * layer, from nablaW, nablaB, deltas, zs and activations. Every statistic comes from backend kernels
 * in passes over data the step already made (the weights' from the update's own pass where the
 * optimiser can: weight-rows.ts); the buffers it needs live in the backend's memory, allocated once
 * when it opens.
 */
import { Rng } from '../init/rng.js';
import type { Kernels, Tensor } from '../kernels.js';
import type { Model, UpdateStatistics } from '../model.js';
import { denseChainNoiseLayers, GradientNoiseMeter } from './gradient-noise.js';
import { batchAccuracy, COUNT_BINS, LayerStatistics, noteTargets } from './layer-statistics.js';
import { PERCENTILE_BINS } from './metrics.js';
import type { FlowRecorder, TraceOptions } from './recorder.js';
import { powerIteration } from './spectral.js';
import { spectralBound, spectralBoundFloats, spectralBoundScratch, type SingularVectors, type SpectralBoundScratch } from './spectral-bound.js';
import { Trace, type GradientHistogram, type TraceRun } from './trace.js';
import { tracedSteps } from './traced-steps.js';
import { WeightRows, type WeightTensors } from './weight-rows.js';

/**
 * Most power iterations at the first estimate (from a random vector) and at each later one
 * (warm-started from the last vector); both stop earlier once the estimate has converged. Neither
 * bounds the estimate's error (docs/gradient-flow.md quotes both and the shortfalls measured, test/flow/chain-bound-truth.test.ts
 * measures them); chainBound does not rest on them: it uses spectralBound's proved bound.
 */
export const COLD_ITERATIONS = 60;
/** Most power iterations at a refresh after the first, warm-started (see COLD_ITERATIONS). */
export const WARM_ITERATIONS = 30;
/** Seed of the power iteration's start vectors: fixed, and separate from the network's RNG. */
const POWER_SEED = 0x5eed;
/** copyRows' row list for copying a whole vector (one row). */
const FIRST_ROW = [0];

/** The recorder of a dense network's trace (TraceRecorder picks it): one row per weight layer. */
export class DenseRecorder implements FlowRecorder {
  /** The trace being recorded. */
  readonly trace: Trace;
  private readonly options: Required<TraceOptions>;
  private readonly k: Kernels;
  private readonly held: Tensor[] = [];
  /** The weight statistics of every layer, and the snapshots of W they may take. */
  private readonly weightRows: WeightRows;
  /** Power-iteration vectors, kept between records (warm starts). */
  private readonly rightVectors: Tensor[];
  private readonly leftVectors: Tensor[];
  /**
   * The right vectors and warm flags as they were before the latest refresh (made at record
   * `powerRecord`): a rewind that drops that record puts them back, so a refused attempt leaves the
   * next estimate exactly as if it had never been made.
   */
  private readonly powerStarts: Tensor[];
  /** Per weight layer, its two power-iteration vectors, where its bound's Lanczos starts. */
  private readonly singularVectors: SingularVectors[];
  /** Memory of the proved ‖W‖₂ bounds, for the weight layers after the first (the ones a chainBound multiplies). */
  private readonly boundScratch: SpectralBoundScratch | undefined;
  /** Per weight layer, this record's proved bound on ‖W‖₂ (set at a refresh, for layers 1…L−1). */
  private readonly spectralBounds: Float64Array;
  private warmBefore = false;
  private powerRecord = -1;
  private readonly layerStatistics: LayerStatistics;
  /** The last record's update is not measured yet (it is, by the next record or by close). */
  private changePending = false;
  private recordedStep = -1;
  /** Whether a power iteration has run (every layer's vector is then warm). */
  private warm = false;
  private record = -1;
  /** Whether a step is recorded (TraceOptions.every from the call's first step, and extraSteps). */
  private readonly traced: (step: number) => boolean;

  private readonly net: Model;
  private readonly noise: GradientNoiseMeter | undefined;

  /** `run`: how the run was set up (optimiser, layer rates, initialisation), recorded with the trace. */
  constructor(net: Model, options: Required<TraceOptions>, run: TraceRun) {
    this.net = net;
    this.options = options;
    this.k = net.kernels;
    const sizes = net.sizes;
    const widest = Math.max(...sizes);
    // The Gram matrices of the bounds: W's shorter side squared, for weight layers 1…L−1.
    const boundSide = Math.max(0, ...sizes.slice(1, -1).map((n, l) => Math.min(n, sizes[l + 2])));
    const weightTensors: WeightTensors[] = net.weights.map((value, l) => ({ value, grad: net.nablaW[l], length: value.length }));
    net.checkFits(2 * net.parameterCount + 3 * sizes.reduce((a, b) => a + b, 0) + widest + PERCENTILE_BINS + (boundSide > 0 ? spectralBoundFloats(boundSide) : 0), 'the gradient-flow trace');
    const alloc = (n: number) => {
      const t = this.k.alloc(n);
      this.held.push(t);
      return t;
    };
    try {
      this.weightRows = new WeightRows(this.k, weightTensors, alloc);
      this.rightVectors = sizes.slice(0, -1).map(alloc);
      this.leftVectors = sizes.slice(1).map(alloc);
      this.powerStarts = sizes.slice(0, -1).map(alloc);
      this.singularVectors = this.rightVectors.map((right, l) => ({ right, left: this.leftVectors[l] }));
      this.boundScratch = boundSide > 0 ? spectralBoundScratch(alloc, boundSide) : undefined;
      this.layerStatistics = new LayerStatistics(this.k, alloc(widest), alloc(COUNT_BINS));
    } catch (error) {
      this.close();
      throw error;
    }
    const rng = new Rng(POWER_SEED);
    for (const v of this.rightVectors) this.k.write(v, Float64Array.from({ length: v.length }, () => rng.normal()));
    this.spectralBounds = new Float64Array(sizes.length - 1).fill(NaN);
    this.traced = tracedSteps(options, net.step + 1);
    this.trace = new Trace({ sizes, activations: net.activationFunctions, loss: net.loss, every: this.options.every, run });
    if (this.options.gradientNoise) this.noise = new GradientNoiseMeter(this.k, denseChainNoiseLayers(net));
  }

  wants(step: number): boolean {
    return this.traced(step);
  }

  get updateStatistics(): UpdateStatistics {
    return this.weightRows.request;
  }

  beforeBackprop(): void {}

  afterBackprop(batch: number, loss: number): void {
    const { net, k, trace } = this;
    const L = net.depth;
    const step = net.step + 1;
    // A pending change belongs to the previous record only if this step directly follows it.
    if (this.changePending && this.recordedStep !== step - 1) this.settleChange();
    this.recordedStep = step;
    const r = (this.record = trace.beginRecord(step, loss, batchAccuracy(k, net.activations[L], net.targets, net.outputSize, batch), batch));
    noteTargets(trace, r, k, net.targets, net.outputSize, batch);
    const refresh = r % this.options.refreshEvery === 0;
    if (refresh) this.savePowerStarts(r);
    this.weightRows.beforeUpdate(trace, r, this.changePending);
    for (let l = 0; l < L; l++) {
      const w = net.weights[l];
      const n = net.sizes[l + 1];
      const f = net.activationFunctions[l];
      trace.set('biasGradNorm', r, l, Math.sqrt(k.sumSquares(net.nablaB[l], n)));
      // deltas hold ∂(mean C)/∂z = δₓ/batch row by row, so Σ_x ‖δₓ‖² = batch² · Σ deltas².
      trace.set('deltaRms', r, l, Math.sqrt(batch * k.sumSquares(net.deltas[l], batch * n)));
      if (refresh) {
        const iterations = this.warm ? WARM_ITERATIONS : COLD_ITERATIONS;
        const sigma = powerIteration(k, w, this.rightVectors[l], this.leftVectors[l], net.sizes[l], n, iterations);
        trace.set('spectralNorm', r, l, sigma);
        if (l > 0) this.spectralBounds[l] = spectralBound(k, w, net.sizes[l], n, sigma, this.singularVectors[l], this.boundScratch!);
      }
      this.layerStatistics.activations(trace, r, l, f, net.zs[l], net.activations[l + 1], batch, n, refresh);
    }
    this.changePending = false;
    if (refresh) this.warm = true;
    for (let l = 0; l < L - 1; l++) {
      trace.set('chainFactor', r, l, trace.at('deltaRms', r, l) / trace.at('deltaRms', r, l + 1));
      // NaN between refreshes: the bound is only ever set beside the factor of its own weights.
      trace.set('chainBound', r, l, (refresh ? this.spectralBounds[l + 1] : NaN) * trace.at('maxPrime', r, l));
    }
    if (this.options.histogramSteps.includes(step)) this.gradientHistograms(step, batch);
    this.noise?.measure(batch).forEach((layer, l) => {
      trace.set('exampleGradNorm', r, l, layer.exampleGradNorm);
      trace.set('gradientSNR', r, l, layer.gradientSNR);
    });
  }

  /**
   * The update measured the weight statistics and its change (WeightRows), or: tracing every step,
   * the next record's weightStats pass measures the change (W has not moved since), so this costs
   * nothing then; otherwise, or after the last step, one pass over the snapshot and W.
   */
  afterStep(): void {
    if (this.weightRows.afterUpdate(this.trace, this.record)) return;
    this.changePending = true;
    if (this.options.every > 1) this.settleChange();
  }

  /**
   * Besides the records, a rewind takes back the power iteration's vectors if it dropped the record
   * of their latest refresh. Exact for one refused step; after 'halve' takes back an epoch with
   * several refreshes, the next starts warm from the vector of the latest one dropped (a warm start
   * moves the estimate by at most its convergence, POWER_CONVERGED).
   */
  rewound(): void {
    this.weightRows.dropped();
    if (this.trace.rewindRecords(this.net.step, this.record)) [this.record, this.changePending] = [this.trace.length - 1, false];
    if (this.powerRecord >= this.trace.length) this.restorePowerStarts();
  }

  private savePowerStarts(record: number): void {
    this.rightVectors.forEach((v, l) => this.k.copyRows(this.powerStarts[l], v, FIRST_ROW, 0, 1, this.net.sizes[l]));
    this.warmBefore = this.warm;
    this.powerRecord = record;
  }

  private restorePowerStarts(): void {
    this.powerStarts.forEach((v, l) => this.k.copyRows(this.rightVectors[l], v, FIRST_ROW, 0, 1, this.net.sizes[l]));
    this.warm = this.warmBefore;
    this.powerRecord = -1;
  }

  private settleChange(): void {
    if (!this.changePending) return;
    this.weightRows.settleChange(this.trace, this.record);
    this.changePending = false;
  }

  /** Per layer, the counts of δ over ± that layer's largest |δ| (a layer with δ all 0 gets ±0 and every count in the middle bin). */
  private gradientHistograms(step: number, batch: number): void {
    const { net } = this;
    const h: GradientHistogram = { step, lo: [], hi: [], counts: [] };
    for (let l = 0; l < net.depth; l++) {
      if (!this.layerStatistics.deltaHistogram(h, net.deltas[l], batch * net.sizes[l + 1])) return;
    }
    this.trace.histograms.push(h);
  }

  close(): void {
    // A disposed network's weights are gone: its last update stays unmeasured (NaN, as never measured).
    if (this.held.length > 0 && !this.net.isDisposed) this.settleChange();
    this.held.forEach((t) => this.k.free(t));
    this.held.length = 0;
    this.noise?.free();
  }
}

