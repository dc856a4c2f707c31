/**
 * sampleTargets (K-FAC's draw from the predictive distribution) on every backend against the
 * float64 oracle, bit for bit (the decisions and the one f32 add are exact): odd and aligned sizes,
 * canaries after the output, an unaligned pointer for wasm; and the draws have the right law.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Loss } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, CHECKED_SUFFIX, kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const SHAPES = [
  [1, 1], [1, 3], [2, 4], [3, 5], [4, 8], [5, 10], [7, 13], [16, 16], [3, 67],
];

/** Probabilities in f32: softmax rows for cross-entropy, sigmoids for BCE, any outputs for MSE. */
function outputs(rng: Rng, loss: Loss, batch: number, n: number): Float32Array {
  const a = new Float32Array(batch * n);
  for (let r = 0; r < batch; r++) {
    const row = Array.from({ length: n }, () => Math.exp(2 * rng.normal()));
    const sum = row.reduce((s, v) => s + v, 0);
    for (let j = 0; j < n; j++) {
      a[r * n + j] = loss === 'cross-entropy' ? row[j] / sum : loss === 'binary-cross-entropy' ? 1 / (1 + Math.exp(-rng.normal())) : rng.normal();
    }
  }
  return a;
}

function noise(rng: Rng, loss: Loss, batch: number, n: number): Float32Array {
  const count = loss === 'cross-entropy' ? batch : batch * n;
  return Float32Array.from({ length: count }, () => (loss === 'mse' ? rng.normal() : rng.uniform()));
}

const LOSSES_UNDER_TEST: Loss[] = ['cross-entropy', 'binary-cross-entropy', 'mse'];

describe.each(backends)('sampleTargets on $name', ({ name, kernels: k }) => {
  it.each(LOSSES_UNDER_TEST)('%s: the same draw as the float64 oracle, canaries intact', (loss) => {
    const rng = new Rng(11);
    for (const [batch, n] of SHAPES) {
      const a = outputs(rng, loss, batch, n);
      const u = noise(rng, loss, batch, n);
      const want = oracle.alloc(batch * n);
      oracle.sampleTargets(loss, want, tensorOf(oracle, a), tensorOf(oracle, u), batch, n);
      const y = guarded(k, new Float32Array(batch * n).fill(-5));
      k.sampleTargets(loss, y, tensorOf(k, a), tensorOf(k, u), batch, n);
      const got = readGuarded(k, y, batch * n, `${loss} ${batch}×${n}`);
      const exact = Float64Array.from(oracle.view(want), (v) => Math.fround(v));
      expectClose(got, exact, { rel: 0 }, `${loss} ${batch}×${n}`);
    }
  });

  it('works from an unaligned pointer (wasm)', () => {
    if (!k.name.startsWith('wasm') || name.endsWith(CHECKED_SUFFIX)) return; // a checked backend refuses the shifted handles
    const w = k as WasmKernels;
    const rng = new Rng(12);
    for (const loss of LOSSES_UNDER_TEST) {
      const [batch, n] = [3, 7];
      const a = outputs(rng, loss, batch, n);
      const u = noise(rng, loss, batch, n);
      const want = oracle.alloc(batch * n);
      oracle.sampleTargets(loss, want, tensorOf(oracle, a), tensorOf(oracle, u), batch, n);
      const shift = (t: WasmTensor, by: number): WasmTensor => ({ ptr: t.ptr + 4 * by, length: t.length - by });
      const [yBlock, aBlock, uBlock] = [batch * n + 1, batch * n + 1, batch * n + 1].map((len) => w.alloc(len));
      const aShifted = shift(aBlock, 1);
      const uShifted = shift(uBlock, 1);
      w.write(aShifted, a);
      w.write(uShifted, u);
      const y = shift(yBlock, 1);
      w.sampleTargets(loss, y, aShifted, uShifted, batch, n);
      expectClose(w.view(y).subarray(0, batch * n), Float64Array.from(oracle.view(want), (v) => Math.fround(v)), { rel: 0 }, `${loss} unaligned`);
    }
  });
});

describe('sampleTargets draws from the predictive distribution (oracle)', () => {
  const draws = 20000;
  it('cross-entropy: one-hot rows whose class frequencies match the softmax', () => {
    const rng = new Rng(3);
    const p = [0.1, 0.0, 0.6, 0.3];
    const a = Float64Array.from({ length: draws * 4 }, (_, i) => p[i % 4]);
    const u = Float64Array.from({ length: draws }, () => rng.uniform());
    const y = oracle.alloc(draws * 4);
    oracle.sampleTargets('cross-entropy', y, tensorOf(oracle, a), tensorOf(oracle, u), draws, 4);
    const v = oracle.view(y);
    const counts = [0, 0, 0, 0];
    for (let r = 0; r < draws; r++) {
      expect(v[r * 4] + v[r * 4 + 1] + v[r * 4 + 2] + v[r * 4 + 3]).toBe(1);
      for (let j = 0; j < 4; j++) counts[j] += v[r * 4 + j];
    }
    // 4.5 standard errors of a binomial frequency: fails only on a wrong law.
    counts.forEach((c, j) => expect(Math.abs(c / draws - p[j])).toBeLessThanOrEqual(4.5 * Math.sqrt((p[j] * (1 - p[j])) / draws) + 1e-12));
    expect(counts[1]).toBe(0);
  });

  it('cross-entropy: a row whose f32 sum rounds below u takes the last possible class', () => {
    const y = oracle.alloc(3);
    oracle.sampleTargets('cross-entropy', y, tensorOf(oracle, [0.5, 0.49999, 0]), tensorOf(oracle, [0.999995]), 1, 3);
    expect(Array.from(oracle.view(y))).toEqual([0, 1, 0]);
  });

  it('binary-cross-entropy: ones with frequency a; mse: mean a and unit variance', () => {
    const rng = new Rng(4);
    const a = Float64Array.from({ length: draws }, () => 0.3);
    const u = Float64Array.from({ length: draws }, () => rng.uniform());
    const y = oracle.alloc(draws);
    oracle.sampleTargets('binary-cross-entropy', y, tensorOf(oracle, a), tensorOf(oracle, u), draws, 1);
    const ones = Array.from(oracle.view(y)).reduce((s, v) => s + v, 0);
    expect(Math.abs(ones / draws - 0.3)).toBeLessThan(4.5 * Math.sqrt(0.21 / draws));
    const normals = Float64Array.from({ length: draws }, () => rng.normal());
    oracle.sampleTargets('mse', y, tensorOf(oracle, a), tensorOf(oracle, normals), draws, 1);
    const values = Array.from(oracle.view(y));
    const mean = values.reduce((s, v) => s + v, 0) / draws;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / draws;
    expect(Math.abs(mean - 0.3)).toBeLessThan(4.5 / Math.sqrt(draws));
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
