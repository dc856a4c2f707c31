/**
 * The SGD update (momentum, L2 weight decay) on every backend against the float64 oracle; the
 * wasm variants must agree bit for bit, as they run the same f32 operations.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { Rng } from '../../src/init/rng.js';
import type { WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { CANARY } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];

/** tensorOf for a wasm backend, typed so that its pointer can be used. */


interface Step {
  w: Float32Array;
  v: Float32Array;
  g: Float32Array;
  learningRate: number;
  momentum: number;
  weightDecay: number;
}

function randomStep(rng: Rng, n: number): Step {
  const f = Math.fround;
  return {
    w: Float32Array.from({ length: n }, () => rng.normal()),
    v: Float32Array.from({ length: n }, () => 0.1 * rng.normal()),
    g: Float32Array.from({ length: n }, () => 0.1 * rng.normal()),
    learningRate: f(0.001 + 0.5 * rng.uniform()),
    momentum: rng.below(4) === 0 ? 0 : f(0.5 + 0.49 * rng.uniform()),
    weightDecay: rng.below(4) === 0 ? 0 : f(1e-4 * (1 + 100 * rng.uniform())),
  };
}

/** Runs one update; returns the new w and v (and checks the canaries after each). */
function update(k: Kernels, s: Step, label: string): { w: Float64Array; v: Float64Array } {
  const n = s.w.length;
  const wt = tensorOf(k, [...s.w, CANARY]);
  const vt = tensorOf(k, [...s.v, CANARY]);
  const gt = tensorOf(k, s.g);
  k.sgdUpdate(wt, vt, gt, n, s.learningRate, s.momentum, s.weightDecay);
  const [w, v] = [wt, vt].map((t) => {
    const view = k.view(t);
    expect(view[n], `${label}: canary`).toBe(CANARY);
    return Float64Array.from(view.subarray(0, n));
  });
  for (const t of [wt, vt, gt]) k.free(t);
  return { w, v };
}

describe.each(backends)('$name', ({ kernels: k }) => {
  it('sgdUpdate matches the float64 oracle for n = 0..300', () => {
    const rng = new Rng(30);
    for (let n = 0; n <= 300; n++) {
      const step = randomStep(rng, n);
      const label = `${k.name} sgd n=${n}`;
      const got = update(k, step, label);
      const expected = update(oracle, step, 'oracle');
      expectClose(got.v, expected.v, { rel: 1e-6, scale: 0.1 }, `${label} v`);
      expectClose(got.w, expected.w, { rel: 1e-6, scale: 1 }, `${label} w`);
    }
  });

  it('without momentum or decay, v is the gradient and w −= lr·g', () => {
    const step = { ...randomStep(new Rng(31), 9), momentum: 0, weightDecay: 0 };
    const { w, v } = update(k, step, k.name);
    expect(Array.from(v)).toEqual(Array.from(step.g));
    expectClose(w, Array.from(step.w, (wi, i) => wi - step.learningRate * step.g[i]), { rel: 1e-6, scale: 1 }, 'w');
  });
});

describe('the wasm variants', () => {
  it('agree bit for bit, also through pointers that are only 4-byte aligned', () => {
    const rng = new Rng(32);
    for (const n of [1, 3, 4, 7, 64, 301]) {
      const step = randomStep(rng, n);
      const [first, ...others] = wasmBackends.map(({ kernels: k }) => update(k, step, k.name));
      for (const other of others) expect(other).toEqual(first);
      for (const { kernels: k } of wasmBackends) {
        const [wt, vt, gt] = [step.w, step.v, step.g].map((x) => wasmTensorOf(k, [CANARY, ...x, CANARY]));
        k.module.f32_sgd_update(wt.ptr + 4, vt.ptr + 4, gt.ptr + 4, n, step.learningRate, step.momentum, step.weightDecay);
        expect(Array.from(k.view(wt)), `${k.name} unaligned w`).toEqual([CANARY, ...first.w, CANARY]);
        expect(Array.from(k.view(vt)), `${k.name} unaligned v`).toEqual([CANARY, ...first.v, CANARY]);
        for (const t of [wt, vt, gt]) k.free(t);
      }
    }
  });
});
