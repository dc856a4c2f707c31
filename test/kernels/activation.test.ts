/**
 * Activation kernels (forward, backward, softmax) on every backend against the float64 oracle,
 * and the vectorised exp behind sigmoid, tanh and softmax swept over the whole f32 range.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, type Activation, type Kernels, type OutputActivation } from '../../src/kernels.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATION_EXPORT_NAMES, exportName } from '../../src/wasm/exports.js';
import type { WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { firstBitDifference } from '../util/bits.js';
import { CANARY, guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];

/** tensorOf for a wasm backend, typed so that its pointer can be used. */

const SIZES = Array.from({ length: 301 }, (_, n) => n);

// Forward: a relative error of 1e-6 where the result's magnitude is ≥ 1e-30; below that only
// 1e-36 absolute (so the rel check is never loosened above 1e-30). Backward sums carry the
// rounding of dz as well: 1e-6 relative to max(|expected|, 1).
const FORWARD = { rel: 1e-6, abs: 1e-36 };
const BACKWARD = { rel: 1e-6, scale: 1 };
// softmax rounds z − max z to f32 (by up to |z − max|·2^-24) before the exp, which turns it into a
// relative error of up to |z − max|·6e-8 in the probability: about 1e-6 for probabilities near
// 1e-6, more for smaller ones. So 2e-6 relative down to 1e-6, and 2e-12 absolute below.
const SOFTMAX = { rel: 2e-6, scale: 1e-6 };

/** Random f32 values: mostly N(0, 3²), with exact zeros and a few large magnitudes mixed in. */
function randomInputs(rng: Rng, length: number): Float32Array {
  const z = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const kind = rng.below(16);
    z[i] = kind === 0 ? 0 : kind === 1 ? rng.uniformIn(-120, 120) : 3 * rng.normal();
  }
  return z;
}

function forward(k: Kernels, f: OutputActivation, z: ArrayLike<number>, batch: number, n: number, label: string): Float64Array {
  const zt = tensorOf(k, z);
  const at = guarded(k, new Float32Array(batch * n).fill(-1));
  k.activationForward(f, at, zt, batch, n);
  const a = readGuarded(k, at, batch * n, label);
  k.free(zt);
  k.free(at);
  return a;
}

function backward(
  k: Kernels, f: Activation, dz0: ArrayLike<number>, da: ArrayLike<number>, z: ArrayLike<number>, a: ArrayLike<number>,
  label: string,
): Float64Array {
  const n = z.length;
  const [dat, zt, at] = [da, z, a].map((v) => tensorOf(k, v));
  const dzt = guarded(k, dz0);
  k.activationBackward(f, dzt, dat, zt, at, 1, n);
  const dz = readGuarded(k, dzt, n, label);
  for (const t of [dzt, dat, zt, at]) k.free(t);
  return dz;
}

/** sigmoid and tanh at every point the issue names, plus the branch points of the kernels. */
const SPECIAL_POINTS = [
  0, -0, 1e-30, -1e-30, 1e-10, -1e-10, 87, -87, 88.7, -88.7, 89, -89, 1e4, -1e4, 3.4e38, -3.4e38,
  0.625, -0.625, 0.6249999, -0.6249999, 1e-45, -1e-45, 1.2e-38, -60, -65, -69, -69.1, -80, -87.3, -88, -103, -104, -150,
  Infinity, -Infinity,
].map(Math.fround);

function expSweep(): Float32Array {
  const points: number[] = [];
  const count = 120_001;
  for (let i = 0; i < count; i++) points.push(-100 + (200 * i) / (count - 1));
  // tanh near 0 is relative-error territory: log-spaced magnitudes from 1e-38 to 20, both signs
  for (let i = 0; i <= 20_000; i++) {
    const m = 10 ** (-38 + (39.3 * i) / 20_000);
    points.push(m, -m);
  }
  return Float32Array.from([...points, ...SPECIAL_POINTS]);
}

