// Block networks in gradscope's own files: the JSON model format version 2 (round trips, version 1
// files still load, damaged version 2 files refused with BAD_MODEL_FILE naming the field), the
// BlockModelData bridges, and checkpoints that resume training bit for bit with batch norm's running
// statistics, num_batches_tracked, the optimiser's state and the RNG.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, restoreOptimizer } from '../../src/io/checkpoint.js';
import { loadCheckpoint, loadModel, saveModel } from '../../src/io/files.js';
import { blockModelOf, networkFromBlockModel, networkFromModel } from '../../src/io/model-data.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { BlockModelFile } from '../../src/network/block-model-file.js';
import { readModelJSON, type ModelFile } from '../../src/network/model-file.js';
import { Adam } from '../../src/optim/adam.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-blocks-'));
const kernels = await createWasmKernels();
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }, { type: 'batch-norm' }] },
  { type: 'activation', activation: 'selu' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const rng = new Rng(8);
const X = Array.from({ length: 30 }, () => Array.from({ length: 4 }, () => rng.normal()));
const Y = X.map((row) => (row[0] > 0.3 ? [1, 0, 0] : row[1] > 0 ? [0, 1, 0] : [0, 0, 1]));

const blockNet = () => createNetwork({ inputs: 4, layers: SPECS, seed: 3, backend: kernels });

/** Every parameter and state buffer, bit for bit, with the step and the RNG state. */
function bits(net: Network): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(net.state().map((t) => [t.name, Array.from(new Uint32Array(t.values.buffer))]));
  return { ...out, step: [net.step], rng: net.rng.getState() };
}

describe('model JSON version 2', () => {
  it('writes a block network as version 2 (specs, tensors by name in state_dict order, running statistics included) and reads it back bit for bit', async () => {
    const net = await blockNet();
    net.train(X, Y, { epochs: 2, batchSize: 10 });
    const file = net.toJSON() as BlockModelFile;
    expect([file.format, file.version, file.inputs, file.loss]).toEqual(['gradscope.model', 2, 4, 'cross-entropy']);
    expect(file.layers).toEqual(net.layers);
    expect(Object.keys(file.tensors)).toEqual(net.state().map((t) => t.name));
    expect(file.tensors['2.num_batches_tracked']).toEqual({ shape: [], values: [6] });
    expect(file.tensors['3.branch.3.running_var'].values.some((v) => v !== 1)).toBe(true);
    const back = await Network.fromJSON(JSON.stringify(file), { backend: kernels });
    expect(back.kind).toBe('blocks');
    const { step: _s, rng: _r, ...tensors } = bits(net);
    const { step: _s2, rng: _r2, ...backTensors } = bits(back);
    expect(backTensors).toEqual(tensors);
    expect(back.predict(X)).toEqual(net.predict(X));
    expect(back.rng.getState()).toEqual(new Rng(1).getState());
    net.dispose();
    back.dispose();
  });

  it('keeps writing version 1 for dense networks, and version 1 files still load', async () => {
    const net = await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 3, backend: kernels });
    const file = net.toJSON() as ModelFile;
    expect(file.version).toBe(1);
    const back = await Network.fromJSON(file, { backend: kernels });
    expect(back.kind).toBe('dense');
    expect(back.predict(X)).toEqual(net.predict(X));
    net.dispose();
    back.dispose();
  });

  const good = async () => {
    const net = await blockNet();
    const file = JSON.parse(JSON.stringify(net.toJSON())) as Record<string, unknown> & { tensors: Record<string, { shape: number[]; values: number[] }>; layers: unknown[] };
    net.dispose();
    return file;
  };
  const damaged: [string, (f: Awaited<ReturnType<typeof good>>) => void, RegExp][] = [
    ['a bad version', (f) => (f.version = 3), /^version: this gradscope reads versions 1 and 2, got 3/],
    ['no inputs', (f) => delete f.inputs, /^model\.inputs: /],
    ['an unknown layer type', (f) => (f.layers[1] = { type: 'dropout' }), /^model\.layers\[1\]\.type: /],
    ['a branch that changes the width', (f) => ((f.layers[2] as { layers: unknown[] }).layers[1] = { type: 'dense', units: 2 }), /^model\.layers\[2\]\.layers: a residual branch must keep the width/],
    ['a loss the output cannot take', (f) => (f.loss = 'binary-cross-entropy'), /^model\.loss: loss 'binary-cross-entropy' needs a 'sigmoid' output/],
    ['no tensors', (f) => delete (f as Record<string, unknown>).tensors, /^model\.tensors: expected an object of tensors by name/],
    ['a missing tensor', (f) => delete f.tensors['2.running_mean'], /^model\.tensors\["2\.running_mean"\]: missing/],
    ['a tensor the layers do not have', (f) => (f.tensors['9.weight'] = { shape: [1], values: [1] }), /^model\.tensors\["9\.weight"\]: not a tensor of these layers/],
    ['a wrong shape', (f) => (f.tensors['0.weight'].shape = [4, 6]), /^model\.tensors\["0\.weight"\]\.shape: expected \[6, 4\]/],
    ['too few values', (f) => f.tensors['0.bias'].values.pop(), /^model\.tensors\["0\.bias"\]\.values: expected 6 numbers/],
    ['a non-finite value', (f) => (f.tensors['3.alpha'].values[0] = null as unknown as number), /^model\.tensors\["3\.alpha"\]\.values\[0\]: null is not a finite number/],
    ['a negative running variance', (f) => (f.tensors['2.running_var'].values[1] = -1), /^model\.tensors\["2\.running_var"\]\.values\[1\]: -1 is negative/],
    ['a batch count that is not whole', (f) => (f.tensors['2.num_batches_tracked'].values[0] = 1.5), /^model\.tensors\["2\.num_batches_tracked"\]\.values\[0\]: 1\.5 is not a count/],
  ];
  it.each(damaged)('refuses %s with BAD_MODEL_FILE naming the field', async (_what, damage, message) => {
    const file = await good();
    damage(file);
    await expectError(() => readModelJSON(file), 'BAD_MODEL_FILE', message);
    await expectError(() => Network.fromJSON(file, { backend: kernels }), 'BAD_MODEL_FILE', message);
  });
});

