/**
 * A float64 oracle for K-FAC's factors, independent of the kernels: a plain forward and backward
 * pass of a small sigmoid-hidden network, targets drawn from its predictive distribution with a copy
 * of the network's Rng (the draw order K-FAC documents), and E[ā āᵀ], E[g gᵀ] by explicit sums.
 */
import type { Rng } from '../../src/init/rng.js';
import type { Loss, OutputActivation } from '../../src/kernels.js';

export interface Layers {
  /** weights[l][out][in], biases[l][out]. */
  weights: number[][][];
  biases: number[][];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Activations per layer (input first) and pre-activations; hidden layers sigmoid. */
export function forward(p: Layers, x: number[], output: OutputActivation): { as: number[][]; zs: number[][] } {
  const as = [x];
  const zs: number[][] = [];
  p.weights.forEach((w, l) => {
    const z = w.map((row, j) => row.reduce((s, wji, i) => s + wji * as[l][i], p.biases[l][j]));
    zs.push(z);
    const last = l === p.weights.length - 1;
    let a: number[];
    if (!last || output === 'sigmoid') a = z.map(sigmoid);
    else if (output === 'softmax') {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((s, v) => s + v, 0);
      a = e.map((v) => v / sum);
    } else if (output === 'tanh') a = z.map(Math.tanh);
    else a = [...z];
    as.push(a);
  });
  return { as, zs };
}

/** Per-sample ∂loss/∂z of every layer for targets y (not divided by the batch). */
export function backward(p: Layers, as: number[][], y: number[], loss: Loss, output: OutputActivation): number[][] {
  const L = p.weights.length;
  const out = as[L];
  const prime = output === 'tanh' ? out.map((a) => 1 - a * a) : output === 'sigmoid' ? out.map((a) => a * (1 - a)) : out.map(() => 1);
  const gs: number[][] = new Array(L);
  gs[L - 1] = out.map((a, j) => (a - y[j]) * (loss === 'mse' ? prime[j] : 1));
  for (let l = L - 1; l > 0; l--) {
    gs[l - 1] = as[l].map((a, i) => p.weights[l].reduce((s, row, j) => s + row[i] * gs[l][j], 0) * a * (1 - a));
  }
  return gs;
}

/** Targets drawn as K-FAC draws them: one uniform per row (softmax), per output (sigmoid) or a normal per output (mse). */
export function drawTargets(outputs: number[][], loss: Loss, rng: Rng): number[][] {
  return outputs.map((a) => {
    if (loss === 'cross-entropy') {
      const u = rng.uniform();
      let cumulative = 0;
      let chosen = -1;
      a.forEach((p, j) => {
        cumulative += p;
        if (chosen < 0 && u < cumulative) chosen = j;
      });
      if (chosen < 0) chosen = a.length - 1;
      return a.map((_, j) => (j === chosen ? 1 : 0));
    }
    if (loss === 'binary-cross-entropy') return a.map((p) => (rng.uniform() < p ? 1 : 0));
    return a.map((p) => p + rng.normal());
  });
}

/** (1/n)·Σ v vᵀ over the rows, row-major. */
export function secondMoment(rows: number[][]): number[] {
  const d = rows[0].length;
  const m = new Array(d * d).fill(0);
  for (const v of rows) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j] += (v[i] * v[j]) / rows.length;
  return m;
}

/** E[ā āᵀ] and E[g gᵀ] of every layer for this batch and this draw of targets. */
export function explicitFactors(p: Layers, x: number[][], loss: Loss, output: OutputActivation, rng: Rng): { a: number[]; g: number[] }[] {
  const passes = x.map((row) => forward(p, row, output));
  const targets = drawTargets(passes.map((f) => f.as[f.as.length - 1]), loss, rng);
  const gradients = passes.map((f, r) => backward(p, f.as, targets[r], loss, output));
  return p.weights.map((_, l) => ({
    a: secondMoment(passes.map((f) => [...f.as[l], 1])),
    g: secondMoment(gradients.map((gs) => gs[l])),
  }));
}