describe.each(backends)('$name', ({ kernels: k }) => {
  describe.each(ACTIVATIONS)('%s', (f) => {
    it('forward matches the float64 oracle for n = 0..300', () => {
      const rng = new Rng(1);
      for (const n of SIZES) {
        const z = randomInputs(rng, n);
        const label = `${k.name} ${f} forward n=${n}`;
        expectClose(forward(k, f, z, 1, n, label), forward(oracle, f, z, 1, n, `oracle ${label}`), FORWARD, label);
      }
    });

    it('backward accumulates dz += da ⊙ f′(z) for n = 0..300', () => {
      const rng = new Rng(2);
      for (const n of SIZES) {
        const z = randomInputs(rng, n);
        const a = Float32Array.from(forward(oracle, f, z, 1, n, 'a'));
        const da = Float32Array.from({ length: n }, () => rng.normal());
        const dz0 = Float32Array.from({ length: n }, () => rng.normal());
        const label = `${k.name} ${f} backward n=${n}`;
        expectClose(backward(k, f, dz0, da, z, a, label), backward(oracle, f, dz0, da, z, a, 'oracle'), BACKWARD, label);
      }
    });

    it('takes the conventional derivative at z = 0', () => {
      const dz = backward(k, f, [0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], forward(oracle, f, [0, 0, 0, 0, 0], 1, 5, 'a'), f);
      const expected = { sigmoid: 0.25, tanh: 1, relu: 0, 'leaky-relu': 0.01, softsign: 1, linear: 1, selu: SELU_LAMBDA * SELU_ALPHA }[f];
      expectClose(dz, new Array(5).fill(expected), { rel: 1e-6 }, `${k.name} ${f}'(0)`);
    });
  });

  describe.each(['sigmoid', 'tanh'] as const)('%s over the whole f32 range', (f) => {
    const z = expSweep();

    it(`is within 1e-6 relative of float64 on ${z.length} points, and always finite`, () => {
      const a = forward(k, f, z, 1, z.length, `${k.name} ${f}`);
      const finite = z.map((_, i) => (Number.isFinite(a[i]) ? 1 : 0));
      expect(finite.indexOf(0), `${k.name} ${f}: first non-finite output (index)`).toBe(-1);
      expectClose(a, forward(oracle, f, z, 1, z.length, 'oracle'), FORWARD, `${k.name} ${f} sweep`);
    });

    it('saturates cleanly', () => {
      const a = forward(k, f, [100, -100, 20, -20, 1e-10, -1e-10], 1, 6, f);
      if (f === 'sigmoid') {
        expect(a[0]).toBe(1);
        expect(a[1]).toBeGreaterThanOrEqual(0);
        expect(a[1]).toBeLessThan(1e-30);
      } else {
        expect([a[0], a[1], a[2], a[3]]).toEqual([1, -1, 1, -1]);
        expectClose([a[4], a[5]], [1e-10, -1e-10], { rel: 1e-6 }, 'tanh near 0');
      }
    });
  });

  describe('selu over the whole f32 range', () => {
    // λz overflows f32 above 3.2e38 (and selu(±∞) = ±∞): those points are left out.
    const z = expSweep().filter((v) => Math.abs(v) < 3e38);

    it(`is within 1e-6 relative of float64 on ${z.length} points (eᶻ − 1 near 0 included), and always finite`, () => {
      const a = forward(k, 'selu', z, 1, z.length, `${k.name} selu`);
      const finite = z.map((_, i) => (Number.isFinite(a[i]) ? 1 : 0));
      expect(finite.indexOf(0), `${k.name} selu: first non-finite output (index)`).toBe(-1);
      expectClose(a, forward(oracle, 'selu', z, 1, z.length, 'oracle'), FORWARD, `${k.name} selu sweep`);
    });

    it('saturates at −λα and is λz above 0', () => {
      const a = forward(k, 'selu', [-100, -1e4, 2, 1e-10, -1e-10], 1, 5, 'selu');
      const lambdaAlpha = Math.fround(SELU_LAMBDA * SELU_ALPHA);
      expect([a[0], a[1]]).toEqual([-lambdaAlpha, -lambdaAlpha]);
      expectClose([a[2], a[3], a[4]], [2 * SELU_LAMBDA, 1e-10 * SELU_LAMBDA, -1e-10 * SELU_LAMBDA * SELU_ALPHA], { rel: 1e-6 }, 'selu');
    });
  });

  describe('softmax', () => {
    it('matches the float64 oracle and its rows sum to 1', () => {
      const rng = new Rng(3);
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 17, 33, 100, 257, 1500]) {
        for (const batch of [0, 1, 3, 7]) {
          const z = Float32Array.from({ length: batch * n }, () => 5 * rng.normal());
          const label = `${k.name} softmax batch=${batch} n=${n}`;
          const a = forward(k, 'softmax', z, batch, n, label);
          expectClose(a, forward(oracle, 'softmax', z, batch, n, 'oracle'), SOFTMAX, label);
          const sums = Array.from({ length: batch }, (_, x) => a.subarray(x * n, (x + 1) * n).reduce((s, v) => s + v, 0));
          expectClose(sums, new Array(batch).fill(1), { abs: 1e-6 }, `${label} row sums`);
        }
      }
    });

    it('stays finite and exact on extreme and uniform rows', () => {
      const rows = [
        [1000, -1000, 0, 5],
        [-1000, -1000, -1000, -1000],
        [3.4e38, -3.4e38, 0, 1],
        [80, -80, 0, 0],
        [1e4, 1e4 - 1, -1e4, 0],
      ];
      const z = rows.flat();
      const a = forward(k, 'softmax', z, rows.length, 4, `${k.name} extreme`);
      expect(a.every(Number.isFinite), `${k.name} extreme softmax finite`).toBe(true);
      expectClose(a, forward(oracle, 'softmax', z, rows.length, 4, 'oracle'), SOFTMAX, `${k.name} extreme rows`);
      expectClose(a.subarray(4, 8), [0.25, 0.25, 0.25, 0.25], { rel: 1e-7 }, 'uniform row');
    });

    it('works in place (a = z)', () => {
      const rng = new Rng(4);
      const z = Float32Array.from({ length: 6 * 11 }, () => 4 * rng.normal());
      const t = tensorOf(k, z);
      k.activationForward('softmax', t, t, 6, 11);
      expectClose(k.view(t), forward(oracle, 'softmax', z, 6, 11, 'oracle'), SOFTMAX, `${k.name} in place`);
      k.free(t);
    });
  });
});

