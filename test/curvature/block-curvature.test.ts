/**
 * Curvature instruments on block networks (batch and layer norm, residual blocks, activation
 * layers): the exact Hessian and the Gauss-Newton operator through the layers' R-operator (their
 * products are checked against finite differences in test/layers/hessian.test.ts and
 * gauss-newton.test.ts), Lanczos and the trace against a dense float64 eigendecomposition of each,
 * per parameterised layer too; on a chain of dense layers the dense network's own H·v.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators, type LinearOperator } from '../../src/curvature/operators.js';
import { Rng } from '../../src/init/rng.js';
import type { Loss } from '../../src/kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { relativeError } from '../util/close.js';
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

  it.each(NETWORKS.map((n, i) => ({ ...n, i })))(`Hessian and Gauss-Newton: extreme eigenvalues and traces within ${tolerance} of max|λ|, whole and per layer (network %#)`, async ({ inputs, loss, layers, i }) => {
    const net = await createNetwork({ inputs, loss, layers, backend, seed: 7 + i });
    openGates(net);
    const { x, y } = dataFor(new Rng(i), inputs, net.outputSize, loss);
    const oracle = await createNetwork({ inputs, loss, layers, backend: 'ref', seed: 7 + i });
    openGates(oracle);
    const ops = new CurvatureOperators(oracle, x, y);
    const spectra = (operator: LinearOperator) => {
      const m = explicitMatrix(operator, ops.size);
      for (let r = 0; r < ops.size; r++) for (let c = 0; c < r; c++) expect(Math.abs(m[r][c] - m[c][r])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(m[r][c])));
      const blocks = ops.blocks.map((b) => jacobiEigenvalues(m.slice(b.offset, b.offset + b.length).map((col) => col.slice(b.offset, b.offset + b.length))));
      return { whole: jacobiEigenvalues(m), blocks };
    };
    const [h, g] = [spectra(ops.hessian), spectra(ops.gaussNewton)];
    const blockLengths = ops.blocks.map((b) => ({ module: b.module, length: b.length }));
    ops.dispose();
    oracle.dispose();

    const report = measureCurvature(net, x, y, { k: K });
    expect(report.parameters).toBe(net.parameterCount);
    const top = (want: Float64Array) => Math.max(Math.abs(want[0]), Math.abs(want[want.length - 1]), 1e-300);
    const checkTrace = (got: { trace: number }, want: Float64Array, label: string) => {
      const trace = want.reduce((sum, v) => sum + v, 0);
      expect(Math.abs(got.trace - trace) / top(want), `${label}: trace ${got.trace} vs ${trace}`).toBeLessThanOrEqual(tolerance);
    };
    const checkG = (got: { largest: number[]; trace: number }, want: Float64Array, label: string) => {
      const n = want.length;
      expect(want[0], `${label}: G is PSD`).toBeGreaterThanOrEqual(-1e-9 * top(want));
      got.largest.forEach((lambda, j) => expect(Math.abs(lambda - want[n - 1 - j]) / top(want), `${label}: λ${j} ${lambda} vs ${want[n - 1 - j]}`).toBeLessThanOrEqual(tolerance));
      checkTrace(got, want, label);
    };
    const checkH = (got: { largest: number[]; smallest: number[]; trace: number }, want: Float64Array, label: string) => {
      const n = want.length;
      got.largest.forEach((lambda, j) => expect(Math.abs(lambda - want[n - 1 - j]) / top(want), `${label}: H λmax${j} ${lambda} vs ${want[n - 1 - j]}`).toBeLessThanOrEqual(tolerance));
      got.smallest.forEach((lambda, j) => expect(Math.abs(lambda - want[j]) / top(want), `${label}: H λmin${j} ${lambda} vs ${want[j]}`).toBeLessThanOrEqual(tolerance));
      checkTrace(got, want, label);
    };
    checkH(report.hessian, h.whole, 'whole network');
    checkG(report.gaussNewton, g.whole, 'whole network');
    // Each network here curves down somewhere: the Hessian is indefinite where G is not.
    expect(h.whole[0]).toBeLessThan(-1e-6 * top(h.whole));
    expect(report.layers.map((l) => l.module)).toEqual(blockLengths.map((b) => b.module));
    report.layers.forEach((layer, l) => {
      expect(layer.parameters).toBe(blockLengths[l].length);
      checkH(layer.hessian, h.blocks[l], `module ${layer.module}`);
      checkG(layer.gaussNewton, g.blocks[l], `module ${layer.module}`);
    });
    expect(report.layers.reduce((s, l) => s + l.parameters, 0)).toBe(net.parameterCount);
    net.dispose();
  });
});

describe('curvature of block networks: names, the table and dense chains', () => {
  it("gives each parameterised layer's block its PyTorch module and its name in the trace tables, and prints Hessian and Gauss-Newton rows by that name", async () => {
    const { inputs, loss, layers } = NETWORKS[0];
    const net = await createNetwork({ inputs, loss, layers, backend: 'ref', seed: 1 });
    openGates(net);
    const { x, y } = dataFor(new Rng(1), inputs, net.outputSize, loss);
    const report = measureCurvature(net, x, y, { k: 2 });
    // dense 0 (+ its activation 1), batch norm 2, residual 3 (α, then branch 0 dense, branch 2 layer norm), dense 4
    expect(report.layers.map((l) => l.module)).toEqual(['0', '2', '3', '3.branch.0', '3.branch.2', '4']);
    // Where each sits in the `layers` above (the residual block is layers[2], its branch's dense layers[2].layers[0]), module, type.
    expect(report.layers.map((l) => l.label)).toEqual([
      "layers[0] ('0', dense)",
      "layers[1] ('2', batch-norm)",
      "layers[2] ('3', residual)",
      "layers[2].layers[0] ('3.branch.0', dense)",
      "layers[2].layers[1] ('3.branch.2', layer-norm)",
      "layers[3] ('4', dense)",
    ]);
    const table = curvatureTable(report);
    expect(table).toMatch(/\nHessian {2,}/);
    expect(table).toContain("\nlayers[2].layers[0] ('3.branch.0', dense) (42) H ");
    expect(table).toContain("\nlayers[2].layers[0] ('3.branch.0', dense) (42) G ");
    expect(table).not.toContain('module ');
    net.dispose();
  });

  it("gives a chain of dense layers (and an identity layer) the dense network's H·v and G·v (ref, float64)", async () => {
    const rng = new Rng(3);
    const hidden = [{ units: 4, activation: 'tanh' as const }, { units: 3, activation: 'selu' as const }];
    for (const [loss, output] of [['mse', 'sigmoid'], ['cross-entropy', 'softmax'], ['binary-cross-entropy', 'sigmoid']] as const) {
      const options = { inputs: 3, loss, backend: 'ref' as const, seed: 4, biasInit: { name: 'normal' as const, std: 0.5 } };
      const dense = await createNetwork({ ...options, layers: [...hidden, { units: 2, activation: output }] });
      // An identity activation layer makes it a block network (dense specs alone build a dense one).
      const blocks = await createNetwork({
        ...options,
        layers: [{ type: 'dense', ...hidden[0] }, { type: 'activation', activation: 'linear' }, { type: 'dense', ...hidden[1] }, { type: 'dense', units: 2, activation: output }],
      });
      expect([dense.kind, blocks.kind]).toEqual(['dense', 'blocks']);
      blocks.parameters().forEach((p, i) => blocks.kernels.write(p.value, dense.kernels.view(dense.parameters()[i].value)));
      const { x, y } = dataFor(rng, 3, 2, loss, 6);
      const [want, got] = [new CurvatureOperators(dense, x, y), new CurvatureOperators(blocks, x, y)];
      const v = Float64Array.from({ length: want.size }, () => rng.normal());
      for (const which of ['hessian', 'gaussNewton'] as const) {
        const [a, b] = [new Float64Array(want.size), new Float64Array(want.size)];
        want[which](a, v);
        got[which](b, v);
        expect(relativeError(b, a), `${loss} ${which}`).toBeLessThanOrEqual(1e-12);
      }
      want.dispose();
      got.dispose();
      dense.dispose();
      blocks.dispose();
    }
  });
});
