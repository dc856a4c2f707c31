// Block networks through the public API (issue 13): createNetwork with layer specs, the two kinds
// of engine behind one Network, gradients by name, the modes of batch norm, training with every
// first-order optimiser and L-BFGS, and the typed refusals of the tools written for dense chains
// (Hessian-free, Levenberg–Marquardt and measureCurvature take block networks: test/optim/hessian-free-blocks.test.ts,
// test/optim/levenberg-marquardt-blocks.test.ts, test/curvature/block-curvature.test.ts).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { jacobianSpectrum, meanFieldPrediction } from '../../src/curvature/index.js';
import { GradscopeError } from '../../src/errors.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { MODEL } from '../../src/model.js';
import type { BlockEngine } from '../../src/network/block-engine.js';
import { OPTIMIZERS } from '../../src/optim/index.js';
import { blobs } from '../util/blobs.js';
import { expectError } from '../util/expect-error.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';

const SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] },
  { type: 'activation', activation: 'selu' },
  { type: 'dense', units: 3, activation: 'softmax' },
];

const data = blobs(48, 3);

function blocks(net: Network): BlockEngine {
  return net[MODEL] as BlockEngine;
}

/** Every parameter and state buffer of the network, as plain numbers: what a refused call must leave alone. */
function snapshot(net: Network): Record<string, number[]> {
  const k = net.kernels;
  const out: Record<string, number[]> = {};
  for (const p of net.parameters()) out[p.name] = Array.from(k.view(p.value));
  if (net.kind === 'blocks') for (const b of blocks(net).buffers) out[b.name] = Array.from(k.view(b.value));
  out.rng = net.rng.getState();
  out.step = [net.step];
  return out;
}

describe('createNetwork with layer specs', () => {
  it('builds the dense engine from dense-only specs: the same network, names and RNG draws as the { units } form', async () => {
    const specs = await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 9, backend: 'ref' });
    const units = await createNetwork({ inputs: 4, layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }], seed: 9, backend: 'ref' });
    expect(specs.kind).toBe('dense');
    expect(specs.sizes).toEqual([4, 5, 3]);
    expect(specs.parameters().map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(snapshot(specs)).toEqual(snapshot(units));
    expect(specs.gradients(data.x, data.y)).toEqual(units.gradients(data.x, data.y));
    expect(units.layers).toEqual([{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }]);
    specs.dispose();
    units.dispose();
  });

  it('refuses specs mixed with { units } layers, naming the entry', async () => {
    await expectError(() => createNetwork({ inputs: 4, layers: [{ units: 5 }, { type: 'batch-norm' }], backend: 'ref' }), 'INVALID_OPTION', /^layers\[1\]: a layer spec \(with type\) among \{ units \} layers/);
    await expectError(() => createNetwork({ inputs: 4, layers: [{ type: 'batch-norm' }, { units: 3 }], backend: 'ref' }), 'INVALID_OPTION', /^layers\[1\]: a \{ units \} layer among layer specs/);
    await expectError(() => createNetwork({ inputs: 4, layers: SPECS, output: 'sigmoid', backend: 'ref' }), 'INVALID_OPTION', /^output: not with layer specs/);
    await expectError(() => createNetwork({ inputs: 4, layers: [{ type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], loss: 'mse', backend: 'ref' }), 'INVALID_OPTION', /loss 'mse' needs any output but softmax/);
    await expectError(() => createNetwork({ inputs: 4, layers: [{ type: 'residual', layers: [{ type: 'dense', units: 3 }] }], backend: 'ref' }), 'INVALID_OPTION', /layers\[0\]\.layers: a residual branch must keep the width \(4\)/);
  });

  it('refuses a key a spec does not take (a typo would change the model silently) and an entry that is not a layer, naming it', async () => {
    const out = { type: 'dense', units: 2, activation: 'softmax' } as const;
    const typos: [unknown[], RegExp][] = [
      [[{ type: 'residual', gat: 'rezero', layers: [{ type: 'dense', units: 4 }] }, out], /^layers\[0\]: unknown option 'gat'; did you mean 'gate'\? \(known: type, gate, layers\)$/],
      [[{ type: 'dense', units: 4, activaton: 'relu' }, { type: 'batch-norm' }, out], /^layers\[0\]: unknown option 'activaton'/],
      [[{ type: 'batch-norm', eps: 0.001 }, out], /^layers\[0\]: unknown option 'eps'.*\(known: type, epsilon, momentum\)$/],
      [[{ type: 'layer-norm', momentum: 0.2 }, out], /^layers\[0\]: unknown option 'momentum'.*\(known: type, epsilon\)$/],
      [[{ type: 'residual', layers: [{ type: 'layer-norm', units: 4 }] }, out], /^layers\[0\]\.layers\[0\]: unknown option 'units'/],
      [[{ units: 4, activaton: 'relu' }, { units: 2 }], /^layers\[0\]: unknown option 'activaton'; did you mean 'activation'\? \(known: units, activation\)$/],
      [[null, out], /^layers\[0\]: expected a layer, \{ type, … \} or \{ units, activation\? \}, got null$/],
      [['dense'], /^layers\[0\]: expected a layer, .*got the string "dense"$/],
    ];
    for (const [layers, message] of typos) {
      await expectError(() => createNetwork({ inputs: 4, layers: layers as LayerSpec[], backend: 'ref' }), 'INVALID_OPTION', message);
    }
  });

  it('builds a block network: its specs, parameters by PyTorch name, a loss from the output layer', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    expect(net.kind).toBe('blocks');
    expect(net.loss).toBe('cross-entropy');
    expect(net.layers[2]).toEqual({ type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] });
    expect(net.parameters().map((p) => [p.name, p.shape, p.group, p.weightMatrix])).toEqual([
      ['0.weight', [6, 4], 0, true],
      ['0.bias', [6], 0, false],
      ['2.weight', [6], 1, false],
      ['2.bias', [6], 1, false],
      ['3.alpha', [], 2, false],
      ['3.branch.0.weight', [6], 3, false],
      ['3.branch.0.bias', [6], 3, false],
      ['3.branch.1.weight', [6, 6], 4, true],
      ['3.branch.1.bias', [6], 4, false],
      ['5.weight', [3, 6], 5, true],
      ['5.bias', [3], 5, false],
    ]);
    expect(net.parameterCount).toBe(net.parameters().reduce((n, p) => n + p.length, 0));
    expect([net.inputSize, net.outputSize]).toEqual([4, 3]);
    for (const [what, call] of [['sizes', () => net.sizes], ['weights', () => net.weights], ['biases', () => net.biases], ['depth', () => net.depth], ['activationFunctions', () => net.activationFunctions]] as const) {
      await expectError(call, 'INVALID_OPTION', new RegExp(`^net\\.${what}: a network built from layer specs has none \\(layers\\[1\\] is batch-norm\\); use net\\.`));
    }
    net.dispose();
  });
});

