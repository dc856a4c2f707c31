/**
 * Optimisers on networks built from layer specs, by the registry's `supports` flag: every optimiser
 * marked 'any' trains each block layer type (alone after a dense layer), and every one marked
 * 'dense' (K-FAC: its Kronecker factors are a dense layer's) is refused by createOptimizer and
 * train() with INVALID_OPTION naming the optimiser, layers[1] and what to use instead, before any
 * row is read and before anything the network holds changes. The flag is checked against what
 * each optimiser does, so it cannot drift from the truth.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { createOptimizer, OPTIMIZERS, registerOptimizer, type OptimizerDefinition } from '../../src/optim/index.js';
import { Kfac } from '../../src/optim/kfac.js';
import { expectError } from '../util/expect-error.js';

/** One network per block layer type (and both residual gates), the block at layers[1]. */
const BLOCKS: { label: string; spec: LayerSpec }[] = [
  { label: 'batch-norm', spec: { type: 'batch-norm' } },
  { label: 'layer-norm', spec: { type: 'layer-norm' } },
  { label: 'activation', spec: { type: 'activation', activation: 'selu' } },
  { label: 'residual', spec: { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] } },
  { label: 'residual', spec: { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }] } },
];

const X = [[0.1, -0.4, 0.9], [1.2, 0.3, -0.7], [-0.5, 0.8, 0.2], [0.6, -1.1, 0.4]];
const Y = [[0.5, -0.2], [0.1, 0.9], [-0.3, 0.4], [0.7, 0.0]];

function blockNetwork(spec: LayerSpec) {
  return createNetwork({ inputs: 3, loss: 'mse', seed: 1, backend: 'ref', layers: [{ type: 'dense', units: 4, activation: 'tanh' }, spec, { type: 'dense', units: 2 }] });
}

/** Everything a refusal must leave as it was: the parameters and state tensors, the RNG, the step and the trace. */
function held(net: Network) {
  return { state: net.state().map((t) => Array.from(t.values)), rng: net.rng.getState(), step: net.step, trace: net.trace };
}

const denseOnly = OPTIMIZERS.filter((d) => d.supports === 'dense');
const anyLayer = OPTIMIZERS.filter((d) => d.supports === 'any');

describe('the registry says which networks each optimiser trains', () => {
  it('every built-in optimiser says it, K-FAC alone dense layers only', () => {
    expect(OPTIMIZERS.every((d) => d.supports === 'dense' || d.supports === 'any')).toBe(true);
    expect(denseOnly.map((d) => d.name)).toEqual(['kfac']);
  });

  it('registerOptimizer refuses a definition that does not say it', async () => {
    const { create, summary, kind } = OPTIMIZERS.find((d) => d.name === 'sgd')!;
    const count = OPTIMIZERS.length;
    await expectError(() => registerOptimizer({ name: 'plugin', create, summary, kind } as unknown as OptimizerDefinition), 'INVALID_OPTION', /^registerOptimizer: plugin: supports \(the networks it trains\): expected one of dense, any, got undefined$/);
    await expectError(() => registerOptimizer({ name: 'plugin', create, summary, kind, supports: 'blocks' } as unknown as OptimizerDefinition), 'INVALID_OPTION', /expected one of dense, any, got "blocks"/);
    expect(OPTIMIZERS.length).toBe(count);
  });
});

describe('what a dense-only refusal offers instead', () => {
  it("offers only optimisers that train the network's loss: not levenberg-marquardt to a cross-entropy network (it did), which refuses it", async () => {
    const net = await createNetwork({ inputs: 3, loss: 'cross-entropy', seed: 1, backend: 'ref', layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }] });
    const error = await expectError(() => createOptimizer(net, 'kfac'), 'INVALID_OPTION', /use one that trains any layer: 'lbfgs', 'hessian-free', 'sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw'$/);
    expect(error.message).not.toMatch(/levenberg-marquardt/);
    await expectError(() => createOptimizer(net, 'levenberg-marquardt'), 'INVALID_OPTION', /needs the quadratic cost/);
    net.dispose();
  });
});

describe.each(BLOCKS)('optimisers on a network with a $label layer', ({ label, spec }) => {
  it.each(anyLayer.map((d) => d.name))("%s ('any') trains it", async (name) => {
    const net = await blockNetwork(spec);
    const before = held(net).state;
    net.train(X, Y, { optimizer: name, epochs: 1, batchSize: 4 });
    expect(net.step).toBe(1);
    expect(held(net).state).not.toEqual(before);
    net.dispose();
  });

  it.each(denseOnly.map((d) => d.name))("%s ('dense') is refused by createOptimizer and train(), naming it, layers[1] and what to use instead; nothing held changes", async (name) => {
    const net = await blockNetwork(spec);
    net.train(X, Y, { epochs: 1, batchSize: 4 }); // a step and running statistics worth keeping
    const before = held(net);
    const message = new RegExp(
      `^optimizer: '${name}' trains networks of dense layers only \\(createNetwork\\(\\{ sizes \\}\\)\\), and in this one layers\\[1\\] is ${label}; ` +
        `use one that trains any layer: 'lbfgs', 'levenberg-marquardt', 'hessian-free', 'sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw'$`,
    );
    await expectError(() => createOptimizer(net, name), 'INVALID_OPTION', message);
    await expectError(() => createOptimizer(net, { name, damping: 1 }), 'INVALID_OPTION', message);
    await expectError(() => net.train(X, Y, { optimizer: name }), 'INVALID_OPTION', message);
    // Before any row is read: rows of the wrong width get the optimiser's refusal, not theirs.
    await expectError(() => net.train([[1, 2]], [[1]], { optimizer: { name } }), 'INVALID_OPTION', message);
    expect(held(net)).toEqual(before);
    net.dispose();
  });
});

it('K-FAC built directly (not through the registry) still refuses a block network before allocating anything', async () => {
  const net = await blockNetwork({ type: 'batch-norm' });
  await expectError(() => new Kfac(net), 'INVALID_OPTION', /^kfac supports dense layers only; layers\[1\] is batch-norm$/);
  net.dispose();
});
