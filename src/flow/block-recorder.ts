/**
 * Records a block network's Trace (TraceRecorder picks this recorder for a network built from layer
 * specs), through its taps (src/flow-taps.ts): one row per parameterised or activation layer in
 * forward order, named as PyTorch names its module. "W" is a dense layer's weights, a norm layer's γ
 * or ReZero's α; "b" a dense layer's bias or a norm layer's β; δ is ∂C/∂z of a dense layer and
 * ∂C/∂output of the others. chainFactor goes from one dense layer to the next; ‖W‖₂ and its
 * chain bound are not measured (NaN). Per residual block: the skip's and the branch's share of ∂C/∂x,
 * and ReZero's α with its gradient. Every statistic is a kernel reduction of a tensor the step
 * already holds; the buffers live in the backend's memory, allocated once when it opens.
 */
import type { FlowTaps, LayerTap } from '../flow-taps.js';
import type { Kernels, Tensor } from '../kernels.js';
import type { Trainable, UpdateStatistics } from '../model.js';
import { parentPath } from '../layer-names.js';
import { GradientNoiseMeter } from './gradient-noise.js';
import { batchAccuracy, COUNT_BINS, LayerStatistics, noteTargets } from './layer-statistics.js';
import { FLAT_SPREAD } from './metrics.js';
import type { FlowRecorder, TraceOptions } from './recorder.js';
import { Trace, type GradientHistogram, type TraceRun } from './trace.js';
import { tracedSteps } from './traced-steps.js';
import { WeightRows } from './weight-rows.js';

export class BlockRecorder implements FlowRecorder {
  readonly trace: Trace;
  private readonly k: Kernels;
  private readonly held: Tensor[] = [];
  private readonly rows: readonly LayerTap[];
  /** The weight statistics of the rows with a weight, and the snapshots of W they may take. */
  private readonly weightRows: WeightRows;
  /** For each dense row, the next dense row of its chain (nextDenseInChain), else -1: chainFactor's pairs. */
  private readonly nextDense: number[];
  private readonly layerStatistics: LayerStatistics;
  private changePending = false;
  private recordedStep = -1;
  private record = -1;
  /** Whether a step is recorded (TraceOptions.every from the call's first step, and extraSteps). */
  private readonly traced: (step: number) => boolean;
  /** Per-example gradient noise of the dense rows (TraceOptions.gradientNoise; checkTraceable refuses it with batch norm). */
  private readonly noise: GradientNoiseMeter | undefined;

  constructor(
    private readonly net: Trainable,
    private readonly taps: FlowTaps,
    private readonly options: Required<TraceOptions>,
    run: TraceRun,
  ) {
    this.k = net.kernels;
    this.rows = taps.layers;
    const widest = Math.max(net.inputSize, ...this.rows.map((t) => t.units));
    const weights = this.rows.map((t) => t.weight ?? null);
    net.checkFits(WeightRows.floats(weights) + widest + COUNT_BINS, 'the gradient-flow trace');
    const alloc = (n: number) => {
      const t = this.k.alloc(n);
      this.held.push(t);
      return t;
    };
    try {
      this.weightRows = new WeightRows(this.k, weights, alloc);
      this.layerStatistics = new LayerStatistics(this.k, alloc(widest), alloc(COUNT_BINS));
    } catch (error) {
      this.close();
      throw error;
    }
    this.nextDense = this.rows.map((_, l) => nextDenseInChain(this.rows, l));
    this.traced = tracedSteps(options, net.step + 1);
    this.trace = new Trace({
      sizes: [net.inputSize, ...this.rows.map((t) => t.units)],
      activations: this.rows.map((t) => t.activation),
      loss: net.loss,
      every: options.every,
      run,
      blocks: { layers: this.rows.map(({ name, type, bias }) => ({ name, type, ...(type === 'dense' && !bias && { bias: false as const }) })), residuals: taps.residuals.map(({ name, gate }) => ({ name, gate })) },
    });
    for (const block of taps.residuals) block.probe(true);
    if (options.gradientNoise) {
      const dense = this.rows.map((tap) =>
        tap.type === 'dense' ? { inputs: tap.weight!.shape[1], units: tap.units, input: tap.input, delta: tap.delta, weightGrad: tap.weight!.grad, biasGrad: tap.bias?.grad ?? null } : null,
      );
      this.noise = new GradientNoiseMeter(this.k, dense);
    }
  }

  wants(step: number): boolean {
    return this.traced(step);
  }

  get updateStatistics(): UpdateStatistics {
    return this.weightRows.request;
  }

  beforeBackprop(step: number): void {
    const on = this.wants(step);
    for (const block of this.taps.residuals) block.probe(on);
  }