describe('block network gradients', () => {
  it('gives every gradient by name, in the order of parameters(), and each dense layer by its module name', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    const g = net.gradients(data.x, data.y);
    expect(g.layers.map((layer) => layer.name)).toEqual(['0', '3.branch.1', '5']); // test/api/dense-layer-gradients holds their values
    expect(Object.keys(g.parameters)).toEqual(net.parameters().map((p) => p.name));
    for (const p of net.parameters()) expect(g.parameters[p.name].length, p.name).toBe(p.length);
    // ReZero's α starts at 0: its gradient is ⟨∂C/∂y, branch(x)⟩, not 0; the branch's is 0.
    expect(Math.abs(g.parameters['3.alpha'][0])).toBeGreaterThan(0);
    expect(g.parameters['3.branch.1.weight'].every((v) => v === 0)).toBe(true);
    expect(Math.hypot(...g.parameters['0.weight'])).toBeGreaterThan(0);
    net.dispose();
  });
});

describe('modes', () => {
  it("gradients() uses the batch's statistics and leaves the running ones alone; predict and evaluate use the running ones", async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    const before = snapshot(net);
    const g = net.gradients(data.x, data.y);
    expect(snapshot(net)).toEqual(before);
    // Untrained running statistics (mean 0, variance 1) are not the batch's, so the losses differ.
    const evaluated = net.evaluate(data.x, data.y);
    expect(evaluated.loss).not.toBeCloseTo(g.loss, 3);
    expect(net.gradients(data.x, data.y).loss).toBe(g.loss);
    net.dispose();
  });

  it('train() moves the running statistics once per step (L-BFGS re-evaluations too); predict then differs from the batch-statistics forward', async () => {
    for (const optimizer of ['sgd', 'lbfgs']) {
      const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
      const engine = blocks(net);
      const tracked = () => net.kernels.view(engine.buffers.find((b) => b.name === '2.num_batches_tracked')!.value)[0];
      net.train(data.x, data.y, { epochs: 2, batchSize: 16, optimizer, learningRate: optimizer === 'lbfgs' ? 0.5 : 0.05 });
      expect(net.step, optimizer).toBe(6);
      expect(tracked(), optimizer).toBe(6);
      const mean = Array.from(net.kernels.view(engine.buffers.find((b) => b.name === '2.running_mean')!.value));
      expect(mean.some((v) => v !== 0), optimizer).toBe(true);
      const predicted = net.predict(data.x);
      engine.ensureCapacity(data.x.length);
      net.kernels.write(engine.input, data.x.flat());
      engine.forward(data.x.length, 'batch');
      const batchStatistics = net.kernels.view(engine.output);
      const largest = Math.max(...predicted.flatMap((row, r) => Array.from(row, (v, j) => Math.abs(v - batchStatistics[r * 3 + j]))));
      expect(largest, optimizer).toBeGreaterThan(1e-4);
      expect(tracked(), 'a batch forward does not count').toBe(6);
      net.dispose();
    }
  });
});

