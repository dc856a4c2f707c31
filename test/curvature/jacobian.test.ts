// Singular values of the input–output Jacobian against a dense float64 oracle: J by central
// differences of the outputs of linear-output networks (O(STEP²) truncation: 1e-5 relative), σ² as the Jacobi eigenvalues of the
// smaller Gram matrix; an orthogonal deep linear network is exactly isometric (every σ = 1).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS, type Activation } from '../../src/kernels.js';
import { denseModelOf } from '../../src/model.js';
import { jacobiEigenvalues } from '../util/jacobi.js';

/** A power of two, so x ± STEP is exact for the float32 inputs every network stores. */
const STEP = 2 ** -10;

/** J[i][j] = ∂out_i/∂x_j by central differences. */
function jacobian(net: Network, x: number[]): number[][] {
  const columns = x.map((_, j) => {
    const plus = [...x];
    const minus = [...x];
    plus[j] += STEP;
    minus[j] -= STEP;
    const [p, m] = [net.predict([plus])[0], net.predict([minus])[0]];
    return Array.from(p, (v, i) => (v - m[i]) / (2 * STEP));
  });
  return columns[0].map((_, i) => columns.map((column) => column[i]));
}

function singularValues(j: number[][]): Float64Array {
  const [m, n] = [j.length, j[0].length];
  const small = Math.min(m, n);
  const gram = Array.from({ length: small }, (_, a) =>
    Array.from({ length: small }, (_, b) => {
      let s = 0;
      if (m <= n) for (let c = 0; c < n; c++) s += j[a][c] * j[b][c];
      else for (let r = 0; r < m; r++) s += j[r][a] * j[r][b];
      return s;
    }),
  );
  return jacobiEigenvalues(gram).map((lambda) => Math.sqrt(Math.max(lambda, 0)));
}

/** Whether a hidden pre-activation of x lies within 0.01 of a kink (where f' jumps). */
function nearKink(net: Network, activation: Activation, x: number[]): boolean {
  if (!['relu', 'leaky-relu', 'selu'].includes(activation)) return false;
  net.predict([x]);
  const model = denseModelOf(net, 'test');
  return model.zs.slice(0, -1).some((z, l) => Array.from(model.kernels.view(z).subarray(0, net.sizes[l + 1])).some((v) => Math.abs(v) < 0.01));
}

