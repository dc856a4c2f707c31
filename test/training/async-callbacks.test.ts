// train() is synchronous: an async onBatch or onEpoch would have its work run after later steps (or
// after train() returned), and a throw in it became an unhandled rejection that ended the Node process
// ("Error: async" from a promise nobody awaited) while train() reported success. It is refused before
// any step, on every backend and for a Dataset too; a plain function is called as before, and one
// that returns a promise stops training after that call.
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { Kernels } from '../../src/kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const threaded = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threaded.close());
const backends = [...(await kernelBackends()), { name: threaded.name, kernels: threaded as Kernels }];

const x = Array.from({ length: 8 }, (_, r) => [Math.sin(r), Math.cos(2 * r), r / 8]);
const y = x.map((_, r) => [r % 2, 1 - (r % 2)]);

describe.each(backends)('async callbacks on $name', ({ kernels }) => {
  it.each(['onBatch', 'onEpoch'] as const)('an async %s is refused before any step (INVALID_OPTION), nothing held changed', async (name) => {
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels, seed: 2 });
    const data = net.dataset(x, y);
    const before = stateHash(net);
    let called = 0;
    const callback = async () => {
      called++;
      throw new Error('async');
    };
    const message = new RegExp(`^${name}: an async function; train\\(\\) runs synchronously and does not wait for the promise it returns`);
    await expectError(() => net.train(x, y, { batchSize: 4, [name]: callback }), 'INVALID_OPTION', message);
    await expectError(() => net.train(data, { batchSize: 4, [name]: callback }), 'INVALID_OPTION', message);
    expect([called, net.step, stateHash(net)]).toEqual([0, 0, before]);
    net.train(data, { batchSize: 4, [name]: () => called++ });
    expect(called).toBe(name === 'onBatch' ? 2 : 1);
    data.dispose();
    net.dispose();
  });

  // A plain function that returns a promise can be told only by what it returned: training stops
  // right after that call, the step or epoch before it applied, with a typed refusal naming where.
  it.each(['onBatch', 'onEpoch'] as const)('a plain %s that returns a promise stops training after that call (INVALID_OPTION naming where), its step applied and the promise left alone', async (name) => {
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels, seed: 2 });
    const data = net.dataset(x, y);
    let called = 0;
    let settled = false;
    const callback = () => {
      called++;
      return Promise.resolve().then(() => (settled = true));
    };
    const where = name === 'onBatch' ? 'epoch 1, batch 1 \\(step 1\\)' : 'epoch 1 \\(step 2\\)';
    const message = new RegExp(`^${name}: returned a promise after ${where}; train\\(\\) runs synchronously and does not wait for the promise it returns .*: training stopped there, every step up to it applied and the promise left to run \\(a rejection of it caught\\); return nothing`);
    for (const call of [() => net.train(x, y, { batchSize: 4, epochs: 2, [name]: callback }), () => net.train(data, { batchSize: 4, epochs: 2, [name]: callback })]) {
      const [step, state] = [net.step, stateHash(net)];
      await expectError(call, 'INVALID_OPTION', message);
      // One call, then no more: the steps up to it applied (one batch, or the epoch's two), no later one.
      expect(called).toBe(1);
      expect(net.step).toBe(step + (name === 'onBatch' ? 1 : 2));
      expect(stateHash(net)).not.toBe(state);
      called = 0;
      net.step = 0;
    }
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    // A thenable that is no Promise is one too; a function that returns a value that is not one still trains.
    // Its rejection is not caught (only its own then() could catch it), and the refusal does not say it is.
    const notCaught = new RegExp(`^${name}: returned a promise .* the promise left to run \\(not a Promise, so a rejection of it is not caught: catch it where it is made\\); return nothing`);
    await expectError(() => net.train(data, { batchSize: 4, [name]: () => ({ then() {} }) }), 'INVALID_OPTION', notCaught);
    net.train(data, { batchSize: 4, [name]: () => ({ then: 1 }) });
    // A rejected one is caught: left unhandled it ended the Node process after this refusal was caught.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await expectError(() => net.train(data, { batchSize: 4, [name]: () => Promise.reject(new Error('rejected')) }), 'INVALID_OPTION', new RegExp(`^${name}: returned a promise`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    // A Promise subclass's own then() is the caller's code: the catch does not run it, so what it
    // throws cannot escape in place of the typed refusal, and its rejection is caught all the same.
    class OwnThen<T> extends Promise<T> {
      override then(): never {
        throw new Error('own then');
      }
    }
    process.on('unhandledRejection', onUnhandled);
    await expectError(() => net.train(data, { batchSize: 4, [name]: () => OwnThen.reject(new Error('rejected')) }), 'INVALID_OPTION', new RegExp(`^${name}: returned a promise`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    data.dispose();
    net.dispose();
  });

  // Telling a promise reads the returned value's `then`, and a getter there (or a Proxy's trap) is
  // the caller's code: what it threw escaped train() untyped, the step before it applied.
  it.each(['onBatch', 'onEpoch'] as const)('a %s whose returned value throws when its `then` or prototype is read stops training there (INVALID_OPTION, the thrown error its cause), its step applied', async (name) => {
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels, seed: 2 });
    const data = net.dataset(x, y);
    const thrown = new Error('then getter');
    const getter = {
      get then(): never {
        throw thrown;
      },
    };
    const trap = new Proxy({}, {
      get: () => {
        throw thrown;
      },
    });
    const where = name === 'onBatch' ? 'epoch 1, batch 1 \\(step 1\\)' : 'epoch 1 \\(step 2\\)';
    for (const returned of [getter, trap]) {
      net.step = 0;
      const state = stateHash(net);
      let called = 0;
      const error = await expectError(
        () => net.train(data, { batchSize: 4, epochs: 2, [name]: () => (called++, returned) }),
        'INVALID_OPTION',
        new RegExp(`^${name}: returned a value whose \`then\` threw when read \\(the error's cause\\), after ${where}, so train\\(\\) cannot tell whether it is a promise, which it refuses: train\\(\\) runs synchronously .*; training stopped there, every step up to it applied; return nothing`),
      );
      expect(error.cause).toBe(thrown);
      expect(called).toBe(1);
      expect(net.step).toBe(name === 'onBatch' ? 1 : 2);
      expect(stateHash(net)).not.toBe(state);
    }
    // A thenable Proxy whose prototype cannot be read is refused as any other thenable, no catch attached.
    const noPrototype = new Proxy({ then() {} }, {
      getPrototypeOf: () => {
        throw thrown;
      },
    });
    await expectError(() => net.train(data, { batchSize: 4, [name]: () => noPrototype }), 'INVALID_OPTION', new RegExp(`^${name}: returned a promise .*\\(not a Promise, so a rejection of it is not caught`));
    data.dispose();
    net.dispose();
  });
});
