/**
 * What both recorders record of the weight rows of a trace, the one way: weightGradNorm,
 * weightGradMeanAbs, weightGradMaxAbs, weightNorm and updateRatio, from Kernels.weightStats' numbers.
 * On a step train() traces, the optimiser's update measures them in the pass that reads every weight
 * and gradient anyway, where it can (Optimizer.measureUpdate: SGD's, not Nesterov's), and they are recorded after
 * the update; otherwise weightStats reads W, ∂C/∂W and a snapshot of W before the update, and the
 * change is measured against the snapshot. Both give the same numbers, to the bit (the same terms
 * added in the same order: test/flow/update-statistics.test.ts).
 */
import { WEIGHT_STAT, WEIGHT_STAT_COUNT, type Kernels, type Tensor } from '../kernels.js';
import type { UpdateStatistics } from '../model.js';
import { updateRatio } from './metrics.js';
import type { Trace } from './trace.js';

/** A weight row's tensors: its values, their gradient and how many. */
export interface WeightTensors {
  readonly value: Tensor;
  readonly grad: Tensor;
  readonly length: number;
}

export class WeightRows {
  /** What the optimiser's update is asked to measure (TraceRecorder.updateStatistics): every row's weights. */
  readonly request: UpdateStatistics;
  private readonly stats = new Float64Array(WEIGHT_STAT_COUNT);
  /** The trace row of each entry of the request. */
  private readonly rowOf: number[] = [];
  private readonly weights: WeightTensors[] = [];
  /** Each entry's W as weightStats last read it (for ‖ΔW‖ when the update did not measure it). */
  private readonly snapshots: Tensor[];
  /** Whether this record's statistics come from its update (the request was taken before it). */
  private fromUpdate = false;

  /** `rows`: each trace row's weight tensors, or null for a row without any; `alloc` holds the snapshots' memory. */
  constructor(
    private readonly k: Kernels,
    rows: readonly (WeightTensors | null)[],
    alloc: (n: number) => Tensor,
  ) {
    rows.forEach((w, l) => {
      if (!w) return;
      this.rowOf.push(l);
      this.weights.push(w);
    });
    this.snapshots = this.weights.map((w) => alloc(w.length));
    this.request = { tensors: this.weights.map((w) => w.value), out: this.weights.map(() => new Float64Array(WEIGHT_STAT_COUNT)), taken: false };
  }

  /** Floats of backend memory the rows hold (their snapshots). */
  static floats(rows: readonly (WeightTensors | null)[]): number {
    return rows.reduce((n, w) => n + (w?.length ?? 0), 0);
  }

  /**
   * Record r, after backprop and before the update: unless the update took the request, one
   * weightStats read of each row's W, ∂C/∂W and snapshot, and with `changePending` the last update's
   * size into record r − 1 (W has not moved since).
   */
  beforeUpdate(trace: Trace, r: number, changePending: boolean): void {
    this.fromUpdate = this.request.taken;
    this.request.taken = false;
    if (this.fromUpdate) return;
    for (let i = 0; i < this.weights.length; i++) {
      const w = this.weights[i];
      const l = this.rowOf[i];
      this.k.weightStats(this.stats, this.snapshots[i], w.value, w.grad, w.length);
      this.recordGradient(trace, r, l, this.stats, w.length);
      if (changePending) trace.set('updateRatio', r - 1, l, this.ratio(this.stats, trace, r - 1, l));
    }
  }

  /**
   * Record r, after its update: its rows' statistics and update ratio when the update measured them;
   * false when they were not (the change is still to measure, against the snapshots).
   */
  afterUpdate(trace: Trace, r: number): boolean {
    if (!this.fromUpdate) return false;
    this.fromUpdate = false;
    for (let i = 0; i < this.weights.length; i++) {
      const out = this.request.out[i];
      const l = this.rowOf[i];
      this.recordGradient(trace, r, l, out, this.weights[i].length);
      trace.set('updateRatio', r, l, this.ratio(out, trace, r, l));
    }
    return true;
  }

  /** A record the trace dropped (its step not applied): nothing of it is left to record. */
  dropped(): void {
    this.fromUpdate = false;
    this.request.taken = false;
  }

  /** Record r's update ratio, from the change since its weightStats pass (one pass over each snapshot and W). */
  settleChange(trace: Trace, r: number): void {
    for (let i = 0; i < this.weights.length; i++) {
      const w = this.weights[i];
      const l = this.rowOf[i];
      const delta = Math.sqrt(this.k.sumSquaredDifference(this.snapshots[i], w.value, w.length));
      trace.set('updateRatio', r, l, updateRatio(delta, trace.at('weightNorm', r, l)));
    }
  }

  private recordGradient(trace: Trace, r: number, l: number, stats: Float64Array, n: number): void {
    trace.set('weightGradNorm', r, l, Math.sqrt(stats[WEIGHT_STAT.gradSquares]));
    trace.set('weightGradMeanAbs', r, l, stats[WEIGHT_STAT.gradAbs] / n);
    trace.set('weightGradMaxAbs', r, l, stats[WEIGHT_STAT.gradMaxAbs]);
    trace.set('weightNorm', r, l, Math.sqrt(stats[WEIGHT_STAT.weightSquares]));
  }

  /** ‖ΔW‖/‖W‖ of record `r`'s update, its change in `stats` and its ‖W‖ in the trace. */
  private ratio(stats: Float64Array, trace: Trace, r: number, l: number): number {
    return updateRatio(Math.sqrt(stats[WEIGHT_STAT.changeSquares]), trace.at('weightNorm', r, l));
  }
}
