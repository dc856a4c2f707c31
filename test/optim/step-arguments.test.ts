// Optimizer.step(net, learningRate, batch) is public: a caller may step outside train(), which checks its arguments
// first. Every built-in step() refuses, before anything changes, a network other than its own (another object gave a raw
// TypeError, 'net.assertAlive is not a function'; Hessian-free stepped whatever network it was given) and, where the
// method takes a learning rate, one that is not a finite number > 0 (NaN, 0 and −1 left every weight NaN, in silence)
// and, where the method reads it, a batch that is not a whole number from 1 to the rows loaded: on wasm −1 and 1e6 trapped
// ('memory access out of bounds') with the state already changed, and rows beyond those loaded were stepped on, stale.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import { checkStepBatch } from '../../src/optim/optimizer.js';
import type { Trainable } from '../../src/model.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1]];
const Y = [[1, 0], [0, 1]];
/** Each built-in optimiser with the loss it needs, and whether it takes train()'s learning rate. */
const OPTIMIZERS = [
  ['sgd', 'cross-entropy', true],
  ['adam', 'cross-entropy', true],
  ['adamw', 'cross-entropy', true],
  ['rmsprop', 'cross-entropy', true],
  ['adagrad', 'cross-entropy', true],
  ['lars', 'cross-entropy', true],
  ['lbfgs', 'cross-entropy', true],
  ['kfac', 'cross-entropy', true],
  ['hessian-free', 'cross-entropy', false],
  ['levenberg-marquardt', 'mse', false],
] as const;

describe('Optimizer.step refuses what train() would not pass it', () => {
  it.each(OPTIMIZERS)('%s', async (name, loss, takesRate) => {
    const output = loss === 'mse' ? 'linear' : 'softmax';
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output, loss, seed: 3, backend: 'ref' });
    const other = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output, loss, seed: 3, backend: 'ref' });
    const optimizer = createOptimizer(net, name);
    net.train(X, Y, { epochs: 1, batchSize: 2, optimizer }); // state to keep
    net.gradients(X, Y); // a batch loaded, its gradients in place, as train() leaves them before a step
    const model = net[MODEL];
    const before = [stateHash(net, optimizer), stateHash(other)];
    const another = new RegExp(`^${name}: step\\(net, learningRate, batch\\): this optimiser was created for another network, got `);
    for (const wrong of [undefined, {}, net, other[MODEL]]) await expectError(() => optimizer.step(wrong as never, 0.1, 2), 'INVALID_OPTION', another);
    for (const rate of [NaN, 0, -1, Infinity, '0.1']) {
      if (takesRate) await expectError(() => optimizer.step(model, rate as never, 2), 'INVALID_OPTION', new RegExp(`^${name}: step\\(net, learningRate, batch\\): learningRate: expected a finite number > 0, got `));
    }
    expect([stateHash(net, optimizer), stateHash(other)]).toEqual(before);
    optimizer.step(model, 0.1, 2); // the network's own, at a usable rate: steps
    expect(stateHash(net, optimizer)).not.toBe(before[0]);
    net.dispose();
    await expectError(() => optimizer.step(model, 0.1, 2), 'DISPOSED', /disposed/);
    other.dispose();
  });
});

/** The methods that read step()'s batch (the rows their kernels run over again); the first-order ones ignore it. */
const READ_BATCH = OPTIMIZERS.filter(([name]) => ['lbfgs', 'kfac', 'hessian-free', 'levenberg-marquardt'].includes(name));
const X3 = [...X, [-0.5, 0.2, 0.7]];
const Y3 = [...Y, [1, 0]];

