/**
 * nn.Linear(bias=False) read without a module expression (a state_dict holding a layer's weight and no bias): the block network
 * it is, its dense layer without a bias (`bias: false`), trained by every optimiser with nothing held at zero, and written back
 * without a `.bias` tensor, with `bias=False` in the module expression, so PyTorch's strict load_state_dict takes it. fromSafetensors,
 * a reader of dense chains, refuses it with the call that reads it; readModelFile's reader (readSafetensors) and convert read it.
 * The files gradscope wrote of such a chain before session 53 (pytorchModule.biasFree, a zero bias held at zero; written by
 * 20d8c97c, test/io/fixtures/bias-free-20d8c97c.json) read into the same network, a checkpoint's Adam state and all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectSameTensors, readSpec, writeSpec } from '../util/safetensors-spec.js';
import { checkpointFromJSON, checkpointOf, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint, restoreOptimizer } from '../../src/io/checkpoint.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { architectureOfPytorch } from '../../src/io/pytorch-import.js';
import { fromSafetensors, readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { modelFromJSON, readModelJSON } from '../../src/network/model-file.js';
import { Network } from '../../src/api/network.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';
import type { BlockModelData } from '../../src/layers/block-model.js';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.fround(0.4 * Math.sin(seed + 1.7 * i)));
/** nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Linear(4, 2)).state_dict(), as save_file writes it. */
const FILE = writeSpec([
  { name: '0.weight', shape: [4, 3], values: values(12, 1) },
  { name: '2.bias', shape: [2], values: values(2, 2) },
  { name: '2.weight', shape: [2, 4], values: values(8, 3) },
]);
const OPTIONS = { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' } as const;
const EXPRESSION = 'nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Linear(4, 2), nn.Softmax(dim=-1))';
const x = [Float32Array.of(0.5, -1, 2), Float32Array.of(-0.3, 0.8, 0.1), Float32Array.of(1.2, 0.4, -0.7)];
const y = [Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 0)];
const BACKENDS = ['ref', 'wasm'] as const;

/** The network read from FILE (readModelFile's reader): a block network. */
const read = () => readSafetensors(FILE, OPTIONS) as BlockModelData;

/**
 * The float64 oracle: the loss (mean cross-entropy over the rows) and gradients of z₁ = W₀x, a₁ = tanh z₁, z₂ = W₁a₁ + b₁,
 * p = softmax z₂, worked by hand from `state` (0.weight [4, 3], 2.weight [2, 4], 2.bias [2]).
 */
function oracle(state: Record<string, ArrayLike<number>>): { loss: number; gradients: Record<string, number[]> } {
  const [w0, w1, b1] = [state['0.weight'], state['2.weight'], state['2.bias']];
  const g: Record<string, number[]> = { '0.weight': Array(12).fill(0), '2.weight': Array(8).fill(0), '2.bias': [0, 0] };
  let loss = 0;
  x.forEach((row, r) => {
    const a = [0, 1, 2, 3].map((j) => Math.tanh(w0[3 * j] * row[0] + w0[3 * j + 1] * row[1] + w0[3 * j + 2] * row[2]));
    const z = [0, 1].map((k) => b1[k] + a.reduce((sum, v, j) => sum + w1[4 * k + j] * v, 0));
    const top = Math.max(...z);
    const total = z.reduce((sum, v) => sum + Math.exp(v - top), 0);
    const p = z.map((v) => Math.exp(v - top) / total);
    loss -= y[r].reduce((sum, t, k) => sum + t * Math.log(p[k]), 0) / x.length;
    const d2 = p.map((v, k) => (v - y[r][k]) / x.length);
    d2.forEach((d, k) => {
      g['2.bias'][k] += d;
      a.forEach((v, j) => (g['2.weight'][4 * k + j] += d * v));
    });
    a.forEach((v, j) => {
      const d1 = (1 - v * v) * (d2[0] * w1[j] + d2[1] * w1[4 + j]);
      row.forEach((xi, i) => (g['0.weight'][3 * j + i] += d1 * xi));
    });
  });
  return { loss, gradients: g };
}

