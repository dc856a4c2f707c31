/**
 * The layer modules of src/layers one property at a time: PyTorch state_dict names and shapes,
 * batch norm's three modes and its running statistics, ReZero starting as the identity, buffers
 * allocated once, and bad specs and losses refused with the path of what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { BatchNormLayer } from '../../src/layers/batch-norm.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { stateDict } from '../../src/layers/state-dict.js';
import { BATCH_NORM_MOMENTUM, checkLayerSpecs, NORM_EPSILON, type LayerSpec } from '../../src/layers/spec.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createWasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';

const ref = createRefKernels();
/** A float64 reference tensor holding `values`. */
const refTensor = (values: ArrayLike<number>) => tensorOf(ref, values) as Float64Array;

/** Every kind of block, nested: the example of issue 13 at a small width. */
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 6, activation: 'tanh' }, { type: 'layer-norm' }] },
  { type: 'layer-norm' },
  { type: 'activation', activation: 'selu' },
  { type: 'residual', layers: [{ type: 'batch-norm' }] },
  { type: 'dense', units: 3, activation: 'softmax' },
];

const build = <T extends Tensor>(k: Kernels<T>, specs: LayerSpec[] = SPECS, inputs = 4, capacity = 8) =>
  buildSequential(k, checkLayerSpecs(specs, inputs), inputs, new Rng(1), { capacity });

describe('layer stacks: names, shapes and initial values', () => {
  it("name every tensor as PyTorch's nn.Sequential of the specs does, in state_dict order", () => {
    const stack = build(ref);
    const entries = (list: readonly { name: string; shape: readonly number[] }[]) => list.map((p) => `${p.name} [${p.shape.join(',')}]`);
    expect(entries(stack.parameters)).toEqual([
      '0.weight [6,4]', '0.bias [6]', // nn.Linear, then nn.ReLU() at 1
      '2.weight [6]', '2.bias [6]', // nn.BatchNorm1d
      '3.alpha []', '3.branch.0.weight [6,6]', '3.branch.0.bias [6]', '3.branch.2.weight [6]', '3.branch.2.bias [6]', // Residual(rezero): Linear, Tanh, LayerNorm
      '4.weight [6]', '4.bias [6]', // nn.LayerNorm; nn.SELU() at 5
      '6.branch.0.weight [6]', '6.branch.0.bias [6]', // Residual(none) around a BatchNorm1d
      '7.weight [3,6]', '7.bias [3]', // nn.Linear; nn.Softmax at 8
    ]);
    expect(entries(stack.buffers)).toEqual([
      '2.running_mean [6]', '2.running_var [6]', '2.num_batches_tracked []',
      '6.branch.0.running_mean [6]', '6.branch.0.running_var [6]', '6.branch.0.num_batches_tracked []',
    ]);
    expect(stack.moduleIndex).toEqual([0, 2, 3, 4, 5, 6, 7]);
    // state_dict(): each module's parameters, then its buffers, then its children's
    expect(stateDict(stack).map((e) => e.name)).toEqual([
      '0.weight', '0.bias', '2.weight', '2.bias', '2.running_mean', '2.running_var', '2.num_batches_tracked',
      '3.alpha', '3.branch.0.weight', '3.branch.0.bias', '3.branch.2.weight', '3.branch.2.bias', '4.weight', '4.bias',
      '6.branch.0.weight', '6.branch.0.bias', '6.branch.0.running_mean', '6.branch.0.running_var', '6.branch.0.num_batches_tracked',
      '7.weight', '7.bias',
    ]);
    expect(stateDict(stack).find((e) => e.name === '6.branch.0.running_var')!.value).toBe(stack.buffers[4].value);
    stack.dispose();
  });

  it('start normalisation at γ = 1, β = 0, running statistics 0 and 1, and ReZero at α = 0 (the identity)', () => {
    const stack = build(ref);
    const value = (name: string) => Array.from(ref.view([...stack.parameters, ...stack.buffers].find((p) => p.name === name)!.value));
    expect(value('2.weight')).toEqual(new Array(6).fill(1));
    expect(value('4.bias')).toEqual(new Array(6).fill(0));
    expect(value('2.running_mean')).toEqual(new Array(6).fill(0));
    expect(value('2.running_var')).toEqual(new Array(6).fill(1));
    expect(value('2.num_batches_tracked')).toEqual([0]);
    expect(value('3.alpha')).toEqual([0]);
    const block = stack.layers[2];
    const x = refTensor(Array.from({ length: 5 * 6 }, (_, i) => Math.sin(i)));
    block.forward(x, 5, 'train');
    expect(Array.from(ref.view(block.output).subarray(0, 5 * 6))).toEqual(Array.from(ref.view(x)));
    stack.dispose();
  });

  it('give the same initial parameters on every backend for one seed', async () => {
    const wasm = await createWasmKernels();
    const [a, b] = [build(ref), build(wasm)];
    a.parameters.forEach((p, i) => expectClose(wasm.view(b.parameters[i].value), ref.view(p.value), { rel: 0 }, p.name));
    a.dispose();
    b.dispose();
  });
});