describe('training a block network', () => {
  const firstOrder = OPTIMIZERS.filter((o) => o.kind === 'first-order').map((o) => o.name);
  it.each([...firstOrder, 'lbfgs'])('%s lowers the loss', async (optimizer) => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 5, backend: 'wasm' });
    const start = net.evaluate(data.x, data.y).loss;
    // LARS steps by η = 0.001 of each layer's norm per unit of learning rate: given a rate that moves in 15 epochs.
    const learningRate = optimizer === 'lars' ? 5 : undefined;
    const result = net.train(data.x, data.y, { epochs: 15, batchSize: optimizer === 'lbfgs' ? 48 : 12, optimizer, learningRate });
    const end = net.evaluate(data.x, data.y).loss;
    expect(result.epochs[14].loss, optimizer).toBeLessThan(result.epochs[0].loss);
    expect(end, `${optimizer}: ${start} → ${end}`).toBeLessThan(0.8 * start);
    net.dispose();
  });

  it('takes layerRates per parameterised layer (Parameter.group), and clipping', async () => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 5, backend: 'ref' });
    await expectError(() => net.train(data.x, data.y, { optimizer: { name: 'sgd', layerRates: [1, 1] } }), 'INVALID_OPTION', /the network has 6 weight layers, got 2 rates/);
    const before = snapshot(net);
    // A layer rate whose step size (learning rate 0.1 × rate) is near the least the core takes (2⁻¹²⁶, float32's smallest
    // normal) moves group 0 (the first dense layer) by next to nothing.
    const nearLeast = (16 * FLOAT32_MIN_NORMAL) / 0.1;
    net.train(data.x, data.y, { epochs: 1, batchSize: 48, clipNorm: 0.5, optimizer: { name: 'sgd', layerRates: [nearLeast, 1, 1, 1, 1, 1] } });
    const after = snapshot(net);
    for (const name of ['0.weight', '0.bias']) after[name].forEach((v, i) => expect(Math.abs(v - before[name][i]), name).toBeLessThan(1e-30));
    for (const name of ['2.weight', '3.alpha', '5.weight']) expect(after[name], name).not.toEqual(before[name]);
    net.dispose();
  });
});

describe('refusals of the tools written for dense chains', () => {
  const refusals: [string, (net: Network) => unknown, RegExp][] = [
    ['kfac', (net) => net.train(data.x, data.y, { optimizer: 'kfac' }), /^optimizer: 'kfac' trains networks of dense layers only \(createNetwork\(\{ sizes \}\)\), and in this one layers\[1\] is batch-norm; use one that trains any layer: 'lbfgs', /],
    ['trace.gradientNoise', (net) => net.train(data.x, data.y, { trace: { every: 1, gradientNoise: true } }), /^trace\.gradientNoise: batch norm \(module '2'\) mixes the examples' gradients .*; trace without gradientNoise, or normalise with layer-norm$/],
    ['meanFieldPrediction', (net) => meanFieldPrediction(net, data.x, data.y), /^the mean-field prediction supports dense layers only; layers\[1\] is batch-norm$/],
    ['jacobianSpectrum', (net) => jacobianSpectrum(net, data.x), /^jacobianSpectrum supports dense layers only; layers\[1\] is batch-norm$/],
  ];
  it.each(refusals)('%s: INVALID_OPTION naming the layer; nothing held changes', async (_name, call, message) => {
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 1, batchSize: 16 }); // running statistics and optimiser-free state worth keeping
    const before = snapshot(net);
    const error = await expectError(() => call(net), 'INVALID_OPTION', message);
    expect(error).toBeInstanceOf(GradscopeError);
    expect(snapshot(net)).toEqual(before);
    expect(net.trace).toBeUndefined();
    net.dispose();
  });
});

describe("onNonFinite 'halve' on a block network", () => {
  it('goes back to the start of the epoch with the running statistics and counters: the same as training at the halved rate from the start', async () => {
    const halved = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    const result = halved.train(data.x, data.y, { epochs: 1, batchSize: 8, learningRate: 1e6, onNonFinite: 'halve', maxHalvings: 60, optimizer: { name: 'sgd', momentum: 0.9 } });
    expect(result.halvings).toBeGreaterThan(0);
    const straight = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    straight.train(data.x, data.y, { epochs: 1, batchSize: 8, learningRate: result.learningRate, optimizer: { name: 'sgd', momentum: 0.9 } });
    expect(snapshot(halved)).toEqual(snapshot(straight));
    halved.dispose();
    straight.dispose();
  });
});