const byName = (tensors: readonly { name: string; values: ArrayLike<number> }[]) => Object.fromEntries(tensors.map((t) => [t.name, t.values]));

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `${what}[${i}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(want[i]));
}

describe('nn.Linear(bias=False) read without a module expression', () => {
  it('is a dense layer without a bias, noted, which fromSafetensors refuses with the call that reads it', async () => {
    const model = read();
    expect(model.layers).toEqual([
      { type: 'dense', units: 4, activation: 'tanh', bias: false },
      { type: 'dense', units: 2, activation: 'softmax' },
    ]);
    expect(model.tensors.map((t) => t.name)).toEqual(['0.weight', '2.weight', '2.bias']);
    expect(model.imported?.notes).toContain('layers[0] (0.weight) has no bias (nn.Linear(bias=False)): read as a dense layer without a bias, a block network, and written back to safetensors without a .bias tensor');
    const refusal = `safetensors: layers[0] (0.weight) has no .bias tensor (nn.Linear(bias=False)): a dense layer without a bias makes a block network, which this reader of dense chains does not return; blockModelFromSafetensors(bytes, { pytorch: "${EXPRESSION}", loss: 'cross-entropy' }) (--pytorch), or readModelFile reads it as one`;
    await expectError(() => fromSafetensors(FILE, OPTIONS), 'BAD_MODEL_FILE', new RegExp(`^${refusal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    // The call it gives reads the very network.
    expect(blockModelFromSafetensors(FILE, { pytorch: EXPRESSION, loss: 'cross-entropy' }).tensors).toEqual(model.tensors);
  });

  it('writes back the very tensors read, with bias=False in the expression, through every holder, on ref and wasm', async () => {
    for (const backend of BACKENDS) {
      const net = await networkFromModel(read(), { backend });
      expect(net.kind).toBe('blocks');
      const written = toSafetensors(net);
      const metadata = expectSameTensors(written, FILE);
      expect(metadata.pytorch).toBe(EXPRESSION);
      // PyTorch's state_dict of that module: 0.weight, 2.weight, 2.bias, and nothing else.
      expect(architectureOfPytorch(metadata.pytorch, 'pytorch').names).toEqual(['0.weight', '2.weight', '2.bias']);
      expect(readSpec(written).names).toEqual(['0.weight', '2.weight', '2.bias']);
      const fromJson = await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend });
      expectSameTensors(toSafetensors(fromJson), FILE);
      const binary = await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend });
      expectSameTensors(toSafetensors(binary), FILE);
    }
  });

  it('has the float64 gradients and SGD step on ref and wasm', async () => {
    const want = oracle(byName(read().tensors));
    for (const backend of BACKENDS) {
      const net = await networkFromModel(read(), { backend });
      expect(Math.abs(net.evaluate(x, y).loss - want.loss), backend).toBeLessThan(1e-6);
      const { parameters } = net.gradients(x, y);
      expect(Object.keys(parameters).sort(), backend).toEqual(['0.weight', '2.bias', '2.weight']);
      for (const name of Object.keys(want.gradients)) expectClose(parameters[name], want.gradients[name], `${backend} ∂${name}`);
      const rate = 0.1;
      const before = byName(net.state());
      net.train(x, y, { epochs: 1, batchSize: 3, optimizer: 'sgd', learningRate: rate, shuffle: false });
      for (const [name, values] of Object.entries(byName(net.state()))) {
        expectClose(values, Array.from(before[name], (v, i) => v - rate * want.gradients[name][i]), `${backend} ${name} after a step`);
      }
      net.dispose();
    }
  });

  it('is trained by every optimiser that trains block networks, clipNorm too, and no bias appears', async () => {
    const mse = { ...OPTIONS, output: 'sigmoid', loss: 'mse' } as const;
    for (const { name, kind } of OPTIMIZERS.filter((o) => o.name !== 'kfac')) {
      const model = readSafetensors(FILE, name === 'levenberg-marquardt' ? mse : OPTIONS) as BlockModelData;
      const net = await networkFromModel(model, { backend: 'wasm' });
      const start = net.evaluate(x, y).loss;
      net.train(x, y, { epochs: 5, batchSize: 3, optimizer: name, shuffle: false, ...(kind === 'first-order' && { clipNorm: 10 }) });
      expect(net.evaluate(x, y).loss, name).toBeLessThan(start);
      expect(net.state().map((t) => t.name), name).toEqual(['0.weight', '2.weight', '2.bias']);
      net.dispose();
    }
  });
});