describe('batch norm layer', () => {
  const [batch, n] = [5, 3];
  const rng = new Rng(2);
  const xs = Array.from({ length: batch * n }, () => Math.fround(3 * rng.normal() + 1));
  const column = (j: number) => xs.filter((_, i) => i % n === j);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const variance = (v: number[]) => mean(v.map((x) => (x - mean(v)) ** 2));

  it("'train' uses batch statistics and moves the running ones by momentum 0.1 (variance unbiased), counting the batch", () => {
    const layer = new BatchNormLayer(ref, n, batch);
    layer.forward(refTensor(xs), batch, 'train');
    layer.forward(refTensor(xs), batch, 'train');
    const m = BATCH_NORM_MOMENTUM;
    const cols = [0, 1, 2].map(column);
    expectClose(ref.view(layer.runningMean.value), cols.map((c) => (1 - (1 - m) ** 2) * mean(c)), { rel: 1e-12 }, 'running mean');
    const unbiased = cols.map((c) => (variance(c) * batch) / (batch - 1));
    expectClose(ref.view(layer.runningVar.value), unbiased.map((v) => (1 - m) ** 2 + (1 - (1 - m) ** 2) * v), { rel: 1e-12 }, 'running variance');
    expect(Array.from(ref.view(layer.batchesTracked.value))).toEqual([2]);
    const y = ref.view(layer.output);
    expectClose(y, xs.map((x, i) => (x - mean(cols[i % n])) / Math.sqrt(variance(cols[i % n]) + NORM_EPSILON)), { rel: 1e-12, abs: 1e-14 }, 'y');
  });

  it("'batch' uses batch statistics and leaves the running ones and the count alone; 'eval' uses the running ones", () => {
    const layer = new BatchNormLayer(ref, n, batch);
    ref.write(layer.runningMean.value, [1, -2, 0.5]);
    ref.write(layer.runningVar.value, [4, 0.25, 1]);
    layer.forward(refTensor(xs), batch, 'batch');
    expect(Array.from(ref.view(layer.runningMean.value))).toEqual([1, -2, 0.5]);
    expect(Array.from(ref.view(layer.runningVar.value))).toEqual([4, 0.25, 1]);
    expect(Array.from(ref.view(layer.batchesTracked.value))).toEqual([0]);
    layer.forward(refTensor(xs), batch, 'eval');
    const rm = [1, -2, 0.5], rv = [4, 0.25, 1];
    expectClose(ref.view(layer.output), xs.map((x, i) => (x - rm[i % n]) / Math.sqrt(rv[i % n] + NORM_EPSILON)), { rel: 1e-12 }, 'eval y');
    expect(Array.from(ref.view(layer.batchesTracked.value))).toEqual([0]);
  });

  it("refuses a one-row 'train' or 'batch' forward (variance 0) without moving its statistics; 'eval' takes one row", async () => {
    const layer = new BatchNormLayer(ref, n, batch);
    const one = refTensor(xs.slice(0, n));
    for (const mode of ['train', 'batch'] as const) {
      await expectError(() => layer.forward(one, 1, mode), 'INVALID_OPTION', new RegExp(`batch-norm: a '${mode}' forward needs at least 2 rows .*got 1`));
    }
    expect(Array.from(ref.view(layer.runningMean.value))).toEqual([0, 0, 0]);
    expect(Array.from(ref.view(layer.runningVar.value))).toEqual([1, 1, 1]);
    expect(Array.from(ref.view(layer.batchesTracked.value))).toEqual([0]);
    await expectError(() => layer.backward(one, null, one, 1), 'INVALID_OPTION', /backward needs a forward with batch statistics/);
    layer.forward(one, 1, 'eval');
    expectClose(ref.view(layer.output).slice(0, n), xs.slice(0, n).map((x) => x / Math.sqrt(1 + NORM_EPSILON)), { rel: 1e-12 }, 'eval y');
  });

  it('refuses backward after an evaluation-mode forward', async () => {
    const layer = new BatchNormLayer(ref, n, batch);
    const x = refTensor(xs);
    layer.forward(x, batch, 'eval');
    await expectError(() => layer.backward(x, null, x, batch), 'INVALID_OPTION', /batch-norm: backward needs a forward with batch statistics/);
  });
});

