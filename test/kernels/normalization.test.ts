/**
 * The normalisation kernels (batch norm in training and evaluation mode, layer norm, and their
 * backward kernels, batch and layer norm's dγ and dβ alone, layer norm's dx alone and both norms'
 * normalisation from saved statistics among them) on every backend against the float64 oracle: odd and aligned shapes, += into
 * non-zero gradients, canaries after every output, the edge cases (a batch of one, constant
 * features, huge inputs, an empty batch), the SIMD kernels against their scalar twins bit for bit,
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

const EPS = 1e-5;
const MOMENTUM = 0.1;
/** (batch, n): one row, one feature, odd and aligned widths, the SIMD tails, a layer of 100. */
const SHAPES: [number, number][] = [[1, 1], [1, 6], [2, 3], [3, 4], [5, 7], [4, 8], [9, 13], [16, 33], [64, 100], [7, 1], [3, 1030]];
// x̂ and its uses are computed in f32 (a few roundings of values of order 1); the statistics in f64.
const VALUES = { rel: 1e-5, scale: 1 };

/** Features with their own mean in [−2, 2] and spread in [0.5, 3], so x̂ is of order 1. */
function features(rng: Rng, batch: number, n: number): Float32Array {
  const mu = Array.from({ length: n }, () => rng.uniformIn(-2, 2));
  const sigma = Array.from({ length: n }, () => rng.uniformIn(0.5, 3));
  return Float32Array.from({ length: batch * n }, (_, i) => mu[i % n] + sigma[i % n] * rng.normal());
}
const normals = (rng: Rng, length: number, scale = 1) => Float32Array.from({ length }, () => scale * rng.normal());
const positives = (rng: Rng, length: number) => Float32Array.from({ length }, () => rng.uniformIn(0.2, 3));

interface BatchNormCase {
  x: Float32Array; gamma: Float32Array; beta: Float32Array; runningMean: Float32Array; runningVar: Float32Array;
  dy: Float32Array; dx0: Float32Array; dgamma0: Float32Array; dbeta0: Float32Array;
}

function batchNormCase(rng: Rng, batch: number, n: number, x = features(rng, batch, n)): BatchNormCase {
  return {
    x, gamma: normals(rng, n), beta: normals(rng, n), runningMean: normals(rng, n), runningVar: positives(rng, n),
    dy: normals(rng, batch * n), dx0: normals(rng, batch * n), dgamma0: normals(rng, n), dbeta0: normals(rng, n),
  };
}

interface Results { [name: string]: Float64Array }

/** Batch norm forward (training), normalisation from its statistics, inference, backward and dγ, dβ alone of one case on k; every output guarded by canaries. */
function runBatchNorm(k: Kernels, c: BatchNormCase, batch: number, n: number, label: string): Results {
  const [x, gamma, beta, dy] = [c.x, c.gamma, c.beta, c.dy].map((v) => tensorOf(k, v));
  const y = guarded(k, new Float32Array(batch * n).fill(-9));
  const mean = guarded(k, new Float32Array(n).fill(-9));
  const invStd = guarded(k, new Float32Array(n).fill(-9));
  const runningMean = guarded(k, c.runningMean);
  const runningVar = guarded(k, c.runningVar);
  k.batchNormForward(y, mean, invStd, runningMean, runningVar, x, gamma, beta, batch, n, MOMENTUM, EPS);
  const yNormalized = guarded(k, new Float32Array(batch * n).fill(-9));
  k.batchNormNormalize(yNormalized, x, mean, invStd, gamma, beta, batch, n);
  const dx = guarded(k, c.dx0);
  const dgamma = guarded(k, c.dgamma0);
  const dbeta = guarded(k, c.dbeta0);
  k.batchNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n);
  const [dgammaAffine, dbetaAffine] = [guarded(k, c.dgamma0), guarded(k, c.dbeta0)];
  k.batchNormAffineBackward(dgammaAffine, dbetaAffine, dy, x, mean, invStd, batch, n);
  const yEval = guarded(k, new Float32Array(batch * n).fill(-9));
  k.batchNormInference(yEval, x, gamma, beta, runningMean, runningVar, batch, n, EPS);
  const read = (t: ReturnType<typeof guarded>, length: number, what: string) => readGuarded(k, t, length, `${label} ${what}`);
  return {
    y: read(y, batch * n, 'y'), mean: read(mean, n, 'mean'), invStd: read(invStd, n, 'invStd'),
    runningMean: read(runningMean, n, 'runningMean'), runningVar: read(runningVar, n, 'runningVar'),
    dx: read(dx, batch * n, 'dx'), dgamma: read(dgamma, n, 'dgamma'), dbeta: read(dbeta, n, 'dbeta'),
    yEval: read(yEval, batch * n, 'yEval'),
    dgammaAffine: read(dgammaAffine, n, 'dgamma alone'), dbetaAffine: read(dbetaAffine, n, 'dbeta alone'),
    yNormalized: read(yNormalized, batch * n, 'y from saved statistics'),
  };
}

