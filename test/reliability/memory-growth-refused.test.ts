/**
 * An engine may stop growing WebAssembly memory below the 4 GiB wasm32 addresses (a 32-bit host, a
 * browser's cap, the machine's memory), after the up-front checks, which count to 4 GiB, said yes.
 * The core's memory.grow is stubbed to refuse past a few pages more, as V8 refuses past its maximum,
 * so the boundary is reached with kilobytes: each refusal is OUT_OF_MEMORY naming the bytes asked
 * and the sizes the memory was to grow between, and the network keeps what it held (its batch
 * buffers included: they were freed before the larger ones were had, and a refusal left none; a
 * block network kept the buffers it had grown before the refusal, holding more memory than before).
 */
import { expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const kernels = await createWasmKernels();
const memory = kernels.exports.memory;
const grow = memory.grow.bind(memory);
let mostBytes = Infinity;
Object.defineProperty(memory, 'grow', {
  value: (pages: number) => {
    if (memory.buffer.byteLength + pages * 65536 > mostBytes) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    return grow(pages);
  },
});

const refused = /^cannot allocate \d{1,3}(,\d{3})* bytes: the engine refused to grow WebAssembly memory from \d+\.\d MiB to \d+\.\d MiB, below the 4 GiB wasm32 addresses \(RangeError: WebAssembly\.Memory\.grow\(\): Maximum memory size exceeded\)$/;
const rows = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: 100 }, (_, j) => Math.sin(i + j)));
const targets = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: 10 }, (_, j) => (i % 10 === j ? 1 : 0)));

function held(net: Network) {
  return { bytes: kernels.bytesInUse, capacity: (net[MODEL] as unknown as { capacity: number }).capacity, step: net.step, rng: net.rng.getState(), weights: net.state().map((t) => Array.from(t.values)) };
}

it('a network, a data set or a batch the engine will not grow memory for is OUT_OF_MEMORY naming the bytes and sizes, and the network keeps what it held', async () => {
  const net = await createNetwork({ sizes: [100, 100, 10], seed: 1, backend: kernels });
  net.train(rows(64), targets(64), { batchSize: 64 });
  const outputs = net.predict(rows(4));
  mostBytes = memory.buffer.byteLength + 4 * 65536; // four pages more, and no further
  const before = held(net);
  await expectError(() => createNetwork({ sizes: [1000, 1000], backend: kernels }), 'OUT_OF_MEMORY', refused);
  expect(held(net)).toEqual(before);
  await expectError(() => net.train(rows(5000), targets(5000)), 'OUT_OF_MEMORY', refused);
  expect(held(net)).toEqual(before);
  // The rows fit; a batch of all of them does not.
  await expectError(() => net.train(rows(600), targets(600), { batchSize: 600 }), 'OUT_OF_MEMORY', refused);
  expect(held(net)).toEqual(before);
  expect(net.predict(rows(4))).toEqual(outputs);
  mostBytes = Infinity;
  expect(net.train(rows(600), targets(600), { batchSize: 600 }).epochs[0].batches).toBe(1);
  net.dispose();
});

it('a block network refused a larger batch keeps its buffers and gives back the memory of those it grew', async () => {
  const net = await createNetwork({
    inputs: 100,
    layers: [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 10, activation: 'softmax' }],
    seed: 1,
    backend: kernels,
  });
  net.train(rows(64), targets(64), { batchSize: 64 });
  const outputs = net.predict(rows(4));
  mostBytes = memory.buffer.byteLength + 4 * 65536; // four pages more, and no further: some of the larger buffers fit, not all
  const before = held(net);
  await expectError(() => net.train(rows(600), targets(600), { batchSize: 600 }), 'OUT_OF_MEMORY', refused);
  expect(held(net)).toEqual(before);
  expect(net.predict(rows(4))).toEqual(outputs);
  mostBytes = Infinity;
  expect(net.train(rows(600), targets(600), { batchSize: 600 }).epochs[0].batches).toBe(1);
  net.dispose();
});