describe('a file that is not a model', () => {
  it('a data file ({ inputs, targets }) given as a model is named as one; another object only by its format tag', async () => {
    const data = { inputs: [[0, 1]], targets: [[1]] };
    await expectError(() => readModelJSON(data), 'BAD_MODEL_FILE', /^format: expected "gradscope\.model", there is none: this is a data file \(\{ inputs, targets \}\), not a model$/);
    await expectError(() => readModelJSON({ format: 'other', inputs: [], targets: [] }), 'BAD_MODEL_FILE', /^format: expected "gradscope\.model", got the string "other"$/);
  });
  it('a model file without its loss (which the format records, docs/api.md) says it is missing and which to add, either version', async () => {
    // newuser29's file without one read 'loss: expected one of mse, cross-entropy, binary-cross-entropy, got undefined'.
    const missing = ': missing: a gradscope model file records the loss its network was trained on, one of mse, cross-entropy, binary-cross-entropy (every gradscope command computes with it): add the one it was trained on';
    const dense = await createNetwork({ sizes: [2, 3, 2], seed: 1, backend: kernels });
    const blocks = await blockNet();
    for (const [net, where] of [[dense, 'loss'], [blocks, 'model.loss']] as const) {
      const { loss: _, ...file } = net.toJSON() as unknown as Record<string, unknown>;
      await expectError(() => readModelJSON(file), 'BAD_MODEL_FILE', new RegExp(`^${where.replace('.', '\\.')}${missing.replace(/[()]/g, '\\$&')}$`));
      net.dispose();
    }
  });
  it('any other JSON without a format tag (a package.json, say) is said not to be a model or checkpoint', async () => {
    await expectError(() => readModelJSON({ name: 'gradscope', version: '0.1.0' }), 'BAD_MODEL_FILE', /^format: expected "gradscope\.model", there is none: this JSON is not a gradscope model or checkpoint$/);
  });
});