interface LayerNormCase { x: Float32Array; gamma: Float32Array; beta: Float32Array; dy: Float32Array; dx0: Float32Array; dgamma0: Float32Array; dbeta0: Float32Array }

function layerNormCase(rng: Rng, batch: number, n: number, x = features(rng, batch, n)): LayerNormCase {
  return { x, gamma: normals(rng, n), beta: normals(rng, n), dy: normals(rng, batch * n), dx0: normals(rng, batch * n), dgamma0: normals(rng, n), dbeta0: normals(rng, n) };
}

function runLayerNorm(k: Kernels, c: LayerNormCase, batch: number, n: number, label: string): Results {
  const [x, gamma, beta, dy] = [c.x, c.gamma, c.beta, c.dy].map((v) => tensorOf(k, v));
  const y = guarded(k, new Float32Array(batch * n).fill(-9));
  const mean = guarded(k, new Float32Array(batch).fill(-9));
  const invStd = guarded(k, new Float32Array(batch).fill(-9));
  k.layerNormForward(y, mean, invStd, x, gamma, beta, batch, n, EPS);
  const dx = guarded(k, c.dx0);
  const dgamma = guarded(k, c.dgamma0);
  const dbeta = guarded(k, c.dbeta0);
  k.layerNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n);
  const yNormalized = guarded(k, new Float32Array(batch * n).fill(-9));
  k.layerNormNormalize(yNormalized, x, mean, invStd, gamma, beta, batch, n);
  const [dgammaAffine, dbetaAffine] = [guarded(k, c.dgamma0), guarded(k, c.dbeta0)];
  k.layerNormAffineBackward(dgammaAffine, dbetaAffine, dy, x, mean, invStd, batch, n);
  const dxInput = guarded(k, c.dx0);
  k.layerNormInputBackward(dxInput, dy, x, mean, invStd, gamma, batch, n);
  const read = (t: ReturnType<typeof guarded>, length: number, what: string) => readGuarded(k, t, length, `${label} ${what}`);
  return {
    y: read(y, batch * n, 'y'), mean: read(mean, batch, 'mean'), invStd: read(invStd, batch, 'invStd'),
    dx: read(dx, batch * n, 'dx'), dgamma: read(dgamma, n, 'dgamma'), dbeta: read(dbeta, n, 'dbeta'),
    yNormalized: read(yNormalized, batch * n, 'y from saved statistics'),
    dgammaAffine: read(dgammaAffine, n, 'dgamma alone'), dbetaAffine: read(dbetaAffine, n, 'dbeta alone'), dxInput: read(dxInput, batch * n, 'dx alone'),
  };
}

function expectAllClose(got: Results, want: Results, label: string, tolerance = VALUES): void {
  for (const name of Object.keys(want)) expectClose(got[name], want[name], tolerance, `${label} ${name}`);
}

function expectFinite(results: Results, label: string): void {
  for (const [name, values] of Object.entries(results)) {
    expect(values.findIndex((v) => !Number.isFinite(v)), `${label} ${name}: first non-finite value (index)`).toBe(-1);
  }
}

