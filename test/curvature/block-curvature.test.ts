/**
 * Curvature instruments on block networks (batch and layer norm, residual blocks, activation
 * layers): the Gauss-Newton operator through the layers' R-operator (its products are checked
 * against finite differences in test/layers/gauss-newton.test.ts), Lanczos and the trace against a
 * dense float64 eigendecomposition of that operator, per parameterised layer too; no exact Hessian.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { Rng } from '../../src/init/rng.js';
import type { Loss } from '../../src/kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { explicitMatrix, jacobiEigenvalues } from '../util/jacobi.js';

const K = 3;

/** Block networks of 60–200 parameters: every layer type, both gates, every loss. */
const NETWORKS: { inputs: number; loss: Loss; layers: LayerSpec[] }[] = [
  {
    inputs: 4, loss: 'cross-entropy', layers: [
      { type: 'dense', units: 6, activation: 'tanh' }, { type: 'batch-norm' },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 6, activation: 'selu' }, { type: 'layer-norm' }] },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    inputs: 3, loss: 'mse', layers: [
      { type: 'layer-norm' }, { type: 'dense', units: 5, activation: 'softsign' },
      { type: 'residual', layers: [{ type: 'batch-norm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 5 }] },
      { type: 'dense', units: 2, activation: 'linear' },
    ],
  },
  {
    inputs: 3, loss: 'binary-cross-entropy', layers: [
      { type: 'dense', units: 5, activation: 'leaky-relu' }, { type: 'activation', activation: 'sigmoid' }, { type: 'batch-norm' },
      { type: 'dense', units: 2, activation: 'sigmoid' },
    ],
  },
];

function dataFor(rng: Rng, inputs: number, outputs: number, loss: Loss, rows = 9) {
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = x.map(() => Array.from({ length: outputs }, () => (loss === 'mse' ? rng.normal() : loss === 'cross-entropy' ? 0 : rng.uniform())));
  if (loss === 'cross-entropy') y.forEach((row) => (row[rng.below(outputs)] = 1));
  return { x, y };
}

/** Rezero gates start at 0 (no curvature reaches their branch): open them. */
function openGates(net: Network): void {
  for (const p of net.parameters()) if (p.name.endsWith('alpha')) net.kernels.write(p.value, [0.7]);
}

describe.each(['ref', 'wasm'] as const)('curvature of block networks on %s', (backend) => {
  const tolerance = backend === 'ref' ? 1e-6 : 1e-2;

  it.each(NETWORKS.map((n, i) => ({ ...n, i })))(`Gauss-Newton: extreme eigenvalues and traces within ${tolerance} of max|λ|, whole and per layer; no Hessian (network %#)`, async ({ inputs, loss, layers, i }) => {
    const net = await createNetwork({ inputs, loss, layers, backend, seed: 7 + i });
    openGates(net);
    const { x, y } = dataFor(new Rng(i), inputs, net.outputSize, loss);
    const oracle = await createNetwork({ inputs, loss, layers, backend: 'ref', seed: 7 + i });
    openGates(oracle);
    const ops = new CurvatureOperators(oracle, x, y);
    expect(ops.hessian).toBeNull();
    const g = explicitMatrix(ops.gaussNewton, ops.size);
    for (let r = 0; r < ops.size; r++) for (let c = 0; c < r; c++) expect(Math.abs(g[r][c] - g[c][r])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(g[r][c])));
    const blocks = ops.blocks.map((b) => ({ ...b, values: jacobiEigenvalues(g.slice(b.offset, b.offset + b.length).map((col) => col.slice(b.offset, b.offset + b.length))) }));
    const values = jacobiEigenvalues(g);
    ops.dispose();
    oracle.dispose();

    const report = measureCurvature(net, x, y, { k: K });
    expect(report.hessian).toBeNull();
    expect(report.parameters).toBe(net.parameterCount);
    const check = (got: { largest: number[]; trace: number }, want: Float64Array, label: string) => {
      const n = want.length;
      const top = Math.max(Math.abs(want[0]), Math.abs(want[n - 1]), 1e-300);
      expect(want[0], `${label}: G is PSD`).toBeGreaterThanOrEqual(-1e-9 * top);
      got.largest.forEach((lambda, j) => expect(Math.abs(lambda - want[n - 1 - j]) / top, `${label}: λ${j} ${lambda} vs ${want[n - 1 - j]}`).toBeLessThanOrEqual(tolerance));
      const trace = want.reduce((s, v) => s + v, 0);
      expect(Math.abs(got.trace - trace) / top, `${label}: trace ${got.trace} vs ${trace}`).toBeLessThanOrEqual(tolerance);
    };
    check(report.gaussNewton, values, 'whole network');
    expect(report.layers.map((l) => l.module)).toEqual(blocks.map((b) => b.module));
    report.layers.forEach((layer, l) => {
      expect(layer.hessian).toBeNull();
      expect(layer.parameters).toBe(blocks[l].length);
      check(layer.gaussNewton, blocks[l].values, `module ${layer.module}`);
    });
    expect(report.layers.reduce((s, l) => s + l.parameters, 0)).toBe(net.parameterCount);
    net.dispose();
  });
});

describe('curvature of block networks: names and the table', () => {
  it("gives each parameterised layer's block its PyTorch module, and prints Gauss-Newton rows only", async () => {
    const { inputs, loss, layers } = NETWORKS[0];
    const net = await createNetwork({ inputs, loss, layers, backend: 'ref', seed: 1 });
    openGates(net);
    const { x, y } = dataFor(new Rng(1), inputs, net.outputSize, loss);
    const report = measureCurvature(net, x, y, { k: 2 });
    // dense 0 (+ its activation 1), batch norm 2, residual 3 (α, then branch 0 dense, branch 2 layer norm), dense 4
    expect(report.layers.map((l) => l.module)).toEqual(['0', '2', '3', '3.branch.0', '3.branch.2', '4']);
    const table = curvatureTable(report);
    expect(table).toMatch(/Gauss-Newton matrix only/);
    expect(table).toMatch(/module 3\.branch\.0 \(42\) G/);
    expect(table).not.toMatch(/Hessian\s/);
    net.dispose();
  });
});