describe('layer stacks: memory', () => {
  it('allocate their buffers once: steps at the same or a smaller batch allocate nothing, a larger batch grows them once', async () => {
    const wasm = await createWasmKernels();
    const stack = build(wasm, SPECS, 4, 16);
    const rng = new Rng(3);
    const data = (batch: number) => ({
      x: wasmTensorOf(wasm, Array.from({ length: batch * 4 }, () => rng.normal())),
      y: wasmTensorOf(wasm, Array.from({ length: batch * 3 }, (_, i) => (i % 3 === 0 ? 1 : 0))),
    });
    const [big, small, bigger] = [data(16), data(5), data(40)];
    const step = ({ x, y }: { x: WasmTensor; y: WasmTensor }, batch: number) => {
      stack.reserve(batch);
      stack.zeroGradients();
      stack.forward(x, batch, 'train');
      stack.lossBackward('cross-entropy', y, x, batch, null);
    };
    step(big, 16);
    const before = wasm.bytesInUse;
    for (let i = 0; i < 3; i++) {
      step(big, 16);
      step(small, 5);
    }
    expect(wasm.bytesInUse, 'bytes after more steps').toBe(before);
    step(bigger, 40);
    const grown = wasm.bytesInUse;
    expect(grown).toBeGreaterThan(before);
    step(bigger, 40);
    step(small, 5);
    expect(wasm.bytesInUse, 'bytes after growing once').toBe(grown);
    stack.dispose();
  });
});

describe('layer specs and losses: refused with where and why', () => {
  it.each([
    [[], /layers: expected a non-empty array/],
    [[{ type: 'conv' }], /layers\[0\]\.type: expected one of dense, batch-norm, layer-norm, activation, residual, got "conv"/],
    [[{ type: 'dense', units: 0 }], /layers\[0\]\.units: expected a whole number of units/],
    [[{ type: 'dense', units: 3, activation: 'gelu' }], /layers\[0\]\.activation: expected one of/],
    [[{ type: 'activation' }], /layers\[0\]\.activation: expected one of/],
    [[{ type: 'residual', gate: 'highway', layers: [{ type: 'batch-norm' }] }], /layers\[0\]\.gate: expected one of none, rezero, got "highway"/],
    [[{ type: 'batch-norm' }, { type: 'residual', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 5 }] }], /layers\[1\]\.layers: a residual branch must keep the width \(4\), but it ends with 5 units/],
    [[{ type: 'residual', layers: [{ type: 'residual', layers: [{ type: 'dense', units: 'wide' }] }] }], /layers\[0\]\.layers\[0\]\.layers\[0\]\.units/],
    [[{ type: 'dense', units: 3, activation: 'softmax' }, { type: 'batch-norm' }], /layers\[0\]: softmax only as the output layer/],
    [[{ type: 'residual', layers: [{ type: 'activation', activation: 'softmax' }] }], /layers\[0\]\.layers\[0\]: softmax only as the output layer/],
  ])('%j', async (specs, message) => {
    await expectError(() => checkLayerSpecs(specs, 4), 'INVALID_OPTION', message);
  });

  it('refuse a loss the output layer cannot pair with', async () => {
    const endsInNorm = build(ref, [{ type: 'dense', units: 3 }, { type: 'batch-norm' }]);
    const y = refTensor([1, 0, 0]);
    await expectError(() => endsInNorm.lossBackward('cross-entropy', y, y, 1), 'INVALID_OPTION', /loss 'cross-entropy' needs a 'softmax' output layer.*batch-norm layer/);
    const softmax = build(ref, [{ type: 'activation', activation: 'softmax' }], 3);
    await expectError(() => softmax.loss('mse', y, y, 1), 'INVALID_OPTION', /loss 'mse' needs any output but softmax/);
  });
});
