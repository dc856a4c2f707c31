/**
 * The statistics both recorders take the same way from a layer's tensors: activation moments, the
 * 98th percentile, saturation or inactivity and σ' (one activationStats pass, plus a histogram pass
 * on refresh), the histogram of a layer's δ, and the batch's accuracy and whether its targets were one-hot. Buffers are the recorder's,
 * allocated once.
 */
import { ACTIVATION_STAT, ACTIVATION_STAT_COUNT, type Kernels, type OutputActivation, type Tensor } from '../kernels.js';
import { predictedClass } from '../model.js';
import { isOneHotRow } from '../data/one-hot.js';
import { GRADIENT_BINS, isElementwise, isReluFamily, isSaturating, PERCENTILE, PERCENTILE_BINS, primeThreshold } from './metrics.js';
import type { GradientHistogram, Trace } from './trace.js';

/** Elements of the `counts` tensor LayerStatistics needs. */
export const COUNT_BINS = Math.max(PERCENTILE_BINS, GRADIENT_BINS);

export class LayerStatistics {
  private readonly stats = new Float64Array(ACTIVATION_STAT_COUNT);

  /** `alive`: as many elements as the widest layer; `counts`: COUNT_BINS. */
  constructor(
    private readonly k: Kernels,
    private readonly alive: Tensor,
    private readonly counts: Tensor,
  ) {}

  /** Records layer l's activation moments, 98th percentile (on refresh), saturation or inactivity, and σ', from z and a = f(z) of `batch` rows of n units. */
  activations(trace: Trace, r: number, l: number, f: OutputActivation, z: Tensor, a: Tensor, batch: number, n: number, refresh: boolean): void {
    const { k, stats } = this;
    const count = batch * n;
    const elementwise = isElementwise(f);
    k.activationStats(stats, this.alive, elementwise ? f : 'linear', z, a, batch, n, elementwise ? primeThreshold(f) : 0);
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

  /**
   * Adds to `h` the counts of the n values of δ over ± their largest |δ| (δ all 0 gets ±0 and every
   * count in the middle bin, as do δ that float32 holds as 0, below 1.4e-45 on the float64 backend,
   * since the histogram bins in float32; no δ, ±0 and no counts); false if δ is not finite.
   */
  deltaHistogram(h: GradientHistogram, delta: Tensor | null, n: number): boolean {
    const k = this.k;
    const largest = delta === null ? 0 : k.maxAbs(delta, n);
    if (!Number.isFinite(largest)) return false;
    k.zero(this.counts, GRADIENT_BINS);
    // The kernel bins in float32, where ±largest must stay a range (float64 holds δ of 2.5e-61).
    const binned = Math.fround(largest) > 0;
    if (binned) k.histogram(this.counts, delta!, n, -largest, largest, GRADIENT_BINS);
    const layerCounts = Float64Array.from(k.view(this.counts).subarray(0, GRADIENT_BINS));
    if (!binned) layerCounts[GRADIENT_BINS >> 1] = delta === null ? 0 : n;
    h.lo.push(-largest);
    h.hi.push(largest);
    h.counts.push(layerCounts);
    return true;
  }
}

/** Fraction of the `batch` rows of `output` (n per row) whose class is the target's. */
export function batchAccuracy(k: Kernels, output: Tensor, targets: Tensor, n: number, batch: number): number {
  const a = k.view(output);
  const y = k.view(targets);
  let correct = 0;
  for (let r = 0; r < batch; r++) if (predictedClass(a, r * n, n) === predictedClass(y, r * n, n)) correct++;
  return correct / batch;
}

/** Whether each of the `batch` rows of `targets` (n per row) is one-hot (isOneHotRow). */
function oneHotRows(k: Kernels, targets: Tensor, n: number, batch: number): boolean {
  const y = k.view(targets);
  for (let r = 0; r < batch; r++) if (!isOneHotRow(y, r * n, (r + 1) * n)) return false;
  return true;
}

/**
 * Records in the trace whether the targets were one-hot (TraceRun.targets) after record r: set at
 * the first record where its batch's rows are, kept only while every later traced batch's are too.
 */
export function noteTargets(trace: Trace, r: number, k: Kernels, targets: Tensor, n: number, batch: number): void {
  if (r > 0 && trace.run.targets !== 'one-hot') return;
  if (oneHotRows(k, targets, n, batch)) trace.run.targets = 'one-hot';
  else delete trace.run.targets;
}
