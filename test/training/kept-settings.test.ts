// train() keeps the settings its last call read from an options object (src/training/kept-settings.ts)
// and skips their checks when the next call is given the same object unchanged. A change to the
// object, however made, is checked again: a value refused, a key added or taken out, a prototype
// swapped, or as many rows as before no longer; a value nothing can change from inside (a function,
// an object) or 'halve' keeps nothing. Every call trains as the same call with a fresh object does.
import { describe, expect, it, vi } from 'vitest';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

vi.mock('../../src/training/training-settings.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/training/training-settings.js')>();
  return { ...original, readTrainingSettings: vi.fn(original.readTrainingSettings) };
});
const { readTrainingSettings } = await import('../../src/training/training-settings.js');
const { createNetwork } = await import('../../src/api/network.js');

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];

describe.each(await kernelBackends())('train() settings kept between calls on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
  const read = vi.mocked(readTrainingSettings);

  it('trains as a fresh options object each call does, the same object changed between calls or not', async () => {
    const [net, twin] = [await make(), await make()];
    const options: TrainOptions = { epochs: 2, batchSize: 2, learningRate: 0.05 };
    const steps: Partial<TrainOptions>[] = [{}, {}, { learningRate: 0.2 }, { batchSize: 3 }, { shuffle: false }, {}];
    for (const [call, change] of steps.entries()) {
      Object.assign(options, change);
      const ours = net.train(X, Y, options);
      const theirs = twin.train(X, Y, { ...options });
      expect(ours.learningRate, `call ${call}`).toBe(theirs.learningRate);
      expect(ours.epochs.map((e) => [e.loss, e.batches]), `call ${call}`).toEqual(theirs.epochs.map((e) => [e.loss, e.batches]));
      expect(stateHash(net), `call ${call}`).toBe(stateHash(twin));
    }
  });

  it('checks the same object again once a value is refused, a key added or removed, or its prototype changed', async () => {
    const net = await make();
    const options: TrainOptions & Record<string, unknown> = { epochs: 1, batchSize: 2 };
    net.train(X, Y, options);
    options.batchSize = 0;
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', /batchSize/);
    options.batchSize = 2;
    net.train(X, Y, options);
    options.epoch = 3; // misspelt: refused, not ignored
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', /unknown option 'epoch'/);
    delete options.epoch;
    net.train(X, Y, options);
    options.clock = 'cpu'; // read only with maxSeconds: refused without it
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', /clock/);
    delete options.clock;
    net.train(X, Y, options);
    // An option read through the prototype, where no for-in sees it: a new prototype is checked again.
    const inherited = Object.defineProperty({}, 'dropLast', { value: 'yes', enumerable: false });
    Object.setPrototypeOf(options, inherited);
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', /dropLast/);
    Object.setPrototypeOf(options, Object.prototype);
    net.train(X, Y, options);
    // Another row count: the short last batch follows from it (batch norm refuses one of a row).
    const bn = await createNetwork({ inputs: 3, loss: 'cross-entropy', seed: 1, backend: kernels, layers: [{ type: 'dense', units: 4 }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }] });
    const bnOptions: TrainOptions = { epochs: 1, batchSize: 4 };
    bn.train(X.slice(0, 4), Y.slice(0, 4), bnOptions);
    await expectError(() => bn.train(X.slice(0, 5), Y.slice(0, 5), bnOptions), 'INVALID_OPTION', /last batch has 1 row/);
  });

  it("checks the same object again when a class getter's option changes, which no for-in sees", async () => {
    const net = await make();
    const twin = await make();
    class Opts {
      #epochs = 1;
      get epochs() { return this.#epochs; }
      set epochs(value: number) { this.#epochs = value; }
    }
    const options = new Opts();
    expect(net.train(X, Y, options).epochs).toHaveLength(1);
    options.epochs = 3;
    expect(net.train(X, Y, options).epochs).toHaveLength(3);
    twin.train(X, Y, { epochs: 1 });
    twin.train(X, Y, { epochs: 3 });
    expect(stateHash(net)).toBe(stateHash(twin));
    options.epochs = 0;
    await expectError(() => net.train(X, Y, options), 'INVALID_OPTION', /epochs/);
  });

  it('reads each option once per call, kept or not, through its getter', async () => {
    const net = await make();
    const reads = new Map<PropertyKey, number>();
    const counted = (target: TrainOptions) => new Proxy(target, { get: (object, key, receiver) => (reads.set(key, (reads.get(key) ?? 0) + 1), Reflect.get(object, key, receiver)) });
    const plain = counted({ epochs: 2, batchSize: 2, learningRate: 0.05, shuffle: false });
    const withCallback = counted({ epochs: 2, batchSize: 3, onEpoch: () => undefined });
    // Calls 1 and 3 read and check it, call 2 finds it unchanged (kept); the callback's object is read afresh every call.
    for (const [call, options] of [plain, plain, plain, withCallback, withCallback].entries()) {
      reads.clear();
      net.train(X, Y, options);
      if (call === 2) expect(reads.get('learningRate')).toBe(1);
      expect([...reads.values()].every((n) => n === 1), `call ${call}: ${[...reads].map(([key, n]) => `${String(key)} ${n}`).join(', ')}`).toBe(true);
      expect(reads.get('epochs'), `call ${call}`).toBe(1);
    }
  });

  it("uses what a getter answered first: a later, invalid answer has no effect on the call", async () => {
    const net = await make();
    let batches = 0;
    const answers = { epochs: 0, onBatch: 0 };
    const options = {
      get epochs() { return answers.epochs++ === 0 ? 2 : 0; },
      get onBatch() { return answers.onBatch++ === 0 ? () => void batches++ : 5; },
      batchSize: 3,
    } as unknown as TrainOptions;
    expect(net.train(X, Y, options).epochs).toHaveLength(2);
    expect(batches).toBe(4);
    expect(answers).toEqual({ epochs: 1, onBatch: 1 });
  });

  it('calls onBatch and onEpoch on the options object given', async () => {
    const net = await make();
    class Counting {
      #calls = 0;
      epochs = 2;
      onEpoch() { this.#calls++; }
      get calls() { return this.#calls; }
    }
    const options = new Counting();
    net.train(X, Y, options as TrainOptions);
    expect(options.calls).toBe(2);
  });

  it('checks the same object again when a non-enumerable option is added, which no for-in sees', async () => {
    const net = await make();
    const hidden: TrainOptions = { epochs: 1 };
    net.train(X, Y, hidden);
    Object.defineProperty(hidden, 'batchSize', { value: 0, enumerable: false, configurable: true });
    await expectError(() => net.train(X, Y, hidden), 'INVALID_OPTION', /batchSize/);
  });

  it("reads an object's settings once while its values are numbers, strings, booleans or undefined, else every call, and with 'halve'", async () => {
    const net = await make();
    /** How many times `calls` train() calls of `net` with `options` read the settings. */
    const reads = (options: TrainOptions | undefined, calls = 3) => {
      read.mockClear();
      for (let call = 0; call < calls; call++) net.train(X, Y, options);
      return read.mock.calls.length;
    };
    expect(reads({ epochs: 1, batchSize: 3, learningRate: 0.1, shuffle: true, onNonFinite: 'skip', clock: undefined })).toBe(1);
    expect(reads(undefined)).toBe(1);
    expect(reads({ epochs: 1, batchSize: 6, shuffle: false })).toBe(1); // one batch in order: rows loaded in place
    for (const options of [{ onBatch: () => {} }, { optimizer: { name: 'adam' } }, { onNonFinite: 'halve' }, { validation: { x: X, y: Y } }] as TrainOptions[]) {
      expect(reads(options), Object.keys(options)[0]).toBe(3);
    }
    const changing: TrainOptions = { epochs: 1 };
    read.mockClear();
    net.train(X, Y, changing);
    net.train(X, Y, changing);
    changing.learningRate = 0.2;
    net.train(X, Y, changing);
    net.train(X, Y, { ...changing });
    expect(read).toHaveBeenCalledTimes(3);
  });
});
