// A kernel asked for an activation it has no pass for refuses it (INVALID_OPTION naming the backend
// and the call) on every backend, the tensors untouched: wasm and threads threw a raw TypeError
// ("Cannot read properties of undefined (reading 'fwd')"), ref 'sigma is not a function', and ref
// computed 'toString' with Object's method. Softmax has a forward pass only (the loss fuses its backward).
import { afterAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

const threaded = await createThreadedWasmKernels({ threads: 2, minRowsPerThread: 1 });
afterAll(() => threaded.close());
const backends = [...(await kernelBackends()), { name: 'threads', kernels: threaded as Kernels }];
// Large enough for the threaded backend to split the forward and backward passes across its threads
// (from MIN_SPLIT_PASS, 2¹⁴ values); the case below at BACKWARD_BATCH × N (2¹⁸) was the backward's
// least split before session 35 and is kept: a refusal must change nothing at any size.
const BATCH = 256;
const N = 128;
const BACKWARD_BATCH = 2048;

describe.each(backends.map((b) => [b.name, b.kernels] as const))('%s', (_name, k) => {
  it.each(['foo', 'toString', 'constructor', undefined])('refuses the activation %s forward and backward, tensors untouched', async (f) => {
    const values = Array.from({ length: BATCH * N }, (_, i) => (i % 7) - 3);
    const [z, a, da, dz] = [0, 1, 2, 3].map(() => tensorOf(k, values));
    await expectError(() => k.activationForward(f as never, a, z, BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: activationForward: f: expected one of sigmoid, tanh, relu, leaky-relu, softsign, linear, selu, softmax, got `));
    await expectError(() => k.activationBackward(f as never, dz, da, z, a, BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: activationBackward: f: expected one of sigmoid, tanh, relu, leaky-relu, softsign, linear, selu, got `));
    for (const t of [z, a, da, dz]) expect(Array.from(k.view(t))).toEqual(values);
    for (const t of [z, a, da, dz]) k.free(t);
  });

  it.each(['foo', 'toString', undefined])('refuses the activation %s where the threaded pass would split, splitPasses unchanged', async (f) => {
    const values = Array.from({ length: BACKWARD_BATCH * N }, (_, i) => (i % 7) - 3);
    const [z, a, da, dz] = [0, 1, 2, 3].map(() => tensorOf(k, values));
    const splitPasses = () => (k === threaded ? threaded.splitPasses : 0);
    const before = splitPasses();
    await expectError(() => k.activationForward(f as never, a, z, BACKWARD_BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: activationForward: f: expected one of `));
    await expectError(() => k.activationBackward(f as never, dz, da, z, a, BACKWARD_BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: activationBackward: f: expected one of `));
    expect(splitPasses()).toBe(before);
    // The first value that changed, if any (toEqual over 2¹⁸ values takes seconds).
    for (const t of [z, a, da, dz]) expect(k.view(t).findIndex((v, i) => v !== values[i])).toBe(-1);
    // The same sizes do split a known activation's passes, so the refusals above were where a split would be.
    k.activationForward('relu', a, z, BACKWARD_BATCH, N);
    k.activationBackward('relu', dz, da, z, a, BACKWARD_BATCH, N);
    if (k === threaded) expect(splitPasses() - before).toBe(2);
    for (const t of [z, a, da, dz]) k.free(t);
  });

  it('refuses softmax backward (fused into the loss), and still runs a known activation', async () => {
    const z = tensorOf(k, [0, 1, -1, 2]);
    const a = tensorOf(k, [0, 0, 0, 0]);
    await expectError(() => k.activationBackward('softmax' as never, a, z, z, a, 1, 4), 'INVALID_OPTION', /activationBackward: f: expected one of .*, got "softmax"$/);
    k.activationForward('relu', a, z, 1, 4);
    expect(Array.from(k.view(a))).toEqual([0, 1, 0, 2]);
    k.free(z);
    k.free(a);
  });
});