describe.each(backends)('normalisation kernels on $name', ({ name, kernels: k }) => {
  it.each(SHAPES)('batch norm (batch %i, n %i): forward, running statistics, backward and inference match the oracle', (batch, n) => {
    const c = batchNormCase(new Rng(batch * 7919 + n), batch, n);
    const label = `${name} batch norm ${batch}×${n}`;
    expectAllClose(runBatchNorm(k, c, batch, n, label), runBatchNorm(oracle, c, batch, n, 'oracle'), label);
  });

  it.each(SHAPES)("batch norm (batch %i, n %i): dγ and dβ alone are the backward kernel's, bit for bit", (batch, n) => {
    const c = batchNormCase(new Rng(batch * 7907 + n), batch, n);
    const got = runBatchNorm(k, c, batch, n, `${name} batch norm ${batch}×${n}`);
    expect(firstBitDifference(got.dgammaAffine, got.dgamma), `${name} dγ ${batch}×${n} (first index that differs)`).toBe(-1);
    expect(firstBitDifference(got.dbetaAffine, got.dbeta), `${name} dβ ${batch}×${n} (first index that differs)`).toBe(-1);
  });

  it.each(SHAPES)("batch norm (batch %i, n %i): normalising from the saved statistics gives the forward's y, bit for bit", (batch, n) => {
    const c = batchNormCase(new Rng(batch * 7901 + n), batch, n);
    const got = runBatchNorm(k, c, batch, n, `${name} batch norm ${batch}×${n}`);
    expect(firstBitDifference(got.yNormalized, got.y), `${name} y ${batch}×${n} (first index that differs)`).toBe(-1);
  });

  it.each(SHAPES)('layer norm (batch %i, n %i): forward and backward match the oracle', (batch, n) => {
    const c = layerNormCase(new Rng(batch * 104729 + n), batch, n);
    const label = `${name} layer norm ${batch}×${n}`;
    expectAllClose(runLayerNorm(k, c, batch, n, label), runLayerNorm(oracle, c, batch, n, 'oracle'), label);
  });

  it.each(SHAPES)("layer norm (batch %i, n %i): y from the saved statistics, dγ and dβ alone and dx alone are the forward's and the backward kernel's, bit for bit", (batch, n) => {
    const c = layerNormCase(new Rng(batch * 104723 + n), batch, n);
    const got = runLayerNorm(k, c, batch, n, `${name} layer norm ${batch}×${n}`);
    for (const [alone, whole] of [['yNormalized', 'y'], ['dgammaAffine', 'dgamma'], ['dbetaAffine', 'dbeta'], ['dxInput', 'dx']]) {
      expect(firstBitDifference(got[alone], got[whole]), `${name} ${alone} vs ${whole} ${batch}×${n} (first index that differs)`).toBe(-1);
    }
  });

  it('batch norm on a batch of one: y = β, the variance 0 with eps, dx += 0, dβ += dy', () => {
    const n = 9;
    const c = batchNormCase(new Rng(3), 1, n);
    const got = runBatchNorm(k, c, 1, n, `${name} batch 1`);
    expectFinite(got, `${name} batch 1`);
    expectClose(got.y, c.beta, { rel: 0 }, 'y = β');
    expectClose(got.mean, c.x, { rel: 0 }, 'mean = x');
    expectClose(got.invStd, new Array(n).fill(Math.fround(1 / Math.sqrt(EPS))), { rel: 0 }, 'invStd = 1/√eps');
    expectClose(got.runningVar, Array.from(c.runningVar, (v) => 0.9 * v), { rel: 1e-6 }, 'running variance decays');
    expectClose(got.dx, c.dx0, { rel: 0 }, 'dx unchanged');
    expectClose(got.dgamma, c.dgamma0, { rel: 0 }, 'dγ unchanged');
    expectClose(got.dbeta, Array.from(c.dbeta0, (v, j) => Math.fround(v + c.dy[j])), { rel: 0 }, 'dβ += dy');
  });

  it('normalises constant features to β (variance 0, with eps) and stays finite backward', () => {
    const [batch, n] = [6, 7];
    const x = Float32Array.from({ length: batch * n }, (_, i) => [3.25, -1e6, 0, 7, 0.1, 1e-30, 42][i % n]);
    const bn = batchNormCase(new Rng(4), batch, n, x);
    const gotBn = runBatchNorm(k, bn, batch, n, `${name} constant batch norm`);
    expectFinite(gotBn, `${name} constant batch norm`);
    expectClose(gotBn.y, Array.from(x, (_, i) => bn.beta[i % n]), { rel: 0 }, 'batch norm y = β');
    expectAllClose(gotBn, runBatchNorm(oracle, bn, batch, n, 'oracle'), `${name} constant batch norm`);
    // Layer norm: rows that are constant.
    const rows = Float32Array.from({ length: batch * n }, (_, i) => [2, -3, 1e6, 0, 5, 0.5][Math.floor(i / n)]);
    const ln = layerNormCase(new Rng(5), batch, n, rows);
    const gotLn = runLayerNorm(k, ln, batch, n, `${name} constant layer norm`);
    expectFinite(gotLn, `${name} constant layer norm`);
    expectClose(gotLn.y, Array.from(rows, (_, i) => ln.beta[i % n]), { rel: 0 }, 'layer norm y = β');
    expectAllClose(gotLn, runLayerNorm(oracle, ln, batch, n, 'oracle'), `${name} constant layer norm`);
  });

  it('stays finite and accurate on huge inputs (whose squares overflow f32)', () => {
    const [batch, n] = [8, 11];
    const rng = new Rng(6);
    // Feature (or column) j of order 10^(19 + 1.5j): up to ~1e34, squares up to ~1e68.
    const x = Float32Array.from({ length: batch * n }, (_, i) => rng.normal() * 10 ** (19 + 1.5 * (i % n)));
    // Each tensor relative to its own largest value: dx is of order invStd ~ 1e-19..1e-34.
    const relativeToLargest = (want: Float64Array) => ({ rel: 1e-5, scale: Math.max(...Array.from(want, Math.abs)) });
    const bn = batchNormCase(rng, batch, n, x);
    const gotBn = runBatchNorm(k, bn, batch, n, `${name} huge batch norm`);
    const wantBn = runBatchNorm(oracle, bn, batch, n, 'oracle');
    // σ² itself exceeds f32's range here: the running variance saturates at +Inf (never NaN) and
    // evaluation mode then gives β; the oracle keeps σ² in f64, so neither is compared.
    expect(gotBn.runningVar.findIndex(Number.isNaN), `${name} running variance: first NaN`).toBe(-1);
    expect(gotBn.yEval.findIndex(Number.isNaN), `${name} evaluation mode: first NaN`).toBe(-1);
    for (const what of ['y', 'mean', 'invStd', 'runningMean', 'dx', 'dgamma', 'dbeta']) {
      expectFinite({ [what]: gotBn[what] }, `${name} huge batch norm`);
      expectClose(gotBn[what], wantBn[what], relativeToLargest(wantBn[what]), `${name} huge batch norm ${what}`);
    }
    const ln = layerNormCase(rng, batch, n, x);
    const gotLn = runLayerNorm(k, ln, batch, n, `${name} huge layer norm`);
    expectFinite(gotLn, `${name} huge layer norm`);
    const wantLn = runLayerNorm(oracle, ln, batch, n, 'oracle');
    for (const what of Object.keys(wantLn)) expectClose(gotLn[what], wantLn[what], relativeToLargest(wantLn[what]), `${name} huge layer norm ${what}`);
  });

  it('does nothing on an empty batch (running statistics untouched)', () => {
    const c = batchNormCase(new Rng(7), 0, 5);
    const got = runBatchNorm(k, c, 0, 5, `${name} empty`);
    expectClose(got.runningMean, c.runningMean, { rel: 0 }, 'running mean');
    expectClose(got.runningVar, c.runningVar, { rel: 0 }, 'running variance');
    expectClose(got.dgamma, c.dgamma0, { rel: 0 }, 'dγ');
  });
});

