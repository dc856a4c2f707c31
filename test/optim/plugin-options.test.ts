// A registered plugin's options are checked against what its definition lists (newuser48 #9): a key it
// does not list was handed to create() and dropped in silence, and train() trained without a plugin's
// layerRates without a word (trace.run.layerRates undefined), where the built-in optimisers refuse both.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer, OPTIMIZERS, registerOptimizer, type OptimizerDefinition } from '../../src/optim/index.js';
import { Sgd } from '../../src/optim/sgd.js';
import { expectError } from '../util/expect-error.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];
const given: Record<string, unknown>[] = [];
/** A plugin that takes `options` (or says nothing of them) and records what create() is handed. */
function plugin(name: string, options?: string[]): OptimizerDefinition {
  return { name, kind: 'first-order', supports: 'any', summary: 'SGD as a plugin', options, create: (net, o) => (given.push(o), new Sgd(net, 'layerRates' in o ? { layerRates: o.layerRates as number[] } : {})) };
}
registerOptimizer(plugin('plain', ['alpha']));
registerOptimizer(plugin('none', []));
registerOptimizer(plugin('rated', ['layerRates']));
registerOptimizer(plugin('unsaid'));
const network = () => createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', seed: 2, backend: 'ref' });

describe("a plugin's options", () => {
  it('are refused where its definition does not list them, before create() runs, with the known ones', async () => {
    const net = await network();
    given.length = 0;
    await expectError(() => createOptimizer(net, { name: 'plain', beta: 3 }), 'INVALID_OPTION', /^plain: unknown option 'beta' \(known: alpha\)$/);
    await expectError(() => createOptimizer(net, { name: 'plain', alpah: 3 }), 'INVALID_OPTION', /^plain: unknown option 'alpah'; did you mean 'alpha'\? \(known: alpha\)$/);
    await expectError(() => createOptimizer(net, { name: 'none', alpha: 3 }), 'INVALID_OPTION', /^none: unknown option 'alpha' \(it takes none\)$/);
    expect(given).toEqual([]);
    createOptimizer(net, { name: 'plain', alpha: 3 }).dispose();
    createOptimizer(net, { name: 'unsaid', beta: 3 }).dispose(); // a definition without options says nothing of what create() reads
    expect(given).toEqual([{ alpha: 3 }, { beta: 3 }]);
    net.dispose();
  });

  it("refuse layerRates unless the definition lists them, in train() before any step; a plugin that lists them gets them", async () => {
    const net = await network();
    const before = JSON.stringify(net.toJSON());
    given.length = 0;
    await expectError(() => net.train(X, Y, { optimizer: { name: 'plain', layerRates: [100, 1] } }), 'INVALID_OPTION', /^plain: layerRates: not among its options; a plugin's layerRates are refused unless its definition's options list 'layerRates' \(one that does not read them would train without them, in silence\)$/);
    await expectError(() => net.train(X, Y, { optimizer: { name: 'unsaid', layerRates: [100, 1] } }), 'INVALID_OPTION', /^unsaid: layerRates: its definition lists no options; /);
    expect([given, net.step, JSON.stringify(net.toJSON())]).toEqual([[], 0, before]);
    net.train(X, Y, { optimizer: { name: 'rated', layerRates: [2, 1] }, trace: { every: 1 } });
    expect(given).toEqual([{ layerRates: [2, 1] }]);
    expect(net.trace?.run.layerRates).toEqual([2, 1]);
    net.dispose();
  });
});

describe('registerOptimizer', () => {
  it('refuses a definition without a name, a create function or a list of option names, the registry unchanged', async () => {
    const count = OPTIMIZERS.length;
    const { create, summary, kind } = plugin('x');
    await expectError(() => registerOptimizer({ create, summary, kind, supports: 'any' } as unknown as OptimizerDefinition), 'INVALID_OPTION', /^registerOptimizer: name: expected a non-empty string, got none$/);
    await expectError(() => registerOptimizer({ name: 'x', summary, kind, supports: 'any' } as unknown as OptimizerDefinition), 'INVALID_OPTION', /^registerOptimizer: x: create: expected a function \(net, options\) => Optimizer, got none$/);
    await expectError(() => registerOptimizer({ ...plugin('x'), options: 'alpha' } as unknown as OptimizerDefinition), 'INVALID_OPTION', /^registerOptimizer: x: options: expected a list of the option names create\(\) takes \(besides name\), got "alpha"$/);
    await expectError(() => registerOptimizer(plugin('plain')), 'INVALID_OPTION', /^optimizer 'plain' is already registered$/);
    expect(OPTIMIZERS.length).toBe(count);
  });
});
