// docs/curvature.md's "Accuracy (measured)" gives the largest errors measured against a dense float64
// eigendecomposition (Jacobi) of the explicit matrices, on three small networks. test/curvature/spectrum
// bounds such errors (1e-6 and 1e-2 of max|λ|) and prints none; the table's numbers stood on rows a run
// of 2026-11-30 did not record. Here the page's set-up is built from its words, measured again on the
// ref and wasm-simd backends (about 10 s of CPU time), and every cell compared at the page's digits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureReport } from '../../src/curvature/curvature.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { Rng } from '../../src/init/rng.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { explicitMatrix, jacobiEigenvalues } from '../util/jacobi.js';
import { tableStarting } from '../util/markdown-tables.js';
import { asWritten, pageProse } from '../util/page-numbers.js';

const DOC = { file: 'docs/curvature.md', text: readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8') };

const ROWS = 24;
const K = 5;
/** The page's networks, each by the words its row names it with. */
const NETWORKS: { named: string; options: NetworkOptions }[] = [
  { named: 'tanh, softmax + cross-entropy', options: { sizes: [10, 12, 8, 3], activation: 'tanh', loss: 'cross-entropy' } },
  { named: 'sigmoid, binary cross-entropy', options: { sizes: [8, 10, 10, 4], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy' } },
  { named: 'relu, linear + MSE', options: { sizes: [9, 12, 9, 2], activation: 'relu', output: 'linear', loss: 'mse' } },
];

/** The page's rows: normal inputs, then the targets (one-hot labels, 0 or 1 per output, or normal), from Rng(1). */
function rowsOf(options: NetworkOptions): { x: number[][]; y: number[][] } {
  const rng = new Rng(1);
  const [inputs, outputs] = [options.sizes![0], options.sizes!.at(-1)!];
  const x = Array.from({ length: ROWS }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = Array.from({ length: ROWS }, () => {
    if (options.loss === 'cross-entropy') {
      const label = rng.below(outputs);
      return Array.from({ length: outputs }, (_, j) => (j === label ? 1 : 0));
    }
    return Array.from({ length: outputs }, () => (options.loss === 'binary-cross-entropy' ? rng.below(2) : rng.normal()));
  });
  return { x, y };
}

interface Spectrum {
  /** Every eigenvalue, ascending. */
  values: Float64Array;
  trace: number;
}
const spectrumOf = (matrix: Float64Array[]): Spectrum => ({ values: jacobiEigenvalues(matrix), trace: matrix.reduce((sum, column, i) => sum + column[i], 0) });
const blockOf = (matrix: Float64Array[], offset: number, length: number) => matrix.slice(offset, offset + length).map((column) => column.slice(offset, offset + length));

/** The largest error of the values reported (k at each end given, and the trace) over max|λ| of the matrix. */
function relativeError(got: { largest: number[]; smallest?: number[]; trace: number }, want: Spectrum): number {
  const n = want.values.length;
  const errors = [
    Math.abs(got.trace - want.trace),
    ...got.largest.map((value, i) => Math.abs(value - want.values[n - 1 - i])),
    ...(got.smallest ?? []).map((value, i) => Math.abs(value - want.values[i])),
  ];
  return Math.max(...errors) / Math.max(Math.abs(want.values[0]), Math.abs(want.values[n - 1]));
}

describe("docs/curvature.md's measured accuracy table, measured again", () => {
  it('states the set-up this test builds', () => {
    expect(pageProse(DOC.file)).toContain("on three networks (seed 1; 24 rows from gradscope's `Rng(1)`, their normal inputs, then their targets: one-hot labels, 0 or 1 per output for binary cross-entropy, normal for MSE), k = 5 at each end of H and the 5 largest of G (its smallest are not reported), and each trace, the whole network and each layer, each error over max|λ| of its matrix (λ_max and λ_min: the whole network's H;");
  });

  it('gives each network its parameters, its whole Hessian\'s extreme eigenvalues and the largest errors on ref and wasm-simd', { timeout: 300_000 }, async () => {
    const table = tableStarting(DOC, '| network (parameters) | λ_max | λ_min | ref | wasm-simd |');
    expect(table.header).toEqual(['network (parameters)', 'λ_max', 'λ_min', 'ref', 'wasm-simd']);
    expect(table.rows.length).toBe(NETWORKS.length);
    for (const [i, { named, options }] of NETWORKS.entries()) {
      const { x, y } = rowsOf(options);
      const oracleNet = await createNetwork({ ...options, seed: 1, backend: 'ref' });
      const ops = new CurvatureOperators(oracleNet, x, y);
      const [hessian, gaussNewton] = [explicitMatrix(ops.hessian, ops.size), explicitMatrix(ops.gaussNewton, ops.size)];
      const want = {
        hessian: spectrumOf(hessian),
        gaussNewton: spectrumOf(gaussNewton),
        layers: ops.blocks.map((b) => ({ hessian: spectrumOf(blockOf(hessian, b.offset, b.length)), gaussNewton: spectrumOf(blockOf(gaussNewton, b.offset, b.length)) })),
      };
      const parameters = ops.size;
      ops.dispose();
      oracleNet.dispose();
      const largestError = (report: CurvatureReport) =>
        Math.max(
          relativeError(report.hessian!, want.hessian),
          relativeError(report.gaussNewton, want.gaussNewton),
          ...report.layers.flatMap((layer, l) => [relativeError(layer.hessian!, want.layers[l].hessian), relativeError(layer.gaussNewton, want.layers[l].gaussNewton)]),
        );
      const errors: number[] = [];
      for (const backend of ['ref', 'wasm'] as const) {
        const net = await createNetwork({ ...options, seed: 1, backend });
        try {
          expect(net.kernels.name).toBe(backend === 'ref' ? 'ref' : 'wasm-simd');
          errors.push(largestError(measureCurvature(net, x, y, { k: K })));
        } finally {
          net.dispose();
        }
      }
      const [network, largest, smallest, ref, wasm] = table.rows[i];
      expect(network).toBe(`[${options.sizes!.join(',')}] ${named} (${parameters})`);
      const values = want.hessian.values;
      expect([largest, smallest], network).toEqual([asWritten(largest, values[values.length - 1]), asWritten(smallest, values[0])]);
      expect([ref, wasm], network).toEqual([asWritten(ref, errors[0]), asWritten(wasm, errors[1])]);
    }
  });
});
