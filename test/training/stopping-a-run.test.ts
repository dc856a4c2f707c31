// How an app stops a train() call it started (docs/api.md, "Stopping a run"): train() takes no
// AbortSignal and runs synchronously, so nothing queued (a timer, a worker's message) runs before it
// returns; a callback that throws ends it, the caller's own error coming out unchanged and the steps
// before it applied, and a flag another thread sets in shared memory is seen by the next onBatch.
// One call per epoch, with an optimiser instance, trains as one call of every epoch.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { kernelBackends } from '../util/backends.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0], [0.5, 0.5, 0.5], [-0.4, 0.1, 0.9]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];

class Cancelled extends Error {}

describe.each(await kernelBackends())('stopping a train() call on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });

  it("a callback's throw ends the call with that error, the steps before it applied, as a run of those steps alone", async () => {
    const [stopped, short] = [await make(), await make()];
    const cancel = new Cancelled('cancelled');
    let thrown: unknown;
    try {
      stopped.train(X, Y, { epochs: 5, batchSize: 2, shuffle: false, onBatch: (info) => { if (info.step === 3) throw cancel; } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(cancel);
    expect(stopped.step).toBe(3);
    // The same three steps in a call that ends by itself: the first 6 rows in batches of 2.
    short.train(X.slice(0, 6), Y.slice(0, 6), { epochs: 1, batchSize: 2, shuffle: false });
    expect(stateHash(stopped)).toBe(stateHash(short));
    // It trains on afterwards, its steps counted on.
    stopped.train(X, Y, { epochs: 1, batchSize: 2 });
    expect(stopped.step).toBe(7);
    stopped.dispose();
    short.dispose();
  });

  it("a traced call stopped so keeps its records up to the throw in net.trace", async () => {
    const net = await make();
    expect(() => net.train(X, Y, { epochs: 5, batchSize: 2, trace: { every: 1 }, onBatch: (info) => { if (info.step === 3) throw new Cancelled(); } })).toThrow(Cancelled);
    expect(Array.from(net.trace!.steps)).toEqual([1, 2, 3]);
    net.dispose();
  });

  it('a timer set before the call does not run until it returns, so it cannot stop it', async () => {
    const net = await make();
    let stop = false;
    setTimeout(() => { stop = true; });
    const seen: boolean[] = [];
    const started = performance.now();
    // The first batch waits until the timer (delay 1 ms) is overdue; the batches after it still see it unrun,
    // however loaded the machine (a fixed count of batches, no time budget).
    net.train(X, Y, { epochs: 3, batchSize: 8, onBatch: () => {
      seen.push(stop);
      while (performance.now() < started + 20);
    } });
    expect(seen).toEqual([false, false, false]);
    await new Promise((resolve) => setTimeout(resolve));
    expect(stop).toBe(true);
    net.dispose();
  });

  it('one call per epoch with an optimiser instance trains bit for bit as one call of every epoch', async () => {
    const [whole, chunked] = [await make(), await make()];
    const [a, b] = [createOptimizer(whole, { name: 'adam', learningRate: 0.01 }), createOptimizer(chunked, { name: 'adam', learningRate: 0.01 })];
    whole.train(X, Y, { epochs: 3, batchSize: 3, optimizer: a });
    for (let epoch = 0; epoch < 3; epoch++) {
      chunked.train(X, Y, { batchSize: 3, optimizer: b });
      await new Promise((resolve) => setTimeout(resolve)); // where a worker would handle its messages
    }
    expect(stateHash(chunked, b)).toBe(stateHash(whole, a));
    whole.dispose();
    chunked.dispose();
  });

  it("lsuv acts per call: the calls train as one only where the first call alone has it", async () => {
    const [whole, firstOnly, every] = [await make(), await make(), await make()];
    const optimizers = [whole, firstOnly, every].map((net) => createOptimizer(net, { name: 'sgd', learningRate: 0.1, momentum: 0.9 }));
    whole.train(X, Y, { epochs: 3, batchSize: 3, optimizer: optimizers[0], lsuv: true });
    for (let epoch = 0; epoch < 3; epoch++) {
      firstOnly.train(X, Y, { batchSize: 3, optimizer: optimizers[1], ...(epoch === 0 && { lsuv: true }) });
      every.train(X, Y, { batchSize: 3, optimizer: optimizers[2], lsuv: true });
    }
    expect(stateHash(firstOnly, optimizers[1])).toBe(stateHash(whole, optimizers[0]));
    // LSUV rescales the weights again at the start of each later call.
    expect(stateHash(every, optimizers[2])).not.toBe(stateHash(whole, optimizers[0]));
    for (const net of [whole, firstOnly, every]) net.dispose();
  });
});

describe('a flag set by another thread', () => {
  it('is seen by the next onBatch, which stops the call', async () => {
    const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4 });
    const stop = new Int32Array(new SharedArrayBuffer(4));
    // The other thread sets the flag once it has started (it cannot wait for a message: this thread is busy training).
    const worker = new Worker('const { workerData } = require("node:worker_threads"); Atomics.store(new Int32Array(workerData), 0, 1);', { eval: true, workerData: stop.buffer });
    let batches = 0;
    try {
      // maxSeconds only bounds the test, should the flag never be seen.
      net.train(X, Y, { epochs: 10_000_000, batchSize: 8, maxSeconds: 60, onBatch: () => { batches++; if (Atomics.load(stop, 0) === 1) throw new Cancelled(); } });
      expect.unreachable('the flag stops the call');
    } catch (error) {
      expect(error).toBeInstanceOf(Cancelled);
    }
    expect(net.step).toBe(batches);
    await worker.terminate();
    net.dispose();
  });
});
