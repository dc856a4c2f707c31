/**
 * The residual kernels (the skip y = x + branch and the ReZero gate y = x + α·branch, forward and
 * backward, the gate's backward without the skip among them) on every backend against the float64 oracle: n = 0..67 and a long vector, += into
 * non-zero gradients, in place, canaries, the SIMD kernels against their scalar twins bit for bit,
 * and unaligned pointers.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { firstBitDifference } from '../util/bits.js';
import { CANARY, guarded, readGuarded } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];
const SIZES = [...Array.from({ length: 68 }, (_, n) => n), 1001];
// One f32 rounding per element; dα is a sum of n exact products in f64.
const ELEMENTWISE = { rel: 1e-6, scale: 1 };

interface Case { x: Float32Array; branch: Float32Array; alpha: number; dy: Float32Array; dx0: Float32Array; dbranch0: Float32Array; dalpha0: number }

function randomCase(rng: Rng, n: number): Case {
  const v = () => Float32Array.from({ length: n }, () => rng.normal());
  return { x: v(), branch: v(), alpha: Math.fround(rng.normal()), dy: v(), dx0: v(), dbranch0: v(), dalpha0: Math.fround(rng.normal()) };
}

interface Results { [name: string]: Float64Array }

function run(k: Kernels, c: Case, n: number, label: string): Results {
  const [x, branch, dy, alpha] = [c.x, c.branch, c.dy, [c.alpha]].map((v) => tensorOf(k, v));
  const read = (t: ReturnType<typeof guarded>, length: number, what: string) => readGuarded(k, t, length, `${label} ${what}`);
  const y = guarded(k, new Float32Array(n).fill(-9));
  k.residualForward(y, x, branch, n);
  const gated = guarded(k, new Float32Array(n).fill(-9));
  k.rezeroForward(gated, x, branch, alpha, n);
  const [dx, dbranch] = [guarded(k, c.dx0), guarded(k, c.dbranch0)];
  k.residualBackward(dx, dbranch, dy, n);
  const [dxGated, dbranchGated, dalpha] = [guarded(k, c.dx0), guarded(k, c.dbranch0), guarded(k, [c.dalpha0])];
  k.rezeroBackward(dxGated, dbranchGated, dalpha, dy, branch, alpha, n);
  const [dbranchGate, dalphaGate] = [guarded(k, c.dbranch0), guarded(k, [c.dalpha0])];
  k.rezeroGateBackward(dbranchGate, dalphaGate, dy, branch, alpha, n);
  return {
    y: read(y, n, 'y'), gated: read(gated, n, 'rezero y'), dx: read(dx, n, 'dx'), dbranch: read(dbranch, n, 'dbranch'),
    dxGated: read(dxGated, n, 'rezero dx'), dbranchGated: read(dbranchGated, n, 'rezero dbranch'), dalpha: read(dalpha, 1, 'dalpha'),
    dbranchGate: read(dbranchGate, n, 'gate dbranch'), dalphaGate: read(dalphaGate, 1, 'gate dalpha'),
  };
}

describe.each(backends)('residual kernels on $name', ({ name, kernels: k }) => {
  it('skip and ReZero, forward and backward, match the oracle for n = 0..67 and 1001', () => {
    const rng = new Rng(1);
    for (const n of SIZES) {
      const c = randomCase(rng, n);
      const got = run(k, c, n, `${name} n=${n}`);
      const want = run(oracle, c, n, 'oracle');
      for (const what of Object.keys(want)) {
        // dα sums n products: relative to the size of the sum's terms, not to its (cancelling) value.
        const tolerance = what.startsWith('dalpha') ? { rel: 1e-6, scale: Math.max(1, Math.sqrt(n)) } : ELEMENTWISE;
        expectClose(got[what], want[what], tolerance, `${name} n=${n} ${what}`);
      }
    }
  });

  it("the gate's backward alone gives rezeroBackward's dbranch and dα, bit for bit, for n = 0..67 and 1001", () => {
    const rng = new Rng(6);
    for (const n of SIZES) {
      const got = run(k, randomCase(rng, n), n, `${name} n=${n}`);
      expect(firstBitDifference(got.dbranchGate, got.dbranchGated), `${name} n=${n} dbranch (first index that differs)`).toBe(-1);
      expect(firstBitDifference(got.dalphaGate, got.dalpha), `${name} n=${n} dα`).toBe(-1);
    }
  });

  it('works in place (y = x, and y = branch)', () => {
    const n = 23;
    const c = randomCase(new Rng(2), n);
    const want = run(oracle, c, n, 'oracle');
    for (const into of ['x', 'branch'] as const) {
      const [x, branch, alpha] = [c.x, c.branch, [c.alpha]].map((v) => tensorOf(k, v));
      const y = into === 'x' ? x : branch;
      k.residualForward(y, x, branch, n);
      expectClose(k.view(y), want.y, ELEMENTWISE, `${name} residual into ${into}`);
      const [x2, branch2] = [c.x, c.branch].map((v) => tensorOf(k, v));
      const y2 = into === 'x' ? x2 : branch2;
      k.rezeroForward(y2, x2, branch2, alpha, n);
      expectClose(k.view(y2), want.gated, ELEMENTWISE, `${name} rezero into ${into}`);
    }
  });

  it('with α = 0 (ReZero at initialisation) passes x through and still gives α its gradient', () => {
    const n = 9;
    const c = { ...randomCase(new Rng(3), n), alpha: 0, dalpha0: 0 };
    const got = run(k, c, n, name);
    expectClose(got.gated, c.x, { rel: 0 }, 'y = x');
    expectClose(got.dbranchGated, c.dbranch0, { rel: 0 }, 'no gradient into the branch');
    const dalpha = c.dy.reduce((s, d, i) => s + d * c.branch[i], 0);
    expectClose(got.dalpha, [dalpha], { rel: 1e-6 }, 'dα = Σ dy·branch');
  });
});

describe('the SIMD residual kernels and their scalar twins', () => {
  it('give the same bits', () => {
    const rng = new Rng(4);
    for (const n of SIZES) {
      const c = randomCase(rng, n);
      const results = wasmBackends.map(({ name, kernels: k }) => ({ name, r: run(k, c, n, name) }));
      for (const other of results.slice(1)) {
        for (const what of Object.keys(results[0].r)) {
          expect(firstBitDifference(other.r[what], results[0].r[what]), `${what} n=${n}: ${other.name} vs ${results[0].name}`).toBe(-1);
        }
      }
    }
  });
});

describe.each(wasmBackends)('$name residual raw exports', ({ kernels: k }) => {
  it('read and write through pointers that are only 4-byte aligned', () => {
    const n = 37;
    const c = randomCase(new Rng(5), n);
    const want = run(k, c, n, 'aligned');
    const at = (values: ArrayLike<number>) => wasmTensorOf(k, [CANARY, ...Array.from(values), CANARY]);
    const p = (t: WasmTensor) => t.ptr + 4;
    const [x, branch, dy, alpha] = [c.x, c.branch, c.dy, [c.alpha]].map(at);
    const [y, gated] = [0, 0].map(() => at(new Float32Array(n)));
    const [dx, dbranch, dxGated, dbranchGated, dalpha, dbranchGate, dalphaGate] = [c.dx0, c.dbranch0, c.dx0, c.dbranch0, [c.dalpha0], c.dbranch0, [c.dalpha0]].map(at);
    k.module.f32_residual_fwd(p(y), p(x), p(branch), n);
    k.module.f32_rezero_fwd(p(gated), p(x), p(branch), p(alpha), n);
    k.module.f32_residual_bwd(p(dx), p(dbranch), p(dy), n);
    k.module.f32_rezero_bwd(p(dxGated), p(dbranchGated), p(dalpha), p(dy), p(branch), p(alpha), n);
    k.module.f32_rezero_gate_bwd(p(dbranchGate), p(dalphaGate), p(dy), p(branch), p(alpha), n);
    const got = { y, gated, dx, dbranch, dxGated, dbranchGated, dalpha, dbranchGate, dalphaGate };
    for (const [what, t] of Object.entries(got)) {
      expect(Array.from(k.view(t)), `${k.name} ${what}, unaligned`).toEqual([CANARY, ...Array.from(want[what]), CANARY]);
    }
  });
});
