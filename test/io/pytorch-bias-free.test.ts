/**
 * nn.Linear(bias=False) kept (interop47's "left alone" 7): a state_dict holding a layer's weight and no bias reads with zero
 * biases, records the layer as bias-free (pytorchModule.biasFree), keeps its bias at zero while training (Engine.holdBiasFreeAtZero:
 * the weights then take the bias-free network's steps) and is written back without a `.bias` tensor, with `bias=False` in the module
 * expression, so PyTorch's strict load_state_dict takes it. The source file is written here byte by byte from the safetensors spec.
 */
import { describe, expect, it } from 'vitest';
import { expectSameTensors, readSpec, writeSpec } from '../util/safetensors-spec.js';
import { checkpointOf, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import { architectureOfPytorch } from '../../src/io/pytorch-import.js';
import { fromSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { Network } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';
import { OPTIMIZERS } from '../../src/optim/index.js';
import { BIAS_FREE_OPTIMIZERS } from '../../src/training/train.js';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.fround(0.4 * Math.sin(seed + 1.7 * i)));
/** nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Linear(4, 2)).state_dict(), as save_file writes it. */
const FILE = writeSpec([
  { name: '0.weight', shape: [4, 3], values: values(12, 1) },
  { name: '2.bias', shape: [2], values: values(2, 2) },
  { name: '2.weight', shape: [2, 4], values: values(8, 3) },
]);
const OPTIONS = { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' } as const;
const x = [Float32Array.of(0.5, -1, 2), Float32Array.of(-0.3, 0.8, 0.1), Float32Array.of(1.2, 0.4, -0.7)];
const y = [Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 0)];

describe('nn.Linear(bias=False) through gradscope and back', () => {
  it('reads with zero biases, records the layer, and writes back the very tensors read, with bias=False in the expression', async () => {
    const model = fromSafetensors(FILE, OPTIONS);
    expect(model.pytorchModule).toEqual({ biasFree: [0] });
    expect([...model.biases[0]]).toEqual([0, 0, 0, 0]);
    expect(model.imported?.notes).toContain('layers[0] (0.weight) has no bias (nn.Linear(bias=False)): read with zero biases, held at zero while training, and written back to safetensors without a .bias tensor');
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await networkFromModel(model, { backend });
      const written = toSafetensors(net);
      const metadata = expectSameTensors(written, FILE, { expression: true });
      expect(metadata.pytorch).toBe('nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Linear(4, 2), nn.Softmax(dim=-1))');
      // PyTorch's state_dict of that module: 0.weight, 2.weight, 2.bias, and nothing else.
      expect(architectureOfPytorch(metadata.pytorch, 'pytorch').names).toEqual(['0.weight', '2.weight', '2.bias']);
      expect(readSpec(written).names).toEqual(['0.weight', '2.weight', '2.bias']);
      // gradscope's own file, JSON and binary checkpoint keep the record, and read back the same way.
      expect(fromSafetensors(written)).toMatchObject({ pytorchModule: { biasFree: [0] }, imported: { notes: [] } });
      const fromJson = await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend });
      expectSameTensors(toSafetensors(fromJson), FILE);
      const binary = await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend });
      expectSameTensors(toSafetensors(binary), FILE);
    }
  });

  it('keeps the bias at zero while training, the weights taking the steps of the network without it', async () => {
    for (const optimizer of ['sgd', 'adam', 'rmsprop', 'adagrad'] as const) {
      const net = await networkFromModel(fromSafetensors(FILE, OPTIONS));
      net.train(x, y, { epochs: 5, batchSize: 2, optimizer, learningRate: 0.05 });
      expect([...net.state().find((t) => t.name === '0.bias')!.values], optimizer).toEqual([0, 0, 0, 0]);
      expect(readSpec(toSafetensors(net)).names).toEqual(['0.weight', '2.weight', '2.bias']);
    }
    // Full-batch SGD on the bias-free network, step by step from its gradients, against train()'s steps.
    const rate = 0.1;
    const trained = await networkFromModel(fromSafetensors(FILE, OPTIONS), { backend: 'ref' });
    trained.train(x, y, { epochs: 4, batchSize: 3, optimizer: 'sgd', learningRate: rate, shuffle: false });
    const byHand = await networkFromModel(fromSafetensors(FILE, OPTIONS), { backend: 'ref' });
    for (let step = 0; step < 4; step++) {
      const { parameters } = byHand.gradients(x, y);
      byHand.loadState(
        byHand.state().map((t) => ({ ...t, values: t.name === '0.bias' ? t.values : t.values.map((v, i) => v - rate * parameters[t.name][i]) })),
        { initialisation: byHand.initialisation },
      );
    }
    const want = byHand.state();
    trained.state().forEach((t, i) => t.values.forEach((v, j) => expect(v).toBeCloseTo(want[i].values[j], 6)));
    expect(trained.state()[1].values.every((b) => b === 0)).toBe(true);
  });

  it('refuses, before anything changes, an optimiser or a clipNorm whose step would read the bias gradient', async () => {
    const net = await networkFromModel(fromSafetensors(FILE, OPTIONS));
    const before = net.state();
    expect(() => net.train(x, y, { epochs: 1, optimizer: 'lbfgs' })).toThrow(
      "train: layers[0] has no bias (nn.Linear(bias=False) in its PyTorch module: net.pytorchModule.biasFree), held at zero by putting it back after every step; that trains the network without it only where no weight's step reads a bias's gradient, not with lbfgs, whose step reads every layer's gradients together: use sgd, adam, adamw, rmsprop or adagrad",
    );
    for (const optimizer of OPTIMIZERS.map((o) => o.name).filter((name) => !BIAS_FREE_OPTIMIZERS.includes(name) && name !== 'levenberg-marquardt')) {
      expect(() => net.train(x, y, { epochs: 1, optimizer }), optimizer).toThrow(`layers[0] has no bias (nn.Linear(bias=False) in its PyTorch module: net.pytorchModule.biasFree)`);
    }
    // Levenberg–Marquardt takes mse alone: refused for the bias-free layer on a network it would train.
    const mse = await networkFromModel(fromSafetensors(FILE, { ...OPTIONS, output: 'sigmoid', loss: 'mse' }));
    expect(() => mse.train(x, y, { epochs: 1, optimizer: 'levenberg-marquardt' })).toThrow(/not with levenberg-marquardt, whose step reads every layer's gradients together/);
    expect(() => net.train(x, y, { epochs: 1, optimizer: 'sgd', clipNorm: 1 })).toThrow(/not with clipNorm, whose norm counts every gradient: use sgd, adam, adamw, rmsprop or adagrad without clipNorm$/);
    expect(net.state()).toEqual(before);
  });

  it('refuses to write a bias-free layer whose bias is not zero (put there by loadState), and a record the file contradicts', async () => {
    const net = await networkFromModel(fromSafetensors(FILE, OPTIONS));
    net.loadState(net.state().map((t) => (t.name === '0.bias' ? { ...t, values: Float32Array.of(0, 0.5, 0, 0) } : t)));
    await expectError(() => toSafetensors(net), 'INVALID_OPTION', /^toSafetensors: layers\[0\] has no bias in its PyTorch module \(pytorchModule\.biasFree, nn\.Linear\(bias=False\)\), but its bias\[1\] is 0\.5, not 0/);
    const model = modelOf(await networkFromModel(fromSafetensors(FILE, OPTIONS)));
    await expectError(() => toSafetensors({ ...model, pytorchModule: { biasFree: [2] } }), 'INVALID_OPTION', /pytorchModule\.biasFree\[0\]: expected a dense layer's index from 0 to 1, got 2/);
    // A file whose record names a layer that holds a bias: refused naming the record.
    const written = toSafetensors(model);
    const edited = new TextDecoder('latin1').decode(written).replace('\\"biasFree\\":[0]', '\\"biasFree\\":[1]');
    await expectError(() => fromSafetensors(Uint8Array.from(edited, (c) => c.charCodeAt(0))), 'BAD_MODEL_FILE', /__metadata__\.pytorchModule\.biasFree: records the layers without a bias as \[1\], but the file holds no \.bias tensor for \[0\]/);
  });

  it("refuses a model file whose bias-free layer holds a bias off zero (it would be evaluated with it until train()'s first step zeroed it)", async () => {
    const json = JSON.parse(JSON.stringify((await networkFromModel(fromSafetensors(FILE, OPTIONS))).toJSON())) as { layers: { biases: number[] }[] };
    json.layers[0].biases[2] = 0.25;
    await expectError(() => Network.fromJSON(json), 'BAD_MODEL_FILE', /layers\[0\]\.biases\[2\]: is 0\.25, but pytorchModule\.biasFree names layer 0 as built without a bias \(nn\.Linear\(bias=False\)\): its biases are 0/);
    json.layers[0].biases[2] = 0;
    expect((await Network.fromJSON(json)).pytorchModule?.biasFree).toEqual([0]);
  });
});
