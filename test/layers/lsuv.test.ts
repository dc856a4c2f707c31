/**
 * LSUV initialisation (src/layers/lsuv.ts): after it, every dense layer's output has unit variance
 * on the batch (within the tolerance), each weight matrix only changed by a positive factor, biases
 * and running statistics untouched; a layer whose output cannot be rescaled is reported, not
 * divided by zero; bad input refused.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { DenseLayer } from '../../src/layers/dense.js';
import { checkLsuvOptions, LSUV_BUILD, lsuvRescale, lsuvTargetsOf, type LsuvOptions } from '../../src/layers/lsuv.js';
import { ResidualBlock } from '../../src/layers/residual.js';
import type { LayerStack } from '../../src/layers/layer.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, type LayerSpec } from '../../src/layers/spec.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { expectError } from '../util/expect-error.js';

const SPECS: LayerSpec[] = [
  { type: 'dense', units: 24, activation: 'tanh' },
  { type: 'dense', units: 24, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'none', layers: [{ type: 'dense', units: 24, activation: 'selu' }] },
  { type: 'dense', units: 24, activation: 'relu' },
  { type: 'dense', units: 5, activation: 'softmax' },
];
const [INPUTS, BATCH] = [30, 64];

/** Inputs of mean 0.3 and spread 4: far from what orthonormal weights keep at unit variance. */
function data<T extends Tensor>(k: Kernels<T>): T {
  const rng = new Rng(4);
  return tensorOf(k, Array.from({ length: BATCH * INPUTS }, () => 0.3 + 4 * rng.normal())) as T;
}

function denseOf<T extends Tensor>(stack: LayerStack<T>): DenseLayer<T>[] {
  return stack.layers.flatMap((l) => (l instanceof DenseLayer ? [l] : l instanceof ResidualBlock ? denseOf(l.branch) : []));
}

const variance = (v: ArrayLike<number>, n: number) => {
  const values = Array.from(v).slice(0, n);
  const mean = values.reduce((s, x) => s + x, 0) / n;
  return values.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
};

/**
 * Algorithm 1 on a bare layer stack and one batch x: what net.initLsuv runs on a network's engine
 * (src/network/lsuv-init.ts), without the network's row handling.
 */
function lsuvInit<T extends Tensor>(k: Kernels<T>, stack: LayerStack<T>, x: T, batch: number, options: LsuvOptions = {}) {
  const checked = checkLsuvOptions(options);
  stack.reserve(batch);
  return lsuvRescale(k, lsuvTargetsOf(stack), () => stack.forward(x, batch, 'batch'), batch, () => k.maxAbs(x, batch * stack.inputs), checked);
}