describe('BlockModelData bridges', () => {
  it('blockModelOf copies any network (dense ones as dense specs); networkFromBlockModel rebuilds it', async () => {
    const net = await blockNet();
    net.train(X, Y, { epochs: 1, batchSize: 10 });
    const data = blockModelOf(net);
    expect(data.tensors.map((t) => [t.name, t.shape, t.dtype])).toEqual(net.state().map((t) => [t.name, t.shape, t.dtype]));
    const back = await networkFromBlockModel(data, { backend: kernels });
    expect(back.predict(X)).toEqual(net.predict(X));
    data.tensors[0].values[0] = 99; // a copy: the network is untouched
    expect(blockModelOf(net).tensors[0].values[0]).not.toBe(99);

    const dense = await createNetwork({ sizes: [4, 5, 3], activation: 'tanh', seed: 2, backend: kernels });
    const denseData = blockModelOf(dense);
    expect(denseData.layers).toEqual([{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }]);
    expect(denseData.tensors.map((t) => t.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const denseBack = await networkFromModel(denseData, { backend: kernels });
    expect(denseBack.kind).toBe('dense');
    expect(denseBack.predict(X)).toEqual(dense.predict(X));
    for (const n of [net, back, dense, denseBack]) n.dispose();
  });

  it('refuses bad BlockModelData with BAD_MODEL_FILE, and modelOf refuses a block network', async () => {
    const net = await blockNet();
    const data = blockModelOf(net);
    data.tensors[3] = { ...data.tensors[3], values: new Float32Array(2) };
    await expectError(() => networkFromBlockModel(data, { backend: kernels }), 'BAD_MODEL_FILE', /^model\.tensors\[3\] \(2\.bias\)|2\.bias: expected a Float32Array of 6 values/);
    const { modelOf } = await import('../../src/io/model-data.js');
    await expectError(() => modelOf(net), 'INVALID_OPTION', /use blockModelOf\(net\)/);
    net.dispose();
  });
});

describe('checkpoints of block networks', () => {
  it.each(['json', 'binary'] as const)('%s: train 2 epochs == train 1, save, load, train 1, bit for bit (running statistics, counters, Adam, RNG)', async (format) => {
    const options = { epochs: 1, batchSize: 8, learningRate: 0.01 } as const; // shuffled by the network's RNG; 30 rows: a short last batch of 6 (batch norm refuses 1 or 2)
    const straight = await blockNet();
    straight.train(X, Y, { ...options, epochs: 2, optimizer: new Adam(straight) });

    const first = await blockNet();
    const adam = new Adam(first);
    first.train(X, Y, { ...options, optimizer: adam });
    const path = join(folder, `resume.${format}`);
    await saveModel(first, path, { format, optimizer: adam });
    const { network: resumed, checkpoint } = await loadCheckpoint(path, { backend: kernels });
    expect(bits(resumed)).toEqual(bits(first));
    const resumedAdam = new Adam(resumed);
    restoreOptimizer(resumedAdam, checkpoint.optimizer);
    resumed.train(X, Y, { ...options, optimizer: resumedAdam });

    expect(bits(resumed)).toEqual(bits(straight));
    expect(resumed.predict(X)).toEqual(straight.predict(X));
    for (const n of [straight, first, resumed]) n.dispose();
  });

  it('encodes a block network as binary version 2 and JSON version 2, and reads both back', async () => {
    const net = await blockNet();
    net.train(X, Y, { epochs: 1, batchSize: 10 });
    const bytes = encodeCheckpoint(checkpointOf(net));
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(2);
    expect(decodeCheckpoint(bytes)).toEqual(checkpointOf(net));
    expect(checkpointFromJSON(JSON.stringify(checkpointToJSON(checkpointOf(net))))).toEqual(checkpointOf(net));
    const loaded = await loadModel(await (async () => {
      const path = join(folder, 'plain.bin');
      await saveModel(net, path);
      return path;
    })(), { backend: kernels });
    expect(bits(loaded)).toEqual(bits(net));
    net.dispose();
    loaded.dispose();
  });
});
