/**
 * Block networks with dense layers built without a bias (`bias: false`, nn.Linear(bias=False)) through
 * the public API: no bias anywhere (net.layers, parameters, state, gradients, the JSON model file and
 * the checkpoint), a dense-only list with one such layer built as a block network, every optimiser
 * that trains block networks training it with nothing held at zero, and a trace whose bias-free rows
 * record no ‖∂C/∂b‖ (read back from its JSON, diagnosed without a non-finite value).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { blockModelOf, networkFromModel } from '../../src/io/model-data.js';
import { cancelledBiasNote, biasesCancelledByBatchNorm } from '../../src/flow/cancelled-biases.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { OPTIMIZERS } from '../../src/optim/index.js';
import { blobs } from '../util/blobs.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

/** PyTorch's batch-norm block: Linear(bias=False) → BatchNorm1d → ReLU, then a bias-free layer inside a residual branch. */
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, bias: false },
  { type: 'batch-norm' },
  { type: 'activation', activation: 'relu' },
  { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'tanh', bias: false }] },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const data = blobs(48, 3);

const names = (net: Network) => net.parameters().map((p) => p.name);

describe('a block network with dense layers without a bias', () => {
  it('holds no bias for them: net.layers, parameters(), state(), gradients() and the count', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 3, backend: 'ref' });
    expect(net.kind).toBe('blocks');
    expect(net.layers[0]).toEqual({ type: 'dense', units: 6, activation: 'linear', bias: false });
    expect(net.layers[3]).toEqual({ type: 'residual', gate: 'none', layers: [{ type: 'dense', units: 6, activation: 'tanh', bias: false }] });
    expect(names(net)).toEqual(['0.weight', '2.weight', '2.bias', '4.branch.0.weight', '5.weight', '5.bias']);
    expect(net.state().map((t) => t.name)).toEqual(['0.weight', '2.weight', '2.bias', '2.running_mean', '2.running_var', '2.num_batches_tracked', '4.branch.0.weight', '5.weight', '5.bias']);
    expect(net.parameterCount).toBe(6 * 4 + 2 * 6 + 6 * 6 + 3 * 6 + 3);
    expect(Object.keys(net.gradients(data.x, data.y).parameters)).toEqual(names(net));
    net.dispose();
  });

  it('builds a dense-only list with a bias-free layer as a block network, which a dense-only tool refuses naming that layer', async () => {
    const net = await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'tanh', bias: false }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref' });
    expect(net.kind).toBe('blocks');
    expect(names(net)).toEqual(['0.weight', '2.weight', '2.bias']);
    await expectError(() => net.train(data.x, data.y, { epochs: 1, optimizer: 'kfac' }), 'INVALID_OPTION', quotePattern(codeQuoteOn('docs/api.md', 'layers[0] is dense without a bias')));
    net.dispose();
  });

  const trainable = OPTIMIZERS.filter((o) => o.supports === 'any').map((o) => o.name);
  it.each(trainable)('%s trains it (first-order ones clipped too) and no bias appears', async (optimizer) => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 5, backend: 'wasm' });
    const start = net.evaluate(data.x, data.y).loss;
    const learningRate = optimizer === 'lars' ? 5 : undefined;
    const batchSize = ['lbfgs', 'levenberg-marquardt', 'hessian-free'].includes(optimizer) ? 48 : 12;
    // Levenberg–Marquardt takes mse alone: a regression network of the same layers.
    if (optimizer === 'levenberg-marquardt') {
      const mse = await createNetwork({ inputs: 4, layers: [...SPECS.slice(0, -1), { type: 'dense', units: 3 }], loss: 'mse', seed: 5, backend: 'wasm' });
      const before = mse.evaluate(data.x, data.y).loss;
      mse.train(data.x, data.y, { epochs: 5, batchSize, optimizer });
      expect(mse.evaluate(data.x, data.y).loss).toBeLessThan(before);
      expect(names(mse)).not.toContain('0.bias');
      mse.dispose();
      net.dispose();
      return;
    }
    // Clipping where it applies (L-BFGS evaluates its own gradients, which clipping the first would not match).
    const clipNorm = OPTIMIZERS.find((o) => o.name === optimizer)!.kind === 'first-order' ? 10 : undefined;
    net.train(data.x, data.y, { epochs: 10, batchSize, optimizer, learningRate, clipNorm });
    expect(net.evaluate(data.x, data.y).loss, optimizer).toBeLessThan(start);
    expect(names(net)).toEqual(['0.weight', '2.weight', '2.bias', '4.branch.0.weight', '5.weight', '5.bias']);
    net.dispose();
  });

  it('comes back from its JSON model file and its checkpoint as it was, bias-free layers and all', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 7, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 2, batchSize: 12 });
    const json = JSON.parse(JSON.stringify(net.toJSON()));
    expect(JSON.stringify(json)).not.toMatch(/"0\.bias"|"4\.branch\.0\.bias"/);
    const read = await Network.fromJSON(json, { backend: 'ref' });
    expect(read.layers).toEqual(net.layers);
    // The file holds float32 values, as state() gives them.
    expect(read.state()).toEqual(net.state());
    const checkpoint = checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpointOf(net)))));
    const restored = await networkFromCheckpoint(checkpoint, { backend: 'ref' });
    expect(restored.state()).toEqual(net.state());
    for (const n of [net, read, restored]) n.dispose();
  });

  it('comes back from every holder as the block network it is where its layers are dense alone (networkOfData paired the tensors as weights and biases)', async () => {
    const dense: LayerSpec[] = [{ type: 'dense', units: 5, activation: 'tanh', bias: false }, { type: 'dense', units: 3, activation: 'softmax' }];
    const net = await createNetwork({ inputs: 4, layers: dense, seed: 2, backend: 'ref' });
    const copies = [
      await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend: 'ref' }),
      await networkFromModel(blockModelOf(net), { backend: 'ref' }),
      await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend: 'ref' }),
    ];
    for (const copy of copies) {
      expect(copy.kind).toBe('blocks');
      expect(copy.state()).toEqual(net.state());
      expect(copy.evaluate(data.x, data.y).loss).toBe(net.evaluate(data.x, data.y).loss);
      copy.dispose();
    }
    net.dispose();
  });

  it("records no ‖∂C/∂b‖ in a bias-free layer's trace row, and its trace JSON and diagnosis say the same", async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 5, backend: 'ref' });
    const { trace } = net.train(data.x, data.y, { epochs: 3, batchSize: 12, trace: { every: 1 } });
    expect(trace.blocks!.layers.map((row) => row.bias)).toEqual([false, undefined, undefined, false, undefined]);
    expect(trace.rowsRecording('biasGradNorm')).toEqual([1, 4]);
    expect(Array.from(trace.series('biasGradNorm', 0)).every(Number.isNaN)).toBe(true);
    expect(Array.from(trace.series('deltaRms', 0)).every((v) => v > 0)).toBe(true);
    const read = Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())));
    expect(read.blocks!.layers).toEqual(trace.blocks!.layers);
    expect(read.rowsRecording('biasGradNorm')).toEqual([1, 4]);
    expect(diagnose(trace).evidence.nonFinite).toBe(false);
    const json = trace.toJSON();
    json.blocks!.layers[1] = { ...json.blocks!.layers[1], bias: false };
    expect(() => Trace.fromJSON(json)).toThrow(/blocks\.layers\[1\]\.bias must be false on a dense row built without a bias, or absent, got false on a 'batch-norm' row/);
    net.dispose();
  });
});

describe('the diagnosis of a trace with a bias-free end of its chain', () => {
  it('says the end has no bias, reads the per-example ‖δ‖ over training time in its place, and cancels no bias it lacks', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 5, backend: 'ref' });
    const { trace } = net.train(data.x, data.y, { epochs: 3, batchSize: 12, trace: { every: 1 } });
    expect(biasesCancelledByBatchNorm(trace)).toEqual([]);
    expect(cancelledBiasNote(trace)).toBe('');
    const d = diagnose(trace);
    expect(d.evidence.chain).toEqual([0, 3]);
    expect(d.evidence.firstToLast.median).toBeNaN();
    expect(d.evidence.lastHiddenChange).toBeNaN();
    expect(d.summary).toContain("No ‖∂C/∂b‖ gap is read: layers[0] ('0', dense), layers[3].layers[0] ('4.branch.0', dense) have no bias (built without one), so no ‖∂C/∂b‖.");
    expect(d.summary).not.toMatch(/was 0 there|cancels its bias/);
    net.dispose();
  });
});