describe('a bias-free chain gradscope saved before session 53 (pytorchModule.biasFree, written by 20d8c97c)', () => {
  const old = JSON.parse(readFileSync(new URL('./fixtures/bias-free-20d8c97c.json', import.meta.url), 'utf8')) as {
    loss: number;
    state: { name: string; values: number[] }[];
    afterOneMoreStep: { name: string; values: number[] }[];
    safetensors: string;
    modelFile: { pytorchModule: unknown };
    checkpointFile: unknown;
    binaryCheckpoint: string;
  };
  /** The old network's state less its zero bias: the new network's. */
  const without = (state: { name: string; values: number[] }[]) => state.filter((t) => t.name !== '0.bias');

  it('reads as the block network without the bias from its safetensors, JSON model file and checkpoints, computing what it computed', async () => {
    expect(old.modelFile.pytorchModule).toEqual({ biasFree: [0] });
    expect(old.state.find((t) => t.name === '0.bias')!.values).toEqual([0, 0, 0, 0]);
    const safetensors = Buffer.from(old.safetensors, 'base64');
    const models = [
      readSafetensors(safetensors),
      readModelJSON(old.modelFile),
      checkpointFromJSON(old.checkpointFile).model,
      decodeCheckpoint(Buffer.from(old.binaryCheckpoint, 'base64')).model,
    ];
    for (const model of models) {
      expect((model as BlockModelData).layers.map((spec) => spec.type === 'dense' && spec.bias)).toEqual([false, undefined]);
      expect((model as BlockModelData).pytorchModule).toBeUndefined();
      const net = await networkFromModel(model, { backend: 'ref' });
      expect(net.state().map((t) => ({ name: t.name, values: [...t.values] }))).toEqual(without(old.state));
      // Within float32's rounding of the intermediates, which the block layers and the old dense engine round apart.
      expect(Math.abs(net.evaluate(x, y).loss - old.loss)).toBeLessThan(1e-7 * old.loss);
    }
    // Written back, the same safetensors tensors; the readers of dense chains refuse it, naming what reads it.
    expectSameTensors(toSafetensors(await networkFromModel(models[0])), new Uint8Array(safetensors));
    await expectError(() => fromSafetensors(safetensors), 'BAD_MODEL_FILE', /^safetensors: layers\[0\] \(0\.weight\) has no \.bias tensor .*; readModelFile \(gradscope\/node\) or gradscope convert reads it as one$/);
    await expectError(() => modelFromJSON(old.modelFile), 'BAD_MODEL_FILE', /^pytorchModule\.biasFree: layers\[0\] has no bias \(nn\.Linear\(bias=False\)\), which makes a network built from layer specs: read it with readModelJSON or Network\.fromJSON$/);
  });

  it("resumes from its checkpoints, JSON and binary, with the Adam state of the weights: one more step lands where the old route's did", async () => {
    for (const checkpoint of [checkpointFromJSON(old.checkpointFile), decodeCheckpoint(Buffer.from(old.binaryCheckpoint, 'base64'))]) {
      expect(checkpoint.optimizer!.tensors.map((t) => t.length)).toEqual([12, 12, 8, 8, 2, 2]);
      for (const backend of BACKENDS) {
        const net = await networkFromCheckpoint(checkpoint, { backend });
        const optimizer = createOptimizer(net, { name: 'adam', learningRate: 0.05 });
        restoreOptimizer(optimizer, checkpoint.optimizer);
        net.train(x, y, { epochs: 1, batchSize: 3, optimizer, shuffle: false });
        const got = byName(net.state());
        for (const t of without(old.afterOneMoreStep)) expectClose(got[t.name], t.values, `${backend} ${t.name}`);
        net.dispose();
      }
    }
    // A state whose tensors are not the chain's parameters' buffers cannot be carried over: refused as the state's alone.
    const odd = structuredClone(old.checkpointFile) as { training: { optimizer: { tensors: number[][] } } };
    odd.training.optimizer.tensors.pop();
    expect(() => checkpointFromJSON(odd)).toThrow(/^training\.optimizer\.tensors: adam's state was saved for the zero biases an old file held .*only a first-order optimiser's buffers per parameter are carried over.*skipOptimizer/);
    expect(checkpointFromJSON(odd, { skipOptimizer: true }).optimizer).toBeUndefined();
  });

  it('refuses a record that names a layer holding a bias, and a held bias off zero', async () => {
    const safetensors = new TextDecoder('latin1').decode(Buffer.from(old.safetensors, 'base64'));
    const edited = safetensors.replace('\\"biasFree\\":[0]', '\\"biasFree\\":[1]');
    await expectError(() => readSafetensors(Uint8Array.from(edited, (c) => c.charCodeAt(0))), 'BAD_MODEL_FILE', /__metadata__\.pytorchModule\.biasFree: records the layers without a bias as \[1\], but the file holds no \.bias tensor for \[0\]/);
    const json = structuredClone(old.modelFile) as unknown as { layers: { biases: number[] }[] };
    json.layers[0].biases[2] = 0.25;
    await expectError(() => Network.fromJSON(json), 'BAD_MODEL_FILE', /^layers\[0\]\.biases\[2\]: is 0\.25, but layer 0 has no bias \(nn\.Linear\(bias=False\)\): its biases are 0$/);
  });
});
