// train() keeps each network's row order and starting RNG state between its calls
// (src/training/call-scratch.ts): grown when a call has more rows, a view of its first entries when
// it has fewer, filled 0, 1, … anew by each call. Every call trains bit for bit as a network that
// never trained would from the same state (one made from a checkpoint of it), whatever rows the
// calls before had and in whatever order they left them; a call refused after shuffling puts the
// RNG back as it found it.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { checkpointOf, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { stateHash } from '../util/state-hash.js';

const ROWS = 12;
const X = Array.from({ length: ROWS }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) / 5 - 0.4]);
const Y = Array.from({ length: ROWS }, (_, i) => (i % 3 === 0 ? [1, 0] : [0, 1]));

/** Calls whose rows grow and shrink, shuffled (which leaves the order shuffled) and in order. */
const CALLS: [rows: number, options: TrainOptions][] = [
  [8, { batchSize: 3 }],
  [3, { batchSize: 3, shuffle: false }],
  [12, { batchSize: 5, epochs: 2 }],
  [5, { batchSize: 2, shuffle: false }],
  [6, { batchSize: 6, shuffle: false }],
  [12, { batchSize: 4 }],
];

// A checkpoint holds float32 numbers: the float64 'ref' backend's trained weights would not come back bit for bit.
describe.each((await kernelBackends()).filter(({ name }) => name !== 'ref'))('the row order kept between train() calls on $name', ({ kernels }) => {
  const fresh = (net: Network) => networkFromCheckpoint(checkpointOf(net), { backend: kernels });

  it('trains every call as a network that never trained would, its rows more, fewer or as many as the last call', async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', seed: 7, backend: kernels });
    for (const [call, [rows, options]] of CALLS.entries()) {
      const twin = await fresh(net);
      for (const n of [net, twin]) n.train(X.slice(0, rows), Y.slice(0, rows), options);
      expect(stateHash(net), `call ${call}: ${rows} rows`).toBe(stateHash(twin));
      twin.dispose();
    }
    net.dispose();
  });

  it('puts the RNG back after a call that shuffled and was refused before any update', async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 7, backend: kernels });
    net.train(X, Y, { batchSize: 4 });
    const before = stateHash(net);
    // A target whose squared error overflows float32: the call's one batch faults before any update, after the shuffle.
    const y = Y.map((row) => [...row]);
    y[5][1] = 3e19;
    expect(() => net.train(X.slice(0, 6), y.slice(0, 6), { batchSize: 6 })).toThrow(/DIVERGED|not finite|too large/);
    expect(stateHash(net)).toBe(before);
    const twin = await fresh(net);
    for (const n of [net, twin]) n.train(X, Y, { batchSize: 4 });
    expect(stateHash(net)).toBe(stateHash(twin));
    twin.dispose();
    net.dispose();
  });
});