describe('input–output Jacobian spectrum', () => {
  it('matches the singular values of a central-difference Jacobian (ref, every activation)', async () => {
    const rng = new Rng(2);
    for (const activation of ACTIVATIONS) {
      for (const sizes of [[6, 5, 4, 3], [3, 7, 5]]) {
        const net = await createNetwork({ sizes, activation, output: 'linear', loss: 'mse', backend: 'ref', seed: rng.nextU32() });
        const x = [0, 1].map(() => Array.from({ length: sizes[0] }, () => Math.fround(rng.normal())));
        const result = jacobianSpectrum(net, x, { k: 3, examples: 2 });
        expect(result.examples).toHaveLength(2);
        expect(result.singularValues).toBe(3);
        result.examples.forEach((e, row) => {
          // central differences straddling a kink of relu, leaky-relu or selu measure neither slope
          if (nearKink(net, activation, x[row])) return;
          const want = singularValues(jacobian(net, x[row]));
          const top = want[want.length - 1];
          const label = `${activation} ${JSON.stringify(sizes)} row ${row}`;
          e.largest.forEach((s, i) => expect(Math.abs(s - want[want.length - 1 - i]), label).toBeLessThan(1e-5 * top));
          e.smallest.forEach((s, i) => expect(Math.abs(s - want[i]), label).toBeLessThan(1e-5 * top));
          expect(Math.abs(e.meanSquared - want.reduce((a, s) => a + s * s, 0) / want.length), label).toBeLessThan(1e-5 * top * top);
        });
        net.dispose();
      }
    }
  });

  it('an orthogonal linear network is isometric; wasm agrees with ref', async () => {
    const x = [Array.from({ length: 16 }, (_, i) => Math.sin(i))];
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await createNetwork({ sizes: [16, 16, 16, 16], activation: 'linear', output: 'linear', loss: 'mse', init: 'orthogonal', backend, seed: 3 });
      const [e] = jacobianSpectrum(net, x, { k: 16 }).examples;
      // the weights are float32 on every backend: orthonormal to ~1e-7
      for (const s of [...e.largest, ...e.smallest]) expect(s).toBeCloseTo(1, backend === 'ref' ? 6 : 4);
      expect(e.meanSquared).toBeCloseTo(1, backend === 'ref' ? 6 : 4);
      net.dispose();
    }
  });

  it("takes each layer's J·v and Jᵀ·u as one matrix-vector product, no batch kernel; wasm within 1e-6·σ_max of ref on Nielsen's net", async () => {
    // It ran denseForward and denseBackwardInput at batch 1 (a batch tile for one row): 5.24 against
    // 2.34 ms of CPU per call with matVec on this net, 4 rows, k 5 (21 alternating rounds, median
    // ratio 0.54; 2026-12-02 07:57, load 13), the singular values 2.6e-7 and 2.3e-7·σ_max off ref's.
    const sizes = [784, 30, 30, 30, 30, 10];
    const rng = new Rng(5);
    const x = Array.from({ length: 4 }, () => Array.from({ length: 784 }, () => rng.uniform()));
    const ref = await createNetwork({ sizes, activation: 'sigmoid', seed: 1, backend: 'ref' });
    const wasm = await createNetwork({ sizes, activation: 'sigmoid', seed: 1 });
    const calls = { matVec: 0, matVecTransposed: 0, denseForward: 0, denseBackwardInput: 0 };
    const kernels = denseModelOf(wasm, 'test').kernels as unknown as Record<keyof typeof calls, (...args: unknown[]) => void>;
    for (const name of Object.keys(calls) as (keyof typeof calls)[]) {
      const kernel = kernels[name].bind(kernels);
      kernels[name] = (...args: unknown[]) => (calls[name]++, kernel(...args));
    }
    const got = jacobianSpectrum(wasm, x, { k: 5 }).examples;
    const want = jacobianSpectrum(ref, x, { k: 5 }).examples;
    // the network's own forward pass at each row (predict), and no other
    expect(calls.denseForward).toBe((sizes.length - 1) * x.length);
    expect(calls.denseBackwardInput).toBe(0);
    expect(calls.matVec).toBeGreaterThan(0);
    expect(calls.matVecTransposed).toBeGreaterThan(0);
    got.forEach((e, i) => {
      const top = want[i].largest[0];
      [...e.largest, ...e.smallest].forEach((s, j) => expect(Math.abs(s - [...want[i].largest, ...want[i].smallest][j]) / top).toBeLessThan(1e-6));
    });
    ref.dispose();
    wasm.dispose();
  });

  it('bad input: k beyond min(inputs, outputs), non-finite rows, no rows', async () => {
    const net = await createNetwork({ sizes: [4, 3, 2], backend: 'ref' });
    expect(() => jacobianSpectrum(net, [[1, 2, 3, 4]], { k: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => jacobianSpectrum(net, [[1, 2, Number.NaN, 4]])).toThrow(expect.objectContaining({ code: 'NON_FINITE_INPUT' }));
    // No rows: refused, as measureCurvature and gradients refuse them (it gave { examples: [] }, a spectrum of nothing).
    for (const none of [[], { data: new Float32Array(0), rows: 0, cols: 4 }]) {
      expect(() => jacobianSpectrum(net, none)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', message: 'jacobianSpectrum: inputs: no rows; give at least one row to measure ∂z/∂x at' }));
    }
    net.dispose();
    expect(() => jacobianSpectrum(net, [[1, 2, 3, 4]])).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
});
