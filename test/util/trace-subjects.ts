/**
 * Small networks for the per-layer trace tests (test/curvature/*layer-matrix-trace.test.ts): a deep
 * sigmoid chain like the reported [784,30,30,30,30,10] and the block-stack cases with more than one
 * parameterised layer, each small enough for its explicit matrices; and the float64 oracles of a
 * layer's block trace.
 */
import { createNetwork, type Network } from '../../src/api/network.js';
import type { LinearOperator, ParameterBlock } from '../../src/curvature/operators.js';
import { Rng } from '../../src/init/rng.js';
import { fixedCases } from './block-stacks.js';

export interface TraceSubject {
  name: string;
  make: (backend: 'ref' | 'wasm') => Promise<{ net: Network; x: number[][]; y: number[][] }>;
}

/** A deep sigmoid chain like the reported [784,30,30,30,30,10], small enough for the explicit matrices. */
export const deepSigmoid: TraceSubject = {
  name: 'dense [8,5,5,5,5,3] sigmoid, softmax + cross-entropy',
  make: async (backend) => {
    const rng = new Rng(11);
    const net = await createNetwork({ sizes: [8, 5, 5, 5, 5, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', backend, seed: 3 });
    const x = Array.from({ length: 12 }, () => Array.from({ length: 8 }, () => rng.normal()));
    const y = x.map(() => {
      const label = rng.below(3);
      return [0, 1, 2].map((j) => (j === label ? 1 : 0)); // one-hot (a draw per class gave rows of zeros, or two ones)
    });
    return { net, x, y };
  },
};

/** The block-stack cases with more than one parameterised layer (batch and layer norm, residual blocks, ReZero). */
export const blockSubjects: TraceSubject[] = fixedCases(new Rng(21)).slice(0, 5).map((c, i) => ({
  name: `block case ${i} (${c.loss}) ${JSON.stringify(c.specs)}`,
  make: async (backend) => {
    const net = await createNetwork({ inputs: c.inputs, loss: c.loss, layers: c.specs, backend, seed: 5 + i });
    const alphas = net.parameters().filter((p) => p.name.endsWith('alpha'));
    alphas.forEach((p, j) => net.kernels.write(p.value, [c.alphas[j]]));
    const rows = (flat: Float64Array) => Array.from({ length: c.batch }, (_, r) => Array.from(flat.subarray((r * flat.length) / c.batch, ((r + 1) * flat.length) / c.batch)));
    return { net, x: rows(c.x), y: rows(c.y) };
  },
}));

/** Each block's trace Σ_{i∈block} e_iᵀ·A·e_i of an operator, by n products (the explicit diagonal). */
export function explicitBlockTraces(operator: LinearOperator, n: number, blocks: readonly ParameterBlock[]): number[] {
  const e = new Float64Array(n);
  const column = new Float64Array(n);
  const diagonal = Float64Array.from({ length: n }, (_, i) => {
    e.fill(0);
    e[i] = 1;
    operator(column, e);
    return column[i];
  });
  return blocks.map((b) => diagonal.subarray(b.offset, b.offset + b.length).reduce((s, d) => s + d, 0));
}
