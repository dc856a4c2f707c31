/**
 * The optimiser kernels (Nesterov, Adagrad, RMSProp, Adam/AdamW) and the vector kernels (axpy,
 * scale, dot) on every backend against the float64 oracle: odd and aligned sizes, state carried
 * over several steps (and Adam's bias correction at t = 1, 2, 3 and 1000), canaries after every
 * output, and on wasm an unaligned pointer giving the same bits as an aligned one.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();

const SIZES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 63, 64, 65, 1000, 1029];
/**
 * Each result is a sum of f32 terms of magnitude up to a few units (the inputs are N(0, 1)), so
 * its rounding error is relative to that, not to the result, which may cancel to near 0:
 * 2e-6·max(|expected|, 1). The smallest update checked (Adam's, lr 1e-3) is 500× larger.
 */
const TOLERANCE = { rel: 2e-6, scale: 1 };

interface UpdateCase {
  name: string;
  /** State buffers per parameter; `positive` ones start ≥ 0 (running squares). */
  buffers: { positive: boolean }[];
  run(k: Kernels, w: Tensor, state: Tensor[], g: Tensor, n: number, step: number): void;
}

const UPDATES: UpdateCase[] = [
  {
    name: 'sgdUpdate',
    buffers: [{ positive: false }],
    run: (k, w, [v], g, n) => k.sgdUpdate(w, v, g, n, 0.05, 0.9, 0.01),
  },
  {
    name: 'nesterovUpdate',
    buffers: [{ positive: false }],
    run: (k, w, [v], g, n) => k.nesterovUpdate(w, v, g, n, 0.05, 0.9, 0.01),
  },
  {
    name: 'adagradUpdate',
    buffers: [{ positive: true }],
    run: (k, w, [s], g, n) => k.adagradUpdate(w, s, g, n, 0.01, 1e-10, 0.001),
  },
  {
    name: 'rmspropUpdate',
    buffers: [{ positive: true }],
    run: (k, w, [s], g, n) => k.rmspropUpdate(w, s, g, n, 0.01, 0.99, 1e-8, 0.001),
  },
  {
    name: 'adamUpdate (Adam, L2)',
    buffers: [{ positive: false }, { positive: true }],
    run: (k, w, [m, v], g, n, step) => k.adamUpdate(w, m, v, g, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, false, step),
  },
  {
    name: 'adamUpdate (AdamW, decoupled)',
    buffers: [{ positive: false }, { positive: true }],
    run: (k, w, [m, v], g, n, step) => k.adamUpdate(w, m, v, g, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, true, step),
  },
];

/** Values exactly representable in f32, so every backend starts from the same numbers. */
function randomF32(rng: Rng, n: number, positive = false): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(positive ? rng.uniform() * 0.1 : rng.normal()));
}

/** Runs `steps` updates from the given start on `k`; returns w and the state buffers after. */
function runUpdates(k: Kernels, c: UpdateCase, start: Float64Array[], grads: Float64Array[], steps: number[], label: string): Float64Array[] {
  const n = start[0].length;
  const [w, ...state] = start.map((values) => guarded(k, values));
  const g = k.alloc(n);
  steps.forEach((step, i) => {
    k.write(g, grads[i]);
    c.run(k, w, state, g, n, step);
  });
  const out = [w, ...state].map((t, i) => readGuarded(k, t, n, `${label} tensor ${i}`));
  [w, ...state, g].forEach((t) => k.free(t));
  return out;
}

describe.each(backends)('optimiser kernels on $name', ({ kernels }) => {
  it.each(UPDATES)('$name matches the float64 oracle over three steps', (c) => {
    const rng = new Rng(31);
    for (const n of SIZES) {
      for (const steps of [[1, 2, 3], [1000, 1001, 1002]]) {
        const start = [randomF32(rng, n), ...c.buffers.map((b) => randomF32(rng, n, b.positive))];
        const grads = steps.map(() => randomF32(rng, n));
        const label = `${c.name}, n ${n}, steps ${steps.join(',')}`;
        const got = runUpdates(kernels, c, start, grads, steps, label);
        const want = runUpdates(oracle, c, start, grads, steps, label);
        got.forEach((values, i) => expectClose(values, want[i], TOLERANCE, `${label}, tensor ${i}`));
        // The update moved w (so the comparison above compares steps, not just starting values).
        if (n > 0) expect(want[0].some((v, i) => v !== start[0][i]), `${label}: w moved`).toBe(true);
      }
    }
  });

  it('axpy, scale and dot match the oracle', () => {
    const rng = new Rng(5);
    for (const n of SIZES) {
      const x = randomF32(rng, n);
      const y0 = randomF32(rng, n);
      const label = `n ${n}`;
      const results = [kernels, oracle].map((k) => {
        const xt = guarded(k, x);
        const yt = guarded(k, y0);
        const dot = k.dot(xt, yt, n);
        k.axpy(yt, xt, n, -0.75);
        const axpy = readGuarded(k, yt, n, `${label} axpy`);
        k.scale(xt, n, 1.5);
        const scale = readGuarded(k, xt, n, `${label} scale`);
        k.free(xt);
        k.free(yt);
        return { dot, axpy, scale };
      });
      const [got, want] = results;
      expectClose(got.axpy, want.axpy, TOLERANCE, `${label} axpy`);
      expectClose(got.scale, want.scale, TOLERANCE, `${label} scale`);
      // The dot product of n products of N(0,1) values: error relative to √n.
      expect(Math.abs(got.dot - want.dot), `${label} dot (${got.dot} vs ${want.dot})`).toBeLessThanOrEqual(1e-6 * Math.sqrt(n + 1));
    }
  });
});

const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as unknown as { name: string; kernels: WasmKernels }[];

describe.each(wasmBackends)('optimiser kernels on $name at an unaligned pointer', ({ kernels }) => {
  it('give the same bits as at an aligned one', () => {
    const rng = new Rng(9);
    const n = 37;
    const w = randomF32(rng, n);
    const m = randomF32(rng, n);
    const v = randomF32(rng, n, true);
    const g = randomF32(rng, n);
    const run = (shift: number) => {
      const tensors = [w, m, v, g].map((values) => {
        const t = kernels.alloc(n + 1);
        kernels.write(t, values, shift);
        return t;
      });
      const p = tensors.map((t) => t.ptr + 4 * shift);
      kernels.module.f32_adam_update(p[0], p[1], p[2], p[3], n, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1, 7);
      kernels.module.f32_axpy(p[1], p[3], n, 0.5);
      const dot = kernels.module.f32_dot(p[0], p[1], n);
      const out = tensors.map((t: WasmTensor) => Array.from(kernels.view(t).subarray(shift, shift + n)));
      tensors.forEach((t) => kernels.free(t));
      return { out, dot };
    };
    const aligned = run(0);
    const unaligned = run(1);
    expect(unaligned.out).toEqual(aligned.out);
    expect(unaligned.dot).toBe(aligned.dot);
  });
});
