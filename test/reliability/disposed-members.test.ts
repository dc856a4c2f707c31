/**
 * After dispose(), every public member of a Network, a Dataset and every registered optimiser throws
 * DISPOSED (README: "later calls throw DISPOSED"), but those each says it still answers: net.sizes,
 * net.loss, net.step, dataset.kernels, adam.beta1 … answered before. The members are read from the
 * classes' TypeScript declarations (test/util/public-members.ts), so a member added later is covered
 * without a line here; every method is called with no arguments, so DISPOSED must come before any
 * check of them. A live network on the same memory is unchanged by all of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, NETWORK_ANSWERED_AFTER_DISPOSE, type Network } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';
import { MODEL } from '../../src/model.js';
import { ENGINE_ANSWERED_AFTER_DISPOSE } from '../../src/network/disposed.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { ANSWERED_AFTER_DISPOSE } from '../../src/optim/optimizer.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { publicMembersOfClasses, type PublicMember } from '../util/public-members.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];
/** The symbols members are keyed by, by the constant's name. */
const SYMBOLS: Record<string, symbol> = { MODEL };

let classes: Map<string, PublicMember[]>;
beforeAll(() => {
  classes = publicMembersOfClasses();
}, 180_000);

/** Each use of each of `target`'s public members but `answered`'s: a label and the use. */
function uses(target: object, className: string, answered: readonly string[]): [string, () => unknown][] {
  const members = classes.get(className);
  if (members === undefined) throw new Error(`no class ${className} in src/`);
  const o = target as Record<PropertyKey, unknown>;
  return members
    .filter((m) => !answered.includes(m.name))
    .flatMap(({ name, kinds }) => {
      const key = name.startsWith('[') ? SYMBOLS[name.slice(1, -1)] : name;
      if (key === undefined) throw new Error(`${className}.${name}: keyed by a symbol this test does not know`);
      return kinds.map((kind): [string, () => unknown] => {
        const label = `${className}.${name} (${kind})`;
        if (kind === 'method') return [label, () => (o[key] as () => unknown).call(target)];
        if (kind === 'setter') return [label, () => (o[key] = 1)];
        return [label, () => o[key]];
      });
    });
}

/** Expects DISPOSED from every use, naming the member that did not throw it. */
async function expectAllDisposed(all: [string, () => unknown][]): Promise<void> {
  for (const [label, use] of all) await expectError(use, 'DISPOSED', /disposed/).catch((error: unknown) => Promise.reject(new Error(`${label}: ${String(error)}`)));
}

