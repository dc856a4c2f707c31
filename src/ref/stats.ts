/**
 * The reference twins of the gradient-flow statistics kernels (assembly/stats.*.ts): one plain
 * float64 loop per formula, except where the contract fixes f32 arithmetic (histogram bins).
 */
import { GradscopeError } from '../errors.js';
import { ACTIVATION_STAT, WEIGHT_STAT, WEIGHT_STAT_COUNT, type Activation, type FloatArray } from '../kernels.js';
import { activationPrime } from './activations.js';

const f32 = Math.fround;

export const statsKernels = {
  activationStats(
    out: Float64Array, alive: FloatArray, f: Activation, z: FloatArray, a: FloatArray, batch: number, n: number, threshold: number,
  ): void {
    const prime = activationPrime[f];
    alive.fill(0, 0, n);
    let sum = 0;
    let sumSquares = 0;
    let min = Infinity;
    let max = -Infinity;
    let sumPrime = 0;
    let maxPrime = 0;
    let saturated = 0;
    for (let x = 0; x < batch; x++) {
      for (let j = 0; j < n; j++) {
        const i = x * n + j;
        const p = prime(z[i], a[i]);
        sum += a[i];
        sumSquares += a[i] * a[i];
        min = Math.min(min, a[i]);
        max = Math.max(max, a[i]);
        sumPrime += p;
        maxPrime = Math.max(maxPrime, p);
        if (p < threshold) saturated++;
        else if (p >= threshold) alive[j] = 1;
      }
    }
    let aliveUnits = 0;
    for (let j = 0; j < n; j++) aliveUnits += alive[j];
    out[ACTIVATION_STAT.sum] = sum;
    out[ACTIVATION_STAT.sumSquares] = sumSquares;
    out[ACTIVATION_STAT.min] = min;
    out[ACTIVATION_STAT.max] = max;
    out[ACTIVATION_STAT.sumPrime] = sumPrime;
    out[ACTIVATION_STAT.maxPrime] = maxPrime;
    out[ACTIVATION_STAT.saturated] = saturated;
    out[ACTIVATION_STAT.aliveUnits] = aliveUnits;
  },

  histogram(counts: FloatArray, x: FloatArray, n: number, lo: number, hi: number, bins: number): void {
    // In f32, as the contract says, so a value on a bin edge lands in the same bin on every backend.
    if (!(f32(hi) > f32(lo)) || !Number.isInteger(bins) || bins < 1 || bins > counts.length) {
      throw new GradscopeError('INVALID_OPTION', `histogram: needs hi > lo and 1 ≤ bins ≤ ${counts.length}, got lo ${lo}, hi ${hi}, bins ${bins}`);
    }
    const low = f32(lo);
    const scale = f32(bins / f32(f32(hi) - low));
    for (let i = 0; i < n; i++) {
      const v = f32(x[i]);
      if (Number.isNaN(v)) continue;
      const t = f32(f32(v - low) * scale);
      counts[Math.trunc(Math.min(Math.max(t, 0), bins - 1))] += 1;
    }
  },

  sumSquaredDifference(x: FloatArray, y: FloatArray, n: number): number {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (x[i] - y[i]) ** 2;
    return sum;
  },

  weightStats(out: Float64Array, snapshot: FloatArray, w: FloatArray, g: FloatArray, n: number): void {
    out.fill(0, 0, WEIGHT_STAT_COUNT);
    for (let i = 0; i < n; i++) {
      addWeightSums(out, g[i], w[i], w[i] - snapshot[i]);
      snapshot[i] = w[i];
    }
  },

  sgdStepStats(out: Float64Array, w: FloatArray, g: FloatArray, n: number, learningRate: number): void {
    out.fill(0, 0, WEIGHT_STAT_COUNT);
    const alpha = -learningRate;
    for (let i = 0; i < n; i++) {
      const before = w[i];
      w[i] += alpha * g[i]; // axpy's expression: the same values
      addWeightSums(out, g[i], before, w[i] - before);
    }
  },

  sgdUpdateStats(out: Float64Array, w: FloatArray, v: FloatArray, g: FloatArray, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    out.fill(0, 0, WEIGHT_STAT_COUNT);
    for (let i = 0; i < n; i++) {
      const before = w[i];
      // sgdUpdate's expressions (ref-kernels.ts): the same values.
      v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
      w[i] -= learningRate * v[i];
      addWeightSums(out, g[i], before, w[i] - before);
    }
  },
};

/**
 * Adds one weight's terms to weightStats' sums in `out` (zeroed first): the one definition of them
 * that weightStats and the traced updates sgdStepStats and sgdUpdateStats share. `change` is the weight's change since
 * the last measure (weightStats: since the snapshot; sgdStepStats: the update's).
 */
function addWeightSums(out: Float64Array, g: number, w: number, change: number): void {
  out[WEIGHT_STAT.gradSquares] += g * g;
  out[WEIGHT_STAT.gradAbs] += Math.abs(g);
  // A NaN wins, so it is never hidden: once held, no later value replaces it (NaN > x is false).
  if (Math.abs(g) > out[WEIGHT_STAT.gradMaxAbs] || Number.isNaN(g)) out[WEIGHT_STAT.gradMaxAbs] = Math.abs(g);
  out[WEIGHT_STAT.weightSquares] += w * w;
  out[WEIGHT_STAT.changeSquares] += change * change;
}
