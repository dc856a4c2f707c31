/**
 * PyTorch's batch-norm block, nn.Linear(bias=False) → nn.BatchNorm1d → nn.ReLU, read by its module expression into a block
 * network whose first layer has no bias (`bias: false`), trained by every optimiser that trains block networks, and written
 * back to safetensors with the very tensors read (no `.bias` for that layer) and `bias=False` in the expression, so PyTorch's
 * strict load_state_dict takes it. The source file is written here byte by byte from the safetensors spec.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/api/network.js';
import { checkpointOf, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { networkFromBlockModel } from '../../src/io/model-data.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors, blockModelToSafetensors } from '../../src/io/safetensors-blocks.js';
import { pytorchExpression } from '../../src/io/pytorch-module.js';
import { checkLayerSpecs } from '../../src/layers/spec.js';
import { expectSameTensors, readSpec, writeSpec } from '../util/safetensors-spec.js';
import { expectError } from '../util/expect-error.js';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.fround(0.4 * Math.sin(seed + 1.7 * i)));
/** The module of a PyTorch user: the batch-norm block, then the output layer in logits (nn.CrossEntropyLoss applies log-softmax). */
const MODULE = 'nn.Sequential(nn.Linear(3, 4, bias=False), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))';
/** Its state_dict, as save_file writes it. */
const FILE = writeSpec([
  { name: '0.weight', shape: [4, 3], values: values(12, 1) },
  { name: '1.weight', shape: [4], values: values(4, 2).map((v) => 1 + v) },
  { name: '1.bias', shape: [4], values: values(4, 3) },
  { name: '1.running_mean', shape: [4], values: values(4, 4) },
  { name: '1.running_var', shape: [4], values: values(4, 5).map((v) => 1 + v) },
  { name: '1.num_batches_tracked', shape: [], values: [17], dtype: 'I64' },
  { name: '3.weight', shape: [2, 4], values: values(8, 6) },
  { name: '3.bias', shape: [2], values: values(2, 7) },
]);
const x = Array.from({ length: 12 }, (_, r) => [Math.sin(r), Math.cos(2 * r), (r % 3) - 1]);
const y = x.map(([a, b]) => (a + b > 0 ? [1, 0] : [0, 1]));

describe('nn.Linear(bias=False) in a block network, by its module expression', () => {
  it('reads into a dense layer without a bias, and writes back the very tensors read with bias=False in the expression', async () => {
    const model = blockModelFromSafetensors(FILE, { pytorch: MODULE, loss: 'cross-entropy' });
    expect(model.layers).toEqual(
      checkLayerSpecs([{ type: 'dense', units: 4, bias: false }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }], 3),
    );
    expect(model.tensors.map((t) => t.name)).toEqual(['0.weight', '2.weight', '2.bias', '2.running_mean', '2.running_var', '2.num_batches_tracked', '4.weight', '4.bias']);
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await networkFromBlockModel(model, { backend });
      expect(net.parameters().map((p) => p.name)).not.toContain('0.bias');
      const written = toSafetensors(net);
      const metadata = expectSameTensors(written, FILE, { expression: true });
      // The module's own tensor names kept (pytorchModule.tensorNames): its expression, ending in logits as the module did.
      expect(metadata.pytorch).toBe(MODULE);
      expect(readSpec(written).names).toEqual(['0.weight', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '3.weight', '3.bias']);
      // gradscope's own files read back the same: the safetensors, the JSON model file and the binary checkpoint.
      expect(blockModelFromSafetensors(written).layers).toEqual(model.layers);
      expectSameTensors(toSafetensors(await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend })), FILE);
      expectSameTensors(toSafetensors(await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend })), FILE);
      net.dispose();
    }
  });

  it("writes gradscope's own names and expression for a network built with bias: false", async () => {
    const layers = checkLayerSpecs([{ type: 'dense', units: 4, bias: false }, { type: 'batch-norm' }, { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh', bias: false }] }, { type: 'dense', units: 1 }], 3);
    expect(pytorchExpression(layers, 3)).toBe(
      'nn.Sequential(nn.Linear(3, 4, bias=False), nn.Identity(), nn.BatchNorm1d(4), Residual(nn.Sequential(nn.Linear(4, 4, bias=False), nn.Tanh())), nn.Linear(4, 1), nn.Identity())',
    );
    const net = await Network.fromJSON(JSON.parse(JSON.stringify((await import('../../src/api/network.js').then((m) => m.createNetwork({ inputs: 3, layers, seed: 4, backend: 'ref' }))).toJSON())), { backend: 'ref' });
    const written = blockModelToSafetensors((await import('../../src/io/model-data.js')).blockModelOf(net));
    const { names, metadata } = readSpec(written);
    expect(names).toEqual(['0.weight', '2.weight', '2.bias', '2.running_mean', '2.running_var', '2.num_batches_tracked', '3.branch.0.weight', '4.weight', '4.bias']);
    expect(JSON.parse(metadata.layers)[0]).toEqual({ type: 'dense', units: 4, activation: 'linear', bias: false });
    expect(blockModelFromSafetensors(written).layers).toEqual(layers);
    net.dispose();
  });

  it('trains with every optimiser that trains block networks, nothing held at zero; K-FAC refuses it as any block network', async () => {
    for (const optimizer of ['sgd', 'adam', 'lars', 'lbfgs', 'hessian-free'] as const) {
      const net = await networkFromBlockModel(blockModelFromSafetensors(FILE, { pytorch: MODULE, loss: 'cross-entropy' }), { backend: 'ref' });
      const before = net.evaluate(x, y).loss;
      net.train(x, y, { epochs: 5, batchSize: 12, optimizer, ...(optimizer === 'lars' && { learningRate: 5 }) });
      expect(net.evaluate(x, y).loss, optimizer).toBeLessThan(before);
      expect(readSpec(toSafetensors(net)).names, optimizer).not.toContain('0.bias');
      net.dispose();
    }
    const net = await networkFromBlockModel(blockModelFromSafetensors(FILE, { pytorch: MODULE, loss: 'cross-entropy' }), { backend: 'ref' });
    await expectError(() => net.train(x, y, { epochs: 1, optimizer: 'kfac' }), 'INVALID_OPTION', /^optimizer: 'kfac' trains networks of dense layers only .*in this one layers\[0\] is dense without a bias/);
    net.dispose();
  });

  it('refuses a state_dict that holds a bias the module expression builds without, naming the tensor', async () => {
    const withBias = writeSpec([
      { name: '0.weight', shape: [4, 3], values: values(12, 1) },
      { name: '0.bias', shape: [4], values: values(4, 9) },
      { name: '1.weight', shape: [4], values: values(4, 2) },
      { name: '1.bias', shape: [4], values: values(4, 3) },
      { name: '1.running_mean', shape: [4], values: values(4, 4) },
      { name: '1.running_var', shape: [4], values: values(4, 5).map((v) => 1 + v) },
      { name: '1.num_batches_tracked', shape: [], values: [17], dtype: 'I64' },
      { name: '3.weight', shape: [2, 4], values: values(8, 6) },
      { name: '3.bias', shape: [2], values: values(2, 7) },
    ]);
    // The option's expression is at fault (INVALID_OPTION), as for any tensor it does not name.
    await expectError(() => blockModelFromSafetensors(withBias, { pytorch: MODULE, loss: 'cross-entropy' }), 'INVALID_OPTION', /^0\.bias: is not a tensor of the layers/);
  });
});