describe('after dispose(), every public member throws DISPOSED but those said to answer', () => {
  it('reads the members from the sources (the survey itself works)', () => {
    expect(classes.get('Network')!.map((m) => m.name)).toEqual(expect.arrayContaining(['sizes', 'loss', 'step', 'train', 'predict', '[MODEL]', 'trace']));
    expect(classes.get('Network')!.find((m) => m.name === 'step')!.kinds.sort()).toEqual(['getter', 'setter']);
    expect(classes.get('Adam')!.map((m) => m.name)).toEqual(expect.arrayContaining(['beta1', 'layerRates', 'step', 'state', 'restore', 'name', 'isDisposed']));
    expect(classes.get('Adam')!.map((m) => m.name)).not.toContain('markDisposed');
  });

  it.each(['dense', 'blocks'] as const)('a %s Network', async (kind) => {
    const kernels = await createWasmKernels(); // its own memory: the live network below takes the freed blocks
    const spec = kind === 'dense' ? { sizes: [3, 6, 2], output: 'softmax' } : { inputs: 3, layers: [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }] };
    const options = { ...spec, loss: 'cross-entropy', seed: 1, backend: kernels } as const;
    const gone = await createNetwork(options as Parameters<typeof createNetwork>[0]);
    const { trace } = gone.train(X, Y, { epochs: 1, batchSize: 4, trace: { every: 1 } });
    gone.dispose();
    const live = await createNetwork({ ...options, seed: 2 } as Parameters<typeof createNetwork>[0]);
    live.train(X, Y, { epochs: 1, batchSize: 4 });
    const before = stateHash(live);
    await expectAllDisposed(uses(gone, 'Network', NETWORK_ANSWERED_AFTER_DISPOSE));
    expect(stateHash(live)).toBe(before);
    // What still answers: the record of the run, and whether it was disposed; dispose() again is a no-op.
    expect(gone.trace).toBe(trace);
    expect(gone.isDisposed).toBe(true);
    gone.dispose();
    live.dispose();
  });

  // The engine a caller took through net[MODEL] before dispose(), as an optimiser holds it: its emptied lists and plain fields
  // answered (net.sizes threw but net[MODEL].sizes did not), loadBatch and loadState threw TypeErrors, and a block engine's
  // squaredGradients reached its layers on the live kernels (OUT_OF_MEMORY: 'grow WebAssembly memory by NaN pages').
  it.each([['dense', 'Engine'], ['blocks', 'BlockEngine']] as const)('the %s engine behind net[MODEL], and an optimiser holding it', async (kind, className) => {
    const kernels = await createWasmKernels();
    const spec = kind === 'dense' ? { sizes: [3, 6, 2], output: 'softmax' } : { inputs: 3, layers: [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }] };
    const net = await createNetwork({ ...spec, loss: 'cross-entropy', seed: 1, backend: kernels } as Parameters<typeof createNetwork>[0]);
    const sgd = createOptimizer(net, 'sgd');
    net.train(X, Y, { epochs: 1, batchSize: 4, optimizer: sgd });
    const engine = net[MODEL];
    expect(engine.constructor.name).toBe(className);
    net.dispose();
    await expectAllDisposed(uses(engine, className, ENGINE_ANSWERED_AFTER_DISPOSE));
    expect(engine.isDisposed).toBe(true);
    (engine as unknown as { dispose(): void }).dispose(); // a no-op
    await expectError(() => sgd.step(engine, 0.1, 4), 'DISPOSED', /disposed/);
    await expectError(() => sgd.model!.kernels, 'DISPOSED', /disposed/);
    sgd.dispose(); // the network's dispose() freed its buffers: nothing of the network is touched
    expect(sgd.isDisposed).toBe(true);
  });

  // Their freeHeld() read the network's kernels and onDispose, which the network's dispose() refuses now.
  it.each(OPTIMIZERS.map((d) => d.name))('the %s optimiser, its network disposed first: a step refused, its own dispose() touches nothing of the network', async (name) => {
    const net: Network = await createNetwork({ sizes: [3, 4, 2], output: 'linear', loss: 'mse', seed: 3, backend: 'wasm' });
    const optimizer = createOptimizer(net, name);
    net.train(X, Y, { epochs: 1, batchSize: 4, optimizer });
    const engine = net[MODEL];
    net.dispose();
    await expectError(() => optimizer.step(engine, 0.1, 4), 'DISPOSED', /disposed/);
    optimizer.dispose();
    expect(optimizer.isDisposed).toBe(true);
  });

  it('a Dataset', async () => {
    const kernels = await createWasmKernels();
    const data = await createDataset(X, Y, { backend: kernels });
    expect(data.targetFaultFor('cross-entropy')).toBeNull(); // an answer kept from before dispose() is not given after it
    data.dispose();
    await expectAllDisposed(uses(data, 'Dataset', ['isDisposed', 'dispose']));
    expect(data.isDisposed).toBe(true);
    data.dispose();
  });

  it.each(OPTIMIZERS.map((d) => d.name))('the %s optimiser', async (name) => {
    const net: Network = await createNetwork({ sizes: [3, 4, 2], output: 'linear', loss: 'mse', seed: 3, backend: 'wasm' });
    const optimizer = createOptimizer(net, name);
    net.train(X, Y, { epochs: 1, batchSize: 4, optimizer });
    optimizer.dispose();
    const before = stateHash(net);
    await expectAllDisposed(uses(optimizer, optimizer.constructor.name, ANSWERED_AFTER_DISPOSE));
    expect(stateHash(net)).toBe(before);
    expect(optimizer.name).toBe(name);
    expect(optimizer.isDisposed).toBe(true);
    optimizer.dispose();
    net.dispose();
  });
});