describe.each(await kernelBackends())('LSUV on $name', ({ kernels: k }) => {
  it('gives every dense layer unit output variance on the batch, by rescaling its weights alone', () => {
    const stack = buildSequential(k, checkLayerSpecs(SPECS, INPUTS), INPUTS, new Rng(1), { ...LSUV_BUILD, capacity: BATCH });
    const x = data(k);
    const before = stack.parameters.map((p) => Float64Array.from(k.view(p.value)));
    const buffers = stack.buffers.map((b) => Array.from(k.view(b.value)));
    const reports = lsuvInit(k, stack, x, BATCH);

    expect(reports.map((r) => r.name)).toEqual(['0', '2', '5.branch.0', '6', '8']);
    expect(reports[0].iterations, 'the first layer needed rescaling').toBeGreaterThan(0);
    expect(Math.abs(reports[0].initialVariance - 1), 'initial variance far from 1').toBeGreaterThan(1);
    stack.forward(x, BATCH, 'batch');
    denseOf(stack).forEach((layer, i) => {
      const v = variance(k.view(layer.preActivation), BATCH * layer.units);
      expect(Math.abs(v - 1), `layer ${reports[i].name}: variance ${v}`).toBeLessThan(0.1);
      expect(v).toBeCloseTo(reports[i].finalVariance, 5);
    });
    stack.parameters.forEach((p, i) => {
      const now = k.view(p.value);
      if (!p.name.endsWith('weight') || p.shape.length !== 2) {
        expect(Array.from(now), `${p.name} unchanged`).toEqual(Array.from(before[i]));
        return;
      }
      // w = c·w₀ with one c > 0 for the whole matrix
      const c = now[0] / before[i][0];
      expect(c).toBeGreaterThan(0);
      now.forEach((v, j) => expect(Math.abs(v - c * before[i][j]), `${p.name}[${j}]`).toBeLessThanOrEqual(2e-6 * Math.abs(c * before[i][j]) + 1e-12));
    });
    expect(stack.buffers.map((b) => Array.from(k.view(b.value))), 'running statistics untouched').toEqual(buffers);
    stack.dispose();
  });

  it('refuses a batch that gives a layer variance 0 (no rescaling reaches 1) instead of dividing by it, the weights as they were', async () => {
    const stack = buildSequential(k, checkLayerSpecs([{ type: 'dense', units: 3 }], 2), 2, new Rng(1), LSUV_BUILD);
    const zeros = tensorOf(k, new Float64Array(2 * 4)) as typeof stack.output;
    const before = Array.from(k.view(stack.parameters[0].value));
    await expectError(() => lsuvInit(k, stack, zeros, 4), 'INVALID_OPTION', /^lsuv: the output of layer 0 has variance 0 on this batch/);
    expect(Array.from(k.view(stack.parameters[0].value))).toEqual(before);
    stack.dispose();
  });

  // The variance is pooled over rows and units, as Mishkin & Matas' var(B): identical rows still give
  // the units different outputs, so LSUV rescales them to unit variance (README said they were refused).
  it('takes a batch of identical rows: the pooled variance of each layer is rescaled to 1', async () => {
    const stack = buildSequential(k, checkLayerSpecs([{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 4 }], 3), 3, new Rng(1), LSUV_BUILD);
    const rows = 4;
    const same = tensorOf(k, Float64Array.from({ length: rows * 3 }, (_, i) => [0.3, -0.7, 1.1][i % 3])) as typeof stack.output;
    const reports = lsuvInit(k, stack, same, rows);
    expect(reports.map((r) => r.initialVariance > 0)).toEqual([true, true]);
    for (const report of reports) expect(Math.abs(report.finalVariance - 1), report.name).toBeLessThan(0.1);
    stack.dispose();
  });

  // Batch norm sets each unit's output over identical rows to (x − μ)/σ = 0, so the layer after it
  // gives every row and unit one number: refused, as README says (it said identical rows were taken).
  it('refuses identical rows when a batch norm precedes a dense layer: its output is one number', async () => {
    const specs = checkLayerSpecs([{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 4 }], 3);
    const stack = buildSequential(k, specs, 3, new Rng(1), LSUV_BUILD);
    const rows = 4;
    const same = tensorOf(k, Float64Array.from({ length: rows * 3 }, (_, i) => [0.3, -0.7, 1.1][i % 3])) as typeof stack.output;
    await expectError(() => lsuvInit(k, stack, same, rows), 'INVALID_OPTION', /^lsuv: the output of layer 4 has variance 0 on this batch/);
    stack.dispose();
  });

  it('refuses bad options', async () => {
    const stack = buildSequential(k, checkLayerSpecs(SPECS, INPUTS), INPUTS, new Rng(1), LSUV_BUILD);
    const x = data(k);
    await expectError(() => lsuvInit(k, stack, x, BATCH, { tolerance: 0 }), 'INVALID_OPTION', /^lsuv: tolerance: expected a finite number > 0, got 0$/);
    await expectError(() => lsuvInit(k, stack, x, BATCH, { maxIterations: 1.5 }), 'INVALID_OPTION', /^lsuv: maxIterations: expected a whole number ≥ 1, got 1.5$/);
    await expectError(() => lsuvInit(k, stack, x, BATCH, { maxIterations: 0 }), 'INVALID_OPTION', /^lsuv: maxIterations: expected a whole number ≥ 1, got 0$/);
    stack.dispose();
  });
});

describe('LSUV refusing weights beyond RUNAWAY_PARAMETER', () => {
  it('prints the weights it needs and the bound apart: just above 1.8014e16 is not "1.80e+16, beyond the 1.80e+16"', () => {
    const k = createRefKernels();
    // One weight of 1 and one unit whose outputs are ±a: variance a², so unit variance needs a weight of 1/a.
    const a = 1 / 1.8015e16;
    const weight = k.alloc(1);
    k.write(weight, [1]);
    const output = k.alloc(2);
    const forward = () => k.write(output, [k.view(weight)[0] * a, -k.view(weight)[0] * a]);
    expect(() => lsuvRescale(k, [{ name: '0', weight, output: () => output, units: 1 }], forward, 2, () => a, checkLsuvOptions({}))).toThrow(
      /needs weights up to 1\.802e\+16, beyond the 1\.801e\+16 that training allows/,
    );
    expect(k.view(weight)[0]).toBe(1); // put back
  });
});
