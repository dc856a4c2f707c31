/**
 * The cap on a batch (TrainOptions.batchSize): its buffers must fit in the memory left beside the
 * network and its data. The refusal (OUT_OF_MEMORY) names the most rows that fit, and that number
 * is the cap: a batch of it trains, one row more is refused, and the refusal changes nothing held.
 * The backend's room is stubbed (bytesAvailable) so the boundary is reached with kilobytes.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { expectError } from '../util/expect-error.js';

const kernels = await createWasmKernels();
let room = Infinity;
const small = Object.create(kernels, { bytesAvailable: { value: () => Math.min(room, kernels.bytesAvailable!()) } }) as typeof kernels;

const rows = 200;
const x = Array.from({ length: rows }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i * 16 + j)));
const y = Array.from({ length: rows }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0)));

const NETWORKS: [string, NetworkOptions][] = [
  ['dense', { sizes: [16, 24, 3] }],
  ['blocks', { inputs: 16, layers: [{ type: 'dense', units: 24, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], loss: 'cross-entropy' }],
];

/** What a refusal must leave as it was. */
function held(net: Network) {
  return { bytes: kernels.bytesInUse, step: net.step, rng: net.rng.getState(), weights: net.state().map((t) => Array.from(t.values)) };
}

describe.each(NETWORKS)('%s', (_kind, options) => {
  it('a batch of the most rows the refusal names trains; one row more is refused, naming that number, and changes nothing', async () => {
    room = Infinity;
    const net = await createNetwork({ ...options, seed: 1, backend: small });
    // Room for a batch of about 40 rows beside what the network holds now (the data's upload is checked against it too, and fits).
    room = 48_000;
    const tooLarge = await expectError(() => net.train(x, y, { batchSize: rows }), 'OUT_OF_MEMORY', /^buffers for a batch of 200 rows: [\d.]+ MiB needed, but the wasm-simd backend has [\d.]+ MiB left \(4 GiB at most: the end of 32-bit WebAssembly memory\); at most \d+ rows fit in a batch of this network now; nothing was allocated$/);
    const most = Number(/at most (\d+) rows fit/.exec(tooLarge.message)![1]);
    expect(most).toBeGreaterThan(10);
    expect(most).toBeLessThan(rows);
    const before = held(net);
    await expectError(() => net.train(x, y, { batchSize: most + 1 }), 'OUT_OF_MEMORY', new RegExp(`^buffers for a batch of ${most + 1} rows: .*; at most ${most} rows fit in a batch of this network now; nothing was allocated$`));
    expect(held(net)).toEqual(before);
    expect(net.train(x, y, { batchSize: most }).epochs[0].batches).toBe(Math.ceil(rows / most));
    room = Infinity;
    net.dispose();
  });
});