describe.each(wasmBackends)('$name raw exports', ({ kernels: k }) => {
  const exported = (name: string) => k.exports[exportName(name, k.variant)] as (...args: number[]) => void;

  it('read and write through pointers that are only 4-byte aligned', () => {
    const rng = new Rng(5);
    const n = 37;
    const z = randomInputs(rng, n);
    const da = Float32Array.from({ length: n }, () => rng.normal());
    const dz0 = Float32Array.from({ length: n }, () => rng.normal());
    for (const f of ACTIVATIONS) {
      const name = ACTIVATION_EXPORT_NAMES[f];
      const a = Float32Array.from(forward(k, f, z, 1, n, f));
      const dz = Float32Array.from(backward(k, f, dz0, da, z, a, f));
      // Each tensor one float past a 16-byte boundary, with a canary on either side.
      const [zt, at, dat, dzt] = [z, new Float32Array(n), da, dz0].map((v) => wasmTensorOf(k, [CANARY, ...v, CANARY]));
      exported(`f32_${name}_fwd`)(at.ptr + 4, zt.ptr + 4, n);
      exported(`f32_${name}_bwd`)(dzt.ptr + 4, dat.ptr + 4, zt.ptr + 4, at.ptr + 4, n);
      expect(Array.from(k.view(at)), `${k.name} ${f} forward, unaligned`).toEqual([CANARY, ...a, CANARY]);
      expect(Array.from(k.view(dzt)), `${k.name} ${f} backward, unaligned`).toEqual([CANARY, ...dz, CANARY]);
      for (const t of [zt, at, dat, dzt]) k.free(t);
    }
    const batch = 3, width = 10;
    const zs = Float32Array.from({ length: batch * width }, () => 3 * rng.normal());
    const expected = forward(k, 'softmax', zs, batch, width, 'softmax');
    const [zt, at] = [zs, new Float32Array(batch * width)].map((v) => wasmTensorOf(k, [CANARY, ...v, CANARY]));
    k.module.f32_softmax_fwd(at.ptr + 4, zt.ptr + 4, batch, width);
    expect(Array.from(k.view(at)), `${k.name} softmax, unaligned`).toEqual([CANARY, ...Array.from(expected), CANARY]);
    k.free(zt);
    k.free(at);
  });
});

describe.each(wasmBackends)('$name NaN', ({ kernels: k }) => {
  it('passes a NaN input on to the output instead of hiding it', () => {
    const z = [1, NaN, -2, 3, NaN, 0.5, -0.1];
    for (const f of ACTIVATIONS) {
      const a = forward(k, f, z, 1, z.length, f);
      expect(Array.from(a, Number.isNaN), `${k.name} ${f}`).toEqual(z.map(Number.isNaN));
    }
    // softmax: the row holding the NaN is all NaN, the other rows are untouched by it
    const a = forward(k, 'softmax', [1, NaN, 3, 4, 5, 1, 2, 3, 4, 5], 2, 5, 'softmax');
    expect(Array.from(a.subarray(0, 5), Number.isNaN)).toEqual([true, true, true, true, true]);
    expectClose(a.subarray(5), forward(oracle, 'softmax', [1, 2, 3, 4, 5], 1, 5, 'oracle'), SOFTMAX, 'softmax next to a NaN row');
  });
});

describe('the SIMD kernels and their scalar twins', () => {
  it('give the same bits for every elementwise activation', () => {
    const rng = new Rng(6);
    const z = Float32Array.from([...expSweep(), ...randomInputs(rng, 1003)]);
    const n = z.length;
    const da = Float32Array.from({ length: n }, () => rng.normal());
    const dz0 = Float32Array.from({ length: n }, () => rng.normal());
    for (const f of ACTIVATIONS) {
      const results = wasmBackends.map(({ kernels: k }) => {
        const a = forward(k, f, z, 1, n, `${k.name} ${f}`);
        return { name: k.name, a, dz: backward(k, f, dz0, da, z, Float32Array.from(a), `${k.name} ${f}`) };
      });
      for (const other of results.slice(1)) {
        expect(firstBitDifference(other.a, results[0].a), `${f} forward: ${other.name} vs ${results[0].name} (first index that differs)`).toBe(-1);
        expect(firstBitDifference(other.dz, results[0].dz), `${f} backward: ${other.name} vs ${results[0].name}`).toBe(-1);
      }
    }
  });
});