describe('the SIMD normalisation kernels and their scalar twins', () => {
  it('give the same bits', () => {
    for (const [batch, n] of [...SHAPES, [13, 257] as [number, number]]) {
      const bn = batchNormCase(new Rng(batch + 31 * n), batch, n);
      const ln = layerNormCase(new Rng(batch + 37 * n), batch, n);
      const results = wasmBackends.map(({ name, kernels: k }) => ({
        name, bn: runBatchNorm(k, bn, batch, n, name), ln: runLayerNorm(k, ln, batch, n, name),
      }));
      for (const other of results.slice(1)) {
        for (const kind of ['bn', 'ln'] as const) {
          for (const what of Object.keys(results[0][kind])) {
            const first = firstBitDifference(other[kind][what], results[0][kind][what]);
            expect(first, `${kind} ${what} ${batch}×${n}: ${other.name} vs ${results[0].name} (first index that differs)`).toBe(-1);
          }
        }
      }
    }
  });
});

describe.each(wasmBackends)('$name normalisation raw exports', ({ kernels: k }) => {
  // Each tensor one float past a 16-byte boundary, with a canary on either side.
  const at = (values: ArrayLike<number>) => wasmTensorOf(k, [CANARY, ...Array.from(values), CANARY]);
  const p = (t: WasmTensor) => t.ptr + 4;
  /** Every tensor holds what the aligned kernels gave, between its canaries. */
  const expectUnaligned = (got: Record<string, WasmTensor>, want: Results, what: string) => {
    for (const [name, t] of Object.entries(got)) {
      expect(Array.from(k.view(t)), `${k.name} ${what} ${name}, unaligned`).toEqual([CANARY, ...Array.from(want[name]), CANARY]);
    }
  };

  it('batch norm reads and writes through pointers that are only 4-byte aligned', () => {
    const [batch, n] = [5, 11];
    const c = batchNormCase(new Rng(8), batch, n);
    const want = runBatchNorm(k, c, batch, n, 'aligned');
    const [x, gamma, beta, dy] = [c.x, c.gamma, c.beta, c.dy].map(at);
    const [y, yEval, yNormalized] = [0, 0, 0].map(() => at(new Float32Array(batch * n)));
    const [mean, invStd] = [0, 0].map(() => at(new Float32Array(n)));
    const [runningMean, runningVar, dx, dgamma, dbeta, dgammaAffine, dbetaAffine] = [c.runningMean, c.runningVar, c.dx0, c.dgamma0, c.dbeta0, c.dgamma0, c.dbeta0].map(at);
    k.module.f32_batchnorm_fwd(p(y), p(mean), p(invStd), p(runningMean), p(runningVar), p(x), p(gamma), p(beta), batch, n, MOMENTUM, EPS);
    k.module.f32_batchnorm_bwd(p(dx), p(dgamma), p(dbeta), p(dy), p(x), p(mean), p(invStd), p(gamma), batch, n);
    k.module.f32_batchnorm_normalize(p(yNormalized), p(x), p(mean), p(invStd), p(gamma), p(beta), batch, n);
    k.module.f32_batchnorm_affine_bwd(p(dgammaAffine), p(dbetaAffine), p(dy), p(x), p(mean), p(invStd), batch, n);
    k.module.f32_batchnorm_infer(p(yEval), p(x), p(gamma), p(beta), p(runningMean), p(runningVar), batch, n, EPS);
    expectUnaligned({ y, mean, invStd, runningMean, runningVar, dx, dgamma, dbeta, yEval, dgammaAffine, dbetaAffine, yNormalized }, want, 'batch norm');
  });

  it('layer norm reads and writes through pointers that are only 4-byte aligned', () => {
    const [batch, n] = [5, 11];
    const c = layerNormCase(new Rng(9), batch, n);
    const want = runLayerNorm(k, c, batch, n, 'aligned');
    const [x, gamma, beta, dy] = [c.x, c.gamma, c.beta, c.dy].map(at);
    const [y, yNormalized] = [0, 0].map(() => at(new Float32Array(batch * n)));
    const [mean, invStd] = [0, 0].map(() => at(new Float32Array(batch)));
    const [dx, dgamma, dbeta, dgammaAffine, dbetaAffine, dxInput] = [c.dx0, c.dgamma0, c.dbeta0, c.dgamma0, c.dbeta0, c.dx0].map(at);
    k.module.f32_layernorm_fwd(p(y), p(mean), p(invStd), p(x), p(gamma), p(beta), batch, n, EPS);
    k.module.f32_layernorm_bwd(p(dx), p(dgamma), p(dbeta), p(dy), p(x), p(mean), p(invStd), p(gamma), batch, n);
    k.module.f32_layernorm_normalize(p(yNormalized), p(x), p(mean), p(invStd), p(gamma), p(beta), batch, n);
    k.module.f32_layernorm_affine_bwd(p(dgammaAffine), p(dbetaAffine), p(dy), p(x), p(mean), p(invStd), batch, n);
    k.module.f32_layernorm_input_bwd(p(dxInput), p(dy), p(x), p(mean), p(invStd), p(gamma), batch, n);
    expectUnaligned({ y, mean, invStd, dx, dgamma, dbeta, yNormalized, dgammaAffine, dbetaAffine, dxInput }, want, 'layer norm');
  });
});
