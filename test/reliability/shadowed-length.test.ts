// A typed array's length is its own, read by %TypedArray%.prototype.length's getter (lengthOf in
// src/array-reads.ts), not by a `length` its instance was given: loadState and a checkpoint's
// optimiser tensors copied a Float32Array whose length was shadowed (Object.defineProperty) by the
// shadow, short (the rest of the tensor kept its old values) or long (the values past it dropped), in silence.
// Rows too: a typed row or block claiming its columns but longer was cut short or (uploaded) written
// past its place, and one shorter was refused as holding the value undefined, or uploaded unfilled.
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { createNetwork } from '../../src/api/network.js';
import { toMatrix } from '../../src/data/matrix.js';
import type { Kernels } from '../../src/kernels.js';
import { checkpointOf, encodeCheckpoint } from '../../src/io/checkpoint.js';
import { createRefKernels, createWasmKernels } from '../../src/public-kernels.js';
import { createWasmKernels as createBareWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

/** A Float32Array of `real` values `fill` whose `length` property says `claimed`. */
function shadowed(real: number, claimed: number, fill: number): Float32Array {
  const values = new Float32Array(real).fill(fill);
  Object.defineProperty(values, 'length', { value: claimed });
  return values;
}

describe('a typed array whose length is shadowed', () => {
  it('loadState refuses it by its real length, and the network keeps its weights', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 1 });
    const state = net.state();
    const before = net.state().map((t) => Array.from(t.values));
    const n = state[0].values.length;
    for (const real of [2, n + 1]) {
      const given = state.map((t, i) => ({ name: t.name, values: i === 0 ? shadowed(real, n, 9) : t.values }));
      await expectError(() => net.loadState(given), 'BAD_MODEL_FILE', new RegExp(`^tensors\\[0\\]: expected ${state[0].name} of ${n} values, got ${state[0].name} of ${real}$`));
      expect(net.state().map((t) => Array.from(t.values))).toEqual(before);
    }
    net.dispose();
  });

  it("a checkpoint's optimiser tensor is copied by its real length", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 1 });
    const checkpoint = checkpointOf(net);
    const written = encodeCheckpoint({ ...checkpoint, optimizer: { name: 'sgd', scalars: {}, tensors: [shadowed(5, 2, 1)] } });
    const plain = encodeCheckpoint({ ...checkpoint, optimizer: { name: 'sgd', scalars: {}, tensors: [new Float32Array(5).fill(1)] } });
    expect(written).toEqual(plain);
    net.dispose();
  });
});

describe('typed rows whose length is shadowed', () => {
  const targets = [[1, 0], [0, 1]];
  for (const real of [2, 4]) {
    it(`a row of ${real} values claiming 3 is refused by its real length: toMatrix, createDataset, train and predict`, async () => {
      const rows = () => [new Float32Array(3), shadowed(real, 3, 1)];
      const refusal = new RegExp(`^(toMatrix|inputs): row 1 has ${real} values, expected 3$`);
      await expectError(() => toMatrix(rows()), 'SHAPE_MISMATCH', refusal);
      for (const backend of ['ref', 'wasm'] as const) {
        await expectError(() => createDataset(rows(), targets, { backend }), 'SHAPE_MISMATCH', refusal);
        const net = await createNetwork({ sizes: [3, 2, 2], backend, seed: 1 });
        const before = net.state().map((t) => Array.from(t.values));
        await expectError(() => net.train(rows(), targets, { epochs: 1, maxSeconds: 5 }), 'SHAPE_MISMATCH', refusal);
        await expectError(() => net.predict(rows()), 'SHAPE_MISMATCH', refusal);
        expect(net.state().map((t) => Array.from(t.values))).toEqual(before);
        net.dispose();
      }
    });
  }

  it('a block of data claiming rows × cols values is refused by its real length', async () => {
    for (const real of [4, 8]) {
      const block = () => ({ data: shadowed(real, 6, 1), rows: 2, cols: 3 });
      const refusal = new RegExp(`^(toMatrix|inputs): data has ${real} values, not 2 rows × 3$`);
      await expectError(() => toMatrix(block()), 'SHAPE_MISMATCH', refusal);
      for (const backend of ['ref', 'wasm'] as const) await expectError(() => createDataset(block(), targets, { backend }), 'SHAPE_MISMATCH', refusal);
    }
  });

  it('a kernel write is sized by what it copies, not by a claimed length', async () => {
    const backends: Kernels[] = [createRefKernels({ precision: 'f32' }), await createWasmKernels({ variant: 'simd', binary: 'simd' }), await createBareWasmKernels({ variant: 'scalar' })];
    for (const k of backends) {
      const t = k.alloc(4);
      // The message counts src's own 5 values, not the 3 its `length` claims (the checked kernels' words, then the bare wasm's).
      await expectError(() => k.write(t, shadowed(5, 3, 1)), 'SHAPE_MISMATCH', /: write: t: holds 4 elements, fewer than offset \+ src's values = 0 \+ 5 = 5;|^write of 5 values at offset 0 overruns a tensor of 4$/);
      k.free(t);
    }
  });
});