  afterBackprop(batch: number, loss: number): void {
    const { net, k, trace, rows } = this;
    const step = net.step + 1;
    if (this.changePending && this.recordedStep !== step - 1) this.settleChange();
    this.recordedStep = step;
    const r = (this.record = trace.beginRecord(step, loss, batchAccuracy(k, net.output, net.targets, net.outputSize, batch), batch));
    noteTargets(trace, r, k, net.targets, net.outputSize, batch);
    const refresh = r % this.options.refreshEvery === 0;
    this.weightRows.beforeUpdate(trace, r, this.changePending);
    for (let l = 0; l < rows.length; l++) {
      const tap = rows[l];
      const n = batch * tap.units;
      if (tap.bias) trace.set('biasGradNorm', r, l, Math.sqrt(k.sumSquares(tap.bias.grad, tap.bias.length)));
      const delta = tap.delta();
      // δ holds ∂(mean C)/∂· = δₓ/batch row by row, so Σ_x ‖δₓ‖² = batch² · Σ δ².
      if (delta) trace.set('deltaRms', r, l, Math.sqrt(batch * k.sumSquares(delta, n)));
      this.layerStatistics.activations(trace, r, l, tap.activation, tap.z(), tap.output(), batch, tap.units, refresh);
      if (tap.flatFeatures) trace.set('flatFraction', r, l, tap.flatFeatures(FLAT_SPREAD) / tap.units);
    }
    this.changePending = false;
    for (let l = 0; l < rows.length; l++) {
      const next = this.nextDense[l];
      if (next >= 0) trace.set('chainFactor', r, l, trace.at('deltaRms', r, l) / trace.at('deltaRms', r, next));
    }
    this.residuals(r, batch);
    if (this.options.histogramSteps.includes(step)) this.gradientHistograms(step, batch);
    this.noise?.measure(batch).forEach((layer, l) => {
      trace.set('exampleGradNorm', r, l, layer.exampleGradNorm);
      trace.set('gradientSNR', r, l, layer.gradientSNR);
    });
  }

  /** Each residual block's skip and branch shares (per-example RMS, as deltaRms) and ReZero's α and ∂C/∂α. */
  private residuals(r: number, batch: number): void {
    const { trace, k } = this;
    this.taps.residuals.forEach((block, b) => {
      trace.setResidual('skipGradRms', r, b, Math.sqrt(batch * block.skipSquares));
      trace.setResidual('branchGradRms', r, b, Math.sqrt(batch * block.branchSquares));
      if (!block.alpha) return;
      trace.setResidual('alpha', r, b, k.view(block.alpha.value)[0]);
      trace.setResidual('alphaGrad', r, b, k.view(block.alpha.grad)[0]);
    });
  }

  afterStep(): void {
    if (this.weightRows.afterUpdate(this.trace, this.record)) return;
    this.changePending = true;
    if (this.options.every > 1) this.settleChange();
  }

  rewound(): void {
    this.weightRows.dropped();
    if (this.trace.rewindRecords(this.net.step, this.record)) [this.record, this.changePending] = [this.trace.length - 1, false];
  }

  private settleChange(): void {
    if (!this.changePending) return;
    this.weightRows.settleChange(this.trace, this.record);
    this.changePending = false;
  }

  /** Per row, the counts of δ over ± its largest |δ| (a row without δ: ±0 and no counts). */
  private gradientHistograms(step: number, batch: number): void {
    const h: GradientHistogram = { step, lo: [], hi: [], counts: [] };
    for (const tap of this.rows) if (!this.layerStatistics.deltaHistogram(h, tap.delta(), batch * tap.units)) return;
    this.trace.histograms.push(h);
  }

  close(): void {
    if (this.held.length > 0 && !this.net.isDisposed) {
      this.settleChange();
      for (const block of this.taps.residuals) block.probe(false);
    }
    this.held.forEach((t) => this.k.free(t));
    this.held.length = 0;
    this.noise?.free();
  }
}


/**
 * For dense row l, the next dense row m through which every example's δ reaches l by the chain
 * rule alone: in the same layer stack, with only batch norm, layer norm and activation layers
 * between them (no residual block, whose skip would add a path). -1 otherwise.
 */
function nextDenseInChain(rows: readonly LayerTap[], l: number): number {
  if (rows[l].type !== 'dense') return -1;
  const parent = parentPath(rows[l].name);
  for (let m = l + 1; m < rows.length; m++) {
    if (rows[m].type === 'residual' || parentPath(rows[m].name) !== parent) return -1;
    if (rows[m].type === 'dense') return m;
  }
  return -1;
}