describe.each(['ref', 'wasm'] as const)('Optimizer.step refuses a batch it cannot read (%s)', (backend) => {
  it.each(READ_BATCH)('%s', async (name, loss) => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: loss === 'mse' ? 'linear' : 'softmax', loss, seed: 3, backend });
    const optimizer = createOptimizer(net, name);
    net.train(X3, Y3, { epochs: 1, batchSize: 3, optimizer }); // state to keep, and room for 3 rows
    net.gradients(X, Y); // 2 rows loaded: a third row's buffers hold the last batch's row, stale
    const model = net[MODEL];
    expect(model.loadedRows).toBe(2);
    const before = stateHash(net, optimizer);
    const refused = new RegExp(`^${name}: step\\(net, learningRate, batch\\): batch: expected a whole number of rows from 1 to the 2 loaded, got `);
    for (const batch of [-1, 0, 2.5, NaN, Infinity, 3, 1e6, '2']) await expectError(() => optimizer.step(model, 0.1, batch as never), 'INVALID_OPTION', refused);
    expect(stateHash(net, optimizer)).toBe(before);
    optimizer.step(model, 0.1, 2); // the rows loaded: steps
    expect(stateHash(net, optimizer)).not.toBe(before);
    net.predict([...X3, ...X3]); // grows the buffers: the loaded rows are gone
    const stepped = stateHash(net, optimizer);
    await expectError(() => optimizer.step(model, 0.1, 2), 'INVALID_OPTION', new RegExp(`^${name}: step\\(net, learningRate, batch\\): batch: expected the rows of a loaded batch, but none is loaded`));
    expect(stateHash(net, optimizer)).toBe(stepped);
    net.dispose();
  });
});

describe('checkStepBatch', () => {
  it("refuses a Trainable of the caller's own without loadedRows, where `batch > undefined` let every batch pass", async () => {
    const opt = { name: 'lbfgs' } as Optimizer;
    for (const loadedRows of [undefined, '2', -1, 1.5]) {
      const net = { loadedRows } as unknown as Trainable;
      await expectError(() => checkStepBatch(opt, net, 2), 'INVALID_OPTION', /^lbfgs: step\(net, learningRate, batch\): net\.loadedRows: expected the rows of the batch loaded, a whole number ≥ 0 \(a Trainable of your own counts them\), got /);
    }
    expect(() => checkStepBatch(opt, { loadedRows: 2 } as unknown as Trainable, 2)).not.toThrow();
  });
});

/**
 * The passes that run the network in 'eval' mode over rows of the caller's: each writes them into the input and every
 * layer's activations, where the loaded batch was (predict's and layerOutputs' rows wrote the input and left
 * loadedRows, so a step after them ran over predict's rows with the batch's targets, or read predict's activations).
 */
const EVAL_PASSES: [string, (net: Network) => unknown][] = [
  ['predict', (net) => net.predict(X)],
  ['layerOutputs', (net) => net.layerOutputs(X)],
  ['evaluate', (net) => net.evaluate(X, Y)],
];

describe.each(['ref', 'wasm'] as const)('an eval pass leaves no batch for a step to read (%s)', (backend) => {
  const kinds = [
    ['dense', READ_BATCH],
    ['block', READ_BATCH.filter(([name]) => name !== 'kfac')], // K-FAC trains dense chains alone
  ] as const;
  it.each(kinds)('%s network', async (kind, optimizers) => {
    for (const [name, loss] of optimizers) {
      const output = loss === 'mse' ? 'linear' : 'softmax';
      const net = await (kind === 'dense'
        ? createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output, loss, seed: 3, backend })
        : createNetwork({ inputs: 3, loss, seed: 3, backend, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: output }] }));
      const optimizer = createOptimizer(net, name);
      const model = net[MODEL];
      for (const [pass, run] of EVAL_PASSES) {
        net.gradients(X3, Y3); // 3 rows loaded, room for them: the pass's 2 rows grow nothing
        expect(model.loadedRows).toBe(3);
        run(net);
        expect(model.loadedRows, `${name} after ${pass}`).toBe(0);
        const before = stateHash(net, optimizer);
        await expectError(() => optimizer.step(model, 0.1, 2), 'INVALID_OPTION', new RegExp(`^${name}: step\\(net, learningRate, batch\\): batch: expected the rows of a loaded batch, but none is loaded`));
        expect(stateHash(net, optimizer), `${name} after ${pass}`).toBe(before);
      }
      net.gradients(X, Y); // a batch loaded again: steps
      const before = stateHash(net, optimizer);
      optimizer.step(model, 0.1, 2);
      expect(stateHash(net, optimizer)).not.toBe(before);
      optimizer.dispose();
      net.dispose();
    }
  });
});
