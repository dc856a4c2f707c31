// A typed array's length is its own, read by %TypedArray%.prototype.length's getter (lengthOf in
// src/model-limits.ts), not by a `length` its instance was given: loadState and a checkpoint's
// optimiser tensors copied a Float32Array whose length was shadowed (Object.defineProperty) by the
// shadow, short (the rest of the tensor kept its old values) or long (the values past it dropped), in silence.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { checkpointOf, encodeCheckpoint } from '../../src/io/checkpoint.js';
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
